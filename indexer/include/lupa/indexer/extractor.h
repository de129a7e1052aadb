// Reads a corpus file into plain text, one paragraph or line per line, ready for segmenting.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "lupa/analyzers/passage_record.h"

namespace lupa::ocr {
class DocumentReader;
}

namespace lupa::indexer {

/// The file cannot be read as a document; what() gives the reason (the caller adds the path).
class ExtractionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Where the text of one page came from.
struct PageOrigin {
  schema::TextSource source = schema::TextSource::kTextLayer;  ///< kTextLayer or kOcr
  std::optional<double> confidence;  ///< mean word confidence 0-100, recognised pages only
  bool from_cache = false;           ///< recognised in an earlier run
};

/// A page whose recognition confidence is below this is flagged in the indexer's summary.
inline constexpr double kLowOcrConfidence = 70;

struct ExtractedText {
  std::string text;                  ///< UTF-8; '\f' separates pages where the source has them
  std::optional<std::string> title;  ///< from the source's own metadata (HTML <title>)
  std::vector<std::string> notes;    ///< what the reader had to guess, for the summary
  std::vector<PageOrigin> pages;     ///< per page, for images and PDFs; empty for text files
};

/// Text files larger than this are refused unread: they are dumps, not reports.
inline constexpr std::uint64_t kMaxTextBytes = std::uint64_t{256} << 20;
/// HTML larger than this is refused unread. libxml2's parser holds a copy of the page and
/// takes time in proportion to its tags; real pages are a few megabytes.
inline constexpr std::uint64_t kMaxHtmlBytes = std::uint64_t{32} << 20;

/// Why a file of `size` bytes named like `path` is refused before it is read, if it is: it is
/// over kMaxHtmlBytes (HTML) or kMaxTextBytes (anything else).
std::optional<std::string> too_large_reason(const std::filesystem::path& path, std::uint64_t size);

/// Whether the indexer has a reader for files named like `path`: .txt, .md, .html, .htm, and
/// the images and PDFs that `page_reader` reads.
bool is_supported_document(const std::filesystem::path& path);

/// Reads `path`. Plain text is decoded as text_decoding.h says (what was guessed or replaced
/// is noted), UTF-16 and UTF-32 with a byte order mark are read as text, HTML included; CR and
/// CRLF end lines as LF does. HTML loses its tags, scripts and styles, keeps headings as "# "
/// lines and list items as "- ", however deeply it nests, in memory of a few times its size.
/// HTML that is not UTF-8 is decoded as plain text is, before it is parsed.
/// Images and PDFs are read through `page_reader` (required for them), pages joined by form
/// feeds, with words that a line end hyphenated joined again; `name` (the document path) is
/// given in the messages the PDF and image libraries print meanwhile.
ExtractedText extract_text(const std::filesystem::path& path, std::string content,
                           const ocr::DocumentReader* page_reader = nullptr,
                           std::string_view name = {});

}  // namespace lupa::indexer
