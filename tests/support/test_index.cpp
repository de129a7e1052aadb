#include "support/test_index.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <sstream>

#include "lupa/analyzers/passage_record.h"
#include "lupa/analyzers/schema.h"

namespace lupa::testing {

indexer::IndexSummary index_folders(const std::filesystem::path& database,
                                    const std::vector<std::filesystem::path>& folders) {
  indexer::IndexerOptions options;
  options.database = database;
  options.corpus_folders = folders;
  auto summary = indexer::index_corpus(options);
  for (const auto& error : summary.errors) ADD_FAILURE() << error.path << ": " << error.message;
  return summary;
}

std::map<std::string, std::string> passages_by_id(const std::filesystem::path& database) {
  const Xapian::Database db(database.string());
  std::map<std::string, std::string> found;
  for (auto posting = db.postlist_begin(""); posting != db.postlist_end(""); ++posting) {
    const Xapian::Document document = db.get_document(*posting);
    schema::PassageRecord record = schema::PassageRecord::parse(document.get_data());
    record.indexed_at = 0;
    std::ostringstream all;
    all << "data " << record.serialise() << "\n";
    for (auto value = document.values_begin(); value != document.values_end(); ++value)
      if (value.get_valueno() != schema::kSlotIndexedAt)
        all << "value " << value.get_valueno() << " " << *value << "\n";
    for (auto term = document.termlist_begin(); term != document.termlist_end(); ++term) {
      all << "term " << *term << " wdf " << term.get_wdf() << " at";
      for (auto at = term.positionlist_begin(); at != term.positionlist_end(); ++at)
        all << " " << *at;
      all << "\n";
    }
    if (!found.emplace(record.id, all.str()).second) ADD_FAILURE() << record.id << " twice";
  }
  return found;
}

}  // namespace lupa::testing
