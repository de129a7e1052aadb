// PassageAnalyzer and QueryAnalyzer are the two halves of one analysis: these tests index with
// the first and query with the second, as the indexer and the daemon do.
#include "lupa/analyzers/query_analyzer.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <functional>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "lupa/analyzers/glossary.h"
#include "lupa/analyzers/passage_analyzer.h"
#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/stemming.h"

namespace lupa::analyzers {
namespace {

using Names = std::set<std::string>;

class QueryAnalyzerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    add("es-info", "La información socialmente útil y la corrupción", Language::kSpanish);
    add("en-budget", "Budget transparency and accountability", Language::kEnglish);
    add("es-cuentas", "Rendición de cuentas de los años 2011 y 2012", Language::kSpanish);
    database_.commit();
  }

  void add(const std::string& name, const std::string& text, Language language) {
    Xapian::Document document;
    analyzer_.start_document();
    analyzer_.add_text(document, text, language);
    document.add_boolean_term(
        schema::facet_term(*schema::find_facet("lang"), language_code(language)));
    document.set_data(name);
    database_.add_document(document);
  }

  // The names of the documents `query` matches.
  Names matches(const std::string& query) const {
    const QueryAnalyzer analyzer(database_);
    Xapian::Enquire enquire(database_);
    enquire.set_query(analyzer.parse(query));
    const Xapian::MSet mset = enquire.get_mset(0, 100);
    Names names;
    for (auto it = mset.begin(); it != mset.end(); ++it) names.insert(it.get_document().get_data());
    return names;
  }

  Xapian::WritableDatabase database_{std::string(), Xapian::DB_BACKEND_INMEMORY};
  PassageAnalyzer analyzer_;
};

struct QueryCase {
  const char* query;
  Names expected;
  friend void PrintTo(const QueryCase& c, std::ostream* out) { *out << c.query; }
};

class QueryMatches : public QueryAnalyzerTest, public ::testing::WithParamInterface<QueryCase> {};

TEST_P(QueryMatches, FindsExactlyTheExpectedDocuments) {
  EXPECT_EQ(matches(GetParam().query), GetParam().expected) << "query: " << GetParam().query;
}

INSTANTIATE_TEST_SUITE_P(
    Queries, QueryMatches,
    ::testing::Values(
        // Accents and case do not matter.
        QueryCase{"informacion", {"es-info"}}, QueryCase{"información", {"es-info"}},
        QueryCase{"INFORMACIÓN", {"es-info"}}, QueryCase{"Informacion", {"es-info"}},
        QueryCase{"informaciones", {"es-info"}}, QueryCase{"corrupcion", {"es-info"}},
        QueryCase{"corrupción", {"es-info"}}, QueryCase{"util", {"es-info"}},
        QueryCase{"rendicion", {"es-cuentas"}},
        // English stems.
        QueryCase{"transparency", {"en-budget"}}, QueryCase{"transparent", {"en-budget"}},
        // A glossary phrase of the other language, through the concept's term.
        QueryCase{"transparencia presupuestaria", {"en-budget"}},
        QueryCase{"transparencia presupuestal", {"en-budget"}},
        // The glossary reads "accountable" as "rendición de cuentas" too.
        QueryCase{"accountable", {"en-budget", "es-cuentas"}},
        // ñ is a letter of its own: "anos" is another word.
        QueryCase{"años", {"es-cuentas"}}, QueryCase{"anos", {}},
        // Phrases, on stems, in order, stop words included.
        QueryCase{"\"socialmente util\"", {"es-info"}},
        QueryCase{"\"socialmente útil\"", {"es-info"}}, QueryCase{"\"util socialmente\"", {}},
        QueryCase{"\"rendicion de cuentas\"", {"es-cuentas"}},
        QueryCase{"\"rendicion cuentas\"", {}},
        // Free words are all required.
        QueryCase{"informacion corrupcion", {"es-info"}}, QueryCase{"informacion transparency", {}},
        // Boolean operators.
        QueryCase{"transparency OR corrupcion", {"en-budget", "es-info"}},
        QueryCase{"informacion NOT corrupcion", {}},
        QueryCase{"+budget -corrupcion", {"en-budget"}},
        // An excluded word is excluded under both stemmers, whatever language it is in.
        QueryCase{"-informaciones", {"en-budget", "es-cuentas"}},
        QueryCase{"NOT informaciones", {"en-budget", "es-cuentas"}},
        QueryCase{"rendicion -informaciones", {"es-cuentas"}},
        QueryCase{"-budgets", {"es-info", "es-cuentas"}},
        // Stop words of either language are dropped outside phrases.
        QueryCase{"the corrupcion", {"es-info"}}, QueryCase{"los transparency", {"en-budget"}},
        // Trailing wildcards expand over the indexed stems, typed with or without accents.
        QueryCase{"corrup*", {"es-info"}}, QueryCase{"account*", {"en-budget"}},
        QueryCase{"CORRUP*", {"es-info"}}, QueryCase{"rendici*", {"es-cuentas"}},
        QueryCase{"rendició*", {"es-cuentas"}}, QueryCase{"zzz*", {}},
        QueryCase{"corrup* budget", {}}, QueryCase{"corrup* OR budget", {"es-info", "en-budget"}},
        // Inside a phrase an asterisk is no wildcard.
        QueryCase{"\"corrup*\"", {}},
        // Facet fields.
        QueryCase{"lang:es", {"es-info", "es-cuentas"}}, QueryCase{"lang:en", {"en-budget"}},
        QueryCase{"lang:en transparency", {"en-budget"}}, QueryCase{"lang:en informacion", {}},
        QueryCase{"lang:Spanish", {"es-info", "es-cuentas"}},
        QueryCase{"lang:inglés", {"en-budget"}}));

TEST_F(QueryAnalyzerTest, AFieldThatDoesNotExistIsRefusedWithTheOnesThatDo) {
  const QueryAnalyzer analyzer(database_);
  try {
    analyzer.parse("title:budget");
    FAIL() << "title: was accepted";
  } catch (const QuerySyntaxError& error) {
    EXPECT_NE(std::string(error.what()).find("`title:` is not a field"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("lang:"), std::string::npos) << error.what();
  }
  EXPECT_THROW(analyzer.parse("budget (author:smith)"), QuerySyntaxError);
  // Not fields: a web address, a colon before a space, a quoted text, digits.
  EXPECT_NO_THROW(analyzer.parse("https://budget.gob.mx"));
  EXPECT_NO_THROW(analyzer.parse("Nota: budget"));
  EXPECT_NO_THROW(analyzer.parse("\"title:budget\""));
  EXPECT_NO_THROW(analyzer.parse("10:30 budget"));
}

TEST_F(QueryAnalyzerTest, AFieldValueThatNamesNothingIsRefused) {
  const QueryAnalyzer analyzer(database_);
  EXPECT_THROW(analyzer.parse("budget lang:klingon"), QuerySyntaxError);
}

class LenientQuery : public QueryAnalyzerTest, public ::testing::WithParamInterface<QueryCase> {};

TEST_P(LenientQuery, StrayOperatorsAreReadAsWords) {
  Names found;
  EXPECT_NO_THROW(found = matches(GetParam().query)) << GetParam().query;
  EXPECT_EQ(found, GetParam().expected) << "query: " << GetParam().query;
}

INSTANTIATE_TEST_SUITE_P(
    Queries, LenientQuery,
    // A lone operator is the word itself; "and" is a stop word, kept as the only word there is.
    ::testing::Values(QueryCase{"AND", {"en-budget"}}, QueryCase{"OR", {}}, QueryCase{"NOT", {}},
                      QueryCase{"informacion AND", {"es-info"}},
                      QueryCase{"AND corrupcion", {"es-info"}}, QueryCase{"\"unbalanced", {}},
                      QueryCase{"\"socialmente util", {"es-info"}},
                      QueryCase{"(corrupcion", {"es-info"}},
                      QueryCase{"transparency)", {"en-budget"}}));

TEST(QueryAnalyzer, WildcardReachesTheStemsOfBothLanguages) {
  // "transparen*" must find "transparencia" (Spanish stem "transparent") and "transparency"
  // (English stem "transpar"), which no longer share a prefix with what the user typed.
  Xapian::WritableDatabase database(std::string(), Xapian::DB_BACKEND_INMEMORY);
  PassageAnalyzer analyzer;
  const std::pair<const char*, Language> texts[] = {
      {"Portal de transparencia presupuestaria", Language::kSpanish},
      {"Budget transparency portal", Language::kEnglish},
      {"Portal de datos abiertos", Language::kSpanish}};
  for (const auto& [text, language] : texts) {
    Xapian::Document document;
    analyzer.start_document();
    analyzer.add_text(document, text, language);
    document.set_data(text);
    database.add_document(document);
  }
  const QueryAnalyzer query_analyzer(database);
  for (const char* query : {"transparen*", "Transparen*", "transpar*"}) {
    Xapian::Enquire enquire(database);
    enquire.set_query(query_analyzer.parse(query));
    Names found;
    const Xapian::MSet mset = enquire.get_mset(0, 10);
    for (auto it = mset.begin(); it != mset.end(); ++it) found.insert(it.get_document().get_data());
    EXPECT_EQ(found,
              (Names{"Portal de transparencia presupuestaria", "Budget transparency portal"}))
        << "query: " << query;
  }
}

// The concept terms the indexer writes stand for the phrases a query once asked for: for every
// concept of the bundled glossary, the passages holding its term are exactly those the
// phrases of its terms of two words or more match, in both readings (a user's quoted phrase
// is parsed as the glossary's phrases were). Each passage states one term, in both languages'
// passages, between words of its own, so terms nested in others are tested too.
TEST(QueryAnalyzer, ConceptTermsMatchExactlyWhatTheirPhrasesMatch) {
  Xapian::WritableDatabase database(std::string(), Xapian::DB_BACKEND_INMEMORY);
  PassageAnalyzer analyzer;
  const Glossary& glossary = Glossary::bundled();
  for (const GlossaryConcept& entry : glossary.concepts())
    for (Language written : kLanguages)
      for (const std::string& term : entry.terms(written))
        for (Language passage : kLanguages) {
          Xapian::Document document;
          analyzer.start_document();
          analyzer.add_text(document, "Sobre " + term + " hoy", passage);
          database.add_document(document);
        }
  database.commit();
  QueryOptions options;
  options.spelling = false;
  const QueryAnalyzer parser(database, options);
  auto docids = [&database](const Xapian::Query& query) {
    Xapian::Enquire enquire(database);
    enquire.set_query(query);
    std::set<Xapian::docid> ids;
    const Xapian::MSet mset = enquire.get_mset(0, database.get_doccount());
    for (auto it = mset.begin(); it != mset.end(); ++it) ids.insert(*it);
    return ids;
  };
  std::size_t compared = 0;
  for (std::size_t c = 0; c < glossary.concepts().size(); ++c) {
    if (!glossary.has_phrase_term(c)) continue;
    const GlossaryConcept& entry = glossary.concepts()[c];
    std::vector<Xapian::Query> phrases;
    for (Language written : kLanguages)
      for (const std::string& term : entry.terms(written))
        if (Glossary::is_phrase_term(term)) phrases.push_back(parser.parse("\"" + term + "\""));
    const auto by_phrases =
        docids(Xapian::Query(Xapian::Query::OP_OR, phrases.begin(), phrases.end()));
    const auto by_term = docids(Xapian::Query(schema::concept_term(entry.id)));
    EXPECT_FALSE(by_term.empty()) << entry.id;
    EXPECT_EQ(by_term, by_phrases) << entry.id;
    ++compared;
  }
  EXPECT_GE(compared, 1000u);
}

// Snippets mark what the concept term stands for: its phrases, their terms in word order (the
// highlighter joins "rendición de cuentas" into one mark by that order).
TEST_F(QueryAnalyzerTest, TheMarkedQueryHoldsTheConceptsPhrasesInWordOrder) {
  const AnalyzedQuery analyzed = QueryAnalyzer(database_).analyze("accountability");
  std::vector<std::vector<std::string>> phrases;
  std::function<void(const Xapian::Query&)> collect = [&](const Xapian::Query& query) {
    if (query.get_type() == Xapian::Query::OP_PHRASE) {
      phrases.emplace_back(query.get_terms_begin(), query.get_terms_end());
      return;
    }
    for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) collect(query.get_subquery(i));
  };
  collect(analyzed.marked);
  const std::vector<std::string> expected{"Zrendicion", "Zde",
                                          "Z" + index_stem("cuentas", Language::kSpanish)};
  EXPECT_NE(std::find(phrases.begin(), phrases.end(), expected), phrases.end());
  // The query itself asks for the concept's term, not the phrases.
  const auto terms = query_terms(analyzed.query);
  EXPECT_TRUE(terms.contains(schema::concept_term("accountability")));
  phrases.clear();
  collect(analyzed.query);
  EXPECT_TRUE(phrases.empty());
}

// How often each term is a leaf of `query`: each is a posting list Xapian opens.
std::map<std::string, int> leaf_counts(const Xapian::Query& query) {
  std::map<std::string, int> counts;
  std::function<void(const Xapian::Query&)> visit = [&](const Xapian::Query& q) {
    if (q.get_type() == Xapian::Query::LEAF_TERM) ++counts[*q.get_terms_begin()];
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) visit(q.get_subquery(i));
  };
  visit(query);
  return counts;
}

TEST_F(QueryAnalyzerTest, TheQueryRankedWithOpensARepeatedSubqueryOnce) {
  // Both readings carry the concept's term, and the words as typed weigh again: the marked
  // query holds each of those twice, the ranked query once, weighted twice.
  const AnalyzedQuery analyzed = QueryAnalyzer(database_).analyze("transparencia presupuestaria");
  const std::string concept_term = schema::concept_term("budget-transparency");
  EXPECT_EQ(leaf_counts(analyzed.marked)[concept_term], 2);
  const auto ranked = leaf_counts(analyzed.query);
  EXPECT_EQ(ranked.at(concept_term), 1);
  for (const auto& [term, count] : ranked) EXPECT_EQ(count, 1) << term;
  EXPECT_NE(analyzed.query.get_description().find("2 * " + concept_term), std::string::npos)
      << analyzed.query.get_description();
  EXPECT_EQ(matches("transparencia presupuestaria"), (Names{"en-budget"}));
}

TEST_F(QueryAnalyzerTest, TheConceptFieldIsTheGlossarysOwnNotTheUsers) {
  EXPECT_THROW(matches("lupaconcept:budget_transparency"), QuerySyntaxError);
}

TEST_F(QueryAnalyzerTest, StopWordOnlyQueryMatchesTheStopWordItself) {
  // Dropping every word would leave nothing to search for; the word is kept instead, so a
  // search for "de" finds the passages that contain it rather than failing.
  EXPECT_EQ(matches("de"), (Names{"es-cuentas"}));
  EXPECT_EQ(matches("and"), (Names{"en-budget"}));
}

TEST_F(QueryAnalyzerTest, EmptyQueryParsesToAnEmptyQuery) {
  const QueryAnalyzer analyzer(database_);
  EXPECT_TRUE(analyzer.parse("").empty());
  EXPECT_TRUE(analyzer.parse("   ").empty());
}

TEST_F(QueryAnalyzerTest, QueryTermsIncludeTheStemsBothLanguagesGive) {
  const QueryAnalyzer analyzer(database_);
  const auto terms = query_terms(analyzer.parse("información"));
  EXPECT_TRUE(terms.contains("Zinform")) << "Spanish stem missing";
  // Boolean facet terms are query terms too, but no word is left unstemmed.
  const auto facet_terms = query_terms(analyzer.parse("lang:es"));
  EXPECT_TRUE(facet_terms.contains("XLes"));
}

struct FieldCase {
  const char* query;
  const char* term;
  friend void PrintTo(const FieldCase& c, std::ostream* out) { *out << c.query; }
};

class FacetField : public QueryAnalyzerTest, public ::testing::WithParamInterface<FieldCase> {};

TEST_P(FacetField, ValueIsResolvedAsAFilterParameterWouldBe) {
  const QueryAnalyzer analyzer(database_);
  const auto terms = query_terms(analyzer.parse(GetParam().query));
  EXPECT_TRUE(terms.contains(GetParam().term)) << GetParam().query;
}

INSTANTIATE_TEST_SUITE_P(
    Fields, FacetField,
    ::testing::Values(FieldCase{"agency:SFP", "XAmx-sfp"},
                      FieldCase{"responsible:shcp", "XRmx-shcp"},
                      FieldCase{"organization:Fundar", "XOorg-fundar"},
                      FieldCase{"challenge:public-integrity", "XCpublic-integrity"},
                      FieldCase{"status:TC", "XStotal"}, FieldCase{"commitment:mx0085", "XMMX0085"},
                      FieldCase{"kind:commitment", "XKcommitment"},
                      FieldCase{"plan:mx-2019-2021", "XPmx-2019-2021"},
                      FieldCase{"theme:anti-corruption corrupcion", "XHanti-corruption"}));

// The typographic apostrophe U+2019, which web pages use ("Mexico’s 2019-2021 includes...",
// corpus/mx-ogp-member-page.txt), is read as "'", so the possessive is stemmed away.
TEST(QueryAnalyzer, TypographicApostropheDoesNotHideAWord) {
  Xapian::WritableDatabase database(std::string(), Xapian::DB_BACKEND_INMEMORY);
  PassageAnalyzer analyzer;
  for (const char* text : {"Mexico's OGP dashboard", "Mexico\xE2\x80\x99s OGP dashboard"}) {
    Xapian::Document document;
    analyzer.start_document();
    analyzer.add_text(document, text, Language::kEnglish);
    document.set_data(text);
    database.add_document(document);
  }
  const QueryAnalyzer query_analyzer(database);
  for (const char* query : {"mexico", "Mexico's", "Mexico\xE2\x80\x99s"}) {
    Xapian::Enquire enquire(database);
    enquire.set_query(query_analyzer.parse(query));
    EXPECT_EQ(enquire.get_mset(0, 10).size(), 2u) << "query: " << query;
  }
}

// Every expansion is bounded whatever the client types, and the error names the bound.
struct LimitCase {
  std::string query;
  const char* limit;
  friend void PrintTo(const LimitCase& c, std::ostream* out) { *out << c.limit; }
};

std::string repeated(const std::string& piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

class QueryOverLimit : public QueryAnalyzerTest, public ::testing::WithParamInterface<LimitCase> {};

TEST_P(QueryOverLimit, IsRefusedWithAnErrorNamingTheLimit) {
  const QueryAnalyzer analyzer(database_);
  try {
    analyzer.analyze(GetParam().query);
    FAIL() << "accepted: " << GetParam().limit;
  } catch (const QueryLimitError& error) {
    EXPECT_NE(std::string(error.what()).find(GetParam().limit), std::string::npos) << error.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    QueryAnalyzer, QueryOverLimit,
    ::testing::Values(
        // U+FDFA is one character that NFKC turns into eighteen, four words.
        LimitCase{repeated("\xEF\xB7\xBA", 300), "4096 bytes once normalised"},
        LimitCase{repeated("palabra ", 65), "at most 64 words"},
        LimitCase{"info* budg* rend* cuen* trans*", "at most 4 wildcards"},
        // The field the wildcards are rewritten to, typed by hand, counts the same.
        LimitCase{"lupawildcard:info lupawildcard:budg lupawildcard:rend lupawildcard:cuen "
                  "lupawildcard:trans",
                  "at most 4 wildcards"}));

TEST_F(QueryAnalyzerTest, QueriesJustWithinTheLimitsAreServed) {
  EXPECT_EQ(matches("info* budg* rend* cuen*"), Names{});  // no passage has all four
  EXPECT_EQ(matches("info*"), (Names{"es-info"}));
  EXPECT_EQ(matches(repeated("socialmente ", 64)), (Names{"es-info"}));
}

// What a query gives as it is asked: its queries described and serialised, or the error.
std::string outcome(const QueryAnalyzer& analyzer, const std::string& query, bool any_word) {
  try {
    const AnalyzedQuery analyzed = analyzer.analyze(query, any_word);
    return analyzed.query.get_description() + " | " + analyzed.marked.get_description() + " | " +
           analyzed.query.serialise();
  } catch (const QuerySyntaxError& error) {
    return std::string("error: ") + error.what();
  }
}

TEST_F(QueryAnalyzerTest, PreparedParsersGiveWhatParsersConfiguredPerQueryGive) {
  // Queries of every kind one after the other on the same parsers: stop words (Xapian keeps
  // the last parse's stop list), fields, wildcards, glossary concepts, exclusions alone,
  // errors noted by a field (each must not leak into the next), operators read leniently.
  const std::vector<std::string> queries = {
      "la informacion de las cuentas",
      "budget transparency",
      "lang:klingon budget",
      "informacion",
      "info* budg* rend* cuen* trans*",
      "info*",
      "datos abiertos",
      "beneficial ownership",
      "-transparencia",
      "-corrupcion -budget",
      "agency:SFP rendicion",
      "\"socialmente util\" OR budget",
      "AND corrupcion",
      "(corrupcion",
      "the",
      "lang:en transparency",
      "rendicion de cuentas NOT budget",
  };
  QueryParsers parsers(database_, {schema::kFacets.begin(), schema::kFacets.end()});
  const QueryAnalyzer prepared(database_, {}, &parsers);
  for (int round = 0; round < 2; ++round)
    for (const std::string& query : queries)
      for (const bool any_word : {false, true}) {
        SCOPED_TRACE(query + (any_word ? " (any word)" : ""));
        const QueryAnalyzer configured_now(database_);
        EXPECT_EQ(outcome(prepared, query, any_word), outcome(configured_now, query, any_word));
      }
  // An error noted by one parse is not the next's.
  EXPECT_THROW(prepared.parse("budget lang:klingon"), QuerySyntaxError);
  EXPECT_EQ(prepared.parse("lang:en budget").get_description(),
            QueryAnalyzer(database_).parse("lang:en budget").get_description());
}

TEST_F(QueryAnalyzerTest, AnAnalyzerReadingTheCallersOptionsAnalysesAsOneWithACopy) {
  // Spelling on without a checker given: the borrowing analyzer completes its own copy.
  QueryOptions options;
  options.facets = {schema::kFacets.begin(), schema::kFacets.end()};
  QueryOptions english_only = options;
  english_only.both_stemmers = false;
  english_only.spelling = false;
  for (const QueryOptions* given : {&options, &english_only}) {
    const QueryAnalyzer borrowing(database_, std::cref(*given), nullptr);
    const QueryAnalyzer copying(database_, *given);
    for (const std::string query : {"la informacion de las cuentas", "transparancy", "-corrupcion",
                                    "lang:en transparency", "budget transparency"}) {
      SCOPED_TRACE(query);
      EXPECT_EQ(outcome(borrowing, query, false), outcome(copying, query, false));
    }
  }
  // The options are read, not copied: a change the caller makes shows.
  const QueryAnalyzer borrowing(database_, std::cref(english_only), nullptr);
  const std::string before = outcome(borrowing, "informacion", false);
  english_only.both_stemmers = true;
  EXPECT_NE(outcome(borrowing, "informacion", false), before);
}

TEST_F(QueryAnalyzerTest, ParsersBoundToOtherFacetsOrAnotherDatabaseAreNotUsed) {
  // Bound to no facet at all: an analyzer of every facet must still read "lang:".
  QueryParsers without_facets(database_, {});
  const QueryAnalyzer every_facet(database_, {}, &without_facets);
  EXPECT_TRUE(query_terms(every_facet.parse("lang:en budget")).contains("XLen"));
  // Bound to an empty database: a wildcard is expanded over the analyzer's own.
  const Xapian::WritableDatabase empty(std::string(), Xapian::DB_BACKEND_INMEMORY);
  QueryParsers elsewhere(empty, {schema::kFacets.begin(), schema::kFacets.end()});
  const QueryAnalyzer own_database(database_, {}, &elsewhere);
  const auto expanded = query_terms(own_database.parse("info*"));
  EXPECT_TRUE(expanded.contains("Zinform"));
  EXPECT_EQ(expanded, query_terms(QueryAnalyzer(database_).parse("info*")));
}

}  // namespace
}  // namespace lupa::analyzers
