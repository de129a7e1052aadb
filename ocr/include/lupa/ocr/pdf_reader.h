// PDF pages through poppler: the text layer where it is real, the page image where it is not.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "lupa/ocr/leptonica_image.h"

namespace poppler {
class document;
}

namespace lupa::ocr {

/// Whether a page's text layer can be trusted instead of recognising the page. It cannot when it
/// holds fewer than 40 letters (a scan with at most a page number or a stamp on top), or when
/// under 60 % of its non-space characters are letters or digits, or over 2 % are replacement,
/// private-use or control characters: the signs of a font without a usable Unicode mapping.
bool text_layer_is_usable(std::string_view text);

class PdfDocument {
 public:
  /// Opens a PDF held in `content`, which must outlive this object. Throws OcrError for a file
  /// that is not a PDF, is truncated (no %%EOF in its last kilobyte), needs a password, or that
  /// poppler cannot parse.
  explicit PdfDocument(std::string_view content);
  ~PdfDocument();
  PdfDocument(const PdfDocument&) = delete;
  PdfDocument& operator=(const PdfDocument&) = delete;

  int page_count() const;
  /// The text layer of page `index` (0-based) in reading order, UTF-8.
  std::string page_text(int index) const;
  /// Page `index` rendered in 8-bit grey at `dpi`, lowered when the page is so large that the
  /// image would exceed `limits`.
  PixPtr render_page(int index, int dpi, const ImageLimits& limits = {}) const;

 private:
  std::unique_ptr<poppler::document> document_;
};

}  // namespace lupa::ocr
