#include "lupa/searchd/json_response.h"

#include <Poco/JSON/Array.h>

#include <sstream>

#include "lupa/searchd/markup_escape.h"

namespace lupa::searchd {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr new_object() {
  return new Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

// Copies a stored field when the passage has it, or sets null, so every hit has every key.
void copy_or_null(const Object::Ptr& from, Object::Ptr& to, const std::string& key,
                  const std::string& as) {
  if (from->has(key))
    to->set(as, from->get(key));
  else
    to->set(as, Poco::Dynamic::Var());
}

Object::Ptr facets_object(const std::vector<Facet>& facet_list) {
  Object::Ptr facets = new_object();
  for (const Facet& facet : facet_list) {
    Array::Ptr values = new Array;
    for (const FacetValue& value : facet.values) {
      Object::Ptr entry = new_object();
      entry->set("value", value.value);
      entry->set("label", value.label.en);
      entry->set("label_es", value.label.es);
      entry->set("count", value.count);
      values->add(entry);
    }
    facets->set(facet.name, values);
  }
  return facets;
}

Object::Ptr hit_json(const Hit& hit) {
  const Object::Ptr& stored = hit.stored;
  Object::Ptr json = new_object();
  json->set("id", stored->get("id"));
  json->set("rank", hit.rank);
  json->set("score", hit.score);
  for (const char* field : {"doc", "title", "heading", "kind", "type"})
    copy_or_null(stored, json, field, field);
  const auto plans = stored->getArray("plans");
  if (plans && plans->size() > 0)
    json->set("plan", plans->get(0));
  else
    json->set("plan", Poco::Dynamic::Var());
  json->set("plans", plans ? plans : Array::Ptr(new Array));
  copy_or_null(stored, json, "country", "country");
  copy_or_null(stored, json, "lang", "lang");
  for (const char* list : {"challenge", "themes", "agencies", "responsible", "organizations"})
    json->set(list,
              stored->has(list) ? stored->get(list) : Poco::Dynamic::Var(Array::Ptr(new Array)));
  copy_or_null(stored, json, "status", "status");
  // `commitment` is the OGP id where known; the commitment's own number and title beside it.
  const auto commitment = stored->getObject("commitment");
  std::string ogp_id = commitment ? commitment->optValue<std::string>("ogp_id", "") : "";
  if (ogp_id.empty()) ogp_id = stored->optValue<std::string>("linked_ogp_id", "");
  json->set("commitment", ogp_id.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(ogp_id));
  json->set("commitment_number", commitment && commitment->has("number") ? commitment->get("number")
                                                                         : Poco::Dynamic::Var());
  json->set("commitment_title", commitment ? commitment->get("title") : Poco::Dynamic::Var());
  for (const char* field :
       {"translation_id", "page", "paragraph", "section", "source", "confidence"})
    copy_or_null(stored, json, field, field);
  json->set("snippet", hit.snippet);
  return json;
}

}  // namespace

Object::Ptr search_json(const SearchResult& result) {
  Object::Ptr json = new_object();
  json->set("query", result.query);
  json->set("total", result.total);
  json->set("page", result.page);
  json->set("per_page", result.per_page);
  json->set("took_ms", result.took_ms);
  if (result.corrected)
    json->set("corrected", *result.corrected);
  else
    json->set("corrected", Poco::Dynamic::Var());
  json->set("corrected_applied", result.corrected_applied);
  json->set("relaxed", result.relaxed);
  if (result.language)
    json->set("language", *result.language);
  else
    json->set("language", Poco::Dynamic::Var());
  Array::Ptr expanded = new Array;
  for (const std::string& concept_id : result.expanded) expanded->add(concept_id);
  json->set("expanded", expanded);
  Array::Ptr hits = new Array;
  for (const Hit& hit : result.hits) hits->add(hit_json(hit));
  json->set("hits", hits);
  json->set("facets", facets_object(result.facets));
  return json;
}

Object::Ptr facets_json(const FacetListing& listing) {
  Object::Ptr json = new_object();
  json->set("total", listing.total);
  json->set("facets", facets_object(listing.facets));
  return json;
}

Object::Ptr health_json(const IndexHealth& health) {
  Object::Ptr json = new_object();
  json->set("status", "ok");
  json->set("passages", health.passages);
  json->set("revision", health.revision);
  return json;
}

Object::Ptr error_json(const std::string& message) {
  Object::Ptr json = new_object();
  // Messages quote what the client sent, which may be any bytes.
  json->set("error", with_valid_utf8(message));
  return json;
}

std::string to_string(const Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return escape_markup_in_json(out.str());
}

}  // namespace lupa::searchd
