#include "lupa/ocr/file_format.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace lupa::ocr {
namespace {

using namespace std::string_literals;

struct SniffCase {
  const char* name;
  std::string head;
  FileFormat format;
  friend void PrintTo(const SniffCase& c, std::ostream* out) { *out << c.name; }
};

class SniffFormat : public ::testing::TestWithParam<SniffCase> {};

TEST_P(SniffFormat, RecognisesTheFormatFromItsFirstBytes) {
  EXPECT_EQ(sniff_format(GetParam().head), GetParam().format) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
    Signatures, SniffFormat,
    ::testing::Values(
        SniffCase{"pdf", "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n"s, FileFormat::kPdf},
        SniffCase{"pdf_2_0", "%PDF-2.0\n"s, FileFormat::kPdf},
        SniffCase{"png", "\x89PNG\r\n\x1A\n\0\0\0\rIHDR"s, FileFormat::kPng},
        SniffCase{"jpeg_jfif", "\xFF\xD8\xFF\xE0\0\x10JFIF\0"s, FileFormat::kJpeg},
        SniffCase{"jpeg_exif",
                  "\xFF\xD8\xFF\xE1\x12\x34"
                  "Exif\0\0"s,
                  FileFormat::kJpeg},
        // TIFF in both byte orders: "II" little-endian, "MM" big-endian, then 42.
        SniffCase{"tiff_little_endian", "II*\0\x08\0\0\0"s, FileFormat::kTiff},
        SniffCase{"tiff_big_endian", "MM\0*\0\0\0\x08"s, FileFormat::kTiff},
        // An HTML page renamed .pdf or .png is not what its name says.
        SniffCase{"html_renamed", "<!DOCTYPE html><html><head>"s, FileFormat::kUnknown},
        SniffCase{"html_with_bom", "\xEF\xBB\xBF<html>"s, FileFormat::kUnknown},
        SniffCase{"plain_text", "Plan de Acción 2019-2021\n"s, FileFormat::kUnknown},
        // Almost a signature is no signature.
        SniffCase{"pdf_without_dash", "%PDF1.4\n"s, FileFormat::kUnknown},
        SniffCase{"png_truncated", "\x89PNG\r\n"s, FileFormat::kUnknown},
        SniffCase{"png_text_conversion", "\x89PNG\n\n\x1A\n"s, FileFormat::kUnknown},
        SniffCase{"tiff_mixed_byte_order", "II\0*\0\0\0\x08"s, FileFormat::kUnknown},
        SniffCase{"tiff_mixed_byte_order_big", "MM*\0\x08\0\0\0"s, FileFormat::kUnknown},
        SniffCase{"jpeg_two_bytes", "\xFF\xD8"s, FileFormat::kUnknown},
        SniffCase{"pdf_not_at_start", " %PDF-1.4"s, FileFormat::kUnknown},
        SniffCase{"empty", ""s, FileFormat::kUnknown}),
    [](const ::testing::TestParamInfo<SniffCase>& param_info) { return param_info.param.name; });

TEST(FileFormat, NamesAreShortAndDistinct) {
  EXPECT_EQ(format_name(FileFormat::kPdf), "PDF");
  EXPECT_EQ(format_name(FileFormat::kPng), "PNG");
  EXPECT_EQ(format_name(FileFormat::kJpeg), "JPEG");
  EXPECT_EQ(format_name(FileFormat::kTiff), "TIFF");
  EXPECT_EQ(format_name(FileFormat::kUnknown), "unknown");
}

TEST(FileFormat, SniffsAHeadLongerThanTheSignature) {
  // Callers pass the first bytes they read, often a whole block.
  const std::string block = "%PDF-1.7\n" + std::string(4096, 'x');
  EXPECT_EQ(sniff_format(block), FileFormat::kPdf);
}

}  // namespace
}  // namespace lupa::ocr
