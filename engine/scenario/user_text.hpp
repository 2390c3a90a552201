// Text files the user names (scenarios, base chains, observation CSVs, sweep and calibration
// files, CSV designs), read through engine/files: regular files only, at most 64 MiB. A refusal
// is an InputError at the place that named the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "engine/files/user_file.hpp"
#include "engine/scenario/errors.hpp"

namespace interdep {

// The whole text of `path`, or an InputError at `named_at` for `key` naming the file as `what`
// and why it is refused: "the base scenario 'sub' is a directory, not a regular file".
std::string read_user_text(const std::filesystem::path& path, std::string_view what,
                           const SourcePosition& named_at, const std::string& key = "",
                           std::uintmax_t limit = files::kMaxTextBytes);

// The same for a file named on the command line: the error is the file's own.
std::string read_user_text(const std::filesystem::path& path, std::string_view what);

// An InputError as read_user_text's unless `path` is a regular file; nothing is read.
void check_user_file(const std::filesystem::path& path, std::string_view what,
                     const SourcePosition& named_at, const std::string& key = "");

}  // namespace interdep
