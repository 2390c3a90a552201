#include "tools/cli/command.hpp"

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <new>
#include <streambuf>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "engine/files/user_file.hpp"
#include "engine/run/simulation.hpp"
#include "engine/scenario/errors.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/sweep/runner.hpp"
#include "engine/text/control_chars.hpp"
#include "engine/text/text_format.hpp"
#include "models/registry.hpp"
#include "output/hdf5/read_fault.hpp"

namespace interdep::cli {
namespace {

// The string values of `name` in `values` (none, one, or a list).
std::vector<std::string> strings_of(const po::variables_map& values, const std::string& name) {
  if (!values.count(name)) return {};
  const boost::any& value = values[name].value();
  if (const auto* one = boost::any_cast<std::string>(&value)) return {*one};
  if (const auto* many = boost::any_cast<std::vector<std::string>>(&value)) return *many;
  return {};
}

// Refuses (exit 2) a file a command would write that is one it reads: writing it would replace
// its input (`run s.toml -o s.toml`, `report r.h5 -o r.h5`), or two outputs that are one file.
// Inputs: every positional argument, --from-sweep, --observed and --baseline (the files the
// commands read on the way are refused later too, once read: files::remember_inputs); outputs:
// the option -o (--output, or discover's --boxes; analyze's and discover's --output name a
// quantity) and --series.
void refuse_outputs_over_inputs(const CommandOptions& options, const po::variables_map& values) {
  // An empty path (a script's empty variable) names no file: said naming the argument, where
  // the reader's message named neither ("interdep: : open: is an empty path").
  for (const char* option : {"from-sweep", "observed", "baseline"})
    for (const std::string& file : strings_of(values, option))
      if (file.empty()) throw UsageError("--" + std::string(option) + " \"\" names no file");
  for (const auto& option : options.by_position.options())
    for (const std::string& file : strings_of(values, option->long_name()))
      if (file.empty())
        throw UsageError("an empty path was given for the " + option->long_name() +
                         " argument: it names no file");
  std::vector<std::string> inputs = strings_of(values, "from-sweep");
  for (const char* option : {"observed", "baseline"})  // score's figures, report's baseline run
    for (const std::string& file : strings_of(values, option)) inputs.push_back(file);
  for (const auto& option : options.by_position.options())
    for (const std::string& file : strings_of(values, option->long_name())) inputs.push_back(file);
  std::vector<std::pair<std::string, std::string>> outputs;  // (option, file)
  for (const auto& option : options.listed.options()) {
    const std::string name = option->long_name();
    const bool dash_o =
        option->canonical_display_name(po::command_line_style::allow_dash_for_short) == "-o";
    // Named as a user may have typed it: -o, with its long name where that is not --output.
    const std::string shown = !dash_o            ? "--" + name
                              : name == "output" ? "-o"
                                                 : "-o (--" + name + ")";
    if (dash_o || name == "series")
      for (const std::string& file : strings_of(values, name)) {
        // A script's empty variable: refused, not taken as the default output, which would
        // replace the default file (baseline.h5 ...) without a word.
        if (file.empty())
          throw UsageError(shown + " \"\" names no file: name one, or leave " + shown + " out" +
                           (name == "series" ? "" : " for the default"));
        outputs.emplace_back(shown, file);
      }
  }
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    const auto& [option, file] = outputs[k];
    for (const std::string& input : inputs)
      if (files::same_file(file, input))
        throw UsageError(option + " " + file + " is " + input +
                         ", which this command reads: name another file to write");
    for (std::size_t m = 0; m < k; ++m)
      if (files::same_file(file, outputs[m].second))
        throw UsageError(outputs[m].first + " and " + option + " name the same file (" + file +
                         ")");
  }
}

// The first argument by position beyond the `most` a command takes, for the message that refuses
// it: the arguments that are not options nor an option's value, in order.
std::string extra_argument_text(const std::vector<std::string>& arguments,
                                const po::options_description& all, unsigned most,
                                bool has_output) {
  std::vector<std::string> by_position;
  bool value_next = false;
  bool only_positions = false;  // after "--"
  for (const std::string& a : arguments) {
    if (value_next) {
      value_next = false;
      continue;
    }
    if (!only_positions && a == "--") {
      only_positions = true;
      continue;
    }
    if (!only_positions && a.size() > 1 && a[0] == '-') {
      // "--name value" or "-n value" takes the next argument; "--name=value" and "-nvalue" not.
      const bool is_long = a.rfind("--", 0) == 0;
      if (is_long && a.find('=') != std::string::npos) continue;
      if (!is_long && a.size() > 2) continue;
      const std::string name = is_long ? a.substr(2) : a.substr(0, 2);  // Boost: "-o"
      const po::option_description* d = all.find_nothrow(name, false, false, !is_long);
      value_next = d != nullptr && d->semantic()->max_tokens() > 0;
      continue;
    }
    by_position.push_back(a);
  }
  const std::string extra = by_position.size() > most ? by_position[most] : std::string();
  return "unexpected argument" + (extra.empty() ? std::string() : " '" + printable(extra) + "'") +
         ": the command takes " + std::to_string(most) + " argument" + (most == 1 ? "" : "s") +
         " by position" + (has_output ? " (an output is named with -o FILE)" : "");
}

// Parses the command line of `command` into `values`. Returns false, having printed the help,
// when -h/--help was given: then the other options are neither checked nor acted on.
bool parse(const Command& command, const std::vector<std::string>& arguments,
           po::variables_map& values) {
  CommandOptions options;
  options.listed.add_options()("help,h", "show this help");
  command.declare_options(options);
  po::options_description all;
  all.add(options.listed).add(options.by_position);
  try {
    // No guessing of a long option from its start (--out for --output): a prefix that matched
    // two named the hidden names of the arguments by position ("--s" is ambiguous: --scenario,
    // --set), and one that matched one took whatever option began so.
    const po::parsed_options parsed =
        po::command_line_parser(arguments)
            .options(all)
            .positional(options.positions)
            .style(po::command_line_style::default_style & ~po::command_line_style::allow_guessing)
            .run();
    // An argument by position is given by position: its internal name (--scenario, --file) is
    // no option of the command, and was taken as one.
    for (const po::option& o : parsed.options)
      if (o.position_key < 0 && options.by_position.find_nothrow(o.string_key, false) != nullptr)
        throw po::unknown_option("--" + o.string_key);
    po::store(parsed, values);
    if (values.count("help")) {
      std::cout << command.usage << "\n" << options.listed;
      return false;
    }
    po::notify(values);
  } catch (const po::too_many_positional_options_error&) {
    // Boost says "too many positional options have been specified on the command line" and not
    // which: the first argument by position beyond those the command takes is named.
    throw UsageError(extra_argument_text(arguments, all, options.positions.max_total_count(),
                                         options.listed.find_nothrow("output", false) != nullptr) +
                     "\n\n" + std::string(command.usage));
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + "\n\n" + std::string(command.usage));
  }
  refuse_outputs_over_inputs(options, values);
  return true;
}

}  // namespace

void CommandOptions::add_positional(const char* name, const po::value_semantic* value, int count) {
  by_position.add_options()(name, value);
  positions.add(name, count);
}

void Invocation::refuse_incomplete(const std::string& message) const {
  throw UsageError(message + "\n\n" + std::string(usage));
}

namespace {

// std::cout's writes, passed to C's stdout as the standard library's own synchronised buffer
// passes them (so that they keep their order with printf's), with the reason of the first that
// failed kept: a long account (compare, inspect --scenario) fails in its middle, and by the end
// of the command errno has moved on.
class StandardOutput : public std::streambuf {
 public:
  int first_error() const { return first_error_; }

 protected:
  int_type overflow(int_type ch) override {
    if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
    if (std::fputc(traits_type::to_char_type(ch), stdout) == EOF) return failed();
    return ch;
  }
  std::streamsize xsputn(const char* text, std::streamsize count) override {
    const std::size_t written = std::fwrite(text, 1, static_cast<std::size_t>(count), stdout);
    if (written != static_cast<std::size_t>(count)) (void)failed();
    return static_cast<std::streamsize>(written);
  }
  int sync() override { return std::fflush(stdout) == 0 ? 0 : (failed(), -1); }

 private:
  int_type failed() {
    if (first_error_ == 0) first_error_ = errno;
    return traits_type::eof();
  }
  int first_error_ = 0;
};

// Never destroyed: std::cout is flushed at exit, after every static object is gone.
StandardOutput& standard_output() {
  static StandardOutput* const output = new StandardOutput;
  return *output;
}

}  // namespace

void keep_standard_output_errors() { std::cout.rdbuf(&standard_output()); }

// What a command printed reached its standard output, or the command failed: a summary, a
// scenario (`inspect --scenario > rerun.toml`) or an account cut short by a full disk or a file
// size limit must not end with status 0.
int finish_standard_output(int status) {
  errno = 0;
  std::cout.flush();
  // printf's writes (analyze's tables) leave their failure in stdout's error flag.
  if (std::cout && std::fflush(stdout) == 0 && std::ferror(stdout) == 0) return status;
  const int error = standard_output().first_error() != 0 ? standard_output().first_error() : errno;
  std::cerr << ("interdep: error: standard output refused what the command wrote" +
                (error != 0 ? ": " + files::write_failure(error) : std::string()) +
                "; it is incomplete\n");
  return status == kExitOk ? kExitFailure : status;
}

int run_command(const Command& command, const std::vector<std::string>& arguments,
                const std::string& command_line) {
  // The command has ended by itself, interrupted or not: the interruption's deadline is off.
  struct Ended {
    ~Ended() { h5::interrupt_handled(); }
  } ended;
  try {
    po::variables_map values;
    if (!parse(command, arguments, values)) return finish_standard_output(kExitOk);
    return finish_standard_output(command.run(Invocation{values, command_line, command.usage}));
  } catch (const UsageError& e) {
    return refuse_usage(e.what());
  } catch (const InputError& e) {
    // One write per message, so that the lines of MPI ranks do not interleave.
    // Messages quote what the user wrote (a key, a value, a path): printable, so that control
    // characters in them are shown, not acted on by the terminal.
    std::cerr << (printable(e.what()) + "\n");  // it names file, line, column and key itself
    return kExitBadInput;
  } catch (const RunCancelled&) {
    std::cerr << "interdep: interrupted; no output was written\n";
    return kExitInterrupted;
  } catch (const std::bad_alloc&) {
    // Not bad input: the same command runs where more memory is allowed. What it was writing
    // is still a temporary, removed on the way out (or by the next command writing there).
    std::cerr << "interdep: error: out of memory: the command needed more than this process may "
                 "have (its limit, `ulimit -v`, or the machine's free memory); its output was not "
                 "written\n";
    return kExitFailure;
  } catch (const std::system_error& e) {
    std::cerr << ("interdep: error: " + system_error_text(e) + "\n");
    return kExitFailure;
  } catch (const std::exception& e) {
    std::cerr << ("interdep: error: " + printable(e.what()) + "\n");
    return kExitFailure;
  }
}

std::string system_error_text(const std::system_error& error) {
  // std::thread's constructor: the process may not start another thread (or map its stack).
  const bool no_thread = error.code() == std::errc::resource_unavailable_try_again;
  return printable(error.what()) +
         (no_thread ? " (a thread could not be started: the process's limit on threads, "
                      "`ulimit -u`, or on memory, `ulimit -v`, is reached)"
                    : "");
}

namespace {

// The exit status an error ends a command with (as run_command gives it).
int status_of(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const UsageError&) {
    return kExitBadInput;
  } catch (const InputError&) {
    return kExitBadInput;
  } catch (const RunCancelled&) {
    return kExitInterrupted;
  } catch (...) {
    return kExitFailure;
  }
}

}  // namespace

std::optional<int> agree_on_setup(const RankCollectives& ranks, std::string_view command,
                                  const std::exception_ptr& error) {
  if (ranks.ranks <= 1 || !ranks.all_agree || !ranks.from_rank0) {
    if (error) std::rethrow_exception(error);
    return std::nullopt;
  }
  const int mine = error ? status_of(error) : kExitOk;
  const bool all_ok = ranks.all_agree(mine == kExitOk);
  const bool no_bad_input = ranks.all_agree(mine != kExitBadInput);
  const int rank0 = ranks.from_rank0(mine);
  if (all_ok) return std::nullopt;
  if (error && (ranks.rank == 0 || rank0 == kExitOk)) std::rethrow_exception(error);
  if (rank0 != kExitOk) return rank0;  // rank 0 said it
  if (ranks.rank == 0)
    std::cerr << ("interdep: error: another rank could not start the " + std::string(command) +
                  " (its message says why); no rank ran any of it\n");
  return no_bad_input ? kExitFailure : kExitBadInput;  // every rank ends with the same status
}

namespace {
// "-" for a result file: standard output is where `interdep export` alone writes (its CSV); the
// others made a file named "-" (run, sweep, report, lab) or mixed a CSV into their account on
// standard output (score, discover, check).
void refuse_standard_output(const std::filesystem::path& path, std::string_view option) {
  if (path == "-")
    throw UsageError(std::string(option) +
                     " -: this command writes a file, not to standard output: name a file "
                     "(interdep export alone writes its table to standard output, with -o -)");
}
}  // namespace

void check_output_path(const std::filesystem::path& path, std::string_view option) {
  refuse_standard_output(path, option);
  if (const std::string why = files::not_an_output_file(path); !why.empty())
    throw UsageError(std::string(option) + " " + (path.empty() ? "\"\"" : path.string()) + " " +
                     why);
}

std::filesystem::path output_or(const po::variables_map& options,
                                const std::filesystem::path& fallback, bool standard_output) {
  if (!options.count("output")) return fallback;
  const std::string& given = options["output"].as<std::string>();
  assert(!given.empty());  // refused as naming no file (refuse_outputs_over_inputs)
  if (!standard_output) refuse_standard_output(given, "-o");
  return given;
}

std::filesystem::path shipped_scenario(const std::filesystem::path& relative) {
  namespace fs = std::filesystem;
  const fs::path local = fs::path("scenarios") / relative;
  if (fs::exists(local)) return local;
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed =
        self.parent_path().parent_path() / "share" / "interdep" / "scenarios" / relative;
    if (fs::exists(installed, ec)) return installed;
  }
  return fs::path(INTERDEP_SOURCE_DIR) / "scenarios" / relative;
}

int refuse_usage(std::string_view message) {
  std::cerr << "interdep: " << printable(message) << "\n";
  return kExitBadInput;
}

const std::atomic<bool>& stop_on_interrupt(OnInterrupt on_interrupt, const std::string& note) {
  h5::set_interrupted_note(note);
  return h5::stop_on_interrupt(on_interrupt == OnInterrupt::discard_output ? kInterruptGraceSeconds
                                                                           : 0);
}

std::uint64_t memory_limit(const po::variables_map& options) {
  if (options.count("max-memory")) {
    const double gib = real(options, "max-memory");
    // 1e9 GiB (an exabyte) bounds the bytes well inside 64 bits; below a MiB nothing runs (and
    // 1e-300 was taken, then reported as a limit of 0 GiB).
    if (!(gib >= 0.001) || gib > 1e9)
      throw UsageError("--max-memory takes a number of GiB from 0.001 (a MiB) to 1e9, got " +
                       shortest_number(gib));
    return static_cast<std::uint64_t>(gib * static_cast<double>(1ull << 30));
  }
  return default_memory_limit();
}

void limit_world_size(std::uint64_t limit_bytes) {
  set_world_size_check(WorldSizeCheck{limit_bytes, world_run_bytes});
}

void validate(boost::any& to, const std::vector<std::string>& tokens, Real*, int) {
  po::validators::check_first_occurrence(to);
  const std::string& token = po::validators::get_single_string(tokens);
  // A sign written for a positive number (+0.5) reads as the number, as it did.
  const char* first = token.data() + (token.size() > 1 && token[0] == '+' && token[1] != '-');
  double value = 0.0;
  const auto [end, error] = std::from_chars(first, token.data() + token.size(), value);
  if (token.empty() || error != std::errc() || end != token.data() + token.size() ||
      !std::isfinite(value))
    throw NotANumber(token);
  to = boost::any(Real{value});
}

std::uint64_t parse_seed(const std::string& text) {
  std::uint64_t seed = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seed);
  if (error != std::errc() || end != text.data() + text.size())
    throw UsageError("--seed takes a whole number from 0 to 18446744073709551615, got '" + text +
                     "'");
  return seed;
}

static_assert(kMostThreadsOption == sweep::kMaxThreads);

unsigned checked_threads(unsigned threads, std::string_view option, bool quiet) {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  if (threads == 0) return std::min(cores, sweep::kMaxThreads);
  if (threads > sweep::kMaxThreads)
    throw UsageError(std::string(option) + " " + std::to_string(threads) + ": at most " +
                     std::to_string(sweep::kMaxThreads) + " threads (this machine has " +
                     std::to_string(cores) + " cores)");
  if (threads > cores && !quiet)
    std::cerr << "interdep: note: " << option << " " << threads << " is more threads than this "
              << "machine's " << counted(cores, "core") << ": they take turns on them\n";
  return threads;
}

}  // namespace interdep::cli
