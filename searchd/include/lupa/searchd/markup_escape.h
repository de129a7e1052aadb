// Text made safe for the formats the daemon writes: HTML and XML (markup characters as
// entities; characters XML 1.0 forbids dropped; invalid UTF-8 replaced) and JSON text (markup
// characters as \u escapes, so that no answer holds raw markup a browser could sniff).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lupa::searchd {

namespace detail {

inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// The length of the well-formed UTF-8 sequence at `text[at]` and its code point, or 0 when
// the byte there does not start one (overlong forms and surrogates included).
inline std::size_t utf8_sequence(std::string_view text, std::size_t at, char32_t& code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  char32_t minimum = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, code_point = lead & 0x1F, minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, code_point = lead & 0x0F, minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, code_point = lead & 0x07, minimum = 0x10000;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i) & 0x3F);
  }
  if (code_point < minimum || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF))
    return 0;
  return length;
}

}  // namespace detail

/// Calls `each(code_point, bytes)` for every well-formed UTF-8 sequence of `text`, in order,
/// and `each(U+FFFD, its UTF-8)` for each byte that is not part of one.
template <typename Each>
void for_each_code_point(std::string_view text, Each each) {
  for (std::size_t at = 0; at < text.size();) {
    char32_t code_point = 0;
    const std::size_t length = detail::utf8_sequence(text, at, code_point);
    if (length == 0) {
      each(char32_t{0xFFFD}, detail::kReplacementCharacter);
      ++at;
    } else {
      each(code_point, text.substr(at, length));
      at += length;
    }
  }
}

/// `text` with each byte that is not part of well-formed UTF-8 replaced by U+FFFD.
inline std::string with_valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for_each_code_point(text, [&](char32_t, std::string_view bytes) { out.append(bytes); });
  return out;
}

/// Text for HTML and XML 1.0 content and attribute values.
inline std::string escape_markup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for_each_code_point(text, [&](char32_t code_point, std::string_view bytes) {
    switch (code_point) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        // XML 1.0 allows tab, line feed and U+0020 up, except U+FFFE and U+FFFF; a scanned
        // page's text may hold the others. Carriage returns are dropped too: lines end in LF.
        if ((code_point >= 0x20 && code_point != 0xFFFE && code_point != 0xFFFF) ||
            code_point == '\n' || code_point == '\t')
          out.append(bytes);
    }
  });
  return out;
}

/// Serialised JSON with <, > and & written as \u escapes. They can only occur inside JSON
/// strings, so this changes no value a JSON reader sees.
inline std::string escape_markup_in_json(std::string json) {
  std::string out;
  out.reserve(json.size());
  for (char c : json) {
    if (c == '<')
      out += "\\u003c";
    else if (c == '>')
      out += "\\u003e";
    else if (c == '&')
      out += "\\u0026";
    else
      out += c;
  }
  return out;
}

}  // namespace lupa::searchd
