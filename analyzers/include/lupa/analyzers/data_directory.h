// An operator's data folder: files named like the data files compiled into the programs
// (analyzers/data/: agencies.tsv, plans.tsv, countries.tsv, ...) whose rows add to or replace
// the built-in rows, so that a country, a plan or an agency is added without a rebuild.
// docs/data-files.md ("Adding rows without rebuilding") describes it for operators.
//
// Merge rule, per file: a row's key is its first column (for one-column .txt files, the line
// itself). An operator's row whose key a built-in row has replaces that row where it stands
// (order matters in a few files: the first matching document type wins, a tie between
// countries goes to the first); any other row is appended. Comment lines (#) and blank lines
// are ignored, as in the built-in files.
//
// Thread safety: configure_data_directory() is called once by each program's main, before any
// data file is read (ReferenceData::instance(), the glossary, the stop words); after that the
// merged files are read-only and any thread may read them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lupa::analyzers {

/// An operator's data folder or file that cannot be used. The message names the file and,
/// for a bad row, its line: "/srv/lupa/data/plans.tsv: line 4: 6 columns, plans.tsv rows
/// have 7".
class DataFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Largest operator data file read. The built-in files together are under 1 MiB; a file far
/// larger is a mistake (a corpus copied into the folder), and it would be held in memory.
inline constexpr std::uintmax_t kMaxDataFileBytes = std::uintmax_t{16} << 20;

/// The environment variable naming the data folder when --data-dir is not given.
inline constexpr const char* kDataDirEnvironmentVariable = "LUPA_DATA_DIR";

/// What an operator's file did to the built-in file of the same name.
struct DataFileMerge {
  std::string file_name;          ///< "agencies.tsv"
  std::size_t rows_added = 0;     ///< rows with a key no built-in row has: appended
  std::size_t rows_replaced = 0;  ///< rows that replaced the built-in row of their key
};

/// The non-comment lines of `built_in` (a data file's text) with the rows of `operator_text`
/// merged in by the rule above, and what the merge did in `merge` (its counts are set).
/// Throws DataFileError naming `origin` (the operator's file, as shown to users) and the line
/// for a row whose number of tab-separated columns differs from the built-in rows', or for a
/// key the operator's file lists twice.
std::vector<std::string> merge_data_lines(std::string_view built_in, std::string_view operator_text,
                                          std::string_view origin, DataFileMerge& merge);

/// An operator's data folder, read and merged with the built-in files.
struct DataDirectory {
  std::filesystem::path path;
  /// One per file used, by file name.
  std::vector<DataFileMerge> merges;
  /// Files that name no data file (a likely typo: "agency.tsv"), ignored: one message each.
  std::vector<std::string> warnings;
  /// The merged lines of each file used, in the order of `merges`.
  std::vector<std::vector<std::string>> merged_lines;

  /// "from /srv/lupa/data: agencies.tsv (+3 rows, 1 replaced), plans.tsv (+1 row)", or
  /// "from /srv/lupa/data: no data files".
  std::string describe() const;
};

/// Reads every file of `directory` (hidden files aside). Throws DataFileError when the folder
/// cannot be read, when a data file is over kMaxDataFileBytes or not a regular file, or for a
/// row merge_data_lines refuses.
DataDirectory read_data_directory(const std::filesystem::path& directory);

/// Which data files a program runs with, for its summary or log.
struct DataFilesInUse {
  /// "built in", or "built in; from /srv/lupa/data: agencies.tsv (+3 rows, 1 replaced)".
  std::string description;
  std::vector<std::string> warnings;  ///< DataDirectory::warnings
};

/// Makes every later read of a data file see the operator's folder `directory` merged in; when
/// `directory` is nullopt, the folder named by LUPA_DATA_DIR (when set and not empty); with
/// neither, the built-in files alone. Then reads every data file once (reference data,
/// glossary, stop words), so that a row the loaders refuse stops the program at its start
/// rather than at its first document or request.
/// Called once, by each program's main, before anything reads a data file. Throws
/// std::logic_error when a data file was read already (the reference data would not see the
/// folder), DataFileError for a folder or file that cannot be used (see read_data_directory),
/// and std::exception naming the file for a row the loaders refuse.
DataFilesInUse configure_data_directory(const std::optional<std::filesystem::path>& directory);

/// A digest (hex SHA-1) of the rows the configured data folder gives, or "" when none was
/// configured: the indexer counts it in each file's fingerprint, so that a change of the
/// folder's rows re-indexes the documents they may tag differently.
const std::string& data_directory_digest();

}  // namespace lupa::analyzers
