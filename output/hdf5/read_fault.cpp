#include "output/hdf5/read_fault.hpp"

#include <semaphore.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <mutex>
#include <string>
#include <thread>

namespace interdep::h5 {
namespace {

constexpr std::size_t kSlots = 16;          // files noted at once, of each kind
constexpr std::size_t kPathBytes = 4096;    // PATH_MAX: a longer path is cut in the message
constexpr std::size_t kAltStack = 1 << 16;  // bytes of the handler's own stack

// A slot is claimed by the thread that fills it (state: 0 free, 1 being filled, 2 noted) and read
// by the handler only when noted.
struct Slot {
  std::atomic<int> state{0};
  hid_t id = -1;
  pid_t thread = 0;
  std::array<char, kPathBytes> path{};
};
std::array<Slot, kSlots> reading_slots;
std::array<Slot, kSlots> temporary_slots;

pid_t this_thread() { return static_cast<pid_t>(::syscall(SYS_gettid)); }

void fill(std::array<Slot, kSlots>& slots, hid_t id, const std::filesystem::path& file) {
  for (Slot& slot : slots) {
    int expected = 0;
    if (!slot.state.compare_exchange_strong(expected, 1)) continue;
    slot.id = id;
    slot.thread = this_thread();
    const std::string& text = file.native();
    const std::size_t n = std::min(text.size(), kPathBytes - 1);
    std::memcpy(slot.path.data(), text.data(), n);
    slot.path[n] = '\0';
    slot.state.store(2);
    return;
  }
}

template <class Match>
void release(std::array<Slot, kSlots>& slots, Match match) {
  for (Slot& slot : slots)
    if (slot.state.load() == 2 && match(slot)) {
      slot.state.store(0);
      return;
    }
}

void say(const char* text) {
  std::size_t left = std::strlen(text);
  while (left > 0) {
    const ssize_t n = ::write(STDERR_FILENO, text, left);
    if (n <= 0) return;
    text += n;
    left -= static_cast<std::size_t>(n);
  }
}

std::atomic<bool> installed{false};
std::atomic<bool> deadline_armed{false};

// stop_on_interrupt's state: the flag the commands poll, the signals received, the deadline's
// wake-up (sem_post is async-signal-safe), and the note printed when the process is ended.
std::atomic<bool> interrupt_flag{false};
std::atomic<int> interrupts{0};
std::atomic<bool> interrupt_handled_flag{false};
std::atomic<unsigned> interrupt_grace{0};  // seconds; 0: no deadline
sem_t interrupt_wakeup;
std::array<char, 4096> interrupted_note{};
std::atomic<bool> interrupted_note_set{false};

// Names the files `thread` reads (every thread's with 0), removes the temporary files and ends
// the process as bad input does. Async-signal-safe: reads the tables, write(2), unlink(2).
[[noreturn]] void exit_damaged(pid_t thread, const char* what) {
  bool named = false;
  for (const Slot& slot : reading_slots) {
    if (slot.state.load() != 2 || (thread != 0 && slot.thread != thread)) continue;
    say("interdep: ");
    say(slot.path.data());
    say(": damaged: the HDF5 library ");
    say(what);
    say(" (a corrupted or truncated file)\n");
    named = true;
  }
  if (!named) {  // a file opened for writing too, whose strings were being read
    say("interdep: a result file is damaged: the HDF5 library ");
    say(what);
    say("\n");
  }
  for (const Slot& slot : temporary_slots)
    if (slot.state.load() == 2) ::unlink(slot.path.data());
  ::_exit(2);
}

void on_fault(int signal_number, siginfo_t*, void*) {
  const pid_t thread = this_thread();
  bool reading = false;
  for (const Slot& slot : reading_slots)
    reading = reading || (slot.state.load() == 2 && slot.thread == thread);
  if (!reading) {
    // Not inside a read: a crash (a defect; or the HDF5 library's allocator, which faults when
    // memory runs out). What the outputs' temporaries hold is not left behind, and the process
    // says so; then the default action, when the fault happens again.
    for (const Slot& slot : temporary_slots)
      if (slot.state.load() == 2) ::unlink(slot.path.data());
    say(signal_number == SIGSEGV  ? "interdep: error: crashed (segmentation fault"
        : signal_number == SIGBUS ? "interdep: error: crashed (bus error"
                                  : "interdep: error: crashed (aborted");
    say("; a defect, or the HDF5 library out of memory); no output was written\n");
    ::signal(signal_number, SIG_DFL);
    return;
  }
  exit_damaged(thread, "faulted reading it");
}

// CommitSection's state: how many are open, and the signal that came while one was (0: none).
std::atomic<int> commit_sections{0};
std::atomic<int> deferred_signal{0};

// Whether the signal must wait for the open commit sections (noted as the one to act on).
bool deferred(int signal_number) {
  if (commit_sections.load() == 0) return false;
  int none = 0;
  deferred_signal.compare_exchange_strong(none, signal_number);
  return true;
}

// An interruption's end: the noted temporary files removed, the message and the note, status
// 130. Async-signal-safe (unlink(2), write(2), _exit(2)).
[[noreturn]] void end_interrupted_now();
void end_interrupted() {
  if (deferred(SIGINT)) return;
  end_interrupted_now();
}
[[noreturn]] void end_interrupted_now() {
  for (const Slot& slot : temporary_slots)
    if (slot.state.load() == 2) ::unlink(slot.path.data());
  say("interdep: interrupted; no output was written\n");
  if (interrupted_note_set.load()) say(interrupted_note.data());
  ::_exit(130);
}

// SIGINT, SIGTERM or SIGHUP in a command that does not stop by itself (or before it starts to
// listen), SIGQUIT, SIGUSR1, SIGUSR2, SIGXCPU or a profiling timer in any, or SIGPIPE in any (its
// output read by a program that has ended: `interdep ... | head`): the temporary files of
// outputs not yet renamed into place removed. An interruption (SIGINT, SIGTERM, SIGHUP) then
// ends the process as the commands that stop by themselves do: the same message, status 130.
// The others take the signal's own action (the process ends as it would have, its status 128 +
// the signal's number). Async-signal-safe: unlink(2), write(2), _exit(2), signal(2), raise(3);
// the signal stays blocked until the handler returns, then ends the process.
void on_termination(int signal_number) {
  if (deferred(signal_number)) return;
  if (signal_number == SIGINT || signal_number == SIGTERM || signal_number == SIGHUP)
    end_interrupted_now();
  for (const Slot& slot : temporary_slots)
    if (slot.state.load() == 2) ::unlink(slot.path.data());
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

// The time of the first interruption (CLOCK_MONOTONIC, ns; 0: none yet), and how soon after it
// another is the same one delivered twice: timeout(1), a shell's job control and batch systems
// signal both the process and its process group, so one request can arrive as two signals
// microseconds apart. A person's second Ctrl-C comes later than this.
std::atomic<std::int64_t> first_interrupt_ns{0};
constexpr std::int64_t kSameInterruptNs = 500'000'000;  // 0.5 s

std::int64_t monotonic_ns() {  // clock_gettime(2) is async-signal-safe
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// SIGINT, SIGTERM or SIGHUP in a command that stops by itself: the first asks it to stop and
// starts the deadline; a second, at least kSameInterruptNs later, ends the process now (a sweep
// then keeps the runs it had stored, not those finished since).
void on_interrupt(int) {
  interrupt_flag.store(true);
  const std::int64_t now = monotonic_ns();
  std::int64_t none = 0;
  first_interrupt_ns.compare_exchange_strong(none, now);
  if (interrupts.fetch_add(1) == 0) {
    ::sem_post(&interrupt_wakeup);
    return;
  }
  if (now - first_interrupt_ns.load() < kSameInterruptNs) return;  // the first, delivered twice
  end_interrupted();
}

// The deadline's thread: waits for the first interruption, then the grace for the command to end
// by itself (or to say it has), then ends the process.
void watch_interrupts() {
  while (::sem_wait(&interrupt_wakeup) != 0) {}
  const unsigned grace_seconds = interrupt_grace.load();
  if (grace_seconds == 0) return;
  timespec deadline{};
  ::clock_gettime(CLOCK_MONOTONIC, &deadline);
  deadline.tv_sec += static_cast<time_t>(grace_seconds);
  while (::sem_clockwait(&interrupt_wakeup, CLOCK_MONOTONIC, &deadline) != 0 && errno == EINTR) {}
  if (interrupt_handled_flag.load()) return;
  end_interrupted();
}

void on_alarm(int) {
  if (deadline_armed.load()) exit_damaged(0, "did not finish reading it");
}

void set_timer(unsigned seconds) {
  itimerval timer{};
  timer.it_value.tv_sec = seconds;
  ::setitimer(ITIMER_REAL, &timer, nullptr);
}

}  // namespace

void exit_on_read_fault() {
  static std::once_flag once;
  std::call_once(once, [] {
    static std::array<char, kAltStack> stack;
    stack_t alternate{};
    alternate.ss_sp = stack.data();
    alternate.ss_size = stack.size();
    ::sigaltstack(&alternate, nullptr);
    struct sigaction action {};
    action.sa_sigaction = on_fault;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    ::sigemptyset(&action.sa_mask);
    ::sigaction(SIGSEGV, &action, nullptr);
    ::sigaction(SIGBUS, &action, nullptr);
    // glibc aborts when HDF5 frees memory a damaged file made it overwrite.
    ::sigaction(SIGABRT, &action, nullptr);
    struct sigaction alarm {};
    alarm.sa_handler = on_alarm;
    ::sigemptyset(&alarm.sa_mask);
    ::sigaction(SIGALRM, &alarm, nullptr);
    installed.store(true);
  });
}

void remove_temporaries_on_termination() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Every signal whose default action ends the process and that a user or a batch system
    // sends (SIGQUIT: Ctrl-\\; SIGUSR1/2 and SIGXCPU: cluster schedulers before a kill; the
    // profiling timers), but SIGALRM, which the read deadline uses.
    for (const int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT, SIGUSR1, SIGUSR2,
                                    SIGXCPU, SIGVTALRM, SIGPROF}) {
      struct sigaction current {};
      ::sigaction(signal_number, nullptr, &current);
      if (current.sa_handler == SIG_IGN) continue;  // nohup's SIGHUP, a script's background job
      struct sigaction action {};
      action.sa_handler = on_termination;
      ::sigemptyset(&action.sa_mask);
      ::sigaction(signal_number, &action, nullptr);
    }
  });
}

const std::atomic<bool>& stop_on_interrupt(unsigned grace_seconds) {
  interrupt_grace.store(grace_seconds);
  static std::once_flag once;
  std::call_once(once, [] {
    ::sem_init(&interrupt_wakeup, 0, 0);
    std::thread(watch_interrupts).detach();
    for (const int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction current {};
      ::sigaction(signal_number, nullptr, &current);
      if (current.sa_handler == SIG_IGN) continue;  // nohup's SIGHUP, a script's background job
      struct sigaction action {};
      action.sa_handler = on_interrupt;
      action.sa_flags = SA_RESTART;  // as signal(3): reads and writes under way go on
      ::sigemptyset(&action.sa_mask);
      ::sigaction(signal_number, &action, nullptr);
    }
  });
  return interrupt_flag;
}

void interrupt_handled() { interrupt_handled_flag.store(true); }

CommitSection::CommitSection() { commit_sections.fetch_add(1); }

CommitSection::~CommitSection() {
  if (commit_sections.fetch_sub(1) != 1) return;
  const int signal_number = deferred_signal.exchange(0);
  if (signal_number == 0) return;
  say("interdep: interrupted while its outputs were put in place: they are complete\n");
  if (signal_number == SIGINT || signal_number == SIGTERM || signal_number == SIGHUP) ::_exit(130);
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

void set_interrupted_note(const std::string& note) {
  interrupted_note_set.store(false);
  std::string line = note;
  if (!line.empty() && line.back() != '\n') line += '\n';
  line.resize(std::min(line.size(), interrupted_note.size() - 1));
  std::memcpy(interrupted_note.data(), line.data(), line.size());
  interrupted_note[line.size()] = '\0';
  interrupted_note_set.store(!line.empty());
}

ReadDeadline::ReadDeadline(unsigned seconds) {
  bool expected = false;
  if (!installed.load() || !deadline_armed.compare_exchange_strong(expected, true)) return;
  armed_ = true;
  set_timer(seconds);
}

ReadDeadline::~ReadDeadline() {
  if (!armed_) return;
  set_timer(0);
  deadline_armed.store(false);
}

void note_reading(hid_t id, const std::filesystem::path& file) { fill(reading_slots, id, file); }

void forget_reading(hid_t id) {
  release(reading_slots, [id](const Slot& slot) { return slot.id == id; });
}

herr_t close_read_file(hid_t id) {
  const herr_t status = H5Fclose(id);  // a close may read too
  forget_reading(id);
  return status;
}

void note_temporary(const std::filesystem::path& file) { fill(temporary_slots, -1, file); }

void forget_temporary(const std::filesystem::path& file) {
  release(temporary_slots, [&](const Slot& slot) {
    return std::strncmp(slot.path.data(), file.c_str(), kPathBytes - 1) == 0;
  });
}

}  // namespace interdep::h5
