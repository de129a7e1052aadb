#include "lupa/analyzers/phrase_matcher.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <ostream>
#include <string>
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
