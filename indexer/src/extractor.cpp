#include "lupa/indexer/extractor.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cstring>
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

struct XmlDocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};

constexpr std::size_t kMaxTitleBytes = 300;

std::string_view name_of(const xmlNode* node) {
  return node->name ? reinterpret_cast<const char*>(node->name) : "";
}

bool is_block(std::string_view name) {
  static const std::set<std::string_view> kBlocks = {
      "p",       "div",     "br",         "li",     "ul",  "ol",      "table",      "tr",
      "section", "article", "header",     "footer", "nav", "aside",   "blockquote", "pre",
      "h1",      "h2",      "h3",         "h4",     "h5",  "h6",      "dt",         "dd",
      "dl",      "figure",  "figcaption", "main",   "hr",  "caption", "address"};
  return kBlocks.contains(name);
}

bool is_skipped(std::string_view name) {
  return name == "script" || name == "style" || name == "noscript" || name == "template" ||
         name == "head" || name == "svg" || name == "iframe";
}

// Visits `root` and everything after it at its level, depth first, without recursion: a page
// nested thousands of elements deep must not exhaust a worker thread's stack.
// `enter(node)` returns whether to visit the node's children; `leave(node)` follows them.
template <typename Enter, typename Leave>
void walk_tree(const xmlNode* root, Enter enter, Leave leave) {
  const xmlNode* top = root ? root->parent : nullptr;
  const xmlNode* node = root;
  while (node) {
    if (enter(node) && node->children) {
      node = node->children;
      continue;
    }
    leave(node);
    while (!node->next && node->parent != top) {
      node = node->parent;
      leave(node);
    }
    node = node->next;
  }
}

class HtmlTextWriter {
 public:
  void walk(const xmlNode* root) {
    walk_tree(
        root, [this](const xmlNode* node) { return enter(node); },
        [this](const xmlNode* node) {
          if (node->type == XML_ELEMENT_NODE && is_block(name_of(node))) break_line();
        });
  }

  std::string take() {
    break_line();
    return std::move(text_);
  }

 private:
  bool enter(const xmlNode* node) {
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
      append_inline(reinterpret_cast<const char*>(node->content));
      return false;
    }
    if (node->type != XML_ELEMENT_NODE) return false;
    const std::string_view name = name_of(node);
    if (is_skipped(name)) return false;
    if (is_block(name)) break_line();
    if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6')
      line_ = std::string(static_cast<std::size_t>(name[1] - '0'), '#') + ' ';
    else if (name == "li")
      line_ = "- ";
    else if (name == "td" || name == "th")
      if (!line_.empty()) line_ += '\t';
    return true;
  }
  void append_inline(const char* content) {
    if (!content) return;
    for (const char* c = content; *c; ++c) {
      const bool space = *c == ' ' || *c == '\n' || *c == '\r' || *c == '\t';
      if (space) {
        if (!line_.empty() && line_.back() != ' ' && line_.back() != '\t') line_ += ' ';
      } else {
        line_ += *c;
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
};

std::optional<std::string> html_title(const xmlNode* root) {
  std::optional<std::string> found;
  walk_tree(
      root,
      [&found](const xmlNode* node) {
        if (found) return false;
        if (node->type == XML_ELEMENT_NODE && name_of(node) == "title" && node->children &&
            node->children->content) {
          std::string title =
              clean_converted_text(reinterpret_cast<const char*>(node->children->content));
          if (title.size() > kMaxTitleBytes) {  // a <title> is a name, not a page of text
            std::size_t cut = kMaxTitleBytes;
            while (cut > 0 && (static_cast<unsigned char>(title[cut]) & 0xC0) == 0x80) --cut;
            title.resize(cut);
          }
          if (!title.empty()) found = std::move(title);
        }
        return !found;
      },
      [](const xmlNode*) {});
  return found;
}

struct HtmlParserFree {
  void operator()(htmlParserCtxt* context) const { htmlFreeParserCtxt(context); }
};

ExtractedText read_html(const std::string& content, bool known_utf8) {
  // Without a charset declaration libxml2 assumes Latin-1; most pages today are UTF-8.
  const char* encoding = known_utf8 || analyzers::is_valid_utf8(content) ? "UTF-8" : nullptr;
  std::unique_ptr<htmlParserCtxt, HtmlParserFree> context(htmlNewParserCtxt());
  if (!context) throw std::bad_alloc();
  // XML_PARSE_HUGE lifts libxml2's nesting limit of 256 elements, past which it stops parsing
  // and keeps only the text before; nesting costs memory per element like any element does.
  std::unique_ptr<xmlDoc, XmlDocFree> doc(htmlCtxtReadMemory(
      context.get(), content.data(), static_cast<int>(content.size()), nullptr, encoding,
      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
          XML_PARSE_HUGE));
  if (!doc) throw ExtractionError("HTML cannot be parsed");
  ExtractedText extracted;
  // Recoverable errors leave the parser going; an internal one (a limit) stops it.
  if (context->errNo == XML_ERR_INTERNAL_ERROR)
    extracted.notes.push_back(
        "the HTML parser stopped early; the text after that point is not "
        "indexed");
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  extracted.title = html_title(root);
  HtmlTextWriter writer;
  writer.walk(root);
  // libxml2 has decoded entities already; decoding again would turn "&amp;lt;" into "<".
  extracted.text = collapse_spaces(writer.take());
  return extracted;
}

ExtractedText read_plain_text(std::string content) {
  ExtractedText extracted;
  DecodedText decoded = decode_text(std::move(content));
  if (decoded.encoding != "UTF-8")
    extracted.notes.push_back("not UTF-8, decoded as " + decoded.encoding);
  if (decoded.replaced > 0)
    extracted.notes.push_back(std::to_string(decoded.replaced) +
                              " invalid UTF-8 sequence(s) replaced by U+FFFD");
  extracted.text = clean_converted_text(decoded.text);
  return extracted;
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
    extracted.pages.push_back(
        {std::string(ocr::source_name(page.source)), page.confidence, page.from_cache});
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
  // UTF-16 and UTF-32 hold NUL bytes: they are told from binary content by their mark.
  std::string wide_encoding;
  if (has_wide_byte_order_mark(content)) {
    DecodedText decoded = decode_text(std::move(content));
    content = std::move(decoded.text);
    wide_encoding = std::move(decoded.encoding);
  }
  if (content.find('\0') != std::string::npos) throw ExtractionError("binary content, not text");
  const bool html = is_html_extension(lower_extension(path));
  // libxml2 would read a UTF-8 page with one bad byte as Latin-1, every accent garbled.
  std::size_t replaced = 0;
  if (html && wide_encoding.empty() && is_damaged_utf8(content)) {
    DecodedText decoded = decode_text(std::move(content));
    content = std::move(decoded.text);
    replaced = decoded.replaced;
  }
  ExtractedText extracted = html ? read_html(content, !wide_encoding.empty() || replaced > 0)
                                 : read_plain_text(std::move(content));
  if (replaced > 0)
    extracted.notes.push_back(std::to_string(replaced) +
                              " invalid UTF-8 sequence(s) replaced by U+FFFD");
  if (!wide_encoding.empty()) extracted.notes.push_back("decoded as " + wide_encoding);
  return extracted;
}

}  // namespace lupa::indexer
