#include "lupa/indexer/text_cleanup.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <string_view>
#include <unordered_map>

#include "lupa/analyzers/reference_data.h"

namespace lupa::indexer {
namespace {

// Longest inline tag or markdown link looked for; longer ones are left as text.
constexpr std::size_t kMaxMarkupBytes = 512;

bool is_alpha(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}
bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

void append_utf8(std::string& out, unsigned long code_point) {
  if (code_point == 0 || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF))
    code_point = 0xFFFD;
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

// The named references that occur in Spanish and English government pages.
const std::unordered_map<std::string_view, unsigned long>& named_entities() {
  static const std::unordered_map<std::string_view, unsigned long> entities = {
      {"amp", '&'},      {"lt", '<'},       {"gt", '>'},        {"quot", '"'},
      {"apos", '\''},    {"nbsp", 0xA0},    {"aacute", 0xE1},   {"eacute", 0xE9},
      {"iacute", 0xED},  {"oacute", 0xF3},  {"uacute", 0xFA},   {"Aacute", 0xC1},
      {"Eacute", 0xC9},  {"Iacute", 0xCD},  {"Oacute", 0xD3},   {"Uacute", 0xDA},
      {"ntilde", 0xF1},  {"Ntilde", 0xD1},  {"uuml", 0xFC},     {"Uuml", 0xDC},
      {"iexcl", 0xA1},   {"iquest", 0xBF},  {"laquo", 0xAB},    {"raquo", 0xBB},
      {"ndash", 0x2013}, {"mdash", 0x2014}, {"lsquo", 0x2018},  {"rsquo", 0x2019},
      {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"hellip", 0x2026}, {"bull", 0x2022},
      {"deg", 0xB0},     {"ordm", 0xBA},    {"ordf", 0xAA},     {"copy", 0xA9},
      {"reg", 0xAE},     {"euro", 0x20AC},  {"middot", 0xB7}};
  return entities;
}

// Appends `line` to `out` with runs of spaces collapsed and leading spaces dropped.
void append_collapsed(std::string& out, std::string_view line) {
  const std::size_t line_start = out.size();
  bool in_space = false;
  for (char c : line) {
    if (c == ' ') {
      in_space = true;
      continue;
    }
    if (in_space && out.size() > line_start && out.back() != '\t' && c != '\t') out += ' ';
    in_space = false;
    out += c;
  }
}

}  // namespace

std::string decode_html_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    // References are short: looking further would make text with many '&' quadratic.
    const std::size_t window_semicolon = text.substr(i + 1, 10).find(';');
    const std::size_t semicolon =
        window_semicolon == std::string_view::npos ? text.npos : i + 1 + window_semicolon;
    if (semicolon == text.npos) {
      out += '&';
      continue;
    }
    const std::string_view name = text.substr(i + 1, semicolon - i - 1);
    unsigned long code_point = 0;
    if (name.size() > 1 && name[0] == '#') {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      const std::string digits(name.substr(hex ? 2 : 1));
      char* end = nullptr;
      code_point = digits.empty() ? 0 : std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
      if (digits.empty() || *end != '\0') code_point = 0;
    } else if (auto found = named_entities().find(name); found != named_entities().end()) {
      code_point = found->second;
    }
    if (code_point == 0) {
      out += '&';
      continue;
    }
    append_utf8(out, code_point);
    i = semicolon;
  }
  return out;
}

std::string strip_inline_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<') {
      std::size_t name_start = i + 1;
      if (name_start < text.size() && text[name_start] == '/') ++name_start;
      std::size_t name_end = name_start;
      while (name_end < text.size() && is_alnum(text[name_end])) ++name_end;
      const bool has_name = name_end > name_start && is_alpha(text[name_start]);
      const char after = name_end < text.size() ? text[name_end] : '\0';
      const bool tag_like = after == '>' || after == ' ' || after == '/' || after == '\t';
      // A tag ends on its own line and within kMaxMarkupBytes: looking no further keeps this
      // linear on text with many '<' and no '>'.
      const std::string_view window = text.substr(name_end, kMaxMarkupBytes);
      const std::size_t close = window.find_first_of(">\n<");
      if (has_name && tag_like && close != window.npos && window[close] == '>') {
        out += ' ';  // a tag separates words: "</li><li>" must not glue them
        i = name_end + close;
        continue;
      }
    }
    out += text[i];
  }
  return decode_html_entities(out);
}

std::string strip_markdown(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '*' || c == '_') && i + 1 < text.size() && text[i + 1] == c) {
      ++i;  // ** or __: emphasis markers carry no words
      continue;
    }
    if (c == '*') {
      // *italic*: drop the marker when it opens or closes a word, keep "5 * 3" and bullets.
      const bool opens =
          i + 1 < text.size() && !std::isspace(static_cast<unsigned char>(text[i + 1]));
      const bool closes = i > 0 && !std::isspace(static_cast<unsigned char>(text[i - 1]));
      const bool bullet = (i == 0 || text[i - 1] == '\n') && !opens;
      if ((opens || closes) && !bullet) continue;
    }
    if (c == '[') {
      const std::string_view window = text.substr(i, kMaxMarkupBytes);
      const std::size_t close_offset = window.find_first_of("]\n");
      const std::size_t close =
          close_offset == window.npos || window[close_offset] != ']' ? text.npos : i + close_offset;
      if (close != text.npos && close + 1 < text.size() && text[close + 1] == '(') {
        const std::string_view rest = text.substr(close, kMaxMarkupBytes);
        const std::size_t paren_offset = rest.find_first_of(")\n");
        const std::size_t paren = paren_offset == rest.npos || rest[paren_offset] != ')'
                                      ? text.npos
                                      : close + paren_offset;
        if (paren != text.npos) {
          out += text.substr(i + 1, close - i - 1);
          const std::string_view url = text.substr(close + 2, paren - close - 2);
          if (!url.empty() && url != "#") {
            out += " (";
            out += url;
            out += ')';
          }
          i = paren;
          continue;
        }
      }
    }
    out += c;
  }
  return out;
}

namespace {

bool is_page_chrome_line(std::string_view line) {
  return analyzers::ReferenceData::instance().is_page_chrome(line);
}

// What is left of a line of page chrome: its page breaks, which number the pages.
std::string page_breaks_in(std::string_view line) {
  return std::string(static_cast<std::size_t>(std::count(line.begin(), line.end(), '\f')), '\f');
}

}  // namespace

std::string drop_page_chrome(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    const bool chrome = is_page_chrome_line(line);
    out += chrome ? page_breaks_in(line) : std::string(line);
    if (end == text.size()) break;
    if (!chrome) out += '\n';  // a line of chrome goes with its end
    start = end + 1;
  }
  return out;
}

std::string clean_converted_text(std::string_view text) {
  // Line by line: every step is local to a line, and cleaning a line at a time keeps the
  // intermediate copies the size of a line rather than of the whole text.
  std::string out;
  out.reserve(text.size());
  std::string cleaned;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = std::min(text.find_first_of("\r\n", start), text.size());
    const std::string_view line = text.substr(start, end - start);
    const std::string stripped = strip_markdown(strip_inline_html(line));
    bool chrome = false;
    if (stripped.find('\n') != std::string::npos) {
      cleaned = drop_page_chrome(collapse_spaces(stripped));  // "&#10;" made lines of its own
    } else {
      std::string_view kept = stripped;
      while (!kept.empty() && kept.back() == ' ') kept.remove_suffix(1);
      cleaned.clear();
      append_collapsed(cleaned, kept);
      chrome = is_page_chrome_line(cleaned);
      if (chrome) cleaned = page_breaks_in(cleaned);
    }
    out += cleaned;
    if (end == text.size()) break;
    if (!chrome) out += '\n';  // a line of chrome goes with its end
    // CRLF is one line end; a CR alone (old Mac files) is one too.
    start = end + (text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n' ? 2 : 1);
  }
  return out;
}

std::string collapse_spaces(std::string_view stripped) {
  std::string out;
  out.reserve(stripped.size());
  std::size_t start = 0;
  while (start <= stripped.size()) {
    std::size_t end = stripped.find('\n', start);
    if (end == std::string::npos) end = stripped.size();
    std::string_view line(stripped.data() + start, end - start);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
    append_collapsed(out, line);
    if (end < stripped.size()) out += '\n';
    start = end + 1;
  }
  return out;
}

}  // namespace lupa::indexer

namespace lupa::indexer {
namespace {

bool lower_case_at(std::string_view text, std::size_t start) {
  if (start >= text.size()) return false;
  int32_t offset = static_cast<int32_t>(start);
  UChar32 c = 0;
  U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), offset, static_cast<int32_t>(text.size()),
          c);
  return c >= 0 && u_islower(c);
}

bool lower_case_before(std::string_view text, std::size_t end) {
  if (end == 0) return false;
  std::size_t start = end - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  return lower_case_at(text, start);
}

}  // namespace

std::string join_hyphenated_lines(std::string_view text) {
  std::string joined;
  joined.reserve(text.size());
  std::size_t from = 0;
  for (std::size_t hyphen = text.find("-\n"); hyphen != std::string_view::npos;
       hyphen = text.find("-\n", hyphen + 2)) {
    if (!lower_case_before(text, hyphen) || !lower_case_at(text, hyphen + 2)) continue;
    joined.append(text.substr(from, hyphen - from));
    from = hyphen + 2;
  }
  joined.append(text.substr(from));
  return joined;
}

}  // namespace lupa::indexer
