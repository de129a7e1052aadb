// Which bytes a match of a regular expression can start with, read from the pattern itself.
//
// The indexer tries every short line of every document against the page-chrome patterns
// (page-chrome.tsv), nearly always in vain, and libstdc++'s std::regex tries each alternative
// of a pattern in turn. Knowing which patterns can start with a line's first byte, it tries
// only those, and a line no pattern can start with costs no match at all.
//
// The reading is conservative: whatever it does not follow (look-arounds, back-references,
// negated classes, \D, \u...) may start with any byte, so a pattern is never skipped where it
// could match. Patterns are ECMAScript, as std::regex compiles them, case-sensitive, over bytes:
// a non-ASCII letter in a pattern is its UTF-8 bytes, and its first byte is what a line starts
// with. Safe to call from several threads at once.
#pragma once

#include <bitset>
#include <string_view>

namespace lupa::analyzers {

/// Every byte a non-empty match of `pattern` (std::regex, ECMAScript, without icase) can start
/// with; every byte when the pattern holds a construct this reading does not follow. A match
/// of the empty string is not covered: callers match an empty subject the usual way.
std::bitset<256> first_bytes_of(std::string_view pattern);

}  // namespace lupa::analyzers
