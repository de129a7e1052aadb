// End to end: the bundled corpus indexed by the real lupa-indexer into one database, and the
// same passages split by document path into three shards, each served by the real lupa-shardd
// on a loopback port. lupa-searchd over the three shards must answer exactly as lupa-searchd
// over the one database (hits in order, totals, every facet count, snippets, similar, export,
// agency pages); a stopped shard gives 503 naming it, or with --shard-down=degrade the answer
// of the shards that answer, saying so, and the full answer again once it is back; a shard
// changed under the running daemon is seen without a restart.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "lupa/analyzers/index_commit.h"
#include "lupa/analyzers/passage_record.h"
#include "lupa/analyzers/schema.h"
#include "lupa/indexer/shard_layout.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/search_api.h"
#include "support/shards.h"
#include "support/temp_dir.h"

namespace lupa::testing {
namespace {

namespace fs = std::filesystem;

// An answer without the time it took and which shards answered; scores to the last bit (Poco
// writes the shortest form that reads back as the same double), which weights on Lupa's grid
// give whatever order Xapian adds them in (quantised_bm25.h).
std::string answer(unsigned short port, const std::string& target) {
  const HttpReply reply = http_get(port, target);
  if (reply.status != 200 || reply.content_type.find("json") == std::string::npos)
    return std::to_string(reply.status) + " " + reply.body;
  Poco::JSON::Object::Ptr json = reply.json();
  json->remove("took_ms");
  json->remove("shards");  // which shards answered: only over shard servers
  std::ostringstream text;
  Poco::JSON::Stringifier::stringify(json, text);
  return text.str();
}

// The `shards` object of an answer: {"total", "answered", "missing", "partial"}.
struct ShardsAnsweredReply {
  int total = -1;
  int answered = -1;
  std::vector<std::string> missing;
  bool partial = false;
};

ShardsAnsweredReply shards_of(const HttpReply& reply) {
  ShardsAnsweredReply shards;
  const Poco::JSON::Object::Ptr object = reply.json()->getObject("shards");
  if (!object) return shards;
  shards.total = object->getValue<int>("total");
  shards.answered = object->getValue<int>("answered");
  shards.partial = object->getValue<bool>("partial");
  const Poco::JSON::Array::Ptr missing = object->getArray("missing");
  for (std::size_t i = 0; missing && i < missing->size(); ++i)
    shards.missing.push_back(missing->getElement<std::string>(static_cast<unsigned>(i)));
  return shards;
}

const std::vector<std::string> kTargets = {
    // Browse: every passage, by page, filtered, by date.
    "/api/search?q=",
    "/api/search?q=&page=3&per_page=7",
    "/api/search?q=&lang=en",
    "/api/search?q=&lang=es&lang=en",
    "/api/search?q=&sort=newest&per_page=20",
    "/api/search?q=&plan=mx-2019-2021",
    "/api/search?q=&kind=commitment&per_page=50",
    "/api/search?q=&facets=false&page=4",
    // Words, phrases, operators, with filters, sorts and pages.
    "/api/search?q=transparencia",
    "/api/search?q=transparencia&per_page=5&page=2",
    "/api/search?q=transparencia&plan=mx-2019-2021",
    "/api/search?q=transparencia&sort=newest",
    "/api/search?q=transparencia&sort=oldest&per_page=25",
    "/api/search?q=transparencia&lang=es",
    "/api/search?q=gobierno&lang=en&lang=es&page=2",
    "/api/search?q=presupuesto&lang=es",
    "/api/search?q=budget",
    "/api/search?q=procurement",
    "/api/search?q=accountability&per_page=50",
    "/api/search?q=agua",
    "/api/search?q=participaci%C3%B3n&per_page=1",
    "/api/search?q=" + url_encode("datos abiertos"),
    "/api/search?q=" + url_encode("\"datos abiertos\"") + "&per_page=30",
    "/api/search?q=" + url_encode("\"beneficiarios finales\""),
    "/api/search?q=" + url_encode("+transparencia +datos"),
    "/api/search?q=" + url_encode("(datos abiertos OR \"open data\")") + "&sort=newest",
    "/api/search?q=" + url_encode("open government") + "&per_page=40",
    "/api/search?q=SFP",
    "/api/search?q=" + url_encode("qué se comprometió la SFP"),
    "/api/search?q=" + url_encode("acceso a la información") + "&kind=commitment",
    "/api/search?q=" + url_encode("\"Nueva York\"") + "&per_page=100",
    "/api/search?q=" + url_encode("\"20 de septiembre de 2011\"") +
        "&plan=mx-2011-2013&type=action-plan",
    "/api/search?q=ciudadanos&from=2011&to=2013",
    "/api/search?q=compromiso&to=2015&per_page=30&page=2",
    "/api/search?q=zanahorias&plan=KE-2023-2027",
    // Browses by date, where every passage weighs the same; snippets of many pages; a question
    // about a body.
    "/api/search?q=&sort=oldest&page=2&per_page=5",
    "/api/search?q=&sort=newest&kind=commitment&per_page=30",
    "/api/search?q=gobierno&per_page=50",
    "/api/search?q=" + url_encode("SFP contrataciones"),
    "/api/search?q=" + url_encode("Alianza para el Gobierno Abierto") + "&per_page=50",
    "/api/search?q=transparen*",
    // Similar commitments: expansion terms weighed from every shard's statistics.
    "/api/similar/corpus.mx-2011-action-plan-es-en-txt.0021",
    "/api/similar/corpus.mx-2011-action-plan-es-en-txt.0035?per_page=30",
    "/api/similar/corpus.mx-2012-self-assessment-report-txt.0019",
    // Everything else that reads matches.
    "/api/facets",
    "/api/agencies/mx-sfp",
    "/api/passages/corpus.mx-2019-2021-action-plan-summary-txt.0012",
};

const std::vector<std::string> kExports = {
    "/api/export?format=csv&q=transparencia",
    "/api/export?format=json&q=&lang=en",
    "/api/export?format=csv&q=gobierno&sort=oldest",
};

class ShardsE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const RunResult indexed = run_program(program("lupa-indexer"),
                                          {"--quiet", "--ocr-cache", LUPA_TEST_OCR_CACHE, "--db",
                                           (dir_->path() / "one").string(), corpus_dir().string()});
    ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
    shards_ = {dir_->path() / "shard-0", dir_->path() / "shard-1", dir_->path() / "shard-2"};
    passages_ = split_by_path(dir_->path() / "one", shards_);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static TempDir* dir_;
  static std::vector<fs::path> shards_;
  static std::vector<unsigned> passages_;
};

TempDir* ShardsE2E::dir_ = nullptr;
std::vector<fs::path> ShardsE2E::shards_;
std::vector<unsigned> ShardsE2E::passages_;

TEST_F(ShardsE2E, TheSplitPutsEveryFileWhollyOnOneShardAndUsesEveryShard) {
  const Xapian::Database one((dir_->path() / "one").string());
  unsigned total = 0;
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    EXPECT_GT(passages_[i], 0U) << "shard " << i;
    total += passages_[i];
  }
  EXPECT_EQ(total, one.get_doccount());
}

TEST_F(ShardsE2E, ThreeShardServersAnswerExactlyAsOneDatabase) {
  ShardServer a(shards_[0]), b(shards_[1]), c(shards_[2]);
  SearchDaemon one(dir_->path() / "one");
  SearchDaemon sharded(a.url(), {"--db", b.url(), "--db", c.url()});
  for (const std::string& target : kTargets) {
    const std::string expected = answer(one.port(), target);
    EXPECT_EQ(answer(sharded.port(), target), expected) << target;
  }
  for (const std::string& target : kExports) {
    const HttpReply expected = http_get(one.port(), target);
    ASSERT_EQ(expected.status, 200) << target;
    EXPECT_EQ(http_get(sharded.port(), target).body, expected.body) << target;
  }
  // The answers compared are not empty ones.
  const HttpReply reply = http_get(sharded.port(), "/api/search?q=transparencia");
  EXPECT_GT(total(reply.json()), 10);
  // Over shard servers, every answer says how many answered.
  const ShardsAnsweredReply shards = shards_of(reply);
  EXPECT_EQ(shards.total, 3);
  EXPECT_EQ(shards.answered, 3);
  EXPECT_FALSE(shards.partial);
}

// Xapian's remote backend serves no spelling dictionary: over shard servers "did you mean"
// comes from the Hunspell dictionaries and the index's terms, and corrects these misspellings
// as one database does, with the same results, and leaves valid words of the corpus alone.
TEST_F(ShardsE2E, DidYouMeanOverShardServersCorrectsFromTheDictionariesAndTheIndexTerms) {
  ShardServer a(shards_[0]), b(shards_[1]), c(shards_[2]);
  SearchDaemon one(dir_->path() / "one");
  SearchDaemon sharded(a.url(), {"--db", b.url(), "--db", c.url()});
  const std::vector<std::pair<std::string, std::string>> misspelt = {
      {"corupcion", "corrupción"},
      {"presupuesot", "presupuesto"},
      {"goverment", "government"},
      {"transparensia", "transparencia"},
      {"datos abirtos", "datos abiertos"}};
  for (const auto& [typed, corrected] : misspelt) {
    const std::string target = "/api/search?facets=false&q=" + url_encode(typed);
    const auto over_shards = http_get(sharded.port(), target).json();
    EXPECT_EQ(over_shards->getValue<std::string>("corrected"), corrected) << typed;
    EXPECT_GT(total(over_shards), 0) << typed;
    EXPECT_EQ(answer(sharded.port(), target), answer(one.port(), target)) << typed;
  }
  for (const std::string word : {"ciudadania", "Compranet", "rendición", "beneficiarios"}) {
    const auto over_shards =
        http_get(sharded.port(), "/api/search?facets=false&q=" + url_encode(word)).json();
    EXPECT_TRUE(over_shards->isNull("corrected")) << word;
    EXPECT_GT(total(over_shards), 0) << word;
  }
}

TEST_F(ShardsE2E, APassageListsTheSameCommitmentElsewhereAsFromOneDatabase) {
  // Every group of the same commitment the linker made, with its members' documents.
  const Xapian::Database db((dir_->path() / "one").string());
  std::map<std::string, std::map<std::string, std::string>> groups;  // key: member id -> doc
  const std::string prefix(schema::kCommitmentGroupPrefix);
  for (auto term = db.allterms_begin(prefix); term != db.allterms_end(prefix); ++term)
    for (auto posting = db.postlist_begin(*term); posting != db.postlist_end(*term); ++posting) {
      const auto record = schema::PassageRecord::parse(db.get_document(*posting).get_data());
      groups[*term][record.id] = record.doc;
    }
  ASSERT_GT(groups.size(), 5u) << "the bundled corpus states commitments in several documents";

  ShardServer a(shards_[0]), b(shards_[1]), c(shards_[2]);
  SearchDaemon one(dir_->path() / "one");
  SearchDaemon sharded(a.url(), {"--db", b.url(), "--db", c.url()});
  std::size_t across_shards = 0;
  for (const auto& [term, members] : groups) {
    std::set<std::size_t> on_shards;
    for (const auto& [id, doc] : members) on_shards.insert(shard_of(doc, shards_.size()));
    across_shards += on_shards.size() > 1;
    for (const auto& [id, doc] : members) {
      // The others, by passage id: what the passage's `same_as` lists.
      std::vector<std::string> expected;
      for (const auto& [other, other_doc] : members)
        if (other_doc != doc) expected.push_back(other);
      const HttpReply from_one = http_get(one.port(), "/api/passages/" + id);
      const HttpReply from_shards = http_get(sharded.port(), "/api/passages/" + id);
      ASSERT_EQ(from_one.status, 200) << id;
      ASSERT_EQ(from_shards.status, 200) << id;
      EXPECT_EQ(string_list(from_one.json(), "same_as"), expected) << id;
      EXPECT_EQ(string_list(from_shards.json(), "same_as"), expected) << id;
      const auto listed = [](const HttpReply& reply) {
        std::vector<std::string> ids;
        const Poco::JSON::Array::Ptr same = reply.json()->getArray("same_commitment");
        for (std::size_t i = 0; same && i < same->size(); ++i)
          ids.push_back(same->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
        return ids;
      };
      EXPECT_EQ(listed(from_one), expected) << id;
      EXPECT_EQ(listed(from_shards), expected) << id;
      EXPECT_EQ(from_one.json()->has("commitment_group"), false) << "the key is the index's own";
    }
  }
  EXPECT_GT(across_shards, 0u) << "no group has members on two shards";
}

TEST_F(ShardsE2E, AStoppedShardGets503NamingItAndTheRestKeepServingOnceItIsBack) {
  auto down = std::make_unique<ShardServer>(shards_[1]);
  ShardServer a(shards_[0]), c(shards_[2]);
  SearchDaemon sharded(a.url(), {"--db", down->url(), "--db", c.url(), "--shard-timeout", "2"});
  ASSERT_EQ(http_get(sharded.port(), "/api/search?q=transparencia").status, 200);
  const std::string url = down->url();
  down->stop();
  for (int attempt = 0; attempt < 2; ++attempt) {
    const HttpReply reply = http_get(sharded.port(), "/api/search?q=transparencia");
    EXPECT_EQ(reply.status, 503);
    EXPECT_NE(reply.body.find("hard"), std::string::npos) << reply.body;
  }
  const HttpReply reply = http_get(sharded.port(), "/api/search?q=gobierno");
  EXPECT_EQ(reply.status, 503);
  EXPECT_NE(reply.body.find(url), std::string::npos) << reply.body;
  EXPECT_TRUE(sharded.running());
}

// Answers a degraded daemon and a daemon over the live shards only must agree on: every
// count; and on the rest but the order of equal scores (relevance ties across shards).
const std::vector<std::string> kDegradedTargets = {
    "/api/search?q=",
    "/api/search?q=transparencia",
    "/api/search?q=gobierno&lang=es&per_page=20",
    "/api/search?q=&plan=mx-2019-2021",
    "/api/facets",
};

TEST_F(ShardsE2E, WithShardDownDegradeAStoppedShardLeavesTheAnswerOfTheOthersUntilItIsBack) {
  auto down = std::make_unique<ShardServer>(shards_[1]);
  ShardServer a(shards_[0]), c(shards_[2]);
  const std::string down_url = down->url();
  const unsigned short down_port = down->port();
  // --shard-retry 0: the stopped shard is tried on every request, so it is back at once.
  SearchDaemon sharded(
      a.url(), {"--db", down_url, "--db", c.url(), "--shard-down", "degrade", "--shard-timeout",
                "2", "--shard-connect-timeout", "1", "--shard-retry", "0"});
  SearchDaemon live_only(a.url(), {"--db", c.url()});

  std::map<std::string, std::string> full;
  const int full_total = total(http_get(sharded.port(), "/api/search?q=").json());
  for (const auto& target : kDegradedTargets) {
    const HttpReply reply = http_get(sharded.port(), target);
    ASSERT_EQ(reply.status, 200) << target;
    const ShardsAnsweredReply shards = shards_of(reply);
    EXPECT_EQ(shards.total, 3) << target;
    EXPECT_EQ(shards.answered, 3) << target;
    EXPECT_TRUE(shards.missing.empty()) << target;
    EXPECT_FALSE(shards.partial) << target;
    full[target] = answer(sharded.port(), target);
  }

  down->stop();
  for (const auto& target : kDegradedTargets) {
    const auto asked = std::chrono::steady_clock::now();
    const HttpReply reply = http_get(sharded.port(), target);
    // Generous: proves no hang, not speed (a connect refused is immediate).
    EXPECT_LT(std::chrono::steady_clock::now() - asked, std::chrono::seconds(20)) << target;
    ASSERT_EQ(reply.status, 200) << target << ": " << reply.body;
    const ShardsAnsweredReply shards = shards_of(reply);
    EXPECT_EQ(shards.total, 3) << target;
    EXPECT_EQ(shards.answered, 2) << target;
    EXPECT_EQ(shards.missing, std::vector<std::string>{down_url}) << target;
    EXPECT_TRUE(shards.partial) << target;
    EXPECT_EQ(answer(sharded.port(), target), answer(live_only.port(), target)) << target;
  }
  EXPECT_EQ(answer(sharded.port(), "/api/facets"), answer(live_only.port(), "/api/facets"));
  EXPECT_LT(total(http_get(sharded.port(), "/api/search?q=").json()), full_total);
  // The other routes that read matches: the same answer as over the live shards, marked.
  for (const std::string target :
       {"/api/export?format=csv&q=transparencia", "/api/agencies/mx-sfp"}) {
    const HttpReply reply = http_get(sharded.port(), target);
    EXPECT_EQ(reply.status, 200) << target;
    EXPECT_EQ(reply.headers.at("Lupa-Shards-Answered"), "2") << target;
    EXPECT_EQ(reply.headers.at("Lupa-Shards-Total"), "3") << target;
    EXPECT_EQ(reply.headers.at("Lupa-Shards-Missing"), down_url) << target;
    EXPECT_EQ(answer(sharded.port(), target), answer(live_only.port(), target)) << target;
  }
  const HttpReply page = http_get(sharded.port(), "/agencies/mx-sfp");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.headers.at("Lupa-Shards-Missing"), down_url);
  const HttpReply health = http_get(sharded.port(), "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.json()->getValue<std::string>("status"), "degraded");
  const Poco::JSON::Array::Ptr listed = health.json()->getArray("shards");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 3U);
  for (unsigned i = 0; i < listed->size(); ++i) {
    const Poco::JSON::Object::Ptr shard = listed->getObject(i);
    EXPECT_EQ(shard->getValue<bool>("answered"),
              shard->getValue<std::string>("location") != down_url);
  }

  ShardServer back(shards_[1], down_port);
  for (const auto& target : kDegradedTargets) {
    const HttpReply reply = http_get(sharded.port(), target);
    ASSERT_EQ(reply.status, 200) << target;
    EXPECT_EQ(shards_of(reply).answered, 3) << target;
    EXPECT_EQ(answer(sharded.port(), target), full[target]) << target;
  }
  EXPECT_EQ(http_get(sharded.port(), "/healthz").json()->getValue<std::string>("status"), "ok");
}

TEST_F(ShardsE2E, AShardChangedUnderTheRunningDaemonIsSeenWithoutARestart) {
  const fs::path changed = dir_->path() / "changed-shard";
  fs::copy(shards_[0], changed);
  ShardServer a(changed), b(shards_[1]), c(shards_[2]);
  SearchDaemon sharded(a.url(), {"--db", b.url(), "--db", c.url()});
  const int before = total(http_get(sharded.port(), "/api/search?q=").json());
  const int listed_before = total(http_get(sharded.port(), "/api/facets").json());
  {
    // A passage added to the first shard, as its indexer's commit would.
    Xapian::WritableDatabase shard(changed.string());
    const Xapian::Database one((dir_->path() / "one").string());
    Xapian::Document passage = one.get_document(*one.postlist_begin(""));
    passage.add_term(schema::id_term("corpus.added-txt.0001"));
    shard.add_document(passage);
    shard.commit();
  }
  EXPECT_EQ(total(http_get(sharded.port(), "/api/search?q=").json()), before + 1);
  EXPECT_EQ(total(http_get(sharded.port(), "/api/facets").json()), listed_before + 1);
}

// What `facet` counts for `value` in an answer.
int facet_count(const HttpReply& reply, const std::string& facet, const std::string& value) {
  const Poco::JSON::Array::Ptr values = reply.json()->getObject("facets")->getArray(facet);
  for (std::size_t i = 0; values && i < values->size(); ++i) {
    const Poco::JSON::Object::Ptr entry = values->getObject(static_cast<unsigned>(i));
    if (entry->getValue<std::string>("value") == value) return entry->getValue<int>("count");
  }
  return 0;
}

using Clock = std::chrono::steady_clock;

struct TimedReply {
  HttpReply reply;
  Clock::duration took{};
};

TimedReply timed_get(unsigned short port, const std::string& target) {
  const auto asked = Clock::now();
  HttpReply reply = http_get(port, target);
  return {std::move(reply), Clock::now() - asked};
}

// A shard server that takes the connection and then says nothing never holds a request beyond
// the timeouts; the daemon serves other requests meanwhile; once a request has found it silent,
// the next ones are answered at once, without connecting to it, until --shard-retry has passed.
TEST_F(ShardsE2E, AShardThatNeverAnswersGets503NamingItWithinTheTimeoutThenAtOnce) {
  ShardServer a(shards_[0]), c(shards_[2]);
  auto b = std::make_unique<ShardServer>(shards_[1]);
  const std::string url = b->url();
  const unsigned short port = b->port();
  SearchDaemon sharded(a.url(), {"--db", url, "--db", c.url(), "--shard-timeout", "3",
                                 "--shard-connect-timeout", "1", "--shard-retry", "60"});
  ASSERT_EQ(http_get(sharded.port(), "/api/search?q=transparencia").status, 200);
  b->stop();
  SilentShard silent(port);

  auto waiting = std::async(std::launch::async,
                            [&] { return timed_get(sharded.port(), "/api/search?q=gobierno"); });
  for (int i = 0; i < 500 && silent.connections() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(silent.connections(), 1) << "the request did not connect to the silent shard";
  // Meanwhile, the daemon answers what does not need the shards.
  EXPECT_EQ(http_get(sharded.port(), "/static/lupa.css").status, 200);
  EXPECT_EQ(waiting.wait_for(std::chrono::seconds(0)), std::future_status::timeout)
      << "the request was not waiting for the silent shard";

  const TimedReply answered = waiting.get();
  EXPECT_EQ(answered.reply.status, 503);
  EXPECT_NE(answered.reply.body.find(url), std::string::npos) << answered.reply.body;
  EXPECT_EQ(answered.reply.headers.at("Retry-After"), "1");
  // --shard-timeout 3: generous beside it, far below a hang.
  EXPECT_LT(answered.took, std::chrono::seconds(12));

  // Within --shard-retry: the shard is not connected to again, and every request that needs it
  // says so, naming it.
  for (const std::string target : {"/api/search?q=transparencia", "/api/facets", "/healthz"}) {
    const HttpReply reply = http_get(sharded.port(), target);
    EXPECT_EQ(reply.status, 503) << target;
    EXPECT_NE(reply.body.find(url), std::string::npos) << target << ": " << reply.body;
    EXPECT_NE(reply.body.find("--shard-retry"), std::string::npos) << target << ": " << reply.body;
  }
  EXPECT_EQ(silent.connections(), 1);
  EXPECT_TRUE(sharded.running());
}

// With --shard-down=degrade, a silent shard is left out after the timeout; while its back-off
// lasts, requests are answered from the others without connecting to it; after it, a shard
// server back on its port is used again.
TEST_F(ShardsE2E, WithShardDownDegradeASilentShardIsLeftOutAndTriedAgainOnlyAfterItsRetry) {
  ShardServer a(shards_[0]), c(shards_[2]);
  auto silent = std::make_unique<SilentShard>();
  const std::string url = silent->url();
  const unsigned short port = silent->port();
  constexpr auto kRetry = std::chrono::seconds(10);
  const auto starting = Clock::now();
  SearchDaemon sharded(
      a.url(), {"--db", url, "--db", c.url(), "--shard-down", "degrade", "--shard-timeout", "1",
                "--shard-connect-timeout", "1", "--shard-retry", "10"});
  // Found silent while starting; not connected to again before --shard-retry.
  const int taken = silent->connections();
  ASSERT_GE(taken, 1);
  for (const std::string target :
       {"/api/search?q=", "/api/search?q=transparencia", "/api/facets", "/api/agencies/mx-sfp"}) {
    const HttpReply reply = http_get(sharded.port(), target);
    ASSERT_EQ(reply.status, 200) << target << ": " << reply.body;
    const ShardsAnsweredReply shards = shards_of(reply);
    EXPECT_EQ(shards.total, 3) << target;
    EXPECT_EQ(shards.answered, 2) << target;
    EXPECT_EQ(shards.missing, std::vector<std::string>{url}) << target;
  }
  const HttpReply health = http_get(sharded.port(), "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.json()->getValue<std::string>("status"), "degraded");
  ASSERT_LT(Clock::now() - starting, kRetry) << "too slow to tell: give --shard-retry more";
  EXPECT_EQ(silent->connections(), taken) << "connected to again within --shard-retry";
  const int degraded_total = total(http_get(sharded.port(), "/api/search?q=").json());

  // The shard server back where the silent one was; once the back-off is over (it began when
  // the daemon, starting, found the shard silent), the next request uses it.
  silent.reset();
  ShardServer back(shards_[1], port);
  const auto ready = Clock::now();
  HttpReply reply;
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    reply = http_get(sharded.port(), "/api/search?q=");
    ASSERT_EQ(reply.status, 200) << reply.body;
  } while (shards_of(reply).answered < 3 &&
           Clock::now() - ready < kRetry + std::chrono::seconds(20));
  EXPECT_EQ(shards_of(reply).answered, 3);
  EXPECT_TRUE(shards_of(reply).missing.empty());
  EXPECT_GT(total(reply.json()), degraded_total);
  EXPECT_EQ(http_get(sharded.port(), "/healthz").json()->getValue<std::string>("status"), "ok");
}

// A shard server restarted between two requests leaves the worker's kept connections to it
// dead: the next request's reopen fails, and the worker connects afresh rather than failing
// the request (--shard-down=fail, one worker, so that the second request reuses them).
TEST_F(ShardsE2E, AShardServerRestartedBetweenTwoRequestsIsConnectedToAfresh) {
  ShardServer a(shards_[0]), c(shards_[2]);
  auto b = std::make_unique<ShardServer>(shards_[1]);
  const unsigned short port = b->port();
  SearchDaemon sharded(a.url(), {"--db", b->url(), "--db", c.url(), "--threads", "1"});
  const std::string target = "/api/search?q=transparencia";
  const std::string expected = answer(sharded.port(), target);
  ASSERT_EQ(expected.rfind("{", 0), 0U) << expected;
  b->stop();
  ShardServer again(shards_[1], port);
  const HttpReply reply = http_get(sharded.port(), target);
  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(shards_of(reply).answered, 3);
  EXPECT_EQ(answer(sharded.port(), target), expected);
}

// A passage rewritten in place (as the indexer's linking and grouping passes rewrite passages
// of shards whose files did not change) leaves the document count and last document id as they
// were: the commit id the indexer stores with it is what tells the searcher.
TEST_F(ShardsE2E, APassageRewrittenInPlaceIsSeenInCachedCountsWithoutARestart) {
  const fs::path changed = dir_->path() / "rewritten-shard";
  fs::copy(shards_[0], changed);
  ShardServer a(changed), b(shards_[1]), c(shards_[2]);
  SearchDaemon sharded(a.url(), {"--db", b.url(), "--db", c.url()});
  const std::string browse = "/api/search?q=&per_page=1";
  const HttpReply before = http_get(sharded.port(), browse);
  ASSERT_EQ(before.status, 200);
  const int spanish = facet_count(before, "lang", "es");
  const int english = facet_count(before, "lang", "en");
  ASSERT_GT(spanish, 0);
  // Asked again: from the counts kept for this revision.
  ASSERT_EQ(facet_count(http_get(sharded.port(), browse), "lang", "es"), spanish);
  const int listed_spanish = facet_count(http_get(sharded.port(), "/api/facets"), "lang", "es");
  {
    Xapian::WritableDatabase shard(changed.string());
    const Xapian::doccount count = shard.get_doccount();
    const Xapian::docid last = shard.get_lastdocid();
    Xapian::docid target = 0;
    for (auto posting = shard.postlist_begin(""); posting != shard.postlist_end(""); ++posting)
      if (schema::PassageRecord::parse(shard.get_document(*posting).get_data()).lang == "es") {
        target = *posting;
        break;
      }
    ASSERT_NE(target, 0U);
    Xapian::Document document = shard.get_document(target);
    const auto was = schema::PassageRecord::parse(document.get_data());
    auto now = was;
    now.lang = "en";
    schema::replace_facet_terms(was, now, document);
    document.set_data(now.serialise());
    shard.replace_document(target, document);
    // As the indexer does with every commit that changes a database.
    shard.set_metadata(std::string(schema::kCommitIdKey), "0123456789abcdef0123456789abcdef");
    shard.commit();
    ASSERT_EQ(shard.get_doccount(), count);
    ASSERT_EQ(shard.get_lastdocid(), last);
  }
  const HttpReply after = http_get(sharded.port(), browse);
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(facet_count(after, "lang", "es"), spanish - 1);
  EXPECT_EQ(facet_count(after, "lang", "en"), english + 1);
  EXPECT_EQ(facet_count(http_get(sharded.port(), "/api/facets"), "lang", "es"), listed_spanish - 1);
}

// Through the real indexer: an IRM report's ratings reach the plan it rates by the linker,
// which rewrites the plan's passages in place. With the plan and the report in different shards,
// a new rating rewrites the plan's shard without changing its document count or last docid;
// a searcher over that shard server sees the new counts at once, without a restart.
TEST(ShardsReindexedE2E, ALinkRewrittenInPlaceByTheIndexerIsSeenOverItsShardServer) {
  TempDir dir;
  const fs::path fixtures = fs::path(LUPA_SOURCE_DIR) / "tests" / "data" / "ogp-world";
  const std::string plan = "co-2020-2022-plan-de-accion.txt";
  const std::string report = "co-2020-2022-irm-informe-de-resultados.txt";
  // Folders that put the plan and the report in different shards of two.
  std::string plan_in, report_in;
  for (int i = 0; plan_in.empty() || report_in.empty(); ++i) {
    std::string folder = "f";  // appended: GCC 12 warns (-Wrestrict) falsely about "f" + ...
    folder += std::to_string(i);
    const std::size_t shard = indexer::shard_of(folder + "/" + plan, 2);
    if (plan_in.empty() && shard == 0) plan_in = folder;
    if (report_in.empty() && indexer::shard_of(folder + "/" + report, 2) == 1) report_in = folder;
  }
  const fs::path corpus = dir.path() / "corpus";
  fs::create_directories(corpus / plan_in);
  fs::create_directories(corpus / report_in);
  fs::copy_file(fixtures / plan, corpus / plan_in / plan);
  fs::copy_file(fixtures / report, corpus / report_in / report);
  const fs::path layout = dir.path() / "index";
  const auto index = [&] {
    return run_program(program("lupa-indexer"),
                       {"--quiet", "--shards", "2", "--db", layout.string(), corpus.string()});
  };
  const RunResult first = index();
  ASSERT_EQ(first.exit_code, 0) << first.err;

  const fs::path plan_shard = layout / "shard-0";
  ShardServer server(plan_shard);
  SearchDaemon searcher(server.url());
  const std::string browse = "/api/search?q=&kind=commitment&per_page=1";
  const HttpReply before = http_get(searcher.port(), browse);
  ASSERT_EQ(before.status, 200) << before.body;
  const int complete = facet_count(before, "completion", "complete");
  ASSERT_GT(complete, 0) << "the plan's commitments carry the report's ratings";
  const int limited = facet_count(before, "completion", "limited");
  // Asked again: from the counts kept for this revision.
  ASSERT_EQ(facet_count(http_get(searcher.port(), browse), "completion", "complete"), complete);

  Xapian::doccount count = 0;
  Xapian::docid last = 0;
  std::string commit;
  {
    const Xapian::Database shard(plan_shard.string());
    count = shard.get_doccount();
    last = shard.get_lastdocid();
    commit = shard.get_metadata(std::string(schema::kCommitIdKey));
  }
  // The IRM now finds every completed commitment's completion limited.
  {
    std::string text = read_file(corpus / report_in / report);
    for (std::size_t at = text.find("Completo"); at != std::string::npos;
         at = text.find("Completo", at))
      text.replace(at, std::string("Completo").size(), "Limitado");
    dir.write("corpus/" + report_in + "/" + report, text);
  }
  const RunResult second = index();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  {
    // Rewritten in place: only the commit id tells this revision from the last.
    const Xapian::Database shard(plan_shard.string());
    ASSERT_EQ(shard.get_doccount(), count);
    ASSERT_EQ(shard.get_lastdocid(), last);
    EXPECT_NE(shard.get_metadata(std::string(schema::kCommitIdKey)), commit);
  }
  const HttpReply after = http_get(searcher.port(), browse);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(facet_count(after, "completion", "complete"), 0);
  EXPECT_EQ(facet_count(after, "completion", "limited"), limited + complete);
}

// Xapian's stub format names shard servers as `remote HOST:PORT`: a stub of them is served as
// the same shard servers given as --db tcp://HOST:PORT.
TEST_F(ShardsE2E, AStubNamingTheShardServersAnswersAsTheirTcpLocations) {
  ShardServer a(shards_[0]), b(shards_[1]), c(shards_[2]);
  const fs::path stub = dir_->path() / "remote-shards" / "XAPIANDB";
  fs::create_directories(stub.parent_path());
  {
    std::ofstream out(stub);
    out << "# three shard servers\n";
    for (const ShardServer* server : {&a, &b, &c})
      out << "remote 127.0.0.1:" << server->port() << "\n";
  }
  SearchDaemon by_tcp(a.url(), {"--db", b.url(), "--db", c.url()});
  SearchDaemon by_stub(stub.parent_path());  // the folder holding it, as lupa-indexer writes
  for (const std::string& target : kTargets)
    EXPECT_EQ(answer(by_stub.port(), target), answer(by_tcp.port(), target)) << target;
  for (const std::string& target : kExports)
    EXPECT_EQ(http_get(by_stub.port(), target).body, http_get(by_tcp.port(), target).body)
        << target;
  const HttpReply reply = http_get(by_stub.port(), "/api/search?q=transparencia");
  EXPECT_GT(total(reply.json()), 10);
  const ShardsAnsweredReply shards = shards_of(reply);
  EXPECT_EQ(shards.total, 3);
  EXPECT_EQ(shards.answered, 3);
  EXPECT_EQ(reply.headers.at("Lupa-Shards-Total"), "3");
  // A shard named by the stub that stops is named as its tcp:// location.
  b.stop();
  const HttpReply down = http_get(by_stub.port(), "/api/search?q=gobierno");
  EXPECT_EQ(down.status, 503);
  EXPECT_NE(down.body.find(b.url()), std::string::npos) << down.body;
}

}  // namespace
}  // namespace lupa::testing
