// End to end: the real lupa-indexer indexes the bundled corpus into a temporary database, the
// real lupa-searchd serves it on a loopback port, and the tests query it over HTTP.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "lupa/searchd/http_server.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/search_api.h"
#include "support/temp_dir.h"

namespace lupa::testing {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

class SearchE2E : public ::testing::Test {
 protected:
  static Object::Ptr search(const std::string& query_string) {
    return server().search(query_string);
  }
  static Object::Ptr search_q(const std::string& q, const std::string& more = "") {
    return server().search_q(q, more);
  }
  static CorpusServer& server() { return CorpusServer::instance(); }
  static unsigned short port() { return server().port(); }
};

constexpr const char* kActionPlan2011 = "corpus/mx-2011-action-plan-es-en.txt";

TEST_F(SearchE2E, SpanishQueryFindsTheSpanishParagraphAndEnglishQueryItsTwin) {
  const auto spanish = hit(search_q("información socialmente útil"), 0);
  EXPECT_EQ(spanish->getValue<std::string>("doc"), kActionPlan2011);
  EXPECT_EQ(spanish->getValue<std::string>("lang"), "es");
  EXPECT_EQ(spanish->getValue<int>("paragraph"), 25);

  // The self-assessment quotes the same words, so the twin must be among the first three,
  // and every one of those is English.
  const auto english = search_q("socially useful information", "&per_page=3");
  bool twin_found = false;
  for (unsigned i = 0; i < 3; ++i) {
    const auto candidate = hit(english, i);
    EXPECT_EQ(candidate->getValue<std::string>("lang"), "en");
    twin_found |= candidate->getValue<std::string>("doc") == kActionPlan2011 &&
                  candidate->getValue<int>("paragraph") == 25;
  }
  EXPECT_TRUE(twin_found);
}

TEST_F(SearchE2E, AccentlessQueryFindsAccentedText) {
  const auto accented = search_q("información socialmente útil");
  const auto plain = search_q("informacion socialmente util");
  ASSERT_GT(total(plain), 0);
  EXPECT_EQ(total(plain), total(accented));
  EXPECT_EQ(hit(plain, 0)->getValue<std::string>("id"),
            hit(accented, 0)->getValue<std::string>("id"));

  const auto corruption = search_q("corrupcion", "&lang=es&per_page=100");
  ASSERT_GT(total(corruption), 3);
  const auto hits = corruption->getArray("hits");
  for (unsigned i = 0; i < hits->size(); ++i) {
    const std::string snippet = hits->getObject(i)->getValue<std::string>("snippet");
    EXPECT_NE(snippet.find("<mark>"), std::string::npos) << snippet;
  }
  // The accented spelling of the same word is highlighted in the text as written.
  const std::string first = hit(corruption, 0)->getValue<std::string>("snippet");
  EXPECT_TRUE(first.find("<mark>corrupción</mark>") != std::string::npos ||
              first.find("<mark>Corrupción</mark>") != std::string::npos ||
              first.find("<mark>corrupci") != std::string::npos)
      << first;
}

TEST_F(SearchE2E, PlanFilterChangesHitsAndFacetCountsWhichAddUpToTheTotal) {
  const auto all = search_q("transparencia");
  const auto by_plan = facet_counts(all, "plan");
  ASSERT_TRUE(by_plan.contains("mx-2011-2013"));
  ASSERT_TRUE(by_plan.contains("mx-2013-2015"));

  const auto filtered = search_q("transparencia", "&plan=mx-2011-2013&per_page=100");
  EXPECT_EQ(total(filtered), by_plan.at("mx-2011-2013"));
  EXPECT_LT(total(filtered), total(all));
  const auto hits = filtered->getArray("hits");
  ASSERT_EQ(static_cast<int>(hits->size()), total(filtered));
  for (unsigned i = 0; i < hits->size(); ++i) {
    const auto plans = hits->getObject(i)->getArray("plans");
    bool has_plan = false;
    for (unsigned p = 0; p < plans->size(); ++p)
      has_plan |= plans->getElement<std::string>(p) == "mx-2011-2013";
    EXPECT_TRUE(has_plan) << hits->getObject(i)->getValue<std::string>("id");
  }
  // Single-valued facets partition the matches: their counts add up to the total. The
  // language facet counts both versions of a translated paragraph, of which a query shows
  // one: its values are what the `lang` filter gives.
  for (const auto& result : {all, filtered}) {
    for (const auto& facet : {"type", "kind"}) {
      int sum = 0;
      for (const auto& [value, count] : facet_counts(result, facet)) sum += count;
      EXPECT_EQ(sum, total(result)) << facet;
    }
    int languages = 0;
    for (const auto& [value, count] : facet_counts(result, "lang")) languages += count;
    EXPECT_GE(languages, total(result));
  }
  for (const auto& [language, count] : facet_counts(filtered, "lang"))
    EXPECT_EQ(count, total(search_q("transparencia", "&plan=mx-2011-2013&lang=" + language)))
        << language;
  // The type counts follow the filter: the 2013-2015 balance report is gone from them.
  EXPECT_TRUE(facet_counts(all, "type").contains("other-report"));
  EXPECT_FALSE(facet_counts(filtered, "type").contains("other-report"));
  // Disjunctive: the plan facet itself still offers the other plans with their counts.
  EXPECT_EQ(facet_counts(filtered, "plan"), by_plan);
}

TEST_F(SearchE2E, FacetCountsEqualACountOverEveryHit) {
  const auto result = search_q("gobierno", "&per_page=100");
  const int matches = total(result);
  ASSERT_GT(matches, 0);
  std::map<std::string, int> languages, types;
  for (int page = 1; (page - 1) * 100 < matches; ++page) {
    const auto page_result = search_q("gobierno", "&per_page=100&page=" + std::to_string(page));
    const auto hits = page_result->getArray("hits");
    for (unsigned i = 0; i < hits->size(); ++i) {
      ++languages[hits->getObject(i)->getValue<std::string>("lang")];
      ++types[hits->getObject(i)->getValue<std::string>("type")];
    }
  }
  EXPECT_EQ(facet_counts(result, "lang"), languages);
  EXPECT_EQ(facet_counts(result, "type"), types);
}

TEST_F(SearchE2E, RepeatedFilterIsOrWithinAFieldAndAndAcrossFields) {
  const auto two_types = search_q("compromiso", "&type=action-plan&type=self-assessment");
  const auto types = facet_counts(search_q("compromiso"), "type");
  EXPECT_EQ(total(two_types), types.at("action-plan") + types.at("self-assessment"));
  const auto spanish_plans = search_q("compromiso", "&lang=es&type=action-plan");
  const auto counts = facet_counts(search_q("compromiso", "&type=action-plan"), "lang");
  EXPECT_EQ(total(spanish_plans), counts.at("es"));
  // A well-formed plan no passage has matches nothing (a value that names no plan is a 400:
  // query_syntax_e2e_test.cpp).
  EXPECT_EQ(total(search_q("compromiso", "&plan=ke-2020-2022")), 0);
}

TEST_F(SearchE2E, FacetCountingCanBeSkipped) {
  const auto counted = search_q("transparencia");
  const auto uncounted = search_q("transparencia", "&facets=false");
  EXPECT_EQ(total(uncounted), total(counted));
  EXPECT_EQ(hit(uncounted, 0)->getValue<std::string>("id"),
            hit(counted, 0)->getValue<std::string>("id"));
  EXPECT_EQ(uncounted->getObject("facets")->size(), 0u);
  EXPECT_GT(counted->getObject("facets")->size(), 10u);
}

TEST_F(SearchE2E, NotExcludesAndAPureNotMatchesEverythingElse) {
  const int all = total(search("q="));
  // Within one language only near-duplicates are collapsed: with the passages collapsed
  // (`collapsed`), the counts add up exactly.
  const auto matching = [](const Poco::JSON::Object::Ptr& result) {
    return total(result) + result->getValue<int>("collapsed");
  };
  for (const char* lang : {"&lang=es", "&lang=en"}) {
    const int in_language = total(search(std::string("q=") + lang));
    const int corruption = matching(search_q("corrupcion", lang));
    ASSERT_GT(corruption, 3) << lang;
    EXPECT_EQ(matching(search_q("NOT corrupcion", lang)), in_language - corruption) << lang;
  }
  EXPECT_LT(total(search_q("transparencia NOT corrupcion")), total(search_q("transparencia")));
  EXPECT_EQ(total(search_q("   ")), all);  // blank browses, as empty does
}

TEST_F(SearchE2E, EmptyQueryBrowsesEveryPassage) {
  const auto browse = search("q=&per_page=5");
  const auto health = http_get(port(), "/healthz").json();
  EXPECT_EQ(total(browse), health->getValue<int>("passages"));
  EXPECT_EQ(browse->getArray("hits")->size(), 5u);
  EXPECT_EQ(hit(search("page=2&per_page=5"), 0)->getValue<int>("rank"), 6);
}

TEST_F(SearchE2E, SnippetsMarkMatchesAndEscapeHtml) {
  // The self-assessment writes links as <http://www.compranet.gob.mx>.
  const auto result = search_q("compranet portal", "&per_page=20");
  ASSERT_GT(total(result), 0);
  bool escaped = false;
  const auto hits = result->getArray("hits");
  for (unsigned i = 0; i < hits->size(); ++i) {
    const std::string snippet = hits->getObject(i)->getValue<std::string>("snippet");
    EXPECT_EQ(snippet.find("<http"), std::string::npos) << snippet;
    escaped |= snippet.find("&lt;http") != std::string::npos;
  }
  EXPECT_TRUE(escaped);
}

TEST_F(SearchE2E, PassageEndpointReturnsEveryStoredFieldAndTheFullText) {
  const auto top = hit(search_q("transparencia presupuestaria", "&lang=es&type=action-plan"), 0);
  const std::string id = top->getValue<std::string>("id");
  const HttpReply reply = http_get(port(), "/api/passages/" + id);
  ASSERT_EQ(reply.status, 200);
  const auto passage = reply.json();
  EXPECT_EQ(passage->getValue<std::string>("id"), id);
  EXPECT_EQ(passage->getValue<std::string>("doc"), kActionPlan2011);
  EXPECT_EQ(passage->getValue<int>("paragraph"), 26);
  EXPECT_NE(passage->getValue<std::string>("text").find("transparencia presupuestaria"),
            std::string::npos);
  EXPECT_EQ(passage->getValue<std::string>("date"), "2011-09-20");
  EXPECT_TRUE(passage->has("page"));

  const HttpReply missing = http_get(port(), "/api/passages/no-such-passage.0001");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.json()->getValue<std::string>("error").find("no-such-passage.0001"),
            std::string::npos);
  const HttpReply no_route = http_get(port(), "/api/nothing-here");
  EXPECT_EQ(no_route.status, 404);
  EXPECT_TRUE(no_route.json()->has("error"));
}

TEST_F(SearchE2E, RunningPageHeaderIsNotIndexed) {
  // "Nueva York" and the date head every page of the 2011 plan; they were dropped.
  const auto result = search_q("\"Nueva York\"", "&per_page=100");
  const auto hits = result->getArray("hits");
  for (unsigned i = 0; i < hits->size(); ++i)
    EXPECT_NE(hits->getObject(i)->getValue<std::string>("doc"), kActionPlan2011);
  EXPECT_EQ(total(search_q("\"20 de septiembre de 2011\"", "&plan=mx-2011-2013&type=action-plan")),
            0);
}

struct BadRequestCase {
  std::string query_string;
  std::string names;  // what the error message must mention
};

TEST_F(SearchE2E, BadRequestsGet400WithAJsonErrorAndTheDaemonKeepsServing) {
  const std::vector<BadRequestCase> cases = {
      {"q=a&page=0", "`page`"},
      {"q=a&page=10001", "`page`"},
      {"q=a&page=two", "`page`"},
      {"q=a&per_page=0", "`per_page`"},
      {"q=a&per_page=101", "`per_page`"},
      {"q=" + std::string(1001, 'a'), "`q`"},
      {"q=%C3%28", "`q`"},
      {"q=a&plan=%FF", "`plan`"},
      {"q=%", "URL"},
      {"q=a&facets=maybe", "`facets`"},
  };
  for (const auto& bad : cases) {
    const HttpReply reply = http_get(port(), "/api/search?" + bad.query_string);
    EXPECT_EQ(reply.status, 400) << bad.query_string;
    const std::string error = reply.json()->getValue<std::string>("error");
    EXPECT_NE(error.find(bad.names), std::string::npos) << bad.query_string << " -> " << error;
  }
  // 1000 characters (not bytes) are allowed.
  std::string thousand;
  for (int i = 0; i < 1000; ++i) thousand += "\xC3\xB1";  // ñ
  EXPECT_EQ(http_get(port(), "/api/search?q=" + url_encode(thousand)).status, 200);
  // Syntax the parser cannot take is read leniently, never a 500.
  for (const std::string q :
       {"\"datos abiertos", "AND", "transparencia AND", "(((", "NOT", "-", "*"}) {
    const HttpReply reply = http_get(port(), "/api/search?q=" + url_encode(q));
    EXPECT_TRUE(reply.status == 200 || reply.status == 400) << q << ": " << reply.status;
  }
  EXPECT_GT(total(search_q("\"datos abiertos")), 0);
  EXPECT_TRUE(server().daemon_running());
  EXPECT_EQ(http_get(port(), "/healthz").status, 200);
}

TEST_F(SearchE2E, HealthReportsTheIndexedPassageCount) {
  const auto health = http_get(port(), "/healthz").json();
  const std::string summary = server().indexer_run().out;
  const std::string marker = " in index";
  const auto end = summary.find(marker);
  ASSERT_NE(end, std::string::npos) << summary;
  const auto start = summary.rfind(", ", end) + 2;
  EXPECT_EQ(health->getValue<int>("passages"), std::stoi(summary.substr(start, end - start)));
  EXPECT_FALSE(health->getValue<std::string>("revision").empty());
}

// `--help` lists the route table itself (http_routes()), so no route can be served unlisted.
TEST(SearchDaemonHelp, ListsEveryRouteOfTheRouteTable) {
  const RunResult run =
      run_program(std::filesystem::path(LUPA_BIN_DIR) / "lupa-searchd", {"--help"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::size_t listed = run.out.find("\nroutes (GET and HEAD):\n");
  ASSERT_NE(listed, std::string::npos) << run.out;
  const std::string listing = run.out.substr(listed);
  std::set<std::string> paths;
  for (const searchd::RouteDescription& route : searchd::http_routes()) {
    paths.insert(route.path);
    // A line of its own: the path, then, after spaces, its summary.
    const std::size_t line = listing.find("\n  " + route.path + " ");
    ASSERT_NE(line, std::string::npos) << route.path << "\n" << listing;
    const std::string rest = listing.substr(line + 3 + route.path.size());
    EXPECT_TRUE(rest.substr(rest.find_first_not_of(' ')).starts_with(route.summary + "\n"))
        << route.path << "\n"
        << listing;
  }
  for (const char* path :
       {"/", "/passages/{id}", "/files/{id}", "/api/search", "/api/facets", "/api/passages/{id}",
        "/api/similar/{id}", "/api/export", "/api/feed", "/healthz"})
    EXPECT_TRUE(paths.contains(path)) << path;
}

}  // namespace
}  // namespace lupa::testing
