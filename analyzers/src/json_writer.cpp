#include "lupa/analyzers/json_writer.h"

#include <Poco/NumericString.h>

#include <array>

namespace lupa::analyzers {
namespace {

// How a byte is written inside a string: `size` 0 for as it is.
struct Escape {
  char bytes[6] = {};
  std::size_t size = 0;
};

using EscapeTable = std::array<Escape, 256>;

constexpr Escape short_escape(char letter) {
  return Escape{{'\\', letter}, 2};
}

constexpr Escape unicode_escape(unsigned char byte) {
  constexpr char kHex[] = "0123456789ABCDEF";
  return Escape{{'\\', 'u', '0', '0', kHex[byte >> 4], kHex[byte & 0xF]}, 6};
}

constexpr EscapeTable escapes(JsonWriter::Markup markup) {
  EscapeTable table{};
  for (unsigned byte = 0; byte < 0x20; ++byte)
    table[byte] = unicode_escape(static_cast<unsigned char>(byte));
  table['\b'] = short_escape('b');
  table['\t'] = short_escape('t');
  table['\n'] = short_escape('n');
  table['\f'] = short_escape('f');
  table['\r'] = short_escape('r');
  table['"'] = short_escape('"');
  table['\\'] = short_escape('\\');
  // Lower-case hex, unlike Poco's escapes: the answers wrote them so.
  if (markup == JsonWriter::Markup::kEscaped) {
    table['<'] = Escape{{'\\', 'u', '0', '0', '3', 'c'}, 6};
    table['>'] = Escape{{'\\', 'u', '0', '0', '3', 'e'}, 6};
    table['&'] = Escape{{'\\', 'u', '0', '0', '2', '6'}, 6};
  }
  return table;
}

constexpr EscapeTable kPocoEscapes = escapes(JsonWriter::Markup::kAsIs);
constexpr EscapeTable kMarkupEscapes = escapes(JsonWriter::Markup::kEscaped);

}  // namespace

JsonWriter& JsonWriter::begin_object() {
  separate();
  out_ += '{';
  after_value_ = false;
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  out_ += '}';
  after_value_ = true;
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  separate();
  out_ += '[';
  after_value_ = false;
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  out_ += ']';
  after_value_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  quoted(name);
  out_ += ':';
  after_value_ = false;
  return *this;
}

JsonWriter& JsonWriter::text(std::string_view value) {
  separate();
  quoted(value);
  return *this;
}

JsonWriter& JsonWriter::number(double value) {
  separate();
  // Poco's own formatting (what Poco::Dynamic::Var gives a double as text): its choice of
  // decimal or exponent form is its own, not printf's nor std::to_chars'.
  char digits[POCO_MAX_FLT_STRING_LEN];
  Poco::doubleToStr(digits, POCO_MAX_FLT_STRING_LEN, value);
  out_ += digits;
  return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
  separate();
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  separate();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::texts(const std::vector<std::string>& values) {
  begin_array();
  for (const std::string& value : values) text(value);
  return end_array();
}

void JsonWriter::quoted(std::string_view value) {
  const EscapeTable& table = markup_ == Markup::kEscaped ? kMarkupEscapes : kPocoEscapes;
  out_ += '"';
  // Bytes written as they are go in runs, one append each.
  std::size_t run = 0;
  for (std::size_t at = 0; at < value.size(); ++at) {
    const Escape& escape = table[static_cast<unsigned char>(value[at])];
    if (escape.size == 0) continue;
    out_.append(value.data() + run, at - run);
    out_.append(escape.bytes, escape.size);
    run = at + 1;
  }
  out_.append(value.data() + run, value.size() - run);
  out_ += '"';
}

}  // namespace lupa::analyzers
