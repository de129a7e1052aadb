// A facet is one entry of the facet table: a copy of the standard table with one more entry is
// indexed, filtered, counted, exported, answered in JSON and shown on the page, by the real
// document builder, a real Xapian database and the real search service and renderers, with no
// other change anywhere.
#include <gtest/gtest.h>
#include <xapian.h>

#include <sstream>
#include <string>
#include <vector>

#include "lupa/analyzers/schema.h"
#include "lupa/indexer/document_builder.h"
#include "lupa/searchd/json_response.h"
#include "lupa/searchd/result_export.h"
#include "lupa/searchd/search_service.h"
#include "lupa/searchd/web_page.h"
#include "support/decade_facet.h"
#include "support/temp_dir.h"

namespace lupa {
namespace {

using lupa::testing::TempDir;

struct Document {
  const char* path;
  const char* date;
  const char* text;
};

constexpr Document kDocuments[] = {
    {"plan-2012.txt", "2012-04-01", "Transparencia presupuestaria en las compras públicas."},
    {"plan-2016.txt", "2016-06-30", "Transparencia en el gasto de los municipios."},
    {"report-2021.txt", "2021-09-01", "Informe sobre transparencia y datos abiertos."},
    {"report-undated.txt", nullptr, "Transparencia sin fecha conocida."},
};

class FacetTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Xapian::WritableDatabase db((dir_ / "db").string(), Xapian::DB_CREATE);
    indexer::DocumentBuilder builder(table_);
    for (const Document& each : kDocuments) {
      indexer::DocumentMetadata metadata;
      metadata.title = std::string("Title of ") + each.path;
      if (each.date) metadata.date = each.date;
      metadata.languages = {"es"};
      indexer::Passage passage;
      passage.ordinal = 1;
      passage.text = each.text;
      passage.language = "es";
      db.add_document(builder.build(each.path, metadata, passage, 1.7e9));
    }
    db.commit();
  }

  searchd::SearchResult search(const std::string& query,
                               std::map<std::string, std::vector<std::string>> filters = {}) {
    searchd::SearchRequest request;
    request.query = query;
    request.filters = std::move(filters);
    return service().search(request);
  }

  searchd::SearchService& service() {
    if (!service_) service_.emplace(std::vector{dir_ / "db"}, searchd::RankingOptions{}, table_);
    return *service_;
  }

  TempDir dir_;
  std::vector<schema::Facet> table_ = lupa::testing::facets_with_decade();
  std::optional<searchd::SearchService> service_;
};

const searchd::Facet* facet_named(const searchd::SearchResult& result, const std::string& name) {
  for (const searchd::Facet& facet : result.facets)
    if (facet.name == name) return &facet;
  return nullptr;
}

TEST_F(FacetTableTest, IsIndexedAsTermsOfItsPrefix) {
  const Xapian::Database db((dir_ / "db").string());
  EXPECT_EQ(db.get_termfreq("XD2010s"), 2u);
  EXPECT_EQ(db.get_termfreq("XD2020s"), 1u);
  EXPECT_EQ(db.get_termfreq("XD2000s"), 0u);
}

TEST_F(FacetTableTest, FiltersByTheNewFacet) {
  const auto request = searchd::parse_search_request({{"q", "transparencia"}, {"decade", "2010S"}},
                                                     schema::FacetTable(table_));
  ASSERT_EQ(request.filters.count("decade"), 1u);
  const searchd::SearchResult result = service().search(request);
  EXPECT_EQ(result.total, 2u);
  for (const searchd::Hit& hit : result.hits)
    EXPECT_TRUE(hit.record.doc == "plan-2012.txt" || hit.record.doc == "plan-2016.txt")
        << hit.record.doc;
  EXPECT_EQ(search("transparencia", {{"decade", {"2020s"}}}).total, 1u);
  // And as a field of the query itself.
  EXPECT_EQ(search("transparencia decade:2020s").total, 1u);
}

TEST_F(FacetTableTest, CountsTheNewFacetDisjunctively) {
  const searchd::SearchResult all = search("transparencia");
  EXPECT_EQ(all.total, 4u);
  const searchd::Facet* decade = facet_named(all, "decade");
  ASSERT_NE(decade, nullptr);
  ASSERT_EQ(decade->values.size(), 2u);
  EXPECT_EQ(decade->values[0].value, "2010s");
  EXPECT_EQ(decade->values[0].count, 2u);
  EXPECT_EQ(decade->values[1].value, "2020s");
  EXPECT_EQ(decade->values[1].count, 1u);
  // Filtering on it keeps its other values countable.
  const searchd::SearchResult filtered = search("transparencia", {{"decade", {"2020s"}}});
  const searchd::Facet* still = facet_named(filtered, "decade");
  ASSERT_NE(still, nullptr);
  EXPECT_EQ(still->values.size(), 2u);
}

TEST_F(FacetTableTest, AnswersTheNewFieldInJson) {
  searchd::SearchRequest request;
  request.query = "municipios";
  const std::string json = searchd::search_json(service().search(request), table_);
  EXPECT_NE(json.find(R"("decade":"2010s")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("decade":[{"value":"2010s")"), std::string::npos) << json;
}

TEST_F(FacetTableTest, ExportsTheNewFacetAsAColumn) {
  std::ostringstream out;
  searchd::CsvWriter csv(out, table_);
  csv.begin();
  searchd::SearchRequest request;
  request.query = "transparencia";
  request.filters = {{"decade", {"2020s"}}};
  service().for_each_match(request, [&](const schema::PassageRecord& record) {
    csv.passage(record);
    return true;
  });
  csv.end();
  std::istringstream lines(out.str());
  std::string header, row, extra;
  std::getline(lines, header);
  std::getline(lines, row);
  EXPECT_FALSE(std::getline(lines, extra) && !extra.empty() && extra != "\r");
  EXPECT_NE(header.find(",decade,"), std::string::npos) << header;
  EXPECT_NE(row.find(",2020s,"), std::string::npos) << row;
  EXPECT_NE(row.find("report-2021.txt"), std::string::npos) << row;
}

TEST_F(FacetTableTest, ShowsTheNewFacetAsAPanelOfThePage) {
  searchd::SearchRequest request;
  request.query = "transparencia";
  request.filters = {{"decade", {"2010s"}}};
  const std::string html = searchd::render_search_page(
      request, service().search(request), {{"q", "transparencia"}, {"decade", "2010s"}},
      searchd::UiLanguage::kEnglish, table_);
  const auto panel = html.find("id=\"facet-decade\"");
  ASSERT_NE(panel, std::string::npos) << html;
  const std::string rest = html.substr(panel);
  EXPECT_NE(rest.find("<legend>Decade</legend>"), std::string::npos);
  EXPECT_NE(rest.find("name=\"decade\" value=\"2010s\""), std::string::npos);
  EXPECT_NE(rest.find("value=\"2010s\" id=\"f-decade-2010s\" checked"), std::string::npos);
  EXPECT_NE(rest.find("name=\"decade\" value=\"2020s\""), std::string::npos);
}

}  // namespace
}  // namespace lupa
