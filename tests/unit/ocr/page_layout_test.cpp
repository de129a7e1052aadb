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

}  // namespace
}  // namespace lupa::ocr
