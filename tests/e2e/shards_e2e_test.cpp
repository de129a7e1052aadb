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
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "lupa/analyzers/schema.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/search_api.h"
#include "support/shards.h"
#include "support/temp_dir.h"

namespace lupa::testing {
namespace {

namespace fs = std::filesystem;

// An answer without the time it took, its scores to 12 significant digits (a BM25 weight
// summed over shards may differ from one database's in its last bit): equal texts, equal
// answers.
std::string answer(unsigned short port, const std::string& target) {
  const HttpReply reply = http_get(port, target);
  if (reply.status != 200 || reply.content_type.find("json") == std::string::npos)
    return std::to_string(reply.status) + " " + reply.body;
  Poco::JSON::Object::Ptr json = reply.json();
  json->remove("took_ms");
  json->remove("shards");  // which shards answered: only over shard servers
  std::ostringstream text;
  Poco::JSON::Stringifier::stringify(json, text);
  static const std::regex kScore(R"("score":([-0-9.eE+]+))");
  std::string rounded;
  std::string rest = text.str();
  std::smatch match;
  while (std::regex_search(rest, match, kScore)) {
    char digits[32];
    std::snprintf(digits, sizeof digits, "%.12g", std::stod(match[1]));
    rounded += std::string(match.prefix()) + "\"score\":" + digits;
    rest = match.suffix();
  }
  return rounded + rest;
}

// The total and every facet count of an answer.
std::string counts(unsigned short port, const std::string& target) {
  const HttpReply reply = http_get(port, target);
  if (reply.status != 200) return std::to_string(reply.status) + " " + reply.body;
  Poco::JSON::Object::Ptr json = reply.json();
  std::ostringstream text;
  text << json->getValue<int>("total") << " ";
  Poco::JSON::Stringifier::stringify(json->getObject("facets"), text);
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
    // Everything else that reads matches.
    "/api/facets",
    "/api/agencies/mx-sfp",
    "/api/passages/corpus.mx-2019-2021-action-plan-summary-txt.0012",
};

// Known differences (docs/scale-out.md): passages of one date in a browse by date come in
// document id order; the snippet Xapian picks may weigh a query's terms differently over
// remote shards; similar commitments' expansion terms are weighted differently. Their totals
// and facet counts are the same.
const std::vector<std::string> kCountsOnly = {
    "/api/search?q=&sort=oldest&page=2&per_page=5",
    "/api/search?q=gobierno&per_page=50",
    "/api/search?q=" + url_encode("SFP contrataciones"),
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
  for (const std::string& target : kCountsOnly)
    EXPECT_EQ(counts(sharded.port(), target), counts(one.port(), target)) << target;
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
  SearchDaemon sharded(a.url(), {"--db", down_url, "--db", c.url(), "--shard-down", "degrade",
                                 "--shard-timeout", "2", "--shard-connect-timeout", "1"});
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
    EXPECT_EQ(counts(sharded.port(), target), counts(live_only.port(), target)) << target;
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

}  // namespace
}  // namespace lupa::testing
