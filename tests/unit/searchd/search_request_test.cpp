#include "lupa/searchd/search_request.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "lupa/analyzers/schema.h"

namespace lupa::searchd {
namespace {

std::string repeat(const std::string& piece, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

TEST(SearchRequest, DefaultsWhenNothingIsGiven) {
  const SearchRequest request = parse_search_request({});
  EXPECT_EQ(request.query, "");
  EXPECT_TRUE(request.filters.empty());
  EXPECT_EQ(request.page, 1);
  EXPECT_EQ(request.per_page, 10);
}

TEST(SearchRequest, ReadsQueryPageAndPerPage) {
  const SearchRequest request =
      parse_search_request({{"q", "rendición de cuentas"}, {"page", "3"}, {"per_page", "25"}});
  EXPECT_EQ(request.query, "rendición de cuentas");
  EXPECT_EQ(request.page, 3);
  EXPECT_EQ(request.per_page, 25);
}

TEST(SearchRequest, AcceptsTheLimitsThemselves) {
  const SearchRequest highest = parse_search_request(
      {{"page", std::to_string(kMaxPage)}, {"per_page", std::to_string(kMaxPerPage)}});
  EXPECT_EQ(highest.page, 10'000);
  EXPECT_EQ(highest.per_page, 100);
  const SearchRequest lowest = parse_search_request({{"page", "1"}, {"per_page", "1"}});
  EXPECT_EQ(lowest.page, 1);
  EXPECT_EQ(lowest.per_page, 1);
}

struct BadCase {
  const char* name;
  QueryParameters parameters;
  std::string parameter;  ///< the one the message must name
  friend void PrintTo(const BadCase& c, std::ostream* out) { *out << c.name; }
};

class BadRequests : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadRequests, AreRejectedNamingTheParameter) {
  try {
    parse_search_request(GetParam().parameters);
    FAIL() << "no BadRequest for " << GetParam().name;
  } catch (const BadRequest& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("`" + GetParam().parameter + "`"), std::string::npos) << message;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Parameters, BadRequests,
    ::testing::Values(
        BadCase{"page_zero", {{"page", "0"}}, "page"},
        BadCase{"page_negative", {{"page", "-1"}}, "page"},
        BadCase{"page_too_high", {{"page", "10001"}}, "page"},
        BadCase{"page_huge", {{"page", "99999999999999999999"}}, "page"},
        BadCase{"page_letters", {{"page", "abc"}}, "page"},
        BadCase{"page_fraction", {{"page", "1.5"}}, "page"},
        BadCase{"page_trailing_letters", {{"page", "2x"}}, "page"},
        BadCase{"page_space", {{"page", " 2"}}, "page"},
        BadCase{"page_plus", {{"page", "+2"}}, "page"},
        BadCase{"page_empty", {{"page", ""}}, "page"},
        BadCase{"per_page_zero", {{"per_page", "0"}}, "per_page"},
        BadCase{"per_page_too_high", {{"per_page", "101"}}, "per_page"},
        BadCase{"per_page_letters", {{"per_page", "ten"}}, "per_page"},
        BadCase{"q_too_long_ascii", {{"q", std::string(1001, 'a')}}, "q"},
        BadCase{"q_too_long_enye", {{"q", repeat("ñ", 1001)}}, "q"},
        BadCase{"q_invalid_utf8", {{"q", "informaci\xF3n"}}, "q"},
        BadCase{"q_overlong_utf8", {{"q", "a\xC0\xAF"}}, "q"},
        BadCase{"plan_invalid_utf8", {{"plan", "mx-2011\xFF"}}, "plan"},
        BadCase{"lang_truncated_utf8", {{"lang", "es\xC3"}}, "lang"},
        BadCase{"sort_unknown", {{"sort", "date"}}, "sort"},
        BadCase{"sort_upper_case", {{"sort", "Newest"}}, "sort"},
        BadCase{"from_letters", {{"from", "last year"}}, "from"},
        BadCase{"from_month_13", {{"from", "2019-13"}}, "from"},
        BadCase{"from_february_30", {{"from", "2019-02-30"}}, "from"},
        BadCase{"from_not_a_leap_year", {{"from", "2019-02-29"}}, "from"},
        BadCase{"from_with_time", {{"from", "2019-01-01T00:00"}}, "from"},
        BadCase{"from_short_year", {{"from", "19"}}, "from"},
        BadCase{"to_day_without_zero", {{"to", "2019-1-5"}}, "to"},
        BadCase{"to_trailing_slash", {{"to", "2019/"}}, "to"},
        BadCase{"from_after_to", {{"from", "2021"}, {"to", "2019-12-31"}}, "from"},
        // The first bad parameter is the one named, whatever comes after it.
        BadCase{"second_of_two_bad", {{"q", "ok"}, {"per_page", "0"}, {"page", "0"}}, "per_page"}),
    [](const ::testing::TestParamInfo<BadCase>& case_info) {
      return std::string(case_info.param.name);
    });

TEST(SearchRequest, ReadsTheSortOrder) {
  EXPECT_EQ(parse_search_request({}).sort, SortOrder::kRelevance);
  EXPECT_EQ(parse_search_request({{"sort", "newest"}}).sort, SortOrder::kNewest);
  EXPECT_EQ(parse_search_request({{"sort", "oldest"}}).sort, SortOrder::kOldest);
  EXPECT_EQ(parse_search_request({{"sort", "relevance"}}).sort, SortOrder::kRelevance);
  EXPECT_EQ(parse_search_request({{"sort", ""}}).sort, SortOrder::kRelevance)
      << "an empty form field is no choice";
}

TEST(SearchRequest, AnUnknownSortNamesTheValidOrders) {
  try {
    parse_search_request({{"sort", "date"}});
    FAIL() << "no BadRequest";
  } catch (const BadRequest& error) {
    EXPECT_STREQ(error.what(), "Parameter `sort` must be relevance, newest or oldest, not 'date'");
  }
}

TEST(SearchRequest, ADateRangeCoversWholeYearsAndMonthsInclusively) {
  const SearchRequest years = parse_search_request({{"from", "2011"}, {"to", "2013"}});
  ASSERT_TRUE(years.from && years.to);
  EXPECT_EQ(years.from->day, 20110101);
  EXPECT_EQ(years.to->day, 20131231);
  EXPECT_EQ(years.from->as_given, "2011");
  const SearchRequest months = parse_search_request({{"from", "2019-12"}, {"to", "2020-02"}});
  EXPECT_EQ(months.from->day, 20191201);
  EXPECT_EQ(months.to->day, 20200229) << "2020 is a leap year";
  const SearchRequest days = parse_search_request({{"from", "2019-12-05"}, {"to", "2019-12-05"}});
  EXPECT_EQ(days.from->day, 20191205);
  EXPECT_EQ(days.to->day, 20191205) << "one day is a range";
  const SearchRequest open = parse_search_request({{"from", ""}, {"to", "2015"}});
  EXPECT_FALSE(open.from.has_value()) << "an empty form field is no bound";
  EXPECT_EQ(open.to->day, 20151231);
}

TEST(SearchRequest, AFromAfterTheToSaysBoth) {
  try {
    parse_search_request({{"from", "2021"}, {"to", "2019"}});
    FAIL() << "no BadRequest";
  } catch (const BadRequest& error) {
    EXPECT_STREQ(error.what(), "Parameter `from` (2021) is after `to` (2019)");
  }
}

TEST(SearchRequest, QueryLengthCountsCharactersNotBytes) {
  // 1000 "ñ" are 2000 bytes but 1000 characters: allowed.
  const std::string thousand = repeat("ñ", kMaxQueryCharacters);
  ASSERT_EQ(thousand.size(), 2000u);
  EXPECT_EQ(parse_search_request({{"q", thousand}}).query, thousand);
  const std::string emoji = repeat("\xF0\x9F\x98\x80", kMaxQueryCharacters);
  EXPECT_EQ(parse_search_request({{"q", emoji}}).query, emoji);
  EXPECT_EQ(parse_search_request({{"q", std::string(1000, 'a')}}).query.size(), 1000u);
}

TEST(SearchRequest, RepeatedFiltersAreCollectedInOrder) {
  const SearchRequest request = parse_search_request({{"plan", "mx-2011-2013"},
                                                      {"lang", "es"},
                                                      {"plan", "mx-2019-2021"},
                                                      {"type", "action-plan"},
                                                      {"plan", "mx-2013-2015"}});
  ASSERT_EQ(request.filters.size(), 3u);
  EXPECT_EQ(request.filters.at("plan"),
            (std::vector<std::string>{"mx-2011-2013", "mx-2019-2021", "mx-2013-2015"}));
  EXPECT_EQ(request.filters.at("lang"), (std::vector<std::string>{"es"}));
  EXPECT_EQ(request.filters.at("type"), (std::vector<std::string>{"action-plan"}));
}

TEST(SearchRequest, EveryFacetIsAFilterParameter) {
  const SearchRequest request = parse_search_request({{"plan", "p"},
                                                      {"type", "t"},
                                                      {"lang", "l"},
                                                      {"kind", "k"},
                                                      {"country", "c"},
                                                      {"year", "2019"}});
  EXPECT_EQ(request.filters.size(), 6u);
}

TEST(SearchRequest, TheFilterParametersAreTheFacetsOfTheTableGiven) {
  std::vector<schema::Facet> table;
  for (const schema::Facet& facet : schema::kFacets)
    if (facet.name != "agency") table.push_back(facet);
  schema::Facet decade = table.front();
  decade.name = "decade";
  table.push_back(decade);
  const SearchRequest request =
      parse_search_request({{"agency", "SFP"}, {"decade", "2010s"}, {"plan", "p"}}, table);
  EXPECT_FALSE(request.filters.contains("agency"));
  EXPECT_EQ(request.filters.at("decade"), (std::vector<std::string>{"2010s"}));
  EXPECT_EQ(request.filters.at("plan"), (std::vector<std::string>{"p"}));
}

TEST(SearchRequest, EmptyFilterValuesAreIgnored) {
  const SearchRequest request = parse_search_request({{"plan", ""}, {"lang", "en"}});
  EXPECT_FALSE(request.filters.contains("plan"));
  EXPECT_EQ(request.filters.at("lang"), (std::vector<std::string>{"en"}));
}

TEST(SearchRequest, UnknownParametersAreIgnored) {
  const SearchRequest request = parse_search_request({{"utm_source", "newsletter"},
                                                      {"callback", "x"},
                                                      {"Plan", "mx-2011-2013"},
                                                      {"q", "datos"},
                                                      {"pages", "0"},
                                                      {"order", "date"}});
  EXPECT_EQ(request.query, "datos");
  EXPECT_TRUE(request.filters.empty());
  EXPECT_EQ(request.page, 1);
}

TEST(SearchRequest, LaterValuesOfQueryAndPageWin) {
  const SearchRequest request =
      parse_search_request({{"q", "uno"}, {"q", "dos"}, {"page", "2"}, {"page", "4"}});
  EXPECT_EQ(request.query, "dos");
  EXPECT_EQ(request.page, 4);
}

}  // namespace
}  // namespace lupa::searchd
