#include "lupa/ocr/leptonica_image.h"

#include <mutex>
#include <string>

#include "lupa/ocr/page_text.h"

namespace lupa::ocr {
namespace {

const l_uint8* bytes_of(std::string_view content) {
  return reinterpret_cast<const l_uint8*>(content.data());
}

// In entropy-coded JPEG data 0xFF is always followed by 0x00 or a restart marker, so FF D9 near
// the end can only be the end-of-image marker. Writers may pad a few bytes after it.
bool has_jpeg_end_marker(std::string_view content) {
  constexpr std::size_t kTailBytes = 64;
  const std::size_t start = content.size() > kTailBytes ? content.size() - kTailBytes : 0;
  return content.find("\xFF\xD9", start) != std::string_view::npos;
}

void check_header(std::string_view content, FileFormat format, const ImageLimits& limits) {
  l_int32 file_format = 0, width = 0, height = 0, bits = 0, samples = 0, colormap = 0;
  if (pixReadHeaderMem(bytes_of(content), content.size(), &file_format, &width, &height, &bits,
                       &samples, &colormap) != 0)
    throw OcrError("the " + std::string(format_name(format)) + " header cannot be read");
  if (width <= 0 || height <= 0)
    throw OcrError("the " + std::string(format_name(format)) + " header gives no size");
  const long long pixels = static_cast<long long>(width) * height;
  if (width > limits.max_side || height > limits.max_side || pixels > limits.max_pixels)
    throw OcrError("the image is " + std::to_string(width) + "x" + std::to_string(height) +
                   " pixels, more than the limit of " + std::to_string(limits.max_pixels) +
                   " pixels or " + std::to_string(limits.max_side) + " per side");
}

}  // namespace

PixPtr adopt_pix(Pix* pix, const char* step) {
  if (!pix) throw OcrError(std::string("image processing failed: ") + step);
  return PixPtr(pix);
}

void silence_leptonica() {
  static std::once_flag once;
  std::call_once(once, [] { setMsgSeverity(L_SEVERITY_NONE); });
}

std::vector<PixPtr> decode_image_pages(std::string_view content, FileFormat format,
                                       const ImageLimits& limits) {
  silence_leptonica();
  if (content.empty()) throw OcrError("file is empty");
  if (format != FileFormat::kPng && format != FileFormat::kJpeg && format != FileFormat::kTiff)
    throw OcrError("not a PNG, JPEG or TIFF image");
  check_header(content, format, limits);
  if (format == FileFormat::kJpeg && !has_jpeg_end_marker(content))
    throw OcrError("the JPEG is truncated (no end-of-image marker)");

  std::vector<PixPtr> pages;
  if (format == FileFormat::kTiff) {
    Pixa* pixa = pixaReadMemMultipageTiff(bytes_of(content), content.size());
    if (!pixa) throw OcrError("the TIFF data is damaged or truncated");
    const int count = pixaGetCount(pixa);
    for (int i = 0; i < count && i < limits.max_pages; ++i)
      if (Pix* page = pixaGetPix(pixa, i, L_COPY)) pages.emplace_back(page);
    pixaDestroy(&pixa);
    if (count > limits.max_pages)
      throw OcrError("the TIFF has " + std::to_string(count) + " pages, more than the limit of " +
                     std::to_string(limits.max_pages));
  } else {
    Pix* page = pixReadMem(bytes_of(content), content.size());
    if (!page)
      throw OcrError("the " + std::string(format_name(format)) + " data is damaged or truncated");
    pages.emplace_back(page);
  }
  if (pages.empty()) throw OcrError("the image has no pages");
  for (const PixPtr& page : pages) {
    const long long pixels =
        static_cast<long long>(pixGetWidth(page.get())) * pixGetHeight(page.get());
    if (pixels > limits.max_pixels)
      throw OcrError("a page is larger than the limit of " + std::to_string(limits.max_pixels) +
                     " pixels");
  }
  return pages;
}

}  // namespace lupa::ocr
