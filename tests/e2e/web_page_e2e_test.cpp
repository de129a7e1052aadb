// End to end: the server-rendered search page and passage view, over HTTP from the real
// daemon. Everything here works without JavaScript: forms, checkboxes and links.
#include <gtest/gtest.h>

#include <map>
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

// The page's panels: every value reachable, every filter kept, one link to clear them.

TEST(SearchPageFacets, ShowAllRevealsEveryValueBeyondTheFifteenthAndFilteringByOneWorks) {
  const auto api = server().search_q("transparencia");
  const std::map<std::string, int> agencies = facet_counts(api, "agency");
  ASSERT_GT(agencies.size(), 15u);
  const std::string total_values = std::to_string(agencies.size());
  const std::string first = page("/?ui=en&q=transparencia").body;
  EXPECT_NE(first.find("<span class=\"shown-of\">15 of " + total_values + " shown</span>"),
            std::string::npos);
  EXPECT_NE(first.find("href=\"/?q=transparencia&amp;ui=en&amp;show=agency#facet-agency\" "
                       "class=\"show-all\">Show all " +
                       total_values + "</a>"),
            std::string::npos);
  // The filter box offers every value, hidden ones included.
  const auto datalist_start = first.find("<datalist id=\"values-agency\">");
  ASSERT_NE(datalist_start, std::string::npos);
  const std::string datalist =
      first.substr(datalist_start, first.find("</datalist>", datalist_start) - datalist_start);
  EXPECT_EQ(count_of(datalist, "<option value="), static_cast<int>(agencies.size()));

  const std::string all = page("/?ui=en&q=transparencia&show=agency").body;
  EXPECT_NE(all.find(total_values + " of " + total_values + " shown"), std::string::npos);
  std::string hidden;  // a value only "show all" lists
  for (const auto& [value, count] : agencies) {
    EXPECT_NE(all.find("id=\"f-agency-" + value + "\""), std::string::npos) << value;
    if (hidden.empty() && first.find("id=\"f-agency-" + value + "\"") == std::string::npos)
      hidden = value;
  }
  ASSERT_FALSE(hidden.empty());
  const std::string filtered = page("/?ui=en&q=transparencia&agency=" + hidden).body;
  EXPECT_EQ(shown_total(filtered), agencies.at(hidden));
  EXPECT_EQ(shown_total(filtered), total(server().search_q("transparencia", "&agency=" + hidden)));
  EXPECT_NE(filtered.find("id=\"f-agency-" + hidden + "\" checked>"), std::string::npos);
}

TEST(SearchPageFacets, FiltersWithoutAPanelOfTheirOwnAreKeptTickedForTheNextSearch) {
  // Passage kind and compliance are folded under "more filters", open when one is selected;
  // an OGP id, which is not counted, and a value that matches nothing here stay ticked too.
  const std::string html =
      page("/?ui=en&q=gobierno&kind=commitment&commitment=MX0085&status=not-started").body;
  EXPECT_NE(html.find("<details class=\"more-filters\" open>"), std::string::npos);
  EXPECT_NE(html.find("id=\"f-kind-commitment\" checked>"), std::string::npos);
  EXPECT_NE(html.find("id=\"f-commitment-MX0085\" checked>"), std::string::npos);
  EXPECT_NE(html.find("id=\"f-status-not-started\" checked>"), std::string::npos);
  EXPECT_EQ(shown_total(html), 0);
  const std::string unfiltered = page("/?ui=en&q=gobierno").body;
  EXPECT_NE(unfiltered.find("<details class=\"more-filters\">"), std::string::npos);
  EXPECT_NE(unfiltered.find("id=\"f-kind-commitment\">"), std::string::npos);
  // Parameters that are no facet ride along in the form.
  EXPECT_NE(page("/?ui=en&q=gobierno&per_page=5")
                .body.find("<input type=\"hidden\" name=\"per_page\" value=\"5\">"),
            std::string::npos);
}

TEST(SearchPageFacets, ClearFiltersKeepsTheWordsAndAnEmptyFilterBoxIsNoFilter) {
  const std::string html =
      page("/?q=transparencia&agency=mx-sfp&lang=es&agency=&ui=en&page=2").body;
  EXPECT_NE(html.find("<a href=\"/?q=transparencia&amp;ui=en\" id=\"clear-filters\">Clear "
                      "filters</a>"),
            std::string::npos);
  EXPECT_EQ(html.find("agency=&amp;"), std::string::npos);
  EXPECT_EQ(html.find("clear-filters"), html.rfind("clear-filters"));
  EXPECT_EQ(page("/?q=transparencia&ui=en").body.find("clear-filters"), std::string::npos);
  EXPECT_EQ(shown_total(page("/?q=transparencia&ui=en&agency=").body),
            total(server().search_q("transparencia")));
}

// The passage view for reading and citing.

TEST(PassagePage, FromResultsItMarksTheQueryWordsAndLinksBackToThoseResults) {
  const std::string results = page("/?ui=en&q=informaci%C3%B3n+socialmente+%C3%BAtil&lang=es").body;
  const std::string id = "corpus.mx-2011-action-plan-es-en-txt.0025";
  const std::string search = "q=informaci%C3%B3n%20socialmente%20%C3%BAtil&amp;lang=es&amp;ui=en";
  ASSERT_NE(results.find("<a href=\"/passages/" + id + "?" + search + "\">"), std::string::npos);
  const std::string html =
      page("/passages/" + id + "?q=informaci%C3%B3n%20socialmente%20%C3%BAtil&lang=es&ui=en").body;
  // Words typed one by one are marked one by one (a glossary phrase is marked whole).
  EXPECT_NE(html.find("<mark>información</mark> <mark>socialmente</mark>"), std::string::npos);
  EXPECT_NE(html.find("<mark>útil</mark>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"/?" + search + "\" id=\"back\">Back to results</a>"),
            std::string::npos);
  // The translation beside it, its words marked too (the glossary's English terms).
  EXPECT_NE(html.find("<div class=\"bilingual\">"), std::string::npos);
  const std::string translation = html.substr(html.find("<section class=\"translation\""));
  EXPECT_NE(translation.find("<mark>socially useful information</mark>"), std::string::npos);
  // Its neighbours keep the search.
  EXPECT_NE(html.find("/passages/corpus.mx-2011-action-plan-es-en-txt.0026?" + search),
            std::string::npos);
  // Stop words are never marked.
  EXPECT_EQ(count_of(page("/passages/" + id + "?q=la+de+transparencia&ui=en").body,
                     "<mark>(la|de|La|De)</mark>"),
            0);
  // Reached directly, it marks nothing and links back to the search page.
  const std::string plain = page("/passages/" + id + "?ui=en").body;
  EXPECT_EQ(plain.find("<mark>"), std::string::npos);
  EXPECT_NE(plain.find("<a href=\"/?ui=en\" id=\"back\">Back to search</a>"), std::string::npos);
}

TEST(PassagePage, ShowsTheCommitmentItsSourceACitationAndTheOriginalAtItsPage) {
  const std::string id = "corpus.mx-2011-action-plan-es-en-txt.0025";
  const std::string html = page("/passages/" + id + "?ui=en").body;
  EXPECT_NE(html.find("<dt>Commitment</dt><dd class=\"commitment\">no. 25: "), std::string::npos);
  EXPECT_NE(html.find("<dd class=\"facet-plan\">Mexico 2011-2013"), std::string::npos);
  EXPECT_NE(html.find("<dt>Text source</dt><dd class=\"source\">text file</dd>"),
            std::string::npos);
  EXPECT_NE(html.find("<code>" + id + "</code>"), std::string::npos);
  EXPECT_TRUE(std::regex_search(
      html, std::regex("class=\"permalink\">http://127\\.0\\.0\\.1:[0-9]+/passages/" +
                       std::regex_replace(id, std::regex("\\."), "\\.") + "</a>")));
  EXPECT_NE(html.find("<a href=\"/files/" + id + "\" id=\"original\""), std::string::npos);
  // A recognised scan: its confidence, and the PDF opened at the passage's page.
  const std::string scan = page("/passages/corpus.scans.image-only-report-pdf.0002?ui=en").body;
  EXPECT_TRUE(std::regex_search(
      scan, std::regex("<dd class=\"source\">recognised text \\(OCR\\), confidence [0-9]+</dd>")));
  EXPECT_TRUE(std::regex_search(
      scan,
      std::regex("<a href=\"/files/corpus\\.scans\\.image-only-report-pdf\\.0002#page=[0-9]+\" "
                 "id=\"original\" type=\"application/pdf\">Open the original document at "
                 "page [0-9]+</a>")));
  // The OGP id of a linked commitment, and its IRM ratings where a report gives them.
  const std::string linked =
      page("/passages/corpus.mx-2019-2021-action-plan-summary-txt.0012?ui=en").body;
  EXPECT_NE(linked.find("<dt>OGP commitment</dt><dd class=\"facet-commitment\">MX"),
            std::string::npos);
}

TEST(PassagePage, ASearchItCarriesIsCheckedAsASearchIs) {
  const HttpReply reply =
      http_get(server().port(),
               "/passages/corpus.mx-2011-action-plan-es-en-txt.0025?q=" + std::string(1001, 'a'));
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(reply.body.find("Parameter `q`"), std::string::npos);
}

}  // namespace
}  // namespace lupa::testing
