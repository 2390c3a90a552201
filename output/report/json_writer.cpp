#include "output/report/json_writer.hpp"

#include <array>
#include <cassert>
#include <charconv>
#include <cmath>
#include <system_error>

#include "engine/text/text_format.hpp"

namespace interdep::report {

std::string json_string(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (std::size_t k = 0; k < text.size(); ++k) {
    const auto c = static_cast<unsigned char>(text[k]);
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      case '<': out.append("\\u003c"); break;
      default:
        if (c < 0x20) {
          out.append("\\u00");
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else if (c == 0xE2 && k + 2 < text.size() &&
                   static_cast<unsigned char>(text[k + 1]) == 0x80 &&
                   (static_cast<unsigned char>(text[k + 2]) == 0xA8 ||
                    static_cast<unsigned char>(text[k + 2]) == 0xA9)) {
          // U+2028 / U+2029 (UTF-8 E2 80 A8 / A9): valid in JSON, line breaks in older JS.
          out.append(static_cast<unsigned char>(text[k + 2]) == 0xA8 ? "\\u2028" : "\\u2029");
          k += 2;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string json_number(double value) {
  if (!std::isfinite(value)) return "null";
  return shortest_number(value);
}

void JsonWriter::before_value() {
  if (levels_.empty()) {
    assert(text_.empty() && "a JSON text holds one value");
    return;
  }
  Level& level = levels_.back();
  if (level.object) {
    assert(level.awaiting_value && "a value inside an object needs a key first");
    level.awaiting_value = false;
    return;
  }
  if (level.has_items) text_.push_back(',');
  level.has_items = true;
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  text_.push_back('{');
  levels_.push_back({true, false, false});
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  assert(!levels_.empty() && levels_.back().object && !levels_.back().awaiting_value);
  levels_.pop_back();
  text_.push_back('}');
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  text_.push_back('[');
  levels_.push_back({false, false, false});
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  assert(!levels_.empty() && !levels_.back().object);
  levels_.pop_back();
  text_.push_back(']');
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  assert(!levels_.empty() && levels_.back().object && !levels_.back().awaiting_value);
  Level& level = levels_.back();
  if (level.has_items) text_.push_back(',');
  level.has_items = true;
  level.awaiting_value = true;
  text_.append(json_string(name)).push_back(':');
  return *this;
}

JsonWriter& JsonWriter::value(double number) {
  before_value();
  text_.append(json_number(number));
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t number) {
  before_value();
  text_.append(std::to_string(number));
  return *this;
}

JsonWriter& JsonWriter::value(std::size_t number) {
  before_value();
  text_.append(std::to_string(number));
  return *this;
}

JsonWriter& JsonWriter::value(int number) { return value(static_cast<std::int64_t>(number)); }

JsonWriter& JsonWriter::value(bool flag) {
  before_value();
  text_.append(flag ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  before_value();
  text_.append(json_string(text));
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  text_.append("null");
  return *this;
}

JsonWriter& JsonWriter::array(std::span<const double> numbers) {
  begin_array();
  for (const double number : numbers) value(number);
  return end_array();
}

JsonWriter& JsonWriter::array(std::span<const std::string> texts) {
  begin_array();
  for (const std::string& text : texts) value(std::string_view(text));
  return end_array();
}

const std::string& JsonWriter::text() const {
  assert(levels_.empty() && "every JSON object and array must be closed");
  return text_;
}

}  // namespace interdep::report
