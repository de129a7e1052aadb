#include "lupa/ocr/pdf_reader.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "library_messages.h"
#include "lupa/ocr/file_format.h"
#include "lupa/ocr/page_text.h"

namespace lupa::ocr {
namespace {

constexpr int kMinUsableLetters = 40;
constexpr double kMinWordCharacterShare = 0.60;
constexpr double kMaxJunkShare = 0.02;
constexpr std::size_t kEofSearchBytes = 1024;
constexpr double kPointsPerInch = 72.0;

bool is_junk(UChar32 c) {
  if (c < 0) return true;  // invalid UTF-8
  if (c == 0xFFFD) return true;
  if ((c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000) return true;  // private use
  return c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f';
}

}  // namespace

bool text_layer_is_usable(std::string_view text) {
  long letters = 0, word_characters = 0, junk = 0, visible = 0;
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length =
      static_cast<int32_t>(std::min<std::size_t>(text.size(), std::numeric_limits<int32_t>::max()));
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c >= 0 && u_isUWhiteSpace(c)) continue;
    ++visible;
    if (is_junk(c)) {
      ++junk;
    } else if (u_isalpha(c)) {
      ++letters;
      ++word_characters;
    } else if (u_isdigit(c)) {
      ++word_characters;
    }
  }
  if (letters < kMinUsableLetters) return false;
  if (static_cast<double>(junk) > kMaxJunkShare * static_cast<double>(visible)) return false;
  return static_cast<double>(word_characters) >=
         kMinWordCharacterShare * static_cast<double>(visible);
}

PdfDocument::PdfDocument(std::string_view content) {
  route_library_messages();
  if (content.empty()) throw OcrError("file is empty");
  if (sniff_format(content.substr(0, 8)) != FileFormat::kPdf)
    throw OcrError("not a PDF (it does not start with %PDF-)");
  const std::size_t tail = content.size() > kEofSearchBytes ? content.size() - kEofSearchBytes : 0;
  if (content.find("%%EOF", tail) == std::string_view::npos)
    throw OcrError("the PDF is truncated (no %%EOF in its last kilobyte)");
  if (content.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw OcrError("the PDF is larger than 2 GB");
  document_.reset(
      poppler::document::load_from_raw_data(content.data(), static_cast<int>(content.size())));
  if (!document_) throw OcrError("poppler cannot parse the PDF");
  if (document_->is_locked()) throw OcrError("the PDF is encrypted and needs a password");
}

PdfDocument::~PdfDocument() = default;

int PdfDocument::page_count() const {
  return document_->pages();
}

std::string PdfDocument::page_text(int index) const {
  std::unique_ptr<poppler::page> page(document_->create_page(index));
  if (!page) throw OcrError("page " + std::to_string(index + 1) + " cannot be read");
  const poppler::byte_array utf8 =
      page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout).to_utf8();
  std::string text(utf8.begin(), utf8.end());
  // poppler ends a page's text with a form feed; pages are the caller's to join.
  std::replace(text.begin(), text.end(), '\f', '\n');
  return text;
}

PixPtr PdfDocument::render_page(int index, int dpi, const ImageLimits& limits) const {
  std::unique_ptr<poppler::page> page(document_->create_page(index));
  if (!page) throw OcrError("page " + std::to_string(index + 1) + " cannot be read");
  const poppler::rectf box = page->page_rect();
  double resolution = dpi;
  const double width_px = box.width() / kPointsPerInch * resolution;
  const double height_px = box.height() / kPointsPerInch * resolution;
  const double pixels = width_px * height_px;
  if (pixels > static_cast<double>(limits.max_pixels))
    resolution *= std::sqrt(static_cast<double>(limits.max_pixels) / pixels);
  const double longest = std::max(width_px, height_px) * resolution / dpi;
  if (longest > limits.max_side) resolution *= limits.max_side / longest;

  poppler::page_renderer renderer;
  renderer.set_image_format(poppler::image::format_gray8);
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  const poppler::image image = renderer.render_page(page.get(), resolution, resolution);
  if (!image.is_valid() || image.width() <= 0 || image.height() <= 0)
    throw OcrError("page " + std::to_string(index + 1) + " cannot be rendered");

  PixPtr pix = adopt_pix(pixCreate(image.width(), image.height(), 8), "allocating a page image");
  const int rounded = static_cast<int>(std::lround(resolution));
  pixSetResolution(pix.get(), rounded, rounded);
  l_uint32* data = pixGetData(pix.get());
  const int words_per_line = pixGetWpl(pix.get());
  for (int y = 0; y < image.height(); ++y) {
    const auto* row = reinterpret_cast<const unsigned char*>(image.const_data()) +
                      static_cast<std::ptrdiff_t>(y) * image.bytes_per_row();
    l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * words_per_line;
    for (int x = 0; x < image.width(); ++x) SET_DATA_BYTE(line, x, row[x]);
  }
  return pix;
}

}  // namespace lupa::ocr
