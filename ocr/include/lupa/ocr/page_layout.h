// Chooses how Tesseract segments a page. Its automatic segmentation reads running text well but
// splits a table whose columns are separated by spaces into column blocks and reads them one
// after the other; reading the page as one block of lines keeps each row together.
#pragma once

#include <vector>

namespace lupa::ocr {

struct Box {
  int left = 0, top = 0, right = 0, bottom = 0;  ///< right and bottom exclusive
  int width() const { return right - left; }
  int height() const { return bottom - top; }
};

/// A text block found by layout analysis, with the number of words on each of its lines.
struct LayoutBlock {
  Box box;
  std::vector<int> words_per_line;
  bool is_table = false;  ///< Tesseract itself classified it as a table
};

/// The rule: a page is a table when Tesseract calls one of its blocks a table, or when two text
/// blocks stand side by side (overlapping on at least half of the shorter one's height) and the
/// median line over the page holds at most 3 words. Two columns of prose also stand side by
/// side, but their lines hold many words; table cells hold one to three.
bool reads_as_table(const std::vector<LayoutBlock>& blocks);

/// Whether Tesseract's layout analysis follows the lines of a skewed page as it came (the
/// blocks it found there, `unstraightened`) as well as on the same page straightened: the same
/// number of text lines, and as many words give or take 2 %. Past about 1.5-2.5 degrees of
/// skew, depending on the page, it merges neighbouring lines and loses a quarter to three
/// quarters of the words; below that it finds the same lines, and the page is better read
/// without the resampling that straightening needs.
bool follows_skewed_lines(const std::vector<LayoutBlock>& unstraightened,
                          const std::vector<LayoutBlock>& straightened);

}  // namespace lupa::ocr
