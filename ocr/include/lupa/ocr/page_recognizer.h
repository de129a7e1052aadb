// One Tesseract engine, recognising prepared page images. Not thread-safe: each thread owns one.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "lupa/ocr/leptonica_image.h"
#include "lupa/ocr/page_text.h"

namespace tesseract {
class TessBaseAPI;
}

namespace lupa::ocr {

struct RecognizerSettings {
  std::string languages = "spa+eng";
  std::string tessdata;  ///< empty: Tesseract's default location
  std::chrono::seconds page_time_limit{120};
};

/// Identifies the settings and engine that produced a text, for the cache key.
std::string recognizer_fingerprint(const RecognizerSettings& settings);

struct Recognition {
  std::string text;
  double confidence = 0;  ///< mean word confidence, 0-100
  PageLayout layout = PageLayout::kRunningText;
};

class PageRecognizer {
 public:
  /// Loads the language models; throws OcrError when they cannot be loaded.
  explicit PageRecognizer(const RecognizerSettings& settings);
  ~PageRecognizer();
  PageRecognizer(const PageRecognizer&) = delete;
  PageRecognizer& operator=(const PageRecognizer&) = delete;

  /// Recognises `page` (prepared by prepare_page, at `dpi`), choosing the segmentation by
  /// page_layout.h's rule. Throws OcrError when recognition fails or exceeds the page time
  /// limit or `time_left` (what remains of the file's budget), whichever is shorter.
  /// `unstraightened`, when `page` was straightened, is the same page prepared without that
  /// (PreparedPage::unstraightened); it is read instead when Tesseract's layout analysis follows
  /// its skewed lines (page_layout.h), since straightening resamples the page and blurs it.
  Recognition recognize(Pix& page, int dpi,
                        std::chrono::milliseconds time_left = std::chrono::milliseconds::max(),
                        Pix* unstraightened = nullptr);

 private:
  struct Api;
  std::unique_ptr<Api> api_;
  std::chrono::seconds time_limit_;
};

}  // namespace lupa::ocr
