#include "lupa/ocr/leptonica_image.h"

#include <Poco/Checksum.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

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

TEST(PreparePage, ASkewedPageIsStraightened) {
  PixPtr page = page_of_bars(2550, 3300, 300, 30);
  PixPtr skewed(pixRotate(page.get(), 2.0f * 3.14159265f / 180.0f, L_ROTATE_AREA_MAP,
                          L_BRING_IN_WHITE, 0, 0));
  const PreparedPage prepared = prepare_page(*skewed);
  EXPECT_NEAR(std::abs(prepared.skew_degrees), 2.0, 0.3);
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

}  // namespace
}  // namespace lupa::ocr
