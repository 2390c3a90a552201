#include "engine/scenario/user_text.hpp"

namespace interdep {
namespace {

InputError refusal(const std::filesystem::path& path, std::string_view what,
                   const SourcePosition& named_at, const std::string& key,
                   const std::string& reason) {
  return InputError(named_at, key,
                    std::string(what) + " '" + files::shown_path(path) + "' " + reason);
}

}  // namespace

std::string read_user_text(const std::filesystem::path& path, std::string_view what,
                           const SourcePosition& named_at, const std::string& key,
                           std::uintmax_t limit) {
  try {
    return files::read_text_file(path, limit);
  } catch (const files::FileRefused& e) {
    throw refusal(path, what, named_at, key, e.reason());
  }
}

std::string read_user_text(const std::filesystem::path& path, std::string_view what) {
  return read_user_text(path, what, SourcePosition{path.string(), 0, 0});
}

void check_user_file(const std::filesystem::path& path, std::string_view what,
                     const SourcePosition& named_at, const std::string& key) {
  if (const std::string why = files::not_a_regular_file(path); !why.empty())
    throw refusal(path, what, named_at, key, why);
}

}  // namespace interdep
