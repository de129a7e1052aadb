#include "lupa/indexer/segmenter.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <unordered_map>
#include <utility>

#include "lupa/analyzers/reference_data.h"
#include "lupa/analyzers/text_normalizer.h"

namespace lupa::indexer {
namespace {

constexpr std::size_t kMaxMarkedHeadingBytes = 300;

// Lines point into the text being segmented: copies would double its size in memory.
struct Line {
  std::string_view text;  // trimmed
  std::string key;        // comparable_line(text), for lines that may be running headers only
  int form_feed_page = 1;
  bool blank = false;  // nothing but markup and space
  bool header = false;
};

// Lines whose comparable form is longer are never running headers.
constexpr std::size_t kMaxHeaderKeyBytes = 150;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v';
}

// comparable_line into `key`, stopping with false as soon as the key would pass `limit`.
bool comparable_line_within(std::string_view line, std::size_t limit, std::string& key) {
  key.clear();
  bool space = false;
  for (char c : line) {
    if (c == '*' || c == '#' || c == '_') continue;
    if (is_space(c)) {
      space = !key.empty();
      continue;
    }
    if (space) key += ' ';
    space = false;
    key += c;
    if (key.size() > limit) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool ends_sentence(std::string_view text) {
  text = trim(text);
  if (text.empty()) return true;
  const char last = text.back();
  return last == '.' || last == '!' || last == '?' || last == ':' || last == ';' || last == ')' ||
         last == '"' || text.ends_with("\xC2\xBB") /* » */ ||
         text.ends_with("\xE2\x80\x9D") /* ” */;
}

// True for a lower-case ASCII letter or a lower-case Latin-1 letter in UTF-8 (á é í ó ú ñ ü).
bool starts_lowercase(std::string_view text) {
  if (text.empty()) return false;
  const auto c = static_cast<unsigned char>(text[0]);
  if (std::islower(c)) return true;
  if (c == 0xC3 && text.size() > 1) {
    const auto d = static_cast<unsigned char>(text[1]);
    return d >= 0x9F && d <= 0xBF;
  }
  return false;
}

int count_words(std::string_view text) {
  int words = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = is_space(c) || c == '\n';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

bool is_bullet(std::string_view line) {
  return line.starts_with("- ") || line.starts_with("* ") ||
         line.starts_with("\xE2\x80\xA2") /* • */ || line.starts_with("\xE2\x80\x93 ") /* – */ ||
         line.starts_with("\xE2\x80\x94 ") /* — */;
}

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  int page = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == text.npos) end = text.size();
    std::string_view raw = text.substr(start, end - start);
    // A form feed ends a page; text after it on the same line belongs to the next page.
    for (std::size_t ff = raw.find('\f'); ff != raw.npos; ff = raw.find('\f')) {
      if (!trim(raw.substr(0, ff)).empty())
        lines.push_back({trim(raw.substr(0, ff)), "", page, false, false});
      ++page;
      raw.remove_prefix(ff + 1);
    }
    lines.push_back({trim(raw), "", page, false, false});
    start = end + 1;
  }
  return lines;
}

// "Potential for results: Substantial": a labelled field repeats in every section of a report
// and is content, never a running header.
bool is_field_line(std::string_view line) {
  const auto& reference = analyzers::ReferenceData::instance();
  const std::size_t colon = line.find(':');
  if (colon != line.npos && colon > 0 && colon <= 70 &&
      reference.find_field(line.substr(0, colon)).has_value())
    return true;
  // "¿Contribuyó a abrir el gobierno? Sobresaliente": a question label and its answer.
  const std::size_t question = line.find('?');
  return question != line.npos && question > 0 && question <= 70 && question + 2 < line.size() &&
         reference.find_field(line.substr(0, question + 1)).has_value();
}

bool is_label_alone(std::string_view line) {
  return analyzers::ReferenceData::instance().label_alone(line).has_value();
}

// Marks running-header lines; returns the distinct header lines found.
std::vector<std::string> mark_running_headers(std::vector<Line>& lines, int min_repeats) {
  // Repeats are counted by a hash of each line's key first, then exactly for the lines whose
  // hash repeats: keeping every line's key would hold a second copy of the text.
  std::unordered_map<std::size_t, int> hash_counts;
  std::vector<std::optional<std::size_t>> hashes(lines.size());
  std::string key;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!comparable_line_within(lines[i].text, kMaxHeaderKeyBytes, key)) continue;
    lines[i].blank = key.empty();
    if (key.empty()) continue;
    hashes[i] = std::hash<std::string>{}(key);
    ++hash_counts[*hashes[i]];
  }
  std::unordered_map<std::string, int> counts;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!hashes[i] || hash_counts[*hashes[i]] < min_repeats) continue;
    lines[i].key = comparable_line(lines[i].text);
    ++counts[lines[i].key];
  }
  auto frequent = [&](const Line& line) {
    if (line.key.empty() || is_field_line(line.text)) return false;
    auto found = counts.find(line.key);
    return found != counts.end() && found->second >= min_repeats;
  };

  std::unordered_set<std::string> header_keys;
  std::vector<std::string> header_lines;
  std::vector<std::size_t> run;
  auto close_run = [&] {
    if (run.size() >= 2)
      for (std::size_t index : run)
        if (header_keys.insert(lines[index].key).second) header_lines.push_back(lines[index].key);
    run.clear();
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].blank) continue;  // blank lines do not break a header group
    if (frequent(lines[i])) {
      run.push_back(i);
    } else {
      close_run();
    }
  }
  close_run();
  for (Line& line : lines) line.header = !line.key.empty() && header_keys.contains(line.key);
  return header_lines;
}

struct Block {
  std::string text;
  std::optional<int> page;
};

// Turns lines into blocks (one per source line), dropping headers, joining paragraphs that a
// page break split, and numbering pages. Each block goes to `emit` once the next line shows it
// complete, so that only one is held at a time.
template <typename Emit>
void build_blocks(const std::vector<Line>& lines, bool has_form_feeds, bool has_headers,
                  int& dropped, Emit emit) {
  std::optional<Block> pending;
  int header_page = 1;
  bool content_since_header = false;
  bool after_header = false;
  bool after_blank = true;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    if (line.text.empty()) {
      after_blank = true;
      continue;
    }
    const bool follows_directly = !after_blank;
    after_blank = false;
    if (line.header) {
      ++dropped;
      const bool starts_group = i == 0 || !after_header;
      if (starts_group && content_since_header) {
        ++header_page;
        content_since_header = false;
      }
      after_header = true;
      continue;
    }
    std::optional<int> page;
    if (has_form_feeds)
      page = line.form_feed_page;
    else if (has_headers)
      page = header_page;
    // A paragraph wrapped at a fixed width (pdftotext, plain-text reports) goes on in a line
    // that starts in lower case right under the last one; so does one a page break cut.
    const bool continues =
        pending && starts_lowercase(line.text) && !ends_sentence(pending->text) &&
        pending->text.find('\t') == std::string::npos && (after_header || follows_directly);
    if (continues) {
      pending->text += ' ';
      pending->text += line.text;
    } else {
      if (pending) emit(*pending);
      pending = Block{std::string(line.text), page};
    }
    after_header = false;
    content_since_header = true;
  }
  if (pending) emit(*pending);
}

// Splits an over-long block at sentence ends into pieces of about `limit` bytes. Every search
// looks within a window of the current piece, so a block without sentence ends or spaces (a
// base64 blob, a file that is one line) costs time linear in its size.
std::vector<std::string> split_long_block(std::string_view text, std::size_t limit) {
  std::vector<std::string> pieces;
  std::size_t start = 0;
  while (text.size() - start > limit + limit / 2) {
    const std::string_view window = text.substr(start, 2 * limit + 2);
    std::size_t cut = window.substr(0, limit + 2).rfind(". ");
    if (cut == window.npos || cut <= limit / 2) cut = window.find(". ", limit);
    if (cut == window.npos) {
      // No sentence end near: cut at a space, or at a character boundary.
      cut = window.substr(0, limit + 1).rfind(' ');
      if (cut == window.npos || cut == 0) {
        cut = limit;
        while (cut > 0 && (static_cast<unsigned char>(window[cut]) & 0xC0) == 0x80) --cut;
        if (cut == 0) cut = limit;  // not UTF-8 after all: any cut ends the loop
      }
      pieces.emplace_back(window.substr(0, cut));
      start += cut;
      while (start < text.size() && text[start] == ' ') ++start;
      continue;
    }
    pieces.emplace_back(window.substr(0, cut + 1));
    start += cut + 2;
  }
  pieces.emplace_back(text.substr(start));
  return pieces;
}

// "Commitment 1: Open contracting ........ 12": an entry of a table of contents, which names a
// commitment or a section but starts neither.
bool is_contents_entry(std::string_view line) {
  return line.size() <= 200 &&
         analyzers::ReferenceData::instance().match_rule("toc-entry", line, 220).has_value();
}

class PassageBuilder {
 public:
  PassageBuilder(const SegmenterOptions& options, std::size_t text_bytes) : options_(options) {
    // Room for passages of a few hundred bytes: a huge file's passages are then never copied
    // while the vector grows, and capacity that is never written to costs address space only.
    passages_.reserve(text_bytes / 256 + 16);
  }

  void heading(const Block& block) {
    close();
    std::string text = block.text;
    if (text.starts_with('#')) {
      const std::size_t start = text.find_first_not_of("# ");
      if (start == std::string::npos) return;  // a line of '#' alone names nothing
      text = text.substr(start);
    }
    pending_headings_.push_back({std::move(text), block.page});
  }

  void starts_own_passage(const Block& block) {
    close();
    start(block.page);
    append(block.text);
  }

  void numbered(const Block& block, int number) {
    close();
    start(block.page);
    current_.number = number;
    append(block.text);
  }

  /// Whether the passage being built ends with an entry of a table of contents.
  bool in_contents() const {
    const std::size_t last_line = current_.text.rfind('\n');
    return is_contents_entry(
        std::string_view(current_.text).substr(last_line == std::string::npos ? 0 : last_line + 1));
  }

  /// An entry of a table of contents: the entries make one passage of their own, which the
  /// commitment recogniser drops (they are neither headings nor commitments).
  void contents_entry(const Block& block) {
    if (!in_contents()) close();
    table_row(block);
  }

  /// Whether the passage being built ends with a table row (a line with tabs).
  bool in_table() const {
    const std::size_t last_line = current_.text.rfind('\n');
    return current_.text.find('\t', last_line == std::string::npos ? 0 : last_line) !=
           std::string::npos;
  }

  /// A numbered row of the table being built: it stays with the table's header ("1. Open
  /// contracting<TAB>Substantial" is a row, not a numbered paragraph). Other rows are text as
  /// any other line is.
  void table_row(const Block& block) {
    if (current_.text.size() + block.text.size() > options_.max_passage_bytes) close();
    if (current_.text.empty()) start(block.page);
    append(block.text);
  }

  void body(const Block& block) {
    const bool has_body = !current_.text.empty();
    const bool long_block = block.text.size() >= options_.long_paragraph_bytes;
    if (has_body && ((long_block && body_bytes_ >= options_.long_paragraph_bytes) ||
                     current_.text.size() + block.text.size() > options_.max_passage_bytes))
      close();
    if (current_.text.empty()) start(block.page);
    append(block.text);
  }

  std::vector<Passage> finish() {
    close();
    flush_headings_as_passage(pending_headings_.size());
    return std::move(passages_);
  }

 private:
  struct PendingHeading {
    std::string text;
    std::optional<int> page;
  };

  void start(std::optional<int> page) {
    // Up to two headings in a row read as section and subsection; more is a table of
    // contents, which becomes a passage of its own so that it stays searchable.
    if (pending_headings_.size() > 2) flush_headings_as_passage(pending_headings_.size() - 1);
    if (!pending_headings_.empty()) {
      heading_.clear();
      for (const auto& pending : pending_headings_) {
        if (!heading_.empty()) heading_ += kHeadingLevelSeparator;
        heading_ += pending.text;
      }
      pending_headings_.clear();
    }
    current_ = Passage{};
    current_.heading = heading_;
    current_.page = page;
    body_bytes_ = 0;
  }

  void flush_headings_as_passage(std::size_t count) {
    if (count == 0) return;
    Passage contents;
    contents.heading = heading_;
    contents.page = pending_headings_.front().page;
    for (std::size_t i = 0; i < count; ++i) {
      // A long list of heading-like lines still makes passages of bounded size.
      if (!contents.text.empty() &&
          contents.text.size() + pending_headings_[i].text.size() > options_.max_passage_bytes) {
        Passage next = contents;
        next.text.clear();
        next.page = pending_headings_[i].page;
        emit(std::exchange(contents, std::move(next)));
      }
      if (!contents.text.empty()) contents.text += '\n';
      contents.text += pending_headings_[i].text;
    }
    pending_headings_.erase(pending_headings_.begin(),
                            pending_headings_.begin() + static_cast<std::ptrdiff_t>(count));
    emit(std::move(contents));
  }

  void append(const std::string& text) {
    if (!current_.text.empty()) current_.text += '\n';
    current_.text += text;
    body_bytes_ += text.size();
  }

  void close() {
    if (current_.text.empty()) return;
    std::vector<std::string> pieces = split_long_block(current_.text, options_.max_passage_bytes);
    // Pieces copy the passage without its text: copying the text and then assigning the piece
    // would leave each piece holding a buffer the size of the whole block.
    Passage shell = std::move(current_);
    shell.text = std::string();
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      Passage piece = shell;
      piece.text = std::move(pieces[i]);
      if (i > 0) piece.number.reset();
      emit(std::move(piece));
    }
    current_ = Passage{};
    body_bytes_ = 0;
  }

  void emit(Passage passage) {
    passage.ordinal = static_cast<int>(passages_.size()) + 1;
    passages_.push_back(std::move(passage));
  }

  const SegmenterOptions& options_;
  std::vector<Passage> passages_;
  std::vector<PendingHeading> pending_headings_;
  std::string heading_;
  Passage current_;
  std::size_t body_bytes_ = 0;
};

// "Commitment No. 14: ..." opens a passage of its own even when short (recognizer-rules.tsv).
// The label and number open the line: its first 60 bytes decide, which keeps this test, run
// on every line of the corpus, cheap however long the line.
bool starts_commitment(const std::string& line) {
  return analyzers::ReferenceData::instance().match_rule("commitment-start", line, 60).has_value();
}

}  // namespace

std::string comparable_line(std::string_view line) {
  std::string key;
  comparable_line_within(line, std::string::npos, key);
  return key;
}

std::optional<std::pair<int, std::string_view>> numbered_paragraph(std::string_view line) {
  std::size_t digits = 0;
  while (digits < line.size() && digits < 4 &&
         std::isdigit(static_cast<unsigned char>(line[digits])))
    ++digits;
  if (digits == 0 || digits > 3 || digits + 2 > line.size()) return std::nullopt;
  if (line[digits] != '.' && line[digits] != ')') return std::nullopt;
  std::size_t text_start = digits + 1;
  if (!is_space(line[text_start])) return std::nullopt;  // "4.1", "3.a", "1.-" are not paragraphs
  while (text_start < line.size() && is_space(line[text_start])) ++text_start;
  if (text_start >= line.size()) return std::nullopt;
  return std::pair{std::stoi(std::string(line.substr(0, digits))), line.substr(text_start)};
}

bool looks_like_heading(std::string_view line) {
  line = trim(line);
  if (line.empty()) return false;
  // A marked heading names every passage under it, so it is copied into each: one that is a
  // page long is text.
  if (line.starts_with('#')) return line.size() <= kMaxMarkedHeadingBytes;
  if (line.find('\t') != line.npos || is_bullet(line) || line.size() > 120) return false;
  // A contact line ("Name, Head of Unit name@agency.gob.mx") or a link is not a title.
  if (line.find('@') != line.npos || line.find("http") != line.npos ||
      line.find("www.") != line.npos)
    return false;
  const int words = count_words(line);
  if (words > 14) return false;
  const char last = line.back();
  if (last == '.' || last == ',' || last == ';') return false;
  if (last == ':' && words > 6) return false;
  // "MX0075, 2019, Fiscal Openness": comma-separated values with numbers are data, not a title.
  std::size_t commas = 0;
  for (std::size_t at = line.find(", "); at != line.npos; at = line.find(", ", at + 2)) ++commas;
  if (commas >= 2 && line.find_first_of("0123456789") != line.npos) return false;
  const std::size_t colon = line.find(": ");
  if (colon != line.npos && colon + 2 < line.size()) return false;  // "Label: value" is a field
  const auto first = static_cast<unsigned char>(line[0]);
  if (std::isupper(first) || std::isdigit(first)) return true;
  // Upper-case Latin-1 letters (Á É Í Ó Ú Ñ) and the Spanish opening marks ¿ ¡.
  if (first == 0xC3 && line.size() > 1) {
    const auto second = static_cast<unsigned char>(line[1]);
    return second >= 0x80 && second <= 0x9E;
  }
  return line.starts_with("\xC2\xBF") || line.starts_with("\xC2\xA1");
}

SegmentedText segment_text(std::string_view text, const SegmenterOptions& options) {
  SegmentedText result;
  std::vector<Line> lines = split_lines(text);
  result.running_header = mark_running_headers(lines, options.min_header_repeats);
  const bool has_form_feeds = text.find('\f') != text.npos;
  PassageBuilder builder(options, text.size());
  // A field's label alone on its line ("Lead implementing agency/actor") and the value on the
  // next are text of the passage, not headings.
  bool after_label = false;
  build_blocks(lines, has_form_feeds, !result.running_header.empty(), result.header_lines_dropped,
               [&builder, &after_label](const Block& block) {
                 const bool value_of_label = after_label;
                 after_label = is_label_alone(block.text);
                 if (after_label || value_of_label || is_field_line(block.text)) {
                   builder.body(block);
                 } else if (is_contents_entry(block.text)) {
                   builder.contents_entry(block);
                 } else if (builder.in_table() && block.text.find('\t') != std::string::npos &&
                            numbered_paragraph(block.text)) {
                   builder.table_row(block);
                 } else if (auto numbered = numbered_paragraph(block.text)) {
                   builder.numbered(block, numbered->first);
                 } else if (starts_commitment(block.text)) {
                   builder.starts_own_passage(block);
                 } else if (looks_like_heading(block.text)) {
                   builder.heading(block);
                 } else {
                   builder.body(block);
                 }
               });
  result.passages = builder.finish();
  return result;
}

}  // namespace lupa::indexer
