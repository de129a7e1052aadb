// Builds indexes for tests with the indexer library, in-process, and reads what they hold.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "lupa/indexer/corpus_indexer.h"

namespace lupa::testing {

/// Indexes `folders` into `database`; fails the test when a file could not be indexed.
indexer::IndexSummary index_folders(const std::filesystem::path& database,
                                    const std::vector<std::filesystem::path>& folders);

/// Everything of each passage of `database` (a folder or a stub), by passage id: its data, its
/// values, its terms with their wdf and positions; but the run's time (indexed_at, slot 0),
/// which differs between any two runs. Two indexes hold the same passages when these are
/// equal, whatever their document ids. Fails the test for an id held twice.
std::map<std::string, std::string> passages_by_id(const std::filesystem::path& database);

}  // namespace lupa::testing
