// End to end: questions about a government body and the bodies' pages, through the real
// lupa-indexer and lupa-searchd, on the bundled corpus and on the OGP documents of other
// members (tests/data/ogp-world). What counts as a body's commitment is read from the facets
// the indexer wrote (kind=commitment and the body among the passage's agencies), not written
// here.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "support/http_client.h"
#include "support/process.h"
#include "support/search_api.h"
#include "support/temp_dir.h"

namespace lupa::testing {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

bool contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

bool is_commitment_of(const Object::Ptr& hit, const std::string& body) {
  return hit->optValue<std::string>("kind", "") == "commitment" &&
         (contains(string_list(hit, "agencies"), body) ||
          contains(string_list(hit, "responsible"), body) ||
          contains(string_list(hit, "supporting"), body));
}

struct Question {
  std::string text;
  std::string body;
  // Of the top 10, at least this many are the body's commitments: every one the corpus holds
  // (translations collapsed) up to 10, less one where a passage and its translation both count.
  int at_least;
  friend void PrintTo(const Question& question, std::ostream* out) { *out << question.text; }
};

// How many of the first ten hits of `result` are commitments of `body`.
int commitments_in_top_ten(const Object::Ptr& result, const std::string& body) {
  const Array::Ptr hits = result->getArray("hits");
  int count = 0;
  for (unsigned i = 0; i < hits->size() && i < 10; ++i)
    if (is_commitment_of(hits->getObject(i), body)) ++count;
  return count;
}

void expect_understood(const Object::Ptr& result, const std::string& body) {
  const Object::Ptr understood = result->getObject("understood");
  ASSERT_TRUE(understood) << "no `understood` body";
  EXPECT_EQ(understood->getValue<std::string>("id"), body);
  EXPECT_EQ(understood->getValue<std::string>("facet"), "agency");
  EXPECT_EQ(understood->getObject("filters")->getValue<std::string>("agency"), body);
  EXPECT_EQ(understood->getValue<std::string>("page"), "/agencies/" + body);
}

class BundledCorpusQuestions : public ::testing::TestWithParam<Question> {};

TEST_P(BundledCorpusQuestions, PutTheBodysCommitmentsInTheTopTen) {
  const Question& question = GetParam();
  const CorpusServer& server = CorpusServer::instance();
  const int held = total(server.search("q=&kind=commitment&agency=" + question.body));
  ASSERT_GE(held, question.at_least) << "the corpus holds fewer commitments of " << question.body;
  const Object::Ptr result = server.search_q(question.text);
  EXPECT_GE(commitments_in_top_ten(result, question.body), question.at_least);
  // The first hit is one the body leads.
  ASSERT_GT(result->getArray("hits")->size(), 0u);
  EXPECT_TRUE(contains(string_list(hit(result, 0), "responsible"), question.body));
  expect_understood(result, question.body);
}

INSTANTIATE_TEST_SUITE_P(
    AsPeopleAsk, BundledCorpusQuestions,
    ::testing::Values(Question{"compromisos del INAI", "mx-inai", 4},
                      Question{"Secretaría de Gobernación compromisos", "mx-segob", 3},
                      Question{"obligaciones de la Secretaría de la Función Pública", "mx-sfp", 8},
                      Question{"qué se comprometió la SFP", "mx-sfp", 8},
                      Question{"la Función Pública", "mx-sfp", 8},
                      Question{"what did the Ministry of Finance promise", "mx-shcp", 4}));

TEST(BundledCorpusQuestion, WithATopicTheTopicStaysRequired) {
  const CorpusServer& server = CorpusServer::instance();
  const Object::Ptr result = server.search_q("SFP contrataciones");
  ASSERT_GT(total(result), 0);
  expect_understood(result, "mx-sfp");
  const Object::Ptr first = hit(result, 0);
  EXPECT_TRUE(contains(string_list(first, "responsible"), "mx-sfp")) << first->get("id").toString();
  // Fewer passages than the body's alone: "contrataciones" must still be there.
  EXPECT_LT(total(result),
            total(server.search_q("SFP")) + total(server.search_q("contrataciones")));
}

TEST(BundledCorpusQuestion, AQueryNamingNoBodyUnderstandsNone) {
  const Object::Ptr result = CorpusServer::instance().search_q("datos abiertos");
  EXPECT_TRUE(result->isNull("understood"));
}

class AgencyPagesE2E : public ::testing::Test {
 protected:
  static HttpReply get(const std::string& target) {
    return http_get(CorpusServer::instance().port(), target);
  }
};

TEST_F(AgencyPagesE2E, ApiGroupsTheBodysCommitmentsByPlanLeadFirst) {
  const HttpReply reply = get("/api/agencies/mx-sfp");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const Object::Ptr page = reply.json();
  EXPECT_EQ(page->getValue<std::string>("id"), "mx-sfp");
  EXPECT_EQ(page->getValue<std::string>("country"), "mx");
  EXPECT_NE(page->getValue<std::string>("label_es").find("Función Pública"), std::string::npos);
  // The plans are those of the body's commitment passages, each once.
  const Object::Ptr browse =
      CorpusServer::instance().search("q=&kind=commitment&agency=mx-sfp&per_page=1");
  std::set<std::string> expected_plans;
  for (const auto& [plan, count] : facet_counts(browse, "plan")) expected_plans.insert(plan);
  std::set<std::string> plans;
  int commitments = 0;
  const Array::Ptr groups = page->getArray("plans");
  for (unsigned g = 0; g < groups->size(); ++g) {
    const Object::Ptr group = groups->getObject(g);
    if (!group->isNull("plan")) {
      EXPECT_TRUE(plans.insert(group->getValue<std::string>("plan")).second);
    }
    const Array::Ptr list = group->getArray("commitments");
    int last_role = 0;
    for (unsigned c = 0; c < list->size(); ++c) {
      const Object::Ptr commitment = list->getObject(c);
      const std::string role = commitment->getValue<std::string>("role");
      const int rank = role == "lead" ? 0 : role == "supporting" ? 1 : 2;
      EXPECT_GE(rank, last_role) << "lead, then supporting, then named";
      last_role = rank;
      ++commitments;
      // Every passage listed is a commitment of the body.
      const Array::Ptr passages = commitment->getArray("passages");
      ASSERT_GT(passages->size(), 0u);
      const HttpReply passage = get("/api/passages/" + passages->getElement<std::string>(0));
      ASSERT_EQ(passage.status, 200);
      EXPECT_TRUE(is_commitment_of(passage.json(), "mx-sfp"));
    }
  }
  EXPECT_EQ(plans, expected_plans);
  EXPECT_EQ(page->getValue<int>("commitments"), commitments);
  EXPECT_GE(commitments, 7);  // the seven it leads, at least
}

TEST_F(AgencyPagesE2E, HtmlPageListsThePlansAndLinksEveryCommitmentToItsPassage) {
  const HttpReply reply = get("/agencies/mx-sfp?ui=es");
  ASSERT_EQ(reply.status, 200);
  EXPECT_NE(reply.content_type.find("text/html"), std::string::npos);
  EXPECT_NE(reply.body.find("<h1>Secretaría de la Función Pública (SFP)</h1>"), std::string::npos);
  EXPECT_NE(reply.body.find("data-plan=\"mx-2011-2013\""), std::string::npos);
  EXPECT_NE(reply.body.find("href=\"/passages/corpus.mx-2012-self-assessment-report-txt.0020"),
            std::string::npos);
  EXPECT_NE(reply.body.find("(responsable)"), std::string::npos);
  EXPECT_EQ(reply.body.find("<script"), std::string::npos);
}

TEST_F(AgencyPagesE2E, UnknownBodyIs404AndMalformedIdIs400) {
  const HttpReply unknown = get("/api/agencies/mx-no-such-body");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.json()->getValue<std::string>("error").find("mx-no-such-body"),
            std::string::npos);
  EXPECT_EQ(get("/agencies/mx-no-such-body").status, 404);
  const HttpReply too_long = get("/api/agencies/" + std::string(300, 'a'));
  EXPECT_EQ(too_long.status, 400);
  EXPECT_NE(too_long.json()->getValue<std::string>("error").find("Agency id"), std::string::npos);
  EXPECT_EQ(get("/api/agencies/mx%01sfp").status, 400);
  EXPECT_EQ(get("/api/agencies/").status, 400);
}

TEST_F(AgencyPagesE2E, SearchPageLinksChipsFacetValuesAndTheUnderstoodBody) {
  const HttpReply page = get("/?ui=en&q=" + url_encode("qué se comprometió la SFP"));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("class=\"understood\""), std::string::npos);
  EXPECT_NE(page.body.find("agency=mx-sfp"), std::string::npos) << "the filter it offers";
  EXPECT_NE(page.body.find("class=\"chip agency\" href=\"/agencies/mx-sfp?ui=en\""),
            std::string::npos);
  EXPECT_NE(page.body.find("class=\"agency-page\" href=\"/agencies/mx-sfp?ui=en\""),
            std::string::npos);
}

// Members other than Mexico: bodies that share names with other countries' bodies.
class OgpWorldQuestions : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    const auto fixtures = source_dir() / "tests" / "data" / "ogp-world";
    const auto corpus = dir_->path() / "ogp-world";
    std::filesystem::create_directories(corpus);
    for (const auto& entry : std::filesystem::directory_iterator(fixtures))
      if (entry.path().filename() != "truth.json")
        std::filesystem::copy_file(entry.path(), corpus / entry.path().filename());
    const RunResult indexing = run_indexer(dir_->path() / "index", {corpus});
    ASSERT_EQ(indexing.exit_code, 0) << indexing.err;
    daemon_ = new SearchDaemon(dir_->path() / "index");
  }
  static void TearDownTestSuite() {
    delete daemon_;
    delete dir_;
  }
  static Object::Ptr search(const std::string& query_string) {
    const HttpReply reply = http_get(daemon_->port(), "/api/search?" + query_string);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return reply.json();
  }
  // Every commitment passage of `body` the index holds is in the top ten, up to ten.
  static void expect_all_commitments_first(const std::string& text, const std::string& body) {
    const int held = std::min(10, total(search("q=&kind=commitment&agency=" + body)));
    ASSERT_GT(held, 0);
    const Object::Ptr result = search("q=" + url_encode(text));
    EXPECT_EQ(commitments_in_top_ten(result, body), held) << text;
    expect_understood(result, body);
  }
  static TempDir* dir_;
  static SearchDaemon* daemon_;
};

TempDir* OgpWorldQuestions::dir_ = nullptr;
SearchDaemon* OgpWorldQuestions::daemon_ = nullptr;

TEST_F(OgpWorldQuestions, EnglishQuestionAboutKenyasTreasury) {
  // "National Treasury" also names South Africa's; the country in the query decides.
  expect_all_commitments_first("what did the National Treasury of Kenya promise", "ke-treasury");
}

TEST_F(OgpWorldQuestions, SpanishShortFormOfColombiasFuncionPublica) {
  // "Función Pública" is also Mexico's SFP; "Colombia" decides.
  expect_all_commitments_first("compromisos de la Función Pública de Colombia",
                               "co-funcion-publica");
}

TEST_F(OgpWorldQuestions, SharedNameWithoutCountryMeansTheBodyTheIndexHoldsMostAbout) {
  // Spain's, Chile's, Costa Rica's ... "Ministerio de Hacienda": the index holds most of Spain's.
  expect_all_commitments_first("compromisos del Ministerio de Hacienda", "es-hacienda");
}

TEST_F(OgpWorldQuestions, AgencyPageShowsIrmRatingsAcrossPlans) {
  const HttpReply reply = http_get(daemon_->port(), "/api/agencies/ke-treasury");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const Array::Ptr plans = reply.json()->getArray("plans");
  std::set<std::string> plan_ids;
  bool rated = false;
  for (unsigned g = 0; g < plans->size(); ++g) {
    plan_ids.insert(plans->getObject(g)->getValue<std::string>("plan"));
    const Array::Ptr list = plans->getObject(g)->getArray("commitments");
    for (unsigned c = 0; c < list->size(); ++c) {
      const Object::Ptr ratings = list->getObject(c)->getObject("ratings");
      if (!ratings->isNull("potential_results") || !ratings->isNull("completion")) rated = true;
    }
  }
  EXPECT_EQ(plan_ids, (std::set<std::string>{"ke-2020-2022", "ke-2023-2027"}));
  EXPECT_EQ(plans->getObject(0)->getValue<std::string>("plan"), "ke-2023-2027") << "newest first";
  EXPECT_TRUE(rated) << reply.body;
}

}  // namespace
}  // namespace lupa::testing
