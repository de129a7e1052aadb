// End to end: the date each passage is about, sorting by it and date ranges, through the real
// indexer and daemon on the bundled corpus. Expected values are read from the corpus files and
// the answers' own facet counts, not from the code under test.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "lupa/analyzers/passage_date.h"
#include "support/http_client.h"
#include "support/search_api.h"
#include "support/temp_dir.h"

namespace lupa::testing {
namespace {

using Poco::JSON::Object;

CorpusServer& server() {
  return CorpusServer::instance();
}

// The first day of a hit's passage_date, YYYYMMDD; fails the test when it has none.
int first_day_of(const Object::Ptr& hit) {
  const auto date = schema::PassageDate::parse(hit->optValue<std::string>("passage_date", ""));
  EXPECT_TRUE(date.has_value()) << hit->getValue<std::string>("id");
  return date ? *schema::first_day(date->start) : 0;
}

std::vector<int> first_days(const std::vector<Object::Ptr>& hits) {
  std::vector<int> days;
  for (const auto& hit : hits) days.push_back(first_day_of(hit));
  return days;
}

int year_counts_between(const Object::Ptr& result, int first, int last) {
  int sum = 0;
  for (const auto& [year, count] : facet_counts(result, "year"))
    if (std::stoi(year) >= first && std::stoi(year) <= last) sum += count;
  return sum;
}

TEST(DatesE2E, NewestSortsHitsByNonIncreasingDateAndOldestByNonDecreasing) {
  const std::string query = "q=" + url_encode("transparencia");
  const auto newest = server().all_hits(query + "&sort=newest");
  const auto oldest = server().all_hits(query + "&sort=oldest");
  ASSERT_GT(newest.size(), 20u);
  ASSERT_EQ(newest.size(), oldest.size());
  const std::vector<int> down = first_days(newest), up = first_days(oldest);
  EXPECT_TRUE(std::is_sorted(down.rbegin(), down.rend()));
  EXPECT_TRUE(std::is_sorted(up.begin(), up.end()));
  EXPECT_EQ(down.front(), up.back());
  EXPECT_EQ(up.front() / 10000, 2011) << "Mexico's first plan";
  EXPECT_GE(down.front() / 10000, 2019);
  EXPECT_EQ(server().search(query + "&sort=newest")->getValue<std::string>("sort"), "newest");
  EXPECT_EQ(server().search(query)->getValue<std::string>("sort"), "relevance");
  // Relevance orders otherwise: its first ten are not by date.
  const std::vector<int> relevance = first_days(server().all_hits(query));
  EXPECT_NE(relevance, down);
  EXPECT_NE(relevance, up);
}

TEST(DatesE2E, ARangeCountsWhatTheYearFacetCountsOverItsYears) {
  for (const std::string& query : {std::string("q="), "q=" + url_encode("transparencia")}) {
    const auto everything = server().search(query);
    for (const auto& [first, last] : {std::pair{2011, 2011}, {2012, 2016}, {2013, 2021}}) {
      const auto ranged =
          server().search(query + "&from=" + std::to_string(first) + "&to=" + std::to_string(last));
      EXPECT_EQ(total(ranged), year_counts_between(everything, first, last))
          << query << " " << first << "-" << last;
      EXPECT_EQ(year_counts_between(ranged, first, last), total(ranged)) << "counted under it";
      EXPECT_EQ(ranged->getValue<std::string>("from"), std::to_string(first));
      EXPECT_EQ(ranged->getValue<std::string>("to"), std::to_string(last));
      for (const auto& [year, count] : facet_counts(ranged, "year")) {
        EXPECT_GE(std::stoi(year), first) << year;
        EXPECT_LE(std::stoi(year), last) << year;
      }
    }
  }
  const auto unbounded = server().search("q=");
  EXPECT_TRUE(unbounded->isNull("from"));
  EXPECT_TRUE(unbounded->isNull("to"));
}

TEST(DatesE2E, ARangeIsInclusiveToTheDayAndCombinesWithFilters) {
  // The 2019-2021 summary (and a scan of it) are dated December 2019; their commitments are
  // about 2019-2021, which starts on 1 January: a December range holds their other passages.
  const auto december = server().all_hits("q=&from=2019-12&to=2019-12-31");
  ASSERT_FALSE(december.empty());
  std::set<std::string> documents;
  for (const auto& hit : december) {
    documents.insert(hit->getValue<std::string>("doc"));
    EXPECT_NE(hit->getValue<std::string>("kind"), "commitment");
    EXPECT_EQ(hit->getValue<std::string>("passage_date"), "2019-12");
  }
  EXPECT_TRUE(documents.contains("corpus/mx-2019-2021-action-plan-summary.txt"));
  const auto commitments = server().search("q=&kind=commitment&from=2019-01-01&to=2019-01-01");
  EXPECT_EQ(total(commitments), facet_counts(server().search("q=&kind=commitment"), "year")["2019"])
      << "every commitment of 2019-2021 starts on its first day";
  EXPECT_EQ(facet_counts(commitments, "kind")["commitment"], total(commitments));
}

TEST(DatesE2E, TheYearFacetCountsTheMemberPagesCommitmentsByTheirPlansYears) {
  // The page's own "MX0075, 2019, ..." lines, read here with a regex: the year each names.
  const std::string page = read_file(corpus_dir() / "mx-ogp-member-page.txt");
  const std::regex entry(R"(MX\d{4}, (\d{4}))");
  std::map<std::string, int> expected;
  for (std::sregex_iterator it(page.begin(), page.end(), entry), end; it != end; ++it)
    ++expected[(*it)[1]];
  ASSERT_EQ(expected.size(), 4u);
  const auto listed = server().search("q=&kind=commitment&type=ogp-web-page");
  ASSERT_EQ(total(listed), 87);
  EXPECT_EQ(facet_counts(listed, "year"), expected) << "not the page's own 2021";
  const std::map<std::string, std::string> period_of_year = {
      {"2011", "2011/2013"}, {"2013", "2013/2015"}, {"2016", "2016/2018"}, {"2019", "2019/2021"}};
  for (const auto& hit : server().all_hits("q=&kind=commitment&type=ogp-web-page"))
    EXPECT_EQ(hit->getValue<std::string>("passage_date"),
              period_of_year.at(hit->getValue<std::string>("passage_date").substr(0, 4)))
        << hit->getValue<std::string>("id");
  // The page's other passages are about its own date.
  const auto rest = server().search("q=&kind=paragraph&type=ogp-web-page");
  ASSERT_GT(total(rest), 0);
  EXPECT_EQ(facet_counts(rest, "year"), (std::map<std::string, int>{{"2021", total(rest)}}));
}

TEST(DatesE2E, ABadSortOrDateIsA400NamingTheParameter) {
  const std::map<std::string, std::string> bad = {{"sort=date", "`sort`"},
                                                  {"from=2019-13", "`from`"},
                                                  {"to=last%20week", "`to`"},
                                                  {"from=2019-02-29", "`from`"},
                                                  {"from=2021&to=2019", "`from`"}};
  for (const auto& [parameters, named] : bad)
    for (const std::string path : {"/api/search?q=agua&", "/api/export?format=csv&q=agua&"}) {
      const HttpReply reply = http_get(server().port(), path + parameters);
      EXPECT_EQ(reply.status, 400) << path << parameters;
      EXPECT_NE(reply.json()->getValue<std::string>("error").find(named), std::string::npos)
          << reply.body;
    }
  const HttpReply sort = http_get(server().port(), "/api/search?sort=date");
  EXPECT_NE(sort.body.find("relevance, newest or oldest"), std::string::npos) << sort.body;
}

TEST(DatesE2E, ExportsFollowTheSortAndTheRangeAndGiveEachPassagesDate) {
  const std::string query = "q=" + url_encode("gobierno") + "&sort=oldest&from=2012&to=2016";
  const HttpReply reply = http_get(server().port(), "/api/export?format=json&" + query);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto rows = Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Array::Ptr>();
  const auto hits = server().all_hits(query);
  ASSERT_EQ(rows->size(), hits.size());
  ASSERT_FALSE(hits.empty());
  for (unsigned i = 0; i < rows->size(); ++i) {
    EXPECT_EQ(rows->getObject(i)->getValue<std::string>("id"),
              hits[i]->getValue<std::string>("id"));
    EXPECT_EQ(rows->getObject(i)->getValue<std::string>("passage_date"),
              hits[i]->getValue<std::string>("passage_date"));
  }
}

TEST(DatesE2E, ThePageKeepsTheSortAndTheRangeInItsFormAndPager) {
  const HttpReply reply =
      http_get(server().port(), "/?ui=en&q=" + url_encode("gobierno") + "&sort=oldest&from=2012");
  ASSERT_EQ(reply.status, 200);
  EXPECT_NE(reply.body.find("<option value=\"oldest\" selected>"), std::string::npos);
  EXPECT_NE(reply.body.find("name=\"from\" type=\"text\""), std::string::npos);
  EXPECT_NE(reply.body.find("value=\"2012\""), std::string::npos);
  const std::size_t next = reply.body.find("rel=\"next\" href=\"");
  ASSERT_NE(next, std::string::npos);
  const std::string next_link = reply.body.substr(next, reply.body.find('"', next + 18) - next);
  EXPECT_NE(next_link.find("sort=oldest"), std::string::npos) << next_link;
  EXPECT_NE(next_link.find("from=2012"), std::string::npos) << next_link;
  const HttpReply bad = http_get(server().port(), "/?q=agua&sort=sideways");
  EXPECT_EQ(bad.status, 400);
}

}  // namespace
}  // namespace lupa::testing
