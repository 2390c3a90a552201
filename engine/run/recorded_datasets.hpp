// The one table of recorded datasets: what a run records per frame, its axes, units and
// meaning, and where its value lives (a member of RecordedArrays, which both the live state and
// the recorded trajectory are). The recorder (trajectory.cpp), the run-file writer and reader
// (output/run_file), the sweep outputs (engine/sweep), compare, the report and the plot helpers
// (which read units and long names from the file's attributes) all walk this table.
//
// Adding a dataset: a member in RecordedArrays, a row in kRecordedDatasets, and the model code
// that fills the member. docs/architecture.md walks through it.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace interdep {

// The values a run records, one array per dataset. In the live state (WorldState) each holds
// one frame; in a Trajectory or a read-back run file, every frame, frame-major.
struct RecordedArrays {
  std::vector<double> relations;          // r[(i*N+j)*D+d] in [-1,1]
  std::vector<double> relation_overall;   // R[i*N+j] = sum_d w[i,d] r[i,j,d]
  std::vector<double> trade;              // exports i->j, US$ bn/yr
  std::vector<double> energy;             // gas i->j, bcm/yr
  std::vector<double> gdp;                // Y_i, US$ bn
  std::vector<double> energy_demand;      // D_i: gas imports needed, bcm/yr
  std::vector<double> energy_shortfall;   // D_i minus the gas landed from all suppliers, bcm/yr
  std::vector<double> sensitivity;        // S[i*N+j], share of i's economy exposed to j [1]
  std::vector<double> vulnerability;      // V[i*N+j], loss to i after adjusting if j is lost [1]
  std::vector<double> leverage;           // L[i*N+j] = V[i,j] - V[j,i]: j's leverage over i [1]
  std::vector<double> leverage_channels;  // L^c[(i*N+j)*C+c]: the part of L from channel c [1]
  std::vector<double> finance;            // F[i*N+j]: finance i -> j (aid, loans, investment,
                                          // remittances), US$ bn/yr
  std::vector<double> programme_finance;  // P[i]: lenders' programmes disbursing to i now,
                                          // US$ bn/yr (0 while suspended)
  std::vector<double> barbieri;   // B[i*N+j]: Barbieri interdependence, salience x symmetry [1]
  std::vector<double> hirschman;  // H[i]: Hirschman concentration of i's trade on partners [1]
  std::vector<std::uint8_t> membership;  // m[i*I+k] in {0,1}
  std::vector<double> contributions;     // c[((i*N+j)*D+d)*T + term]: increments by decision term
  std::vector<std::uint8_t> corridor_open;  // o[edge] in {0,1}: corridor edge open
};

// Axes of a dataset after time. Sizes: actor and partner N, domain D, institution I, term T
// (the model's decision terms), corridor_edge E (the scenario's corridor edges), channel C (the
// channels of dependence, kDependenceChannels).
enum class Axis : std::uint8_t {
  actor,
  partner,
  domain,
  institution,
  term,
  corridor_edge,
  channel
};

// The channels through which one actor depends on another (docs/model.md §7.3): sensitivity,
// vulnerability and leverage sum over them, and leverage_channels records each.
inline constexpr std::array<std::string_view, 3> kDependenceChannels{"trade", "energy", "finance"};

struct AxisSizes {
  std::size_t actors = 0, domains = 0, institutions = 0, terms = 0, corridor_edges = 0;
  std::size_t of(Axis axis) const;
};

// How the recorder fills a dataset's frame.
enum class Recording : std::uint8_t {
  value,        // the state's value at the frame
  accumulated,  // summed over the steps since the previous frame (the state holds one step's)
};

// Where the run file keeps a dataset.
enum class Stored : std::uint8_t {
  root,     // a variable of the root group over (time, axes...)
  network,  // kept in memory for the network analysis, which writes it under /network
};

// Which part of `interdep compare` (and of the report's comparison) ranks a dataset; none: not
// compared. Flows and interdependence are ranked relative to the pair's own largest value.
enum class CompareSection : std::uint8_t { none, relations, flows, interdependence };

struct RecordedDataset {
  std::string_view name{};       // dataset name in the run file, e.g. "trade"
  std::string_view units{};      // netCDF units attribute ("1": dimensionless)
  std::string_view long_name{};  // netCDF long_name attribute
  std::array<Axis, 4> axes{};    // after time; the first `rank` are used
  std::size_t rank = 0;
  std::vector<double> RecordedArrays::*f64 = nullptr;  // exactly one of f64 and u8
  std::vector<std::uint8_t> RecordedArrays::*u8 = nullptr;
  Recording recording = Recording::value;
  Stored stored = Stored::root;
  bool optional = false;  // recorded only when asked ([output] contributions)
  bool sweepable = true;  // may be a sweep output, e.g. "trade[PAK,RUS]"
  // Always a number: a run whose value is NaN or infinite is refused as bad input before it is
  // written (refuse_non_finite, engine/run/simulation.cpp), and a run file that holds one is
  // refused as damaged when read (output/run_file/run_reader.cpp). The quantities that feed the
  // next step's flows and decisions, so that a NaN in any other dataset shows in one of them, and
  // the gas flows (a NaN one was found to show in none of them).
  bool finite = false;
  // Never below 0 (flows, amounts, shares, indices of concentration, 0/1 flags): an observed
  // figure below 0 is refused as bad input (resolve_observations), not scored.
  bool non_negative = false;
  CompareSection compare = CompareSection::none;
  std::string_view report_label{};  // the HTML report draws it with this label ("": not drawn)

  std::span<const Axis> axis_list() const { return {axes.data(), rank}; }
  std::size_t frame_size(const AxisSizes& sizes) const;
  bool is_pair() const { return rank == 2 && axes[0] == Axis::actor && axes[1] == Axis::partner; }
};

// The order is the order of the run file's variables and of Trajectory::fingerprint.
inline constexpr RecordedDataset kRecordedDatasets[] = {
    {.name = "relations",
     .units = "1",
     .long_name = "relation of actor toward partner in domain, -1 hostile .. +1 close",
     .axes = {Axis::actor, Axis::partner, Axis::domain},
     .rank = 3,
     .f64 = &RecordedArrays::relations,
     .compare = CompareSection::relations,
     .report_label = "relation by domain, -1 hostile … +1 close"},
    {.name = "relation_overall",
     .units = "1",
     .long_name = "overall relation of actor toward partner, interest-weighted over domains",
     .axes = {Axis::actor, Axis::partner},
     .rank = 2,
     .f64 = &RecordedArrays::relation_overall,
     .finite = true,
     .compare = CompareSection::relations,
     .report_label = "overall relation, -1 hostile … +1 close"},
    {.name = "trade",
     .units = "US$ bn/yr",
     .long_name = "goods exports from actor to partner",
     .axes = {Axis::actor, Axis::partner},
     .rank = 2,
     .f64 = &RecordedArrays::trade,
     .finite = true,
     .non_negative = true,
     .compare = CompareSection::flows,
     .report_label = "goods exports from actor to partner"},
    {.name = "energy",
     .units = "bcm/yr",
     .long_name = "gas supplied by actor (supplier) to partner",
     .axes = {Axis::actor, Axis::partner},
     .rank = 2,
     .f64 = &RecordedArrays::energy,
     .finite = true,
     .non_negative = true,
     .compare = CompareSection::flows,
     .report_label = "gas supplied by actor to partner"},
    {.name = "gdp",
     .units = "US$ bn",
     .long_name = "gross domestic product",
     .axes = {Axis::actor},
     .rank = 1,
     .f64 = &RecordedArrays::gdp,
     .finite = true,
     .non_negative = true},
    {.name = "energy_demand",
     .units = "bcm/yr",
     .long_name = "gas imports the actor needs, landed or not",
     .axes = {Axis::actor},
     .rank = 1,
     .f64 = &RecordedArrays::energy_demand,
     .finite = true,  // a need growing past the largest number showed in no other dataset
     .non_negative = true},
    {.name = "energy_shortfall",
     .units = "bcm/yr",
     .long_name = "gas imports needed but not landed (import capacity or supply short)",
     .axes = {Axis::actor},
     .rank = 1,
     .f64 = &RecordedArrays::energy_shortfall,
     .finite = true,  // a need growing past the largest number showed in no other dataset
     .non_negative = true},
    {.name = "sensitivity",
     .units = "1",
     .long_name = "share of actor's economy exposed to partner",
     .axes = {Axis::actor, Axis::partner},
     .rank = 2,
     .f64 = &RecordedArrays::sensitivity,
     .non_negative = true,
     .compare = CompareSection::interdependence,
     .report_label = "share of actor's economy exposed to partner"},
    {.name = "vulnerability",
     .units = "1",
     .long_name = "loss to actor, after adjusting, if partner is lost",
     .axes = {Axis::actor, Axis::partner},
     .rank = 2,
     .f64 = &RecordedArrays::vulnerability,
     .non_negative = true,
     .compare = CompareSection::interdependence,
     .report_label = "loss to actor, after adjusting, if partner is lost"},
    {.name = "leverage",
     .units = "1",
     .long_name = "partner's leverage over actor: vulnerability[actor,partner] - "
                  "vulnerability[partner,actor]",
     .axes = {Axis::actor, Axis::partner},
     .rank = 2,
     .f64 = &RecordedArrays::leverage,
     .finite = true,
     .compare = CompareSection::interdependence,
     .report_label = "partner's leverage over actor, V[i,j] - V[j,i]"},
    {.name = "leverage_channels",
     .units = "1",
     .long_name = "partner's leverage over actor through one channel of dependence (trade, "
                  "energy, finance); they sum to leverage",
     .axes = {Axis::actor, Axis::partner, Axis::channel},
     .rank = 3,
     .f64 = &RecordedArrays::leverage_channels},
    {.name = "finance",
     .units = "US$ bn/yr",
     .long_name = "finance from actor to partner: aid, lending, investment and remittances",
     .axes = {Axis::actor, Axis::partner},
     .rank = 2,
     .f64 = &RecordedArrays::finance,
     .non_negative = true,
     .compare = CompareSection::flows,
     .report_label = "finance from actor to partner, US$ bn/yr"},
    {.name = "programme_finance",
     .units = "US$ bn/yr",
     .long_name = "lenders' programmes disbursing to actor (0 while suspended)",
     .axes = {Axis::actor},
     .rank = 1,
     .f64 = &RecordedArrays::programme_finance,
     .non_negative = true},
    {.name = "barbieri",
     .units = "1",
     .long_name =
         "Barbieri (1996) interdependence of the pair: salience x symmetry of trade shares",
     .axes = {Axis::actor, Axis::partner},
     .rank = 2,
     .f64 = &RecordedArrays::barbieri,
     .non_negative = true},
    {.name = "hirschman",
     .units = "1",
     .long_name = "Hirschman concentration of actor's trade on the modelled partners",
     .axes = {Axis::actor},
     .rank = 1,
     .f64 = &RecordedArrays::hirschman,
     .non_negative = true},
    {.name = "membership",
     .units = "1",
     .long_name = "actor is a member of institution (1) or not (0)",
     .axes = {Axis::actor, Axis::institution},
     .rank = 2,
     .u8 = &RecordedArrays::membership,
     .non_negative = true},
    {.name = "contributions",
     .units = "1",
     .long_name =
         "change of relations by decision term, summed over the steps since the previous frame",
     .axes = {Axis::actor, Axis::partner, Axis::domain, Axis::term},
     .rank = 4,
     .f64 = &RecordedArrays::contributions,
     .recording = Recording::accumulated,
     .optional = true,
     .sweepable = false},
    {.name = "corridor_open",
     .units = "1",
     .long_name = "corridor edge open (1) or closed (0)",
     .axes = {Axis::corridor_edge},
     .rank = 1,
     .u8 = &RecordedArrays::corridor_open,
     .stored = Stored::network,
     .sweepable = false,
     .non_negative = true},
};

// Each row holds its values in exactly one array type, uses 1..4 axes, and only real-valued
// datasets are accumulated (summed over steps); a dataset checked to be finite is a real-valued
// value of the state that every run file holds.
constexpr bool well_formed(const RecordedDataset& row) {
  return (row.f64 == nullptr) != (row.u8 == nullptr) && row.rank >= 1 &&
         row.rank <= row.axes.size() &&
         (row.recording != Recording::accumulated || row.f64 != nullptr) &&
         (!row.finite || (row.f64 != nullptr && row.recording == Recording::value &&
                          row.stored == Stored::root && !row.optional));
}
static_assert(std::all_of(std::begin(kRecordedDatasets), std::end(kRecordedDatasets), well_formed),
              "a row of kRecordedDatasets is malformed");

// The row named `name`, if any.
const RecordedDataset* find_recorded_dataset(std::string_view name);

// Sizes every array of `arrays` to `frames` frames of each dataset (optional datasets only with
// `with_optional`, else empty), filled with zeros.
void size_recorded_arrays(RecordedArrays& arrays, const AxisSizes& sizes, std::size_t frames,
                          bool with_optional);

}  // namespace interdep
