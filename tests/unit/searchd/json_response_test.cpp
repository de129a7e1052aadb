// The answers are written directly; their bytes must be those of the Poco objects they were
// built as before (kept here as the reference), stringified and then markup-escaped: the same
// keys in the same order, the same escapes, numbers and nulls, on hostile text.
#include "lupa/searchd/json_response.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "lupa/searchd/markup_escape.h"

namespace lupa::searchd {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

// --- The reference: the answers as Poco objects ----------------------------------------------

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

std::string poco_answer(const Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return escape_markup_in_json(out.str());
}

Object::Ptr poco_facets(const std::vector<Facet>& facet_list) {
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

Var poco_facet_value(const schema::Facet& facet, const schema::PassageRecord& record) {
  const std::vector<std::string> values = facet.values(record);
  if (facet.single) return values.empty() ? Var() : Var(values.front());
  return list(values);
}

Object::Ptr poco_hit(const Hit& hit, schema::FacetTable table) {
  const schema::PassageRecord& record = hit.record;
  Object::Ptr json = new_object();
  json->set("id", record.id);
  json->set("rank", hit.rank);
  json->set("score", hit.score);
  json->set("doc", record.doc);
  json->set("title", record.title);
  json->set("heading", record.heading);
  json->set("plan", record.plans.empty() ? Var() : Var(record.plans.front()));
  for (const schema::Facet& facet : table)
    if (!facet.field.empty()) json->set(std::string(facet.field), poco_facet_value(facet, record));
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
  json->set("also_in", sources);
  json->set("also_in_more", hit.also_in_more);
  return json;
}

void poco_shards(Object& json, const AnsweredBy& shards) {
  if (!shards) return;
  Object::Ptr object = new_object();
  object->set("total", shards->total);
  object->set("answered", shards->answered());
  object->set("missing", list(shards->missing));
  object->set("partial", shards->partial());
  json.set("shards", object);
}

std::string poco_search(const SearchResult& result, const AnsweredBy& shards) {
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
  Var understood;
  if (result.understood) {
    Object::Ptr object = new_object();
    object->set("id", result.understood->id);
    object->set("label", result.understood->label.en);
    object->set("label_es", result.understood->label.es);
    object->set("facet", result.understood->facet);
    Object::Ptr filters = new_object();
    for (const auto& [name, value] : result.understood->filters) filters->set(name, value);
    object->set("filters", filters);
    object->set("page", "/agencies/" + result.understood->id);
    understood = object;
  }
  json->set("understood", understood);
  Array::Ptr hits = new Array;
  for (const Hit& hit : result.hits) hits->add(poco_hit(hit, schema::standard_facets()));
  json->set("hits", hits);
  json->set("facets", poco_facets(result.facets));
  poco_shards(*json, shards);
  return poco_answer(json);
}

std::string poco_agency(const AgencyPage& page, const AnsweredBy& shards) {
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
      const schema::IrmRatings& ratings = commitment.ratings;
      Object::Ptr rated = new_object();
      rated->set("specificity", or_null(ratings.specificity));
      rated->set("ogp_values", list(ratings.ogp_values));
      rated->set("potential_impact", or_null(ratings.potential_impact));
      rated->set("potential_results", or_null(ratings.potential_results));
      rated->set("completion", or_null(ratings.completion));
      rated->set("opened_government", or_null(ratings.opened_government));
      rated->set("starred", or_null(ratings.starred));
      entry->set("ratings", rated);
      entry->set("passages", list(commitment.passages));
      commitments->add(entry);
    }
    group->set("commitments", commitments);
    plans->add(group);
  }
  json->set("plans", plans);
  poco_shards(*json, shards);
  return poco_answer(json);
}

// --- Hostile values ----------------------------------------------------------------------------

// Quotes, backslashes, every kind of control byte, markup and UTF-8.
const std::string kHostile = std::string("\"q\" C:\\x </mark>&amp; <b>\b\f\n\r\t") + '\0' +
                             "\x01\x1F\x7F / acci\xC3\xB3n \xE2\x80\xA6 \xF0\x9F\x98\x80";
// Bytes that are not UTF-8: passed on as they are.
const std::string kNotUtf8 = "\xFF\xC3(";

schema::PassageRecord hostile_record(const std::string& id) {
  schema::PassageRecord record;
  record.id = id + kHostile;
  record.doc = "corpus/" + kHostile;
  record.title = kHostile;
  record.heading = "<h1>" + kHostile;
  record.kind = schema::PassageKind::kCommitment;
  record.page = 12;
  record.paragraph = std::numeric_limits<int>::max();
  record.source = schema::TextSource::kOcr;
  record.confidence = 87.25;
  record.lang = "es";
  record.plans = {"mx-2011-2013", kHostile};
  record.type = "action-plan";
  record.country = "mx";
  record.date = "2012-12-14";
  record.passage_date = schema::PassageDate::parse("2012-03");
  record.section = kHostile;
  record.challenges = {kHostile};
  record.themes = {"open-data", "<x>"};
  record.agencies = {"mx-sfp", kHostile};
  record.responsible = {"mx-sfp"};
  record.organizations = {};
  record.status = "complete & <done>";
  record.translation_id = kHostile;
  record.supporting = {"mx-inai"};
  record.report_stage = "final";
  record.irm.specificity = "high";
  record.irm.ogp_values = {"access-to-information", kHostile};
  record.irm.starred = true;
  record.commitment = schema::CommitmentRecord{14, "MX0085", "Open <data> & \"more\"", {}, {}};
  record.text = kHostile;
  return record;
}

SearchResult hostile_result() {
  SearchResult result;
  result.query = kHostile;
  result.total = std::numeric_limits<Xapian::doccount>::max();
  result.collapsed = 1234567;
  result.page = 3;
  result.per_page = 10;
  result.took_ms = 12.345678901234567;
  result.corrected = "rendici\xC3\xB3n <de> cuentas";
  result.corrected_applied = true;
  result.relaxed = false;
  result.language = "es";
  result.expanded = {kHostile, "lupaconcept:open-data"};
  result.sort = SortOrder::kNewest;
  result.from = "2011";
  result.to = kHostile;
  result.understood = Understood{"mx-sfp",
                                 {"Ministry <of> Public & \"Admin\"",
                                  "Secretar\xC3\xAD"
                                  "a"},
                                 "agency",
                                 {{"agency", "mx-sfp"}}};
  Hit full;
  full.rank = 21;
  full.score = 0.1;
  full.snippet =
      "\xE2\x80\xA6 la <mark>informaci\xC3\xB3n</mark> p\xC3\xBA"
      "blica &amp; " +
      kHostile;
  full.record = hostile_record("a");
  full.collapsed = 2;
  full.also_in = {hostile_record("b"), hostile_record("c")};
  full.also_in.back().page.reset();
  full.also_in_more = std::numeric_limits<std::size_t>::max();
  Hit bare;
  bare.rank = 22;
  bare.score = 1e-7;
  bare.record.id = "bare";
  bare.record.lang = "en";
  Hit linked = bare;
  linked.rank = 23;
  linked.score = 123456789.125;
  linked.record.confidence = 1e-7;
  linked.record.commitment = schema::CommitmentRecord{std::nullopt, "", kHostile, {}, {}};
  linked.record.links = schema::CommitmentLinks{"g", {}, "MX0001", {}, {}};
  linked.record.links->ratings.completion = "limited";
  result.hits = {full, bare, linked};
  result.facets = {
      Facet{"plan",
            {{kHostile, {kHostile, "<es>"}, 4000000000u}, {"mx-2011-2013", {"2011", "2011"}, 1}}},
      Facet{"lang", {}}, Facet{kHostile, {{"x", {"", ""}, 0}}}};
  return result;
}

const AnsweredBy kTwoOfThree = ShardsAnswered{3, {"tcp://127.0.0.1:1 <a&b>"}};

// --- The tests -------------------------------------------------------------------------------

TEST(JsonResponse, SearchAnswerIsWhatPocoWrote) {
  SearchResult result = hostile_result();
  result.query += kNotUtf8;
  result.hits.front().record.title += kNotUtf8;
  result.facets.front().values.front().label.es += kNotUtf8;
  EXPECT_EQ(search_json(result), poco_search(result, std::nullopt));
  EXPECT_EQ(search_json(result, schema::standard_facets(), kTwoOfThree),
            poco_search(result, kTwoOfThree));
  const AnsweredBy all = ShardsAnswered{2, {}};
  EXPECT_EQ(search_json(result, schema::standard_facets(), all), poco_search(result, all));
  // Nothing optional, nothing found.
  const SearchResult empty;
  EXPECT_EQ(search_json(empty), poco_search(empty, std::nullopt));
}

TEST(JsonResponse, SearchAnswerHoldsNoRawMarkupAndReadsBackAsWritten) {
  const SearchResult result = hostile_result();
  const std::string json = search_json(result);
  EXPECT_EQ(json.find_first_of("<>&"), std::string::npos);
  const auto parsed = Poco::JSON::Parser().parse(json).extract<Object::Ptr>();
  EXPECT_EQ(parsed->getValue<std::string>("query"), kHostile);
  EXPECT_EQ(parsed->getValue<double>("took_ms"), 12.345678901234567);
  const Object::Ptr first = parsed->getArray("hits")->getObject(0);
  EXPECT_EQ(first->getValue<std::string>("snippet"), result.hits.front().snippet);
  EXPECT_EQ(first->getValue<double>("confidence"), 87.25);
}

// A hit's facet fields sit among its own keys; a field named as one of them would be written
// twice (Poco's object kept one key), so every facet with a field must add a key of its own.
TEST(JsonResponse, EachFacetFieldIsAKeyOfItsOwnInAHit) {
  constexpr std::size_t kOwnKeys = 20;  // id, rank, score, ..., also_in, also_in_more
  SearchResult result;
  result.hits.resize(1);
  const auto parsed = Poco::JSON::Parser().parse(search_json(result)).extract<Object::Ptr>();
  const Object::Ptr hit = parsed->getArray("hits")->getObject(0);
  std::size_t fields = 0;
  for (const schema::Facet& facet : schema::standard_facets()) {
    if (facet.field.empty()) continue;
    ++fields;
    EXPECT_TRUE(hit->has(std::string(facet.field))) << facet.field;
  }
  EXPECT_EQ(hit->getNames().size(), kOwnKeys + fields);
}

TEST(JsonResponse, FacetListingIsWhatPocoWrote) {
  FacetListing listing;
  listing.total = 61583;
  listing.facets = hostile_result().facets;
  for (const AnsweredBy& shards : {AnsweredBy(), kTwoOfThree}) {
    Object::Ptr json = new_object();
    json->set("total", listing.total);
    json->set("facets", poco_facets(listing.facets));
    poco_shards(*json, shards);
    EXPECT_EQ(facets_json(listing, shards), poco_answer(json));
  }
}

TEST(JsonResponse, HealthIsWhatPocoWrote) {
  IndexHealth health;
  health.passages = 61583;
  health.revision = "12,<7>" + kNotUtf8;
  health.matches_split = std::numeric_limits<std::uint64_t>::max();
  for (const auto& shards : std::vector<std::vector<std::pair<std::string, bool>>>{
           {}, {{"tcp://a:1", true}, {"tcp://b&c:2", true}}, {{"a", true}, {"\"b\"", false}}}) {
    health.shards = shards;
    Object::Ptr json = new_object();
    json->set("status", "ok");
    json->set("passages", health.passages);
    json->set("revision", health.revision);
    json->set("matches_split", health.matches_split);
    if (!shards.empty()) {
      Array::Ptr listed = new Array;
      bool degraded = false;
      for (const auto& [location, answered] : shards) {
        Object::Ptr shard = new_object();
        shard->set("location", location);
        shard->set("answered", answered);
        listed->add(shard);
        degraded = degraded || !answered;
      }
      if (degraded) json->set("status", "degraded");
      json->set("shards", listed);
    }
    EXPECT_EQ(health_json(health), poco_answer(json));
  }
  EXPECT_EQ(health_json(health).rfind("{\"status\":\"degraded\",", 0), 0u);
}

TEST(JsonResponse, AgencyPageIsWhatPocoWrote) {
  AgencyPage page;
  page.id = "mx-sfp";
  page.label = {kHostile + kNotUtf8,
                "Secretar\xC3\xAD"
                "a <de> la Funci\xC3\xB3n P\xC3\xBA"
                "blica"};
  page.commitments = 3;
  page.truncated = true;
  AgencyCommitment rated;
  rated.role = AgencyRole::kLead;
  rated.title = kHostile;
  rated.number = 7;
  rated.ogp_id = "MX0085";
  rated.status = "complete";
  rated.ratings.specificity = "high";
  rated.ratings.ogp_values = {"access-to-information", kHostile};
  rated.ratings.starred = false;
  rated.passages = {"a.0001", kHostile};
  AgencyCommitment bare;
  bare.title = "";
  page.plans = {AgencyPlan{"mx-2011-2013", {"Plan <1>", "Plan 1"}, {rated, bare}},
                AgencyPlan{"", {}, {bare}}};
  EXPECT_EQ(agency_json(page), poco_agency(page, std::nullopt));
  EXPECT_EQ(agency_json(page, kTwoOfThree), poco_agency(page, kTwoOfThree));
  page.country = "mx";
  page.plans.clear();
  EXPECT_EQ(agency_json(page), poco_agency(page, std::nullopt));
}

TEST(JsonResponse, ErrorIsWhatPocoWrote) {
  for (const std::string& message : {std::string("No passage with id '<script>&amp;'"), kHostile,
                                     kHostile + kNotUtf8, std::string()}) {
    Object::Ptr json = new_object();
    json->set("error", with_valid_utf8(message));
    EXPECT_EQ(error_json(message), poco_answer(json));
  }
  EXPECT_EQ(error_json("a\xFF<"), "{\"error\":\"a\xEF\xBF\xBD\\u003c\"}");
}

}  // namespace
}  // namespace lupa::searchd
