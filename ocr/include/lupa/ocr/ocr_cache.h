// Recognised text kept on disk, so re-indexing, or rebuilding the index, costs no OCR for a page
// already read. Keyed by the page image's pixels and the recognition settings: a changed page,
// language list or engine version misses the cache instead of returning stale text.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "lupa/ocr/leptonica_image.h"
#include "lupa/ocr/page_text.h"

namespace lupa::ocr {

class OcrCache {
 public:
  explicit OcrCache(std::filesystem::path directory);

  /// The key of a page image under the given settings fingerprint (hex SHA-1).
  static std::string key_for(const Pix& page, const std::string& fingerprint);

  std::optional<PageText> find(const std::string& key) const;
  /// Writes atomically (temporary file, then rename), so a crash never leaves a half entry.
  /// A failure to write is not an error: the text is simply not cached.
  void store(const std::string& key, const PageText& page) const;
  /// Removes every entry.
  void clear() const;

  const std::filesystem::path& directory() const { return directory_; }

 private:
  std::filesystem::path path_for(const std::string& key) const;
  std::filesystem::path directory_;
};

}  // namespace lupa::ocr
