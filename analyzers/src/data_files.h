// Access to the data files compiled into the library (see cmake/LupaEmbedFiles.cmake).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lupa::analyzers {
namespace detail {
std::string_view embedded_file(std::string_view file_name);  // generated
}

/// The non-empty lines of a data file, trimmed, without `#` comment lines.
/// Throws std::logic_error when the file was not embedded (a build error, not a user error).
std::vector<std::string> data_file_lines(std::string_view file_name);

/// Splits a TSV line into its fields.
std::vector<std::string> split_tabs(std::string_view line);

/// Splits a `|`-separated list field; items are trimmed and empty ones dropped.
std::vector<std::string> split_list(std::string_view text);

}  // namespace lupa::analyzers
