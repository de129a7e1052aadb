#include "lupa/searchd/web_page.h"

#include <gtest/gtest.h>

#include <string>

namespace lupa::searchd {
namespace {

bool contains(const std::string& html, const std::string& part) {
  return html.find(part) != std::string::npos;
}

// A result with `count` organisations, the first the most frequent.
SearchResult result_with_organisations(int count) {
  SearchResult result;
  result.total = 3;
  Facet organisations{"organization", {}};
  for (int i = 1; i <= count; ++i)
    organisations.values.push_back(
        {"org-" + std::to_string(i), {}, static_cast<Xapian::doccount>(100 - i)});
  result.facets.push_back(organisations);
  result.facets.push_back({"kind", {{"commitment", {}, 2}, {"paragraph", {}, 1}}});
  return result;
}

TEST(SearchPageRendering, AFacetShowsFifteenValuesTheSelectedOnesAndLinksToAll) {
  SearchRequest request;
  request.query = "agua";
  request.filters["organization"] = {"org-18"};
  SearchResult result = result_with_organisations(20);
  result.filters = request.filters;
  const std::string html = render_search_page(
      request, result, {{"q", "agua"}, {"organization", "org-18"}}, UiLanguage::kEnglish);
  EXPECT_TRUE(contains(html, "id=\"f-organization-org-15\">"));
  EXPECT_FALSE(contains(html, "id=\"f-organization-org-16\""));
  EXPECT_TRUE(contains(html, "id=\"f-organization-org-18\" checked>"));
  EXPECT_TRUE(contains(html, "<span class=\"shown-of\">16 of 20 shown</span>"));
  EXPECT_TRUE(contains(html,
                       "href=\"/?q=agua&amp;organization=org-18&amp;ui=en&amp;show="
                       "organization#facet-organization\" class=\"show-all\">Show all 20"));
  EXPECT_TRUE(contains(html, "<option value=\"org-20\">org-20 (80)</option>"));

  const std::string all = render_search_page(
      request, result, {{"q", "agua"}, {"organization", "org-18"}, {"show", "organization"}},
      UiLanguage::kEnglish);
  EXPECT_TRUE(contains(all, "id=\"f-organization-org-20\">"));
  EXPECT_TRUE(contains(all, "20 of 20 shown"));
  EXPECT_TRUE(contains(all, ">Show fewer</a>"));
}

TEST(SearchPageRendering, AFilterWrittenAsALabelTicksItsValueOnce) {
  SearchRequest request;
  request.query = "agua";
  request.filters["organization"] = {"Organisation Two"};
  SearchResult result = result_with_organisations(3);
  result.filters["organization"] = {"org-2"};  // as the service resolved the label
  const std::string html = render_search_page(
      request, result, {{"q", "agua"}, {"organization", "Organisation Two"}}, UiLanguage::kEnglish);
  EXPECT_TRUE(contains(html, "id=\"f-organization-org-2\" checked>"));
  EXPECT_FALSE(contains(html, "f-organization-Organisation Two"));
}

TEST(SearchPageRendering, EveryFilterOfTheUrlIsAControlOfTheForm) {
  SearchRequest request;
  request.query = "agua";
  request.filters["kind"] = {"commitment"};
  request.filters["commitment"] = {"MX0085"};
  request.filters["organization"] = {"org-unknown"};
  SearchResult result = result_with_organisations(3);
  result.filters = request.filters;
  const std::string html = render_search_page(request, result,
                                              {{"q", "agua"},
                                               {"kind", "commitment"},
                                               {"commitment", "MX0085"},
                                               {"organization", "org-unknown"},
                                               {"per_page", "20"},
                                               {"agency", ""}},
                                              UiLanguage::kEnglish);
  EXPECT_TRUE(contains(html, "<details class=\"more-filters\" open>"));
  EXPECT_TRUE(contains(html, "id=\"f-kind-commitment\" checked>"));
  EXPECT_TRUE(contains(html, "id=\"f-commitment-MX0085\" checked>"));
  EXPECT_TRUE(contains(html,
                       "id=\"f-organization-org-unknown\" checked><label "
                       "for=\"f-organization-org-unknown\">org-unknown <span "
                       "class=\"count\">0</span>"));
  EXPECT_TRUE(contains(html, "<input type=\"hidden\" name=\"per_page\" value=\"20\">"));
  // Clear filters keeps the words and how results are shown; the empty box is dropped.
  EXPECT_TRUE(
      contains(html, "<a href=\"/?q=agua&amp;per_page=20&amp;ui=en\" id=\"clear-filters\">"));
  EXPECT_FALSE(contains(html, "agency=&amp;"));
}

TEST(PassagePageRendering, CarriesTheSearchMarksTheTextAndCitesThePassage) {
  PassageView view;
  view.passage.id = "corpus.plan-pdf.0007";
  view.passage.doc = "corpus/plan.pdf";
  view.passage.title = "Plan <2019>";
  view.passage.heading = "Agua";
  view.passage.page = 4;
  view.passage.lang = "es";
  view.passage.source = schema::TextSource::kOcr;
  view.passage.confidence = 87.4;
  view.passage.text = "Agua potable.\nSegunda línea.";
  schema::CommitmentRecord commitment;
  commitment.number = 3;
  commitment.title = "Agua para todos";
  view.passage.commitment = commitment;
  PassagePageContext context;
  context.search = {{"q", "agua"}, {"agency", "mx-sfp"}, {"page", "2"}, {"ui", "es"}};
  context.text_html = "<mark>Agua</mark> potable.\nSegunda línea.";
  context.permanent_url = "https://lupa.example.org/passages/corpus.plan-pdf.0007";
  context.original_served = true;
  const std::string html =
      render_passage_page(view, UiLanguage::kEnglish, schema::standard_facets(), context);
  EXPECT_TRUE(contains(html, "<p><mark>Agua</mark> potable.</p>\n<p>Segunda línea.</p>"));
  EXPECT_TRUE(contains(html,
                       "<a href=\"/?q=agua&amp;agency=mx-sfp&amp;page=2&amp;ui=en\" "
                       "id=\"back\">Back to results</a>"));
  EXPECT_TRUE(contains(html, "<dd class=\"commitment\">no. 3: Agua para todos</dd>"));
  EXPECT_TRUE(contains(html, "<dd class=\"source\">recognised text (OCR), confidence 87</dd>"));
  EXPECT_TRUE(contains(html,
                       "<cite>Plan &lt;2019&gt;</cite>, p. 4, passage "
                       "<code>corpus.plan-pdf.0007</code>. <a "
                       "href=\"https://lupa.example.org/passages/corpus.plan-pdf.0007\""));
  EXPECT_TRUE(contains(html,
                       "<a href=\"/files/corpus.plan-pdf.0007#page=4\" id=\"original\" "
                       "type=\"application/pdf\">Open the original document at page 4</a>"));
  // Without a search or originals: the text as it is, back to the search page, no file link.
  const std::string plain = render_passage_page(view, UiLanguage::kSpanish);
  EXPECT_TRUE(contains(plain, "<p>Agua potable.</p>"));
  EXPECT_TRUE(contains(plain, "<a href=\"/?ui=es\" id=\"back\">Volver a la búsqueda</a>"));
  EXPECT_FALSE(contains(plain, "/files/"));
}

TEST(PassagePageRendering, SaysHowManyPassagesOfTheSameCommitmentItDoesNotList) {
  PassageView view;
  view.passage.id = "corpus.plan-txt.0003";
  view.passage.doc = "corpus/plan.txt";
  view.passage.title = "Plan";
  view.passage.lang = "es";
  schema::PassageRecord other;
  other.id = "corpus.report-txt.0002";
  other.doc = "corpus/report.txt";
  other.title = "Informe";
  other.lang = "es";
  view.same_commitment = {other};
  view.same_commitment_more = 9;
  const std::string html = render_passage_page(view, UiLanguage::kEnglish);
  EXPECT_TRUE(contains(html, "<h2>The same commitment in other documents</h2>"));
  EXPECT_TRUE(contains(html, "/passages/corpus.report-txt.0002")) << html;
  EXPECT_TRUE(contains(html, "<p>and 9 more</p>")) << html;
  view.same_commitment_more = 0;
  EXPECT_FALSE(contains(render_passage_page(view, UiLanguage::kEnglish), "more</p>"));
}

}  // namespace
}  // namespace lupa::searchd
