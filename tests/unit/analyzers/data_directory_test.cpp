#include "lupa/analyzers/data_directory.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "lupa/analyzers/reference_data.h"
#include "support/temp_dir.h"

namespace lupa::analyzers {
namespace {

using lupa::testing::TempDir;
using Lines = std::vector<std::string>;

constexpr const char* kPlans =
    "# id\tcountry\tnumber\tfirst_year\tlast_year\tlabel_en\tlabel_es\n"
    "mx-2011-2013\tmx\t1\t2011\t2013\tMexico 1\tMéxico 1\n"
    "mx-2013-2015\tmx\t2\t2013\t2015\tMexico 2\tMéxico 2\n";

// The message of the DataFileError `merge` throws, or "" when it throws none.
template <typename Merge>
std::string error_of(Merge merge) {
  try {
    merge();
  } catch (const DataFileError& error) {
    return error.what();
  }
  return "";
}

TEST(MergeDataLines, ARowWithABuiltInKeyReplacesItInPlaceAndOthersAreAppended) {
  DataFileMerge merge{"plans.tsv", 0, 0};
  const Lines lines = merge_data_lines(kPlans,
                                       "ke-2023-2027\tke\t5\t2023\t2027\tKenya 5\tKenia 5\n"
                                       "mx-2011-2013\tmx\t1\t2011\t2013\tMexico one\tMéxico uno\n",
                                       "/srv/data/plans.tsv", merge);
  EXPECT_EQ(lines, (Lines{"mx-2011-2013\tmx\t1\t2011\t2013\tMexico one\tMéxico uno",
                          "mx-2013-2015\tmx\t2\t2013\t2015\tMexico 2\tMéxico 2",
                          "ke-2023-2027\tke\t5\t2023\t2027\tKenya 5\tKenia 5"}));
  EXPECT_EQ(merge.rows_added, 1u);
  EXPECT_EQ(merge.rows_replaced, 1u);
}

TEST(MergeDataLines, CommentsBlankLinesCarriageReturnsAndAByteOrderMarkAreIgnored) {
  DataFileMerge merge{"plans.tsv", 0, 0};
  const Lines lines = merge_data_lines(kPlans,
                                       "\xEF\xBB\xBF# Kenya, added by the operator\r\n\r\n"
                                       "ke-2023-2027\tke\t5\t2023\t2027\tKenya 5\tKenia 5\r\n",
                                       "plans.tsv", merge);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines.back(), "ke-2023-2027\tke\t5\t2023\t2027\tKenya 5\tKenia 5");
  EXPECT_EQ(merge.rows_added, 1u);
}

TEST(MergeDataLines, ARowOfTheWrongNumberOfColumnsNamesTheFileAndTheLine) {
  DataFileMerge merge{"plans.tsv", 0, 0};
  const std::string message = error_of([&] {
    merge_data_lines(kPlans, "# Kenya\nke-2023-2027\tke\t5\t2023\t2027\tKenya 5\n",
                     "/srv/data/plans.tsv", merge);
  });
  EXPECT_EQ(message,
            "/srv/data/plans.tsv: line 2: 6 tab-separated columns, plans.tsv rows have 7 (its "
            "header lists them)");
}

TEST(MergeDataLines, AKeyListedTwiceInTheOperatorsFileIsRefused) {
  DataFileMerge merge{"plans.tsv", 0, 0};
  const std::string row = "ke-2023-2027\tke\t5\t2023\t2027\tKenya 5\tKenia 5\n";
  const std::string message =
      error_of([&] { merge_data_lines(kPlans, row + row, "/srv/data/plans.tsv", merge); });
  EXPECT_EQ(message, "/srv/data/plans.tsv: line 2: `ke-2023-2027` is already the key of line 1");
}

TEST(MergeDataLines, AOneColumnFileIsKeyedByTheWholeLineAndRefusesTabs) {
  DataFileMerge merge{"stopwords-en.txt", 0, 0};
  const Lines lines =
      merge_data_lines("# stop words\nthe\nits\nof\nits\n", "its\nhereby\n", "words.txt", merge);
  EXPECT_EQ(lines, (Lines{"the", "its", "of", "hereby"}));
  EXPECT_EQ(merge.rows_added, 1u);
  EXPECT_EQ(merge.rows_replaced, 1u);
  EXPECT_NE(error_of([&] { merge_data_lines("the\n", "a\tb\n", "words.txt", merge); }), "");
}

TEST(DataDirectory, MergesFilesNamedAfterDataFilesAndWarnsOfOthers) {
  TempDir dir;
  dir.write("agencies.tsv",
            "# Kenyan bodies\n"
            "ke-ksa\tke\tKSA\tAgencia Espacial de Kenia\tKenya Space Agency\t\n"
            "ke-kra\tke\tKRA\tAutoridad Tributaria de Kenia\tKenya Revenue Authority\t\n"
            "mx-sfp\tmx\tSFP\tSecretaría de la Función Pública\tMinistry of Public Administration"
            "\t\n");
  dir.write("plans.tsv", "ke-2023-2027\tke\t5\t2023\t2027\tKenya 5\tKenia 5\n");
  dir.write("agency.tsv", "ke-x\tke\t\tX\tX\t\n");
  dir.write(".gitkeep", "");
  const DataDirectory read = read_data_directory(dir.path());
  EXPECT_EQ(read.describe(), "from " + dir.path().string() +
                                 ": agencies.tsv (+2 rows, 1 replaced), plans.tsv (+1 row)");
  ASSERT_EQ(read.warnings.size(), 1u);
  EXPECT_EQ(read.warnings[0], (dir / "agency.tsv").string() +
                                  ": names no data file (a typo?); ignored. Data files: "
                                  "docs/data-files.md");
  ASSERT_EQ(read.merges.size(), 2u);
  EXPECT_EQ(read.merged_lines[0].back(),
            "ke-kra\tke\tKRA\tAutoridad Tributaria de Kenia\tKenya Revenue Authority\t");
}

TEST(DataDirectory, AnEmptyFolderUsesNoFile) {
  TempDir dir;
  const DataDirectory read = read_data_directory(dir.path());
  EXPECT_EQ(read.describe(), "from " + dir.path().string() + ": no data files");
  EXPECT_TRUE(read.warnings.empty());
}

TEST(DataDirectory, AFileOverTheBoundIsRefusedByName) {
  TempDir dir;
  dir.write("glossary.tsv", "");
  std::filesystem::resize_file(dir / "glossary.tsv", kMaxDataFileBytes + 1);
  const std::string message = error_of([&] { read_data_directory(dir.path()); });
  EXPECT_EQ(message, (dir / "glossary.tsv").string() +
                         ": 16777217 bytes, over the 16 MiB a data file may have");
}

TEST(DataDirectory, AMissingFolderIsRefused) {
  TempDir dir;
  const std::string message = error_of([&] { read_data_directory(dir / "missing"); });
  EXPECT_NE(message.find((dir / "missing").string() + ": not a folder"), std::string::npos)
      << message;
}

TEST(DataDirectory, CannotBeConfiguredOnceReferenceDataWasRead) {
  // The reference data is built once: a folder set after that would not be seen.
  ReferenceData::instance();
  TempDir dir;
  EXPECT_THROW(configure_data_directory(dir.path()), std::logic_error);
}

}  // namespace
}  // namespace lupa::analyzers
