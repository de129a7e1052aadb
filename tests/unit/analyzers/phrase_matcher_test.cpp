#include "lupa/analyzers/phrase_matcher.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "lupa/analyzers/text_normalizer.h"

namespace lupa::analyzers {
namespace {

using Entries = std::vector<std::size_t>;

enum Entry : std::size_t { kSep, kSfp, kShcp, kHacienda, kSfpUnit, kIntegrity, kFundar };

// A small vocabulary written as agencies.tsv and challenges.tsv write theirs.
PhraseMatcher matcher() {
  PhraseMatcher m;
  m.add("SEP", kSep, true);  // acronym: case-sensitive
  m.add("Secretaría de Educación Pública", kSep, false);
  m.add("SFP", kSfp, true);
  m.add("Secretaría de la Función Pública", kSfp, false);
  m.add("Función Pública", kSfp, true);  // a ^ alias: a name only when capitalised
  m.add("SHCP", kShcp, true);
  m.add("Secretaría de Hacienda y Crédito Público", kShcp, false);
  m.add("Secretaría de Hacienda", kHacienda, false);
  m.add("Unidad de Gobierno Digital de la Secretaría de la Función Pública", kSfpUnit, false);
  m.add("integridad pública", kIntegrity, false);
  m.add("public integrity", kIntegrity, false);
  m.add("Fundar", kFundar, true);
  return m;
}

struct FindCase {
  std::string text;
  Entries expected;
  friend void PrintTo(const FindCase& c, std::ostream* out) { *out << '"' << c.text << '"'; }
};

class PhraseMatcherFind : public ::testing::TestWithParam<FindCase> {};

TEST_P(PhraseMatcherFind, FindsTheEntriesTheTextNames) {
  EXPECT_EQ(matcher().find(GetParam().text), GetParam().expected) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Texts, PhraseMatcherFind,
    ::testing::Values(
        // Acronyms are case-sensitive: "SEP" is the ministry, "sep" the month.
        FindCase{"La SEP publicó los datos.", {kSep}}, FindCase{"el 3 de sep. de 2019", {}},
        FindCase{"Sep 2019", {}}, FindCase{"(SFP)", {kSfp}}, FindCase{"sfp", {}},
        // Acronyms are whole words.
        FindCase{"SEPARADOS", {}}, FindCase{"SFPs", {}},
        // Case-sensitive aliases: capitalised they are a name, otherwise ordinary words.
        FindCase{"la Función Pública informó", {kSfp}}, FindCase{"la función pública informó", {}},
        FindCase{"LA FUNCIÓN PÚBLICA", {}},
        // Names are case- and accent-insensitive.
        FindCase{"la Secretaría de la Función Pública", {kSfp}},
        FindCase{"LA SECRETARIA DE LA FUNCION PUBLICA", {kSfp}},
        FindCase{"secretaria de la funcion publica", {kSfp}},
        FindCase{"Aumentar la Integridad Pública", {kIntegrity}},
        FindCase{"Increasing PUBLIC INTEGRITY", {kIntegrity}},
        // Punctuation and line breaks between words do not matter; words must be in order.
        FindCase{"Secretaría de la\nFunción Pública", {kSfp}},
        FindCase{"integridad, pública", {kIntegrity}}, FindCase{"pública integridad", {}},
        // The longest phrase at a position wins.
        FindCase{"Secretaría de Hacienda y Crédito Público", {kShcp}},
        FindCase{"la Secretaría de Hacienda anunció", {kHacienda}},
        FindCase{"Unidad de Gobierno Digital de la Secretaría de la Función Pública", {kSfpUnit}},
        // Each entry once, in order of first mention.
        FindCase{"SHCP, SFP, la SHCP y la Secretaría de la Función Pública", {kShcp, kSfp}},
        FindCase{"Fundar y la SEP; Fundar otra vez", {kFundar, kSep}},
        FindCase{"fundar una asociación", {}}, FindCase{"", {}}));

TEST(PhraseMatcher, MatchesDoNotOverlap) {
  PhraseMatcher m;
  m.add("datos abiertos", 0, false);
  m.add("abiertos al público", 1, false);
  // "abiertos" is taken by the first match; the second phrase cannot start inside it.
  EXPECT_EQ(m.find("datos abiertos al público"), (Entries{0}));
  EXPECT_EQ(m.find("abiertos al público"), (Entries{1}));
}

TEST(PhraseMatcher, ACaseSensitiveTerminalDoesNotHideACaseInsensitiveOne) {
  PhraseMatcher m;
  m.add("Hacienda", 0, true);
  m.add("hacienda pública", 1, false);
  EXPECT_EQ(m.find("Hacienda informó"), (Entries{0}));
  EXPECT_EQ(m.find("hacienda informó"), (Entries{}));
  EXPECT_EQ(m.find("la hacienda pública"), (Entries{1}));
  EXPECT_EQ(m.find("la Hacienda Pública"), (Entries{1}));
}

TEST(PhraseMatcher, PhrasesSharingTheirFirstWordsAreToldApart) {
  PhraseMatcher m;
  m.add("datos", 0, false);
  m.add("datos abiertos", 1, false);
  m.add("datos personales", 2, false);
  m.add("abiertos", 3, false);
  EXPECT_EQ(m.find("datos personales y datos abiertos"), (Entries{2, 1}));
  EXPECT_EQ(m.find("datos, luego abiertos"), (Entries{0, 3}));
  // A word of a phrase is not a phrase where no phrase starts with it.
  EXPECT_EQ(m.find("personales"), (Entries{}));
}

TEST(PhraseMatcher, ManyPhrasesAreAllFound) {
  // Enough phrases that the tables of words and of trie edges grow several times over.
  PhraseMatcher m;
  for (std::size_t i = 0; i < 500; ++i) m.add("frase " + std::to_string(i) + " fin", i, false);
  for (std::size_t i = 0; i < 500; i += 37)
    EXPECT_EQ(m.find("una frase " + std::to_string(i) + " fin aquí"), (Entries{i})) << i;
  EXPECT_EQ(m.find("frase 1000 fin"), (Entries{}));
  EXPECT_EQ(m.find("frase 12"), (Entries{}));
  EXPECT_EQ(m.exact("Frase 499 Fin"), 499);
}

TEST(PhraseMatcher, AcceptChoosesTheLongestAllowedPhrase) {
  PhraseMatcher m;
  m.add("ministerio de hacienda", 0, false);
  m.add("ministerio", 1, false);
  const std::vector<std::string> words = segment_words_keeping_case("el Ministerio de Hacienda");
  const std::vector<std::string> folded = PhraseMatcher::fold_words(words);
  EXPECT_EQ(m.find(words, folded), (Entries{0}));
  const PhraseMatcher::Accept refuse_long = [](std::size_t, std::size_t, std::size_t length) {
    return length < 2;
  };
  EXPECT_EQ(m.find(words, folded, refuse_long), (Entries{1}));
}

TEST(PhraseMatcher, FindSpansKeepsLongestAndFindAllSpansKeepsEveryPhrase) {
  PhraseMatcher m;
  m.add_keys({"zdat", "zabiert"}, 0);
  m.add_keys({"zabiert"}, 1);
  m.add_keys({"zdat"}, 2);
  const std::vector<std::string> keys = {"zlos", "zdat", "zabiert", "zdat"};
  const std::vector<PhraseMatcher::Span> longest = m.find_spans(keys);
  ASSERT_EQ(longest.size(), 2U);
  EXPECT_EQ(longest[0].first, 1U);
  EXPECT_EQ(longest[0].length, 2U);
  EXPECT_EQ(longest[0].entry, 0U);
  EXPECT_EQ(longest[1].first, 3U);
  EXPECT_EQ(longest[1].entry, 2U);
  std::vector<std::tuple<std::size_t, std::size_t, std::size_t>> every;
  for (const PhraseMatcher::Span& span : m.find_all_spans(keys))
    every.emplace_back(span.first, span.length, span.entry);
  using Found = std::tuple<std::size_t, std::size_t, std::size_t>;
  EXPECT_EQ(every, (std::vector<Found>{{1, 1, 2}, {1, 2, 0}, {2, 1, 1}, {3, 1, 2}}));
  EXPECT_TRUE(m.find_all_spans({}).empty());
}

TEST(PhraseMatcher, SegmentedOverloadGivesTheSameAnswer) {
  const PhraseMatcher m = matcher();
  for (const std::string text : {"La SEP y la Secretaría de Hacienda y Crédito Público",
                                 "la función pública", "la Función Pública", "sep"}) {
    const auto words = segment_words_keeping_case(text);
    EXPECT_EQ(m.find(words, PhraseMatcher::fold_words(words)), m.find(text)) << text;
  }
}

TEST(PhraseMatcher, FoldWordsLowerCasesAndDropsAccents) {
  EXPECT_EQ(PhraseMatcher::fold_words({"Función", "PÚBLICA", "año", "SEP"}),
            (std::vector<std::string>{"funcion", "publica", "año", "sep"}));
  EXPECT_TRUE(PhraseMatcher::fold_words({}).empty());
}

TEST(PhraseMatcher, ExactMatchesTheWholeTextInAnyCase) {
  const PhraseMatcher m = matcher();
  // A user typing a filter value is not held to its capitalisation, even for acronyms.
  EXPECT_EQ(m.exact("SFP"), static_cast<long>(kSfp));
  EXPECT_EQ(m.exact("sfp"), static_cast<long>(kSfp));
  EXPECT_EQ(m.exact("secretaria de la funcion publica"), static_cast<long>(kSfp));
  EXPECT_EQ(m.exact("función pública"), static_cast<long>(kSfp));
  EXPECT_EQ(m.exact("Secretaría de Hacienda"), static_cast<long>(kHacienda));
  // Part of a phrase, more than a phrase, or nothing at all is no exact match.
  EXPECT_EQ(m.exact("Secretaría de la"), -1);
  EXPECT_EQ(m.exact("la SFP"), -1);
  EXPECT_EQ(m.exact(""), -1);
  EXPECT_EQ(m.exact("   "), -1);
}

TEST(PhraseMatcher, EmptyPhrasesAreIgnored) {
  PhraseMatcher m;
  m.add("", 0, false);
  m.add(" -- ", 1, false);
  EXPECT_TRUE(m.find("cualquier texto").empty());
  EXPECT_EQ(m.exact(""), -1);
}

TEST(PhraseMatcher, EmptyMatcherFindsNothing) {
  const PhraseMatcher m;
  EXPECT_TRUE(m.find("Secretaría de la Función Pública").empty());
  EXPECT_EQ(m.exact("SFP"), -1);
}

}  // namespace
}  // namespace lupa::analyzers
