// A streamed run's frames to their destinations: the run file (RunFileWriter), the network
// measures of each window (NetworkAnalyzer, when [output] network is on) and, when asked, the
// digest `interdep run` prints its summary from (RunDigest). Memory stays that of a window and a
// few frames, whatever the run's length (docs/performance.md, "Streaming").
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/network/network_record.hpp"
#include "engine/run/event_log.hpp"
#include "engine/run/frame_sink.hpp"
#include "engine/run/handoff_thread.hpp"
#include "engine/run/recorded_run.hpp"
#include "engine/scenario/spec.hpp"
#include "output/run_file/run_content.hpp"
#include "output/run_file/run_writer.hpp"

namespace interdep {

class RunFileSink final : public FrameSink {
 public:
  // Opens the file (see RunFileWriter); `term_names`: the model's decision terms. With
  // `write_alongside` (and network analysis on), a window is written on a thread of its own while
  // the next one is analysed: the two largest parts of a large world's recording overlap
  // (docs/performance.md, "Analysing and writing side by side"). The file is the same.
  RunFileSink(const std::filesystem::path& path, const ScenarioSpec& spec,
              std::span<const std::string_view> term_names, const RunMetadata& meta,
              bool with_digest, bool write_alongside = false);

  // The same file made in memory only (RunFileWriter::InMemory): finish_image gives its bytes.
  RunFileSink(RunFileWriter::InMemory, const std::string& name, const ScenarioSpec& spec,
              std::span<const std::string_view> term_names, const RunMetadata& meta);

  // Analyses the window, then writes it (or hands it to the writing thread). Rethrows what the
  // writing thread threw for an earlier window.
  void take(const Trajectory& window) override;

  // Writes the events and the observed figures (see RunFileWriter::finish), closes the file and
  // renames it onto its path; returns the digest (an empty RecordedRun without one).
  RecordedRun finish(const EventLog& log, const std::vector<RunObservation>& observed = {});
  // For a file in memory: the same ending, and the file's bytes.
  std::vector<char> finish_image(const EventLog& log,
                                 const std::vector<RunObservation>& observed = {});

 private:
  const ScenarioSpec& spec_;
  std::filesystem::path path_;
  RunMetadata meta_;
  std::optional<NetworkAnalyzer> network_;
  RunFileWriter writer_;
  std::optional<RunDigest> digest_;

  // A window and its measures, as the writing thread takes them.
  struct AnalysedWindow {
    std::optional<Trajectory> window;
    NetworkRecord measures;
  };
  void write(const Trajectory& window, const NetworkRecord* measures);
  // Last: the thread uses everything above, and is joined before any of it is destroyed.
  std::optional<HandoffThread<AnalysedWindow>> writing_;
};

}  // namespace interdep
