// Text made safe inside HTML and XML: the markup characters as entities, and the control
// characters XML 1.0 forbids dropped (a scanned page's text may hold them).
#pragma once

#include <string>
#include <string_view>

namespace lupa::searchd {

inline std::string escape_markup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
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
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t') out += c;
    }
  }
  return out;
}

}  // namespace lupa::searchd
