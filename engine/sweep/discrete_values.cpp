#include "engine/sweep/discrete_values.hpp"

#include <charconv>
#include <cstddef>
#include <system_error>
#include <utility>

namespace interdep::sweep {

std::string encode_discrete_values(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t v = 0; v < values.size(); ++v) {
    const std::string& value = values[v];
    const bool last = v + 1 == values.size();
    if (v > 0) out += '|';
    std::size_t backslashes = 0;  // the run of backslashes just read
    for (const char c : value) {
      if (c == '\\') {
        ++backslashes;
        continue;
      }
      if (c == '|') {
        out.append(2 * backslashes + 1, '\\');
      } else {
        out.append(backslashes, '\\');
      }
      out += c;
      backslashes = 0;
    }
    out.append(last ? backslashes : 2 * backslashes, '\\');
  }
  return out;
}

std::vector<std::string> decode_discrete_values(std::string_view encoded) {
  std::vector<std::string> values;
  if (encoded.empty()) return values;
  std::string value;
  std::size_t backslashes = 0;
  for (const char c : encoded) {
    if (c == '\\') {
      ++backslashes;
      continue;
    }
    if (c == '|') {
      value.append(backslashes / 2, '\\');
      if (backslashes % 2 == 1) {
        value += '|';
      } else {
        values.push_back(std::move(value));
        value.clear();
      }
    } else {
      value.append(backslashes, '\\');
      value += c;
    }
    backslashes = 0;
  }
  value.append(backslashes, '\\');
  values.push_back(std::move(value));
  return values;
}

std::vector<ParameterSpec> stored_parameters(const std::vector<std::string>& keys,
                                             const std::vector<std::string>& discrete_values) {
  std::vector<ParameterSpec> parameters;
  parameters.reserve(keys.size());
  for (std::size_t p = 0; p < keys.size(); ++p) {
    ParameterSpec parameter;
    parameter.key = keys[p];
    if (p < discrete_values.size() && !discrete_values[p].empty()) {
      parameter.values = decode_discrete_values(discrete_values[p]);
      parameter.distribution.kind = Distribution::discrete;
      parameter.distribution.count = parameter.values.size();
    }
    parameters.push_back(std::move(parameter));
  }
  return parameters;
}

std::string plain_discrete_value(const std::string& literal) {
  if (literal.size() >= 2 && literal.front() == '\'' && literal.back() == '\'')
    return literal.substr(1, literal.size() - 2);
  if (literal.size() >= 2 && literal.front() == '"' && literal.back() == '"') {
    std::string text;
    for (std::size_t i = 1; i + 1 < literal.size(); ++i) {
      if (literal[i] == '\\' && i + 2 < literal.size())
        ++i;  // TOML's escapes of a quote and a backslash
      text += literal[i];
    }
    return text;
  }
  // A float as its shortest form that reads back as the same double (0.80000000000000004 ->
  // 0.8): the literal keeps all 17 digits so that overrides are exact; a reader needs fewer.
  if (literal.find_first_of(".eE") != std::string::npos) {
    double value = 0.0;
    const char* const end = literal.data() + literal.size();
    const auto [stop, error] = std::from_chars(literal.data(), end, value);
    if (error == std::errc() && stop == end) {
      char shortest[32];
      const auto written = std::to_chars(shortest, shortest + sizeof shortest, value);
      if (written.ec == std::errc()) return std::string(shortest, written.ptr);
    }
  }
  return literal;
}

}  // namespace interdep::sweep
