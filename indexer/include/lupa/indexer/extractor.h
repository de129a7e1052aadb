// Reads a corpus file into plain text, one paragraph or line per line, ready for segmenting.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lupa::indexer {

/// The file cannot be read as a document; what() gives the reason (the caller adds the path).
class ExtractionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ExtractedText {
  std::string text;                  ///< UTF-8; '\f' separates pages where the source has them
  std::optional<std::string> title;  ///< from the source's own metadata (HTML <title>)
  std::vector<std::string> notes;    ///< what the reader had to guess, for the summary
};

/// Whether the indexer has a reader for files named like `path` (.txt, .md, .html, .htm).
bool is_supported_document(const std::filesystem::path& path);

/// Reads `path`. Plain text that is not UTF-8 is decoded as Windows-1252 (and noted); HTML
/// loses its tags, scripts and styles, keeps headings as "# " lines and list items as "- ".
ExtractedText extract_text(const std::filesystem::path& path, const std::string& content);

}  // namespace lupa::indexer
