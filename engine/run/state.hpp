// The hot state of a run: contiguous, row-major arrays sized once at start (Box2D style).
// Everything a recorder can write lives here; models keep their scratch to themselves.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace interdep {

struct Dims {
  std::size_t actors = 0;        // N
  std::size_t domains = 0;       // D
  std::size_t institutions = 0;  // I

  std::size_t pairs() const { return actors * actors; }
  std::size_t pair(std::size_t i, std::size_t j) const { return i * actors + j; }
  std::size_t rel(std::size_t i, std::size_t j, std::size_t d) const {
    return (i * actors + j) * domains + d;
  }
  std::size_t member(std::size_t i, std::size_t k) const { return i * institutions + k; }
};

struct WorldState {
  Dims dims;
  std::int64_t step = 0;  // steps taken so far
  double time = 0.0;      // decimal year of this state

  std::vector<double> relations;         // r[(i*N+j)*D+d] in [-1,1]
  std::vector<double> relation_overall;  // R[i*N+j] = sum_d w[i,d] r[i,j,d]
  std::vector<double> trade;             // exports i->j, US$ bn/yr
  std::vector<double> energy;            // gas i->j, bcm/yr
  std::vector<double> gdp;               // Y_i, US$ bn
  std::vector<double> sensitivity;       // S[i*N+j], share of i's economy exposed to j [1]
  std::vector<double> vulnerability;     // V[i*N+j], loss to i after adjusting if j is lost [1]
  std::vector<double> leverage;          // L[i*N+j] = V[i,j] - V[j,i]: j's leverage over i [1]
  std::vector<double> barbieri;          // B[i*N+j]: Barbieri interdependence, salience x symmetry [1]
  std::vector<double> hirschman;         // H[i]: Hirschman concentration of i's trade on partners [1]
  std::vector<std::uint8_t> membership;  // m[i*I+k] in {0,1}
  std::vector<std::uint8_t> applicant;   // a[i*I+k]: i has a pending application to k
  std::size_t terms = 0;                 // T: decision terms of the model (Model::term_names)
  std::vector<double> contributions;     // c[((i*N+j)*D+d)*T + term]: this step's increments;
                                         // empty when nobody records them
  std::vector<std::uint8_t> corridor_open;  // o[edge] in {0,1}: corridor edge open; sized and
                                            // set by the model (initialize, corridor events)

  // `terms`: how many decision terms the model records; 0 tracks no contributions.
  void resize(const Dims& d, std::size_t term_count) {
    dims = d;
    relations.assign(d.pairs() * d.domains, 0.0);
    relation_overall.assign(d.pairs(), 0.0);
    trade.assign(d.pairs(), 0.0);
    energy.assign(d.pairs(), 0.0);
    gdp.assign(d.actors, 0.0);
    sensitivity.assign(d.pairs(), 0.0);
    vulnerability.assign(d.pairs(), 0.0);
    leverage.assign(d.pairs(), 0.0);
    barbieri.assign(d.pairs(), 0.0);
    hirschman.assign(d.actors, 0.0);
    membership.assign(d.actors * d.institutions, 0);
    applicant.assign(d.actors * d.institutions, 0);
    terms = term_count;
    contributions.assign(d.pairs() * d.domains * term_count, 0.0);
  }

  bool tracks_contributions() const { return !contributions.empty(); }

  // Adds an increment of relation (i, j, d) due to term `term` (no-op when not tracked).
  void add_contribution(std::size_t i, std::size_t j, std::size_t d, std::size_t term,
                        double value) {
    if (contributions.empty()) return;
    assert(term < terms);
    const std::size_t k = dims.rel(i, j, d) * terms + term;
    assert(k < contributions.size());
    contributions[k] += value;
  }
};

}  // namespace interdep
