#include "lupa/searchd/search_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "lupa/analyzers/index_labels.h"
#include "lupa/analyzers/schema.h"
#include "lupa/indexer/commitment_linker.h"
#include "lupa/indexer/document_builder.h"
#include "support/decade_facet.h"
#include "support/temp_dir.h"
#include "support/test_index.h"

namespace lupa::searchd {
namespace {

using lupa::testing::TempDir;
using Counts = std::map<std::string, Xapian::doccount>;

constexpr const char* kManifest = R"({
  "format": "lupa-manifest/1",
  "documents": [
    {"file": "plan-a.txt", "title": "Plan de Acción de Prueba", "country": "mx",
     "plans": ["mx-2011-2013"], "type": "action-plan", "languages": ["es"], "date": "2011-09-20"},
    {"file": "report-b.txt", "title": "Self-Assessment Report", "country": "mx",
     "plans": ["mx-2013-2015"], "type": "self-assessment", "languages": ["en"], "date": "2015-10"}
  ]
})";

constexpr const char* kPlanA =
    "Introducción del plan\n"
    "\n"
    "1. El presupuesto público será menor que < 5 millones de pesos para la transparencia.\n"
    "2. La información socialmente útil se publicará en datos abiertos.\n"
    "3. Se combatirá la corrupción en las compras del gobierno con datos abiertos.\n";

constexpr const char* kReportB =
    "Results of the commitments\n"
    "\n"
    "1. The budget transparency portal was published on time by the ministry.\n"
    "2. Open data on public procurement reached every agency of the government.\n";

// One small index, built once with the indexer library from a temporary corpus folder.
class SearchServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    dir_->write("corpus/manifest.json", kManifest);
    dir_->write("corpus/plan-a.txt", kPlanA);
    dir_->write("corpus/report-b.txt", kReportB);
    const auto summary = lupa::testing::index_folders(*dir_ / "db", {*dir_ / "corpus"});
    ASSERT_EQ(summary.files_indexed, 2u);
    ASSERT_EQ(summary.passages_in_index, 5u);
    service_ = new SearchService({*dir_ / "db"});
  }
  static void TearDownTestSuite() {
    delete service_;
    service_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }

  void SetUp() override { ASSERT_NE(service_, nullptr) << "the test index was not built"; }

  static const SearchService& service() { return *service_; }
  static const TempDir& dir() { return *dir_; }

  static SearchResult search(const std::string& query,
                             std::map<std::string, std::vector<std::string>> filters = {},
                             int page = 1, int per_page = 10) {
    SearchRequest request;
    request.query = query;
    request.filters = std::move(filters);
    request.page = page;
    request.per_page = per_page;
    return service().search(request);
  }

  static Counts facet(const SearchResult& result, const std::string& name) {
    for (const Facet& facet : result.facets) {
      if (facet.name != name) continue;
      Counts counts;
      for (const FacetValue& value : facet.values) counts[value.value] = value.count;
      return counts;
    }
    ADD_FAILURE() << "no facet " << name;
    return {};
  }

  static std::vector<std::string> ids(const SearchResult& result) {
    std::vector<std::string> found;
    for (const Hit& hit : result.hits) found.push_back(hit.record.id);
    return found;
  }

 private:
  static inline TempDir* dir_ = nullptr;
  static inline SearchService* service_ = nullptr;
};

SearchRequest dated(SortOrder sort, const std::string& from = "", const std::string& to = "") {
  QueryParameters parameters = {{"sort", std::string(to_string(sort))}};
  if (!from.empty()) parameters.emplace_back("from", from);
  if (!to.empty()) parameters.emplace_back("to", to);
  return parse_search_request(parameters);
}

TEST_F(SearchServiceTest, NewestAndOldestOrderByTheDateThePassagesAreAbout) {
  const std::vector<std::string> report = {"corpus.report-b-txt.0001", "corpus.report-b-txt.0002"};
  const std::vector<std::string> plan = {"corpus.plan-a-txt.0001", "corpus.plan-a-txt.0002",
                                         "corpus.plan-a-txt.0003"};
  const SearchResult newest = service().search(dated(SortOrder::kNewest));
  ASSERT_EQ(newest.hits.size(), 5u);
  const std::vector<std::string> newest_ids = ids(newest);
  EXPECT_EQ(std::vector<std::string>(newest_ids.begin(), newest_ids.begin() + 2), report);
  EXPECT_EQ(newest.hits.front().record.passage_date, schema::PassageDate::on("2015-10"));
  EXPECT_EQ(newest.sort, SortOrder::kNewest);
  const SearchResult oldest = service().search(dated(SortOrder::kOldest));
  const std::vector<std::string> oldest_ids = ids(oldest);
  ASSERT_EQ(oldest_ids.size(), 5u);
  EXPECT_EQ(std::vector<std::string>(oldest_ids.begin(), oldest_ids.begin() + 3), plan);
  // Ties (one date per document here) keep the order relevance gives them.
  SearchRequest words = dated(SortOrder::kNewest);
  words.query = "datos abiertos";
  SearchRequest by_relevance;
  by_relevance.query = "datos abiertos";
  std::vector<std::string> plan_by_relevance;
  for (const std::string& id : ids(service().search(by_relevance)))
    if (id.starts_with("corpus.plan-a")) plan_by_relevance.push_back(id);
  std::vector<std::string> plan_by_date;
  for (const std::string& id : ids(service().search(words)))
    if (id.starts_with("corpus.plan-a")) plan_by_date.push_back(id);
  EXPECT_EQ(plan_by_date, plan_by_relevance);
}

TEST_F(SearchServiceTest, ADateRangeFiltersAndEveryFacetIsCountedUnderIt) {
  const SearchResult later = service().search(dated(SortOrder::kRelevance, "2012"));
  EXPECT_EQ(later.total, 2u);
  EXPECT_EQ(facet(later, "year"), (Counts{{"2015", 2}}));
  EXPECT_EQ(facet(later, "type"), (Counts{{"self-assessment", 2}}));
  EXPECT_EQ(later.from, "2012");
  EXPECT_EQ(later.to, std::nullopt);
  EXPECT_EQ(service().search(dated(SortOrder::kRelevance, "", "2011-09")).total, 3u);
  EXPECT_EQ(service().search(dated(SortOrder::kRelevance, "2011-09-20", "2011-09-20")).total, 3u)
      << "both ends inclusive";
  EXPECT_EQ(service().search(dated(SortOrder::kRelevance, "2011-09-21", "2015-09")).total, 0u);
  EXPECT_EQ(service().search(dated(SortOrder::kRelevance, "2015-10-31", "2015-10-31")).total, 0u)
      << "a month is placed at its first day";
  // With a facet filter: AND.
  SearchRequest both = dated(SortOrder::kRelevance, "2011", "2015");
  both.filters["type"] = {"action-plan"};
  EXPECT_EQ(service().search(both).total, 3u);
  // Exports run the same query: the same passages, in the same order.
  SearchRequest oldest_later = dated(SortOrder::kOldest, "2012");
  std::vector<std::string> exported;
  service().for_each_match(oldest_later, [&](const schema::PassageRecord& record) {
    exported.push_back(record.id);
    return true;
  });
  EXPECT_EQ(exported, ids(service().search(oldest_later)));
}

TEST_F(SearchServiceTest, BrowsingGivesEveryPassageWithExactFacets) {
  const SearchResult result = search("");
  EXPECT_EQ(result.total, 5u);
  EXPECT_EQ(ids(result),
            (std::vector<std::string>{"corpus.plan-a-txt.0001", "corpus.plan-a-txt.0002",
                                      "corpus.plan-a-txt.0003", "corpus.report-b-txt.0001",
                                      "corpus.report-b-txt.0002"}));
  EXPECT_EQ(facet(result, "plan"), (Counts{{"mx-2011-2013", 3}, {"mx-2013-2015", 2}}));
  EXPECT_EQ(facet(result, "type"), (Counts{{"action-plan", 3}, {"self-assessment", 2}}));
  EXPECT_EQ(facet(result, "lang"), (Counts{{"es", 3}, {"en", 2}}));
  EXPECT_EQ(facet(result, "year"), (Counts{{"2011", 3}, {"2015", 2}}));
  EXPECT_EQ(facet(result, "country"), (Counts{{"mx", 5}}));
  EXPECT_EQ(facet(result, "kind"), (Counts{{"paragraph", 5}}));
  for (const Hit& hit : result.hits) EXPECT_EQ(hit.score, 0.0);
}

TEST_F(SearchServiceTest, FacetsAreReturnedInSchemaOrder) {
  const SearchResult result = search("");
  std::vector<std::string> schema_order;
  for (const schema::Facet& facet : schema::kFacets) schema_order.emplace_back(facet.name);
  std::size_t next = 0;
  for (const Facet& facet : result.facets) {
    while (next < schema_order.size() && schema_order[next] != facet.name) ++next;
    ASSERT_LT(next, schema_order.size()) << facet.name << " is out of order or not in the schema";
    ++next;
  }
  std::vector<std::string> returned;
  for (const Facet& facet : result.facets) returned.push_back(facet.name);
  for (const char* name : {"plan", "type", "lang", "kind", "country", "year"})
    EXPECT_NE(std::find(returned.begin(), returned.end(), name), returned.end()) << name;
}

TEST_F(SearchServiceTest, FacetValuesAreOrderedByCountAndLabelled) {
  const SearchResult result = search("");
  for (const Facet& facet : result.facets) {
    if (facet.name != "plan") continue;
    ASSERT_EQ(facet.values.size(), 2u);
    EXPECT_EQ(facet.values[0].value, "mx-2011-2013");
    EXPECT_EQ(facet.values[0].label.en, "Mexico 2011-2013 (action plan 1)");
    EXPECT_EQ(facet.values[0].label.es, "México 2011-2013 (plan de acción 1)");
    EXPECT_EQ(facet.values[1].value, "mx-2013-2015");
  }
}

TEST_F(SearchServiceTest, QueryFindsThePassageThatSaysIt) {
  const SearchResult spanish = search("informacion");
  EXPECT_EQ(spanish.total, 1u);
  EXPECT_EQ(ids(spanish), (std::vector<std::string>{"corpus.plan-a-txt.0002"}));
  const SearchResult english = search("procurement");
  EXPECT_EQ(ids(english), (std::vector<std::string>{"corpus.report-b-txt.0002"}));
  EXPECT_GT(english.hits.at(0).score, 0.0);
  const SearchResult both = search("\"datos abiertos\"");
  EXPECT_EQ(both.total, 2u);
  EXPECT_EQ(facet(both, "lang"), (Counts{{"es", 2}}));
}

TEST_F(SearchServiceTest, PlanFilterRestrictsResults) {
  const SearchResult result = search("", {{"plan", {"mx-2013-2015"}}});
  EXPECT_EQ(result.total, 2u);
  for (const Hit& hit : result.hits) {
    EXPECT_EQ(hit.record.doc, "corpus/report-b.txt");
    EXPECT_EQ(hit.record.plans.at(0), "mx-2013-2015");
  }
  EXPECT_EQ(facet(result, "lang"), (Counts{{"en", 2}}));
  EXPECT_EQ(facet(result, "type"), (Counts{{"self-assessment", 2}}));
}

TEST_F(SearchServiceTest, FilteredFacetKeepsTheCountsOfItsOtherValues) {
  // Disjunctive faceting: filtering plan=A still shows how many passages plan B would give.
  const SearchResult result = search("", {{"plan", {"mx-2011-2013"}}});
  EXPECT_EQ(result.total, 3u);
  EXPECT_EQ(facet(result, "plan"), (Counts{{"mx-2011-2013", 3}, {"mx-2013-2015", 2}}));
  EXPECT_EQ(facet(result, "lang"), (Counts{{"es", 3}}));

  // With a query, the filtered facet is counted over the query's matches only (the glossary
  // has "transparency" find the Spanish "transparencia" of plan A too).
  const SearchResult queried = search("transparency", {{"plan", {"mx-2011-2013"}}});
  EXPECT_EQ(queried.total, 1u);
  EXPECT_EQ(facet(queried, "plan"), (Counts{{"mx-2011-2013", 1}, {"mx-2013-2015", 1}}));
}

TEST_F(SearchServiceTest, FiltersAreOrWithinAFacetAndAndAcrossFacets) {
  EXPECT_EQ(search("", {{"plan", {"mx-2011-2013", "mx-2013-2015"}}}).total, 5u);
  EXPECT_EQ(search("", {{"plan", {"mx-2011-2013"}}, {"lang", {"en"}}}).total, 0u);
  EXPECT_EQ(search("", {{"plan", {"mx-2011-2013"}}, {"lang", {"es"}}}).total, 3u);
  EXPECT_EQ(search("", {{"year", {"2015"}}, {"type", {"self-assessment"}}}).total, 2u);
}

TEST_F(SearchServiceTest, AValueNoPassageHasMatchesNothing) {
  const SearchResult result = search("", {{"plan", {"ke-2020-2022"}}});
  EXPECT_EQ(result.total, 0u);
  EXPECT_TRUE(result.hits.empty());
  // Its own facet still offers the real values.
  EXPECT_EQ(facet(result, "plan"), (Counts{{"mx-2011-2013", 3}, {"mx-2013-2015", 2}}));
}

TEST_F(SearchServiceTest, AValueThatNamesNothingIsABadRequest) {
  EXPECT_THROW(search("", {{"plan", {"xx-1999-2000"}}}), BadRequest);
  EXPECT_THROW(search("", {{"country", {"Narnia"}}}), BadRequest);
  EXPECT_THROW(search("datos country:Narnia"), analyzers::QuerySyntaxError);
}

TEST_F(SearchServiceTest, LabelsAndPeriodsNameValues) {
  EXPECT_EQ(search("", {{"country", {"Mexico"}}}).total, 5u);
  EXPECT_EQ(search("", {{"plan", {"2013-2015"}}}).total, 2u);
  EXPECT_EQ(search("plan:2011-2013").total, 3u);
  EXPECT_EQ(search("", {{"lang", {"English"}}}).total, 2u);
}

TEST_F(SearchServiceTest, StopWordsAreMarkedOnlyInsideAMatchedPhrase) {
  const SearchResult result = search("\"corrupción en las compras\"");
  ASSERT_EQ(result.hits.size(), 1u);
  EXPECT_NE(result.hits[0].snippet.find("Se combatirá la <mark>corrupción en las compras</mark> "
                                        "del gobierno"),
            std::string::npos)
      << result.hits[0].snippet;
}

TEST_F(SearchServiceTest, PassageById) {
  EXPECT_EQ(service().passage("unknown"), std::nullopt);
  EXPECT_EQ(service().passage(""), std::nullopt);
  EXPECT_EQ(service().passage("corpus.plan-a-txt.0009"), std::nullopt);
  const auto passage = service().passage("corpus.plan-a-txt.0002");
  ASSERT_NE(passage, std::nullopt);
  EXPECT_EQ(passage->text, "2. La información socialmente útil se publicará en datos abiertos.");
  EXPECT_EQ(passage->paragraph, 2);
  EXPECT_EQ(passage->lang, "es");
  EXPECT_EQ(passage->title, "Plan de Acción de Prueba");
  EXPECT_EQ(passage->heading, "Introducción del plan");
}

TEST_F(SearchServiceTest, SnippetMarksMatchesAndEscapesHtml) {
  const SearchResult result = search("presupuesto", {{"lang", {"es"}}});
  ASSERT_EQ(result.hits.size(), 1u);
  const std::string& snippet = result.hits[0].snippet;
  EXPECT_NE(snippet.find("<mark>presupuesto</mark>"), std::string::npos) << snippet;
  EXPECT_NE(snippet.find("&lt; 5 millones"), std::string::npos) << snippet;
  EXPECT_EQ(snippet.find("< 5"), std::string::npos) << "unescaped '<' in: " << snippet;
}

TEST_F(SearchServiceTest, SnippetMarksAccentedWordsForAnAccentlessQuery) {
  const SearchResult result = search("informacion");
  ASSERT_EQ(result.hits.size(), 1u);
  EXPECT_NE(result.hits[0].snippet.find("<mark>información</mark>"), std::string::npos)
      << result.hits[0].snippet;
}

TEST_F(SearchServiceTest, PaginationContinuesTheRanks) {
  const SearchResult first = search("", {}, 1, 2);
  const SearchResult second = search("", {}, 2, 2);
  const SearchResult third = search("", {}, 3, 2);
  const SearchResult beyond = search("", {}, 4, 2);
  for (const SearchResult* page : {&first, &second, &third, &beyond}) EXPECT_EQ(page->total, 5u);
  ASSERT_EQ(first.hits.size(), 2u);
  ASSERT_EQ(second.hits.size(), 2u);
  ASSERT_EQ(third.hits.size(), 1u);
  EXPECT_TRUE(beyond.hits.empty());
  EXPECT_EQ(first.hits[0].rank, 1);
  EXPECT_EQ(first.hits[1].rank, 2);
  EXPECT_EQ(second.hits[0].rank, 3);
  EXPECT_EQ(second.hits[1].rank, 4);
  EXPECT_EQ(third.hits[0].rank, 5);
  EXPECT_EQ(ids(second),
            (std::vector<std::string>{"corpus.plan-a-txt.0003", "corpus.report-b-txt.0001"}));
  EXPECT_EQ(second.page, 2);
  EXPECT_EQ(second.per_page, 2);
}

TEST_F(SearchServiceTest, PaginationOfAQueryGivesEachMatchOnce) {
  const SearchResult all = search("datos OR transparency OR gobierno OR government", {}, 1, 10);
  ASSERT_EQ(all.total, 5u);  // the glossary adds "transparencia" to "transparency"
  std::vector<std::string> paged;
  for (int page = 1; page <= 3; ++page) {
    const SearchResult result =
        search("datos OR transparency OR gobierno OR government", {}, page, 2);
    EXPECT_EQ(result.total, 5u);
    for (std::size_t i = 0; i < result.hits.size(); ++i)
      EXPECT_EQ(result.hits[i].rank, (page - 1) * 2 + static_cast<int>(i) + 1);
    for (const auto& id : ids(result)) paged.push_back(id);
  }
  EXPECT_EQ(paged, ids(all));
}

TEST_F(SearchServiceTest, FacetListingCountsTheWholeIndex) {
  const FacetListing listing = service().facets();
  EXPECT_EQ(listing.total, 5u);
  std::vector<std::string> names;
  for (const Facet& facet : listing.facets) names.push_back(facet.name);
  std::vector<std::string> counted;
  for (const schema::Facet& facet : schema::kFacets)
    if (facet.counted) counted.emplace_back(facet.name);
  EXPECT_EQ(names, counted) << "every counted facet, in schema order, and no other";
  for (const Facet& facet : listing.facets) {
    Counts counts;
    for (const FacetValue& value : facet.values) counts[value.value] = value.count;
    if (facet.name == "plan") {
      EXPECT_EQ(counts, (Counts{{"mx-2011-2013", 3}, {"mx-2013-2015", 2}}));
      EXPECT_EQ(facet.values.front().label.en, "Mexico 2011-2013 (action plan 1)");
    }
    if (facet.name == "year") {
      EXPECT_EQ(counts, (Counts{{"2011", 3}, {"2015", 2}}));
    }
    if (facet.name == "lang") {
      EXPECT_EQ(counts, (Counts{{"es", 3}, {"en", 2}}));
    }
    if (facet.name == "country") {
      EXPECT_EQ(counts, (Counts{{"mx", 5}}));
    }
  }
}

TEST_F(SearchServiceTest, SearchFacetsAreTheCountedFacets) {
  const SearchResult result = search("");
  std::vector<std::string> names;
  for (const Facet& facet : result.facets) names.push_back(facet.name);
  EXPECT_EQ(std::find(names.begin(), names.end(), "commitment"), names.end())
      << "OGP ids are not counted";
  for (const char* name : {"challenge", "theme", "agency", "responsible", "organization", "status"})
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
}

TEST_F(SearchServiceTest, FilterValuesAreResolvedLikeQueryFields) {
  // "PLAN" values are lower-cased and a theme may be given by its label.
  EXPECT_EQ(search("", {{"plan", {"MX-2013-2015"}}}).total, 2u);
  EXPECT_EQ(search("", {{"lang", {"EN"}}}).total, 2u);
  // "presupuesto" and "budget" name the fiscal-openness policy area.
  EXPECT_EQ(search("", {{"theme", {"fiscal-openness"}}}).total, 2u);
  EXPECT_EQ(search("", {{"theme", {"Fiscal Openness"}}}).total, 2u);
  EXPECT_EQ(search("", {{"theme", {"apertura fiscal"}}}).total, 2u);
}

TEST_F(SearchServiceTest, WildcardFindsBothLanguages) {
  const SearchResult result = search("transparen*");
  EXPECT_EQ(ids(result),
            (std::vector<std::string>{"corpus.plan-a-txt.0001", "corpus.report-b-txt.0001"}));
}

TEST_F(SearchServiceTest, PassageViewHasTheNeighboursInItsDocument) {
  const auto middle = service().passage_view("corpus.plan-a-txt.0002");
  ASSERT_TRUE(middle);
  EXPECT_EQ(middle->passage.id, "corpus.plan-a-txt.0002");
  ASSERT_TRUE(middle->previous);
  EXPECT_EQ(middle->previous->id, "corpus.plan-a-txt.0001");
  ASSERT_TRUE(middle->next);
  EXPECT_EQ(middle->next->id, "corpus.plan-a-txt.0003");
  EXPECT_FALSE(middle->translation);
  EXPECT_TRUE(middle->same_commitment.empty());
  EXPECT_FALSE(middle->similar) << "only commitments have similar commitments";

  const auto first = service().passage_view("corpus.plan-a-txt.0001");
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->previous) << "the first passage of a document has none before it";
  ASSERT_TRUE(first->next);
  EXPECT_EQ(first->next->id, "corpus.plan-a-txt.0002");

  const auto last = service().passage_view("corpus.report-b-txt.0002");
  ASSERT_TRUE(last);
  ASSERT_TRUE(last->previous);
  EXPECT_EQ(last->previous->id, "corpus.report-b-txt.0001");
  EXPECT_FALSE(last->next) << "no passage after the last, nor one of another document";
}

TEST_F(SearchServiceTest, PassageViewOfNoPassageIsNothing) {
  EXPECT_FALSE(service().passage_view(""));
  EXPECT_FALSE(service().passage_view("corpus.plan-a-txt.0009"));
  EXPECT_FALSE(service().passage_view("not an id"));
}

// "corpus/report-NN.txt", two digits.
std::string report_path(int document) {
  return "corpus/report-" + std::string(document < 10 ? "0" : "") + std::to_string(document) +
         ".txt";
}

// The passage id of the one passage of report_path(document).
std::string report_passage(int document) {
  return "corpus.report-" + std::string(document < 10 ? "0" : "") + std::to_string(document) +
         "-txt.0001";
}

// A database of `count` Chilean self-assessments of one passage each, `passage` with the
// document's number, written in reverse order, so that document ids run against passage ids;
// `then` runs on it before the commit.
void write_reports_in_reverse(const std::filesystem::path& database, int count,
                              const std::function<indexer::Passage(int)>& passage,
                              const std::function<void(Xapian::WritableDatabase&)>& then = {}) {
  Xapian::WritableDatabase db(database.string(), Xapian::DB_CREATE_OR_OPEN);
  indexer::DocumentBuilder builder;
  indexer::DocumentMetadata metadata;
  metadata.type = "self-assessment";
  metadata.country = "cl";
  metadata.plans = {"cl-2016-2018"};
  metadata.languages = {"es"};
  for (int document = count - 1; document >= 0; --document)
    db.add_document(builder.build(report_path(document), metadata, passage(document), 0));
  if (then) then(db);
  db.commit();
}

TEST(SameCommitment, IsListedByPassageIdWithoutThePassagesOwnDocumentAndReadUpToABound) {
  // Sixty self-assessments of one plan, each numbering its one commitment 1: the same
  // commitment, one group.
  TempDir dir;
  write_reports_in_reverse(
      dir / "db", 60,
      [](int) {
        indexer::Passage passage;
        passage.ordinal = 1;
        passage.kind = schema::PassageKind::kCommitment;
        passage.number = 1;
        passage.text = "Compromiso 1: publicar datos abiertos de compras públicas.";
        passage.language = "es";
        indexer::Commitment commitment;
        commitment.number = 1;
        commitment.title = "Publicar datos abiertos de compras públicas";
        passage.commitment = commitment;
        return passage;
      },
      [](Xapian::WritableDatabase& db) { ASSERT_EQ(indexer::link_commitments(db), 60u); });
  const SearchService service({dir / "db"});
  const auto linked = service.linked_passage("corpus.report-30-txt.0001");
  ASSERT_TRUE(linked);
  std::vector<std::string> others;
  for (int document = 0; document < 60; ++document)
    if (document != 30) others.push_back(report_passage(document));
  EXPECT_EQ(linked->same_commitment.ids, others);
  ASSERT_EQ(linked->same_commitment.passages.size(), kSameCommitmentRead);
  for (std::size_t i = 0; i < kSameCommitmentRead; ++i)
    EXPECT_EQ(linked->same_commitment.passages[i].id, others[i]);

  const auto view = service.passage_view("corpus.report-30-txt.0001");
  ASSERT_TRUE(view);
  ASSERT_EQ(view->same_commitment.size(), kSameCommitmentRead);
  EXPECT_EQ(view->same_commitment.front().id, "corpus.report-00-txt.0001");
  EXPECT_EQ(view->same_commitment_more, 59 - kSameCommitmentRead);
}

// Every id an export of `request` holds, in its order.
std::vector<std::string> exported_ids(const SearchService& service, const SearchRequest& request);

TEST(SearchOrder, EqualScoresComeInPassageIdOrderWhateverTheDocumentIds) {
  // Twelve reports saying the same: every passage scores the same.
  TempDir dir;
  write_reports_in_reverse(dir / "db", 12, [](int) {
    indexer::Passage passage;
    passage.ordinal = 1;
    passage.text = "Se publicaron los datos abiertos de compras públicas.";
    passage.language = "es";
    return passage;
  });
  const SearchService service({dir / "db"});
  std::vector<std::string> in_id_order;
  for (int document = 0; document < 12; ++document) in_id_order.push_back(report_passage(document));
  for (const char* query : {"datos abiertos", ""}) {
    SCOPED_TRACE(query);
    std::vector<std::string> shown;
    for (int page = 1; page <= 3; ++page) {
      SearchRequest request;
      request.query = query;
      request.page = page;
      request.per_page = 5;
      const SearchResult result = service.search(request);
      EXPECT_EQ(result.total, 12U);
      for (const Hit& hit : result.hits) shown.push_back(hit.record.id);
    }
    EXPECT_EQ(shown, in_id_order);
    SearchRequest everything;
    everything.query = query;
    EXPECT_EQ(exported_ids(service, everything), in_id_order);
  }
}

// Every id an export of `request` holds, in its order.
std::vector<std::string> exported_ids(const SearchService& service, const SearchRequest& request) {
  std::vector<std::string> ids;
  service.for_each_match(request, [&](const schema::PassageRecord& record) {
    ids.push_back(record.id);
    return true;
  });
  return ids;
}

TEST_F(SearchServiceTest, ExportsAndFeedsHoldWhatTheSearchShows) {
  struct Case {
    const char* query;
    std::map<std::string, std::vector<std::string>> filters;
  };
  const Case cases[] = {
      {"", {}},
      {"datos", {}},
      {"datos", {{"lang", {"es"}}}},
      {"corupcion", {}},                // corrected
      {"presupuesto procurement", {}},  // relaxed: no passage has both
      {"transparency", {{"plan", {"mx-2011-2013"}}}},
      {"zzzzqqq", {}},  // nothing at all
  };
  for (const Case& each : cases) {
    SearchRequest request;
    request.query = each.query;
    request.filters = each.filters;
    request.per_page = kMaxPerPage;
    const SearchResult result = service().search(request);
    std::vector<std::string> shown = ids(result);
    EXPECT_EQ(exported_ids(service(), request), shown) << each.query;
    std::vector<std::string> newest;
    for (const schema::PassageRecord& record : service().newest(request, 50))
      newest.push_back(record.id);
    std::sort(shown.begin(), shown.end());
    std::sort(newest.begin(), newest.end());
    EXPECT_EQ(newest, shown) << each.query;
  }
  EXPECT_TRUE(search("corupcion").corrected_applied);
  EXPECT_GT(search("corupcion").total, 0u);
  EXPECT_TRUE(search("presupuesto procurement").relaxed);
  EXPECT_GE(search("presupuesto procurement").total, 2u);
}

TEST_F(SearchServiceTest, ACorrectionThatMatchesNothingEitherIsOnlySuggested) {
  // Corruption is in the Spanish plan only: filtered to the English report, neither the typo
  // nor its correction matches, and the answer must not say these are the correction's hits.
  const SearchResult result = search("corupcion", {{"lang", {"en"}}});
  EXPECT_EQ(result.total, 0u);
  ASSERT_TRUE(result.corrected);
  EXPECT_EQ(*result.corrected, "corrupción");
  EXPECT_FALSE(result.corrected_applied);
  EXPECT_FALSE(result.relaxed);
}

TEST_F(SearchServiceTest, ExportStopsWhenAskedTo) {
  SearchRequest request;
  int seen = 0;
  EXPECT_FALSE(
      service().for_each_match(request, [&](const schema::PassageRecord&) { return ++seen < 2; }));
  EXPECT_EQ(seen, 2);
  EXPECT_TRUE(service().for_each_match(request, [](const schema::PassageRecord&) { return true; }));
}

TEST_F(SearchServiceTest, ExportCallsBeforeFirstOnceBeforeAnyPassage) {
  for (const char* query : {"", "datos abiertos", "zzzzqqq"}) {
    SearchRequest request;
    request.query = query;
    std::vector<std::string> calls;
    EXPECT_TRUE(service().for_each_match(
        request,
        [&](const schema::PassageRecord& record) {
          calls.push_back(record.id);
          return true;
        },
        [&] {
          calls.emplace_back("before");
          return true;
        }))
        << query;
    ASSERT_FALSE(calls.empty()) << query;
    EXPECT_EQ(calls.front(), "before") << query;
    EXPECT_EQ(std::count(calls.begin(), calls.end(), "before"), 1) << query;
  }
  // Returning false (a HEAD request) stops before the first passage.
  int seen = 0;
  EXPECT_FALSE(service().for_each_match(
      SearchRequest{}, [&](const schema::PassageRecord&) { return ++seen > 0; },
      [] { return false; }));
  EXPECT_EQ(seen, 0);
}

TEST_F(SearchServiceTest, ExportThrowsARefusedQueryBeforeBeforeFirst) {
  SearchRequest request;
  request.query = "a* b* c* d* e* f*";
  bool called = false;
  EXPECT_THROW(service().for_each_match(
                   request, [](const schema::PassageRecord&) { return true; },
                   [&] {
                     called = true;
                     return true;
                   }),
               analyzers::QueryLimitError);
  EXPECT_FALSE(called);
}

TEST_F(SearchServiceTest, FacetsFollowTheServicesTable) {
  // The standard table and, appended, a facet the test index has no values of.
  const std::vector<schema::Facet> table = lupa::testing::facets_with_decade();
  std::optional<SearchService> with_decade;
  {
    const std::vector<schema::Facet> copy = table;  // the service keeps its own copy
    with_decade.emplace(std::vector{dir() / "db"}, RankingOptions{}, copy);
  }
  EXPECT_EQ(with_decade->facets_table().size(), table.size());
  EXPECT_EQ(with_decade->facets_table().back().name, "decade");
  const SearchResult result = with_decade->search(SearchRequest{});
  std::vector<std::string> names;
  for (const Facet& facet : result.facets) names.push_back(facet.name);
  std::vector<std::string> counted;
  for (const schema::Facet& facet : table)
    if (facet.counted) counted.emplace_back(facet.name);
  EXPECT_EQ(names, counted);
  // Every standard facet counts as the standard service does; the new one counts nothing.
  EXPECT_EQ(facet(result, "year"), (Counts{{"2011", 3}, {"2015", 2}}));
  EXPECT_EQ(facet(result, "lang"), (Counts{{"es", 3}, {"en", 2}}));
  EXPECT_EQ(facet(result, "plan"), (Counts{{"mx-2011-2013", 3}, {"mx-2013-2015", 2}}));
  EXPECT_EQ(facet(result, "decade"), Counts{});
  const SearchResult standard = service().search(SearchRequest{});
  for (const Facet& counted_facet : standard.facets)
    EXPECT_EQ(facet(result, counted_facet.name), facet(standard, counted_facet.name))
        << counted_facet.name;
  std::vector<std::string> listed;
  for (const Facet& facet : with_decade->facets().facets) listed.push_back(facet.name);
  EXPECT_EQ(listed, names);
}

TEST_F(SearchServiceTest, RefusesATableThatIsNotTheStandardOneWithEntriesAppended) {
  // Positions are codes in the counted-values slot: without `year`, every later facet would
  // read the values of the one after it.
  std::vector<schema::Facet> without_year;
  for (const schema::Facet& facet : schema::kFacets)
    if (facet.name != "year") without_year.push_back(facet);
  EXPECT_THROW(SearchService({dir() / "db"}, RankingOptions{}, without_year),
               std::invalid_argument);
  std::vector<schema::Facet> reordered(schema::kFacets.begin(), schema::kFacets.end());
  std::swap(reordered[0], reordered[1]);
  EXPECT_THROW(SearchService({dir() / "db"}, RankingOptions{}, reordered), std::invalid_argument);
  const std::vector<schema::Facet> shortened(schema::kFacets.begin(), schema::kFacets.end() - 1);
  EXPECT_THROW(SearchService({dir() / "db"}, RankingOptions{}, shortened), std::invalid_argument);
  EXPECT_NO_THROW(
      SearchService({dir() / "db"}, RankingOptions{}, lupa::testing::facets_with_decade()));
}

TEST_F(SearchServiceTest, HealthCountsPassages) {
  const IndexHealth health = service().health();
  EXPECT_EQ(health.passages, 5u);
  EXPECT_FALSE(health.revision.empty());
}

TEST(SearchService, MissingDatabaseFailsAtConstruction) {
  TempDir dir;
  EXPECT_THROW(SearchService({dir / "no-such-db"}), Xapian::DatabaseOpeningError);
  EXPECT_THROW(SearchService(std::vector<std::filesystem::path>{}), std::invalid_argument);
}

TEST_F(SearchServiceTest, MarksTheQueryWordsInAWholeTextAndStopWordsOnlyInsideAPhrase) {
  const std::string text =
      "Intro <b>\nLa corrupción en las compras del gobierno.\nOtra línea sin nada, y al final: "
      "las compras de la corrupción & más.";
  const std::string marked = service().mark_query_words(text, "la corrupción de las compras");
  // The whole text, escaped, lines kept; every form of the words marked, none of the stop words.
  EXPECT_EQ(marked,
            "Intro &lt;b&gt;\nLa <mark>corrupción</mark> en las <mark>compras</mark> del "
            "gobierno.\nOtra línea sin nada, y al final: las <mark>compras</mark> de la "
            "<mark>corrupción</mark> &amp; más.");
  // Inside a matched phrase, its stop words are marked (the phrase as one mark); elsewhere,
  // never, even between two of the phrase's words in another order.
  EXPECT_EQ(service().mark_query_words("Las compras del gobierno, y las del año.",
                                       "\"compras del gobierno\""),
            "Las <mark>compras del gobierno</mark>, y las del año.");
  EXPECT_EQ(service().mark_query_words("El gobierno de las compras.", "\"compras del gobierno\""),
            "El <mark>gobierno</mark> de las <mark>compras</mark>.");
  // Nothing to mark without words.
  EXPECT_EQ(service().mark_query_words("a < b", "  "), "a &lt; b");
}

TEST(IndexLabels, FollowTheIndexsMetadataFromOneRevisionToTheNext) {
  // A body agencies.tsv does not list, labelled by the index alone.
  const std::string body = "cl-oficina-de-prueba";
  const std::string key = analyzers::index_label_key("agencies", body);
  TempDir dir;
  write_reports_in_reverse(
      dir / "db", 2,
      [&](int) {
        indexer::Passage passage;
        passage.ordinal = 1;
        passage.text = "La oficina publicó los datos abiertos de compras.";
        passage.language = "es";
        passage.agencies = {body, "mx-sfp"};
        return passage;
      },
      [&](Xapian::WritableDatabase& db) { db.set_metadata(key, "Oficina de Prueba"); });
  const SearchService service({dir / "db"});
  const schema::Facet& agency = *schema::find_facet("agency");
  // Each agency's label in the facet of a search, by value.
  auto labels = [&service] {
    SearchRequest request;
    request.query = "datos abiertos";
    std::map<std::string, std::string> shown;
    for (const Facet& facet : service.search(request).facets)
      if (facet.name == "agency")
        for (const FacetValue& value : facet.values) shown[value.value] = value.label.es;
    return shown;
  };
  const std::map<std::string, std::string> first = {
      {body, "Oficina de Prueba"}, {"mx-sfp", "Secretaría de la Función Pública (SFP)"}};
  EXPECT_EQ(labels(), first);
  EXPECT_EQ(labels(), first);  // the second time from what the first looked up
  EXPECT_EQ(service.value_label(agency, body).en, "Oficina de Prueba");
  {
    Xapian::WritableDatabase db((dir / "db").string(), Xapian::DB_OPEN);
    db.set_metadata(key, "Oficina Renombrada");
    db.commit();
  }
  EXPECT_EQ(labels(), (std::map<std::string, std::string>{
                          {body, "Oficina Renombrada"},
                          {"mx-sfp", "Secretaría de la Función Pública (SFP)"}}));
  EXPECT_EQ(service.value_label(agency, body).en, "Oficina Renombrada");
  // A value the index has no label for is shown as it is written.
  EXPECT_EQ(service.value_label(agency, "cl-otra-oficina").es, "cl-otra-oficina");
}

}  // namespace
}  // namespace lupa::searchd
