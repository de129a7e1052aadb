// What a filter value names: a `name=value` parameter of the API or a `name:value` field of a
// query. People write a facet's values as the API lists them (mx, mx-2019-2021) or as the page
// labels them (Mexico, 2019-2021); both are understood. A value that names nothing in a closed
// vocabulary is refused with the forms that work, never answered with a silent zero.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "lupa/analyzers/query_analyzer.h"
#include "lupa/analyzers/schema.h"

namespace lupa::analyzers {

/// A filter value names nothing; what() says what is wrong and gives values that work.
class UnknownFacetValue : public QuerySyntaxError {
 public:
  using QuerySyntaxError::QuerySyntaxError;
};

/// The canonical values of `facet` that `value` names in `database`: its value itself (any
/// case), or a label, name or acronym from the facet's vocabulary; for plans, a period
/// ("2019-2021") names every indexed plan of that period. Values of facets without a
/// vocabulary, and bodies the vocabulary does not list (the indexer discovers them), are taken
/// as written. Throws UnknownFacetValue for anything else.
std::vector<std::string> facet_values_named(const schema::Facet& facet, std::string_view value,
                                            const Xapian::Database& database);

}  // namespace lupa::analyzers
