#include "lupa/ocr/leptonica_image.h"

#include <Poco/Checksum.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "lupa/ocr/image_preprocessor.h"
#include "lupa/ocr/page_text.h"

namespace lupa::ocr {
namespace {

using ::testing::HasSubstr;

std::string take_bytes(l_uint8* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  std::free(data);
  return bytes;
}

PixPtr white_page(int width, int height, int dpi) {
  PixPtr pix(pixCreate(width, height, 8));
  pixSetAll(pix.get());
  pixSetResolution(pix.get(), dpi, dpi);
  return pix;
}

std::string as_png(Pix* pix) {
  l_uint8* data = nullptr;
  size_t size = 0;
  EXPECT_EQ(pixWriteMemPng(&data, &size, pix, 0), 0);
  return take_bytes(data, size);
}

std::string as_jpeg(Pix* pix) {
  l_uint8* data = nullptr;
  size_t size = 0;
  EXPECT_EQ(pixWriteMemJpeg(&data, &size, pix, 75, 0), 0);
  return take_bytes(data, size);
}

std::string big_endian(std::uint32_t value) {
  return {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
          static_cast<char>(value >> 8), static_cast<char>(value)};
}

// A PNG whose header claims the given size, followed by no image data worth the name.
std::string png_claiming(std::uint32_t width, std::uint32_t height) {
  std::string chunk =
      "IHDR" + big_endian(width) + big_endian(height) + std::string("\x08\x00\x00\x00\x00", 5);
  Poco::Checksum crc(Poco::Checksum::TYPE_CRC32);
  crc.update(chunk);
  return std::string("\x89PNG\r\n\x1a\n", 8) + big_endian(13) + chunk + big_endian(crc.checksum()) +
         big_endian(0) + "IEND" + big_endian(0xAE426082);
}

std::string error_of(std::string_view content, FileFormat format) {
  try {
    decode_image_pages(content, format);
  } catch (const OcrError& error) {
    return error.what();
  }
  return "";
}

TEST(DecodeImage, APngIsOnePageWithItsResolution) {
  PixPtr page = white_page(120, 80, 150);
  const auto pages = decode_image_pages(as_png(page.get()), FileFormat::kPng);
  ASSERT_EQ(pages.size(), 1U);
  EXPECT_EQ(pixGetWidth(pages[0].get()), 120);
  EXPECT_EQ(pixGetHeight(pages[0].get()), 80);
  EXPECT_EQ(pixGetXRes(pages[0].get()), 150);
}

TEST(DecodeImage, EveryPageOfAMultipageTiff) {
  Pixa* pixa = pixaCreate(3);
  for (int width : {100, 200, 300}) {
    PixPtr page(pixCreate(width, 50, 1));
    pixaAddPix(pixa, page.release(), L_INSERT);
  }
  l_uint8* data = nullptr;
  size_t size = 0;
  ASSERT_EQ(pixaWriteMemMultipageTiff(&data, &size, pixa), 0);
  pixaDestroy(&pixa);
  const auto pages = decode_image_pages(take_bytes(data, size), FileFormat::kTiff);
  ASSERT_EQ(pages.size(), 3U);
  EXPECT_EQ(pixGetWidth(pages[2].get()), 300);
}

TEST(DecodeImage, AnEmptyFileIsRefused) {
  EXPECT_EQ(error_of("", FileFormat::kPng), "file is empty");
}

TEST(DecodeImage, AHugeClaimedSizeIsRefusedBeforeDecoding) {
  EXPECT_EQ(error_of(png_claiming(100000, 100000), FileFormat::kPng),
            "the image is 100000x100000 pixels, more than the limit of 80000000 pixels or 40000 "
            "per side");
}

TEST(DecodeImage, AJpegCutInHalfIsRefusedAsTruncated) {
  PixPtr page = white_page(400, 300, 300);
  pixRenderLine(page.get(), 10, 10, 390, 290, 3, L_CLEAR_PIXELS);
  const std::string jpeg = as_jpeg(page.get());
  ASSERT_FALSE(error_of(jpeg, FileFormat::kJpeg).size());
  EXPECT_EQ(error_of(jpeg.substr(0, jpeg.size() / 2), FileFormat::kJpeg),
            "the JPEG is truncated (no end-of-image marker)");
}

TEST(DecodeImage, ADamagedPngIsRefused) {
  PixPtr page = white_page(400, 300, 300);
  const std::string png = as_png(page.get());
  EXPECT_THAT(error_of(png.substr(0, png.size() / 2), FileFormat::kPng),
              HasSubstr("damaged or truncated"));
}

// stderr is the whole process's: decoding a page must leave alone what other threads write
// there meanwhile (the indexer's progress lines). It was once redirected during each decode to
// catch libpng's warnings, which took those lines, labelled them with the page's file, and
// dropped them when the file failed.
TEST(DecodeImage, LinesAnotherThreadWritesDuringDecodesGoOutAsWritten) {
  PixPtr page = white_page(1700, 2200, 200);
  const std::string png = as_png(page.get());
  std::atomic<bool> decoding = true;
  ::testing::internal::CaptureStderr();
  std::thread writer([&decoding] {
    for (int line = 0; decoding; ++line) {
      std::fprintf(stderr, "progress %d\n", line);
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
  });
  const auto start = std::chrono::steady_clock::now();
  int decoded = 0;
  while (decoded < 20 || std::chrono::steady_clock::now() - start < std::chrono::milliseconds(500))
    decoded += static_cast<int>(decode_image_pages(png, FileFormat::kPng).size());
  decoding = false;
  writer.join();
  const std::string err = ::testing::internal::GetCapturedStderr();
  std::istringstream lines(err);
  int expected = 0;
  for (std::string line; std::getline(lines, line); ++expected)
    ASSERT_EQ(line, "progress " + std::to_string(expected)) << decoded << " pages decoded";
  EXPECT_GT(expected, 50);
}

void put_le(std::string& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

// One page of a hand-made TIFF: 8-bit grey, uncompressed, `stored` bytes of white whatever the
// size it declares, so that a page may claim far more pixels than the file holds.
struct TiffPage {
  std::uint32_t width = 0, height = 0;
  std::uint32_t stored = 0;
};

std::string tiff_of(const std::vector<TiffPage>& pages, bool loop_back = false) {
  std::string out = std::string("II*\0", 4);
  put_le(out, 0, 4);
  std::size_t link = 4;  // where the offset of the next directory goes
  std::uint32_t first_directory = 0;
  for (const TiffPage& page : pages) {
    const auto data_offset = static_cast<std::uint32_t>(out.size());
    out.append(page.stored, '\xFF');
    if (out.size() % 2) out += '\0';
    const auto directory = static_cast<std::uint32_t>(out.size());
    if (first_directory == 0) first_directory = directory;
    for (int i = 0; i < 4; ++i)
      out[link + static_cast<std::size_t>(i)] = static_cast<char>(directory >> (8 * i));
    const std::vector<std::array<std::uint32_t, 3>> entries = {
        {256, 4, page.width}, {257, 4, page.height}, {258, 3, 8},
        {259, 3, 1},          {262, 3, 1},           {273, 4, data_offset},
        {277, 3, 1},          {278, 4, page.height}, {279, 4, page.stored}};
    put_le(out, static_cast<std::uint32_t>(entries.size()), 2);
    for (const auto& [tag, type, value] : entries) {
      put_le(out, tag, 2);
      put_le(out, type, 2);
      put_le(out, 1, 4);
      put_le(out, value, 4);
    }
    link = out.size();
    put_le(out, 0, 4);
  }
  if (loop_back)
    for (int i = 0; i < 4; ++i)
      out[link + static_cast<std::size_t>(i)] = static_cast<char>(first_directory >> (8 * i));
  return out;
}

std::string pages_error(std::string_view content, const ImageLimits& limits = {}) {
  try {
    ImagePages pages(content, FileFormat::kTiff, limits);
  } catch (const OcrError& error) {
    return error.what();
  }
  return "";
}

TEST(ImagePages, EachTiffPageIsCheckedBeforeItIsDecoded) {
  // The middle page claims 900 megapixels and holds 16 bytes: decoding it first would allocate
  // the 900 MB (and then call it damaged); checked first, it is refused for its size.
  const std::string tiff = tiff_of({{120, 50, 120 * 50}, {30000, 30000, 16}, {90, 40, 90 * 40}});
  const ImagePages pages(tiff, FileFormat::kTiff);
  ASSERT_EQ(pages.count(), 3);
  EXPECT_EQ(pixGetWidth(pages.decode(0).get()), 120);
  try {
    pages.decode(1);
    ADD_FAILURE() << "a 30000x30000 page was decoded";
  } catch (const OcrError& error) {
    EXPECT_STREQ(error.what(),
                 "the image is 30000x30000 pixels, more than the limit of 80000000 pixels or "
                 "40000 per side");
  }
  EXPECT_EQ(pixGetWidth(pages.decode(2).get()), 90);  // pages are independent of each other
}

TEST(ImagePages, AFirstTiffPageOverTheLimitIsRefusedWhenTheFileIsOpened) {
  EXPECT_EQ(pages_error(tiff_of({{50000, 10, 16}})),
            "the image is 50000x10 pixels, more than the limit of 80000000 pixels or 40000 per "
            "side");
}

TEST(ImagePages, MorePagesThanTheLimitAreRefusedBeforeAnyIsDecoded) {
  ImageLimits limits;
  limits.max_pages = 5;
  EXPECT_EQ(pages_error(tiff_of(std::vector<TiffPage>(6, {10, 10, 100})), limits),
            "the TIFF has more than 5 pages, the limit");
  EXPECT_EQ(pages_error(tiff_of(std::vector<TiffPage>(5, {10, 10, 100})), limits), "");
}

TEST(ImagePages, APageListThatLoopsIsRefusedAsDamaged) {
  EXPECT_EQ(pages_error(tiff_of({{10, 10, 100}, {10, 10, 100}}, true)),
            "the TIFF data is damaged or truncated (its list of pages loops)");
}

TEST(ImagePages, APageHeaderBeyondTheEndIsRefusedAsDamaged) {
  std::string tiff = tiff_of({{10, 10, 100}});
  tiff.resize(tiff.size() - 20);
  EXPECT_THAT(pages_error(tiff), HasSubstr("the TIFF data is damaged or truncated"));
}

TEST(ImagePages, TheLastOfTwoThousandPagesIsReachedWithoutWalkingTheOthers) {
  const std::string tiff = tiff_of(std::vector<TiffPage>(2000, {8, 4, 32}));
  const ImagePages pages(tiff, FileFormat::kTiff);
  ASSERT_EQ(pages.count(), 2000);
  PixPtr last = pages.decode(1999);
  EXPECT_EQ(pixGetWidth(last.get()), 8);
  EXPECT_EQ(pixGetHeight(last.get()), 4);
}

TEST(ScaleFactor, UpscalingStopsAtThePixelLimit) {
  // A Letter page scanned at 300 dpi but labelled 72: 300/72 each way would be 146 megapixels.
  const ImageLimits limits;
  const double factor = scale_factor(2550, 3300, 72, 300, limits);
  EXPECT_LT(factor, 300.0 / 72);
  const double pixels = std::round(2550 * factor) * std::round(3300 * factor);
  EXPECT_LE(pixels, static_cast<double>(limits.max_pixels));
  EXPECT_GT(pixels, 0.99 * static_cast<double>(limits.max_pixels));
}

TEST(ScaleFactor, UpscalingStopsAtTheSideLimit) {
  const double factor = scale_factor(200, 39000, 72, 300, ImageLimits{});
  EXPECT_LE(std::lround(39000 * factor), 40000);
  EXPECT_GT(factor, 1.0);
}

TEST(ScaleFactor, APageAlreadyAtTheLimitIsNotEnlargedAndSmallOnesAreFully) {
  EXPECT_EQ(scale_factor(8000, 10000, 72, 300, ImageLimits{}), 1.0);
  EXPECT_DOUBLE_EQ(scale_factor(1275, 1650, 150, 300, ImageLimits{}), 2.0);
  EXPECT_DOUBLE_EQ(scale_factor(5100, 6600, 600, 300, ImageLimits{}), 0.5);  // shrinking
}

TEST(EffectiveDpi, TheRecordedResolutionWhenPlausible) {
  EXPECT_EQ(effective_dpi(*white_page(1275, 1650, 150)), 150);
  EXPECT_EQ(effective_dpi(*white_page(2550, 3300, 300)), 300);
}

TEST(EffectiveDpi, ALetterPageWidthWhenNoneIsRecorded) {
  EXPECT_EQ(effective_dpi(*white_page(1275, 1650, 0)), 150);
  EXPECT_EQ(effective_dpi(*white_page(2550, 3300, 1)), 300);
}

// Draws `lines` text-like bars on a white page.
PixPtr page_of_bars(int width, int height, int dpi, int lines) {
  PixPtr page = white_page(width, height, dpi);
  for (int i = 0; i < lines; ++i) {
    const int y = height / 8 + i * (height * 3 / 4) / lines;
    for (int x = width / 8; x < width * 7 / 8; x += width / 20)
      pixRenderLine(page.get(), x, y, x + width / 25, y, height / 150 + 2, L_CLEAR_PIXELS);
  }
  return page;
}

TEST(PreparePage, LowResolutionPagesAreScaledTo300Dpi) {
  PixPtr page = page_of_bars(1275, 1650, 150, 20);
  const PreparedPage prepared = prepare_page(*page);
  EXPECT_EQ(pixGetDepth(prepared.binary.get()), 1);
  EXPECT_EQ(prepared.dpi, 300);
  EXPECT_NEAR(pixGetWidth(prepared.binary.get()), 2550, 4);
}

TEST(PreparePage, A72DpiPageIsScaledOnlyAsFarAsTheLimitAllows) {
  ImageLimits limits;
  limits.max_pixels = 6'000'000;
  PixPtr page = page_of_bars(1275, 1650, 72, 20);  // 300 dpi would be 36 megapixels
  const PreparedPage prepared = prepare_page(*page, limits);
  const long long pixels =
      static_cast<long long>(pixGetWidth(prepared.grey.get())) * pixGetHeight(prepared.grey.get());
  EXPECT_LE(pixels, limits.max_pixels);
  EXPECT_GT(pixels, 5'900'000);
  // The resolution Tesseract is told is the one the page really has now.
  EXPECT_NEAR(prepared.dpi, 72 * pixGetWidth(prepared.grey.get()) / 1275.0, 1);
  EXPECT_EQ(pixGetXRes(prepared.grey.get()), prepared.dpi);
}

TEST(PreparePage, ANarrowPageDeclaringOneDpiGrowsNoTallerThanTesseractReads) {
  // No plausible resolution: taken as a Letter page wide, 200 pixels make 72 dpi, and scaling
  // to 300 would make the page 125,000 pixels tall; Tesseract reads at most 32767.
  PixPtr page = page_of_bars(200, 30000, 1, 10);
  const PreparedPage prepared = prepare_page(*page);
  EXPECT_LE(pixGetHeight(prepared.grey.get()), 32767);
  EXPECT_GT(pixGetHeight(prepared.grey.get()), 30000);
}

TEST(PreparePage, ASkewedPageIsStraightened) {
  PixPtr page = page_of_bars(2550, 3300, 300, 30);
  PixPtr skewed(pixRotate(page.get(), 2.0f * 3.14159265f / 180.0f, L_ROTATE_AREA_MAP,
                          L_BRING_IN_WHITE, 0, 0));
  const PreparedPage prepared = prepare_page(*skewed);
  EXPECT_NEAR(std::abs(prepared.skew_degrees), 2.0, 0.3);
  // Past 1.65 degrees Tesseract cannot be relied on to follow the lines: straightened only.
  EXPECT_FALSE(prepared.unstraightened);
}

TEST(PreparePage, APageSkewedALittleIsAlsoPreparedAsItCame) {
  PixPtr page = page_of_bars(2550, 3300, 300, 30);
  PixPtr skewed(pixRotate(page.get(), 1.0f * 3.14159265f / 180.0f, L_ROTATE_AREA_MAP,
                          L_BRING_IN_WHITE, 0, 0));
  const PreparedPage prepared = prepare_page(*skewed);
  EXPECT_NEAR(std::abs(prepared.skew_degrees), 1.0, 0.3);
  // Not rotated: the same size as the straightened page, its bars still slanted.
  ASSERT_TRUE(prepared.unstraightened);
  EXPECT_EQ(pixGetWidth(prepared.unstraightened.get()), pixGetWidth(prepared.grey.get()));
  EXPECT_EQ(pixGetHeight(prepared.unstraightened.get()), pixGetHeight(prepared.grey.get()));
  EXPECT_EQ(pixGetXRes(prepared.unstraightened.get()), 300);
  l_int32 same = 0;
  pixEqual(prepared.unstraightened.get(), prepared.grey.get(), &same);
  EXPECT_FALSE(same);
}

TEST(PreparePage, AStraightPageIsPreparedOnce) {
  PixPtr page = page_of_bars(2550, 3300, 300, 30);
  const PreparedPage prepared = prepare_page(*page);
  EXPECT_FALSE(prepared.unstraightened);
}

TEST(PreparePage, ADarkScannerEdgeAndSpecklesAreRemoved) {
  PixPtr page = page_of_bars(2550, 3300, 300, 30);
  Box* edge = boxCreate(0, 0, 80, 3300);
  pixSetInRectArbitrary(page.get(), edge, 20);
  boxDestroy(&edge);
  for (int i = 0; i < 200; ++i) {
    const int x = 200 + (i * 97) % 2200, y = 150 + (i * 53) % 150;  // in the top margin
    pixSetPixel(page.get(), x, y, 0);
  }
  const PreparedPage prepared = prepare_page(*page);
  l_int32 in_edge = 0, in_margin = 0;
  Box* edge_area = boxCreate(0, 0, 80, 3300);
  Box* margin_area = boxCreate(150, 140, 2300, 170);
  pixCountPixelsInRect(prepared.binary.get(), edge_area, &in_edge, nullptr);
  pixCountPixelsInRect(prepared.binary.get(), margin_area, &in_margin, nullptr);
  boxDestroy(&edge_area);
  boxDestroy(&margin_area);
  EXPECT_EQ(in_edge, 0);
  EXPECT_EQ(in_margin, 0);
  l_int32 text = 0;
  pixCountPixels(prepared.binary.get(), &text, nullptr);
  EXPECT_GT(text, 100000);  // the bars themselves are kept
}

TEST(PreparePage, APageDarkerAtOneCornerKeepsItsTextAndItsBarePaperStaysBlank) {
  // Text in the top third, bare paper below; the light falls off towards the bottom right
  // corner (45 % darker there) and the paper has grain. Bare paper must not binarise into
  // black regions: touching the border, they were taken for a scanner's edge, and whitening
  // them took the text next to them too.
  PixPtr text = page_of_bars(2550, 1100, 300, 8);
  PixPtr page(pixAddBorderGeneral(text.get(), 0, 0, 0, 2200, 255));
  const int width = pixGetWidth(page.get()), height = pixGetHeight(page.get());
  unsigned grain = 12345;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      grain = grain * 1103515245 + 12345;
      l_uint32 value = 0;
      pixGetPixel(page.get(), x, y, &value);
      const double light =
          1 - 0.45 * (static_cast<double>(x) / width + static_cast<double>(y) / height) / 2;
      const double grainy = value * light + static_cast<int>((grain >> 16) % 17) - 8;
      pixSetPixel(page.get(), x, y, static_cast<l_uint32>(std::clamp(grainy, 0.0, 255.0)));
    }
  const PreparedPage prepared = prepare_page(*page);
  l_int32 on_bare_paper = 0, on_text = 0;
  Box* bare = boxCreate(0, 1300, width, height - 1300);
  Box* text_area = boxCreate(0, 0, width, 1100);
  pixCountPixelsInRect(prepared.binary.get(), bare, &on_bare_paper, nullptr);
  pixCountPixelsInRect(prepared.binary.get(), text_area, &on_text, nullptr);
  l_float32 spread = 0;
  Pix* bare_grey = pixClipRectangle(prepared.grey.get(), bare, nullptr);
  pixGetAverageMasked(bare_grey, nullptr, 0, 0, 1, L_STANDARD_DEVIATION, &spread);
  pixDestroy(&bare_grey);
  boxDestroy(&bare);
  boxDestroy(&text_area);
  EXPECT_EQ(on_bare_paper, 0);
  EXPECT_GT(on_text, 30000);  // the bars are kept
  EXPECT_LT(spread, 12);      // the bare paper is one even grey, not patches
}

}  // namespace
}  // namespace lupa::ocr
