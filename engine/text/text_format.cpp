#include "engine/text/text_format.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

namespace interdep {

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

double decimal_year(int year, int month, int day) {
  return year + (month - 1 + static_cast<double>(day - 1) / days_in_month(year, month)) / 12.0;
}

std::optional<double> parse_year_text(std::string_view text) {
  // YYYY-MM or YYYY-MM-DD: four digits, then two-digit month (and day).
  const auto digits = [&](std::size_t at, std::size_t count) {
    if (at + count > text.size()) return -1;
    int value = 0;
    for (std::size_t k = at; k < at + count; ++k) {
      if (text[k] < '0' || text[k] > '9') return -1;
      value = value * 10 + (text[k] - '0');
    }
    return value;
  };
  if ((text.size() == 7 || text.size() == 10) && text[4] == '-') {
    const int year = digits(0, 4), month = digits(5, 2);
    if (year < 0 || month < 1 || month > 12) return std::nullopt;
    if (text.size() == 7) return decimal_year(year, month, 1);
    const int day = digits(8, 2);
    if (text[7] != '-' || day < 1 || day > days_in_month(year, month)) return std::nullopt;
    return decimal_year(year, month, day);
  }
  // A decimal year (an integer is the year's start): digits, an optional point and digits.
  if (text.empty() || text.find_first_not_of("0123456789.") != std::string_view::npos ||
      text.front() == '.' || text.find('.') != text.rfind('.'))
    return std::nullopt;
  const std::string copy(text);
  char* end = nullptr;
  const double year = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(year)) return std::nullopt;
  return year;
}

namespace {
// Beyond it a date is written as its number: an int holds the year and no calendar is meant.
constexpr double kLargestYear = 1e5;
}  // namespace

std::string date_text(double year) {
  if (std::abs(year) < kLargestYear) {
    const double whole = std::floor(year);
    const double months = (year - whole) * 12.0;  // months into the year, fraction included
    const int y = static_cast<int>(whole);
    // The month whose day matches exactly; a neighbour's too, as the product above may round.
    for (int month = 1; month <= 12; ++month) {
      const int days = days_in_month(y, month);
      const double day = std::round((months - (month - 1)) * days) + 1.0;
      if (day < 1.0 || day > days) continue;
      if (decimal_year(y, month, static_cast<int>(day)) == year) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", y, month, static_cast<int>(day));
        return buffer;
      }
    }
  }
  return shortest_number(year);
}

std::string day_text(double year) {
  if (!(std::abs(year) < kLargestYear)) return shortest_number(year);
  const double whole = std::floor(year);
  const int y = static_cast<int>(whole);
  // A hair above, so that a day's own start (a product that rounds a bit low) is that day.
  const double months = (year - whole) * 12.0 + 1e-9;
  const int month = std::clamp(static_cast<int>(std::floor(months)) + 1, 1, 12);
  const int days = days_in_month(y, month);
  const int day =
      std::clamp(static_cast<int>(std::floor((months - (month - 1)) * days + 1e-6)) + 1, 1, days);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", y, month, day);
  return buffer;
}

namespace {

// A year of four digits and a period number of one or two digits after a letter (`mark`, any
// case) and an optional '-' or ' ': "2027M06", "2027-Q2"; {year, number} or nothing.
std::optional<std::pair<int, int>> year_and_period(std::string_view text, char mark) {
  if (text.size() < 6 || text.size() > 8) return std::nullopt;
  for (std::size_t k = 0; k < 4; ++k)
    if (text[k] < '0' || text[k] > '9') return std::nullopt;
  std::size_t at = 4;
  if (text[at] == '-' || text[at] == ' ') ++at;
  if (at >= text.size() || (text[at] != mark && text[at] != mark + ('a' - 'A')))
    return std::nullopt;
  ++at;
  const std::string_view digits = text.substr(at);
  if (digits.empty() || digits.size() > 2 ||
      digits.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  int number = 0;
  for (const char c : digits) number = number * 10 + (c - '0');
  int year = 0;
  for (std::size_t k = 0; k < 4; ++k) year = year * 10 + (text[k] - '0');
  return std::pair{year, number};
}

// "YYYY-MM-01": the first day of a month, as {year, month}, or nothing.
std::optional<std::pair<int, int>> first_day(std::string_view text) {
  if (text.size() != 10 || text.substr(7) != "-01" || !parse_year_text(text)) return std::nullopt;
  return std::pair{std::stoi(std::string(text.substr(0, 4))),
                   std::stoi(std::string(text.substr(5, 2)))};
}

}  // namespace

std::optional<double> parse_month_text(std::string_view text) {
  // YYYY-MM: parse_year_text reads it as the month's first day.
  if (text.size() == 7 && text[4] == '-' && text[5] != 'M' && text[5] != 'm')
    return parse_year_text(text);
  if (const auto day = first_day(text)) return decimal_year(day->first, day->second, 1);
  const auto month = year_and_period(text, 'M');
  if (!month || month->second < 1 || month->second > 12) return std::nullopt;
  return decimal_year(month->first, month->second, 1);
}

std::optional<double> parse_quarter_text(std::string_view text) {
  if (const auto day = first_day(text)) {
    if ((day->second - 1) % 3 != 0) return std::nullopt;
    return decimal_year(day->first, day->second, 1);
  }
  const auto quarter = year_and_period(text, 'Q');
  if (!quarter || quarter->second < 1 || quarter->second > 4) return std::nullopt;
  return decimal_year(quarter->first, 3 * quarter->second - 2, 1);
}

namespace {

// The year and month (1..12) of a decimal year; 1e-6 yr (~30 s) absorbs the rounding of
// start + step * dt at month boundaries. Only for years an int holds (see kLargestYear).
std::pair<int, int> year_and_month(double year) {
  const double whole = std::floor(year + 1e-6);
  int month = static_cast<int>(std::floor((year - whole) * 12.0 + 1e-6)) + 1;
  if (month > 12) month = 12;
  if (month < 1) month = 1;
  return {static_cast<int>(whole), month};
}

}  // namespace

std::string quarter_text(double start) {
  if (!(std::fabs(start) < kLargestYear)) return shortest_number(start);
  const auto [y, m] = year_and_month(start);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04dQ%d", y, (m - 1) / 3 + 1);
  return buffer;
}

std::string year_month(double year) {
  if (!(std::fabs(year) < kLargestYear)) return shortest_number(year);
  const auto [y, month] = year_and_month(year);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d", y, month);
  return buffer;
}

std::string duration_text(double years) {
  // Whole months, weeks (52 a year) or days (365 a year), within a billionth of a year.
  const auto counted_as = [&](double per_year, const char* unit) -> std::string {
    const double count = years * per_year;
    const double whole = std::round(count);
    if (whole < 1.0 || std::fabs(count - whole) > 1e-9 * per_year) return "";
    if (whole == 1.0) return std::string("a ") + unit;
    return number(whole, 0) + " " + unit + "s";
  };
  for (const auto& [per_year, unit] : {std::pair{1.0, "year"}, std::pair{12.0, "month"},
                                       std::pair{52.0, "week"}, std::pair{365.0, "day"}})
    if (std::string text = counted_as(per_year, unit); !text.empty()) return text;
  return shortest_number(years) + " yr";
}

std::string number(double value, int decimals) {
  if (value == 0.0) value = 0.0;  // no "-0.000"
  // Sized first: 1e300 has 301 digits before the point (a fixed buffer cut them off).
  const int size = std::snprintf(nullptr, 0, "%.*f", decimals, value);
  std::string s(static_cast<std::size_t>(std::max(size, 0)), '\0');
  std::snprintf(s.data(), s.size() + 1, "%.*f", decimals, value);
  // A value that rounds to zero prints without a sign.
  if (s.front() == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

std::string exact_number(double value) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

std::string shortest_number(double value) {
  char buffer[40];
#if defined(__cpp_lib_to_chars)
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  assert(error == std::errc());
  return std::string(buffer, end);
#else
  for (int digits = 1; digits <= 17; ++digits) {  // 17 digits always round-trip
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
#endif
}

std::string toml_float(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::string text = shortest_number(value);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

std::string signed_number(double value, int decimals) {
  const std::string s = number(value, decimals);
  if (s.front() == '-') return s;
  // A value shown with its sign keeps it when it rounds to 0 (a difference of -0.00003 read
  // "+0.000"); 0 itself is "+0.000".
  std::string with_sign(1, value < 0.0 ? '-' : '+');
  return with_sign.append(s);
}

namespace {

// `value` printed with `decimals` decimals, in units of its last decimal (exactly what prints):
// its sign and its digits, as decimal text of any length (a damaged file's 1e18 or 1e300 has more
// units than a long long holds).
struct PrintedUnits {
  bool negative = false;
  std::string digits;  // no leading zeros; "" for 0
};

PrintedUnits printed_units(double value, int decimals) {
  PrintedUnits units;
  for (const char c : number(value, decimals)) {
    if (c == '-') units.negative = true;
    if (c >= '0' && c <= '9' && !(units.digits.empty() && c == '0')) units.digits += c;
  }
  if (units.digits.empty()) units.negative = false;
  return units;
}

// Compares two digit strings without leading zeros as numbers.
int compare_digits(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a.compare(b) < 0 ? -1 : a.compare(b) > 0 ? 1 : 0;
}

// a + b, or a − b for a ≥ b, on digit strings; the result without leading zeros.
std::string add_digits(const std::string& a, const std::string& b, bool subtract) {
  std::string out;
  int carry = 0;
  for (std::size_t k = 0; k < std::max(a.size(), b.size()); ++k) {
    const int x = k < a.size() ? a[a.size() - 1 - k] - '0' : 0;
    const int y = k < b.size() ? b[b.size() - 1 - k] - '0' : 0;
    int d = subtract ? x - y - carry : x + y + carry;
    carry = subtract ? (d < 0 ? 1 : 0) : d / 10;
    d = subtract ? (d + 10) % 10 : d % 10;
    out.insert(out.begin(), static_cast<char>('0' + d));
  }
  if (carry != 0) out.insert(out.begin(), '1');
  const std::size_t first = out.find_first_not_of('0');
  return first == std::string::npos ? std::string() : out.substr(first);
}

// now − was in printed units: its sign and its digits.
PrintedUnits units_difference(const PrintedUnits& now, const PrintedUnits& was) {
  PrintedUnits d;
  if (now.negative != was.negative) {  // opposite signs: the sizes add, with now's sign
    d.digits = add_digits(now.digits, was.digits, false);
    d.negative = now.negative;
  } else {  // the same sign: the larger size less the smaller
    const int order = compare_digits(now.digits, was.digits);
    d.digits = order >= 0 ? add_digits(now.digits, was.digits, true)
                          : add_digits(was.digits, now.digits, true);
    d.negative = (order < 0) != now.negative;
  }
  if (d.digits.empty()) d.negative = false;
  return d;
}

}  // namespace

ShownChange shown_change(double was, double now, int decimals) {
  constexpr int kMostDecimals = 6;
  ShownChange shown;
  shown.decimals = std::min(decimals, kMostDecimals);
  if (!std::isfinite(was) || !std::isfinite(now)) {  // no printed ends to subtract
    shown.change = signed_number(now - was, shown.decimals);
    return shown;
  }
  // Enough decimals for the change itself to show (a fall of 0.0002 is not "+0.000" or "+0.001"),
  // then more while the ends print alike.
  while (shown.decimals < kMostDecimals && was != now &&
         std::abs(now - was) < 0.5 * std::pow(10.0, -shown.decimals))
    ++shown.decimals;
  const auto steps = [&] {
    return units_difference(printed_units(now, shown.decimals), printed_units(was, shown.decimals));
  };
  PrintedUnits change = steps();
  while (shown.decimals < kMostDecimals && was != now && change.digits.empty()) {
    ++shown.decimals;
    change = steps();
  }
  // The units as decimal text, exactly (no division by a power of 10 to round again).
  std::string digits = change.digits.empty() ? "0" : change.digits;
  const auto places = static_cast<std::size_t>(shown.decimals);
  if (digits.size() <= places) digits.insert(0, places + 1 - digits.size(), '0');
  if (places > 0) digits.insert(digits.size() - places, ".");
  shown.change = (change.negative || (change.digits.empty() && now < was) ? "-" : "+") + digits;
  return shown;
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (const char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;  // not a continuation byte
  return width;
}

std::string pad_right(std::string text, std::size_t width) {
  const std::size_t w = display_width(text);
  if (w < width) text.append(width - w, ' ');
  return text;
}

std::string pad_left(std::string text, std::size_t width) {
  const std::size_t w = display_width(text);
  if (w < width) text.insert(0, width - w, ' ');
  return text;
}

std::string wrap(std::string_view text, std::size_t width, std::string_view indent) {
  return wrap(text, width, indent, indent);
}

std::string possessive(const std::string& name) {
  return !name.empty() && name.back() == 's' ? name + "'" : name + "'s";
}

std::string counted(std::size_t count, std::string_view noun) {
  return std::to_string(count) + " " + std::string(noun) + (count == 1 ? "" : "s");
}

std::string clock_text(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--";
  const auto s = static_cast<long>(seconds + 0.5);
  char buffer[32];
  if (s >= 3600)
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buffer, sizeof buffer, "%02ld:%02ld", s / 60, s % 60);
  return buffer;
}

std::string wrap(std::string_view text, std::size_t width, std::string_view indent,
                 std::string_view continuation) {
  std::string out, line;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t space = text.find(' ', pos);
    const std::string_view word =
        text.substr(pos, space == std::string_view::npos ? std::string_view::npos : space - pos);
    pos = space == std::string_view::npos ? text.size() : space + 1;
    if (word.empty()) continue;
    const std::string_view lead = out.empty() ? indent : continuation;
    if (!line.empty() &&
        display_width(lead) + display_width(line) + 1 + display_width(word) > width) {
      out.append(lead).append(line).append("\n");
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line.append(word);
  }
  if (!line.empty()) out.append(out.empty() ? indent : continuation).append(line).append("\n");
  return out;
}

}  // namespace interdep
