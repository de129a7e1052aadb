#include "lupa/analyzers/stemming.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_set>
#include <vector>

#include "lupa/analyzers/text_normalizer.h"

namespace lupa::analyzers {
namespace {

struct Family {
  Language language;
  std::string a;
  std::string b;
  friend void PrintTo(const Family& c, std::ostream* out) { *out << c.a; }
};

class SameStem : public ::testing::TestWithParam<Family> {};

TEST_P(SameStem, InflectionsOfAWordMeetInTheIndex) {
  const auto& param = GetParam();
  EXPECT_EQ(index_stem(param.a, param.language), index_stem(param.b, param.language))
      << param.a << " / " << param.b;
}

INSTANTIATE_TEST_SUITE_P(
    Words, SameStem,
    ::testing::Values(Family{Language::kSpanish, "información", "informaciones"},
                      // Typed without the accent, singular and plural still meet.
                      Family{Language::kSpanish, "informacion", "informaciones"},
                      Family{Language::kSpanish, "información", "informacion"},
                      Family{Language::kSpanish, "corrupción", "corrupciones"},
                      Family{Language::kSpanish, "corrupcion", "corrupción"},
                      Family{Language::kSpanish, "inversión", "inversiones"},
                      Family{Language::kSpanish, "inversion", "inversiones"},
                      Family{Language::kSpanish, "pública", "públicas"},
                      Family{Language::kSpanish, "publicas", "públicas"},
                      Family{Language::kSpanish, "compromiso", "compromisos"},
                      Family{Language::kEnglish, "transparency", "transparent"},
                      Family{Language::kEnglish, "commitment", "commitments"},
                      Family{Language::kEnglish, "accountability", "accountable"},
                      Family{Language::kEnglish, "publish", "published"}));

class AccentlessQuery : public ::testing::TestWithParam<std::string> {};

TEST_P(AccentlessQuery, MeetsTheIndexedStemOfTheAccentedWord) {
  // QueryParser hands the folding stemmer what the user typed: with or without accents.
  const std::string word = GetParam();
  const std::string typed = fold_diacritics(word);
  ASSERT_NE(typed, word) << "test words must carry accents";
  Xapian::Stem stemmer = folding_stemmer(Language::kSpanish);
  EXPECT_EQ(stemmer(typed), index_stem(word, Language::kSpanish)) << word;
  EXPECT_EQ(stemmer(word), index_stem(word, Language::kSpanish)) << word;
}

INSTANTIATE_TEST_SUITE_P(Spanish, AccentlessQuery,
                         ::testing::Values("información", "corrupción", "rendición",
                                           "participación", "públicas", "políticas", "gestión",
                                           "auditoría", "presupuestaría", "económico"));

TEST(Stemming, InformacionStemsToInform) {
  // The -ción accent Snowball needs is put back on the folded word.
  for (const std::string word : {"información", "informacion", "informaciones"})
    EXPECT_EQ(index_stem(word, Language::kSpanish), "inform") << word;
}

TEST(Stemming, StemsAreFoldedButKeepEnye) {
  for (const std::string word : {"información", "públicas", "años", "compañías", "económico"}) {
    const std::string stem = index_stem(word, Language::kSpanish);
    EXPECT_EQ(fold_diacritics(stem), stem) << word << " -> " << stem;
  }
  // ñ distinguishes words: "años" (years) must not meet "anos".
  EXPECT_NE(index_stem("años", Language::kSpanish).find("ñ"), std::string::npos);
  EXPECT_NE(index_stem("años", Language::kSpanish), index_stem("anos", Language::kSpanish));
}

TEST(Stemming, IndexStemIsWhatTheFoldingStemmerGives) {
  Xapian::Stem spanish = folding_stemmer(Language::kSpanish);
  Xapian::Stem english = folding_stemmer(Language::kEnglish);
  for (const std::string word : {"información", "transparency", "rendición", "años"}) {
    EXPECT_EQ(index_stem(word, Language::kSpanish), spanish(word)) << word;
    EXPECT_EQ(index_stem(word, Language::kEnglish), english(word)) << word;
  }
  EXPECT_NE(spanish.get_description().find("spanish"), std::string::npos);
  EXPECT_NE(english.get_description().find("english"), std::string::npos);
}

TEST(Stemming, HighlightingStemmerPicksTheStemTheQueryUsed) {
  // "information" stems to "inform" in English; the Spanish reading of the query gave
  // "Zinform" too, so an English passage is highlighted for a Spanish word.
  Xapian::Stem highlighter = highlighting_stemmer({"Zinform"});
  EXPECT_EQ(highlighter("información"), "inform");
  EXPECT_EQ(highlighter("information"), "inform");

  // An English-only stem is found although the Spanish stemmer is tried first.
  const std::string english_stem = folding_stemmer(Language::kEnglish)("transparency");
  ASSERT_NE(english_stem, folding_stemmer(Language::kSpanish)("transparent"));
  Xapian::Stem english_highlighter = highlighting_stemmer({std::string("Z").append(english_stem)});
  EXPECT_EQ(english_highlighter("transparent"), english_stem);
}

TEST(Stemming, HighlightingStemmerWithoutAMatchGivesTheSpanishStem) {
  Xapian::Stem highlighter = highlighting_stemmer({"Zsomething-else"});
  EXPECT_EQ(highlighter("corrupción"), index_stem("corrupción", Language::kSpanish));
}

// Words' stems are kept per thread from one highlighter to the next, a bounded number of them:
// what a highlighter chooses must not depend on what its thread stemmed before.
TEST(Stemming, HighlightingStemmersChooseAlikeHoweverManyWordsTheirThreadStemmed) {
  Xapian::Stem spanish = folding_stemmer(Language::kSpanish);
  Xapian::Stem english = folding_stemmer(Language::kEnglish);
  // Appended piece by piece: GCC 12 warns (-Wrestrict) falsely about "Z" + std::string.
  const auto term = [](const std::string& stem) { return std::string("Z").append(stem); };
  std::vector<std::string> words = {"información", "information", "transparency", "años"};
  for (int i = 0; i < 40000; ++i)
    words.push_back(std::string("rendiciones")
                        .append(std::to_string(i % 997))
                        .append(1, static_cast<char>('a' + i % 26)));
  const std::unordered_set<std::string> terms = {"Zinform", term(english("transparency")),
                                                 term(english(words[500]))};
  for (int pass = 0; pass < 2; ++pass) {
    Xapian::Stem highlighter = highlighting_stemmer(terms);
    for (const std::string& word : words) {
      const std::string in_spanish = spanish(word);
      const std::string in_english = english(word);
      const std::string expected = terms.contains(term(in_spanish))   ? in_spanish
                                   : terms.contains(term(in_english)) ? in_english
                                                                      : in_spanish;
      ASSERT_EQ(highlighter(word), expected) << word << " in pass " << pass;
    }
  }
}

}  // namespace
}  // namespace lupa::analyzers
