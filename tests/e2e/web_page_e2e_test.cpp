// End to end: the server-rendered search page and passage view, over HTTP from the real
// daemon. Everything here works without JavaScript: forms, checkboxes and links.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "support/http_client.h"
#include "support/search_api.h"

namespace lupa::testing {
namespace {

CorpusServer& server() {
  return CorpusServer::instance();
}

HttpReply page(const std::string& target) {
  HttpReply reply = http_get(server().port(), target);
  EXPECT_EQ(reply.status, 200) << target;
  EXPECT_EQ(reply.content_type, "text/html; charset=utf-8") << target;
  return reply;
}

int shown_total(const std::string& html) {
  std::smatch match;
  if (!std::regex_search(html, match, std::regex("<span id=\"total\">([0-9]+)</span>"))) return -1;
  return std::stoi(match[1].str());
}

int count_of(const std::string& html, const std::string& pattern) {
  const std::regex re(pattern);
  return static_cast<int>(
      std::distance(std::sregex_iterator(html.begin(), html.end(), re), std::sregex_iterator()));
}

TEST(SearchPage, ShowsTheSameHitsAndCountsAsTheApi) {
  const std::string html = page("/?ui=en&q=transparencia").body;
  const auto api = server().search_q("transparencia");
  EXPECT_EQ(shown_total(html), total(api));
  EXPECT_EQ(count_of(html, "<article class=\"hit\""), 10);
  EXPECT_NE(html.find("/passages/" + hit(api, 0)->getValue<std::string>("id")), std::string::npos);
  // The SFP checkbox shows the API's count for it.
  const int sfp = facet_counts(api, "agency").at("mx-sfp");
  EXPECT_NE(html.find("id=\"f-agency-mx-sfp\"><label for=\"f-agency-mx-sfp\">Ministry of Public "
                      "Administration (SFP) <span class=\"count\">" +
                      std::to_string(sfp) + "</span>"),
            std::string::npos);
}

TEST(SearchPage, TickingTwoAgenciesNarrowsAndKeepsThemTicked) {
  const std::string html = page("/?ui=en&q=transparencia&agency=mx-sfp&agency=mx-shcp").body;
  EXPECT_EQ(shown_total(html),
            total(server().search_q("transparencia", "&agency=mx-sfp&agency=mx-shcp")));
  EXPECT_LT(shown_total(html), total(server().search_q("transparencia")));
  EXPECT_NE(html.find("id=\"f-agency-mx-sfp\" checked>"), std::string::npos);
  EXPECT_NE(html.find("id=\"f-agency-mx-shcp\" checked>"), std::string::npos);
}

TEST(SearchPage, PagesAreLinksThatKeepTheSearch) {
  const std::string first = page("/?ui=es&q=gobierno&lang=es").body;
  EXPECT_NE(first.find("<a rel=\"next\" href=\"/?q=gobierno&amp;lang=es&amp;ui=es&amp;page=2\">"),
            std::string::npos);
  const std::string second = page("/?q=gobierno&lang=es&ui=es&page=2").body;
  EXPECT_NE(second.find("<ol class=\"hits\" start=\"11\">"), std::string::npos);
  EXPECT_NE(second.find("<a rel=\"prev\" href=\"/?q=gobierno&amp;lang=es&amp;ui=es&amp;page=1\">"),
            std::string::npos);
}

TEST(SearchPage, TheInterfaceLanguageFollowsAcceptLanguageUnlessChosen) {
  EXPECT_NE(page("/?q=agua").body.find("<html lang=\"es\">"), std::string::npos);
  EXPECT_NE(page("/?q=agua&ui=en").body.find("<button type=\"submit\">Search</button>"),
            std::string::npos);
  const std::string spanish = page("/?q=agua&ui=es").body;
  EXPECT_NE(spanish.find("<button type=\"submit\">Buscar</button>"), std::string::npos);
  EXPECT_NE(spanish.find("href=\"/?q=agua&amp;ui=en\" lang=\"en\">English</a>"), std::string::npos);
}

TEST(SearchPage, OffersTheCorrectionExportsAndTheFeed) {
  const std::string html = page("/?ui=en&q=transparancy").body;
  EXPECT_NE(html.find("Nothing matched; showing results for <a "
                      "href=\"/?ui=en&amp;q=transparency\">transparency</a>"),
            std::string::npos);
  EXPECT_NE(html.find("href=\"/api/export?q=transparancy&amp;format=csv\" download>CSV</a>"),
            std::string::npos);
  EXPECT_NE(html.find("<link rel=\"alternate\" type=\"application/atom+xml\" "
                      "href=\"/api/feed?q=transparancy\">"),
            std::string::npos);
  EXPECT_EQ(http_get(server().port(), "/static/lupa.css").content_type, "text/css; charset=utf-8");
}

TEST(PassagePage, ShowsTheTextNeighboursTranslationAndSimilarCommitments) {
  const std::string id = "corpus.mx-2011-action-plan-es-en-txt.0025";
  const std::string html = page("/passages/" + id + "?ui=es").body;
  EXPECT_NE(html.find("<h1>Aumentar la Integridad Pública</h1>"), std::string::npos);
  EXPECT_NE(html.find("25. Este compromiso consiste en profundizar"), std::string::npos);
  EXPECT_NE(
      html.find("Anterior: <a href=\"/passages/corpus.mx-2011-action-plan-es-en-txt.0024?ui=es\""),
      std::string::npos);
  EXPECT_NE(
      html.find("Siguiente: <a href=\"/passages/corpus.mx-2011-action-plan-es-en-txt.0026?ui=es\""),
      std::string::npos);
  const std::string twin = http_get(server().port(), "/api/passages/" + id)
                               .json()
                               ->getValue<std::string>("translation_id");
  EXPECT_NE(
      html.find("<h2>Traducción</h2><p><a href=\"/passages/" + twin + "?ui=es\" lang=\"en\">"),
      std::string::npos);
  EXPECT_NE(html.find("<h2>Compromisos parecidos</h2>"), std::string::npos);
}

TEST(PassagePage, TheSameCommitmentInOtherDocumentsIsLinked) {
  // The 2019-2021 summary's care commitment is also on the OGP page, with the same OGP id.
  const std::string html =
      page("/passages/corpus.mx-2019-2021-action-plan-summary-txt.0012?ui=en").body;
  EXPECT_NE(html.find("<h2>The same commitment in other documents</h2>"), std::string::npos);
  EXPECT_NE(html.find("/passages/corpus.mx-ogp-member-page-txt.0012?ui=en"), std::string::npos);
}

TEST(PassagePage, AnUnknownPassageIs404) {
  EXPECT_EQ(http_get(server().port(), "/passages/corpus.nothing.0001").status, 404);
}

}  // namespace
}  // namespace lupa::testing
