// A throw-away facet that no part of Lupa knows about, the decade of the document's date
// ("2010s"), appended to a copy of the standard facet table: tests use it to show that a facet
// is one table entry and nothing else.
#pragma once

#include <string>
#include <vector>

#include "lupa/analyzers/schema.h"

namespace lupa::testing {

inline std::vector<std::string> decade_of(const schema::PassageRecord& record) {
  const auto year = record.year();
  if (!year) return {};
  return {std::to_string(*year / 10 * 10) + "s"};
}

/// The standard facets and, last, `decade`: counted, shown, without a vocabulary.
inline std::vector<schema::Facet> facets_with_decade() {
  std::vector<schema::Facet> table(schema::kFacets.begin(), schema::kFacets.end());
  table.push_back(schema::Facet{.name = "decade",
                                .prefix = "XD",
                                .field = "decade",
                                .values = &decade_of,
                                .single = true,
                                .vocabulary = "",
                                .value_case = schema::ValueCase::kLower,
                                .counted = true,
                                .shown = true,
                                .tells_translations_apart = false,
                                .title = {"Decade", "Década"},
                                .description = "decade of the document's date"});
  return table;
}

}  // namespace lupa::testing
