// Compact JSON written straight into a string, byte for byte as Poco's stringifier writes the
// same values held in Poco::JSON objects that keep their keys' order. The stored records and
// the daemon's answers are written with it: building a tree of Poco objects for each, only to
// stringify it, cost more than the rest of writing them.
//
// The bytes Poco writes (Poco 1.11, Poco::JSON::Object::stringify without indentation):
// strings with `"` and `\` escaped, \b \t \n \f \r for those control bytes, \u00XX (upper-case
// hex) for the other bytes below 0x20, every other byte as it is (UTF-8 or not, DEL and `/`
// included); whole numbers in decimal; other numbers as Poco::NumberFormatter writes a double
// (the shortest form that reads back, e.g. 0.1, 0.0000001, 1e-16, 1e+15, and 0 for -0);
// true, false and null.
#pragma once

#include <charconv>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace lupa::analyzers {

class JsonWriter {
 public:
  /// Whether <, > and & in strings (keys included) are written as \u003c, \u003e and \u0026:
  /// the same value to a JSON reader, and no raw markup for a browser to sniff in an answer.
  enum class Markup { kAsIs, kEscaped };

  explicit JsonWriter(Markup markup = Markup::kAsIs) : markup_(markup) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  /// The name of the next member of the object being written; its value follows.
  JsonWriter& key(std::string_view name);

  JsonWriter& text(std::string_view value);
  template <std::integral Number>
  requires(!std::same_as<Number, bool>) JsonWriter& integer(Number value) {
    separate();
    char digits[24];
    const auto written = std::to_chars(std::begin(digits), std::end(digits), value);
    out_.append(digits, written.ptr);
    return *this;
  }
  JsonWriter& number(double value);
  JsonWriter& boolean(bool value);
  JsonWriter& null();
  /// An array of strings.
  JsonWriter& texts(const std::vector<std::string>& values);
  /// The value, as text, integer, number or boolean by its type, or null when there is none.
  template <typename Value>
  JsonWriter& or_null(const std::optional<Value>& value) {
    if (!value) return null();
    if constexpr (std::is_same_v<Value, bool>) {
      return boolean(*value);
    } else if constexpr (std::is_integral_v<Value>) {
      return integer(*value);
    } else if constexpr (std::is_floating_point_v<Value>) {
      return number(*value);
    } else {
      return text(*value);
    }
  }

  /// The JSON written so far; the writer is left empty.
  std::string finish() && { return std::move(out_); }

 private:
  // A comma before every value or key but the first of its array or object.
  void separate() {
    if (after_value_) out_ += ',';
    after_value_ = true;
  }
  void quoted(std::string_view value);

  std::string out_;
  Markup markup_;
  bool after_value_ = false;
};

}  // namespace lupa::analyzers
