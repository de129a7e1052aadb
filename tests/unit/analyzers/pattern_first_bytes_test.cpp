#include "lupa/analyzers/pattern_first_bytes.h"

#include <gtest/gtest.h>

#include <bitset>
#include <cstddef>
#include <ostream>
#include <random>
#include <regex>
#include <string>
#include <vector>

namespace lupa::analyzers {
namespace {

std::string bytes_of(const std::bitset<256>& bytes) {
  std::string listed;
  for (std::size_t byte = 0; byte < 256; ++byte)
    if (bytes.test(byte)) listed += static_cast<char>(byte);
  return listed;
}

struct StartCase {
  std::string pattern;
  std::string first_bytes;  // in byte order
  friend void PrintTo(const StartCase& c, std::ostream* out) { *out << '"' << c.pattern << '"'; }
};

class FirstBytes : public ::testing::TestWithParam<StartCase> {};

TEST_P(FirstBytes, AreTheBytesAMatchCanStartWith) {
  EXPECT_EQ(bytes_of(first_bytes_of(GetParam().pattern)), GetParam().first_bytes);
}

INSTANTIATE_TEST_SUITE_P(
    Patterns, FirstBytes,
    ::testing::Values(StartCase{"skip (?:to )?navigation", "s"},
                      // Optional pieces let what follows them start the match too.
                      StartCase{"(?:main |toggle |open )?(?:menu|navigation)", "mnot"},
                      StartCase{"a?b*c", "abc"}, StartCase{"x{0,2}y", "xy"},
                      StartCase{"x{1,2}y", "x"}, StartCase{"(?:a|b?)+c", "abc"},
                      StartCase{"^(?:home|inicio)\\s*>$", "hi"}, StartCase{"\\bpage \\d+", "p"},
                      StartCase{"[b-d]x|[.,]y", ",.bcd"},
                      StartCase{"(?:search)(?: \\.\\.\\.|…)?", "s"}, StartCase{"\\.mx", "."},
                      // Over bytes: a non-ASCII letter starts with its UTF-8 lead byte.
                      StartCase{"ñandu", "\xC3"}, StartCase{"s[ií]guenos", "s"}));

TEST(FirstBytes, WhatIsNotFollowedMayStartAnywhere) {
  for (const std::string pattern : {"(?=a)b", "(?!a)b", "[^a]b", "\\Da", "(a)\\1", "[[:alpha:]]",
                                    ".", "a|.x", "\\u0041", "[]a]", "a)", "*a", "[a-"})
    EXPECT_TRUE(first_bytes_of(pattern).all()) << pattern;
}

TEST(FirstBytes, ClassEscapesMayStartWithAnyByteALocaleCouldPlaceInThem) {
  const std::bitset<256> digits = first_bytes_of("\\d{1,4}");
  EXPECT_TRUE(digits.test('0') && digits.test('9') && digits.test(0xA0));
  EXPECT_FALSE(digits.test('a') || digits.test(' '));
  const std::bitset<256> spaces = first_bytes_of("\\s+x");
  EXPECT_TRUE(spaces.test(' ') && spaces.test('\t'));
  EXPECT_FALSE(spaces.test('x') || spaces.test('a'));
}

TEST(FirstBytes, NoMatchEverStartsWithAByteLeftOut) {
  // Patterns of page-chrome.tsv's shapes, and random lines over the bytes they name: whenever
  // std::regex matches a line whole, the line's first byte is among the pattern's first bytes.
  const std::vector<std::string> patterns = {
      "(?:ir|volver) (?:a )?(?:la |el |al )?(?:menu|contenido(?: principal)?)",
      "(?:page|pag\\.|p\\.) ?\\d{1,2}(?: ?(?:of|de|/) ?\\d{1,2})?",
      "(?:home|inicio)\\s*(?:›|>|/|\\||>>)\\s*.*",
      "(?:we|our (?:web)?site) uses? cookies\\b.*",
      "(?:english|espa(?:n|ñ)ol)(?:\\s*(?:\\||/)?\\s*(?:english|espa(?:n|ñ)ol))+",
      "(?:share|tweet)(?:\\s*:)?(?:\\s+(?:x|mail|print))*",
      "x?y?z?",
      "[a-c]*d|e{0,1}f",
      "(?:(?:a|)b)+|c"};
  const std::string alphabet = "abcdefghilmnoprstuwxyz ñ0129.:/>|›\t";
  std::mt19937 random(20240917);
  std::uniform_int_distribution<std::size_t> length(1, 14);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  for (const std::string& pattern : patterns) {
    const std::regex whole("^(?:" + pattern + ")$", std::regex::ECMAScript | std::regex::nosubs);
    const std::bitset<256> first = first_bytes_of(pattern);
    std::size_t matched = 0;
    for (int trial = 0; trial < 20000; ++trial) {
      std::string line;
      for (std::size_t i = length(random); i > 0; --i) line += alphabet[pick(random)];
      if (!std::regex_match(line, whole)) continue;
      ++matched;
      EXPECT_TRUE(first.test(static_cast<unsigned char>(line[0]))) << pattern << " / " << line;
    }
    // Lines that do match, taken from the patterns' own words.
    for (const std::string line :
         {"ir al menu", "volver contenido principal", "page 3 of 12", "p. 4", "inicio › x", "home>",
          "our website uses cookies.", "english | español", "share: x mail", "tweet", "yz", "d",
          "abcd", "f", "ef", "bab", "c"}) {
      if (!std::regex_match(line, whole)) continue;
      ++matched;
      EXPECT_TRUE(first.test(static_cast<unsigned char>(line[0]))) << pattern << " / " << line;
    }
    EXPECT_GT(matched, 0U) << pattern << ": no line exercised it";
  }
}

}  // namespace
}  // namespace lupa::analyzers
