#include "lupa/indexer/extractor.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <set>
#include <string_view>

#include "lupa/analyzers/text_normalizer.h"
#include "lupa/indexer/text_cleanup.h"
#include "lupa/indexer/text_decoding.h"
#include "lupa/ocr/document_reader.h"
#include "lupa/ocr/file_format.h"

namespace lupa::indexer {
namespace {

std::string lower_extension(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

bool is_html_extension(const std::string& extension) {
  return extension == ".html" || extension == ".htm";
}

constexpr std::size_t kMaxTitleBytes = 300;

// Cuts `text` to at most `bytes`, at a character boundary.
void cut_utf8(std::string& text, std::size_t bytes) {
  if (text.size() <= bytes) return;
  while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) --bytes;
  text.resize(bytes);
}

bool is_block(std::string_view name) {
  static const std::set<std::string_view> kBlocks = {
      "p",       "div",     "br",         "li",     "ul",  "ol",      "table",      "tr",
      "section", "article", "header",     "footer", "nav", "aside",   "blockquote", "pre",
      "h1",      "h2",      "h3",         "h4",     "h5",  "h6",      "dt",         "dd",
      "dl",      "figure",  "figcaption", "main",   "hr",  "caption", "address"};
  return kBlocks.contains(name);
}

// Not the page's text. <nav> is its menus and breadcrumbs: page chrome, which would be
// indexed and taken for headings and titles.
bool is_skipped(std::string_view name) {
  return name == "script" || name == "style" || name == "noscript" || name == "template" ||
         name == "head" || name == "svg" || name == "iframe" || name == "nav";
}

// Writes the text of a page as libxml2's SAX parser reports it, element by element, keeping
// no tree: libxml2's tree took about 100 times the page ("<p>x" repeated 5 million times took
// 2 GB), while this holds the text and a count of open elements, however deep they nest.
class HtmlTextWriter {
 public:
  void start_element(std::string_view name) {
    if (title_open_) title_has_child_ = true;  // the title is its first text only
    if (!title_ && !title_open_ && name == "title") {
      title_open_ = true;
      title_has_child_ = false;
      title_depth_ = depth_;
    }
    ++depth_;
    if (skipped_depth_ > 0 || is_skipped(name)) {
      ++skipped_depth_;
      return;
    }
    if (is_block(name)) break_line();
    if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6')
      line_ = std::string(static_cast<std::size_t>(name[1] - '0'), '#') + ' ';
    else if (name == "li")
      line_ = "- ";
    else if (name == "td" || name == "th")
      if (!line_.empty()) line_ += '\t';
  }

  void end_element(std::string_view name) {
    if (depth_ > 0) --depth_;
    if (title_open_ && depth_ == title_depth_) close_title();
    if (skipped_depth_ > 0) {
      --skipped_depth_;
      return;
    }
    if (is_block(name)) break_line();
  }

  void characters(std::string_view content) {
    if (title_open_ && !title_has_child_ && title_text_.size() < kMaxRawTitleBytes)
      title_text_.append(content.substr(0, kMaxRawTitleBytes - title_text_.size()));
    if (skipped_depth_ == 0) append_inline(content);
  }

  std::string take_text() {
    break_line();
    return std::move(text_);
  }

  std::optional<std::string> take_title() {
    if (title_open_) close_title();  // the parser stopped inside it
    return std::move(title_);
  }

 private:
  // Spaces collapse: a title of a page of blanks still fits once cleaned.
  static constexpr std::size_t kMaxRawTitleBytes = 64 * kMaxTitleBytes;

  void close_title() {
    title_open_ = false;
    cut_utf8(title_text_, kMaxRawTitleBytes);
    std::string title = clean_converted_text(title_text_);
    title_text_.clear();
    cut_utf8(title, kMaxTitleBytes);  // a <title> is a name, not a page of text
    if (!title.empty()) title_ = std::move(title);
  }
  void append_inline(std::string_view content) {
    for (const char c : content) {
      const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
      if (space) {
        if (!line_.empty() && line_.back() != ' ' && line_.back() != '\t') line_ += ' ';
      } else {
        line_ += c;
      }
    }
  }
  void break_line() {
    while (!line_.empty() && line_.back() == ' ') line_.pop_back();
    const bool only_marker = line_ == "- " || line_.find_first_not_of("# ") == std::string::npos;
    if (!line_.empty() && !only_marker) {
      text_ += line_;
      text_ += '\n';
    }
    line_.clear();
  }
  std::string text_;
  std::string line_;
  std::size_t depth_ = 0;          // elements open
  std::size_t skipped_depth_ = 0;  // of them, those inside a skipped one (script, head, ...)
  std::optional<std::string> title_;
  std::string title_text_;
  bool title_open_ = false;
  bool title_has_child_ = false;
  std::size_t title_depth_ = 0;
};

struct HtmlParserFree {
  void operator()(htmlParserCtxt* context) const { htmlFreeParserCtxt(context); }
};

// What the SAX callbacks reach through libxml2's user data.
struct HtmlSaxState {
  htmlParserCtxt* context;
  HtmlTextWriter writer;
  std::exception_ptr failure;  // C code must not be unwound through: rethrown after the parse
};

template <typename Work>
void guarded(void* user_data, Work work) {
  auto* state = static_cast<HtmlSaxState*>(user_data);
  if (state->failure) return;
  try {
    work(state->writer);
  } catch (...) {
    state->failure = std::current_exception();
    xmlStopParser(state->context);
  }
}

std::string_view sax_name(const xmlChar* name) {
  return name ? reinterpret_cast<const char*>(name) : "";
}

void on_start_element(void* user_data, const xmlChar* name, const xmlChar**) {
  guarded(user_data, [name](HtmlTextWriter& writer) { writer.start_element(sax_name(name)); });
}

void on_end_element(void* user_data, const xmlChar* name) {
  guarded(user_data, [name](HtmlTextWriter& writer) { writer.end_element(sax_name(name)); });
}

void on_characters(void* user_data, const xmlChar* content, int length) {
  guarded(user_data, [content, length](HtmlTextWriter& writer) {
    if (content && length > 0)
      writer.characters({reinterpret_cast<const char*>(content), static_cast<std::size_t>(length)});
  });
}

// `content` is UTF-8 (extract_text has decoded whatever it was).
ExtractedText read_html(const std::string& content) {
  std::unique_ptr<htmlParserCtxt, HtmlParserFree> context(
      htmlCreateMemoryParserCtxt(content.data(), static_cast<int>(content.size())));
  if (!context) throw std::bad_alloc();
  HtmlSaxState state{context.get(), {}, nullptr};
  // Only the callbacks below: no tree is built, and errors (none set) are not printed.
  *context->sax = htmlSAXHandler{};
  context->sax->startElement = on_start_element;
  context->sax->endElement = on_end_element;
  context->sax->characters = on_characters;
  context->sax->cdataBlock = on_characters;  // script and style content, skipped by the writer
  context->userData = &state;
  // The text is UTF-8 already: a <meta> charset must not make libxml2 decode it again. Without
  // a tree, libxml2 has no nesting limit to lift (it is in its tree builder), so no
  // XML_PARSE_HUGE: its other limits (10 MB names and attribute values) stay in force.
  xmlSwitchEncoding(context.get(), XML_CHAR_ENCODING_UTF8);
  htmlCtxtUseOptions(context.get(), HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC);
  htmlParseDocument(context.get());
  if (state.failure) std::rethrow_exception(state.failure);
  ExtractedText extracted;
  // Recoverable errors leave the parser going; an internal one (a limit) stops it.
  if (context->errNo == XML_ERR_INTERNAL_ERROR)
    extracted.notes.push_back(
        "the HTML parser stopped early; the text after that point is not "
        "indexed");
  extracted.title = state.writer.take_title();
  // libxml2 has decoded entities already; decoding again would turn "&amp;lt;" into "<".
  extracted.text = drop_page_chrome(collapse_spaces(state.writer.take_text()));
  return extracted;
}

// What decoding had to guess or replace, for the summary.
void note_decoding(const DecodedText& decoded, std::vector<std::string>& notes) {
  if (decoded.encoding != "UTF-8")
    notes.push_back("not UTF-8, decoded as " + decoded.encoding);
  else if (decoded.legacy_bytes > 0)
    notes.push_back(std::to_string(decoded.legacy_bytes) +
                    " byte(s) outside UTF-8 sequences read as Windows-1252");
  if (decoded.replaced > 0)
    notes.push_back(std::to_string(decoded.replaced) +
                    " byte(s) that are no character replaced by U+FFFD");
}

schema::TextSource text_source(ocr::TextSource source) {
  switch (source) {
    case ocr::TextSource::kTextLayer:
      return schema::TextSource::kTextLayer;
    case ocr::TextSource::kOcr:
      return schema::TextSource::kOcr;
  }
  return schema::TextSource::kOcr;
}

ExtractedText read_pages(const std::string& content, const ocr::DocumentReader& reader,
                         std::string_view name) {
  std::vector<ocr::PageText> pages;
  try {
    pages = reader.read(content, name);
  } catch (const ocr::OcrError& error) {
    throw ExtractionError(error.what());
  }
  ExtractedText extracted;
  std::string low_confidence;
  for (const ocr::PageText& page : pages) {
    if (page.number > 1) extracted.text += '\f';
    extracted.text += clean_converted_text(join_hyphenated_lines(page.text));
    extracted.pages.push_back({text_source(page.source), page.confidence, page.from_cache});
    if (page.confidence && *page.confidence < kLowOcrConfidence)
      low_confidence += (low_confidence.empty() ? "" : ", ") + std::to_string(page.number) + " (" +
                        std::to_string(static_cast<int>(*page.confidence)) + ")";
  }
  if (!low_confidence.empty())
    extracted.notes.push_back("low OCR confidence on page " + low_confidence + ", below " +
                              std::to_string(static_cast<int>(kLowOcrConfidence)));
  return extracted;
}

}  // namespace

std::optional<std::string> too_large_reason(const std::filesystem::path& path, std::uint64_t size) {
  const bool html = is_html_extension(lower_extension(path));
  const std::uint64_t limit = html ? kMaxHtmlBytes : kMaxTextBytes;
  if (size <= limit) return std::nullopt;
  return "larger than " + std::to_string(limit >> 20) + " MB" +
         (html ? ", the limit for HTML" : "");
}

bool is_supported_document(const std::filesystem::path& path) {
  const std::string extension = lower_extension(path);
  return extension == ".txt" || extension == ".md" || is_html_extension(extension) ||
         ocr::is_page_document(path);
}

ExtractedText extract_text(const std::filesystem::path& path, std::string content,
                           const ocr::DocumentReader* page_reader, std::string_view name) {
  if (content.empty()) throw ExtractionError("file is empty");
  if (ocr::is_page_document(path)) {
    if (!page_reader) throw ExtractionError("images and PDFs need the OCR reader");
    return read_pages(content, *page_reader, name);
  }
  const ocr::FileFormat format = ocr::sniff_format(std::string_view(content).substr(0, 16));
  if (format != ocr::FileFormat::kUnknown)
    throw ExtractionError("content is " + std::string(ocr::format_name(format)) +
                          ", not the text its name says");
  const bool html = is_html_extension(lower_extension(path));
  if (auto reason = too_large_reason(path, content.size())) throw ExtractionError(*reason);
  std::vector<std::string> notes;
  // UTF-16 and UTF-32 hold NUL bytes: they are told from binary content by their mark.
  if (has_wide_byte_order_mark(content)) {
    DecodedText decoded = decode_text(std::move(content));
    content = std::move(decoded.text);
    notes.push_back("decoded as " + decoded.encoding);
  } else {
    if (content.find('\0') != std::string::npos) throw ExtractionError("binary content, not text");
    // HTML too: libxml2 would read a page that is not UTF-8 and names no charset as Latin-1,
    // Windows-1252's quotes and dashes becoming control characters, and one with a single bad
    // byte in its UTF-8 as Latin-1 throughout.
    DecodedText decoded = decode_text(std::move(content), /*markup=*/html);
    content = std::move(decoded.text);
    note_decoding(decoded, notes);
  }
  if (content.find('\0') != std::string::npos) throw ExtractionError("binary content, not text");
  ExtractedText extracted;
  if (html) {
    extracted = read_html(content);
  } else {
    extracted.text = clean_converted_text(content);
  }
  notes.insert(notes.end(), std::make_move_iterator(extracted.notes.begin()),
               std::make_move_iterator(extracted.notes.end()));
  extracted.notes = std::move(notes);
  return extracted;
}

}  // namespace lupa::indexer
