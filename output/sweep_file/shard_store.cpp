#include "output/sweep_file/shard_store.hpp"

#include <fstream>
#include <utility>

#include "engine/files/user_file.hpp"
#include "engine/scenario/errors.hpp"
#include "output/sweep_file/sweep_file.hpp"

namespace interdep::sweep {
namespace {

namespace fs = std::filesystem;

// A manifest of the parts directory, or "" if it cannot be read as a regular file (then it
// belongs to no sweep).
std::string read_manifest(const fs::path& path) {
  try {
    return files::read_text_file(path);
  } catch (const files::FileRefused&) {
    return "";
  }
}

// Written whole or not at all, like every file of a sweep.
void write_text_atomically(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw OutputError(path, "write", "cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

}  // namespace

ShardStore::ShardStore(fs::path output, std::size_t rank, bool resume)
    : output_(std::move(output)), rank_(rank), resume_(resume) {}

fs::path ShardStore::parts() const { return parts_directory(output_); }

// The parts directory: new, or (resume) the one this very sweep left behind, recognised by the
// sweep and scenario texts it was started with.
void ShardStore::prepare(const SweepSpec& sweep, const std::string& scenario_text) {
  const fs::path dir = parts();
  const fs::path manifest_sweep = dir / "sweep.toml", manifest_scenario = dir / "scenario.toml";
  const fs::path directory = output_.parent_path();
  if (!directory.empty() && !fs::is_directory(directory))
    throw OutputError(output_, "create",
                      "the directory '" + directory.string() + "' does not exist");
  if (fs::exists(dir)) {
    if (!resume_)
      throw InputError(
          SourcePosition{sweep.source_path.string(), 0, 0}, "",
          "an interrupted sweep left '" + dir.string() +
              "'; rerun with --resume to continue it, or remove that directory to start again");
    if (read_manifest(manifest_sweep) != sweep.text ||
        read_manifest(manifest_scenario) != scenario_text)
      throw InputError(SourcePosition{sweep.source_path.string(), 0, 0}, "",
                       "'" + dir.string() +
                           "' belongs to a different sweep or scenario (the files changed "
                           "since it was started); remove it to start again");
  } else {
    fs::create_directory(dir);
    write_text_atomically(manifest_scenario, scenario_text);
    write_text_atomically(manifest_sweep, sweep.text);
  }
}

std::vector<std::size_t> ShardStore::stored_runs() {
  std::vector<std::size_t> runs;
  for (const fs::path& shard : list_shards(parts()))
    for (std::size_t r : shard_runs(shard)) runs.push_back(r);
  sequence_ = next_shard_sequence(parts(), rank_);
  return runs;
}

void ShardStore::store(const SweepLayout& layout, const std::vector<RunRecord>& batch) {
  write_shard(parts() / shard_file_name(rank_, sequence_++), layout, batch);
}

void ShardStore::finish(const SweepLayout& layout, const SweepMeta& meta,
                        const DesignRows& design) {
  merge_sweep(output_, layout, meta, design, list_shards(parts()));
  fs::remove_all(parts());
}

}  // namespace interdep::sweep
