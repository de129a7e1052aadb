// What reading one page of an image or PDF produced, and the error for files that cannot be read.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lupa::ocr {

/// The file cannot be read as an image or PDF; what() gives the reason (the caller adds the path).
class OcrError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Where a page's text came from.
enum class TextSource {
  kTextLayer,  ///< the PDF's own text layer
  kOcr,        ///< recognised from the page image
};

/// "text-layer" or "ocr", as shown to users.
std::string_view source_name(TextSource source);

/// How a recognised page was segmented (see page_layout.h).
enum class PageLayout { kRunningText, kTable };

struct PageText {
  int number = 0;  ///< 1-based
  std::string text;
  TextSource source = TextSource::kOcr;
  std::optional<double> confidence;  ///< mean word confidence 0-100, recognised pages only
  PageLayout layout = PageLayout::kRunningText;
  bool from_cache = false;
  /// Processor time spent on the page (text layer, render or decode, preprocessing,
  /// recognition), not time it waited: what the file's time budget adds up.
  double seconds = 0;
};

}  // namespace lupa::ocr
