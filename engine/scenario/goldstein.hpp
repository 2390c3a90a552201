// Goldstein (1992) conflict-cooperation weights for CAMEO event codes, pinned to one table:
// CAMEO.goldsteinscale.txt as distributed with the GDELT event data (CAMEO codebook 1.1b3).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace interdep {

inline constexpr std::string_view kGoldsteinTableVersion =
    "Goldstein (1992) weights for CAMEO 1.1b3 codes, GDELT CAMEO.goldsteinscale.txt";

// The weight of a CAMEO code ("057", "0311", "16"), in -10..10. A four-digit code that the table
// does not list takes its three-digit parent's weight, as in the source table. nullopt if unknown.
std::optional<double> goldstein_weight(std::string_view cameo_code);

// All codes with an explicit entry, for "did you mean" hints.
std::vector<std::string> goldstein_codes();

}  // namespace interdep
