// A synthetic world of n actors for tests that need many: full relation and trade matrices, one
// gas link, one institution and an application to it, as TOML text (1 year, monthly).
#pragma once

#include <cstdio>
#include <string>

namespace interdep::test {

inline std::string synthetic_world(int n) {
  std::string t = "name = \"synthetic\"\n[time]\nyears = 1\n";
  for (const char* d : {"security", "economy", "energy"}) t += std::string("[domains.") + d + "]\n";
  t += "[domains.economy]\n";
  t.erase(t.rfind("[domains.economy]\n"));
  t += "[institutions.club]\nsummit_month = 6\nmembers = [\"A000\", \"A001\"]\n";
  char code[16];
  for (int i = 0; i < n; ++i) {
    std::snprintf(code, sizeof code, "A%03d", i);
    t += std::string("[actors.") + code +
         "]\ninterests = { security = 0.5, economy = 0.25, energy = 0.25 }\n"
         "total_trade = 1000\nenergy_imports = 10\nenergy_export_capacity = 10\n";
  }
  for (int i = 0; i < n; ++i) {
    std::snprintf(code, sizeof code, "A%03d", i);
    std::string rel = std::string("[relations.") + code + "]\n",
                trade = std::string("[trade.") + code + "]\n";
    for (int j = 0; j < n; ++j) {
      if (i == j) continue;
      char other[16];
      std::snprintf(other, sizeof other, "A%03d", j);
      const double r = ((i * 7 + j * 13) % 17) / 10.0 - 0.8;
      rel += std::string(other) + " = { security = " + std::to_string(r) + ", economy = 0.2 }\n";
      trade += std::string(other) + " = 1.0\n";
    }
    t += rel + trade;
  }
  t += "[energy.A000.A001]\nflow = 1\ncapacity = 5\n[[events]]\ndate = 2025.5\nkind = "
       "\"apply\"\nactor = \"A002\"\ninstitution = \"club\"\n";
  return t;
}

}  // namespace interdep::test
