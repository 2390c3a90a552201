#include "output/run_file/run_stream.hpp"

#include <string>
#include <utility>
#include <vector>

namespace interdep {
namespace {

std::vector<std::string> strings_of(std::span<const std::string_view> names) {
  return {names.begin(), names.end()};
}

}  // namespace

RunFileSink::RunFileSink(const std::filesystem::path& path, const ScenarioSpec& spec,
                         std::span<const std::string_view> term_names, const RunMetadata& meta,
                         bool with_digest, bool write_alongside)
    : spec_(spec),
      path_(path),
      meta_(meta),
      network_(spec.record.network ? std::optional<NetworkAnalyzer>(std::in_place, spec)
                                   : std::nullopt),
      writer_(path, spec, strings_of(term_names), meta, network_ ? &network_->layout() : nullptr) {
  if (with_digest) digest_.emplace(spec, term_names, network_ ? &network_->layout() : nullptr);
  if (write_alongside && network_)
    writing_.emplace([this](AnalysedWindow& a) { write(*a.window, &a.measures); });
}

RunFileSink::RunFileSink(RunFileWriter::InMemory, const std::string& name, const ScenarioSpec& spec,
                         std::span<const std::string_view> term_names, const RunMetadata& meta)
    : spec_(spec),
      path_(name),
      meta_(meta),
      network_(spec.record.network ? std::optional<NetworkAnalyzer>(std::in_place, spec)
                                   : std::nullopt),
      writer_(RunFileWriter::InMemory{}, name, spec, strings_of(term_names), meta,
              network_ ? &network_->layout() : nullptr) {}

void RunFileSink::take(const Trajectory& window) {
  const NetworkRecord* measures = network_ ? &network_->analyze(window) : nullptr;
  if (!writing_) {
    write(window, measures);
    return;
  }
  writing_->hand([&](std::optional<AnalysedWindow>& slot) {
    // Assigning into the same shapes reuses the buffers: no allocation after the first two.
    if (!slot) slot.emplace();
    if (slot->window)
      *slot->window = window;
    else
      slot->window.emplace(window);
    slot->measures = *measures;
  });
}

void RunFileSink::write(const Trajectory& window, const NetworkRecord* measures) {
  writer_.append(window, measures);
  if (digest_) digest_->add(window, measures);
}

RecordedRun RunFileSink::finish(const EventLog& log, const std::vector<RunObservation>& observed) {
  if (writing_) writing_->wait();  // every window written; rethrows the thread's failure
  writer_.finish(log, observed);
  if (!digest_) return RecordedRun{};
  RecordedRun run = std::move(*digest_).finish(path_, spec_, log, meta_);
  run.observations = observed;
  return run;
}

std::vector<char> RunFileSink::finish_image(const EventLog& log,
                                            const std::vector<RunObservation>& observed) {
  if (writing_) writing_->wait();
  return writer_.finish_image(log, observed);
}

}  // namespace interdep
