// Validated search parameters, parsed from an HTTP query string.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
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

/// The order of results: by relevance, or by the date passages are about (docs/schema.md,
/// "Passage dates"), ties by relevance.
enum class SortOrder { kRelevance, kNewest, kOldest };
/// "relevance", "newest", "oldest": the `sort` parameter's values.
std::string_view to_string(SortOrder order);

/// One end of a date range, as the client wrote it (YYYY, YYYY-MM or YYYY-MM-DD) and as the
/// day YYYYMMDD it stands for: its first day for `from`, its last for `to` (both inclusive).
struct DateBound {
  std::string as_given;
  int day = 0;
};

struct SearchRequest {
  std::string query;  ///< empty: browse everything
  /// Facet name -> accepted values: OR within a facet, AND across facets.
  std::map<std::string, std::vector<std::string>> filters;
  int page = 1;
  int per_page = 10;
  bool count_facets = true;  ///< facets=false skips counting: hits and total only
  SortOrder sort = SortOrder::kRelevance;
  /// Passages whose date starts within [from, to]; either end may be open.
  std::optional<DateBound> from;
  std::optional<DateBound> to;
};

using QueryParameters = std::vector<std::pair<std::string, std::string>>;

/// Parses `q`, `page`, `per_page`, `facets` (true/false), `sort` (relevance, newest, oldest),
/// `from` and `to` (dates, inclusive) and one parameter per facet of `table` (repeatable).
/// Unknown parameters are ignored; facet values are resolved by the service (a value that
/// names nothing is its BadRequest, see analyzers::facet_values_named). Throws
/// BadRequest for invalid UTF-8, a query over kMaxQueryCharacters, a page or per_page that is
/// not a whole number in range, an unknown sort, a from or to that is no date, or a from after
/// the to. An empty sort, from or to is as if not given (an empty form field).
SearchRequest parse_search_request(const QueryParameters& parameters,
                                   schema::FacetTable table = schema::standard_facets());

}  // namespace lupa::searchd
