// A subcommand of build/interdep (run, validate, ...) as data: its name, the line the top-level
// help gives it, its options and what it does. run_command (command.cpp) is the one place that
// parses a command's options, prints its --help and turns errors into messages and exit statuses,
// so that a command file holds only its own options and work.
#pragma once

#include <atomic>
#include <charconv>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

// GCC 12 sees a "potential null pointer dereference" in Boost's typed_value<T>::notify (it
// dereferences any_cast<T>, null only for a value of another type, which the parser never
// stores) in files small enough for it to inline std::string's assignment there; whether it
// does depends on the size of the file. The warning is off for Boost's code only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/program_options.hpp>
#pragma GCC diagnostic pop

namespace interdep::cli {

namespace po = boost::program_options;

// Exit statuses, as the top-level help states them.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInterrupted = 130;

// Bad input that is not a scenario error (those are interdep::InputError): a command line the
// program cannot act on, or a file that is not what the command needs. Printed as
// "interdep: <message>", exit status 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The options a command declares. -h/--help is declared for every command, first.
struct CommandOptions {
  po::options_description listed{"Options"};  // what `interdep <command> --help` lists
  po::options_description by_position;        // the arguments given by position: not listed
  po::positional_options_description positions;

  // The argument `name`, given by position `count` times (-1: any number of times).
  void add_positional(const char* name, const po::value_semantic* value, int count);
};

// What a command's run function is handed.
struct Invocation {
  const po::variables_map& options;  // parsed and notified
  const std::string& command_line;   // "interdep <command> ...": result files record it
  std::string_view usage;            // the command's usage text

  // A required argument is missing: throws a UsageError with the command's usage after `message`.
  [[noreturn]] void refuse_incomplete(const std::string& message) const;
};

struct Command {
  std::string_view name;      // interdep <name>
  std::string_view synopsis;  // its arguments in the top-level help, e.g. "[SCENARIO.toml]"
  std::string_view summary;   // its line in the top-level help
  std::string_view usage;     // heads `interdep <name> --help` and follows usage errors
  void (*declare_options)(CommandOptions& options);
  int (*run)(const Invocation& invocation);  // returns the exit status
};

// Parses `arguments` (those after the command name) for `command` and runs it, or prints its help
// for -h/--help. Returns the exit status: what the command returns; 2 for bad input (UsageError,
// interdep::InputError); 130 for an interrupted run; 1 for any other failure. Each error is
// printed on stderr.
int run_command(const Command& command, const std::vector<std::string>& arguments,
                const std::string& command_line);

// Prints "interdep: <message>" on stderr and returns the exit status of bad input (2).
int refuse_usage(std::string_view message);

// What an interrupted command has to save before it ends.
enum class OnInterrupt {
  discard_output,     // nothing: its output is not written (run, check)
  save_finished_work  // the work finished so far (a sweep's runs, a calibration's journal)
};
// From this call on, SIGINT (Ctrl-C), SIGTERM and SIGHUP (a closed terminal) set the returned
// flag instead of ending the process: runs and sweeps poll it, stop cleanly and exit with
// status 130. A signal ignored at start stays ignored (SIGHUP under nohup, SIGINT in a
// background job of a shell without job control). A second signal (half a second or more after
// the first: one request delivered twice, to the process and its group, is one) ends the
// command at once,
// and so does the first one kInterruptGraceSeconds later for a command that discards its output
// (its last window's write at deflate level 9 can take half a minute): its temporary files
// removed, the message "interrupted; no output was written", then `note` (how to go on), status
// 130 (h5::stop_on_interrupt). A later call changes the note and what is saved.
constexpr unsigned kInterruptGraceSeconds = 2;
const std::atomic<bool>& stop_on_interrupt(OnInterrupt on_interrupt, const std::string& note = "");

// The memory runs may use: --max-memory GIB where a command has it (a UsageError unless it is
// positive), else three quarters of this machine's memory (8 GiB if that cannot be read); bytes.
std::uint64_t memory_limit(const po::variables_map& options);

// A shipped scenario, `relative` to scenarios/: here (in a source tree), else where an installed
// interdep keeps it (PREFIX/share/interdep/scenarios, PREFIX found from this program's own path,
// so that an installation can move), else in the source tree it was built from.
std::filesystem::path shipped_scenario(const std::filesystem::path& relative);
// From this call on, the scenario loader refuses a world whose run would need more than
// `limit_bytes`, before allocating its dense arrays (engine/scenario/scenario_loader.hpp,
// WorldSizeCheck, with models/registry.hpp's estimate). main() sets the default limit; commands
// with --max-memory set theirs.
void limit_world_size(std::uint64_t limit_bytes);

// Refuses (UsageError: bad input, exit 2) a file a command is to write, given as `option` or
// by default, that is a directory or another file that is not a regular one (a FIFO, a device
// such as /dev/null, which the result would replace), a write-protected file, or lies in a
// folder that does not exist, that this user may not make files in or that is on a read-only
// file system (files::not_an_output_file): called before the work whose result it would hold,
// so that a long run is not lost at its final rename. A folder that refuses the file although
// access(2) allows it (/sys to root) is found when the file is created, first thing (exit 1:
// the system's reason), as is a full disk.
// An empty path names no file: refused as well.
void check_output_path(const std::filesystem::path& path, std::string_view option = "-o");

// The message of a std::system_error, saying what to do when it is a thread the system refused
// (std::thread's constructor: the process's limit on threads or memory is reached).
std::string system_error_text(const std::system_error& error);

// The collectives of a command's MPI ranks (unset: one process): a collective AND, and rank 0's
// value handed to every rank.
struct RankCollectives {
  int rank = 0;
  int ranks = 1;
  std::function<bool(bool)> all_agree;
  std::function<int(int)> from_rank0;
};

// Under mpirun, every rank reads its inputs and checks its outputs before the command's first
// collective, and may fail there alone (a file its node cannot read, a thread or memory its
// system refuses) or with the others (bad input). Agreed here, so that no rank waits in a
// collective another has left, and said once: rank 0's error when it has one (the others end
// with its status, silently), else each failing rank's own, and rank 0 says that another rank
// could not start `command`. Returns the status to end with, or nothing when every rank may go
// on. One process: `error` rethrown, if any.
std::optional<int> agree_on_setup(const RankCollectives& ranks, std::string_view command,
                                  const std::exception_ptr& error);
// The file -o names, or `fallback` when there is no -o (`-o ""` is refused before: it names no
// file). "-" is refused (a UsageError) unless `standard_output` (export's table).
std::filesystem::path output_or(const po::variables_map& options,
                                const std::filesystem::path& fallback,
                                bool standard_output = false);

// A seed is a whole number in [0, 2^64 - 1]; "-1" must not wrap around.
std::uint64_t parse_seed(const std::string& text);

// A whole-number option (a count, an index, threads), declared po::value<Whole<T>>() and read
// with whole<T>(). Boost converts "-3" to an unsigned type as 4294967293; this takes decimal
// digits only, within T, and refuses anything else naming the option (exit 2).
// [Least, Most] is the range the option takes (a count of 1 or more: --top 0 shows nothing), so
// that "-1" is told the option's own range, not "from 0" and then "at least 1".
template <class T, std::uint64_t Least = 0, std::uint64_t Most = std::numeric_limits<T>::max()>
struct Whole {
  static_assert(std::is_unsigned_v<T>);
  static_assert(Least <= Most && Most <= std::numeric_limits<T>::max());
  T value{};
};

// "the argument ('-3') for option '--jobs' is invalid: expected a whole number from 0 to ..."
struct NotAWholeNumber : po::invalid_option_value {
  NotAWholeNumber(const std::string& token, std::uint64_t least, std::uint64_t largest)
      : po::invalid_option_value(token) {
    m_error_template += ": expected a whole number from " + std::to_string(least) + " to " +
                        std::to_string(largest);
  }
};

// Boost's hook for parsing a Whole<T, Least, Most> (found by argument-dependent lookup).
template <class T, std::uint64_t Least, std::uint64_t Most>
void validate(boost::any& to, const std::vector<std::string>& tokens, Whole<T, Least, Most>*, int) {
  po::validators::check_first_occurrence(to);
  const std::string& token = po::validators::get_single_string(tokens);
  T value{};
  const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (token.empty() || error != std::errc() || end != token.data() + token.size() ||
      value < Least || value > Most)
    throw NotAWholeNumber(token, Least, Most);
  to = boost::any(Whole<T, Least, Most>{value});
}

template <class T, std::uint64_t Least = 0, std::uint64_t Most = std::numeric_limits<T>::max()>
T whole(const po::variables_map& options, const char* name) {
  return options[name].as<Whole<T, Least, Most>>().value;
}

// A number option (a share, a level, GiB), declared po::value<Real>() and read with real():
// Boost's own parse said "the argument ('abc') for option '--alpha' is invalid" and no more;
// this says what it takes, and refuses NaN and infinities, which no such option means.
struct Real {
  double value = 0.0;
};

// "the argument ('abc') for option '--alpha' is invalid: expected a finite number"
struct NotANumber : po::invalid_option_value {
  explicit NotANumber(const std::string& token) : po::invalid_option_value(token) {
    m_error_template += ": expected a finite number, such as 0.5, 2 or 1e-3";
  }
};

void validate(boost::any& to, const std::vector<std::string>& tokens, Real*, int);

inline double real(const po::variables_map& options, const char* name) {
  return options[name].as<Real>().value;
}

// A thread count given as `option` (-j), the same in every command: 0 stands for one thread a
// core; more than sweep::kMaxThreads (1024) is a UsageError; more than the machine's cores is
// done, with a note on standard error that the threads take turns.
unsigned checked_threads(unsigned threads, std::string_view option, bool quiet);
// `status`, or (when standard output refused what was written: a full disk, /dev/full) the
// failure's, said on standard error: what a command prints must have reached its reader.
int finish_standard_output(int status);
// Makes std::cout keep the reason (errno) of its first failed write for finish_standard_output:
// called once, first thing in main.
void keep_standard_output_errors();
// The -j option of every command, declared po::value<ThreadsOption>() and read with
// threads_option(): "-j -1" and "-j 5000" are told the range -j takes, 0 to 1024
// (sweep::kMaxThreads; command.cpp checks that they agree).
inline constexpr unsigned kMostThreadsOption = 1024;
using ThreadsOption = Whole<unsigned, 0, kMostThreadsOption>;
inline unsigned threads_option(const po::variables_map& options, const char* name) {
  // -q ("print only errors") silences the note on more threads than cores.
  return checked_threads(options[name].as<ThreadsOption>().value, "-j", options.count("quiet") > 0);
}

}  // namespace interdep::cli
