// Leptonica images owned by RAII handles, and decoding of PNG, JPEG and TIFF files into pages
// with the checks that keep a hostile or damaged file from exhausting memory.
#pragma once

#include <leptonica/allheaders.h>

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "lupa/ocr/file_format.h"

namespace lupa::ocr {

struct PixDeleter {
  void operator()(Pix* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

/// Takes ownership of what a Leptonica function returned; throws OcrError naming `step` when it
/// returned nothing.
PixPtr adopt_pix(Pix* pix, const char* step);

/// Bounds on what a file may ask us to decode, and on the images made from it (a page scaled
/// up to 300 dpi, a PDF page rendered): each is checked on the size an image would have, before
/// it is allocated. A 600 dpi A3 page is 70 megapixels.
struct ImageLimits {
  long long max_pixels = 80'000'000;
  int max_side = 40'000;
  int max_pages = 2'000;
};

/// Whether a `width` x `height` image is within `limits`.
bool fits_limits(long long width, long long height, const ImageLimits& limits);

/// The pages of a PNG, JPEG or (multi-page) TIFF file, decoded one at a time so that a long
/// scan never holds more than the pages being worked on. Each page's header is read and checked
/// against the limits before any of its pixels are allocated: a TIFF whose later pages claim
/// gigapixels is refused at the first such page, not after decoding them all. A JPEG without
/// its end marker is refused as truncated rather than decoded half grey.
class ImagePages {
 public:
  /// Reads the headers only (for a TIFF, its list of pages, which costs nothing per page).
  /// Throws OcrError for an empty or unsupported file, a damaged header, a first page over the
  /// limits or more pages than `limits.max_pages`. `content` must outlive this object.
  ImagePages(std::string_view content, FileFormat format, const ImageLimits& limits = {});

  int count() const { return static_cast<int>(directories_.size()); }
  /// Page `index` (0-based) decoded; throws OcrError when its header claims more than the
  /// limits or its data is damaged.
  PixPtr decode(int index) const;

 private:
  std::string_view content_;
  FileFormat format_;
  ImageLimits limits_;
  std::vector<std::size_t> directories_;  ///< a TIFF's page offsets; one 0 for other formats
};

/// Every page at once: for small files and tests (ImagePages reads a page at a time).
std::vector<PixPtr> decode_image_pages(std::string_view content, FileFormat format,
                                       const ImageLimits& limits = {});

}  // namespace lupa::ocr
