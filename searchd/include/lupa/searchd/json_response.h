// The JSON bodies of the HTTP API (docs/http-api.md), built with Poco::JSON only.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "lupa/searchd/search_service.h"

namespace lupa::searchd {

Poco::JSON::Object::Ptr search_json(const SearchResult& result);
Poco::JSON::Object::Ptr facets_json(const FacetListing& listing);
Poco::JSON::Object::Ptr health_json(const IndexHealth& health);
Poco::JSON::Object::Ptr error_json(const std::string& message);

/// Serialises compactly (no indentation).
std::string to_string(const Poco::JSON::Object::Ptr& object);

}  // namespace lupa::searchd
