// The current time as ISO-8601 UTC ("2026-11-22T20:19:42Z"), for the `created` attributes.
#pragma once

#include <ctime>
#include <string>

namespace interdep {

inline std::string utc_timestamp() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace interdep
