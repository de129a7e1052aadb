// Validated search parameters, parsed from an HTTP query string.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "lupa/analyzers/schema.h"

namespace lupa::searchd {

/// Something the client sent is wrong; what() names the parameter and says why. Becomes 400.
class BadRequest : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr int kMaxPage = 10'000;
inline constexpr int kMaxPerPage = 100;
inline constexpr std::size_t kMaxQueryCharacters = 1000;

struct SearchRequest {
  std::string query;  ///< empty: browse everything
  /// Facet name -> accepted values: OR within a facet, AND across facets.
  std::map<std::string, std::vector<std::string>> filters;
  int page = 1;
  int per_page = 10;
  bool count_facets = true;  ///< facets=false skips counting: hits and total only
};

using QueryParameters = std::vector<std::pair<std::string, std::string>>;

/// Parses `q`, `page`, `per_page`, `facets` (true/false) and one parameter per facet of
/// `table` (repeatable). Unknown parameters are ignored; unknown facet values simply match
/// nothing. Throws BadRequest for invalid UTF-8, a query over kMaxQueryCharacters, or a page
/// or per_page that is not a whole number in range.
SearchRequest parse_search_request(const QueryParameters& parameters,
                                   schema::FacetTable table = schema::standard_facets());

}  // namespace lupa::searchd
