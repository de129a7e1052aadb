// End to end: the real lupa-ocr and lupa-indexer on hostile scans and PDFs that the tests make
// themselves: bounds must hold before the work (peak memory of the child process measured with
// wait4), a whole file has a time budget, and library warnings name the file they are about.
#include <Poco/Checksum.h>
#include <Poco/DeflatingStream.h>
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "support/http_client.h"
#include "support/pdf_file.h"
#include "support/process.h"
#include "support/temp_dir.h"

extern char** environ;

namespace lupa::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

struct MeasuredRun {
  int exit_code = -1;
  std::string err;
  double seconds = 0;
  double cpu_seconds = 0;     // the child's processor time, user and system
  double peak_megabytes = 0;  // the child's maximum resident set size
};

// Runs `program` with stdout discarded and stderr kept, and measures the child alone.
MeasuredRun run_measured(const fs::path& program, const std::vector<std::string>& arguments,
                         const fs::path& scratch) {
  const fs::path err_file = scratch / "stderr.txt";
  std::vector<std::string> argv_strings{program.string()};
  argv_strings.insert(argv_strings.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& argument : argv_strings) argv.push_back(argument.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  MeasuredRun run;
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    ADD_FAILURE() << "cannot run " << program;
    return run;
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid) {
    ADD_FAILURE() << "wait4 failed for " << program;
    return run;
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.peak_megabytes = static_cast<double>(usage.ru_maxrss) / 1024.0;  // reported in KB
  for (const timeval& time : {usage.ru_utime, usage.ru_stime})
    run.cpu_seconds += static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
  run.err = read_file(err_file);
  return run;
}

std::string zlib_deflate(const std::string& data) {
  std::ostringstream out;
  Poco::DeflatingOutputStream deflate(out, Poco::DeflatingStreamBuf::STREAM_ZLIB, 9);
  deflate.write(data.data(), static_cast<std::streamsize>(data.size()));
  deflate.close();
  return out.str();
}

void put_little(std::string& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

std::string big_endian(std::uint32_t value) {
  return {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
          static_cast<char>(value >> 8), static_cast<char>(value)};
}

// A multi-page TIFF of 1-bit deflated white pages: a small first page, then `huge_pages` pages
// of `side` x `side`. Deflate shrinks white about a thousand times: 98 MB of pixels a page in
// about 100 KB of file.
std::string tiff_with_huge_pages(int huge_pages, std::uint32_t side) {
  struct Page {
    std::uint32_t width, height;
    const std::string* strip;
  };
  const std::string small_strip = zlib_deflate(std::string(100 * 800, '\0'));
  const std::string huge_strip = zlib_deflate(std::string(std::size_t{side} / 8 * side, '\0'));
  std::vector<Page> pages{{800, 800, &small_strip}};
  for (int i = 0; i < huge_pages; ++i) pages.push_back({side, side, &huge_strip});

  std::string out("II*\0\0\0\0\0", 8);
  std::size_t link = 4;
  for (const Page& page : pages) {
    const auto strip_offset = static_cast<std::uint32_t>(out.size());
    out += *page.strip;
    if (out.size() % 2) out += '\0';
    const auto directory = static_cast<std::uint32_t>(out.size());
    for (int i = 0; i < 4; ++i)
      out[link + static_cast<std::size_t>(i)] = static_cast<char>(directory >> (8 * i));
    const std::uint32_t entries[][3] = {{256, 4, page.width},
                                        {257, 4, page.height},
                                        {258, 3, 1},
                                        {259, 3, 8},
                                        {262, 3, 0},
                                        {273, 4, strip_offset},
                                        {277, 3, 1},
                                        {278, 4, page.height},
                                        {279, 4, static_cast<std::uint32_t>(page.strip->size())}};
    put_little(out, 9, 2);
    for (const auto& entry : entries) {
      put_little(out, entry[0], 2);
      put_little(out, entry[1], 2);
      put_little(out, 1, 4);
      put_little(out, entry[2], 4);
    }
    link = out.size();
    put_little(out, 0, 4);
  }
  return out;
}

std::string png_chunk(const std::string& type, const std::string& data) {
  Poco::Checksum crc(Poco::Checksum::TYPE_CRC32);
  crc.update(type + data);
  return big_endian(static_cast<std::uint32_t>(data.size())) + type + data +
         big_endian(crc.checksum());
}

// A 1-bit PNG of black bars on white whose pHYs chunk records `dpi`.
std::string png_page(std::uint32_t width, std::uint32_t height, double dpi) {
  const std::size_t row_bytes = (width + 7) / 8;
  std::string rows;
  rows.reserve((row_bytes + 1) * height);
  for (std::uint32_t y = 0; y < height; ++y) {
    rows += '\0';  // no filter
    const bool bar = (y / 40) % 3 == 0;
    for (std::size_t x = 0; x < row_bytes; ++x)
      rows += bar && x > 2 && x + 3 < row_bytes ? '\0' : '\xFF';  // 0 is black
  }
  const auto per_metre = static_cast<std::uint32_t>(dpi / 0.0254 + 0.5);
  return std::string("\x89PNG\r\n\x1a\n", 8) +
         png_chunk("IHDR",
                   big_endian(width) + big_endian(height) + std::string("\x01\0\0\0\0", 5)) +
         png_chunk("pHYs", big_endian(per_metre) + big_endian(per_metre) + std::string(1, '\x01')) +
         png_chunk("IDAT", zlib_deflate(rows)) + png_chunk("IEND", "");
}

// A PDF whose `pages` Letter pages all draw one Flate stream inflating to `strokes` one-point
// strokes (14 bytes each): poppler parses it for each page's text layer and again to render it.
std::string pdf_of_strokes(std::size_t strokes, int pages) {
  std::string content;
  content.reserve(strokes * 14);
  for (std::size_t i = 0; i < strokes; ++i) content += "0 0 m 1 1 l S\n";
  const std::string stream = zlib_deflate(content);
  std::vector<std::string> objects = {"<< /Type /Catalog /Pages 2 0 R >>", "",
                                      "<< /Length " + std::to_string(stream.size()) +
                                          " /Filter /FlateDecode >>\nstream\n" + stream +
                                          "\nendstream"};
  std::string kids;
  for (int i = 0; i < pages; ++i) {
    kids += std::to_string(4 + i) + " 0 R ";
    objects.emplace_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>");
  }
  objects[1] = "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>";
  return pdf_from_objects(objects);
}

// Every line of `err` that starts with "warning:" names `name`; and there is at least one.
void expect_warnings_name(const std::string& err, const std::string& name) {
  std::istringstream lines(err);
  int warnings = 0;
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("warning:")) continue;
    ++warnings;
    EXPECT_THAT(line, HasSubstr("warning: " + name + ": ")) << err;
  }
  EXPECT_GT(warnings, 0) << err;
}

TEST(HostileScans, ATiffWhoseLaterPagesClaimHundredsOfMegapixelsIsRefusedInBoundedMemory) {
  TempDir dir;
  // 3 pages of 28000 x 28000 after a small one: about 300 KB of file. Decoding every page
  // before checking their sizes took 770 MB; each page's header is now checked first.
  const fs::path tiff = dir.write("pages.tif", tiff_with_huge_pages(3, 28000));
  ASSERT_LT(fs::file_size(tiff), 400'000U);
  const MeasuredRun run = run_measured(program("lupa-ocr"), {tiff.string()}, dir.path());
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_THAT(run.err, HasSubstr("lupa-ocr: " + tiff.string() +
                                 ": the image is 28000x28000 pixels, more than the limit of "
                                 "80000000 pixels or 40000 per side"));
  EXPECT_LT(run.peak_megabytes, 250) << run.err;
  EXPECT_LT(run.seconds, 10) << run.err;
}

TEST(HostileScans, ANarrowPngDeclaringOneDpiIsNotScaledBeyondTheLimit) {
  TempDir dir;
  // 200 x 30000 pixels at "1 dpi": taken as a Letter page wide that is 72 dpi, and scaling it
  // to 300 dpi unbounded made an 833 x 125,000 page (104 megapixels, which Tesseract then
  // refused) that the pipeline copied several times. Scaling up now stops at 32767 pixels a
  // side, and the page is read.
  const fs::path png = dir.write("strip.png", png_page(200, 30000, 1));
  ASSERT_LT(fs::file_size(png), 20'000U);
  const MeasuredRun run = run_measured(program("lupa-ocr"), {png.string()}, dir.path());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_LT(run.peak_megabytes, 250) << run.err;
  EXPECT_LT(run.seconds, 20) << run.err;
}

TEST(HostileScans, APdfOverTheFileTimeLimitIsReportedByNameAndTheOtherFilesAreIndexed) {
  TempDir dir;
  // 40 pages, each drawing 2 million strokes (28 MB inflated, shared): about a second of work a
  // page.
  dir.write("docs/slow.pdf", pdf_of_strokes(2'000'000, 40));
  dir.write("docs/nota.txt",
            "Presupuesto participativo en Zacatecas\n\nEl municipio publica cada trimestre el "
            "avance del presupuesto participativo y las obras votadas por los vecinos.\n");
  const MeasuredRun run = run_measured(program("lupa-indexer"),
                                       {"--quiet", "--db", (dir.path() / "index").string(),
                                        "--file-time-limit", "1", (dir.path() / "docs").string()},
                                       dir.path());
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_THAT(run.err, MatchesRegex(".*error: docs/slow.pdf: reading the file took more than the "
                                    "limit of 1 s of work per file \\(stopped at page [0-9]+ of "
                                    "40\\)\n.*"));
  // The budget counts the processor time spent on the file's pages: 1 s and the page under way
  // (read and rendered), not 40 pages. Real time follows it unless the machine is busy.
  EXPECT_LT(run.cpu_seconds, 15) << run.err;
  EXPECT_LT(run.seconds, 60) << run.err;

  SearchDaemon daemon(dir.path() / "index");
  const HttpReply reply = http_get(daemon.port(), "/api/search?q=zacatecas");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json()->getValue<int>("total"), 1) << reply.body;
}

TEST(HostileScans, APopplerWarningAboutADamagedPdfNamesTheFile) {
  TempDir dir;
  std::string pdf = pdf_of_strokes(10, 1);
  // Every cross-reference offset off by one: poppler complains, then reconstructs the table.
  const std::size_t xref = pdf.find("xref\n");
  for (std::size_t at = pdf.find(" 00000 n", xref); at != std::string::npos;
       at = pdf.find(" 00000 n", at + 1))
    pdf[at - 1] = pdf[at - 1] == '9' ? '0' : static_cast<char>(pdf[at - 1] + 1);
  const fs::path file = dir.write("damaged.pdf", pdf);
  const RunResult run = run_program(program("lupa-ocr"), {file.string()});
  expect_warnings_name(run.err, file.string());
  EXPECT_THAT(run.err, HasSubstr(": poppler: ")) << run.err;
}

// The indexer's progress lines, written by its main thread while worker threads decode pages,
// go out as written: stderr is not taken over during a decode (it once was, to catch libpng's
// warnings, and progress lines came out as "warning: docs/p04.png: indexing: 4/24 files", or
// not at all when that file failed).
// libpng's own warnings, which no library lets us intercept, are left as libpng prints them.
TEST(HostileScans, ProgressLinesWrittenDuringDecodesAreNotLabelledWithAFile) {
  TempDir dir;
  // Pages of bars without text: recognised quickly, so that decoding is much of the work and
  // progress lines are often written while a page is being decoded.
  for (int i = 1; i <= 30; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "docs/p%02d.png", i);
    dir.write(name, png_page(2400, 3200, 300));
  }
  std::string png = png_page(400, 300, 300);
  // A text chunk with a wrong checksum after the header: libpng warns on stderr and goes on.
  const std::string text("Title\0damaged", 13);
  png.insert(8 + 25, big_endian(static_cast<std::uint32_t>(text.size())) + "tEXt" + text +
                         std::string(4, '\0'));
  dir.write("docs/damaged.png", png);
  // Progress lines on (no --quiet); a cache of its own, so that every page is decoded.
  const RunResult run = run_program(
      program("lupa-indexer"), {"--db", (dir.path() / "index").string(), "--ocr-cache",
                                (dir.path() / "cache").string(), (dir.path() / "docs").string()});
  std::istringstream lines(run.err);
  int progress = 0;
  for (std::string line; std::getline(lines, line);) {
    EXPECT_THAT(line, Not(HasSubstr("warning: docs/"))) << run.err;
    if (line.starts_with("indexing: ")) ++progress;
  }
  EXPECT_GT(progress, 1) << run.err;
  EXPECT_THAT(run.err, HasSubstr("indexing: 31/31 files")) << run.err;
  EXPECT_THAT(run.err, HasSubstr("libpng warning: tEXt: CRC error")) << run.err;
}

}  // namespace
}  // namespace lupa::testing
