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

/// Bounds on what a file may ask us to decode. A 600 dpi A3 page is 70 megapixels.
struct ImageLimits {
  long long max_pixels = 80'000'000;
  int max_side = 40'000;
  int max_pages = 2'000;
};

/// Decodes every page of a PNG, JPEG or (multi-page) TIFF file. The header is read first, so an
/// image claiming more pixels than `limits` allow is refused before any pixel is allocated; a
/// JPEG without its end marker is refused as truncated rather than decoded half grey.
std::vector<PixPtr> decode_image_pages(std::string_view content, FileFormat format,
                                       const ImageLimits& limits = {});

/// Turns Leptonica's own messages off: errors reach the user through OcrError instead.
void silence_leptonica();

}  // namespace lupa::ocr
