// Labels an index holds itself, for facet values the reference data cannot label: the names of
// institutions the commitment recogniser found that agencies.tsv does not list. The indexer
// writes each in the database's user metadata, in the transaction of the passages that name
// it; searchd shows it when ReferenceData::label has nothing for the value.
#pragma once

#include <string>
#include <string_view>

#include "lupa/analyzers/schema.h"

namespace lupa::analyzers {

/// Every index label's metadata key starts so.
inline constexpr std::string_view kIndexLabelKeyPrefix = "label:";

/// The metadata key of the label of value `id` of `vocabulary` (a data file's name without
/// ".tsv", as a facet's table entry names it): "label:agencies:ke-kenya-school-of-government".
/// Bounded as schema::metadata_key bounds keys, so a reader looks a value up by this key.
inline std::string index_label_key(std::string_view vocabulary, std::string_view id) {
  std::string prefix(kIndexLabelKeyPrefix);
  prefix.append(vocabulary).append(":");
  return schema::metadata_key(prefix, id);
}

}  // namespace lupa::analyzers
