#include "lupa/searchd/result_export.h"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace lupa::searchd {
namespace {

Poco::JSON::Object::Ptr passage(const std::string& id, const std::string& text) {
  Poco::JSON::Object::Ptr stored = new Poco::JSON::Object;
  stored->set("id", id);
  stored->set("title", "Plan");
  stored->set("text", text);
  return stored;
}

// The last cell of the single data row of a CSV export: the passage text (the cells before
// it are empty).
std::string text_cell(const std::string& text) {
  std::ostringstream out;
  CsvWriter writer(out);
  writer.passage(passage("p.1", text));
  const std::string row = out.str();
  return row.substr(row.rfind(",,") + 2, row.size() - row.rfind(",,") - 4);
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
