// Access to the data files compiled into the library (see cmake/LupaEmbedFiles.cmake), with
// the rows of an operator's data folder merged in once configure_data_directory() set one
// (lupa/analyzers/data_directory.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lupa::analyzers {
namespace detail {
std::string_view embedded_file(std::string_view file_name);  // generated
}

/// The non-empty lines of a data file, trimmed, without `#` comment lines: the built-in file's,
/// merged with the operator's file of the same name when there is one. The first call ends
/// the time when configure_data_directory() may be called.
/// Throws std::logic_error when the file was not embedded (a build error, not a user error).
std::vector<std::string> data_file_lines(std::string_view file_name);

/// Splits a TSV line into its fields.
std::vector<std::string> split_tabs(std::string_view line);

/// Splits a `|`-separated list field; items are trimmed and empty ones dropped.
std::vector<std::string> split_list(std::string_view text);

}  // namespace lupa::analyzers
