// Builds indexes for tests with the indexer library, in-process.
#pragma once

#include <filesystem>
#include <vector>

#include "lupa/indexer/corpus_indexer.h"

namespace lupa::testing {

/// Indexes `folders` into `database`; fails the test when a file could not be indexed.
indexer::IndexSummary index_folders(const std::filesystem::path& database,
                                    const std::vector<std::filesystem::path>& folders);

}  // namespace lupa::testing
