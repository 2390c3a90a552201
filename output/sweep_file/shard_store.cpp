#include "output/sweep_file/shard_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <iterator>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include "engine/files/process_lock.hpp"
#include "engine/files/user_file.hpp"
#include "engine/scenario/errors.hpp"
#include "engine/sweep/design.hpp"
#include "engine/sweep/run_record.hpp"
#include "engine/sweep/run_set.hpp"
#include "engine/text/text_format.hpp"
#include "output/hdf5/hdf5_handle.hpp"
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

std::string system_reason(int error) { return files::write_failure(error); }

// A csv design's table as its runs take it (the header's keys, then each row's values in their
// shortest exact form), for the record `design-table`: a table whose values changed since the
// sweep started would resume its runs under other values. "" for the other designs, whose points
// the sweep file's text and seed make.
std::string design_table_text(const SweepSpec& sweep) {
  if (sweep.design.kind != DesignKind::csv) return "";
  std::string text;
  for (std::size_t p = 0; p < sweep.parameters.size(); ++p)
    text.append(p == 0 ? "" : ",").append(sweep.parameters[p].key);
  text += '\n';
  const std::size_t k = std::max<std::size_t>(sweep.parameters.size(), 1);
  for (std::size_t i = 0; i < sweep.design.table.size(); ++i)
    text.append(shortest_number(sweep.design.table[i])).append(i % k + 1 == k ? "\n" : ",");
  return text;
}

// The names a sweep writes in its parts directory before its first run: its lock, the records
// and their temporaries (".sweep.toml.tmp-host-pid-n", left by a kill).
constexpr std::array<std::string_view, 6> kRecordNames = {"lock",  "scenario.toml", "sweep.toml",
                                                          "seeds", "design",        "design-table"};

// Whether `dir` holds nothing but what a sweep writes before its first run, and the damaged
// shards a resume set aside (SHARD.h5.damaged, SHARD.h5.damaged-2: no run is kept in them).
bool holds_no_run(const fs::path& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.starts_with("shard-") && name.find(".h5.damaged") != std::string::npos) continue;
    const bool written_first =
        std::any_of(kRecordNames.begin(), kRecordNames.end(), [&](std::string_view record) {
          return name == record || name.rfind("." + std::string(record) + ".tmp-", 0) == 0;
        });
    if (!written_first) return false;
  }
  return !ec;
}

}  // namespace

constexpr std::size_t kLongestFileName = 255;  // NAME_MAX of Linux's file systems, bytes

bool ShardStore::holds_runs() const {
  std::error_code ec;
  return fs::is_directory(parts(), ec) && !holds_no_run(parts());
}

std::string sweep_output_problem(const fs::path& output) {
  std::error_code ec;
  if (output.empty()) return "the output names no file";
  if (const std::string why = files::not_an_output_file(output); !why.empty())
    return output.string() + " " + why;
  // The runs are kept in OUTPUT.parts until the merge: a name the file system cannot hold is
  // found before any run (its creation failed after the setup, exit 1).
  if (const std::size_t bytes = parts_directory(output).filename().native().size();
      bytes > kLongestFileName)
    return output.string() + ": the sweep keeps its runs in " +
           parts_directory(output).filename().string() + " until they are merged, a name of " +
           std::to_string(bytes) + " bytes, more than the " + std::to_string(kLongestFileName) +
           " a file system allows: name a shorter file";
  // Something else by that name is in the way.
  if (const fs::path parts = parts_directory(output);
      fs::exists(fs::symlink_status(parts, ec)) && !fs::is_directory(parts, ec))
    return output.string() + ": " + parts.string() +
           " is in the way (not a directory): the sweep keeps its runs there until they are "
           "merged; remove it or name another output";
  return "";
}

ShardStore::ShardStore(fs::path output, std::size_t rank, bool resume,
                       std::function<void(const std::string&)> warn)
    : output_(std::move(output)), rank_(rank), resume_(resume), warn_(std::move(warn)) {}

ShardStore::~ShardStore() {
  if (lock_ >= 0) ::close(lock_);  // releases the lock
}

fs::path ShardStore::parts() const { return parts_directory(output_); }

fs::path ShardStore::lock_file() const { return parts() / "lock"; }

// The parts directory: new, or (resume) the one this very sweep left behind, recognised by the
// sweep and scenario texts it was started with; locked either way, or refused if another sweep
// holds it.
void ShardStore::prepare(const SweepSpec& sweep, const std::string& scenario_text,
                         const SweepLayout& layout) {
  const fs::path dir = parts();
  const fs::path directory = output_.parent_path();
  if (!directory.empty() && !fs::is_directory(directory))
    throw OutputError(output_, "create",
                      "the directory '" + directory.string() + "' does not exist");
  std::error_code ec;
  const bool created = fs::create_directory(dir, ec);
  if (ec) throw OutputError(dir, "create the parts directory", ec.message());
  if (!created) {
    // A directory that is not this sweep's keeps nothing of it: not even the lock file.
    const bool had_lock = fs::exists(lock_file(), ec);
    lock_parts(sweep);
    if (had_lock && holds_no_run(dir)) {
      // A sweep killed before it stored a run (kill -9 before its first shard, written about
      // 2 s into the runs, or while it wrote these records): they are written again, whatever
      // state they were left in.
      if (warn_)
        warn_("sweep: " + dir.string() +
              " holds no finished run (an earlier start ended before it stored any, stopped "
              "or unable to write before its first store: runs are stored about every 2 s): "
              "starting the sweep from its beginning");
      write_records(sweep, scenario_text);
      return;
    }
    try {
      check_parts(sweep, scenario_text);
    } catch (const InputError&) {
      if (!had_lock) fs::remove(lock_file(), ec);
      throw;
    }
    set_aside_damaged_shards(layout);
    return;
  }
  try {  // a new directory that cannot be made ready is not left behind
    lock_parts(sweep);
    write_records(sweep, scenario_text);
  } catch (...) {
    if (lock_ >= 0) fs::remove_all(dir, ec);  // not a directory another sweep holds
    throw;
  }
}

// The records a parts directory is recognised by (check_parts), written after its lock.
void ShardStore::write_records(const SweepSpec& sweep, const std::string& scenario_text) const {
  const fs::path dir = parts();
  std::error_code ec;
  fs::remove(dir / "design-table", ec);  // a csv design's only; the others are replaced
  h5::atomic_write_text(dir / "scenario.toml", "write", scenario_text);
  h5::atomic_write_text(dir / "sweep.toml", "write", sweep.text);
  h5::atomic_write_text(dir / "seeds", "write", std::string(name_of(sweep.seeds)) + "\n");
  h5::atomic_write_text(dir / "design", "write", std::string(kDesignScheme) + "\n");
  if (const std::string table = design_table_text(sweep); !table.empty())
    h5::atomic_write_text(dir / "design-table", "write", table);
}

void ShardStore::lock_parts(const SweepSpec& sweep) {
  const fs::path file = lock_file();
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) throw OutputError(file, "open the sweep's lock", system_reason(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string holder = files::lock_file_holder(fd);
    ::close(fd);
    if (error != EWOULDBLOCK) throw OutputError(file, "lock", system_reason(error));
    throw InputError(SourcePosition{sweep.source_path.string(), 0, 0}, "",
                     "a sweep is running on " + output_.string() + " (process " +
                         (holder.empty() ? std::string("unknown") : holder) +
                         "): wait for it to end, or stop it and rerun with --resume");
  }
  // The sweep that held it may have finished and removed the directory in between: then the
  // file locked is no longer the one at the path, and this sweep has nothing to continue.
  struct stat held {};
  struct stat now {};
  if (::fstat(fd, &held) != 0 || ::stat(file.c_str(), &now) != 0 || held.st_ino != now.st_ino ||
      held.st_dev != now.st_dev) {
    ::close(fd);
    throw InputError(SourcePosition{sweep.source_path.string(), 0, 0}, "",
                     "the sweep that was running on " + output_.string() +
                         " has just ended; rerun to start again");
  }
  lock_ = fd;
  const std::string pid = std::to_string(static_cast<long>(::getpid())) + "\n";
  if (::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size()))
    throw OutputError(file, "write the sweep's lock", system_reason(errno));
}

// A parts directory that was there before this sweep (and is now locked by it).
void ShardStore::check_parts(const SweepSpec& sweep, const std::string& scenario_text) const {
  const fs::path dir = parts();
  // Not a sweep's at all (a folder of the user's that has the name): neither message below fits.
  const std::string sweep_record = read_manifest(dir / "sweep.toml");
  if (sweep_record.empty() && read_manifest(dir / "scenario.toml").empty())
    throw InputError(SourcePosition{sweep.source_path.string(), 0, 0}, "",
                     "'" + dir.string() +
                         "' is not the parts directory of a sweep (it holds no sweep.toml or "
                         "scenario.toml record): name another output with -o, or remove it");
  if (!resume_)
    throw InputError(
        SourcePosition{sweep.source_path.string(), 0, 0}, "",
        "an interrupted sweep left '" + dir.string() +
            "'; rerun with --resume to continue it, or remove that directory to start again");
  if (sweep_record != sweep.text || read_manifest(dir / "scenario.toml") != scenario_text)
    throw InputError(SourcePosition{sweep.source_path.string(), 0, 0}, "",
                     "'" + dir.string() +
                         "' belongs to a different sweep or scenario (the files changed "
                         "since it was started); remove it to start again");
  // A csv design's values (a directory of an earlier build has no record: not checked).
  if (const std::string table = read_manifest(dir / "design-table");
      !table.empty() && table != design_table_text(sweep))
    throw InputError(SourcePosition{sweep.source_path.string(), 0, 0}, "design.file",
                     "'" + dir.string() + "' belongs to a different sweep: the design table " +
                         sweep.design.csv.string() +
                         " changed since it was started, and its finished runs were run with "
                         "the earlier values; remove the directory to start again");
  // A manifest this build did not write: neither a record it knows nor the absence that marks an
  // earlier build's directory.
  auto unknown = [&](const char* file, const std::string& text) {
    constexpr std::size_t kShown = 40;  // characters of the record quoted
    std::string shown = text.substr(0, kShown);
    if (!shown.empty() && shown.back() == '\n') shown.pop_back();
    for (char& c : shown)
      if (static_cast<unsigned char>(c) < ' ' || c == 0x7f) c = '?';
    return InputError(SourcePosition{sweep.source_path.string(), 0, 0}, "",
                      "'" + dir.string() + "' has a " + file + " record '" + shown +
                          (text.size() > kShown ? "..." : "") +
                          "' that this build does not know (a damaged directory, or one of a "
                          "newer build): remove the directory to start again");
  };
  // How its runs were seeded: the same sweep file seeds a Saltelli or Morris design's runs
  // otherwise since common random numbers became their default (a parts directory from before
  // has no record: its runs had a seed each).
  std::string seeds = read_manifest(dir / "seeds");
  if (seeds.empty()) seeds = std::string(name_of(SeedSharing::per_run)) + "\n";
  if (seeds != std::string(name_of(SeedSharing::per_run)) + "\n" &&
      seeds != std::string(name_of(SeedSharing::common)) + "\n")
    throw unknown("seeds", seeds);
  if (seeds != std::string(name_of(sweep.seeds)) + "\n")
    throw InputError(SourcePosition{sweep.source_path.string(), 0, 0}, "",
                     "'" + dir.string() + "' holds runs seeded " +
                         seeds.substr(0, seeds.size() - 1) + ", and this sweep seeds them " +
                         std::string(name_of(sweep.seeds)) +
                         " (common random numbers are the default for Saltelli and Morris "
                         "designs since 0.3): remove the directory to start again");
  // How its design's points were made: random designs drew them in sequence before they were
  // keyed (a parts directory from before has no record), so the same seed gave other points.
  // A grid or a csv table gives the same points either way.
  const std::string design = read_manifest(dir / "design");
  if (!design.empty() && design != std::string(kDesignScheme) + "\n")
    throw unknown("design", design);
  const bool random_design = sweep.design.kind == DesignKind::lhs ||
                             sweep.design.kind == DesignKind::saltelli ||
                             sweep.design.kind == DesignKind::morris;
  if (random_design && design.empty())
    throw InputError(SourcePosition{sweep.source_path.string(), 0, 0}, "",
                     "'" + dir.string() + "' holds runs of a " +
                         std::string(name_of(sweep.design.kind)) +
                         " design made by an earlier build of interdep, before random designs "
                         "were keyed: this build makes other points from the same seed; remove "
                         "the directory to start again");
}

fs::path ShardStore::set_aside(const fs::path& shard, const std::string& damage) {
  // A resumed rank numbers its new shards after the ones it sees, so a later damaged shard may
  // have an earlier one's name: never over an earlier set-aside file.
  fs::path aside = fs::path(shard.string() + ".damaged");
  std::error_code ec;
  for (int k = 2; fs::exists(fs::symlink_status(aside, ec)); ++k)
    aside = fs::path(shard.string() + ".damaged-" + std::to_string(k));
  fs::rename(shard, aside, ec);
  if (ec)
    throw OutputError(shard, "set aside the damaged shard as " + aside.filename().string(),
                      ec.message() + " (the shard: " + damage + ")");
  return aside;
}

void ShardStore::set_aside_damaged_shards(const SweepLayout& layout) const {
  // A run is in one shard: one that holds a run an earlier shard holds too (a shard copied
  // within the directory, or from another sweep's with the same layout) is set aside too, or
  // the merge would refuse it after every other run had been run again.
  RunSet seen(layout.runs);
  std::vector<fs::path> kept;
  // A folder (or a FIFO, a link to nothing) by a shard's name holds no run, and a new shard of
  // that name could not be written over it: the resume ran every run again, then failed to
  // store the first of them, said its runs were kept, and did the same at every resume.
  for (const fs::path& entry : list_shards_not_files(parts())) {
    std::error_code ec;
    const bool dangling = fs::is_symlink(fs::symlink_status(entry, ec)) && !fs::exists(entry, ec);
    const std::string damage = dangling ? std::string("it is a symbolic link to nothing")
                                        : "it " + files::not_a_regular_file(entry);
    const fs::path aside = set_aside(entry, damage);
    if (warn_)
      warn_("sweep: " + entry.string() + " is damaged (" + damage + "): set aside as " +
            aside.filename().string() + "; its runs are run again");
  }
  for (const fs::path& shard : list_shards(parts())) {
    std::optional<std::string> damage;
    try {
      check_shard(shard, layout);                   // opens it, checks its layout and its runs
      const ShardIndex index = shard_index(shard);  // and reads their status, as
                                                    // visit_stored_runs will
      for (const std::uint64_t run : index.runs)
        if (run < layout.runs && seen.contains(static_cast<std::size_t>(run))) {
          std::string earlier;  // read again only to name it
          for (const fs::path& other : kept) {
            const std::vector<std::uint64_t> runs = shard_index(other).runs;
            if (std::find(runs.begin(), runs.end(), run) != runs.end()) {
              earlier = other.filename().string();
              break;
            }
          }
          damage =
              "it holds run " + std::to_string(run) + ", which " + earlier + " holds too: a copy";
          break;
        }
      if (!damage) {
        for (const std::uint64_t run : index.runs)
          if (run < layout.runs) seen.insert(static_cast<std::size_t>(run));
        kept.push_back(shard);
      }
    } catch (const OutputError& e) {
      damage = e.operation() + ": " + e.detail();
    }
    if (!damage) continue;
    const fs::path aside = set_aside(shard, *damage);
    if (warn_)
      warn_("sweep: " + shard.string() + " is damaged (" + *damage + "): set aside as " +
            aside.filename().string() + "; its runs are run again");
  }
}

void ShardStore::visit_stored_runs(const std::function<void(std::size_t, bool)>& run) {
  for (const fs::path& shard : list_shards(parts())) {
    const ShardIndex index = shard_index(shard);
    for (std::size_t k = 0; k < index.runs.size(); ++k)
      run(index.runs[k], index.status[k] == kRunFailed);
  }
  sequence_ = next_shard_sequence(parts(), rank_);
}

std::vector<std::pair<std::size_t, std::string>> ShardStore::stored_failures(std::size_t most) {
  std::vector<std::pair<std::size_t, std::string>> failures;
  for (const fs::path& shard : list_shards(parts())) {
    std::vector<std::pair<std::size_t, std::string>> more = shard_failures(shard);
    failures.insert(failures.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
    // The lowest indices so far: a sweep of many failures holds `most` of them at a time.
    std::sort(failures.begin(), failures.end());
    if (failures.size() > most) failures.resize(most);
  }
  return failures;
}

// The parts directory gone while the sweep runs (removed by hand, or with its folder): its
// runs and its lock went with it. Writing on made it again (and the output's folder with it)
// without the lock, so that a second sweep could start beside this one, and the merge then
// found runs missing and advised a resume the empty directory refused.
void ShardStore::check_parts_there(const std::string& operation) const {
  std::error_code ec;
  if (!fs::is_directory(parts(), ec))
    throw OutputError(parts(), operation,
                      "the parts directory was removed while the sweep ran, and the finished runs "
                      "and the lock with it: start the sweep anew");
}

void ShardStore::store(const SweepLayout& layout, const std::vector<RunRecord>& batch) {
  check_parts_there("write shard");
  write_shard(parts() / shard_file_name(rank_, sequence_++), layout, batch);
}

void ShardStore::finish(const SweepLayout& layout, const SweepMeta& meta,
                        const DesignRows& design) {
  check_parts_there("merge sweep");
  const std::vector<fs::path> shards = list_shards(parts());
  try {
    merge_sweep(output_, layout, meta, design, shards);
  } catch (const OutputError& e) {
    // The merge names the shard it could not read; its own failures name the output.
    if (std::find(shards.begin(), shards.end(), e.path()) == shards.end()) throw;
    const fs::path aside = set_aside(e.path(), e.detail());
    throw DamagedShard(e.path(), e.operation(),
                       e.detail() + "; the shard is damaged and was set aside as " +
                           aside.filename().string() +
                           ": rerun with --resume to run its runs again");
  }
  fs::remove_all(parts());
}

}  // namespace interdep::sweep
