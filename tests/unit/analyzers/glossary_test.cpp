#include "lupa/analyzers/glossary.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>
#include <utility>

#include "lupa/analyzers/query_analyzer.h"
#include "lupa/analyzers/stemming.h"
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

// The stems a term is matched by, joined: what the glossary compares a query's words with.
std::string stem_key(const std::string& term, Language language) {
  std::string key;
  for (const std::string& word : segment_words(term)) {
    if (!key.empty()) key += ' ';
    key += index_stem(word, language);
  }
  return key;
}

struct TermOfConcept {
  std::string concept_id;
  std::string term;
};

// Pairs of terms of one language with the same stems: of two rows, a query gets one at random
// (a collision); within a row, one of the two is redundant.
std::vector<std::pair<TermOfConcept, TermOfConcept>> same_stem_terms(const Glossary& glossary) {
  std::vector<std::pair<TermOfConcept, TermOfConcept>> clashes;
  for (Language language : kLanguages) {
    std::map<std::string, TermOfConcept> first_by_key;
    for (const GlossaryConcept& entry : glossary.concepts())
      for (const std::string& term : entry.terms(language)) {
        const auto [found, inserted] =
            first_by_key.try_emplace(stem_key(term, language), TermOfConcept{entry.id, term});
        if (!inserted) clashes.emplace_back(found->second, TermOfConcept{entry.id, term});
      }
  }
  return clashes;
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

TEST(GlossaryCheck, FindsTermsOfTwoRowsWithTheSameStems) {
  Glossary glossary;
  glossary.add({"whistleblower", {"whistleblower"}, {"denunciante"}});
  glossary.add({"complaint", {"complaint"}, {"denuncia"}});
  glossary.add({"railways", {"trains"}, {"trenes"}});
  glossary.add({"training", {"training", "trainings"}, {"capacitación"}});
  std::set<std::string> found;
  for (const auto& [first, second] : same_stem_terms(glossary))
    found.insert(first.concept_id + ":" + first.term + " ~ " + second.concept_id + ":" +
                 second.term);
  EXPECT_EQ(found, (std::set<std::string>{
                       "railways:trains ~ training:training",
                       "railways:trains ~ training:trainings",  // also redundant in its row
                       "whistleblower:denunciante ~ complaint:denuncia",
                   }));
}

TEST(GlossaryCheck, NoTwoBundledTermsOfALanguageShareTheirStems) {
  for (const auto& [first, second] : same_stem_terms(Glossary::bundled()))
    ADD_FAILURE() << "\"" << first.term << "\" (" << first.concept_id << ") and \"" << second.term
                  << "\" (" << second.concept_id << ") have the same stems";
}

TEST(GlossaryCheck, BundledRowsAreWellFormed) {
  const Glossary& glossary = Glossary::bundled();
  EXPECT_GE(glossary.concepts().size(), 1000u);
  const std::regex concept_id("[a-z0-9]+(-[a-z0-9]+)*");
  std::set<std::string> ids;
  for (const GlossaryConcept& entry : glossary.concepts()) {
    EXPECT_TRUE(std::regex_match(entry.id, concept_id)) << entry.id;
    EXPECT_TRUE(ids.insert(entry.id).second) << "duplicate concept " << entry.id;
    EXPECT_FALSE(entry.english.empty()) << entry.id << " has no English term";
    EXPECT_FALSE(entry.spanish.empty()) << entry.id << " has no Spanish term";
    for (Language language : kLanguages)
      for (const std::string& term : entry.terms(language)) {
        EXPECT_TRUE(std::none_of(term.begin(), term.end(),
                                 [](unsigned char c) { return std::isupper(c) || c == '\t'; }))
            << entry.id << ": \"" << term << "\" is not lower case";
        EXPECT_FALSE(segment_words(term).empty()) << entry.id << ": \"" << term << "\" has no word";
      }
  }
}

TEST(Glossary, EveryPolicyAreaHasRowsInBothDirections) {
  const Glossary& glossary = Glossary::bundled();
  // One query per OGP policy area in each language; each must widen to its concept.
  const std::pair<const char*, const char*> queries[] = {
      {"beneficial ownership", "beneficiarios finales"},
      {"civic space", "espacio cívico"},
      {"climate change", "cambio climático"},
      {"co-creation", "cocreación"},
      {"drinking water", "agua potable"},
      {"extractive industries", "industrias extractivas"},
      {"fiscal openness", "apertura fiscal"},
      {"gender equality", "igualdad de género"},
      {"access to justice", "acceso a la justicia"},
      {"school dropout", "deserción escolar"},
      {"medicine shortages", "desabasto de medicamentos"},
      {"labour inspection", "inspección del trabajo"},
      {"open parliament", "parlamento abierto"},
      {"road safety", "seguridad vial"},
      {"regulatory burden", "carga regulatoria"},
      {"digital transformation", "transformación digital"},
      {"starred commitment", "compromiso estelar"},
      {"substantial completion", "cumplimiento sustancial"},
  };
  for (const auto& [english, spanish] : queries) {
    const auto in_english = glossary.find(segment_words(english));
    const auto in_spanish = glossary.find(segment_words(spanish));
    ASSERT_EQ(in_english.size(), 1u) << english;
    ASSERT_EQ(in_spanish.size(), 1u) << spanish;
    EXPECT_EQ(in_english[0].word_count, segment_words(english).size()) << english;
    EXPECT_EQ(in_english[0].concept_index, in_spanish[0].concept_index)
        << english << " / " << spanish;
  }
}

// The indexer re-reads every file when the fingerprint changes: its concept terms follow the
// glossary.
TEST(Glossary, FingerprintChangesWithAnyTermAndOnlyThen) {
  EXPECT_EQ(small_glossary().fingerprint(), small_glossary().fingerprint());
  Glossary one_more = small_glossary();
  one_more.add({"open-data-portal", {"open data portal"}, {"portal de datos abiertos"}});
  EXPECT_NE(one_more.fingerprint(), small_glossary().fingerprint());
  Glossary renamed;
  renamed.add({"public-procurement", {"public procurement"}, {"contratacion publica"}});
  Glossary original;
  original.add({"public-procurement", {"public procurement"}, {"contratación pública"}});
  EXPECT_NE(renamed.fingerprint(), original.fingerprint());
  // Pieces end where they end: moving a letter from one term to the next is a change.
  Glossary split_a, split_b;
  split_a.add({"x", {"ab", "c"}, {}});
  split_b.add({"x", {"a", "bc"}, {}});
  EXPECT_NE(split_a.fingerprint(), split_b.fingerprint());
  EXPECT_EQ(Glossary::bundled().fingerprint().size(), 16u);
}

TEST(ExpandWithGlossary, PlainWordsAreWidenedAndSyntaxIsLeftAlone) {
  const Glossary glossary = small_glossary();
  const GlossaryExpansion expansion = expand_with_glossary("reforma de datos abiertos", glossary);
  // The other language's phrase travels as the concept's term, and is kept for marking.
  EXPECT_EQ(expansion.text, "reforma de ((datos abiertos) OR lupaconcept:open_data)");
  EXPECT_EQ(expansion.phrases, (std::vector<std::string>{"open data"}));
  EXPECT_EQ(expansion.concepts, (std::vector<std::string>{"open-data"}));
  EXPECT_EQ(expansion.matched_languages, (std::vector<Language>{Language::kSpanish}));
  // Quoted phrases, fields, operators, wildcards and +/- words are the user's.
  for (const char* kept : {"\"datos abiertos\"", "theme:open-data", "datos AND abiertos",
                           "dat* abiertos", "+datos abiertos"})
    EXPECT_EQ(expand_with_glossary(kept, glossary).text, kept) << kept;
}

TEST(LanguageOfQuery, SpanishLettersAndStopWordsTell) {
  EXPECT_EQ(language_of_query("rendición"), Language::kSpanish);
  EXPECT_EQ(language_of_query("compromisos de la secretaria"), Language::kSpanish);
  EXPECT_EQ(language_of_query("commitments of the ministry"), Language::kEnglish);
  EXPECT_EQ(language_of_query("SEMARNAT"), std::nullopt);
}

}  // namespace
}  // namespace lupa::analyzers
