// A facet's values in a passage as JSON, the one form the search answers and the JSON export
// share: a list as an array, a single-valued facet as its value or null.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>

#include <string>
#include <vector>

#include "lupa/analyzers/json_writer.h"
#include "lupa/analyzers/schema.h"

namespace lupa::searchd {

inline Poco::Dynamic::Var facet_json_value(const schema::Facet& facet,
                                           const schema::PassageRecord& record) {
  const std::vector<std::string> values = facet.values(record);
  if (facet.single)
    return values.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(values.front());
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (const std::string& value : values) list->add(value);
  return list;
}

/// The same, written.
inline void write_facet_json_value(analyzers::JsonWriter& json, const schema::Facet& facet,
                                   const schema::PassageRecord& record) {
  const std::vector<std::string> values = facet.values(record);
  if (!facet.single)
    json.texts(values);
  else if (values.empty())
    json.null();
  else
    json.text(values.front());
}

}  // namespace lupa::searchd
