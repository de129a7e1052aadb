// End to end: exports of a whole result set (CSV and JSON) and Atom feeds of a search, from the
// real daemon serving the bundled corpus.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

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

// RFC 4180: fields may be quoted, quotes doubled, line breaks inside quotes.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

std::set<std::string> ids_of_every_hit(const std::string& query_string) {
  std::set<std::string> ids;
  for (const auto& hit : server().all_hits(query_string))
    ids.insert(hit->getValue<std::string>("id"));
  return ids;
}

TEST(Export, CsvHasOneRowPerMatchWithEveryFacetColumn) {
  const std::string query = "q=" + url_encode("transparencia") + "&agency=mx-sfp";
  const HttpReply reply = http_get(server().port(), "/api/export?format=csv&" + query);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.content_type, "text/csv; charset=utf-8");
  ASSERT_TRUE(reply.body.starts_with("\xEF\xBB\xBF"));
  const auto rows = parse_csv(reply.body.substr(3));
  ASSERT_GE(rows.size(), 2u);
  const std::vector<std::string>& header = rows[0];
  for (const char* column : {"id", "title", "plans", "challenge", "themes", "agencies", "lang",
                             "page", "source", "text"})
    EXPECT_NE(std::find(header.begin(), header.end(), column), header.end()) << column;
  const auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  std::set<std::string> exported;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    ASSERT_EQ(rows[r].size(), header.size()) << "row " << r;
    exported.insert(rows[r][column("id")]);
    EXPECT_NE(rows[r][column("agencies")].find("mx-sfp"), std::string::npos);
    EXPECT_FALSE(rows[r][column("text")].empty());
  }
  EXPECT_EQ(exported, ids_of_every_hit(query));
}

TEST(Export, JsonHasEveryMatchNotOnlyThePageShown) {
  const std::string query = "q=" + url_encode("gobierno");
  const HttpReply reply = http_get(server().port(), "/api/export?format=json&per_page=5&" + query);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto rows = Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Array::Ptr>();
  EXPECT_EQ(static_cast<int>(rows->size()), total(server().search(query)));
  EXPECT_GT(rows->size(), 100u);
  std::set<std::string> exported;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const auto row = rows->getObject(static_cast<unsigned>(i));
    exported.insert(row->getValue<std::string>("id"));
    EXPECT_TRUE(row->has("agencies") && row->has("plans") && row->has("text"));
  }
  EXPECT_EQ(exported, ids_of_every_hit(query));
}

TEST(Export, AnUnknownFormatIsA400NamingTheParameter) {
  const HttpReply reply = http_get(server().port(), "/api/export?format=xlsx&q=agua");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.json()->getValue<std::string>("error"),
            "Parameter `format`: csv or json, not 'xlsx'");
  EXPECT_TRUE(server().daemon_running());
}

TEST(Feed, AnAgencysPassagesAsAnAtomFeed) {
  const HttpReply reply = http_get(server().port(), "/api/feed?q=&agency=mx-sfp");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.content_type, "application/atom+xml; charset=utf-8");
  EXPECT_NE(reply.body.find("<feed xmlns=\"http://www.w3.org/2005/Atom\">"), std::string::npos);
  EXPECT_NE(reply.body.find("<title>Lupa: every passage \xC2\xB7 agency mx-sfp</title>"),
            std::string::npos)
      << reply.body.substr(0, 400);
  const std::regex entry_id("<entry>\\s*<id>http://[^<]+/api/passages/([^<]+)</id>");
  std::set<std::string> entries;
  for (std::sregex_iterator it(reply.body.begin(), reply.body.end(), entry_id), end; it != end;
       ++it)
    entries.insert((*it)[1].str());
  const std::set<std::string> tagged = ids_of_every_hit("q=&agency=mx-sfp");
  EXPECT_EQ(entries.size(), std::min<std::size_t>(tagged.size(), 50));
  for (const std::string& id : entries) EXPECT_TRUE(tagged.contains(id)) << id;
}

}  // namespace
}  // namespace lupa::testing
