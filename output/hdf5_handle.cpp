#include "output/hdf5_handle.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <system_error>
#include <vector>

namespace interdep {

namespace fs = std::filesystem;

namespace h5 {

ErrorSilencer::ErrorSilencer() {
  H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

ErrorSilencer::~ErrorSilencer() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }

namespace {
herr_t collect_error(unsigned n, const H5E_error2_t* err, void* client) {
  auto* messages = static_cast<std::vector<std::string>*>(client);
  static_cast<void>(n);
  if (err != nullptr && err->desc != nullptr && err->desc[0] != '\0') {
    messages->emplace_back(err->desc);
  }
  return 0;
}
}  // namespace

std::string error_message() {
  std::vector<std::string> messages;  // from the API call down to where it went wrong
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_error, &messages);
  if (messages.empty()) return "HDF5 call failed";
  if (messages.size() == 1 || messages.front() == messages.back()) return messages.front();
  return messages.front() + " (" + messages.back() + ")";
}

hid_t check_id(hid_t id, const fs::path& path, std::string_view operation) {
  if (id < 0) throw OutputError(path, std::string(operation), error_message());
  return id;
}

void check_status(herr_t status, const fs::path& path, std::string_view operation) {
  if (status < 0) throw OutputError(path, std::string(operation), error_message());
}

Handle make(hid_t id, Handle::Closer closer, const fs::path& path, std::string_view operation) {
  return Handle(check_id(id, path, operation), closer);
}

fs::path temporary_path(const fs::path& path) {
  static std::atomic<unsigned long> counter{0};
  std::string name = ".";
  name.append(path.filename().string())
      .append(".tmp-")
      .append(std::to_string(static_cast<long>(::getpid())))
      .append("-")
      .append(std::to_string(counter.fetch_add(1)));
  return path.parent_path() / name;
}

void sync_file(const fs::path& file, const fs::path& path) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw OutputError(path, "sync temporary file", std::error_code(errno, std::generic_category()).message());
  }
  const int status = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (status != 0) {
    throw OutputError(path, "sync temporary file", std::error_code(error, std::generic_category()).message());
  }
}

namespace {
// Makes the rename durable too (best effort: some file systems refuse to fsync a directory).
void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  static_cast<void>(::fsync(fd));
  ::close(fd);
}
}  // namespace

void atomic_write(const fs::path& path, const std::string& operation,
                  const std::function<void(const fs::path& temp)>& write) {
  if (path.filename().empty()) throw OutputError(path, operation, "the path does not name a file");
  const fs::path temp = temporary_path(path);
  try {
    write(temp);
    sync_file(temp, path);
    std::error_code ec;
    fs::rename(temp, path, ec);
    if (ec) throw OutputError(path, "rename " + temp.filename().string() + " onto it", ec.message());
  } catch (...) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    try {
      throw;
    } catch (const OutputError&) {
      throw;
    } catch (const std::exception& e) {
      throw OutputError(path, operation, e.what());
    }
  }
  sync_directory(path.parent_path());
}

Handle string_type(const fs::path& path) {
  Handle type = make(H5Tcopy(H5T_C_S1), H5Tclose, path, "create string type");
  check_status(H5Tset_size(type.get(), H5T_VARIABLE), path, "create string type");
  check_status(H5Tset_cset(type.get(), H5T_CSET_UTF8), path, "create string type");
  return type;
}

}  // namespace h5

}  // namespace interdep
