// End to end: the bundled corpus indexed with `lupa-indexer --shards 3` and served from the three
// shards answers every query as the same corpus indexed into one database does; a re-indexed
// shard is seen by the running daemon.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "lupa/analyzers/passage_record.h"
#include "lupa/analyzers/schema.h"
#include "lupa/indexer/shard_layout.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/test_index.h"

namespace lupa::testing {
namespace {

namespace fs = std::filesystem;

RunResult index_corpus(const fs::path& database, const std::vector<std::string>& more,
                       const fs::path& corpus, const std::map<std::string, std::string>& env = {}) {
  std::vector<std::string> arguments{"--quiet", "--ocr-cache", LUPA_TEST_OCR_CACHE, "--db",
                                     database.string()};
  arguments.insert(arguments.end(), more.begin(), more.end());
  arguments.push_back(corpus.string());
  return run_program(program("lupa-indexer"), arguments, env);
}

// Queries with filters, sorts, date ranges and paging over the bundled corpus; each is asked of
// both daemons.
const std::vector<std::string>& queries() {
  static const std::vector<std::string> all = {
      "q=transparencia",
      "q=transparencia&lang=es",
      "q=transparency&lang=en",
      "q=datos+abiertos",
      "q=%22datos+abiertos%22&kind=commitment",
      "q=open+data&type=action-plan",
      "q=corrupci%C3%B3n",
      "q=anticorrupci%C3%B3n&agency=mx-sfp",
      "q=participaci%C3%B3n+ciudadana&plan=mx-2019-2021",
      "q=participaci%C3%B3n+ciudadana&plan=mx-2011-2013",
      "q=presupuesto&challenge=public-integrity",
      "q=contrataciones+abiertas",
      "q=rendici%C3%B3n+de+cuentas&year=2012",
      "q=gobierno+abierto&from=2011&to=2013",
      "q=gobierno+abierto&sort=newest",
      "q=gobierno+abierto&sort=oldest&lang=es",
      "q=sociedad+civil&page=2",
      "q=sociedad+civil&per_page=100",
      "q=self-assessment&type=self-assessment",
      "q=compromiso&kind=commitment&per_page=50",
      "q=agency%3ASFP",
      "q=plan%3Amx-2019-2021+datos",
      "q=(datos+abiertos+OR+%22open+data%22)+responsible%3ASFP",
      "q=acceso+a+la+informaci%C3%B3n&country=mx",
      "q=Alianza+para+el+Gobierno+Abierto",
      "q=salud&lang=es&year=2016",
      "q=-transparencia&kind=commitment",
      "q=transparen*",
      "q=medio+ambiente+OR+agua",
      "q=mecanismo+de+seguimiento&agency=mx-sfp&agency=mx-shcp",
      "q=IRM&lang=en",
      "q=commitment%3AMX0085",
      "q=pol%C3%ADtica+de+datos&status=TC",
      "q=informe&from=2015-01&to=2016-12&sort=newest",
      // Browses: every passage weighs the same, the order is the sort's alone.
      "q=&sort=newest",
      "q=&sort=oldest&lang=en",
      "q=&kind=commitment&sort=newest",
  };
  return all;
}

// A response as text, hits aside: the total, every facet's counts, corrections and the rest;
// the time taken is left out.
std::string everything_but_hits(const HttpReply& reply) {
  if (reply.status != 200) return "status " + std::to_string(reply.status) + ": " + reply.body;
  Poco::JSON::Object::Ptr body = reply.json();
  body->remove("took_ms");
  body->remove("hits");
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(body, out, 1);
  return out.str();
}

// Every hit of a search over all its pages, in order: its id, and all that is shown of it but
// its rank, its score to the last bit (weights on Lupa's grid add up alike in any order).
struct ShownHit {
  std::string id;
  std::string shown;
};
std::vector<ShownHit> every_hit(unsigned short port, const std::string& query) {
  // The query's own page and page size are left out: all of them are wanted.
  std::string base;
  std::istringstream parameters(query);
  for (std::string parameter; std::getline(parameters, parameter, '&');)
    if (!parameter.starts_with("page=") && !parameter.starts_with("per_page="))
      base += (base.empty() ? "" : "&") + parameter;
  std::vector<ShownHit> hits;
  for (int page = 1;; ++page) {
    const HttpReply reply = http_get(
        port, "/api/search?" + base + "&facets=false&per_page=100&page=" + std::to_string(page));
    if (reply.status != 200) return hits;
    const auto body = reply.json();
    const auto page_hits = body->getArray("hits");
    for (unsigned i = 0; i < page_hits->size(); ++i) {
      Poco::JSON::Object::Ptr hit = page_hits->getObject(i);
      ShownHit shown{hit->getValue<std::string>("id"), ""};
      hit->remove("rank");
      std::ostringstream out;
      Poco::JSON::Stringifier::stringify(hit, out);
      shown.shown = out.str();
      hits.push_back(std::move(shown));
    }
    if (page * 100 >= body->getValue<int>("total")) return hits;
  }
}

// Every field of each passage both list, by id.
std::map<std::string, std::string> shown_by_id(const std::vector<ShownHit>& hits,
                                               const std::vector<ShownHit>& other) {
  std::set<std::string> in_other;
  for (const ShownHit& hit : other) in_other.insert(hit.id);
  std::map<std::string, std::string> shown;
  for (const ShownHit& hit : hits)
    if (in_other.contains(hit.id)) shown.emplace(hit.id, hit.shown);
  return shown;
}

bool same_order(const std::vector<ShownHit>& a, const std::vector<ShownHit>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].id != b[i].id) return false;
  return true;
}

class ShardedCorpus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    const RunResult one = index_corpus(dir_->path() / "one", {}, corpus_dir());
    ASSERT_EQ(one.exit_code, 0) << one.err;
    const RunResult three = index_corpus(dir_->path() / "three", {"--shards", "3"}, corpus_dir());
    ASSERT_EQ(three.exit_code, 0) << three.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static fs::path shard(int k) { return dir_->path() / "three" / ("shard-" + std::to_string(k)); }
  static inline TempDir* dir_ = nullptr;
};

TEST_F(ShardedCorpus, EveryQueryIsAnsweredAsByOneDatabase) {
  for (int k = 0; k < 3; ++k)
    EXPECT_GT(Xapian::Database(shard(k).string()).get_doccount(), 0u) << "shard-" << k;
  EXPECT_EQ(Xapian::Database((dir_->path() / "three").string()).get_doccount(),
            Xapian::Database((dir_->path() / "one").string()).get_doccount());

  const SearchDaemon single(dir_->path() / "one");
  const SearchDaemon sharded(shard(0), {"--db", shard(1).string(), "--db", shard(2).string()});
  ASSERT_GE(queries().size(), 30u);
  int with_hits = 0;
  for (const std::string& query : queries()) {
    const HttpReply expected = http_get(single.port(), "/api/search?" + query);
    ASSERT_EQ(expected.status, 200) << query << ": " << expected.body;
    EXPECT_EQ(everything_but_hits(http_get(sharded.port(), "/api/search?" + query)),
              everything_but_hits(expected))
        << query;
    const std::vector<ShownHit> hits = every_hit(single.port(), query);
    const std::vector<ShownHit> sharded_hits = every_hit(sharded.port(), query);
    with_hits += !hits.empty();
    // Every hit, in the same order, with the same score, snippet and fields.
    EXPECT_TRUE(same_order(sharded_hits, hits)) << query;
    EXPECT_EQ(shown_by_id(sharded_hits, hits), shown_by_id(hits, sharded_hits)) << query;
  }
  EXPECT_GE(with_hits, 30);
  for (const std::string& target : {std::string("/api/facets"), std::string("/api/facets?lang=en")})
    EXPECT_EQ(everything_but_hits(http_get(sharded.port(), target)),
              everything_but_hits(http_get(single.port(), target)))
        << target;

  // The layout's folder given once: the daemon reads its stub and serves each shard it names.
  const SearchDaemon layout(dir_->path() / "three");
  for (const std::string& query : queries()) {
    EXPECT_EQ(everything_but_hits(http_get(layout.port(), "/api/search?" + query)),
              everything_but_hits(http_get(sharded.port(), "/api/search?" + query)))
        << query;
    EXPECT_TRUE(same_order(every_hit(layout.port(), query), every_hit(sharded.port(), query)))
        << query;
  }
}

TEST(ShardedIndex, AReIndexedShardIsSeenByTheRunningDaemonAndOnlyItChanges) {
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  fs::copy(corpus_dir(), corpus, fs::copy_options::recursive);
  const fs::path layout = dir.path() / "index";
  ASSERT_EQ(index_corpus(layout, {"--shards", "3"}, corpus).exit_code, 0);
  const auto shard = [&](std::size_t k) { return layout / ("shard-" + std::to_string(k)); };
  const SearchDaemon daemon(shard(0), {"--db", shard(1).string(), "--db", shard(2).string()});
  const auto total_of = [&](const std::string& query) {
    return http_get(daemon.port(), "/api/search?" + query).json()->getValue<int>("total");
  };
  const int passages = total_of("q=");
  ASSERT_EQ(total_of("q=ornitorrinco"), 0);
  std::vector<Xapian::rev> before;
  for (std::size_t k = 0; k < 3; ++k)
    before.push_back(Xapian::Database(shard(k).string()).get_revision());

  dir.write("corpus/nota-ornitorrinco.txt",
            "Nota\n\nEl ornitorrinco de la consulta pública llegó tarde a la mesa de trabajo.\n");
  const RunResult again = index_corpus(layout, {}, corpus);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(total_of("q=ornitorrinco"), 1);
  EXPECT_EQ(total_of("q="), passages + 1);
  const std::size_t changed = indexer::shard_of("nota-ornitorrinco.txt", 3);
  for (std::size_t k = 0; k < 3; ++k) {
    const Xapian::rev now = Xapian::Database(shard(k).string()).get_revision();
    if (k == changed) {
      EXPECT_GT(now, before[k]) << "shard-" << k;
    } else if (k != 0) {  // shard 0 takes new accented spelling words too
      EXPECT_EQ(now, before[k]) << "shard-" << k << " changed";
    }
  }
  EXPECT_TRUE(daemon.running());
}

TEST(ShardedIndex, ARunKilledBetweenTwoShardsCommitsIsMadeWholeByTheNext) {
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  fs::copy(corpus_dir(), corpus, fs::copy_options::recursive);
  const fs::path layout = dir.path() / "index";
  ASSERT_EQ(index_corpus(layout, {"--shards", "3"}, corpus).exit_code, 0);

  // A copy of a document of another shard, in shard 0, the one committed before the kill: the
  // original's passages join the copy's groups in a shard the killed run did not commit.
  const std::string original = "mx-2019-2021-action-plan-summary.txt";
  ASSERT_NE(indexer::shard_of(original, 3), 0u);
  std::string copy;
  for (int i = 0; copy.empty(); ++i)
    if (const std::string name = "copies/copy-" + std::to_string(i) + ".txt";
        indexer::shard_of(name, 3) == 0)
      copy = name;
  fs::create_directories(corpus / "copies");
  fs::copy_file(corpus / original, corpus / copy);
  const RunResult killed =
      index_corpus(layout, {}, corpus, {{"LUPA_INDEXER_TEST_KILL_BETWEEN_SHARD_COMMITS", "1"}});
  EXPECT_NE(killed.exit_code, 0);
  EXPECT_TRUE(fs::exists(layout / "commit-in-progress"));
  const std::size_t in_index = Xapian::Database(layout.string()).get_doccount();  // opens whole

  const fs::path fresh = dir.path() / "fresh";
  ASSERT_EQ(index_corpus(fresh, {"--shards", "3"}, corpus).exit_code, 0);
  EXPECT_GT(Xapian::Database(fresh.string()).get_doccount(), 0u);
  EXPECT_EQ(in_index, Xapian::Database(fresh.string()).get_doccount());
  ASSERT_NE(passages_by_id(layout), passages_by_id(fresh));

  const RunResult next = index_corpus(layout, {}, corpus);
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_FALSE(fs::exists(layout / "commit-in-progress"));
  EXPECT_EQ(passages_by_id(layout), passages_by_id(fresh));
}

}  // namespace
}  // namespace lupa::testing
