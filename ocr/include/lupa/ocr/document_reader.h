// Reads the text of an image or PDF file page by page: text layers as they are, page images
// through the preprocessor and Tesseract, the pages of one document in parallel on every core.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "lupa/ocr/leptonica_image.h"
#include "lupa/ocr/page_recognizer.h"
#include "lupa/ocr/page_text.h"

namespace lupa::ocr {

struct ReaderOptions {
  RecognizerSettings recognizer;
  unsigned threads = 0;  ///< recognition threads; 0: one per core
  int render_dpi = 300;
  std::optional<std::filesystem::path> cache_directory;
  ImageLimits limits;
  /// The work one file may take: the processor time spent on its own pages (opening it, text
  /// layers, rendering or decoding, preparing, recognising), added up over the threads that
  /// did it. Time its pages wait for a recognition thread busy with other files is not counted,
  /// so that the budget bounds what a hostile file costs, not how long it queued. poppler
  /// cannot be interrupted inside a page, so the budget is checked between pages and between a
  /// page's text layer and its rendering, and what is left of it is Tesseract's deadline; past
  /// it the file fails with a reason naming the limit.
  std::chrono::seconds file_time_limit{3600};
  /// A page's text layer longer than this is not a page of text but a broken or hostile file
  /// (a dense page of small print holds about 10 KB).
  std::size_t max_page_text_bytes = 1'000'000;
};

/// Whether the name says image or PDF (.pdf, .png, .jpg, .jpeg, .tif, .tiff, any case).
bool is_page_document(const std::filesystem::path& path);

class DocumentReader {
 public:
  explicit DocumentReader(ReaderOptions options = {});
  ~DocumentReader();
  DocumentReader(const DocumentReader&) = delete;
  DocumentReader& operator=(const DocumentReader&) = delete;

  /// Every page of the file held in `content`, in order. Thread-safe: several documents may be
  /// read at once, sharing the recognition threads. Throws OcrError with the reason when the
  /// file is not a readable image or PDF, or exceeds a limit of `ReaderOptions`. `name` (the
  /// path users know the file by) is given in the messages poppler, Leptonica and the image
  /// decoders print on stderr while the file is read.
  std::vector<PageText> read(std::string_view content, std::string_view name = {}) const;

  /// Removes every cached recognition (nothing when no cache directory was given).
  void clear_cache() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lupa::ocr
