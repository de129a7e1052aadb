#include "data_files.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <unordered_map>

#include "lupa/analyzers/data_directory.h"
#include "lupa/analyzers/glossary.h"
#include "lupa/analyzers/language.h"
#include "lupa/analyzers/reference_data.h"

namespace lupa::analyzers {
namespace {

namespace fs = std::filesystem;

// A line of a data file with its 1-based number in the file, trimmed as the loaders want it.
struct NumberedLine {
  std::size_t number = 0;
  std::string_view text;
};

// The non-empty lines of `content` that are not `#` comments, trimmed of spaces and carriage
// returns (tabs are kept: a trailing tab is an empty last column).
std::vector<NumberedLine> content_lines(std::string_view content) {
  // A byte-order mark, as editors on Windows write, would become part of the first key.
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  std::vector<NumberedLine> lines;
  std::size_t start = 0;
  for (std::size_t number = 1; start < content.size(); ++number) {
    std::size_t end = content.find('\n', start);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(start, end - start);
    start = end + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    lines.push_back({number, line});
  }
  return lines;
}

std::size_t column_count(std::string_view line) {
  return static_cast<std::size_t>(std::count(line.begin(), line.end(), '\t')) + 1;
}

// A row's key: its first column; the whole line in a one-column file.
std::string_view row_key(std::string_view line) {
  return line.substr(0, line.find('\t'));
}

std::string plural(std::size_t count, std::string_view noun) {
  return std::to_string(count) + " " + std::string(noun) + (count == 1 ? "" : "s");
}

std::string file_name_of(std::string_view origin) {
  return fs::path(std::string(origin)).filename().string();
}

// The operator's folder every read of a data file goes through, once configured, and whether
// a data file was read already (after which the folder can no longer be set: data read before
// it would not have seen it).
struct DataFilesState {
  std::mutex mutex;
  bool read_once = false;
  std::unique_ptr<const DataDirectory> directory;
  std::string digest;  // of the directory's merged rows
};

DataFilesState& data_files_state() {
  static DataFilesState state;
  return state;
}

// Reads an operator's file whole, refusing one over the bound before reading it.
std::string read_operator_file(const fs::path& path) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error) throw DataFileError(path.string() + ": cannot be read: " + error.message());
  if (!fs::is_regular_file(status)) throw DataFileError(path.string() + ": not a regular file");
  const std::uintmax_t size = fs::file_size(path, error);
  if (error) throw DataFileError(path.string() + ": cannot be read: " + error.message());
  if (size > kMaxDataFileBytes)
    throw DataFileError(path.string() + ": " + std::to_string(size) + " bytes, over the " +
                        std::to_string(kMaxDataFileBytes >> 20) + " MiB a data file may have");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataFileError(path.string() + ": cannot be read");
  // Read no more than the bound, even if the file grew since its size was taken.
  std::string content(static_cast<std::size_t>(size), '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  content.resize(static_cast<std::size_t>(in.gcount()));
  return content;
}

}  // namespace

std::vector<std::string> data_file_lines(std::string_view file_name) {
  DataFilesState& state = data_files_state();
  {
    std::lock_guard lock(state.mutex);
    state.read_once = true;
    if (const DataDirectory* directory = state.directory.get())
      for (std::size_t i = 0; i < directory->merges.size(); ++i)
        if (directory->merges[i].file_name == file_name) return directory->merged_lines[i];
  }
  const std::string_view content = detail::embedded_file(file_name);
  if (content.empty()) throw std::logic_error("data file not embedded: " + std::string(file_name));
  std::vector<std::string> lines;
  for (const NumberedLine& line : content_lines(content)) lines.emplace_back(line.text);
  return lines;
}

std::vector<std::string> split_tabs(std::string_view line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (;;) {
    const std::size_t tab = line.find('\t', start);
    fields.emplace_back(
        line.substr(start, tab == std::string_view::npos ? line.npos : tab - start));
    if (tab == std::string_view::npos) return fields;
    start = tab + 1;
  }
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('|', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view part = text.substr(start, end - start);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (!part.empty()) parts.emplace_back(part);
    start = end + 1;
  }
  return parts;
}

std::vector<std::string> merge_data_lines(std::string_view built_in, std::string_view operator_text,
                                          std::string_view origin, DataFileMerge& merge) {
  const std::string file_name = merge.file_name.empty() ? file_name_of(origin) : merge.file_name;
  merge.rows_added = merge.rows_replaced = 0;
  std::vector<std::string> lines;
  std::unordered_map<std::string, std::size_t> built_in_row;  // key -> its first line
  std::size_t fewest_columns = 0, most_columns = 0;
  std::size_t repeated_keys = 0;
  for (const NumberedLine& line : content_lines(built_in)) {
    const std::size_t columns = column_count(line.text);
    fewest_columns = lines.empty() ? columns : std::min(fewest_columns, columns);
    most_columns = std::max(most_columns, columns);
    if (!built_in_row.try_emplace(std::string(row_key(line.text)), lines.size()).second)
      ++repeated_keys;
    lines.emplace_back(line.text);
  }
  if (lines.empty()) fewest_columns = most_columns = 1;
  // A table whose first column is a kind, not a key (page-chrome.tsv: "chrome", 22 rows;
  // document-type-markers.tsv: a type per row): an operator's rows are added, never replace.
  if (most_columns > 1 && repeated_keys > 0) {
    for (const NumberedLine& line : content_lines(operator_text)) {
      const std::size_t columns = column_count(line.text);
      if (columns < fewest_columns || columns > most_columns)
        throw DataFileError(std::string(origin) + ": line " + std::to_string(line.number) + ": " +
                            plural(columns, "tab-separated column") + ", " + file_name +
                            " rows have " + std::to_string(most_columns) +
                            " (its header lists them)");
      lines.emplace_back(line.text);
      ++merge.rows_added;
    }
    return lines;
  }

  std::vector<bool> dropped(lines.size());
  std::unordered_map<std::string, std::size_t> operator_row;  // key -> its line number
  for (const NumberedLine& line : content_lines(operator_text)) {
    const std::string where = std::string(origin) + ": line " + std::to_string(line.number) + ": ";
    const std::size_t columns = column_count(line.text);
    if (columns < fewest_columns || columns > most_columns) {
      const std::string expected =
          fewest_columns == most_columns
              ? std::to_string(most_columns)
              : std::to_string(fewest_columns) + " to " + std::to_string(most_columns);
      throw DataFileError(where + plural(columns, "tab-separated column") + ", " + file_name +
                          " rows have " + expected + " (its header lists them)");
    }
    const std::string key(row_key(line.text));
    if (const auto [earlier, fresh] = operator_row.emplace(key, line.number); !fresh)
      throw DataFileError(where + "`" + key + "` is already the key of line " +
                          std::to_string(earlier->second));
    if (const auto replaced = built_in_row.find(key); replaced != built_in_row.end()) {
      // In place: order matters in some files (the first matching document type wins).
      lines[replaced->second] = line.text;
      ++merge.rows_replaced;
      // A key the built-in file lists twice (a stop word) keeps one row, the operator's.
      for (std::size_t i = replaced->second + 1; i < dropped.size(); ++i)
        if (row_key(lines[i]) == key) dropped[i] = true;
    } else {
      lines.emplace_back(line.text);
      ++merge.rows_added;
    }
  }
  std::vector<std::string> kept;
  kept.reserve(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (i >= dropped.size() || !dropped[i]) kept.push_back(std::move(lines[i]));
  return kept;
}

std::string DataDirectory::describe() const {
  std::string text = "from " + path.string() + ": ";
  if (merges.empty()) return text + "no data files";
  for (std::size_t i = 0; i < merges.size(); ++i) {
    const DataFileMerge& merge = merges[i];
    if (i > 0) text.append(", ");
    text.append(merge.file_name).append(" (");
    if (merge.rows_added > 0 || merge.rows_replaced == 0)
      text.append("+").append(plural(merge.rows_added, "row"));
    if (merge.rows_added > 0 && merge.rows_replaced > 0) text.append(", ");
    if (merge.rows_replaced > 0)
      text.append(std::to_string(merge.rows_replaced)).append(" replaced");
    text.append(")");
  }
  return text;
}

DataDirectory read_data_directory(const fs::path& directory) {
  DataDirectory result;
  result.path = directory;
  std::error_code error;
  if (!fs::is_directory(directory, error))
    throw DataFileError(directory.string() + ": not a folder (the data folder: --data-dir or " +
                        kDataDirEnvironmentVariable + ")");
  std::vector<fs::path> files;
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error))
    files.push_back(it->path());
  if (error) throw DataFileError(directory.string() + ": cannot be read: " + error.message());
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    const std::string name = file.filename().string();
    if (name.starts_with('.')) continue;  // .gitkeep, editors' swap files
    const std::string_view built_in = detail::embedded_file(name);
    if (built_in.empty()) {
      result.warnings.push_back(file.string() +
                                ": names no data file (a typo?); ignored. Data files: "
                                "docs/data-files.md");
      continue;
    }
    DataFileMerge merge{name, 0, 0};
    result.merged_lines.push_back(
        merge_data_lines(built_in, read_operator_file(file), file.string(), merge));
    result.merges.push_back(std::move(merge));
  }
  return result;
}

DataFilesInUse configure_data_directory(const std::optional<fs::path>& directory) {
  std::optional<fs::path> chosen = directory;
  if (!chosen) {
    const char* from_environment = std::getenv(kDataDirEnvironmentVariable);
    if (from_environment && *from_environment) chosen = fs::path(from_environment);
  }
  DataFilesInUse in_use{"built in", {}};
  {
    DataFilesState& state = data_files_state();
    std::lock_guard lock(state.mutex);
    if (state.read_once)
      throw std::logic_error(
          "configure_data_directory: a data file was read already; call it first in main");
    if (chosen) {
      auto read = std::make_unique<const DataDirectory>(read_data_directory(*chosen));
      in_use.description += "; " + read->describe();
      in_use.warnings = read->warnings;
      Poco::SHA1Engine engine;
      for (std::size_t i = 0; i < read->merges.size(); ++i) {
        engine.update(read->merges[i].file_name + '\n');
        for (const std::string& line : read->merged_lines[i]) engine.update(line + '\n');
      }
      state.digest = Poco::DigestEngine::digestToHex(engine.digest());
      state.directory = std::move(read);
    }
  }
  // Everything that reads data files, once now: a row its loader refuses stops the program
  // here, at its start, with the file's name.
  ReferenceData::instance();
  Glossary::bundled();
  stop_words(Language::kSpanish);
  return in_use;
}

const std::string& data_directory_digest() {
  DataFilesState& state = data_files_state();
  std::lock_guard lock(state.mutex);
  return state.digest;  // set once, before any reader runs
}

}  // namespace lupa::analyzers
