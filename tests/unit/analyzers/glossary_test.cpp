#include "lupa/analyzers/glossary.h"

#include <gtest/gtest.h>

#include "lupa/analyzers/query_analyzer.h"
#include "lupa/analyzers/text_normalizer.h"

namespace lupa::analyzers {
namespace {

Glossary small_glossary() {
  Glossary glossary;
  glossary.add({"public-procurement",
                {"public procurement"},
                {"contratación pública", "compras gubernamentales"}});
  glossary.add({"procurement", {"procurement"}, {"adquisiciones"}});
  glossary.add({"open-data", {"open data"}, {"datos abiertos"}});
  return glossary;
}

TEST(Glossary, TermsMatchByStemsInTheirOwnLanguage) {
  const Glossary glossary = small_glossary();
  const auto matches =
      glossary.find(segment_words("las contrataciones públicas y los datos abiertos"));
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(glossary.concepts()[matches[0].concept_index].id, "public-procurement");
  EXPECT_EQ(matches[0].first_word, 1u);
  EXPECT_EQ(matches[0].word_count, 2u);
  EXPECT_EQ(matches[0].language, Language::kSpanish);
  EXPECT_EQ(glossary.concepts()[matches[1].concept_index].id, "open-data");
}

TEST(Glossary, TheLongestTermWins) {
  const Glossary glossary = small_glossary();
  const auto matches = glossary.find(segment_words("public procurement reform"));
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(glossary.concepts()[matches[0].concept_index].id, "public-procurement");
  EXPECT_EQ(matches[0].language, Language::kEnglish);
  const auto alone = glossary.find(segment_words("procurement"));
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(glossary.concepts()[alone[0].concept_index].id, "procurement");
}

TEST(Glossary, TheBundledGlossaryHasTheRequiredPairs) {
  const Glossary& glossary = Glossary::bundled();
  EXPECT_GT(glossary.concepts().size(), 300u);
  for (const char* query : {"beneficial ownership", "beneficiarios finales", "budget transparency",
                            "transparencia presupuestaria", "accountability",
                            "rendición de cuentas", "public procurement", "compras gubernamentales",
                            "open data", "datos abiertos", "corruption", "corrupción"})
    EXPECT_EQ(glossary.find(segment_words(query)).size(), 1u) << query;
}

TEST(ExpandWithGlossary, PlainWordsAreWidenedAndSyntaxIsLeftAlone) {
  const Glossary glossary = small_glossary();
  std::vector<std::string> concepts;
  std::vector<Language> languages;
  EXPECT_EQ(expand_with_glossary("reforma de datos abiertos", glossary, concepts, languages),
            "reforma de ((datos abiertos) OR \"open data\")");
  EXPECT_EQ(concepts, (std::vector<std::string>{"open-data"}));
  EXPECT_EQ(languages, (std::vector<Language>{Language::kSpanish}));
  // Quoted phrases, fields, operators, wildcards and +/- words are the user's.
  for (const char* kept : {"\"datos abiertos\"", "theme:open-data", "datos AND abiertos",
                           "dat* abiertos", "+datos abiertos"})
    EXPECT_EQ(expand_with_glossary(kept, glossary, concepts, languages), kept) << kept;
}

TEST(LanguageOfQuery, SpanishLettersAndStopWordsTell) {
  EXPECT_EQ(language_of_query("rendición"), Language::kSpanish);
  EXPECT_EQ(language_of_query("compromisos de la secretaria"), Language::kSpanish);
  EXPECT_EQ(language_of_query("commitments of the ministry"), Language::kEnglish);
  EXPECT_EQ(language_of_query("SEMARNAT"), std::nullopt);
}

}  // namespace
}  // namespace lupa::analyzers
