// Splits a document's text into passages: numbered paragraphs, and the text blocks under each
// heading, with running page headers recognised and dropped.
//
// The rules are about shapes, not about particular documents:
// - A running header is a group of two or more consecutive lines that repeats at least three
//   times (a report title, place and date on every page). Its lines are dropped wherever they
//   occur, a paragraph that a page break cut in two is joined again, and each repetition marks
//   a new page when the text has no form feeds of its own.
// - A numbered paragraph ("25. Este compromiso ...", "3) ...") starts a passage of its own.
// - A heading is a short line without closing punctuation that starts with a capital, a number
//   or '#', and is neither a list of comma-separated values with numbers ("MX0075, 2019,
//   Gender") nor a line with an e-mail address or a link;
//   it names the passages under it.
// - Other lines join the current passage until it is long enough that a new long paragraph
//   should stand alone, or it would exceed the size limit.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "lupa/indexer/document.h"

namespace lupa::indexer {

/// Joins a section heading and the subsection heading under it in Passage::heading
/// ("III. Compromisos › Mejora de servicios públicos"). Not an em dash: headings such as
/// "2.a — Resultados" use that themselves.
inline constexpr std::string_view kHeadingLevelSeparator = " \xE2\x80\xBA ";  // ›

struct SegmenterOptions {
  std::size_t long_paragraph_bytes = 200;  ///< a block this long may start its own passage
  std::size_t max_passage_bytes = 2500;    ///< passages are split before growing past this
  int min_header_repeats = 3;              ///< how often a header group must repeat
};

struct SegmentedText {
  std::vector<Passage> passages;  ///< kind, heading, number, page and text set; language not
  std::vector<std::string> running_header;  ///< the header lines found, for the summary
  int header_lines_dropped = 0;
};

SegmentedText segment_text(std::string_view text, const SegmenterOptions& options = {});

/// The line as compared when looking for repeats: markup (* # _) and surrounding space gone,
/// inner runs of space collapsed.
std::string comparable_line(std::string_view line);

/// The paragraph number and the text after it, for lines like "25. Text" or "3) Text".
std::optional<std::pair<int, std::string_view>> numbered_paragraph(std::string_view line);

/// Whether a line reads as a heading (see the rules above).
bool looks_like_heading(std::string_view line);

}  // namespace lupa::indexer
