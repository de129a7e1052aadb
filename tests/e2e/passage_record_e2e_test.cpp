// End to end: the real lupa-indexer indexes the bundled corpus, commitment linker included, and
// every document it stores is a passage record that reads back to exactly its data, with the
// filter terms and counted values of its facets.
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lupa/analyzers/passage_record.h"
#include "lupa/analyzers/schema.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace lupa::testing {
namespace {

using schema::PassageRecord;

class PassageRecordE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    // The scans are recognised once per build folder and read from its cache afterwards.
    const RunResult run = run_program(std::filesystem::path(LUPA_BIN_DIR) / "lupa-indexer",
                                      {"--quiet", "--ocr-cache", LUPA_TEST_OCR_CACHE, "--db",
                                       (dir_->path() / "index").string(), corpus_dir().string()});
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static Xapian::Database database() { return Xapian::Database((dir_->path() / "index").string()); }

  static TempDir* dir_;
};

TempDir* PassageRecordE2E::dir_ = nullptr;

TEST_F(PassageRecordE2E, EveryStoredRecordReadsBackToItsDataByteForByte) {
  const Xapian::Database db = database();
  ASSERT_GT(db.get_doccount(), 0u);
  std::size_t records = 0, linked = 0, recognised = 0, from_text_layers = 0;
  std::set<std::string> ids;
  for (auto posting = db.postlist_begin(""); posting != db.postlist_end(""); ++posting) {
    const std::string data = db.get_document(*posting).get_data();
    PassageRecord record;
    try {
      record = PassageRecord::parse(data);
    } catch (const schema::RecordError& error) {
      ADD_FAILURE() << error.what() << "\n" << data;
      continue;
    }
    ++records;
    EXPECT_EQ(record.serialise(), data);
    EXPECT_TRUE(ids.insert(record.id).second) << record.id;
    EXPECT_EQ(record.id, schema::passage_id(record.doc, record.ordinal));
    if (record.links && !record.links->group.empty()) ++linked;
    if (record.source == schema::TextSource::kOcr && record.confidence) ++recognised;
    if (record.source == schema::TextSource::kTextLayer) ++from_text_layers;
  }
  EXPECT_EQ(records, db.get_doccount());
  EXPECT_GT(linked, 0u) << "no record the linker linked to the same commitment elsewhere";
  EXPECT_GT(recognised, 0u) << "no record of a recognised page with its confidence";
  EXPECT_GT(from_text_layers, 0u) << "no record of a PDF's text layer";
}

TEST_F(PassageRecordE2E, EveryDocumentHasTheFacetTermsAndCountedValuesOfItsRecord) {
  const Xapian::Database db = database();
  const schema::FacetTable facets = schema::standard_facets();
  for (auto posting = db.postlist_begin(""); posting != db.postlist_end(""); ++posting) {
    const Xapian::Document document = db.get_document(*posting);
    const PassageRecord record = PassageRecord::parse(document.get_data());
    const std::set<std::string> terms(document.termlist_begin(), document.termlist_end());
    std::multiset<std::pair<std::size_t, std::string>> expected_counted;
    for (std::size_t i = 0; i < facets.size(); ++i) {
      std::vector<std::string> values = facets[i].values(record);
      std::sort(values.begin(), values.end());
      values.erase(std::unique(values.begin(), values.end()), values.end());
      for (const std::string& value : values) {
        if (value.empty()) continue;
        EXPECT_TRUE(terms.contains(schema::facet_term(facets[i], value)))
            << record.id << ": " << facets[i].name << "=" << value;
        if (facets[i].counted) expected_counted.emplace(i, value);
      }
    }
    // No facet term that the record does not give.
    for (const std::string& term : terms)
      for (std::size_t i = 0; i < facets.size(); ++i)
        if (term.starts_with(facets[i].prefix)) {
          const std::string value = term.substr(facets[i].prefix.size());
          const auto values = facets[i].values(record);
          EXPECT_NE(std::find(values.begin(), values.end(), value), values.end())
              << record.id << ": term " << term;
        }
    std::multiset<std::pair<std::size_t, std::string>> counted;
    schema::decode_facet_values(document.get_value(schema::kSlotFacetValues),
                                [&](std::size_t index, std::string_view value) {
                                  counted.emplace(index, std::string(value));
                                });
    EXPECT_EQ(counted, expected_counted) << record.id;
  }
}

}  // namespace
}  // namespace lupa::testing
