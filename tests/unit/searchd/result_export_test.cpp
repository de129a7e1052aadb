#include "lupa/searchd/result_export.h"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "lupa/analyzers/passage_record.h"
#include "lupa/analyzers/schema.h"

namespace lupa::searchd {
namespace {

schema::PassageRecord passage(const std::string& id, const std::string& text) {
  schema::PassageRecord record;
  record.id = id;
  record.title = "Plan";
  record.text = text;
  return record;
}

std::string csv_row(const schema::PassageRecord& record) {
  std::ostringstream out;
  CsvWriter writer(out);
  writer.passage(record);
  return out.str();
}

// The last cell of the single data row of a CSV export: the passage text.
std::string text_cell(const std::string& text) {
  const std::string before = csv_row(passage("p.1", ""));  // every cell but the text, ",\r\n"
  const std::string row = csv_row(passage("p.1", text));
  const std::size_t start = before.size() - 2;
  return row.substr(start, row.size() - start - 2);
}

TEST(CsvWriter, CellsASpreadsheetWouldRunAsFormulasStartWithAnApostrophe) {
  EXPECT_EQ(text_cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(text_cell("+1"), "\"'+1\"");
  EXPECT_EQ(text_cell("-2+3"), "\"'-2+3\"");
  EXPECT_EQ(text_cell("@SUM(A1)"), "\"'@SUM(A1)\"");
  EXPECT_EQ(text_cell("\tx"), "\"'\tx\"");
  EXPECT_EQ(text_cell("\rx"), "\"'\rx\"");
  EXPECT_EQ(text_cell("Plan 2019 = 13 compromisos"), "Plan 2019 = 13 compromisos");
  EXPECT_EQ(text_cell("a, b"), "\"a, b\"");
}

TEST(JsonLinesArrayWriter, KeepsEveryValueAsItIs) {
  std::ostringstream out;
  JsonLinesArrayWriter writer(out);
  writer.begin();
  writer.passage(passage("p.1", "=HYPERLINK(\"http://x\")"));
  writer.end();
  const auto rows = Poco::JSON::Parser().parse(out.str()).extract<Poco::JSON::Array::Ptr>();
  EXPECT_EQ(rows->getObject(0)->getValue<std::string>("text"), "=HYPERLINK(\"http://x\")");
}

// The columns exports have always had, in their order (researchers' scripts read them so),
// then the columns of facets added since (the supporting bodies, the report's stage and the
// IRM's ratings), the date the passage is about, and the text.
const std::vector<std::string> kStandardColumns = {"id",
                                                   "doc",
                                                   "title",
                                                   "heading",
                                                   "kind",
                                                   "type",
                                                   "plans",
                                                   "country",
                                                   "date",
                                                   "lang",
                                                   "page",
                                                   "paragraph",
                                                   "section",
                                                   "source",
                                                   "confidence",
                                                   "challenge",
                                                   "themes",
                                                   "agencies",
                                                   "responsible",
                                                   "organizations",
                                                   "status",
                                                   "commitment",
                                                   "translation_id",
                                                   "indexed_at",
                                                   "supporting",
                                                   "report_stage",
                                                   "specificity",
                                                   "ogp_values",
                                                   "potential_impact",
                                                   "potential_results",
                                                   "completion",
                                                   "opened_government",
                                                   "starred",
                                                   "passage_date",
                                                   "text"};

TEST(ExportColumns, AreTheColumnsExportsHaveAlwaysHad) {
  EXPECT_EQ(export_columns(), kStandardColumns);
}

// A commitment of two plans whose OGP id the linker found.
schema::PassageRecord linked_commitment() {
  schema::PassageRecord record = passage("corpus.plan-txt.0025", "25. Publicar datos.");
  record.doc = "corpus/plan.txt";
  record.heading = "Compromisos";
  record.kind = schema::PassageKind::kCommitment;
  record.plans = {"mx-2011-2013", "mx-2013-2015"};
  record.type = "action-plan";
  record.lang = "es";
  record.country = "mx";
  record.date = "2011-09";
  record.passage_date = schema::PassageDate{"2011", "2013"};
  record.page = 4;
  record.paragraph = 25;
  record.source = schema::TextSource::kOcr;
  record.confidence = 91;
  record.indexed_at = 1700000000;
  record.agencies = {"mx-sfp", "mx-shcp"};
  record.commitment = schema::CommitmentRecord{.number = 25,
                                               .ogp_id = "",
                                               .title = "Publicar datos",
                                               .fields = {},
                                               .original_paragraphs = {}};
  record.links = schema::CommitmentLinks{
      .group = {}, .original = {}, .linked_ogp_id = "MX0085", .ratings = {}, .rated_by = {}};
  return record;
}

TEST(CsvWriter, WritesTheHeaderAndEachColumnOfARecord) {
  std::ostringstream out;
  CsvWriter writer(out);
  writer.begin();
  writer.passage(linked_commitment());
  const std::string csv = out.str();
  const std::string header = csv.substr(0, csv.find("\r\n") + 2);
  std::string expected_header = "\xEF\xBB\xBF";
  for (const std::string& column : kStandardColumns)
    expected_header += (expected_header.size() > 3 ? "," : "") + column;
  EXPECT_EQ(header, expected_header + "\r\n");
  // `commitment` is the commitment's own OGP id, else its title: not the id the linker found.
  EXPECT_EQ(csv.substr(header.size()),
            "corpus.plan-txt.0025,corpus/plan.txt,Plan,Compromisos,commitment,action-plan,"
            "mx-2011-2013 | mx-2013-2015,mx,2011-09,es,4,25,,ocr,91,,,mx-sfp | mx-shcp,,,,"
            "Publicar datos,,1700000000,,,,,,,,,,2011/2013,25. Publicar datos.\r\n");
}

TEST(CsvWriter, TheCommitmentColumnIsTheCommitmentsOwnOgpIdWhenItHasOne) {
  schema::PassageRecord record = linked_commitment();
  record.commitment->ogp_id = "MX0001";
  EXPECT_NE(csv_row(record).find(",MX0001,"), std::string::npos) << csv_row(record);
  EXPECT_EQ(csv_row(record).find("MX0085"), std::string::npos) << csv_row(record);
}

TEST(JsonLinesArrayWriter, ListsAsArraysSingleFacetsAsValuesOrNullNumbersAsNumbers) {
  std::ostringstream out;
  JsonLinesArrayWriter writer(out);
  writer.begin();
  writer.passage(linked_commitment());
  writer.passage(passage("p.2", "text"));
  writer.end();
  const auto rows = Poco::JSON::Parser().parse(out.str()).extract<Poco::JSON::Array::Ptr>();
  ASSERT_EQ(rows->size(), 2u);
  const auto row = rows->getObject(0);
  EXPECT_EQ(row->size(), kStandardColumns.size());
  std::size_t key_at = 0;  // the keys are in column order
  for (const std::string& column : kStandardColumns) {
    const std::size_t found = out.str().find("\"" + column + "\":", key_at);
    EXPECT_NE(found, std::string::npos) << column;
    key_at = found;
  }
  EXPECT_EQ(row->getArray("plans")->size(), 2u);
  EXPECT_EQ(row->getArray("challenge")->size(), 0u);
  EXPECT_EQ(row->getValue<std::string>("commitment"), "Publicar datos");
  EXPECT_EQ(row->getValue<std::string>("kind"), "commitment");
  EXPECT_EQ(row->getValue<std::string>("country"), "mx");
  EXPECT_TRUE(row->isNull("status"));
  EXPECT_TRUE(row->get("page").isInteger());
  EXPECT_EQ(row->getValue<int>("page"), 4);
  EXPECT_TRUE(row->get("confidence").isNumeric());
  EXPECT_EQ(row->getValue<double>("confidence"), 91.0);
  EXPECT_EQ(row->getValue<std::int64_t>("indexed_at"), 1700000000);
  EXPECT_EQ(row->getValue<std::string>("passage_date"), "2011/2013");
  const auto plain = rows->getObject(1);
  for (const char* column : {"commitment", "type", "country", "status", "page", "confidence",
                             "translation_id", "date", "passage_date"})
    EXPECT_TRUE(plain->isNull(column)) << column;
}

TEST(ExportColumns, AddTheFieldOfEveryFacetAppendedToTheTableBeforeTheText) {
  // The standard table, then a facet of a new field and one whose field is a column already.
  std::vector<schema::Facet> table(schema::kFacets.begin(), schema::kFacets.end());
  schema::Facet again = table.front();
  again.name = "plan_again";
  again.field = "plans_again";
  table.push_back(again);
  schema::Facet same_field = table.front();
  same_field.name = "plan_too";
  table.push_back(same_field);
  std::vector<std::string> expected = kStandardColumns;
  expected.insert(expected.end() - 2, "plans_again");
  EXPECT_EQ(export_columns(table), expected);
  std::ostringstream out;
  CsvWriter writer(out, table);
  writer.passage(linked_commitment());
  EXPECT_NE(
      out.str().find(
          ",1700000000,,,,,,,,,,mx-2011-2013 | mx-2013-2015,2011/2013,25. Publicar datos.\r\n"),
      std::string::npos)
      << out.str();
}

TEST(ExportWriters, OwnTheirTable) {
  // Built from a table that is gone by the time they write.
  std::ostringstream csv_out, json_out;
  std::unique_ptr<CsvWriter> csv;
  std::unique_ptr<JsonLinesArrayWriter> json;
  {
    std::vector<schema::Facet> table(schema::kFacets.begin(), schema::kFacets.end());
    schema::Facet again = table.front();
    again.name = "plan_again";
    again.field = "plans_again";
    table.push_back(again);
    csv = std::make_unique<CsvWriter>(csv_out, table);
    json = std::make_unique<JsonLinesArrayWriter>(json_out, table);
  }
  // Likely to take the freed table's memory, so that a writer still reading it would fail.
  const std::vector<schema::Facet> other(schema::kFacets.size() + 1, schema::kFacets.back());
  csv->begin();
  csv->passage(linked_commitment());
  json->begin();
  json->passage(linked_commitment());
  json->end();
  EXPECT_NE(csv_out.str().find(",plans_again,passage_date,text\r\n"), std::string::npos)
      << csv_out.str();
  EXPECT_NE(csv_out.str().find(",mx-2011-2013 | mx-2013-2015,2011/2013,25. Publicar"),
            std::string::npos);
  const auto rows = Poco::JSON::Parser().parse(json_out.str()).extract<Poco::JSON::Array::Ptr>();
  EXPECT_EQ(rows->getObject(0)->getArray("plans_again")->size(), 2u);
}

TEST(AtomFeed, IsWellFormedXmlWhateverThePassagesHold) {
  std::ostringstream out;
  write_atom_feed(
      out, {"Lupa: <b>&", "https://lupa.example.org/api/feed?q=x", "https://lupa.example.org"},
      {passage("p.1",
               "control \x01\x0B, non-characters \xEF\xBF\xBE\xEF\xBF\xBF, "
               "bad \xFF byte, markup </summary><x>")});
  Poco::XML::DOMParser parser;
  Poco::AutoPtr<Poco::XML::Document> document;
  ASSERT_NO_THROW(document = parser.parseString(out.str())) << out.str();
  Poco::AutoPtr<Poco::XML::NodeList> summaries = document->getElementsByTagName("summary");
  ASSERT_EQ(summaries->length(), 1u);
  EXPECT_EQ(summaries->item(0)->innerText(),
            "control , non-characters , bad \xEF\xBF\xBD byte, markup </summary><x>");
}

}  // namespace
}  // namespace lupa::searchd
