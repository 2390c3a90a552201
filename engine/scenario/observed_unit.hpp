// The unit an observed figure is written in, against the unit its dataset is recorded in
// (engine/run/recorded_datasets.hpp): a figure of a statistical office's table may be written
// as the table writes it ("USD million", "US$ bn per year", "billion cubic metres/yr", "%"), and
// is converted, never guessed: an amount of money, of gas or a share, a scale (thousand, million,
// billion, trillion) and, for a flow, a period (a year, a quarter, a month). What cannot be read
// as such, or reads as another kind of quantity, is refused with the spellings that would be.
// docs/scenario-format.md, [[observations]] `unit`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace interdep {

// The factor from a dataset's unit to the written unit: simulated × factor is in the written
// unit (US$ bn/yr to "US$ million/month": 1000 / 12).
struct UnitFactor {
  double factor = 1.0;
};
// Why `written` is not a unit of the dataset's kind, as a message ends: "expected an amount of
// US$ a year, such as 'US$ bn/yr', ...".
struct UnitRefused {
  std::string why;
};

// `written` (an observation's unit) read against `dataset_unit` (one of the recorded datasets'
// units: "US$ bn/yr", "US$ bn", "bcm/yr", "1").
std::variant<UnitFactor, UnitRefused> observed_unit_factor(std::string_view dataset_unit,
                                                           std::string_view written);

// What a written unit says of its figures, as a statistical table's own codes can contradict it
// (an SDMX-CSV export's UNIT_MULT and UNIT_MEASURE, series_rows.hpp): the kind of amount, the
// power of ten of its multiple (US$ million: 6, bcm: 9, US$: 0; a percentage counts 0, as SDMX
// counts it: per cent is the measure, not a multiple) and whether it is a percentage.
struct WrittenUnit {
  enum class Kind { money, gas, share } kind = Kind::share;
  int power_of_ten = 0;
  bool percent = false;
};
// `written` read as observed_unit_factor reads it, or nothing when it is not a unit.
std::optional<WrittenUnit> read_written_unit(std::string_view written);
// `written` with its multiple's power of ten changed to `power_of_ten` ("US$ bn/yr" at 6:
// "US$ million/yr"), or nothing when no unit word has that multiple or `written` is no unit.
std::optional<std::string> unit_with_power(std::string_view written, int power_of_ten);

}  // namespace interdep
