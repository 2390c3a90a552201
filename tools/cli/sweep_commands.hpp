// The sweep and analyze subcommands, apart from option parsing (tools/cli/main.cpp).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace interdep::cli {

struct SweepArguments {
  std::filesystem::path sweep_file;
  std::filesystem::path output;  // empty: <sweep stem>.h5
  unsigned threads = 0;          // 0: all cores
  bool resume = false;
  bool quiet = false;
  int rank = 0, ranks = 1;       // MPI
  std::function<bool(bool)> all_agree;  // MPI: AND over the ranks
  const std::atomic<bool>* cancel = nullptr;
  std::string command_line;
};

struct AnalyzeArguments {
  std::filesystem::path file;
  std::string output;            // e.g. "relation_overall[PAK,RUS]"
  std::string statistic = "final";
  std::size_t resamples = 1000;
  double confidence = 0.95;
  std::uint64_t seed = 1;        // of the bootstrap
};

// Exit status: 0 all runs done, 1 some failed or stopped, 130 interrupted.
int sweep_command(const SweepArguments& arguments);
int analyze_command(const AnalyzeArguments& arguments);

}  // namespace interdep::cli
