#include "lupa/analyzers/passage_analyzer.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "lupa/analyzers/query_analyzer.h"
#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/stemming.h"

namespace lupa::analyzers {
namespace {

TEST(PassageAnalyzer, IndexesOnlyStemsAndEveryStemHasPositions) {
  Xapian::Document document;
  PassageAnalyzer analyzer;
  analyzer.start_document();
  analyzer.add_text(document, "Información pública", Language::kSpanish);

  std::set<std::string> terms;
  for (auto term = document.termlist_begin(); term != document.termlist_end(); ++term) {
    if ((*term).starts_with(schema::kConceptPrefix)) continue;  // the glossary's (below)
    terms.insert(*term);
    EXPECT_TRUE((*term).starts_with(schema::kStemPrefix)) << "unstemmed term " << *term;
    EXPECT_GT(term.positionlist_count(), 0u) << *term;
  }
  EXPECT_EQ(terms, (std::set<std::string>{"Zinform", std::string("Z").append(index_stem(
                                                         "pública", Language::kSpanish))}));
}

// The concept terms of a document: term -> wdf.
std::map<std::string, Xapian::termcount> concept_terms(const Xapian::Document& document) {
  std::map<std::string, Xapian::termcount> concepts;
  for (auto term = document.termlist_begin(); term != document.termlist_end(); ++term)
    if ((*term).starts_with(schema::kConceptPrefix)) concepts[*term] = term.get_wdf();
  return concepts;
}

TEST(PassageAnalyzer, GlossaryPhrasesOfEitherLanguageBecomeConceptTermsPerOccurrence) {
  Xapian::Document document;
  PassageAnalyzer analyzer;
  analyzer.start_document();
  // A Spanish passage quoting an English term, a nested term ("datos abiertos" inside "portal
  // de datos abiertos" is still open data), and a term said twice.
  analyzer.add_text(document,
                    "La transparencia presupuestaria y el open data del portal de datos "
                    "abiertos; transparencia presupuestal",
                    Language::kSpanish);
  const auto concepts = concept_terms(document);
  EXPECT_EQ(concepts.at(schema::concept_term("budget-transparency")), 2u);
  EXPECT_EQ(concepts.at(schema::concept_term("open-data")), 2u);
  // One-word terms stay words: the query asks for them as words.
  EXPECT_FALSE(concepts.contains(schema::concept_term("budget")));
  for (const auto& [term, wdf] : concepts) EXPECT_TRUE(term.starts_with(schema::kConceptPrefix));
}

TEST(PassageAnalyzer, ConceptTermsNeverSpanTwoFields) {
  Xapian::Document document;
  PassageAnalyzer analyzer;
  analyzer.start_document();
  // "datos" ends the heading and "abiertos" starts the text: no phrase matches across them.
  analyzer.add_text(document, "Publicación de datos", Language::kSpanish, 3);
  analyzer.add_text(document, "abiertos y reutilizables", Language::kSpanish);
  EXPECT_FALSE(concept_terms(document).contains(schema::concept_term("open-data")));
  // Within a field weighed more, the concept weighs as its field does.
  Xapian::Document heading;
  analyzer.start_document();
  analyzer.add_text(heading, "Datos abiertos", Language::kSpanish, 3);
  EXPECT_EQ(concept_terms(heading).at(schema::concept_term("open-data")), 3u);
}

TEST(PassageAnalyzer, AccentedAndUnaccentedSpellingsGiveOneTerm) {
  for (const char* text : {"información", "informacion", "INFORMACIONES"}) {
    Xapian::Document document;
    PassageAnalyzer analyzer;
    analyzer.start_document();
    analyzer.add_text(document, text, Language::kSpanish);
    ASSERT_EQ(document.termlist_count(), 1u) << text;
    EXPECT_EQ(*document.termlist_begin(), "Zinform") << text;
  }
}

TEST(PassageAnalyzer, PositionsFollowTheWords) {
  Xapian::Document document;
  PassageAnalyzer analyzer;
  analyzer.start_document();
  analyzer.add_text(document, "datos abiertos y datos", Language::kSpanish);
  const std::string datos = std::string("Z").append(index_stem("datos", Language::kSpanish));
  auto term = document.termlist_begin();
  term.skip_to(datos);
  ASSERT_EQ(*term, datos);
  EXPECT_EQ(std::vector<Xapian::termpos>(term.positionlist_begin(), term.positionlist_end()),
            (std::vector<Xapian::termpos>{1, 4}));
}

TEST(PassageAnalyzer, WdfIncrementWeightsAField) {
  Xapian::Document document;
  PassageAnalyzer analyzer;
  analyzer.start_document();
  analyzer.add_text(document, "Presupuesto", Language::kSpanish, 3);
  analyzer.add_text(document, "presupuesto abierto", Language::kSpanish);
  const std::string stem = std::string("Z").append(index_stem("presupuesto", Language::kSpanish));
  auto term = document.termlist_begin();
  term.skip_to(stem);
  ASSERT_EQ(*term, stem);
  EXPECT_EQ(term.get_wdf(), 4u);
}

TEST(PassageAnalyzer, NoPhraseAcrossTwoFields) {
  Xapian::WritableDatabase database(std::string(), Xapian::DB_BACKEND_INMEMORY);
  PassageAnalyzer analyzer;
  Xapian::Document document;
  analyzer.start_document();
  analyzer.add_text(document, "Presupuesto abierto", Language::kSpanish, 3);
  analyzer.add_text(document, "datos públicos", Language::kSpanish);
  database.add_document(document);
  const QueryAnalyzer query_analyzer(database);
  Xapian::Enquire enquire(database);
  enquire.set_query(query_analyzer.parse("\"abierto datos\""));
  EXPECT_EQ(enquire.get_mset(0, 10).size(), 0u);
  enquire.set_query(query_analyzer.parse("\"datos publicos\""));
  EXPECT_EQ(enquire.get_mset(0, 10).size(), 1u);
}

TEST(PassageAnalyzer, SkipsOverlongWords) {
  Xapian::Document document;
  PassageAnalyzer analyzer;
  analyzer.start_document();
  const std::string base64(100, 'q');
  analyzer.add_text(document, "datos " + base64, Language::kSpanish);
  for (auto term = document.termlist_begin(); term != document.termlist_end(); ++term)
    EXPECT_LT((*term).size(), 70u) << *term;
  EXPECT_EQ(document.termlist_count(), 1u);  // the stem of "datos" only
}

}  // namespace
}  // namespace lupa::analyzers
