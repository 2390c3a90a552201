#include "engine/scenario/observed_unit.hpp"

#include <cassert>
#include <cctype>
#include <cmath>
#include <optional>
#include <vector>

namespace interdep {
namespace {

// What a unit measures. Money is US dollars (the recorded datasets' only currency), gas cubic
// metres, a share a pure number.
enum class Amount { money, gas, share };

// A unit read: what it measures, its multiple of the base (US$ 1, 1 m³, the fraction 1), and,
// for a flow, how many of its periods make a year (0: a level, no period).
struct Reading {
  Amount amount = Amount::share;
  double scale = 1.0;
  double periods_a_year = 0.0;
  bool percent = false;  // scale 0.01: a percentage, not a multiple
};

struct Word {
  std::string_view text;
  double value;
};
// Periods a unit may end in, after "/" or as words.
constexpr Word kPeriods[] = {
    {"/yr", 1},     {"/year", 1},        {"/y", 1},         {"/a", 1},       {" per year", 1},
    {" a year", 1}, {" per annum", 1},   {" p.a.", 1},      {"/quarter", 4}, {"/qtr", 4},
    {"/q", 4},      {" per quarter", 4}, {" a quarter", 4}, {"/month", 12},  {"/mo", 12},
    {"/mth", 12},   {" per month", 12},  {" a month", 12},  {" per yr", 1},
};
// Multiples, as statistical tables abbreviate them ("k", "m" and "b" only beside a currency:
// "m" is also a metre).
constexpr Word kScales[] = {
    {"thousand", 1e3}, {"thousands", 1e3}, {"k", 1e3},   {"million", 1e6}, {"millions", 1e6},
    {"mn", 1e6},       {"mln", 1e6},       {"mio", 1e6}, {"m", 1e6},       {"billion", 1e9},
    {"billions", 1e9}, {"bn", 1e9},        {"bln", 1e9}, {"b", 1e9},       {"trillion", 1e12},
    {"trn", 1e12},     {"tn", 1e12},
};

// Spaces a spreadsheet or a statistical office's table may write between a unit's words (UTF-8):
// no-break (U+00A0), narrow no-break (U+202F, French typography's) and thin (U+2009).
constexpr std::string_view kOtherSpaces[] = {"\xC2\xA0", "\xE2\x80\xAF", "\xE2\x80\x89"};

// Lower case (ASCII), "³" as "3", spaces around "/" dropped, runs of spaces as one, trimmed:
// "US$ Bn / Yr" and "us$ bn/yr" read alike.
std::string normalised(std::string_view written) {
  std::string out;
  for (std::size_t k = 0; k < written.size(); ++k) {
    char c = written[k];
    for (const std::string_view space : kOtherSpaces)
      if (written.substr(k, space.size()) == space) {
        c = ' ';
        k += space.size() - 1;
        break;
      }
    if (written.substr(k, 2) == "\xC2\xB3") {  // U+00B3 SUPERSCRIPT THREE
      out += '3';
      ++k;
    } else if (c == ' ' || c == '\t') {
      if (!out.empty() && out.back() != ' ' && out.back() != '/') out += ' ';
    } else if (c == '/') {
      if (!out.empty() && out.back() == ' ') out.pop_back();
      out += '/';
    } else {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

std::optional<double> word_value(const auto& words, std::string_view token) {
  for (const Word& w : words)
    if (w.text == token) return w.value;
  return std::nullopt;
}

// `written` read as a unit, or nothing when it is not one of the spellings above.
std::optional<Reading> read_unit(std::string_view written) {
  std::string text = normalised(written);
  Reading r;
  for (const Word& period : kPeriods)
    if (text.size() > period.text.size() && text.ends_with(period.text)) {
      r.periods_a_year = period.value;
      text.resize(text.size() - period.text.size());
      break;
    }
  // Multi-word names as one token; a currency glued to its scale ("us$bn") parted.
  replace_all(text, "per cent", "%");
  for (const std::string_view dollars :
       {"u.s. dollars", "us dollars", "u.s. dollar", "us dollar", "us$", "usd"})
    replace_all(text, dollars, " usd ");
  for (const std::string_view metres :
       {"cubic metres", "cubic meters", "cubic metre", "cubic meter", "m3"})
    replace_all(text, metres, " m3 ");
  std::vector<std::string_view> tokens;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find(' ', at), text.size());
    if (end > at) tokens.push_back(std::string_view(text).substr(at, end - at));
    at = end + 1;
  }
  std::optional<Amount> amount;
  std::optional<double> scale;
  bool one_letter_scale = false;
  for (const std::string_view token : tokens) {
    if (token == "usd" || token == "m3") {
      if (amount) return std::nullopt;
      amount = token == "usd" ? Amount::money : Amount::gas;
    } else if (token == "bcm" || token == "mcm" || token == "tcm" || token == "mmcm") {
      if (amount || scale) return std::nullopt;
      amount = Amount::gas;
      scale = token == "bcm" ? 1e9 : token == "tcm" ? 1e12 : 1e6;
    } else if (token == "1" || token == "%" || token == "percent" || token == "pct") {
      if (amount || scale) return std::nullopt;
      amount = Amount::share;
      scale = token == "1" ? 1.0 : 0.01;
      r.percent = token != "1";
    } else if (const auto value = word_value(kScales, token); value && !scale) {
      scale = value;
      one_letter_scale = token.size() == 1;
    } else {
      return std::nullopt;
    }
  }
  if (!amount || (one_letter_scale && *amount != Amount::money)) return std::nullopt;
  r.amount = *amount;
  r.scale = scale.value_or(1.0);
  return r;
}

// Whether `written` names a currency other than the US dollar (a figure in euros or roubles).
bool other_currency(std::string_view written) {
  const std::string text = " " + normalised(written) + " ";
  for (const std::string_view code :
       {"eur", "gbp", "cny", "rmb", "yuan", "rub", "inr", "pkr", "jpy", "sdr", "euro", "euros",
        "rouble", "roubles", "ruble", "rubles", "rupee", "rupees", "yen"})
    for (std::size_t at = text.find(code); at != std::string::npos; at = text.find(code, at + 1))
      if (!std::isalpha(static_cast<unsigned char>(text[at - 1])) &&
          !std::isalpha(static_cast<unsigned char>(text[at + code.size()])))
        return true;
  return text.find("\xE2\x82\xAC") != std::string::npos ||  // €
         text.find("\xC2\xA3") != std::string::npos;        // £
}

std::string_view amount_name(Amount amount) {
  switch (amount) {
    case Amount::money: return "money (US$)";
    case Amount::gas: return "gas (cubic metres)";
    case Amount::share: break;
  }
  return "a share (a pure number)";
}

// Spellings a dataset's figures may be written in, as a message lists them.
std::string examples(const Reading& dataset) {
  switch (dataset.amount) {
    case Amount::money:
      return dataset.periods_a_year > 0
                 ? "'US$ bn/yr', 'US$ million/yr', 'USD mn per year', 'US$ bn/month'"
                 : "'US$ bn', 'US$ million', 'USD trillion'";
    case Amount::gas: return "'bcm/yr', 'mcm/yr', 'billion cubic metres per year', 'bcm/month'";
    case Amount::share: break;
  }
  return "'1' (a fraction) or '%'";
}

}  // namespace

std::variant<UnitFactor, UnitRefused> observed_unit_factor(std::string_view dataset_unit,
                                                           std::string_view written) {
  const std::optional<Reading> dataset = read_unit(dataset_unit);
  assert(dataset && "every recorded dataset's unit reads as a unit");
  if (!dataset) return UnitRefused{"the dataset's unit is not known"};
  const std::string expected = "expected " + examples(*dataset);
  const std::optional<Reading> figure = read_unit(written);
  if (!figure && dataset->amount == Amount::money && other_currency(written))
    return UnitRefused{expected + ", got '" + std::string(written) +
                       "': interdep records money in US$; convert the figures to US$ first (at "
                       "each date's exchange rate)"};
  if (!figure)
    return UnitRefused{expected + ", got '" + std::string(written) +
                       "' (an amount, a multiple such as million or bn, and for a flow its "
                       "period such as /yr)"};
  if (figure->amount != dataset->amount)
    return UnitRefused{expected + ", got '" + std::string(written) + "', " +
                       std::string(amount_name(figure->amount)) + ", not " +
                       std::string(amount_name(dataset->amount))};
  if (dataset->periods_a_year > 0 && figure->periods_a_year == 0)
    return UnitRefused{expected + ", got '" + std::string(written) +
                       "': it is a flow, so its unit says over what period (/yr for an annual "
                       "figure, /month for a monthly one)"};
  if (dataset->periods_a_year == 0 && figure->periods_a_year > 0)
    return UnitRefused{expected + ", got '" + std::string(written) +
                       "': it is a level, not a flow, so its unit has no period"};
  // Simulated (dataset unit) × factor is in the written unit: the scales' ratio, and a year's
  // flow shared among the written unit's periods.
  double factor = dataset->scale / figure->scale;
  if (dataset->periods_a_year > 0) factor *= dataset->periods_a_year / figure->periods_a_year;
  return UnitFactor{factor};
}

std::optional<WrittenUnit> read_written_unit(std::string_view written) {
  const std::optional<Reading> r = read_unit(written);
  if (!r) return std::nullopt;
  WrittenUnit unit;
  unit.kind = r->amount == Amount::money ? WrittenUnit::Kind::money
              : r->amount == Amount::gas ? WrittenUnit::Kind::gas
                                         : WrittenUnit::Kind::share;
  unit.percent = r->percent;
  // Scales are exact powers of ten (1e3 ... 1e12), so the rounding only removes log10's error.
  unit.power_of_ten = r->percent ? 0 : static_cast<int>(std::lround(std::log10(r->scale)));
  return unit;
}

std::optional<std::string> unit_with_power(std::string_view written, int power_of_ten) {
  const std::optional<Reading> r = read_unit(written);
  if (!r || r->amount == Amount::share) return std::nullopt;
  std::string amount;
  if (r->amount == Amount::money) {
    switch (power_of_ten) {
      case 0: amount = "US$"; break;
      case 3: amount = "US$ thousand"; break;
      case 6: amount = "US$ million"; break;
      case 9: amount = "US$ bn"; break;
      case 12: amount = "US$ trillion"; break;
      default: return std::nullopt;
    }
  } else {
    switch (power_of_ten) {
      case 0: amount = "m3"; break;
      case 6: amount = "mcm"; break;
      case 9: amount = "bcm"; break;
      case 12: amount = "tcm"; break;
      default: return std::nullopt;
    }
  }
  if (r->periods_a_year == 1) return amount + "/yr";
  if (r->periods_a_year == 4) return amount + "/quarter";
  if (r->periods_a_year == 12) return amount + "/month";
  return amount;
}

}  // namespace interdep
