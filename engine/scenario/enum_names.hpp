// Enums to and from the words a scenario file uses: one table per enum, read by the loaders (the
// word -> enum direction, and the "expected one of ..." lists in their errors) and by the writers
// (enum -> word). A new enumerator is added in its table only.
//
// Each table is found by argument-dependent lookup as `enum_names(E{})`, so an enum of another
// namespace (engine/sweep) declares its table next to itself and gets the same helpers.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/scenario/spec.hpp"

namespace interdep {

template <class E, std::size_t N>
using EnumNames = std::array<std::pair<E, std::string_view>, N>;

// The word of `value`; "" for a value missing from its table (a bug, not an input error).
template <class E>
constexpr std::string_view name_of(E value) {
  for (const auto& [v, name] : enum_names(E{}))
    if (v == value) return name;
  return {};
}

// The value spelt `text`, or nothing.
template <class E>
constexpr std::optional<E> parse(std::string_view text) {
  for (const auto& [v, name] : enum_names(E{}))
    if (name == text) return v;
  return std::nullopt;
}

// Every word, in table order: the list an error message offers.
template <class E>
std::vector<std::string> name_list() {
  std::vector<std::string> list;
  for (const auto& entry : enum_names(E{})) list.emplace_back(entry.second);
  return list;
}

// -- the scenario's enums (the order is the order error messages list them in) ----------------

constexpr EnumNames<SanctionType, 5> enum_names(SanctionType) {
  return {{{SanctionType::trade, "trade"},
           {SanctionType::financial, "financial"},
           {SanctionType::arms, "arms"},
           {SanctionType::travel, "travel"},
           {SanctionType::other, "other"}}};
}

constexpr EnumNames<FlowDirection, 3> enum_names(FlowDirection) {
  return {{{FlowDirection::both, "both"},
           {FlowDirection::exports, "exports"},
           {FlowDirection::imports, "imports"}}};
}

constexpr EnumNames<EventKind, 12> enum_names(EventKind) {
  return {{{EventKind::impulse, "impulse"},
           {EventKind::sanction, "sanction"},
           {EventKind::lift_sanction, "lift_sanction"},
           {EventKind::energy_link, "energy_link"},
           {EventKind::apply, "apply"},
           {EventKind::corridor, "corridor"},
           {EventKind::finance, "finance"},
           {EventKind::programme, "programme"},
           {EventKind::import_capacity, "import_capacity"},
           {EventKind::join, "join"},
           {EventKind::leave, "leave"},
           {EventKind::trade_cost, "trade_cost"}}};
}

constexpr EnumNames<AdmissionRule, 3> enum_names(AdmissionRule) {
  return {{{AdmissionRule::consensus, "consensus"},
           {AdmissionRule::majority, "majority"},
           {AdmissionRule::pce, "pce"}}};
}

constexpr EnumNames<Gravity, 2> enum_names(Gravity) {
  return {{{Gravity::partial, "partial"}, {Gravity::structural, "structural"}}};
}

constexpr EnumNames<Integrator, 2> enum_names(Integrator) {
  return {{{Integrator::euler, "euler"}, {Integrator::rk4, "rk4"}}};
}

constexpr EnumNames<ObservationPeriod, 4> enum_names(ObservationPeriod) {
  return {{{ObservationPeriod::point, "point"},
           {ObservationPeriod::year, "year"},
           {ObservationPeriod::quarter, "quarter"},
           {ObservationPeriod::month, "month"}}};
}

constexpr EnumNames<ObservationAggregate, 2> enum_names(ObservationAggregate) {
  return {
      {{ObservationAggregate::value, "value"}, {ObservationAggregate::pair_total, "pair_total"}}};
}

constexpr EnumNames<SelfAppraisal, 2> enum_names(SelfAppraisal) {
  return {{{SelfAppraisal::fixed, "fixed"}, {SelfAppraisal::evolve, "evolve"}}};
}

}  // namespace interdep
