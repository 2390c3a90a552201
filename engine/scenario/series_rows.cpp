#include "engine/scenario/series_rows.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "engine/scenario/enum_names.hpp"
#include "engine/scenario/name_match.hpp"
#include "engine/scenario/observed_unit.hpp"
#include "engine/text/nfc.hpp"
#include "engine/text/quoted_text.hpp"

namespace interdep {
namespace {

// The frequency codes of SDMX (the FREQ column): the period a row's figure is of (a day's, D or
// B for business days, is a point's), or nothing for a code interdep does not read (S half-years,
// W weeks, H hours, N minutes and any other).
std::optional<ObservationPeriod> sdmx_period(std::string_view code) {
  if (code == "A") return ObservationPeriod::year;
  if (code == "Q") return ObservationPeriod::quarter;
  if (code == "M") return ObservationPeriod::month;
  if (code == "D" || code == "B") return ObservationPeriod::point;
  return std::nullopt;
}

// The FREQ code of a period's figures (a point's: a day's, D).
std::string_view code_of(ObservationPeriod period) {
  switch (period) {
    case ObservationPeriod::year: return "A";
    case ObservationPeriod::quarter: return "Q";
    case ObservationPeriod::month: return "M";
    case ObservationPeriod::point: break;
  }
  return "D";
}

// What the codes of an SDMX unit cell say ("USD", "EUR", "PT", "MIO_EUR", "PC_GDP", "XDC"), read
// word by word: a currency (the US dollar or another, national currency codes included), a
// percentage, a multiple (Eurostat's THS and MIO). Codes interdep does not know say nothing.
struct UnitCodes {
  bool us_dollar = false;
  std::string other_currency;  // the code, as written
  bool percent = false;
  std::optional<int> power_of_ten;
};

UnitCodes unit_codes(std::string_view cell) {
  // XDC: the IMF's "domestic currency"; NAC: Eurostat's "national currency"; LCU: the World
  // Bank's "local currency units".
  static constexpr std::string_view kCurrencies[] = {"EUR", "GBP", "JPY", "CNY", "RMB", "RUB",
                                                     "INR", "PKR", "CHF", "CAD", "AUD", "XDR",
                                                     "SDR", "XDC", "NAC", "LCU", "NCU"};
  UnitCodes codes;
  std::size_t at = 0;
  while (at < cell.size()) {
    while (at < cell.size() && !std::isalnum(static_cast<unsigned char>(cell[at]))) ++at;
    std::size_t end = at;
    while (end < cell.size() && std::isalnum(static_cast<unsigned char>(cell[end]))) ++end;
    std::string word(cell.substr(at, end - at));
    for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    at = end;
    if (word == "USD")
      codes.us_dollar = true;
    else if (std::find(std::begin(kCurrencies), std::end(kCurrencies), word) !=
             std::end(kCurrencies))
      codes.other_currency = word;
    else if (word == "PT" || word == "PC" || word == "PCT" || word == "PERCENT")
      codes.percent = true;
    else if (word == "THS")
      codes.power_of_ten = 3;
    else if (word == "MIO")
      codes.power_of_ten = 6;
  }
  return codes;
}

// A multiple's name, as a message says what the figures are in.
std::string multiple_name(int power_of_ten) {
  switch (power_of_ten) {
    case 0: return "units";
    case 3: return "thousands";
    case 6: return "millions";
    case 9: return "billions";
    case 12: return "trillions";
    default: break;
  }
  return "10^" + std::to_string(power_of_ten);
}

// An SDMX UNIT_MULT code: a whole power of ten, written as a whole number ("6", or "6.0" as a
// table that went through a spreadsheet or pandas writes it), between -15 and 15.
std::optional<int> power_code(const std::string& text, bool decimal_comma) {
  const std::optional<double> value = csv_number(text, decimal_comma);
  if (!value || *value != std::floor(*value) || std::abs(*value) > 15) return std::nullopt;
  return static_cast<int>(*value);
}

std::string_view kind_name(WrittenUnit::Kind kind) {
  switch (kind) {
    case WrittenUnit::Kind::money: return "money";
    case WrittenUnit::Kind::gas: return "gas";
    case WrittenUnit::Kind::share: break;
  }
  return "a share";
}

}  // namespace

std::string RowSelection::written(const std::string& column, const std::string& text) const {
  return command_line ? "--select " + column + "=" + text
                      : "select = { " + column + " = \"" + text + "\" } in the entry";
}

namespace {

// The ID of a labelled SDMX-CSV header cell ("TIME_PERIOD" of "TIME_PERIOD: Time period"), or
// the cell as it is.
std::string_view label_id(const std::string& cell) {
  const std::size_t colon = cell.find(": ");
  return colon == std::string::npos ? std::string_view(cell)
                                    : std::string_view(cell).substr(0, colon);
}

// Whether `table` is an SDMX-CSV export written with labels: some header cells "ID: label"
// ("TIME_PERIOD: Time period"), and TIME_PERIOD and OBS_VALUE among the IDs, labelled or not (a
// portal may leave the value's or the structure's columns without a label).
bool labelled_export(const CsvTable& table) {
  if (table.column("TIME_PERIOD") && table.column("OBS_VALUE")) return false;
  bool labelled = false, time = false, value = false;
  for (const std::string& cell : table.header.cells) {
    labelled = labelled || cell.find(": ") != std::string::npos;
    time = time || same_ignoring_case(label_id(cell), "TIME_PERIOD");
    value = value || same_ignoring_case(label_id(cell), "OBS_VALUE");
  }
  return labelled && time && value;
}

}  // namespace

SeriesRows::SeriesRows(CsvTable& table, RowSelection selection)
    : table_(table), selection_(std::move(selection)), labelled_(labelled_export(table)) {
  if (labelled_)
    for (std::string& cell : table.header.cells) cell = std::string(label_id(cell));
  // SDMX-CSV: the figure's date in TIME_PERIOD and its value in OBS_VALUE, beside columns of the
  // series' dimensions and attributes, which are read only by the selection and FREQ.
  sdmx_ = table.column("TIME_PERIOD") && table.column("OBS_VALUE") && !table.column("date") &&
          !table.column("value");
  date_ = table.column(sdmx_ ? "TIME_PERIOD" : "date").value_or(kNone);
  value_ = table.column(sdmx_ ? "OBS_VALUE" : "value").value_or(kNone);
  if (sdmx_) {
    // FREQ, or FREQUENCY as the IMF's data portal names it since 2025.
    frequency_ = table.column("FREQ").value_or(table.column("FREQUENCY").value_or(kNone));
    multiple_ = table.column("UNIT_MULT").value_or(kNone);
    for (const char* name : {"UNIT_MEASURE", "UNIT", "CURRENCY"})
      if (const auto c = table.column(name)) measures_.push_back(*c);
  }
  for (const auto& [column, text] : selection_.wanted) {
    const std::optional<std::size_t> c = table.column(column);
    if (!c) {
      std::string columns;
      for (const std::string& name : table.header.cells)
        columns += (columns.empty() ? "" : ", ") + name;
      throw InputError(selection_.at,
                       selection_.command_line ? selection_.key : selection_.key + "." + column,
                       "the CSV " + quoted_text(table.path.filename().string()) +
                           " has no column " + quoted_text(column) + "; its columns: " + columns);
    }
    selected_.emplace_back(*c, to_nfc(text));  // the cells are NFC (read_csv_table)
  }
}

bool SeriesRows::selects(std::size_t c) const {
  return std::any_of(selected_.begin(), selected_.end(),
                     [c](const auto& s) { return s.first == c; });
}

std::string_view SeriesRows::code(const std::string& cell) const {
  return labelled_ ? label_id(cell) : std::string_view(cell);
}

bool SeriesRows::selected(const CsvRow& row) const {
  // A labelled export's cell is kept by its code or by the whole "code: name".
  return std::all_of(selected_.begin(), selected_.end(), [&](const auto& s) {
    const std::string& cell = row.cells[s.first];
    return cell == s.second || code(cell) == s.second;
  });
}

bool SeriesRows::keeps(const CsvRow& row) {
  const bool kept = selected(row);
  if (kept) ++kept_;
  return kept;
}

bool SeriesRows::frequency_varies() const {
  const std::string* first = nullptr;
  for (const CsvRow& row : table_.rows) {
    if (!selected(row)) continue;
    if (first == nullptr)
      first = &row.cells[frequency_];
    else if (code(row.cells[frequency_]) != code(*first))
      return true;
  }
  return false;
}

void SeriesRows::check_frequency(const CsvRow& row, ObservationPeriod period,
                                 const std::string& key) const {
  if (frequency_ == kNone) return;
  const std::string code(this->code(row.cells[frequency_]));
  const std::string& column = table_.header.cells[frequency_];
  const std::string named = column + " " + quoted_text(code);  // as the file names it: FREQ 'Q'

  const std::optional<ObservationPeriod> of = sdmx_period(code);
  if (of == period) return;
  std::string message;
  if (!of) {
    message = named +
              " is not a frequency interdep reads: A, Q and M (a year's, a quarter's and a "
              "month's figures) and D and B (a day's, a point's)";
    if (frequency_varies())
      message += "; keep the rows of one with " + selection_.written(column, "...");
  } else {
    const std::string of_name(name_of(*of));
    message =
        named + " is a " +
        (*of == ObservationPeriod::point ? std::string("day's (a point's)") : of_name + "'s") +
        " figure, and the " + (selection_.command_line ? "figures' " : "entry's ") +
        "period is \"" + std::string(name_of(period)) + "\": " +
        (selection_.command_line ? "give --period " + of_name : "set period = \"" + of_name + "\"");
    if (frequency_varies())
      message += ", or keep one frequency with " +
                 selection_.written(column, std::string(code_of(period)));
  }
  throw InputError(table_.at(row, frequency_), key, message);
}

void SeriesRows::check_unit(const CsvRow& row, std::string_view unit,
                            const std::string& key) const {
  if (!sdmx_) return;
  const std::optional<WrittenUnit> stated = read_written_unit(unit);
  if (!stated) return;
  const std::string said = "the unit " + quoted_text(std::string(unit));
  // How to give another unit: in the entry, or on the command line.
  const auto give = [&](const std::string& other) {
    return selection_.command_line ? "give --unit " + quoted_text(other)
                                   : "set unit = " + quoted_text(other) + " in the entry";
  };
  const auto refuse = [&](std::size_t c, const std::string& message) {
    throw InputError(table_.at(row, c), key, message);
  };
  // The figures' multiple, as the file states it, against the unit's.
  const auto check_power = [&](std::size_t c, int power, const std::string& code) {
    if (power == stated->power_of_ten) return;
    if (stated->kind == WrittenUnit::Kind::share)
      refuse(c, code + " says the figures are in " + multiple_name(power) + ", and " + said +
                    " is a share, which has no multiple: the figures are not a share's");
    const std::optional<std::string> other = unit_with_power(unit, power);
    refuse(c, code + " says the figures are in " + multiple_name(power) + ", and " + said +
                  " says " + multiple_name(stated->power_of_ten) + ": " +
                  (other ? give(*other)
                         : "scale the figures to a multiple a unit can name (thousand, million, "
                           "bn, trillion) first"));
  };
  // The kind of amount and the currency first: a multiple is only compared within one kind.
  for (const std::size_t c : measures_) {
    const std::string cell(code(row.cells[c]));
    const std::string code = table_.header.cells[c] + " " + quoted_text(cell);
    const UnitCodes codes = unit_codes(cell);
    const bool money = codes.us_dollar || !codes.other_currency.empty();
    if (money && stated->kind != WrittenUnit::Kind::money)
      refuse(c, code + " says the figures are money, and " + said + " is " +
                    std::string(kind_name(stated->kind)));
    if (!codes.other_currency.empty())
      refuse(c, code + " says the figures are in " + codes.other_currency +
                    ", not US dollars: interdep records money in US$; convert the figures to "
                    "US$ first (at each date's exchange rate), or keep a series in USD with "
                    "select");
    if (codes.percent && !stated->percent)
      refuse(c, code + " says the figures are percentages, and " + said +
                    (stated->kind == WrittenUnit::Kind::share
                         ? " is a fraction: " + give("%")
                         : " is " + std::string(kind_name(stated->kind))));
    if (codes.power_of_ten) check_power(c, *codes.power_of_ten, code);
  }
  if (multiple_ != kNone) {
    const std::string cell(code(row.cells[multiple_]));
    const std::string& column = table_.header.cells[multiple_];
    if (!cell.empty()) {
      const std::optional<int> power = power_code(cell, table_.decimal_comma());
      if (!power)
        refuse(multiple_, "expected " + column +
                              " as SDMX writes it, the power of ten of the figures' multiple "
                              "(0 units, 3 thousands, 6 millions, 9 billions), got " +
                              quoted_text(cell));
      check_power(multiple_, *power, column + " " + cell);
    }
  }
}

bool SeriesRows::missing(const CsvRow& row) const {
  if (!sdmx_) return false;
  std::string lower = row.cells[value_];
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.empty() || lower == "nan";
}

std::string SeriesRows::several_series(const CsvRow& first, const CsvRow& again,
                                       const std::vector<std::size_t>& own) const {
  for (std::size_t c = 0; c < table_.header.cells.size(); ++c) {
    if (std::find(own.begin(), own.end(), c) != own.end() || first.cells[c] == again.cells[c])
      continue;
    const std::string& column = table_.header.cells[c];
    return " (lines " + std::to_string(first.line) + " and " + std::to_string(again.line) +
           " differ in " + column + ": " + quoted_text(first.cells[c]) + " and " +
           quoted_text(again.cells[c]) + "; the file holds several series: keep one with " +
           selection_.written(column, std::string(code(first.cells[c]))) + ")";
  }
  return "";
}

void SeriesRows::refuse_if_none_kept() const {
  if (selected_.empty() || kept_ > 0) return;
  // What the file holds in the first column that no row matches alone.
  std::string holds;
  for (const auto& [c, text] : selected_) {
    std::vector<std::string> texts;
    bool any = false;
    for (const CsvRow& row : table_.rows) {
      any = any || row.cells[c] == text || code(row.cells[c]) == text;
      if (texts.size() < 8 && std::find(texts.begin(), texts.end(), row.cells[c]) == texts.end())
        texts.push_back(row.cells[c]);
    }
    if (any) continue;
    for (const std::string& t : texts) holds += (holds.empty() ? "" : ", ") + quoted_text(t);
    holds = " (" + table_.header.cells[c] + " holds " + holds + (texts.size() == 8 ? ", ..." : "") +
            ")";
    break;
  }
  std::string wanted;
  for (const auto& [column, text] : selection_.wanted)
    wanted += (wanted.empty() ? "" : " and ") + column + " = \"" + text + "\"";
  throw InputError(
      selection_.at, selection_.key,
      "no row of " + quoted_text(table_.path.filename().string()) + " has " + wanted + holds);
}

}  // namespace interdep
