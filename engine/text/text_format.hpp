// Number, date and column formatting for text people read: the accounts of explain and compare,
// the models' term narratives, the run summary.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace interdep {

// Days in `month` (1..12) of `year`, leap years counted (Gregorian).
int days_in_month(int year, int month);
// A calendar date as a decimal year: year + (month - 1 + (day - 1) / days in the month) / 12, as
// the scenario files' dates count (2026-03-01 is 2026 + 2/12).
double decimal_year(int year, int month, int day);
// A date as people write it, for options such as --from: "2030" (its start), "2030-06" (the
// month's start), "2030-06-15" (a day, as decimal_year counts it) or a decimal year "2030.5";
// nothing for anything else (a month 13, a 31 June, trailing text).
std::optional<double> parse_year_text(std::string_view text);

// A month as statistical offices write it: "2027-06", "2027M06" or "2027-M06" (the IMF's and
// Eurostat's), or its first day "2027-06-01" (FRED's); the decimal year it starts
// (decimal_year(2027, 6, 1)), or nothing.
std::optional<double> parse_month_text(std::string_view text);
// A calendar quarter: "2027Q2", "2027-Q2" or "2027 Q2" (any case), or its first day
// "2027-04-01"; the decimal year it starts (2027.25), or nothing.
std::optional<double> parse_quarter_text(std::string_view text);
// The quarter a decimal year starts: "2027Q2" (quarter_text(2027.25)).
std::string quarter_text(double start);

// A decimal year as people wrote it: "2026-03-01" when it is a calendar day as decimal_year
// counts it (a TOML date, or a decimal such as 2026.5), else its shortest decimal ("2026.37").
std::string date_text(double year);

// The calendar day a decimal year falls in, as decimal_year counts days: "2025-03-03" for a
// weekly state that starts that day (date_text prints only a day's exact start).
std::string day_text(double year);

// Decimal year → "YYYY-MM" (the month whose 1/12 yr slot the time falls in, 2025.1667 → 2025-03).
std::string year_month(double year);

// A length of time in years as words, in the unit a clock of months, weeks or days counts it:
// "a month", "3 months", "a year", "2 years", "a week", "5 weeks", "a day", else "0.0137 yr".
std::string duration_text(double years);

// `value` with `decimals` decimals; signed_number always shows the sign ("+0.120"), also of a
// value that rounds to 0 ("-0.000" for -0.00003; 0 itself "+0.000").
std::string number(double value, int decimals);
std::string signed_number(double value, int decimals);

// A change from `was` to `now` printed beside its two ends, so that the three agree: the change
// is the printed ends' difference ("0.275 to 0.284 (+0.009)" for 0.2754 → 0.2836, where the
// change rounded alone, +0.008, did not add up). The decimals are `decimals` at least, more (up
// to 6) for a change that would not show in them (0.6664 → 0.6666 is "+0.0002", not "+0.001"),
// and more while ends that differ print alike. A change that rounds to 0 keeps its sign
// ("-0.000000" for a fall too small for six decimals; "+0.000" for none).
struct ShownChange {
  int decimals = 3;
  std::string change;
};
ShownChange shown_change(double was, double now, int decimals = 3);
// `value` exactly: 17 significant digits ("%.17g"), so that reading it back gives the same
// double; an integral value stays an integer ("3").
std::string exact_number(double value);
// A finite `value` in the fewest significant digits that read back as the same double
// (std::to_chars' shortest form; where the library has no floating-point to_chars, as
// Emscripten's libc++, printf's %g at the least precision that round-trips).
std::string shortest_number(double value);
// The shortest text that reads back as the same double, written as a TOML float: "0.2",
// "-0.8", "3.0", "1e-07", "inf", "nan" (always a '.', an exponent or a word, so that TOML reads
// a float and not an integer).
std::string toml_float(double value);

// Terminal columns taken by UTF-8 text: one per code point (the labels use "→", not wide glyphs).
std::size_t display_width(std::string_view text);
std::string pad_right(std::string text, std::size_t width);  // left-aligned in `width` columns
std::string pad_left(std::string text, std::size_t width);   // right-aligned in `width` columns

// `text` broken into lines of at most `width` columns at spaces; the first line starts with
// `indent`, the others with `continuation` (default: `indent`), and each ends with a newline.
std::string wrap(std::string_view text, std::size_t width, std::string_view indent,
                 std::string_view continuation);
std::string wrap(std::string_view text, std::size_t width, std::string_view indent);

// English possessive of a name: "Russia's", "United States'".
std::string possessive(const std::string& name);

// A count with its noun, singular for one: counted(1, "parameter") is "1 parameter",
// counted(4, "replicate") "4 replicates" (nouns whose plural adds an s).
std::string counted(std::size_t count, std::string_view noun);

// A duration in seconds as a clock shows it: "04:07", "1:02:03" from an hour; "--:--" when it is
// not known (negative or not finite, e.g. an ETA before any rate).
std::string clock_text(double seconds);

}  // namespace interdep
