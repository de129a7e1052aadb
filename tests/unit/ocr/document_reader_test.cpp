#include "lupa/ocr/document_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "lupa/ocr/page_text.h"
#include "lupa/ocr/pdf_reader.h"
#include "support/pdf_file.h"

namespace lupa::ocr {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

// A PDF of `pages` Letter pages that all draw the one content stream `content`, with the
// standard Helvetica font as F1.
std::string pdf_of(const std::string& content, int pages) {
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>", "",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
  std::string kids;
  for (int i = 0; i < pages; ++i) {
    kids += std::to_string(5 + i) + " 0 R ";
    objects.push_back(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R "
        ">> >> /Contents 3 0 R >>");
  }
  objects[1] = "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>";
  return lupa::testing::pdf_from_objects(objects);
}

std::string repeat(std::string_view unit, std::size_t times) {
  std::string text;
  text.reserve(unit.size() * times);
  for (std::size_t i = 0; i < times; ++i) text += unit;
  return text;
}

// `lines` lines of prose in 2-point type, all on the page (a text layer keeps only that).
std::string prose_page(std::size_t lines) {
  std::string line = "(";
  line += repeat("La transparencia presupuestaria y la rendicion de cuentas. ", 4);
  line += ") ' ";
  std::string page = "BT /F1 2 Tf 36 780 Td 2.4 TL ";
  page += repeat(line, lines);
  page += "ET";
  return page;
}

std::string error_of(const DocumentReader& reader, std::string_view content) {
  try {
    reader.read(content, "test.pdf");
  } catch (const OcrError& error) {
    return error.what();
  }
  return "";
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The processor time of the whole process (every thread) since `start`.
double cpu_seconds_since(std::clock_t start) {
  return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
}

TEST(DocumentReader, AFileOverItsTimeBudgetStopsBetweenPagesNamingTheBudget) {
  // Each page draws 300,000 short strokes: poppler parses them for the text layer and again to
  // render the page, and cannot be stopped inside a page.
  const std::string pdf = pdf_of(repeat("0 0 m 1 1 l S\n", 300'000), 40);
  const std::clock_t parse_start = std::clock();
  PdfDocument(pdf).page_text(0);
  const double one_parse = cpu_seconds_since(parse_start);  // slower under sanitizers

  ReaderOptions options;
  options.threads = 1;
  options.file_time_limit = std::chrono::seconds(1);
  const DocumentReader reader(options);
  const std::clock_t start = std::clock();
  const std::string error = error_of(reader, pdf);
  const double cpu_seconds = cpu_seconds_since(start);
  EXPECT_THAT(error, MatchesRegex("reading the file took more than the limit of 1 s of work per "
                                  "file \\(stopped at page [0-9]+ of 40\\)"));
  // The budget counts processor time, which a busy machine does not stretch: the budget, plus
  // the page under way when it ran out (read, rendered, recognised) and loading Tesseract's
  // models, which is not the file's work. Not 40 pages.
  EXPECT_LT(cpu_seconds, 1.0 + 4 * one_parse + 2.0) << error << "; one parse " << one_parse << " s";
}

std::string file_bytes(const std::filesystem::path& path) {
  std::string bytes(std::filesystem::file_size(path), '\0');
  std::ifstream(path, std::ios::binary)
      .read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

// The budget counts the work on a file's own pages, not the time they wait for a recognition
// thread busy with other files: measured from the start of the read, a long scan read beside
// others ran out of it while queueing, and failed.
TEST(DocumentReader, TimeWaitingBehindOtherFilesPagesIsNotCharged) {
  const std::string scan = file_bytes(LUPA_SOURCE_DIR "/corpus/scans/clean-300dpi.png");
  ASSERT_FALSE(scan.empty());
  // A drawn box and no text layer: the page is rendered and recognised. No text either, so
  // that poppler does not look up a font (fontconfig keeps what it found, which LeakSanitizer
  // reports).
  const std::string box = "0 g 72 600 300 100 re f";
  const std::string small = pdf_of(box, 1);
  ReaderOptions options;
  options.threads = 1;
  double scan_page = 0, small_page = 0;  // the work one page of each takes here, read alone
  {
    const DocumentReader alone(options);
    scan_page = alone.read(scan, "scan.png").at(0).seconds;
    small_page = alone.read(small, "small.pdf").at(0).seconds;
  }
  // A budget of at least four small pages' work, and a file of half that.
  const auto limit = std::chrono::seconds(static_cast<long>(std::ceil(4 * small_page)));
  const int pages =
      std::max(2, static_cast<int>(static_cast<double>(limit.count()) / (2 * small_page)));
  options.file_time_limit = limit;
  const DocumentReader reader(options);

  // Three other threads keep the one recognition thread busy with scanned pages meanwhile.
  std::atomic<bool> busy = true;
  std::vector<std::thread> others;
  for (int i = 0; i < 3; ++i)
    others.emplace_back([&] {
      while (busy) {
        try {
          reader.read(scan, "other.png");
        } catch (const OcrError&) {  // over the budget itself: it kept the thread busy all the same
        }
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto start = std::chrono::steady_clock::now();
  std::vector<PageText> read;
  std::string error;
  try {
    read = reader.read(pdf_of(box, pages), "queued.pdf");
  } catch (const OcrError& failure) {
    error = failure.what();
  }
  const double waited = seconds_since(start);
  busy = false;
  for (std::thread& other : others) other.join();

  const std::string context = "budget " + std::to_string(limit.count()) + " s, " +
                              std::to_string(pages) + " pages of " + std::to_string(small_page) +
                              " s, scanned pages of " + std::to_string(scan_page) + " s, read in " +
                              std::to_string(waited) + " s";
  EXPECT_EQ(error, "") << context;
  EXPECT_EQ(read.size(), static_cast<std::size_t>(pages)) << context;
  // Otherwise the pages did not queue, and the test proved nothing.
  EXPECT_GT(waited, static_cast<double>(limit.count())) << context;
}

TEST(DocumentReader, AFileWithinItsBudgetIsReadWhole) {
  ReaderOptions options;
  options.file_time_limit = std::chrono::seconds(30);
  const DocumentReader reader(options);
  const auto pages = reader.read(pdf_of(prose_page(20), 3), "ok.pdf");
  ASSERT_EQ(pages.size(), 3U);
  EXPECT_EQ(pages[2].source, TextSource::kTextLayer);
  EXPECT_THAT(pages[2].text, HasSubstr("transparencia presupuestaria"));
}

TEST(DocumentReader, ATextLayerOverTheBoundFailsTheFile) {
  ReaderOptions options;
  options.max_page_text_bytes = 10'000;
  const DocumentReader reader(options);
  EXPECT_EQ(error_of(reader, pdf_of(prose_page(20), 1)), "");  // about 5 KB
  EXPECT_THAT(error_of(reader, pdf_of(prose_page(300), 2)),    // about 70 KB
              MatchesRegex("page 1: its text layer holds [0-9]+ bytes, more than the limit of "
                           "10000"));
}

}  // namespace
}  // namespace lupa::ocr
