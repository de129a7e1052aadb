#include "lupa/indexer/extractor.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <set>
#include <string_view>

#include "lupa/analyzers/text_normalizer.h"
#include "lupa/indexer/text_cleanup.h"
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

class HtmlTextWriter {
 public:
  void walk(const xmlNode* node) {
    for (; node; node = node->next) {
      if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
        append_inline(reinterpret_cast<const char*>(node->content));
        continue;
      }
      if (node->type != XML_ELEMENT_NODE) continue;
      const std::string_view name = name_of(node);
      if (is_skipped(name)) continue;
      const bool block = is_block(name);
      if (block) break_line();
      if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6')
        line_ = std::string(static_cast<std::size_t>(name[1] - '0'), '#') + ' ';
      else if (name == "li")
        line_ = "- ";
      else if (name == "td" || name == "th")
        if (!line_.empty()) line_ += '\t';
      walk(node->children);
      if (block) break_line();
    }
  }

  std::string take() {
    break_line();
    return std::move(text_);
  }

 private:
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

std::optional<std::string> html_title(const xmlNode* node) {
  for (; node; node = node->next) {
    if (node->type == XML_ELEMENT_NODE && name_of(node) == "title" && node->children &&
        node->children->content) {
      std::string title =
          clean_converted_text(reinterpret_cast<const char*>(node->children->content));
      if (title.size() > kMaxTitleBytes) {  // a <title> is a name, not a page of text
        std::size_t cut = kMaxTitleBytes;
        while (cut > 0 && (static_cast<unsigned char>(title[cut]) & 0xC0) == 0x80) --cut;
        title.resize(cut);
      }
      if (!title.empty()) return title;
    }
    if (auto found = html_title(node->children)) return found;
  }
  return std::nullopt;
}

ExtractedText read_html(const std::string& content) {
  // Without a charset declaration libxml2 assumes Latin-1; most pages today are UTF-8.
  const char* encoding = analyzers::is_valid_utf8(content) ? "UTF-8" : nullptr;
  std::unique_ptr<xmlDoc, XmlDocFree> doc(htmlReadMemory(
      content.data(), static_cast<int>(content.size()), nullptr, encoding,
      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET));
  if (!doc) throw ExtractionError("HTML cannot be parsed");
  ExtractedText extracted;
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  extracted.title = html_title(root);
  HtmlTextWriter writer;
  writer.walk(root);
  // libxml2 has decoded entities already; decoding again would turn "&amp;lt;" into "<".
  extracted.text = collapse_spaces(writer.take());
  return extracted;
}

ExtractedText read_plain_text(const std::string& content) {
  ExtractedText extracted;
  std::string_view text = content;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte order mark
  if (analyzers::is_valid_utf8(text)) {
    extracted.text = clean_converted_text(text);
  } else {
    extracted.text = clean_converted_text(analyzers::windows1252_to_utf8(text));
    extracted.notes.push_back("not UTF-8, decoded as Windows-1252");
  }
  return extracted;
}

ExtractedText read_pages(const std::string& content, const ocr::DocumentReader& reader) {
  std::vector<ocr::PageText> pages;
  try {
    pages = reader.read(content);
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

ExtractedText extract_text(const std::filesystem::path& path, const std::string& content,
                           const ocr::DocumentReader* page_reader) {
  if (content.empty()) throw ExtractionError("file is empty");
  if (ocr::is_page_document(path)) {
    if (!page_reader) throw ExtractionError("images and PDFs need the OCR reader");
    return read_pages(content, *page_reader);
  }
  const ocr::FileFormat format = ocr::sniff_format(std::string_view(content).substr(0, 16));
  if (format != ocr::FileFormat::kUnknown)
    throw ExtractionError("content is " + std::string(ocr::format_name(format)) +
                          ", not the text its name says");
  if (content.find('\0') != std::string::npos) throw ExtractionError("binary content, not text");
  if (is_html_extension(lower_extension(path))) return read_html(content);
  return read_plain_text(content);
}

}  // namespace lupa::indexer
