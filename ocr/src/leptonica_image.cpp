#include "lupa/ocr/leptonica_image.h"

#include <string>
#include <unordered_set>

#include "library_messages.h"
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

std::string too_large(long long width, long long height, const ImageLimits& limits) {
  return "the image is " + std::to_string(width) + "x" + std::to_string(height) +
         " pixels, more than the limit of " + std::to_string(limits.max_pixels) + " pixels or " +
         std::to_string(limits.max_side) + " per side";
}

void check_size(long long width, long long height, FileFormat format, const ImageLimits& limits) {
  if (width <= 0 || height <= 0)
    throw OcrError("the " + std::string(format_name(format)) + " header gives no size");
  if (!fits_limits(width, height, limits)) throw OcrError(too_large(width, height, limits));
}

void check_header(std::string_view content, FileFormat format, const ImageLimits& limits) {
  l_int32 file_format = 0, width = 0, height = 0, bits = 0, samples = 0, colormap = 0;
  const l_ok status = pixReadHeaderMem(bytes_of(content), content.size(), &file_format, &width,
                                       &height, &bits, &samples, &colormap);
  if (status != 0)
    throw OcrError("the " + std::string(format_name(format)) + " header cannot be read");
  check_size(width, height, format, limits);
}

// The directories (pages) of a classic TIFF file, read from the bytes themselves. Leptonica
// reads a page's header, or decodes it, only by walking the directories from the first one, so
// checking page n costs n directory reads and a 2,000-page file takes 20 s of headers alone;
// the offsets found here let each page be checked in constant time and then decoded where it
// is. BigTIFF does not get here: sniff_format does not recognise it.
class TiffDirectories {
 public:
  explicit TiffDirectories(std::string_view content)
      : content_(content), little_endian_(content.starts_with("II")) {}

  std::vector<std::size_t> offsets(int max_pages) const {
    std::vector<std::size_t> found;
    std::unordered_set<std::size_t> seen;
    std::size_t offset = read32(4);
    while (offset != 0) {
      if (!seen.insert(offset).second) throw damaged("its list of pages loops");
      if (static_cast<int>(found.size()) == max_pages)
        throw OcrError("the TIFF has more than " + std::to_string(max_pages) + " pages, the limit");
      found.push_back(offset);
      offset = read32(offset + 2 + 12 * std::size_t{read16(offset)});
    }
    if (found.empty()) throw damaged("it has no pages");
    return found;
  }

  /// Width and height recorded in the directory at `offset`; 0 when a tag is missing.
  std::pair<long long, long long> size_at(std::size_t offset) const {
    long long width = 0, height = 0;
    const std::size_t entries = read16(offset);
    for (std::size_t i = 0; i < entries; ++i) {
      const std::size_t entry = offset + 2 + 12 * i;
      const unsigned tag = read16(entry);
      if (tag != kImageWidth && tag != kImageLength) continue;
      const unsigned type = read16(entry + 2);
      const long long value = type == kShort  ? read16(entry + 8)
                              : type == kLong ? read32(entry + 8)
                                              : throw damaged("a page size has an odd type");
      long long& field = tag == kImageWidth ? width : height;
      if (field == 0) field = value;  // libtiff, too, keeps the first of duplicated tags
    }
    return {width, height};
  }

 private:
  static constexpr unsigned kImageWidth = 256, kImageLength = 257, kShort = 3, kLong = 4;

  static OcrError damaged(const std::string& why) {
    return OcrError("the TIFF data is damaged or truncated (" + why + ")");
  }

  std::uint32_t read_bytes(std::size_t at, int count) const {
    if (at > content_.size() || content_.size() - at < static_cast<std::size_t>(count))
      throw damaged("a page header lies beyond the end of the file");
    std::uint32_t value = 0;
    for (int i = 0; i < count; ++i) {
      const auto byte = static_cast<unsigned char>(
          content_[at + static_cast<std::size_t>(little_endian_ ? count - 1 - i : i)]);
      value = (value << 8) | byte;
    }
    return value;
  }
  unsigned read16(std::size_t at) const { return read_bytes(at, 2); }
  std::uint32_t read32(std::size_t at) const { return read_bytes(at, 4); }

  std::string_view content_;
  bool little_endian_;
};

}  // namespace

PixPtr adopt_pix(Pix* pix, const char* step) {
  if (!pix) throw OcrError(std::string("image processing failed: ") + step);
  return PixPtr(pix);
}

bool fits_limits(long long width, long long height, const ImageLimits& limits) {
  return width <= limits.max_side && height <= limits.max_side &&
         width * height <= limits.max_pixels;
}

ImagePages::ImagePages(std::string_view content, FileFormat format, const ImageLimits& limits)
    : content_(content), format_(format), limits_(limits) {
  route_library_messages();
  if (content.empty()) throw OcrError("file is empty");
  if (format != FileFormat::kPng && format != FileFormat::kJpeg && format != FileFormat::kTiff)
    throw OcrError("not a PNG, JPEG or TIFF image");
  if (format == FileFormat::kTiff) {
    if (content.size() < 8) throw OcrError("the TIFF data is damaged or truncated");
    directories_ = TiffDirectories(content).offsets(limits.max_pages);
    const auto [width, height] = TiffDirectories(content).size_at(directories_.front());
    check_size(width, height, format, limits);
    return;
  }
  check_header(content, format, limits);
  if (format == FileFormat::kJpeg && !has_jpeg_end_marker(content))
    throw OcrError("the JPEG is truncated (no end-of-image marker)");
  directories_.push_back(0);
}

PixPtr ImagePages::decode(int index) const {
  const std::string damaged =
      "the " + std::string(format_name(format_)) + " data is damaged or truncated";
  Pix* page = nullptr;
  if (format_ == FileFormat::kTiff) {
    std::size_t offset = directories_.at(static_cast<std::size_t>(index));
    const auto [width, height] = TiffDirectories(content_).size_at(offset);
    check_size(width, height, format_, limits_);
    page = pixReadMemFromMultipageTiff(bytes_of(content_), content_.size(), &offset);
  } else {
    page = pixReadMem(bytes_of(content_), content_.size());
  }
  if (!page) throw OcrError(damaged);
  PixPtr pix(page);
  // The decoder's own idea of the size, in case it read the header differently.
  if (!fits_limits(pixGetWidth(page), pixGetHeight(page), limits_))
    throw OcrError(too_large(pixGetWidth(page), pixGetHeight(page), limits_));
  return pix;
}

std::vector<PixPtr> decode_image_pages(std::string_view content, FileFormat format,
                                       const ImageLimits& limits) {
  const ImagePages pages(content, format, limits);
  std::vector<PixPtr> decoded;
  for (int i = 0; i < pages.count(); ++i) decoded.push_back(pages.decode(i));
  return decoded;
}

}  // namespace lupa::ocr
