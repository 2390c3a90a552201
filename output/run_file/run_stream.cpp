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
                         bool with_digest)
    : spec_(spec),
      path_(path),
      meta_(meta),
      network_(spec.record.network ? std::optional<NetworkAnalyzer>(std::in_place, spec)
                                   : std::nullopt),
      writer_(path, spec, strings_of(term_names), meta, network_ ? &network_->layout() : nullptr) {
  if (with_digest) digest_.emplace(spec, term_names, network_ ? &network_->layout() : nullptr);
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
  writer_.append(window, measures);
  if (digest_) digest_->add(window, measures);
}

RecordedRun RunFileSink::finish(const EventLog& log, const std::vector<RunObservation>& observed) {
  writer_.finish(log, observed);
  if (!digest_) return RecordedRun{};
  RecordedRun run = std::move(*digest_).finish(path_, spec_, log, meta_);
  run.observations = observed;
  return run;
}

std::vector<char> RunFileSink::finish_image(const EventLog& log,
                                            const std::vector<RunObservation>& observed) {
  return writer_.finish_image(log, observed);
}

}  // namespace interdep
