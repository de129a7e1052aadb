#include "support/test_index.h"

#include <gtest/gtest.h>

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

}  // namespace lupa::testing
