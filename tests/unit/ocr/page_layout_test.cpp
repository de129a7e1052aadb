#include "lupa/ocr/page_layout.h"

#include <gtest/gtest.h>

namespace lupa::ocr {
namespace {

LayoutBlock block(Box box, std::vector<int> words_per_line) {
  return LayoutBlock{box, std::move(words_per_line), false};
}

TEST(PageLayout, OneColumnOfProseIsRunningText) {
  EXPECT_FALSE(reads_as_table({block({300, 300, 2200, 900}, {11, 12, 10, 9, 12}),
                               block({300, 950, 2200, 2900}, {12, 11, 13, 12, 4})}));
}

TEST(PageLayout, TwoColumnsOfProseAreRunningText) {
  EXPECT_FALSE(reads_as_table({block({300, 300, 1200, 2900}, {7, 8, 6, 7, 8, 7}),
                               block({1300, 300, 2200, 2900}, {6, 7, 8, 7, 6, 7})}));
}

TEST(PageLayout, ColumnsOfShortCellsSideBySideAreATable) {
  EXPECT_TRUE(reads_as_table({block({300, 300, 2200, 360}, {6}),  // the title line
                              block({300, 400, 500, 2000}, {1, 1, 1, 1, 1, 1}),
                              block({600, 400, 1400, 2000}, {3, 4, 2, 3, 3, 2}),
                              block({1500, 400, 1800, 2000}, {1, 1, 1, 1, 1, 1})}));
}

TEST(PageLayout, ShortLinesOneUnderAnotherAreNotATable) {
  // A list of short items is one column: nothing stands beside it.
  EXPECT_FALSE(reads_as_table(
      {block({300, 300, 900, 800}, {2, 1, 3, 2}), block({300, 900, 900, 1500}, {1, 2, 2, 3})}));
}

TEST(PageLayout, BlocksThatBarelyOverlapVerticallyAreNotSideBySide) {
  EXPECT_FALSE(reads_as_table(
      {block({300, 300, 1000, 1000}, {2, 2, 2}), block({1100, 900, 1800, 1600}, {2, 2, 2})}));
}

TEST(PageLayout, ATesseractTableBlockDecides) {
  LayoutBlock table = block({300, 300, 2200, 2000}, {9, 9, 9});
  table.is_table = true;
  EXPECT_TRUE(reads_as_table({table}));
}

TEST(PageLayout, AnEmptyPageIsRunningText) {
  EXPECT_FALSE(reads_as_table({}));
}

// Layouts of a page skewed 1.8 degrees: straightened, and as it came, where Tesseract followed
// the lines (one word split in two) or merged neighbouring lines (fewer lines and words).
const std::vector<LayoutBlock> kStraightened = {block({300, 300, 2200, 1500}, {11, 12, 10, 12}),
                                                block({300, 1600, 2200, 2900}, {12, 11, 13, 4})};

TEST(SkewedLines, TheSameLinesAndWordsAreFollowed) {
  EXPECT_TRUE(follows_skewed_lines({block({300, 280, 2230, 1530}, {11, 12, 10, 12}),
                                    block({300, 1580, 2230, 2930}, {12, 11, 13, 4})},
                                   kStraightened));
  // Blocks cut differently, the same lines.
  EXPECT_TRUE(follows_skewed_lines({block({300, 280, 2230, 2930}, {11, 12, 10, 12, 12, 11, 13, 4})},
                                   kStraightened));
  // A word more or less: within 2 %.
  EXPECT_TRUE(follows_skewed_lines({block({300, 280, 2230, 2930}, {11, 12, 10, 12, 12, 11, 14, 4})},
                                   kStraightened));
}

TEST(SkewedLines, MergedOrSplitLinesAreNotFollowed) {
  EXPECT_FALSE(follows_skewed_lines({block({300, 280, 2230, 2930}, {11, 22, 12, 11, 13, 4})},
                                    kStraightened));
  EXPECT_FALSE(follows_skewed_lines(
      {block({300, 280, 2230, 2930}, {11, 6, 6, 10, 12, 12, 11, 13, 4})}, kStraightened));
}

TEST(SkewedLines, LostWordsAreNotFollowed) {
  EXPECT_FALSE(follows_skewed_lines({block({300, 280, 2230, 2930}, {11, 12, 10, 12, 12, 11, 9, 4})},
                                    kStraightened));
}

TEST(SkewedLines, NothingFoundIsNotFollowed) {
  EXPECT_FALSE(follows_skewed_lines({}, {}));
  EXPECT_FALSE(follows_skewed_lines({}, kStraightened));
}

}  // namespace
}  // namespace lupa::ocr
