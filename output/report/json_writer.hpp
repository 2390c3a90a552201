// JSON text for the data block of the HTML report (output/report/report_data.hpp). The text is
// embedded in a <script type="application/json"> element, so besides JSON's own escapes every
// '<' is written as \u003c: no "</script" or "<!--" can appear and end the element early.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace interdep::report {

// `text` as a quoted JSON string: ", \ and control characters escaped, '<' as \u003c, and the
// JavaScript line terminators U+2028/U+2029 as \u2028/\u2029. Other UTF-8 passes through.
std::string json_string(std::string_view text);

// `value` as a JSON number in the shortest form that reads back to the same double
// (std::to_chars), or null when it is NaN or infinite (JSON has no such numbers).
std::string json_number(double value);

// Builds one JSON value incrementally; commas are placed automatically. Calls must nest
// properly (asserted): key() only directly inside an object, before each of its values.
class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);

  JsonWriter& value(double number);
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(std::size_t number);
  JsonWriter& value(int number);
  JsonWriter& value(bool flag);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& null();

  // Arrays of plain values.
  JsonWriter& array(std::span<const double> numbers);
  JsonWriter& array(std::span<const std::string> texts);
  template <class Integer>
  JsonWriter& integer_array(std::span<const Integer> numbers) {
    begin_array();
    for (const Integer n : numbers) value(static_cast<std::int64_t>(n));
    return end_array();
  }

  // The finished text; asserts that every object and array was closed.
  const std::string& text() const;

 private:
  void before_value();

  struct Level {
    bool object = false;
    bool has_items = false;
    bool awaiting_value = false;  // in an object: key() written, its value not yet
  };
  std::string text_;
  std::vector<Level> levels_;
};

}  // namespace interdep::report
