// What a user wrote, quoted in a message: 'text', or when longer than 80 characters (UTF-8 code
// points) its first 60 and its length ('99999...' (5000000 characters)), so that a cell, a name
// or a quantity of megabytes does not fill the terminal.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace interdep {

inline std::string quoted_text(std::string_view text) {
  std::size_t characters = 0, cut = text.size();
  for (std::size_t k = 0; k < text.size(); ++k) {
    if ((static_cast<unsigned char>(text[k]) & 0xC0) == 0x80) continue;
    if (characters == 60) cut = k;
    ++characters;
  }
  std::string quoted(1, '\'');
  if (characters <= 80) return quoted.append(text).append(1, '\'');
  return quoted.append(text.substr(0, cut))
      .append("...' (")
      .append(std::to_string(characters))
      .append(" characters)");
}

}  // namespace interdep
