// The HDF5 toolkit of the output layer (output/hdf5): attributes, datasets, dimension scales and
// groups written and read back, and the errors that name the file and the operation.
#include <hdf5.h>
#include <hdf5_hl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <span>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "engine/files/user_file.hpp"
#include "output/hdf5/attributes.hpp"
#include "output/hdf5/datasets.hpp"
#include "output/hdf5/hdf5_handle.hpp"
#include "output/hdf5/read_fault.hpp"
#include "tests/temp_dir.hpp"

using namespace interdep;
namespace fs = std::filesystem;

namespace {

// The OutputError's message of a call that must throw one.
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const OutputError& e) {
    return e.what();
  }
  FAIL("no OutputError");
  return "";
}

}  // namespace

TEST_CASE("the HDF5 toolkit writes and reads back attributes, datasets, scales and groups",
          "[output][hdf5]") {
  test::TempDir dir;
  const fs::path path = dir.path() / "t.h5";
  const h5::ErrorSilencer silence;
  const std::vector<double> values = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  {
    h5::Handle file = h5::create_file(path, path);
    const h5::Handle root = h5::root_group(file.get(), path);
    const hid_t r = root.get();
    h5::write_number_attribute<double>(r, "x", 1.5, path);
    h5::write_numbers_attribute<std::int32_t>(r, "ns", {1, 2, 3}, path);
    h5::write_string_attribute(r, "s", "first", path);
    h5::write_string_attribute(r, "s", "second", path);  // replaces
    h5::write_strings_attribute(r, "ss", {"a", ""}, path);

    const h5::Dataset time =
        h5::number_dataset<double>(r, "time", {2025, 2026, 2027}, {"year", "time"}, path);
    h5::make_scale(time, "time", path);
    const std::vector<hsize_t> shape = {3, 2, 2};
    const std::vector<hsize_t> chunk = h5::row_chunk(shape, sizeof(double), 16);
    CHECK(chunk == std::vector<hsize_t>{1, 1, 2});  // a row of 32 bytes halved to 16
    CHECK(h5::row_chunk({4, 0}, sizeof(double), 16).empty());
    const h5::Dataset v = h5::create_dataset(r, "v", h5::Types<double>::file(), shape, chunk, 4,
                                             {"1", "values"}, path);
    CHECK_THAT(error_of([&] { h5::write_all(v, std::vector<double>(5), path); }),
               Catch::Contains("t.h5: write dataset /v: data has 5 values, the shape needs 12"));
    h5::write_all(v, std::span<const double>(values), path);
    h5::attach_scales(v, {&time}, path);
    CHECK(H5DSis_attached(v.get(), time.get(), 0) > 0);

    const h5::Handle text = h5::string_type(path);
    const h5::Dataset names =
        h5::create_dataset(r, "names", text.get(), {2, 2}, {}, 0, {"", "names"}, path);
    h5::write_all_strings(names, {"a", "b|c", "", "d"}, path);

    const h5::Handle g = h5::create_group(r, "g", h5::GroupOrder::links, path);
    h5::number_dataset<std::uint8_t>(g.get(), "z", {1}, {"1", "z"}, path);
    h5::number_dataset<std::uint8_t>(g.get(), "a", {2}, {"1", "a"}, path);
    h5::close_file(file, path, "test file");
  }

  h5::Handle file = h5::open_file(path, H5F_ACC_RDONLY, path, "a test file");
  const h5::Handle root = h5::root_group(file.get(), path);
  const hid_t r = root.get();
  CHECK(h5::read_number_attribute<double>(r, "x", path) == 1.5);
  CHECK(h5::read_numbers_attribute<std::int64_t>(r, "ns", path) ==
        std::vector<std::int64_t>{1, 2, 3});
  CHECK(h5::read_string_attribute(r, "s", path) == "second");
  CHECK(h5::read_strings_attribute(r, "ss", path) == std::vector<std::string>{"a", ""});
  CHECK_THAT(error_of([&] { h5::read_number_attribute<double>(r, "ns", path); }),
             Catch::Contains("read attribute @ns: expected a single value"));
  CHECK_THAT(
      error_of([&] { h5::read_string_attribute(r, "nope", path, "missing; not a test file"); }),
      Catch::Contains("read attribute @nope: missing; not a test file"));

  CHECK(h5::read_all<double>(r, "v", {3, 2, 2}, path) == values);
  CHECK_THAT(error_of([&] {
               h5::read_all<double>(r, "v", {3, 4}, path);
             }),
             Catch::Contains("open dataset /v: has shape [3, 2, 2], expected [3, 4]"));
  std::vector<double> rows(8);
  h5::read_rows(h5::open_dataset(r, "v", path), 1, 2, rows.data(), path);
  CHECK(rows == std::vector<double>(values.begin() + 4, values.end()));
  CHECK(h5::length_of(h5::open_dataset(r, "time", path), path) == 3u);
  CHECK(h5::read_all_strings(r, "names", {2, 2}, path) ==
        std::vector<std::string>{"a", "b|c", "", "d"});
  CHECK_THAT(error_of([&] { h5::open_dataset(r, "nope", path); }),
             Catch::Contains("open dataset /nope: missing"));

  const h5::Handle g = h5::open_group(r, "g", path);
  CHECK(h5::link_names(g.get(), path) == std::vector<std::string>{"z", "a"});  // creation order
  CHECK(h5::read_all<double>(g.get(), "a", {1}, path) == std::vector<double>{2});

  std::ofstream(dir.path() / "not.h5") << "text";
  CHECK_THAT(error_of([&] {
               h5::open_file(dir.path() / "not.h5", H5F_ACC_RDONLY, dir.path() / "not.h5",
                             "a test file");
             }),
             Catch::Contains("not an HDF5 file (hence not a test file)"));
}

TEST_CASE("strings read from a file show control and format characters, bytes not UTF-8 as escapes",
          "[output][hdf5][control]") {
  // A file another program wrote (h5py, an older version) may name an actor "\x1b[2J" or
  // "PAK\u202E" (which shows the rest of each line it is printed on reversed), or hold Latin-1
  // bytes: every reader prints what it reads, so the toolkit reads them as the texts
  // "\u001B[2J", "PAK\u202E", "caf\xE9". The zero-width joiners prose needs (U+200C, U+200D) are
  // kept, as free text holds them.
  test::TempDir dir;
  const fs::path path = dir.path() / "t.h5";
  const h5::ErrorSilencer silence;
  {
    h5::Handle file = h5::create_file(path, path);
    const h5::Handle root = h5::root_group(file.get(), path);
    h5::write_string_attribute(root.get(), "s", "red \x1b[31m, bell \a", path);
    h5::write_strings_attribute(root.get(), "ss",
                                {"cr\r", "lines\n\tkept", "csi \xc2\x9b", "PAK\xE2\x80\xAE RUS",
                                 "caf\xE9", "a\xE2\x80\x8B_", "\xEF\xBB\xBFx"},
                                path);
    const h5::Handle text = h5::string_type(path);
    const h5::Dataset names =
        h5::create_dataset(root.get(), "names", text.get(), {4}, {}, 0, {"", "names"}, path);
    h5::write_all_strings(names,
                          {"Pak\x1b]0;title\x07", "del\x7f", "\xE2\x81\xA7isolate\xE2\x81\xA9",
                           "man\xE2\x80\x8Dwoman"},
                          path);
    h5::close_file(file, path, "test file");
  }
  h5::Handle file = h5::open_file(path, H5F_ACC_RDONLY, path, "a test file");
  const h5::Handle root = h5::root_group(file.get(), path);
  CHECK(h5::read_string_attribute(root.get(), "s", path) == "red \\u001B[31m, bell \\u0007");
  CHECK(h5::read_strings_attribute(root.get(), "ss", path) ==
        std::vector<std::string>{"cr\\u000D", "lines\n\tkept", "csi \\u009B", "PAK\\u202E RUS",
                                 "caf\\xE9", "a\\u200B_", "\\uFEFFx"});
  CHECK(h5::read_all_strings(root.get(), "names", {4}, path) ==
        std::vector<std::string>{"Pak\\u001B]0;title\\u0007", "del\\u007F", "\\u2067isolate\\u2069",
                                 "man\xE2\x80\x8Dwoman"});
}

TEST_CASE("fixed-length strings are read whole, however another program padded them",
          "[output][hdf5]") {
  // h5py writes numpy's bytes as fixed-length strings padded with NULs (a string as long as its
  // type has no NUL at all), netCDF and Fortran tools pad with spaces or end with a NUL: each is
  // read as written (the last character was lost to a NUL-terminated memory type).
  test::TempDir dir;
  const fs::path path = dir.path() / "t.h5";
  const h5::ErrorSilencer silence;
  const std::vector<std::pair<H5T_str_t, std::vector<std::string>>> pads = {
      {H5T_STR_NULLPAD, {"abcdef", "ab"}},
      {H5T_STR_NULLTERM, {"abcde", "ab"}},
      {H5T_STR_SPACEPAD, {"abcdef", "ab"}}};
  {
    h5::Handle file = h5::create_file(path, path);
    const h5::Handle root = h5::root_group(file.get(), path);
    for (const auto& [pad, expected] : pads) {
      const hid_t type = H5Tcopy(H5T_C_S1);
      H5Tset_size(type, 6);
      H5Tset_strpad(type, pad);
      const hsize_t n = 2;
      const hid_t space = H5Screate_simple(1, &n, nullptr);
      const std::string name = "pad" + std::to_string(static_cast<int>(pad));
      const hid_t attribute =
          H5Acreate2(root.get(), name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
      // In memory as the file holds them: 6 bytes each.
      std::string bytes = pad == H5T_STR_NULLTERM   ? std::string("abcde\0ab\0\0\0\0", 12)
                          : pad == H5T_STR_SPACEPAD ? std::string("abcdefab    ")
                                                    : std::string("abcdefab\0\0\0\0", 12);
      REQUIRE(H5Awrite(attribute, type, bytes.data()) >= 0);
      H5Aclose(attribute);
      H5Sclose(space);
      H5Tclose(type);
    }
    h5::close_file(file, path, "test file");
  }
  h5::Handle file = h5::open_file(path, H5F_ACC_RDONLY, path, "a test file");
  const h5::Handle root = h5::root_group(file.get(), path);
  for (const auto& [pad, expected] : pads) {
    INFO("padding " << static_cast<int>(pad));
    CHECK(h5::read_strings_attribute(root.get(), "pad" + std::to_string(static_cast<int>(pad)),
                                     path) == expected);
  }
}

TEST_CASE(
    "the HDF5 toolkit writes data before attributes, chunks by frame and names objects as told",
    "[output][hdf5]") {
  test::TempDir dir;
  const fs::path path = dir.path() / "t.h5";
  const h5::ErrorSilencer silence;
  const std::vector<std::int32_t> values = {1, 2, 3, 4, 5, 6};
  {
    h5::Handle file = h5::create_file(path, path);
    const h5::Handle root = h5::root_group(file.get(), path);
    const hid_t r = root.get();
    const h5::Dataset time =
        h5::number_dataset<double>(r, "time", {2025, 2026, 2027}, {"year", "time"}, path);
    h5::make_scale(time, "time", path);
    const h5::Dataset pair =
        h5::number_dataset<std::int64_t>(r, "pair", {0, 1}, {"1", "pair"}, path);
    h5::make_scale(pair, "pair", path);
    const std::vector<const h5::Dataset*> scales = {&time, &pair};
    const std::vector<hsize_t> shape = h5::scale_lengths(scales, path);
    CHECK(shape == std::vector<hsize_t>{3, 2});

    // One frame of 2 int32 is 8 bytes: halved to 4 bytes when at most 4 may be in a chunk.
    CHECK(h5::frame_chunk(shape, h5::Types<std::int32_t>::file(), 8) == std::vector<hsize_t>{1, 2});
    CHECK(h5::frame_chunk(shape, h5::Types<std::int32_t>::file(), 4) == std::vector<hsize_t>{1, 1});
    const h5::Dataset v =
        h5::create_dataset(r, "v", h5::Types<std::int32_t>::file(), shape,
                           h5::frame_chunk(shape, h5::Types<std::int32_t>::file(), 4), 4, path);
    CHECK_FALSE(h5::has_attribute(v.get(), "units"));
    h5::write_all(v, values, path);
    h5::describe(v, {"1", "values"}, path);
    h5::attach_scales(v, scales, path);
    CHECK(H5DSis_attached(v.get(), pair.get(), 1) > 0);
    h5::create_group(r, "g", h5::GroupOrder::links, path);
    h5::write_numbers_attribute<std::int32_t>(r, "ns", {1, 2}, path);
    h5::close_file(file, path, "test file");
  }

  h5::Handle file = h5::open_file(path, H5F_ACC_RDONLY, path, "a test file");
  const h5::Handle root = h5::root_group(file.get(), path);
  const hid_t r = root.get();
  const h5::Dataset v = h5::open_dataset_as(r, "v", "v", path);
  CHECK(h5::read_string_attribute(v.get(), "units", path) == "1");
  CHECK(h5::read_string_attribute(v.get(), "long_name", path) == "values");
  CHECK(h5::read_all<std::int32_t>(v, {3, 2}, path) == values);
  CHECK_THAT(error_of([&] {
               h5::read_all<std::int32_t>(v, {2, 3}, path);
             }),
             Catch::Contains("t.h5: open dataset v: has shape [3, 2], expected [2, 3]"));
  CHECK_THAT(error_of([&] {
               h5::read_all_strings(v, {3, 2}, path);
             }),
             Catch::Contains("t.h5: read dataset v: not a string"));
  CHECK_THAT(error_of([&] { h5::open_dataset_as(r, "g", "g", path); }),
             Catch::Contains("t.h5: open dataset g: "));
  CHECK_THAT(error_of([&] { h5::open_group_as(r, "v", "the v", path); }),
             Catch::Contains("t.h5: open group the v: "));
  CHECK(h5::open_group_as(r, "g", "g", path));
  const h5::Handle ns = h5::open_attribute(r, "ns", path, "read ns");
  CHECK_THAT(error_of([&] { h5::require_single(ns.get(), path, "read ns"); }),
             Catch::Contains("t.h5: read ns: expected a single value"));
}

TEST_CASE("a text file written a piece at a time holds every piece, in order", "[output][hdf5]") {
  test::TempDir dir;
  const fs::path file = dir.path() / "t.csv";
  // Pieces from 1 byte to 3 MiB: some fill the writer's 1 MiB buffer, some pass it whole.
  std::string expected;
  {
    h5::TextFileWriter writer(file, file, "write");
    std::size_t size = 1;
    for (char c = 'a'; c <= 'z'; ++c, size = size * 3 % 3'000'001 + 7) {
      const std::string piece(size, c);
      writer.append(piece);
      expected += piece;
    }
    writer.close();
  }
  CHECK(expected.size() > 3 * (std::size_t{1} << 20));
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  const std::string written = text.str();
  CHECK(written.size() == expected.size());
  CHECK(written == expected);

  // A full device: the system's reason, named with the path (here at the close, whose write of
  // the buffer fails; a piece larger than the buffer fails in append).
  if (fs::exists("/dev/full")) {
    CHECK_THAT(error_of([] {
                 h5::TextFileWriter writer("/dev/full", "out.csv", "write");
                 writer.append("run,value\n");
                 writer.close();
               }),
               Catch::Contains("out.csv: write: No space left on device (the disk is full)"));
    CHECK_THAT(error_of([] {
                 h5::TextFileWriter writer("/dev/full", "out.csv", "write");
                 writer.append(std::string(std::size_t{2} << 20, 'x'));
               }),
               Catch::Contains("No space left on device"));
  }
  CHECK_THAT(error_of([&] { h5::TextFileWriter(dir.path() / "no" / "t.csv", file, "write"); }),
             Catch::Contains("t.csv: write: No such file or directory"));
}

namespace {

// Runs `body` in a child process with exit_on_read_fault installed; its exit status (or 128 +
// the signal that ended it) and what it printed on stderr.
struct ChildEnd {
  int status = -1;
  std::string error;
};
template <class Body>
ChildEnd in_child(const fs::path& dir, Body body) {
  const fs::path err = dir / "child-err.txt";
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    std::freopen(err.c_str(), "w", stderr);
    h5::exit_on_read_fault();
    body();
    std::_Exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  std::ifstream in(err);
  std::ostringstream text;
  text << in.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), text.str()};
}

// A fault as HDF5's on a damaged file: a write to a page that may not be touched (not a null
// pointer, which the undefined-behaviour sanitizer would report before the fault).
void fault() {
  void* const page = ::mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(page != MAP_FAILED);
  *static_cast<volatile int*>(page) = 1;
}

}  // namespace

TEST_CASE("a fault or an endless read of a damaged file is bad input, any other fault a crash",
          "[output][hdf5]") {
  test::TempDir dir;
  const fs::path temporary = dir.path() / ".out.csv.tmp-1";
  // While a file is noted as being read: exit 2, the file named, the temporary file removed.
  std::ofstream(temporary) << "half a table";
  ChildEnd end = in_child(dir.path(), [&] {
    h5::note_temporary(temporary);
    h5::note_reading(7, "runs/damaged.h5");
    fault();
  });
  CHECK(end.status == 2);
  CHECK(end.error ==
        "interdep: runs/damaged.h5: damaged: the HDF5 library faulted reading it (a corrupted or "
        "truncated file)\n");
  CHECK_FALSE(fs::exists(temporary));

  // A read that does not end within its deadline: the same, "did not finish".
  end = in_child(dir.path(), [] {
    h5::note_reading(7, "loop.h5");
    const h5::ReadDeadline deadline(1);
    for (volatile bool forever = true; forever;) {}
  });
  CHECK(end.status == 2);
  CHECK_THAT(end.error, Catch::Contains("loop.h5: damaged: the HDF5 library did not finish"));

  // A deadline that has passed is disarmed; a file closed is forgotten: a fault is then a crash.
  std::ofstream(temporary) << "half a table";
  end = in_child(dir.path(), [&] {
    h5::note_temporary(temporary);
    h5::note_reading(7, "closed.h5");
    { const h5::ReadDeadline deadline(1); }
    h5::forget_reading(7);
    ::sleep(2);
    fault();
  });
  // A crash says so, and leaves no temporary behind.
  CHECK(end.status == 128 + SIGSEGV);
  CHECK(end.error ==
        "interdep: error: crashed (segmentation fault; a defect, or the HDF5 library out of "
        "memory); no output was written\n");
  CHECK_FALSE(fs::exists(temporary));
  // A fault on another thread than the reading one is a crash too.
  end = in_child(dir.path(), [] {
    h5::note_reading(7, "read.h5");
    std::thread([] { fault(); }).join();
  });
  CHECK(end.status == 128 + SIGSEGV);
}

TEST_CASE("a signal of termination removes the temporary files of outputs, then ends the process",
          "[output][hdf5]") {
  test::TempDir dir;
  const fs::path temporary = dir.path() / ".out.h5.tmp-1";
  const fs::path renamed = dir.path() / ".done.h5.tmp-2";
  // (SIGQUIT and SIGXCPU too, left out here: their default action dumps a core.)
  for (const int signal_number :
       {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGUSR1, SIGUSR2, SIGVTALRM, SIGPROF}) {
    CAPTURE(signal_number);
    std::ofstream(temporary) << "half a file";
    std::ofstream(renamed) << "a file already renamed into place";
    const ChildEnd end = in_child(dir.path(), [&] {
      ::signal(signal_number, SIG_DFL);  // as a terminal hands it over, whatever ctest inherited
      h5::remove_temporaries_on_termination();
      h5::note_temporary(temporary);
      h5::note_temporary(renamed);
      h5::forget_temporary(renamed);
      ::raise(signal_number);
      ::sleep(5);  // not reached: the signal ends the process as it would have without the handler
    });
    // An interruption ends as the commands that stop by themselves do: a message, status 130;
    // the others by the signal's own action.
    if (signal_number == SIGINT || signal_number == SIGTERM || signal_number == SIGHUP) {
      CHECK(end.status == 130);
      CHECK_THAT(end.error, Catch::Contains("interrupted; no output was written"));
    } else {
      CHECK(end.status == 128 + signal_number);
      CHECK(end.error.empty());
    }
    CHECK_FALSE(fs::exists(temporary));
    CHECK(fs::exists(renamed));  // forgotten: not this process's to remove
  }
  // A command that stops by itself (h5::stop_on_interrupt): the first signal sets its flag; if it
  // has not ended when the deadline passes (a write under way), the process is ended as above,
  // with the command's note. `stuck` stands for a write that would take 20 s.
  const auto stuck = [] {
    for (int second = 0; second < 20; ++second) ::sleep(1);
    std::_Exit(7);  // not reached: the deadline has ended the process
  };
  std::ofstream(temporary) << "half a file";
  ChildEnd stopped = in_child(dir.path(), [&] {
    ::signal(SIGTERM, SIG_DFL);
    h5::remove_temporaries_on_termination();
    h5::set_interrupted_note("sweep: finished runs are kept in s.h5.parts");
    const std::atomic<bool>& flag = h5::stop_on_interrupt(1);
    h5::note_temporary(temporary);
    ::raise(SIGTERM);
    if (!flag.load()) std::_Exit(8);
    stuck();
  });
  CHECK(stopped.status == 130);
  CHECK(stopped.error ==
        "interdep: interrupted; no output was written\n"
        "sweep: finished runs are kept in s.h5.parts\n");
  CHECK_FALSE(fs::exists(temporary));
  // A second signal ends it at once, whatever the deadline.
  std::ofstream(temporary) << "half a file";
  stopped = in_child(dir.path(), [&] {
    ::signal(SIGINT, SIG_DFL);
    h5::remove_temporaries_on_termination();
    static_cast<void>(h5::stop_on_interrupt(60));
    h5::note_temporary(temporary);
    ::raise(SIGINT);
    ::usleep(600'000);  // a person's second Ctrl-C
    ::raise(SIGINT);
    std::_Exit(7);  // not reached
  });
  CHECK(stopped.status == 130);
  CHECK_THAT(stopped.error, Catch::Contains("interrupted; no output was written"));
  CHECK_FALSE(fs::exists(temporary));
  // Outputs renamed into place together (h5::CommitSection): a signal waits for the section,
  // which finishes its work, then ends the process saying the outputs are complete.
  for (const int signal_number : {SIGINT, SIGTERM, SIGPIPE}) {
    CAPTURE(signal_number);
    const fs::path second = dir.path() / "second.csv";
    fs::remove(second);
    stopped = in_child(dir.path(), [&] {
      ::signal(signal_number, SIG_DFL);
      h5::remove_temporaries_on_termination();
      {
        const h5::CommitSection together;
        ::raise(signal_number);
        std::ofstream(second) << "renamed after the signal";  // the section's last rename
      }
      std::_Exit(7);  // not reached
    });
    CHECK(fs::exists(second));
    CHECK(stopped.status == (signal_number == SIGPIPE ? 128 + SIGPIPE : 130));
    CHECK_THAT(stopped.error, Catch::Contains("interrupted while its outputs were put in place: "
                                              "they are complete"));
  }
  // One request delivered twice at once (timeout(1) signals the process and its group) is one:
  // the command goes on stopping by itself, its temporary file in place until it ends.
  std::ofstream(temporary) << "half a file";
  stopped = in_child(dir.path(), [&] {
    ::signal(SIGINT, SIG_DFL);
    h5::remove_temporaries_on_termination();
    const std::atomic<bool>& flag = h5::stop_on_interrupt(60);
    h5::note_temporary(temporary);
    ::raise(SIGINT);
    ::raise(SIGINT);
    if (!flag.load()) std::_Exit(8);
    std::_Exit(fs::exists(temporary) ? 5 : 6);  // still running, nothing removed
  });
  CHECK(stopped.status == 5);
  CHECK(stopped.error.empty());
  // A command that has stopped by itself and said so is not ended by the deadline.
  stopped = in_child(dir.path(), [&] {
    ::signal(SIGHUP, SIG_DFL);
    h5::remove_temporaries_on_termination();
    static_cast<void>(h5::stop_on_interrupt(1));
    ::raise(SIGHUP);
    h5::interrupt_handled();
    ::sleep(3);
    std::_Exit(0);
  });
  CHECK(stopped.status == 0);
  CHECK(stopped.error.empty());

  // A signal ignored when the program started (nohup's SIGHUP) stays ignored.
  std::ofstream(temporary) << "half a file";
  const ChildEnd end = in_child(dir.path(), [&] {
    ::signal(SIGHUP, SIG_IGN);
    h5::remove_temporaries_on_termination();
    h5::note_temporary(temporary);
    ::raise(SIGHUP);
  });
  CHECK(end.status == 0);
  CHECK(fs::exists(temporary));
}

TEST_CASE("a string dataset that claims more strings than memory holds is a damaged file",
          "[output][hdf5]") {
  test::TempDir dir;
  const fs::path path = dir.path() / "claims.h5";
  const h5::ErrorSilencer silence;
  // 2^50 strings, none written: HDF5 allocates no chunk, as a damaged dataspace would claim.
  const hsize_t huge = hsize_t{1} << 50;
  {
    h5::Handle file = h5::create_file(path, path);
    const h5::Handle root = h5::root_group(file.get(), path);
    const h5::Handle type = h5::string_type(path);
    h5::create_dataset(root.get(), "message", type.get(), {huge}, {4096}, 0, path);
    h5::close_file(file, path, "test file");
  }
  h5::Handle file = h5::open_file(path, H5F_ACC_RDONLY, path, "a test file");
  const h5::Handle root = h5::root_group(file.get(), path);
  const h5::Dataset message = h5::open_dataset_as(root.get(), "message", "/message", path);
  CHECK_THAT(error_of([&] { h5::read_all_strings(message, {huge}, path); }),
             Catch::Contains("claims.h5: read dataset /message: claims 1125899906842624 strings") &&
                 Catch::Contains("a damaged file"));
  CHECK(h5::read_string_rows(message, huge - 2, 2, path) == std::vector<std::string>{"", ""});
}

TEST_CASE("hdf5: a temporary's name fits a file system however long the output's name is",
          "[hdf5][files]") {
  // A legal name of 250 bytes failed at its temporary's creation, after the work.
  test::TempDir dir;
  for (const std::size_t length : {std::size_t{5}, std::size_t{200}, std::size_t{255}}) {
    CAPTURE(length);
    const fs::path output = dir.path() / std::string(length, 'r');
    const fs::path temp = h5::temporary_path(output);
    CHECK(temp.parent_path() == dir.path());
    CHECK(temp.filename().native().size() <= 255);
    { std::ofstream(temp) << "x"; }
    CHECK(fs::exists(temp));
  }
  // A name cut inside a character keeps whole characters (each 'é' is two bytes).
  std::string accented;
  while (accented.size() < 254) accented += "\xc3\xa9";
  const std::string cut = h5::temporary_path(dir.path() / accented).filename().string();
  CHECK(cut.size() <= 255);
  const std::string kept = cut.substr(1, cut.find(".tmp-") - 1);
  CHECK(kept.size() % 2 == 0);
  CHECK(kept.size() > 100);
}

TEST_CASE("hdf5: a call that failed for want of memory is out of memory, not the file's fault",
          "[hdf5][files]") {
  const h5::ErrorSilencer silence;
  // What HDF5 puts on its error stack when malloc fails (H5FL, the chunk cache, the core driver),
  // pushed as it does: std::bad_alloc, which the commands report as "out of memory" (exit 1),
  // where an OutputError would be taken as a damaged input (exit 2).
  auto fails_with = [](hid_t minor, const char* description) {
    H5Eclear2(H5E_DEFAULT);
    H5Epush2(H5E_DEFAULT, __FILE__, "test", __LINE__, H5E_ERR_CLS, H5E_RESOURCE, minor, "%s",
             description);
    h5::check_status(-1, "in.h5", "read");
  };
  CHECK_THROWS_AS(fails_with(H5E_NOSPACE, "memory allocation failed for raw data chunk"),
                  std::bad_alloc);
  CHECK_THROWS_AS(fails_with(H5E_CANTALLOC, "unable to allocate memory block of 80 bytes"),
                  std::bad_alloc);
  // The same minor for file space is the file's (or the disk's): an OutputError, as it was.
  CHECK(error_of([&] { fails_with(H5E_CANTALLOC, "allocation failed from aggr/vfd"); }) ==
        "in.h5: read: allocation failed from aggr/vfd");
  H5Eclear2(H5E_DEFAULT);
}

TEST_CASE("hdf5: a file that may not be read is refused as such, not as not HDF5",
          "[hdf5][files]") {
  if (::geteuid() == 0) {
    SUCCEED("root reads every file: the refusal cannot be provoked");
    return;
  }
  test::TempDir dir;
  const fs::path file = dir.path() / "locked.h5";
  { std::ofstream(file) << "x"; }
  fs::permissions(file, fs::perms::none);
  CHECK_THROWS_WITH(h5::open_file(file, H5F_ACC_RDONLY, file, "a run file"),
                    Catch::Matchers::Contains("cannot be read (permission denied)"));
}

TEST_CASE("hdf5: a result written to a symbolic link goes to its target, and the link stays",
          "[hdf5][files]") {
  // rename(2) onto the link replaced it with a regular file and left its target as it was.
  test::TempDir dir;
  fs::create_directory(dir.path() / "results");
  const fs::path target = dir.path() / "results" / "r.txt";
  { std::ofstream(target) << "earlier"; }
  const fs::path link = dir.path() / "link.txt";
  fs::create_symlink(fs::path("results") / "r.txt", link);
  const fs::path chain = dir.path() / "chain.txt";
  fs::create_symlink("link.txt", chain);
  h5::atomic_write_text(chain, "write", "new");
  CHECK(fs::is_symlink(link));
  CHECK(fs::is_symlink(chain));
  std::ifstream in(target);
  std::string text;
  std::getline(in, text);
  CHECK(text == "new");
  // A link to nothing yet: its target is made.
  const fs::path dangling = dir.path() / "dangling.txt";
  fs::create_symlink(fs::path("results") / "new.txt", dangling);
  h5::atomic_write_text(dangling, "write", "made");
  CHECK(fs::is_symlink(dangling));
  CHECK(fs::exists(dir.path() / "results" / "new.txt"));
  for (const auto& entry : fs::directory_iterator(dir.path() / "results"))
    CHECK(entry.path().filename().string().rfind(".", 0) != 0);  // no temporary left
  // A link to nothing in a folder that does not exist: refused before any work, naming both.
  const fs::path nowhere = dir.path() / "nowhere.txt";
  fs::create_symlink(fs::path("missing") / "r.txt", nowhere);
  CHECK_THAT(files::not_an_output_file(nowhere),
             Catch::Matchers::StartsWith("is a symbolic link to ") &&
                 Catch::Matchers::EndsWith("cannot be written: the folder " +
                                           (dir.path() / "missing").string() + " does not exist"));
}

TEST_CASE("hdf5: a file replaced keeps its permissions, and a write-protected one is kept",
          "[hdf5][files]") {
  // A private result (0600) came back 0644 (the temporary's 0666 less the umask), and a
  // read-only one (0444) was replaced without a word: rename(2) asks only the folder.
  test::TempDir dir;
  const fs::path file = dir.path() / "r.txt";
  { std::ofstream(file) << "earlier"; }
  for (const fs::perms mode : {fs::perms::owner_read | fs::perms::owner_write,
                               fs::perms::owner_all | fs::perms::group_read}) {
    fs::permissions(file, mode);
    h5::atomic_write_text(file, "write", "new");
    CHECK((fs::status(file).permissions() & fs::perms::mask) == mode);
  }
  fs::permissions(file, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  if (::geteuid() == 0) {
    SUCCEED("root writes every file: the refusal of a write-protected one cannot be provoked");
    return;
  }
  CHECK(files::not_an_output_file(file) ==
        "is write-protected (mode 0444): it is kept; make it writable (chmod u+w) to replace "
        "it, or name another file");
  CHECK_THROWS_WITH(h5::atomic_write_text(file, "write", "newer"),
                    Catch::Matchers::Contains("is write-protected (mode 0444)"));
  std::ifstream in(file);
  std::string text;
  std::getline(in, text);
  CHECK(text == "new");
}

TEST_CASE("hdf5: a number the reader's type cannot hold is a damaged file, not a clipped value",
          "[output][hdf5]") {
  // HDF5 converts silently: NaN read as a whole number gave 2^63 (a run file's seed), 300 read
  // as a byte 255, 2.5 read as a whole number 2. Each is refused, naming what the file holds;
  // a whole number stored as a double, and a large integer read as a double, are read.
  test::TempDir dir;
  const fs::path path = dir.path() / "t.h5";
  const h5::ErrorSilencer silence;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  {
    h5::Handle file = h5::create_file(path, path);
    const h5::Handle root = h5::root_group(file.get(), path);
    const hid_t r = root.get();
    h5::write_number_attribute<double>(r, "nan", nan, path);
    h5::write_number_attribute<double>(r, "inf", -inf, path);
    h5::write_number_attribute<double>(r, "half", 2.5, path);
    h5::write_number_attribute<double>(r, "whole", 7.0, path);
    h5::write_number_attribute<double>(r, "huge", 1e30, path);
    h5::write_number_attribute<std::int64_t>(r, "big", (std::int64_t{1} << 62) + 1, path);
    h5::write_numbers_attribute<std::int64_t>(r, "bytes", {1, 300}, path);
    h5::number_dataset<double>(r, "with_nan", {1, nan, 3}, {"1", "x"}, path);
    h5::number_dataset<double>(r, "with_half", {1, 2.5}, {"1", "x"}, path);
    h5::number_dataset<double>(r, "whole", {1, -2}, {"1", "x"}, path);
    h5::number_dataset<std::int64_t>(r, "wide", {1, 300}, {"1", "x"}, path);
    h5::close_file(file, path, "test file");
  }
  h5::Handle file = h5::open_file(path, H5F_ACC_RDONLY, path, "a test file");
  const h5::Handle root = h5::root_group(file.get(), path);
  const hid_t r = root.get();
  using Catch::Contains;
  CHECK_THAT(error_of([&] { h5::read_number_attribute<std::uint64_t>(r, "nan", path); }),
             Contains("t.h5: read attribute @nan: holds") && Contains("a damaged file"));
  CHECK_THAT(error_of([&] { h5::read_number_attribute<std::int64_t>(r, "inf", path); }),
             Contains("read attribute @inf: holds") && Contains("a damaged file"));
  CHECK_THAT(error_of([&] { h5::read_number_attribute<std::int64_t>(r, "half", path); }),
             Contains("not a whole number"));
  CHECK_THAT(error_of([&] { h5::read_number_attribute<std::int64_t>(r, "huge", path); }),
             Contains("read attribute @huge: holds") && Contains("a damaged file"));
  CHECK_THAT(error_of([&] { h5::read_numbers_attribute<std::uint8_t>(r, "bytes", path); }),
             Contains("read attribute @bytes: holds a number out of the range"));
  CHECK(h5::read_number_attribute<std::int64_t>(r, "whole", path) == 7);
  CHECK(h5::read_number_attribute<double>(r, "nan", path) !=
        h5::read_number_attribute<double>(r, "nan", path));  // NaN kept
  CHECK(h5::read_number_attribute<double>(r, "big", path) == 4611686018427387904.0);
  CHECK(h5::read_numbers_attribute<std::int64_t>(r, "bytes", path) ==
        std::vector<std::int64_t>{1, 300});

  CHECK_THAT(error_of([&] { h5::read_all<std::int64_t>(r, "with_nan", {3}, path); }),
             Contains("read dataset /with_nan: holds") && Contains("a damaged file"));
  std::vector<std::int64_t> rows(2);
  CHECK_THAT(error_of([&] {
               h5::read_rows(h5::open_dataset(r, "with_half", path), 0, 2, rows.data(), path);
             }),
             Contains("read dataset /with_half: holds a value that is not a whole number"));
  CHECK_THAT(error_of([&] { h5::read_all<std::uint8_t>(r, "wide", {2}, path); }),
             Contains("read dataset /wide: holds a number out of the range"));
  CHECK(h5::read_all<std::int64_t>(r, "whole", {2}, path) == std::vector<std::int64_t>{1, -2});
  CHECK(h5::read_all<double>(r, "with_nan", {3}, path).size() == 3);
  CHECK_THAT(error_of([&] { h5::read_all<std::uint8_t>(r, "whole", {2}, path); }),
             Contains("holds a number out of the range"));  // -2 as a byte
  // After a refused conversion the next read is not blamed for it.
  CHECK(h5::read_all<std::int32_t>(r, "wide", {2}, path) == std::vector<std::int32_t>{1, 300});
}
