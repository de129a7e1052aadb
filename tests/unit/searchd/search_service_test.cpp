#include "lupa/searchd/search_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "lupa/analyzers/schema.h"
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
    for (const Hit& hit : result.hits) found.push_back(hit.stored->getValue<std::string>("id"));
    return found;
  }

 private:
  static inline TempDir* dir_ = nullptr;
  static inline SearchService* service_ = nullptr;
};

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
    EXPECT_EQ(hit.stored->getValue<std::string>("doc"), "corpus/report-b.txt");
    EXPECT_EQ(hit.stored->getArray("plans")->getElement<std::string>(0), "mx-2013-2015");
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

TEST_F(SearchServiceTest, UnknownFacetValueMatchesNothing) {
  const SearchResult result = search("", {{"plan", {"xx-1999-2000"}}});
  EXPECT_EQ(result.total, 0u);
  EXPECT_TRUE(result.hits.empty());
  // Its own facet still offers the real values.
  EXPECT_EQ(facet(result, "plan"), (Counts{{"mx-2011-2013", 3}, {"mx-2013-2015", 2}}));
}

TEST_F(SearchServiceTest, PassageById) {
  EXPECT_EQ(service().passage("unknown"), nullptr);
  EXPECT_EQ(service().passage(""), nullptr);
  EXPECT_EQ(service().passage("corpus.plan-a-txt.0009"), nullptr);
  const auto passage = service().passage("corpus.plan-a-txt.0002");
  ASSERT_NE(passage, nullptr);
  EXPECT_EQ(passage->getValue<std::string>("text"),
            "2. La información socialmente útil se publicará en datos abiertos.");
  EXPECT_EQ(passage->getValue<int>("paragraph"), 2);
  EXPECT_EQ(passage->getValue<std::string>("lang"), "es");
  EXPECT_EQ(passage->getValue<std::string>("title"), "Plan de Acción de Prueba");
  EXPECT_EQ(passage->getValue<std::string>("heading"), "Introducción del plan");
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

}  // namespace
}  // namespace lupa::searchd
