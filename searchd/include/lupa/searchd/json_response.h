// The JSON bodies of the HTTP API (docs/http-api.md), built with Poco::JSON only.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "lupa/searchd/search_service.h"

namespace lupa::searchd {

Poco::JSON::Object::Ptr search_json(const SearchResult& result);
Poco::JSON::Object::Ptr facets_json(const FacetListing& listing);
Poco::JSON::Object::Ptr health_json(const IndexHealth& health);
/// {"error": message}, with bytes that are not UTF-8 replaced by U+FFFD.
Poco::JSON::Object::Ptr error_json(const std::string& message);

/// Serialises compactly (no indentation), with <, > and & as \u escapes so that no answer
/// holds raw markup.
std::string to_string(const Poco::JSON::Object::Ptr& object);

}  // namespace lupa::searchd
