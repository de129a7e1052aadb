// Character error rate of a recognised text against its ground truth, as OCR is measured.
#pragma once

#include <string>
#include <string_view>

namespace lupa::testing {

/// Whitespace runs become one space and the ends are trimmed, so layout (line breaks, blank
/// lines, spaces between table cells) is not counted; the order of words is.
std::u32string comparable_characters(std::string_view utf8);

/// Edit distance (insertions, deletions, substitutions of code points) between the two texts
/// after comparable_characters, divided by the ground truth's length.
double character_error_rate(std::string_view recognised, std::string_view truth);

}  // namespace lupa::testing
