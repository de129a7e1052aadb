// A query's match split across threads (SplitMatchOptions, MatchPartners): the same answer as
// one thread's match, to the last bit of every score, under concurrent requests too.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <future>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "lupa/searchd/facet_counter.h"
#include "lupa/searchd/match_partners.h"
#include "lupa/searchd/search_service.h"
#include "support/shards.h"
#include "support/temp_dir.h"
#include "support/test_index.h"

namespace lupa::searchd {
namespace {

using lupa::testing::TempDir;

TEST(MatchPartnersTest, RunsEachTaskOnAPartnerThreadAndSaysWhenItIsDone) {
  MatchPartners partners(2);
  MatchPartners::Lease lease = partners.borrow(5);
  ASSERT_EQ(lease.size(), 2u);
  std::thread::id first;
  std::thread::id second;
  std::future<void> one = lease.run([&first] { first = std::this_thread::get_id(); });
  std::future<void> two = lease.run([&second] { second = std::this_thread::get_id(); });
  EXPECT_EQ(lease.size(), 0u);
  EXPECT_THROW(lease.run([] {}), std::logic_error);
  one.get();
  two.get();
  EXPECT_NE(first, std::thread::id());
  EXPECT_NE(first, std::this_thread::get_id());
  EXPECT_NE(second, std::this_thread::get_id());
}

TEST(MatchPartnersTest, LendsOnlyIdlePartnersAndTakesThemBackWhenDoneOrUnused) {
  MatchPartners partners(2);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  MatchPartners::Lease first = partners.borrow(1);
  ASSERT_EQ(first.size(), 1u);
  std::future<void> busy = first.run([released] { released.wait(); });
  {
    MatchPartners::Lease unused = partners.borrow(2);
    EXPECT_EQ(unused.size(), 1u);              // one is busy
    EXPECT_EQ(partners.borrow(1).size(), 0u);  // and the other is lent
  }
  // The lease given back whole: its partner is idle again.
  EXPECT_EQ(partners.borrow(2).size(), 1u);
  release.set_value();
  busy.get();
  // Idle again by the time its task is said done.
  EXPECT_EQ(partners.borrow(2).size(), 2u);
}

TEST(MatchPartnersTest, WithoutPartnersNothingIsLent) {
  MatchPartners none(0);
  EXPECT_EQ(none.threads(), 0u);
  EXPECT_EQ(none.borrow(3).size(), 0u);
}

TEST(MatchPartnersTest, WhatTheTaskThrowsReachesTheRequester) {
  MatchPartners partners(1);
  MatchPartners::Lease lease = partners.borrow(1);
  std::future<void> done = lease.run([] { throw std::runtime_error("the partner's part failed"); });
  EXPECT_THROW(done.get(), std::runtime_error);
  EXPECT_EQ(partners.borrow(1).size(), 1u);
}

TEST(MatchPartnersTest, StoppingWaitsForTheTasksGiven) {
  std::atomic<int> finished = 0;
  {
    MatchPartners partners(2);
    MatchPartners::Lease lease = partners.borrow(2);
    for (int i = 0; i < 2; ++i)
      lease.run([&finished] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        ++finished;
      });
  }
  EXPECT_EQ(finished.load(), 2);
}

TEST(FacetCounterAbsorbTest, RefusesACounterOfAnotherMatch) {
  const schema::FacetTable table = schema::standard_facets();
  std::vector<bool> every(table.size(), true);
  std::vector<bool> none(table.size(), false);
  FacetCounter counting(table, every);
  FacetCounter other_facets(table, none);
  EXPECT_THROW(counting.absorb(std::move(other_facets)), std::logic_error);
  FacetCounter collapsed(table, every, schema::kSlotShownOnce);
  EXPECT_THROW(counting.absorb(std::move(collapsed)), std::logic_error);
  MatchCounter plain;
  EXPECT_THROW(plain.absorb(MatchCounter(schema::kSlotShownOnce)), std::logic_error);
}

// A corpus of some hundred passages in both languages, with near-duplicates (the same report
// in two folders) and translations, so that matches collapse and every facet has values; with
// `copies`, every report is in as many more folders.
void write_corpus(const TempDir& dir, int copies = 0) {
  const std::vector<std::string> spanish = {
      "transparencia",        "presupuesto", "datos abiertos", "contrataciones", "participación",
      "rendición de cuentas", "corrupción",  "salud",          "educación",      "municipios"};
  const std::vector<std::string> english = {
      "transparency",   "budget",     "open data", "procurement", "participation",
      "accountability", "corruption", "health",    "education",   "municipalities"};
  const std::vector<std::string> countries = {"mx", "co", "ke", "es", "cl"};
  std::string manifest = R"({"format": "lupa-manifest/1", "documents": [)";
  unsigned state = 7;
  const auto next = [&state](std::size_t below) {
    state = state * 1103515245u + 12345u;
    return static_cast<std::size_t>((state >> 16) % below);
  };
  for (int file = 0; file < 24; ++file) {
    const bool in_spanish = file % 2 == 0;
    const auto& words = in_spanish ? spanish : english;
    std::string text = in_spanish ? "Plan de acción\n\n" : "Action plan\n\n";
    for (int paragraph = 1; paragraph <= 8; ++paragraph) {
      text += std::to_string(paragraph) + ". ";
      for (int word = 0; word < 12; ++word) {
        text += words[next(words.size())];
        text += word % 4 == 3 ? ". " : " ";
      }
      text += "\n\n";
    }
    const std::string name = "doc-" + std::to_string(file) + ".txt";
    dir.write("corpus/" + name, text);
    if (file % 6 == 0) dir.write("corpus/copies/" + name, text);  // near-duplicates
    for (int copy = 1; copy <= copies; ++copy)
      dir.write("corpus/copy-" + std::to_string(copy) + "/" + name, text);
    if (file > 0) manifest += ",";
    manifest += R"({"file": ")" + name + R"(", "country": ")" + countries[file % 5] +
                R"(", "type": ")" + (file % 3 == 0 ? "action-plan" : "irm-report") +
                R"(", "languages": [")" + (in_spanish ? "es" : "en") + R"("], "date": ")" +
                std::to_string(2012 + file % 9) + R"("})";
  }
  dir.write("corpus/manifest.json", manifest + "]}");
}

// Everything an answer says but the time it took.
std::string described(const SearchResult& result) {
  std::string text = "total " + std::to_string(result.total) + " collapsed " +
                     std::to_string(result.collapsed) + "\n";
  for (const Hit& hit : result.hits) {
    char score[64];
    std::snprintf(score, sizeof score, "%a", hit.score);  // every bit
    text += std::to_string(hit.rank) + " " + hit.record.id + " " + score + " +" +
            std::to_string(hit.collapsed) + " " + hit.snippet + "\n";
  }
  for (const Facet& facet : result.facets) {
    text += facet.name + ":";
    for (const FacetValue& value : facet.values)
      text += " " + value.value + "=" + std::to_string(value.count);
    text += "\n";
  }
  return text;
}

// described(), with scores to nine digits: a match over shards adds a passage's term weights in
// another order than one over a single database, which may change their last bits.
std::string described_to_nine_digits(const SearchResult& result) {
  SearchResult rounded = result;
  for (Hit& hit : rounded.hits) {
    char score[64];
    std::snprintf(score, sizeof score, "%.9g", hit.score);
    hit.score = std::stod(score);
  }
  return described(rounded);
}

class SplitMatchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    write_corpus(*dir_);
    lupa::testing::index_folders(*dir_ / "db", {*dir_ / "corpus"});
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static SearchService service(Xapian::doccount split_from, std::size_t partners = 1) {
    SplitMatchOptions split;
    split.from_passages = split_from;
    split.partners = partners;
    return SearchService({*dir_ / "db"}, RankingOptions{}, schema::standard_facets(), {}, split);
  }

  static std::vector<SearchRequest> requests() {
    std::vector<SearchRequest> all;
    const auto add = [&all](std::string query,
                            std::map<std::string, std::vector<std::string>> filters = {},
                            int page = 1, int per_page = 10, bool facets = true) {
      SearchRequest request;
      request.query = std::move(query);
      request.filters = std::move(filters);
      request.page = page;
      request.per_page = per_page;
      request.count_facets = facets;
      all.push_back(std::move(request));
    };
    for (const std::string query :
         {"transparencia", "presupuesto salud", "open data", "accountability budget",
          "\"datos abiertos\"", "corrupción -salud", "transparancy", "education municipios"}) {
      add(query);
      add(query, {}, 2, 7);
      add(query, {}, 1, 100);
      add(query, {{"lang", {"es"}}});
      add(query, {{"country", {"mx", "co"}}}, 1, 10, false);
    }
    return all;
  }

  static inline TempDir* dir_ = nullptr;
};

TEST_F(SplitMatchTest, ASplitMatchAnswersAsOneThreadDoesToTheLastBitOfEveryScore) {
  const SearchService whole = service(0);
  const SearchService split = service(1);
  for (const SearchRequest& request : requests()) {
    const SearchResult one = whole.search(request);
    EXPECT_EQ(described(split.search(request)), described(one))
        << request.query << " page " << request.page;
  }
  EXPECT_EQ(whole.health().matches_split, 0u);
  // Every request above was split (each has words and is ordered by relevance), some more
  // than once (a misspelling's query as typed, then corrected).
  EXPECT_GE(split.health().matches_split, requests().size());
  const std::uint64_t before = split.health().matches_split;
  split.search(requests().front());
  EXPECT_EQ(split.health().matches_split, before + 1);
  const SearchResult transparency = whole.search(requests().front());
  EXPECT_GT(transparency.total, 10u);
  EXPECT_GT(transparency.collapsed, 0u);
}

TEST_F(SplitMatchTest, AMatchSplitInFourPartsAnswersAsOneThreadDoes) {
  const SearchService whole = service(0);
  const SearchService split = service(1, 3);
  for (const SearchRequest& request : requests())
    EXPECT_EQ(described(split.search(request)), described(whole.search(request)))
        << request.query << " page " << request.page;
  EXPECT_GE(split.health().matches_split, requests().size());
}

TEST_F(SplitMatchTest, AnIndexSmallerThanTheThresholdIsMatchedWhole) {
  const SearchService split = service(1'000'000);
  split.search(requests().front());
  EXPECT_EQ(split.health().matches_split, 0u);
}

TEST_F(SplitMatchTest, ConcurrentRequestsGetTheAnswersOfOneAtATime) {
  const SearchService whole = service(0);
  const SearchService split = service(1);
  const std::vector<SearchRequest> all = requests();
  std::vector<std::string> expected;
  for (const SearchRequest& request : all) expected.push_back(described(whole.search(request)));
  std::vector<std::thread> clients;
  std::atomic<int> differing = 0;
  for (int client = 0; client < 3; ++client)
    clients.emplace_back([&, client] {
      for (int round = 0; round < 3; ++round)
        for (std::size_t i = 0; i < all.size(); ++i) {
          const std::size_t which = (i + static_cast<std::size_t>(client) * 7) % all.size();
          if (described(split.search(all[which])) != expected[which]) ++differing;
        }
    });
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(differing.load(), 0);
}

// On one database the page and the counters collapse from the facet codes, Xapian not; over
// shards, which have no codes, Xapian collapses. Where most passages have four copies, the
// first ranks asked for hold too few keys, and longer matches are read: the same pages.
TEST(CollapseByCodesTest, PagesOfCopiesAreThoseOfXapiansCollapsing) {
  const TempDir dir;
  write_corpus(dir, 3);
  lupa::testing::index_folders(dir / "db", {dir / "corpus"});
  lupa::testing::split_by_path(dir / "db", {dir / "shard-0", dir / "shard-1"});
  const auto service = [&](std::vector<std::filesystem::path> databases,
                           Xapian::doccount split_from) {
    SplitMatchOptions split;
    split.from_passages = split_from;
    split.partners = 1;
    return SearchService(std::move(databases), RankingOptions{}, schema::standard_facets(), {},
                         split);
  };
  const SearchService whole = service({dir / "db"}, 0);
  const SearchService split = service({dir / "db"}, 1);
  const SearchService shards = service({dir / "shard-0", dir / "shard-1"}, 0);
  for (const std::string query : {"transparencia", "open data", "presupuesto salud"}) {
    for (const int page : {1, 2, 3}) {
      SearchRequest request;
      request.query = query;
      request.page = page;
      const SearchResult one = whole.search(request);
      EXPECT_EQ(described_to_nine_digits(one), described_to_nine_digits(shards.search(request)))
          << query << " page " << page;
      EXPECT_EQ(described(split.search(request)), described(one)) << query << " page " << page;
      if (page == 1) {
        EXPECT_GT(one.collapsed, 3 * one.hits.size()) << query;
      }
    }
  }
}

}  // namespace
}  // namespace lupa::searchd
