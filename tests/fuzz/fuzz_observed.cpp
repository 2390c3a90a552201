// libFuzzer target: arbitrary bytes as the observed-figures CSV of `interdep score --observed`
// (engine/scenario/observed_table, on the CSV reader every CSV of figures goes through), then as
// the CSV an [[observations]] entry names (engine/scenario/observation_csv: plain or SDMX-CSV),
// with the period and `select` the input's length picks. Each reader must return its figures or
// throw InputError; any other outcome is a finding.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/scenario/errors.hpp"
#include "engine/scenario/observed_table.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "tests/fuzz/process_temporary.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const interdep::fuzz::ProcessTemporary temporary("interdep-fuzz-observed", ".csv");
  const std::filesystem::path& file = temporary.path();
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  interdep::ObservedTableDefaults defaults;
  defaults.quantity = "trade[PAK,RUS]";  // so that files without the column get further
  defaults.unit = "US$ bn/yr";
  try {
    (void)interdep::read_observed_table(file, defaults, {"--observed", 0, 0});
  } catch (const interdep::InputError&) {
    // bad input, refused with its place
  }
  // The same bytes as a scenario's CSV of figures: a small world of two actors (its load is
  // cheap), each period in turn, with a selection of its rows or not, its uncertainty in the
  // entry or not (an SDMX-CSV file has none).
  static const char* const kPeriods[] = {"point", "year", "quarter", "month"};
  const std::string scenario =
      "name = \"fuzz\"\n[time]\nstart = 2020-01-01\nyears = 10\n"
      "[domains.economy]\ntrade = 1.0\n"
      "[actors.PAK]\ninterests = { economy = 1.0 }\ngdp = 300\n"
      "[actors.RUS]\ninterests = { economy = 1.0 }\ngdp = 1800\n"
      "[[observations]]\nquantity = \"gdp[PAK]\"\nunit = \"US$ bn\"\nsource = \"fuzz\"\n"
      "period = \"" +
      std::string(kPeriods[size % 4]) + "\"\ncsv = \"" + file.filename().string() + "\"\n" +
      (size % 8 >= 4 ? "select = { REF_AREA = \"PK\" }\n" : "") +
      (size % 16 >= 8 ? "uncertainty = 1\n" : "");  // else the CSV must give it
  try {
    (void)interdep::load_scenario_text(scenario, "fuzz.toml", file.parent_path());
  } catch (const interdep::InputError&) {
    // bad input, refused with its place
  }
  return 0;
}
