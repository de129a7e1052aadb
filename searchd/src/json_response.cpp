#include "lupa/searchd/json_response.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>

#include "facet_json.h"
#include "lupa/analyzers/json_writer.h"
#include "lupa/searchd/markup_escape.h"

// Every answer but the passage's is written directly (analyzers::JsonWriter), in the bytes
// Poco's stringifier followed by escape_markup_in_json gave it; the passage's is its stored
// record edited, kept as Poco objects.
namespace lupa::searchd {
namespace {

using analyzers::JsonWriter;
using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

JsonWriter answer_writer() {
  return JsonWriter(JsonWriter::Markup::kEscaped);
}

Object::Ptr new_object() {
  return new Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

template <typename T>
Var or_null(const std::optional<T>& value) {
  return value ? Var(*value) : Var();
}

std::string serialised(const Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return escape_markup_in_json(out.str());
}

// A text that is null when empty.
void text_or_null(JsonWriter& json, const std::string& value) {
  if (value.empty())
    json.null();
  else
    json.text(value);
}

void write_facets(JsonWriter& json, const std::vector<Facet>& facet_list) {
  json.begin_object();
  for (const Facet& facet : facet_list) {
    json.key(facet.name).begin_array();
    for (const FacetValue& value : facet.values) {
      json.begin_object();
      json.key("value").text(value.value);
      json.key("label").text(value.label.en);
      json.key("label_es").text(value.label.es);
      json.key("count").integer(value.count);
      json.end_object();
    }
    json.end_array();
  }
  json.end_object();
}

// The other sources of a hit's text: enough to tell them apart and open them.
void write_also_in(JsonWriter& json, const Hit& hit) {
  json.begin_array();
  for (const schema::PassageRecord& other : hit.also_in) {
    json.begin_object();
    json.key("id").text(other.id);
    json.key("doc").text(other.doc);
    json.key("title").text(other.title);
    json.key("page").or_null(other.page);
    json.key("source").text(schema::to_string(other.source));
    json.end_object();
  }
  json.end_array();
}

void write_hit(JsonWriter& json, const Hit& hit, schema::FacetTable table) {
  const schema::PassageRecord& record = hit.record;
  json.begin_object();
  json.key("id").text(record.id);
  json.key("rank").integer(hit.rank);
  json.key("score").number(hit.score);
  json.key("doc").text(record.doc);
  json.key("title").text(record.title);
  json.key("heading").text(record.heading);
  // `plan`: the first of `plans` (a web page can cover several plans).
  if (record.plans.empty())
    json.key("plan").null();
  else
    json.key("plan").text(record.plans.front());
  // Every facet with a stored field, under that field's name: `commitment` is the OGP id where
  // known (own or linked), the commitment's own number and title beside it. (No facet's field
  // is named as one of the keys around it: tests/unit/searchd/json_response_test.cpp.)
  for (const schema::Facet& facet : table) {
    if (facet.field.empty()) continue;
    json.key(facet.field);
    write_facet_json_value(json, facet, record);
  }
  const auto& commitment = record.commitment;
  if (commitment)
    json.key("commitment_number").or_null(commitment->number);
  else
    json.key("commitment_number").null();
  if (commitment)
    json.key("commitment_title").text(commitment->title);
  else
    json.key("commitment_title").null();
  json.key("translation_id").or_null(record.translation_id);
  json.key("page").or_null(record.page);
  json.key("paragraph").or_null(record.paragraph);
  json.key("section").or_null(record.section);
  json.key("source").text(schema::to_string(record.source));
  json.key("confidence").or_null(record.confidence);
  if (record.passage_date)
    json.key("passage_date").text(record.passage_date->to_string());
  else
    json.key("passage_date").null();
  json.key("snippet").text(hit.snippet);
  json.key("collapsed").integer(hit.collapsed);
  json.key("also_in");
  write_also_in(json, hit);
  json.key("also_in_more").integer(hit.also_in_more);
  json.end_object();
}

void write_understood(JsonWriter& json, const Understood& understood) {
  json.begin_object();
  json.key("id").text(understood.id);
  json.key("label").text(understood.label.en);
  json.key("label_es").text(understood.label.es);
  json.key("facet").text(understood.facet);
  json.key("filters").begin_object();
  for (const auto& [name, value] : understood.filters) json.key(name).text(value);
  json.end_object();
  json.key("page").text("/agencies/" + understood.id);
  json.end_object();
}

// The last key of an answer over shard servers.
void write_shards(JsonWriter& json, const AnsweredBy& shards) {
  if (!shards) return;
  json.key("shards").begin_object();
  json.key("total").integer(shards->total);
  json.key("answered").integer(shards->answered());
  json.key("missing").texts(shards->missing);
  json.key("partial").boolean(shards->partial());
  json.end_object();
}

// The same, into a passage's answer.
void add_shards(Object& json, const AnsweredBy& shards) {
  if (!shards) return;
  Object::Ptr object = new_object();
  object->set("total", shards->total);
  object->set("answered", shards->answered());
  Array::Ptr missing = new Array;
  for (const std::string& location : shards->missing) missing->add(location);
  object->set("missing", missing);
  object->set("partial", shards->partial());
  json.set("shards", object);
}

void write_ratings(JsonWriter& json, const schema::IrmRatings& ratings) {
  json.begin_object();
  json.key("specificity").or_null(ratings.specificity);
  json.key("ogp_values").texts(ratings.ogp_values);
  json.key("potential_impact").or_null(ratings.potential_impact);
  json.key("potential_results").or_null(ratings.potential_results);
  json.key("completion").or_null(ratings.completion);
  json.key("opened_government").or_null(ratings.opened_government);
  json.key("starred").or_null(ratings.starred);
  json.end_object();
}

}  // namespace

std::string agency_json(const AgencyPage& page, const AnsweredBy& shards) {
  JsonWriter json = answer_writer();
  json.begin_object();
  json.key("id").text(page.id);
  json.key("label").text(page.label.en);
  json.key("label_es").text(page.label.es);
  json.key("country");
  text_or_null(json, page.country);
  json.key("commitments").integer(page.commitments);
  json.key("truncated").boolean(page.truncated);
  json.key("plans").begin_array();
  for (const AgencyPlan& plan : page.plans) {
    json.begin_object();
    json.key("plan");
    text_or_null(json, plan.plan);
    json.key("label").text(plan.label.en);
    json.key("label_es").text(plan.label.es);
    json.key("commitments").begin_array();
    for (const AgencyCommitment& commitment : plan.commitments) {
      json.begin_object();
      json.key("role").text(to_string(commitment.role));
      json.key("title").text(commitment.title);
      json.key("number").or_null(commitment.number);
      json.key("ogp_id");
      text_or_null(json, commitment.ogp_id);
      json.key("status").or_null(commitment.status);
      json.key("ratings");
      write_ratings(json, commitment.ratings);
      json.key("passages").texts(commitment.passages);
      json.end_object();
    }
    json.end_array();
    json.end_object();
  }
  json.end_array();
  write_shards(json, shards);
  json.end_object();
  return std::move(json).finish();
}

std::string search_json(const SearchResult& result, schema::FacetTable table,
                        const AnsweredBy& shards) {
  JsonWriter json = answer_writer();
  json.begin_object();
  json.key("query").text(result.query);
  json.key("total").integer(result.total);
  json.key("collapsed").integer(result.collapsed);
  json.key("page").integer(result.page);
  json.key("per_page").integer(result.per_page);
  json.key("took_ms").number(result.took_ms);
  json.key("corrected").or_null(result.corrected);
  json.key("corrected_applied").boolean(result.corrected_applied);
  json.key("relaxed").boolean(result.relaxed);
  json.key("language").or_null(result.language);
  json.key("expanded").texts(result.expanded);
  json.key("sort").text(to_string(result.sort));
  json.key("from").or_null(result.from);
  json.key("to").or_null(result.to);
  json.key("understood");
  if (result.understood)
    write_understood(json, *result.understood);
  else
    json.null();
  json.key("hits").begin_array();
  for (const Hit& hit : result.hits) write_hit(json, hit, table);
  json.end_array();
  json.key("facets");
  write_facets(json, result.facets);
  write_shards(json, shards);
  json.end_object();
  return std::move(json).finish();
}

std::string facets_json(const FacetListing& listing, const AnsweredBy& shards) {
  JsonWriter json = answer_writer();
  json.begin_object();
  json.key("total").integer(listing.total);
  json.key("facets");
  write_facets(json, listing.facets);
  write_shards(json, shards);
  json.end_object();
  return std::move(json).finish();
}

std::string health_json(const IndexHealth& health) {
  const bool degraded = std::any_of(health.shards.begin(), health.shards.end(),
                                    [](const auto& shard) { return !shard.second; });
  JsonWriter json = answer_writer();
  json.begin_object();
  // `status` comes first, "degraded" when a shard did not answer.
  json.key("status").text(degraded ? "degraded" : "ok");
  json.key("passages").integer(health.passages);
  json.key("revision").text(health.revision);
  json.key("matches_split").integer(health.matches_split);
  if (!health.shards.empty()) {
    json.key("shards").begin_array();
    for (const auto& [location, answered] : health.shards) {
      json.begin_object();
      json.key("location").text(location);
      json.key("answered").boolean(answered);
      json.end_object();
    }
    json.end_array();
  }
  json.end_object();
  return std::move(json).finish();
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
  JsonWriter json = answer_writer();
  json.begin_object();
  // Messages quote what the client sent, which may be any bytes.
  json.key("error").text(with_valid_utf8(message));
  json.end_object();
  return std::move(json).finish();
}

}  // namespace lupa::searchd
