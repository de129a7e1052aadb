#include "lupa/searchd/json_response.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "facet_json.h"
#include "lupa/searchd/markup_escape.h"

namespace lupa::searchd {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr new_object() {
  return new Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

template <typename T>
Var or_null(const std::optional<T>& value) {
  return value ? Var(*value) : Var();
}

Array::Ptr list(const std::vector<std::string>& values) {
  Array::Ptr array = new Array;
  for (const std::string& value : values) array->add(value);
  return array;
}

std::string serialised(const Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return escape_markup_in_json(out.str());
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

// The other sources of a hit's text: enough to tell them apart and open them.
Array::Ptr also_in_json(const Hit& hit) {
  Array::Ptr sources = new Array;
  for (const schema::PassageRecord& other : hit.also_in) {
    Object::Ptr source = new_object();
    source->set("id", other.id);
    source->set("doc", other.doc);
    source->set("title", other.title);
    source->set("page", or_null(other.page));
    source->set("source", std::string(schema::to_string(other.source)));
    sources->add(source);
  }
  return sources;
}

Object::Ptr hit_json(const Hit& hit, schema::FacetTable table) {
  const schema::PassageRecord& record = hit.record;
  Object::Ptr json = new_object();
  json->set("id", record.id);
  json->set("rank", hit.rank);
  json->set("score", hit.score);
  json->set("doc", record.doc);
  json->set("title", record.title);
  json->set("heading", record.heading);
  // `plan`: the first of `plans` (a web page can cover several plans).
  json->set("plan", record.plans.empty() ? Var() : Var(record.plans.front()));
  // Every facet with a stored field, under that field's name: `commitment` is the OGP id where
  // known (own or linked), the commitment's own number and title beside it.
  for (const schema::Facet& facet : table) {
    if (!facet.field.empty()) json->set(std::string(facet.field), facet_json_value(facet, record));
  }
  const auto& commitment = record.commitment;
  json->set("commitment_number", commitment ? or_null(commitment->number) : Var());
  json->set("commitment_title", commitment ? Var(commitment->title) : Var());
  json->set("translation_id", or_null(record.translation_id));
  json->set("page", or_null(record.page));
  json->set("paragraph", or_null(record.paragraph));
  json->set("section", or_null(record.section));
  json->set("source", std::string(schema::to_string(record.source)));
  json->set("confidence", or_null(record.confidence));
  json->set("passage_date", record.passage_date ? Var(record.passage_date->to_string()) : Var());
  json->set("snippet", hit.snippet);
  json->set("collapsed", hit.collapsed);
  json->set("also_in", also_in_json(hit));
  json->set("also_in_more", hit.also_in_more);
  return json;
}

Object::Ptr understood_object(const Understood& understood) {
  Object::Ptr json = new_object();
  json->set("id", understood.id);
  json->set("label", understood.label.en);
  json->set("label_es", understood.label.es);
  json->set("facet", understood.facet);
  Object::Ptr filters = new_object();
  for (const auto& [name, value] : understood.filters) filters->set(name, value);
  json->set("filters", filters);
  json->set("page", "/agencies/" + understood.id);
  return json;
}

// The last key of an answer over shard servers.
void add_shards(Object& json, const AnsweredBy& shards) {
  if (!shards) return;
  Object::Ptr object = new_object();
  object->set("total", shards->total);
  object->set("answered", shards->answered());
  object->set("missing", list(shards->missing));
  object->set("partial", shards->partial());
  json.set("shards", object);
}

Object::Ptr ratings_object(const schema::IrmRatings& ratings) {
  Object::Ptr json = new_object();
  json->set("specificity", or_null(ratings.specificity));
  json->set("ogp_values", list(ratings.ogp_values));
  json->set("potential_impact", or_null(ratings.potential_impact));
  json->set("potential_results", or_null(ratings.potential_results));
  json->set("completion", or_null(ratings.completion));
  json->set("opened_government", or_null(ratings.opened_government));
  json->set("starred", or_null(ratings.starred));
  return json;
}

}  // namespace

std::string agency_json(const AgencyPage& page, const AnsweredBy& shards) {
  Object::Ptr json = new_object();
  json->set("id", page.id);
  json->set("label", page.label.en);
  json->set("label_es", page.label.es);
  json->set("country", page.country.empty() ? Var() : Var(page.country));
  json->set("commitments", page.commitments);
  json->set("truncated", page.truncated);
  Array::Ptr plans = new Array;
  for (const AgencyPlan& plan : page.plans) {
    Object::Ptr group = new_object();
    group->set("plan", plan.plan.empty() ? Var() : Var(plan.plan));
    group->set("label", plan.label.en);
    group->set("label_es", plan.label.es);
    Array::Ptr commitments = new Array;
    for (const AgencyCommitment& commitment : plan.commitments) {
      Object::Ptr entry = new_object();
      entry->set("role", std::string(to_string(commitment.role)));
      entry->set("title", commitment.title);
      entry->set("number", or_null(commitment.number));
      entry->set("ogp_id", commitment.ogp_id.empty() ? Var() : Var(commitment.ogp_id));
      entry->set("status", or_null(commitment.status));
      entry->set("ratings", ratings_object(commitment.ratings));
      entry->set("passages", list(commitment.passages));
      commitments->add(entry);
    }
    group->set("commitments", commitments);
    plans->add(group);
  }
  json->set("plans", plans);
  add_shards(*json, shards);
  return serialised(json);
}

std::string search_json(const SearchResult& result, schema::FacetTable table,
                        const AnsweredBy& shards) {
  Object::Ptr json = new_object();
  json->set("query", result.query);
  json->set("total", result.total);
  json->set("collapsed", result.collapsed);
  json->set("page", result.page);
  json->set("per_page", result.per_page);
  json->set("took_ms", result.took_ms);
  json->set("corrected", or_null(result.corrected));
  json->set("corrected_applied", result.corrected_applied);
  json->set("relaxed", result.relaxed);
  json->set("language", or_null(result.language));
  json->set("expanded", list(result.expanded));
  json->set("sort", std::string(to_string(result.sort)));
  json->set("from", or_null(result.from));
  json->set("to", or_null(result.to));
  json->set("understood", result.understood ? Var(understood_object(*result.understood)) : Var());
  Array::Ptr hits = new Array;
  for (const Hit& hit : result.hits) hits->add(hit_json(hit, table));
  json->set("hits", hits);
  json->set("facets", facets_object(result.facets));
  add_shards(*json, shards);
  return serialised(json);
}

std::string facets_json(const FacetListing& listing, const AnsweredBy& shards) {
  Object::Ptr json = new_object();
  json->set("total", listing.total);
  json->set("facets", facets_object(listing.facets));
  add_shards(*json, shards);
  return serialised(json);
}

std::string health_json(const IndexHealth& health) {
  Object::Ptr json = new_object();
  json->set("status", "ok");
  json->set("passages", health.passages);
  json->set("revision", health.revision);
  json->set("matches_split", health.matches_split);
  if (!health.shards.empty()) {
    Array::Ptr shards = new Array;
    bool degraded = false;
    for (const auto& [location, answered] : health.shards) {
      Object::Ptr shard = new_object();
      shard->set("location", location);
      shard->set("answered", answered);
      shards->add(shard);
      degraded = degraded || !answered;
    }
    if (degraded) json->set("status", "degraded");
    json->set("shards", shards);
  }
  return serialised(json);
}

std::string passage_json(const LinkedPassage& linked, schema::FacetTable table,
                         const AnsweredBy& shards) {
  // The stored record as it is, then what is derived from it: every facet's values under its
  // field's name (a rating the linker brought from an IRM report included), and the other
  // documents about the same commitment. The group key is how the index finds those, and the
  // list of their ids is what the record held before it (and what clients read).
  const schema::PassageRecord& record = linked.passage;
  Object::Ptr json = Poco::JSON::Parser(new Poco::JSON::ParseHandler(true))
                         .parse(record.serialise())
                         .extract<Object::Ptr>();
  if (record.links) {
    json->remove("commitment_group");
    Array::Ptr same_as = new Array;
    for (const std::string& id : linked.same_commitment.ids) same_as->add(id);
    json->set("same_as", same_as);
  }
  for (const schema::Facet& facet : table)
    if (!facet.field.empty() && !json->has(std::string(facet.field)))
      json->set(std::string(facet.field), facet_json_value(facet, record));
  Array::Ptr documents = new Array;
  for (const schema::PassageRecord& other : linked.same_commitment.passages) {
    Object::Ptr entry = new_object();
    entry->set("id", other.id);
    entry->set("doc", other.doc);
    entry->set("title", other.title);
    entry->set("type", or_null(other.type));
    entry->set("report_stage", or_null(other.report_stage));
    entry->set("lang", other.lang);
    entry->set("commitment_title", other.commitment ? Var(other.commitment->title) : Var());
    documents->add(entry);
  }
  json->set("same_commitment", documents);
  add_shards(*json, shards);
  return serialised(json);
}

std::string error_json(const std::string& message) {
  Object::Ptr json = new_object();
  // Messages quote what the client sent, which may be any bytes.
  json->set("error", with_valid_utf8(message));
  return serialised(json);
}

}  // namespace lupa::searchd
