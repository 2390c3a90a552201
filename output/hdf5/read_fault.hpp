// Damaged HDF5 files that make the library fault. HDF5 1.10 trusts some of a file's internal
// fields when it reads: a global-heap object (where variable-length strings live) whose size is
// corrupted makes H5HG_read copy past the end of its collection, a segmentation fault inside the
// library rather than an error it returns (the HDF5 CVEs of 2018-2021 are of this kind; later
// releases check more). A command-line program calls exit_on_read_fault() once: a fault on a
// thread that has a file open for reading then ends the process as bad input does: it names the
// file ("damaged: the HDF5 library faulted reading it"), removes the temporary files of outputs
// not yet renamed into place, and exits 2. Any other fault keeps its default action (a crash and
// its core dump: a bug, not bad input). A library (the Python module) installs nothing.
//
// A command-line program also calls remove_temporaries_on_termination(): SIGINT, SIGTERM, SIGHUP
// or SIGPIPE (a write to a pipe whose reader has ended) then removes those temporary files
// before the process ends as the signal would have ended it. Commands that stop by themselves
// on an interrupt, as run and sweep, call stop_on_interrupt() instead for the first three: they
// stop at their next step and remove their temporaries as they unwind, and a deadline ends the
// process as above if they have not within a few seconds (a write under way, which HDF5 cannot
// abandon, may take longer at a high deflate level).
//
// The files open for reading and the temporary files are noted in fixed tables that the signal
// handler reads without locks or allocation (async-signal-safe); a table that is full notes no
// more (the fault is then reported as it would have been without the table).
#pragma once

#include <hdf5.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace interdep::h5 {

// Installs the handlers of SIGSEGV, SIGBUS and SIGABRT (glibc's abort on a heap HDF5 damaged;
// on an alternate stack: a fault may be a stack overflow) and of SIGALRM (ReadDeadline's
// timer). Once per process; later calls do nothing.
void exit_on_read_fault();

// Installs the handlers of SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT, SIGUSR1, SIGUSR2, SIGXCPU,
// SIGVTALRM and SIGPROF (each unless it is ignored, as nohup ignores SIGHUP): the noted
// temporary files removed, then the signal's default action.
// Once per process; later calls do nothing. A command that stops by itself on an interrupt
// replaces the first three.
void remove_temporaries_on_termination();

// From this call on, SIGINT (Ctrl-C), SIGTERM and SIGHUP (a closed terminal) set the returned
// flag instead of ending the process at once, each unless it was ignored when the program
// started (nohup's SIGHUP). A process that receives a second such signal (half a second or more
// after the first: timeout(1) and batch systems deliver one request to the process and to its
// group, as two signals at once), or (with
// `grace_seconds` above 0) has not ended or called interrupt_handled() that long after the first,
// is ended as remove_temporaries_on_termination's handler ends it: its noted temporary files
// removed, the message "interrupted; no output was written" and the note of
// set_interrupted_note, status 130. The first call installs; every call sets the grace and
// returns the same flag.
const std::atomic<bool>& stop_on_interrupt(unsigned grace_seconds);
// The command has stopped by itself after an interruption and reported it: no deadline ends it.
void interrupt_handled();
// While alive, a signal that would end the process (those above, the deadline's end included)
// waits: a command that writes several outputs renames them into place inside one, so that an
// interruption leaves all of them or none (`export --series`, calibrate's tables). If one came,
// the last section to end says "interrupted while its outputs were put in place: they are
// complete" and ends the process with status 130 (128 + the signal's number for a signal other
// than SIGINT, SIGTERM and SIGHUP). Sections nest; the thread that opens one closes it.
class CommitSection {
 public:
  CommitSection();
  ~CommitSection();
  CommitSection(const CommitSection&) = delete;
  CommitSection& operator=(const CommitSection&) = delete;
};

// A line printed after the message when the deadline or a second signal ends the process (how
// to go on: "finished runs are kept in …, rerun with --resume"); "" for none. Set before the
// work starts; a longer text than 4 KiB is cut.
void set_interrupted_note(const std::string& note);

// `id`, opened for reading by this thread, is `file` (open_file notes its read-only opens).
void note_reading(hid_t id, const std::filesystem::path& file);
void forget_reading(hid_t id);
// H5Fclose, after forget_reading: the closer of a file open_file opened for reading.
herr_t close_read_file(hid_t id);

// While alive, a read that has not ended after `seconds` ends the process as a fault does ("did
// not finish reading it"): HDF5 1.10 also loops forever on some damaged global heaps. For reads
// whose time does not grow with the data (read_strings: names, attributes, messages). Only with
// exit_on_read_fault installed; one at a time (a nested one is inert).
class ReadDeadline {
 public:
  explicit ReadDeadline(unsigned seconds);
  ~ReadDeadline();
  ReadDeadline(const ReadDeadline&) = delete;
  ReadDeadline& operator=(const ReadDeadline&) = delete;

 private:
  bool armed_ = false;
};

// A temporary file to remove if the process ends on a read fault or a signal of termination
// (ReplacingFile notes its own).
void note_temporary(const std::filesystem::path& file);
void forget_temporary(const std::filesystem::path& file);

}  // namespace interdep::h5
