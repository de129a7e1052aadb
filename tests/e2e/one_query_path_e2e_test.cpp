// End to end: a search, its export (CSV and JSON) and its feed hold the same passages, from the
// real daemon serving the bundled corpus, also when the query is corrected ("did you mean"
// applied), relaxed (no passage has every word), collapsed (a paragraph and its translation
// are one hit) or filtered.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "support/http_client.h"
#include "support/search_api.h"

namespace lupa::testing {
namespace {

CorpusServer& server() {
  return CorpusServer::instance();
}

// The feed's cap on entries (docs/http-api.md).
constexpr std::size_t kFeedEntries = 50;

// The first cell of each line of a CSV export after its header: the passage ids (an id never
// holds a comma or a quote; a text with line breaks is quoted, so lines are read as RFC 4180).
std::vector<std::string> csv_ids(const std::string& body) {
  std::vector<std::string> ids;
  bool quoted = false, at_line_start = true, header = true;
  std::string cell;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (at_line_start) {
      const std::size_t end = body.find_first_of(",\r", i);
      if (!header) ids.push_back(body.substr(i, end - i));
      header = false;
      at_line_start = false;
    }
    if (c == '\n') at_line_start = true;
  }
  return ids;
}

std::vector<std::string> json_ids(const std::string& body) {
  std::vector<std::string> ids;
  const auto rows = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Array::Ptr>();
  for (std::size_t i = 0; i < rows->size(); ++i)
    ids.push_back(rows->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
  return ids;
}

std::vector<std::string> feed_ids(const std::string& body) {
  static const std::regex entry_id("<entry>\\s*<id>http://[^<]+/api/passages/([^<]+)</id>");
  std::vector<std::string> ids;
  for (std::sregex_iterator it(body.begin(), body.end(), entry_id), end; it != end; ++it)
    ids.push_back((*it)[1].str());
  return ids;
}

std::set<std::string> as_set(const std::vector<std::string>& ids) {
  return {ids.begin(), ids.end()};
}

enum class Reading { kAsTyped, kCorrected, kRelaxed };

/// Whether a search has more matches than its feed holds.
enum class FeedCap { kUnder, kOver };

struct Case {
  const char* name;
  const char* query;
  const char* filters;  ///< "&agency=SFP"
  Reading reading;
  FeedCap feed_cap = FeedCap::kUnder;
  friend void PrintTo(const Case& c, std::ostream* out) { *out << c.name; }
};

class OneQueryPath : public ::testing::TestWithParam<Case> {
 protected:
  std::string query_string() const {
    return "q=" + url_encode(GetParam().query) + GetParam().filters;
  }
};

TEST_P(OneQueryPath, ExportAndFeedHoldWhatTheSearchShows) {
  const Case& c = GetParam();
  const std::string query = query_string();
  const auto result = server().search(query);
  const int expected = total(result);
  ASSERT_GT(expected, 0) << query;
  EXPECT_EQ(result->getValue<bool>("corrected_applied"), c.reading == Reading::kCorrected);
  EXPECT_EQ(result->getValue<bool>("relaxed"), c.reading == Reading::kRelaxed);
  std::set<std::string> shown;
  for (const auto& hit : server().all_hits(query)) shown.insert(hit->getValue<std::string>("id"));
  ASSERT_EQ(shown.size(), static_cast<std::size_t>(expected));

  const HttpReply csv = http_get(server().port(), "/api/export?format=csv&" + query);
  ASSERT_EQ(csv.status, 200) << csv.body;
  const std::vector<std::string> csv_rows = csv_ids(csv.body);
  EXPECT_EQ(csv_rows.size(), static_cast<std::size_t>(expected));
  EXPECT_EQ(as_set(csv_rows), shown);

  const HttpReply json = http_get(server().port(), "/api/export?format=json&" + query);
  ASSERT_EQ(json.status, 200) << json.body;
  const std::vector<std::string> json_rows = json_ids(json.body);
  EXPECT_EQ(json_rows.size(), static_cast<std::size_t>(expected));
  EXPECT_EQ(json_rows, csv_rows) << "both exports in result order";

  const HttpReply feed = http_get(server().port(), "/api/feed?" + query);
  ASSERT_EQ(feed.status, 200) << feed.body;
  const std::vector<std::string> entries = feed_ids(feed.body);
  // Each case says on which side of the feed's cap its total is, so that both sides are
  // tested whatever the corpus becomes.
  if (c.feed_cap == FeedCap::kOver) {
    ASSERT_GT(shown.size(), kFeedEntries) << "the case needs more matches than a feed holds";
    EXPECT_EQ(entries.size(), kFeedEntries);
    for (const std::string& id : entries) EXPECT_TRUE(shown.contains(id)) << id;
    EXPECT_EQ(as_set(entries).size(), kFeedEntries) << "no passage twice";
  } else {
    ASSERT_LE(shown.size(), kFeedEntries) << "the case needs no more matches than a feed holds";
    EXPECT_EQ(entries.size(), shown.size());
    EXPECT_EQ(as_set(entries), shown);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Searches, OneQueryPath,
    ::testing::Values(
        // "corupcion" is no word of the corpus: its correction "corrupción" is run instead.
        Case{"corrected", "corupcion", "", Reading::kCorrected},
        Case{"corrected_and_filtered", "corupcion", "&agency=SFP", Reading::kCorrected},
        // No passage has the three words together: those with some of them.
        Case{"relaxed", "presupuesto procurement municipios", "", Reading::kRelaxed},
        // The 2011 plan's paragraphs and their translations are one hit each.
        Case{"collapsed", "integridad pública", "", Reading::kAsTyped},
        // A language filter turns collapsing off.
        Case{"language_filter", "integridad pública", "&lang=es", Reading::kAsTyped},
        Case{"agency_filter", "transparencia", "&agency=SFP", Reading::kAsTyped},
        Case{"agency_and_language_filters", "transparencia", "&agency=SFP&lang=es",
             Reading::kAsTyped},
        // More matches than a feed holds.
        Case{"over_the_feed_cap", "gobierno", "", Reading::kAsTyped, FeedCap::kOver}),
    [](const ::testing::TestParamInfo<Case>& param_info) {
      return std::string(param_info.param.name);
    });

TEST(OneQueryPath, TheCollapsedSearchShowsOneOfEachTranslationPair) {
  // The premise of the "collapsed" case: both versions match, one of each pair is shown.
  const auto collapsed = server().search_q("integridad pública");
  int both_versions = 0;
  for (const auto& [lang, count] : facet_counts(collapsed, "lang")) both_versions += count;
  EXPECT_LT(total(collapsed), both_versions);
  bool has_translation = false;
  for (const auto& hit : server().all_hits("q=" + url_encode("integridad pública")))
    has_translation = has_translation || !hit->isNull("translation_id");
  EXPECT_TRUE(has_translation);
}

// An export reads the index before it sends anything, so a query the analyzer refuses is
// answered as the search answers it: 400 with a JSON error naming `q`, not 200 and a cut body.
TEST(OneQueryPath, AnExportOfARefusedQueryIsA400AsTheSearchIs) {
  // More wildcards than a query may have (QueryLimits::kMaxWildcards is 4).
  const std::string query = "q=" + url_encode("a* b* c* d* e* f*");
  const HttpReply search = http_get(server().port(), "/api/search?" + query);
  ASSERT_EQ(search.status, 400) << search.body;
  const std::string error = search.json()->getValue<std::string>("error");
  EXPECT_NE(error.find("`q`"), std::string::npos) << error;
  for (const char* format : {"csv", "json"}) {
    const HttpReply exported =
        http_get(server().port(), "/api/export?format=" + std::string(format) + "&" + query);
    EXPECT_EQ(exported.status, 400) << format << ": " << exported.body;
    EXPECT_EQ(exported.content_type, "application/json; charset=utf-8") << format;
    EXPECT_EQ(exported.json()->getValue<std::string>("error"), error) << format;
  }
}

TEST(OneQueryPath, AnExportOfNothingIsA200WithTheHeaderRow) {
  const std::string query = "q=" + url_encode("zzzzqqqxx") + "&type=irm-report";
  ASSERT_EQ(total(server().search(query)), 0);
  const HttpReply csv = http_get(server().port(), "/api/export?format=csv&" + query);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_TRUE(csv.body.starts_with("\xEF\xBB\xBFid,doc,title,")) << csv.body;
  EXPECT_TRUE(csv.body.ends_with(",text\r\n")) << csv.body;
  EXPECT_EQ(csv.body.find("\r\n"), csv.body.size() - 2) << "the header row alone";
  EXPECT_TRUE(csv_ids(csv.body).empty());
  const HttpReply json = http_get(server().port(), "/api/export?format=json&" + query);
  ASSERT_EQ(json.status, 200) << json.body;
  EXPECT_EQ(json.body, "[\n]\n");
}

}  // namespace
}  // namespace lupa::testing
