#include "lupa/analyzers/passage_record.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <optional>
#include <sstream>

#include "enum_names.h"
#include "lupa/analyzers/json_writer.h"

namespace lupa::schema {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr analyzers::EnumNames<PassageKind, 3> kKindNames = {{
    {PassageKind::kParagraph, "paragraph"},
    {PassageKind::kSection, "section"},
    {PassageKind::kCommitment, "commitment"},
}};

constexpr analyzers::EnumNames<TextSource, 3> kSourceNames = {{
    {TextSource::kText, "text"},
    {TextSource::kTextLayer, "text-layer"},
    {TextSource::kOcr, "ocr"},
}};

// --- Writing -----------------------------------------------------------------------------

// Records the linker rewrote were, until this type existed, parsed with Poco's default
// handler, which keeps keys in a sorted map, and written back so: those keep that form.
Object::Ptr new_object(bool sorted) {
  return sorted ? new Object : new Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

Array::Ptr list(const std::vector<std::string>& values) {
  Array::Ptr array = new Array;
  for (const std::string& value : values) array->add(value);
  return array;
}

Object::Ptr commitment_object(const CommitmentRecord& commitment, bool sorted) {
  Object::Ptr json = new_object(sorted);
  if (commitment.number) json->set("number", *commitment.number);
  if (!commitment.ogp_id.empty()) json->set("ogp_id", commitment.ogp_id);
  json->set("title", commitment.title);
  Object::Ptr fields = new_object(sorted);
  for (const auto& [name, value] : commitment.fields) fields->set(name, value);
  json->set("fields", fields);
  Array::Ptr references = new Array;
  for (int number : commitment.original_paragraphs) references->add(number);
  json->set("original_paragraphs", references);
  return json;
}

Object::Ptr irm_object(const IrmRatings& irm, bool sorted) {
  Object::Ptr json = new_object(sorted);
  if (irm.specificity) json->set("specificity", *irm.specificity);
  if (!irm.ogp_values.empty()) json->set("ogp_values", list(irm.ogp_values));
  if (irm.potential_impact) json->set("potential_impact", *irm.potential_impact);
  if (irm.potential_results) json->set("potential_results", *irm.potential_results);
  if (irm.completion) json->set("completion", *irm.completion);
  if (irm.opened_government) json->set("opened_government", *irm.opened_government);
  if (irm.starred) json->set("starred", *irm.starred);
  return json;
}

// A record without links, ratings or a commitment (all but a few of an index's) is written
// directly, in the bytes Poco's stringifier gives it: building Poco objects for each passage
// cost the indexer more than its analysis.
std::optional<std::string> serialise_plain(const PassageRecord& record) {
  if (record.links || !record.irm.empty() || record.commitment) return std::nullopt;
  analyzers::JsonWriter json;
  json.begin_object();
  json.key("id").text(record.id);
  json.key("doc").text(record.doc);
  json.key("title").text(record.title);
  json.key("heading").text(record.heading);
  json.key("kind").text(to_string(record.kind));
  json.key("ordinal").integer(record.ordinal);
  if (record.paragraph) json.key("paragraph").integer(*record.paragraph);
  if (record.page) json.key("page").integer(*record.page);
  json.key("source").text(to_string(record.source));
  if (record.confidence) json.key("confidence").number(*record.confidence);
  json.key("lang").text(record.lang);
  json.key("plans").texts(record.plans);
  if (record.type) json.key("type").text(*record.type);
  if (record.country) json.key("country").text(*record.country);
  if (record.date) json.key("date").text(*record.date);
  if (record.passage_date) json.key("passage_date").text(record.passage_date->to_string());
  if (record.publisher) json.key("publisher").text(*record.publisher);
  json.key("doc_languages").texts(record.doc_languages);
  json.key("indexed_at").integer(record.indexed_at);
  if (record.section) json.key("section").text(*record.section);
  json.key("challenge").texts(record.challenges);
  json.key("themes").texts(record.themes);
  json.key("agencies").texts(record.agencies);
  json.key("responsible").texts(record.responsible);
  json.key("organizations").texts(record.organizations);
  if (record.status) json.key("status").text(*record.status);
  if (record.translation_id) json.key("translation_id").text(*record.translation_id);
  if (!record.supporting.empty()) json.key("supporting").texts(record.supporting);
  if (record.report_stage) json.key("report_stage").text(*record.report_stage);
  json.key("text").text(record.text);
  json.end_object();
  return std::move(json).finish();
}

// --- Reading -----------------------------------------------------------------------------

[[noreturn]] void fail(std::string_view key, std::string_view why) {
  throw RecordError("stored passage: key `" + std::string(key) + "` " + std::string(why));
}

class Reader {
 public:
  Reader(const Object& object, std::string context)
      : object_(object), context_(std::move(context)) {}

  std::string text(const std::string& key) const {
    const auto value = optional_text(key);
    if (!value) fail(name(key), "is missing");
    return *value;
  }

  std::optional<std::string> optional_text(const std::string& key) const {
    if (!present(key)) return std::nullopt;
    const Poco::Dynamic::Var value = object_.get(key);
    if (!value.isString()) fail(name(key), "is not a string");
    return value.extract<std::string>();
  }

  std::optional<std::int64_t> optional_integer(const std::string& key) const {
    if (!present(key)) return std::nullopt;
    const Poco::Dynamic::Var value = object_.get(key);
    if (!value.isInteger()) fail(name(key), "is not a whole number");
    return whole_number(value, key);
  }

  int int_value(const std::string& key) const {
    const auto value = optional_int(key);
    if (!value) fail(name(key), "is missing");
    return *value;
  }

  std::optional<int> optional_int(const std::string& key) const {
    const auto value = optional_integer(key);
    if (!value) return std::nullopt;
    return small_number(*value, key);
  }

  std::optional<double> optional_number(const std::string& key) const {
    if (!present(key)) return std::nullopt;
    const Poco::Dynamic::Var value = object_.get(key);
    if (!value.isNumeric()) fail(name(key), "is not a number");
    return value.convert<double>();
  }

  std::vector<std::string> texts(const std::string& key) const {
    std::vector<std::string> values;
    const Array::Ptr array = optional_array(key);
    if (!array) fail(name(key), "is missing");
    for (std::size_t i = 0; i < array->size(); ++i) {
      const Poco::Dynamic::Var item = array->get(static_cast<unsigned>(i));
      if (!item.isString()) fail(name(key), "holds an item that is not a string");
      values.push_back(item.extract<std::string>());
    }
    return values;
  }

  std::vector<std::string> optional_texts(const std::string& key) const {
    return present(key) ? texts(key) : std::vector<std::string>{};
  }

  std::vector<int> ints(const std::string& key) const {
    std::vector<int> values;
    const Array::Ptr array = optional_array(key);
    if (!array) fail(name(key), "is missing");
    for (std::size_t i = 0; i < array->size(); ++i) {
      const Poco::Dynamic::Var item = array->get(static_cast<unsigned>(i));
      if (!item.isInteger()) fail(name(key), "holds an item that is not a whole number");
      values.push_back(small_number(whole_number(item, key), key));
    }
    return values;
  }

  std::optional<bool> optional_bool(const std::string& key) const {
    if (!present(key)) return std::nullopt;
    const Poco::Dynamic::Var value = object_.get(key);
    if (!value.isBoolean()) fail(name(key), "is not true or false");
    return value.extract<bool>();
  }

  Object::Ptr optional_object(const std::string& key) const {
    if (!present(key)) return nullptr;
    if (!object_.isObject(key)) fail(name(key), "is not an object");
    return object_.getObject(key);
  }

  bool has(const std::string& key) const { return object_.has(key); }

  // An integer JSON value as int64; one beyond its range (an unsigned 64-bit number) fails.
  std::int64_t whole_number(const Poco::Dynamic::Var& value, const std::string& key) const {
    try {
      return value.convert<std::int64_t>();
    } catch (const Poco::Exception&) {
      fail(name(key), "is out of range");
    }
  }

  int small_number(std::int64_t value, const std::string& key) const {
    if (value < INT32_MIN || value > INT32_MAX) fail(name(key), "is out of range");
    return static_cast<int>(value);
  }
  std::string name(const std::string& key) const { return context_ + key; }

 private:
  bool present(const std::string& key) const { return object_.has(key) && !object_.isNull(key); }

  Array::Ptr optional_array(const std::string& key) const {
    if (!present(key)) return nullptr;
    if (!object_.isArray(key)) fail(name(key), "is not a list");
    return object_.getArray(key);
  }

  const Object& object_;
  std::string context_;
};

CommitmentRecord read_commitment(const Object& object) {
  const Reader read(object, "commitment.");
  CommitmentRecord commitment;
  commitment.number = read.optional_int("number");
  commitment.ogp_id = read.optional_text("ogp_id").value_or("");
  commitment.title = read.text("title");
  if (const Object::Ptr fields = read.optional_object("fields")) {
    const Reader read_field(*fields, "commitment.fields.");
    // In key order as stored: the order the description wrote them in. (Iterating the object
    // itself would visit its keys sorted, whatever order the parser preserved.)
    for (const std::string& name : fields->getNames())
      commitment.fields.emplace_back(name, read_field.text(name));
  }
  if (read.has("original_paragraphs"))
    commitment.original_paragraphs = read.ints("original_paragraphs");
  return commitment;
}

IrmRatings read_irm(const Object& object) {
  const Reader read(object, "irm.");
  IrmRatings irm;
  irm.specificity = read.optional_text("specificity");
  irm.ogp_values = read.optional_texts("ogp_values");
  irm.potential_impact = read.optional_text("potential_impact");
  irm.potential_results = read.optional_text("potential_results");
  irm.completion = read.optional_text("completion");
  irm.opened_government = read.optional_text("opened_government");
  irm.starred = read.optional_bool("starred");
  return irm;
}

}  // namespace

void IrmRatings::complete_from(const IrmRatings& other) {
  if (!specificity) specificity = other.specificity;
  if (ogp_values.empty()) ogp_values = other.ogp_values;
  if (!potential_impact) potential_impact = other.potential_impact;
  if (!potential_results) potential_results = other.potential_results;
  if (!completion) completion = other.completion;
  if (!opened_government) opened_government = other.opened_government;
  if (!starred) starred = other.starred;
}

std::string_view to_string(PassageKind kind) {
  return analyzers::name_of(kKindNames, kind);
}

std::optional<PassageKind> passage_kind_from_string(std::string_view name) {
  return analyzers::value_named(kKindNames, name);
}

std::string_view to_string(TextSource source) {
  return analyzers::name_of(kSourceNames, source);
}

std::optional<TextSource> text_source_from_string(std::string_view name) {
  return analyzers::value_named(kSourceNames, name);
}

std::optional<int> year_of(std::string_view date) {
  if (date.size() < 4) return std::nullopt;
  int year = 0;
  for (const char c : date.substr(0, 4)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    year = year * 10 + (c - '0');
  }
  return year;
}

std::optional<int> PassageRecord::year() const {
  if (passage_date) return passage_date->start_year();
  return date ? year_of(*date) : std::nullopt;
}

IrmRatings PassageRecord::ratings() const {
  IrmRatings all = irm;
  if (links) all.complete_from(links->ratings);
  return all;
}

std::vector<std::string> PassageRecord::ogp_ids() const {
  if (commitment && !commitment->ogp_id.empty()) return {commitment->ogp_id};
  if (links && !links->linked_ogp_id.empty()) return {links->linked_ogp_id};
  return {};
}

std::string PassageRecord::serialise() const {
  if (auto plain = serialise_plain(*this)) return std::move(*plain);
  const bool sorted = links.has_value();
  Object::Ptr stored = new_object(sorted);
  stored->set("id", id);
  stored->set("doc", doc);
  stored->set("title", title);
  stored->set("heading", heading);
  stored->set("kind", std::string(to_string(kind)));
  stored->set("ordinal", ordinal);
  if (paragraph) stored->set("paragraph", *paragraph);
  if (page) stored->set("page", *page);
  stored->set("source", std::string(to_string(source)));
  if (confidence) stored->set("confidence", *confidence);
  stored->set("lang", lang);
  stored->set("plans", list(plans));
  if (type) stored->set("type", *type);
  if (country) stored->set("country", *country);
  if (date) stored->set("date", *date);
  if (passage_date) stored->set("passage_date", passage_date->to_string());
  if (publisher) stored->set("publisher", *publisher);
  stored->set("doc_languages", list(doc_languages));
  stored->set("indexed_at", indexed_at);
  if (section) stored->set("section", *section);
  stored->set("challenge", list(challenges));
  stored->set("themes", list(themes));
  stored->set("agencies", list(agencies));
  stored->set("responsible", list(responsible));
  stored->set("organizations", list(organizations));
  if (status) stored->set("status", *status);
  if (translation_id) stored->set("translation_id", *translation_id);
  if (!supporting.empty()) stored->set("supporting", list(supporting));
  if (report_stage) stored->set("report_stage", *report_stage);
  if (!irm.empty()) stored->set("irm", irm_object(irm, sorted));
  if (commitment) stored->set("commitment", commitment_object(*commitment, sorted));
  stored->set("text", text);
  if (links) {
    if (!links->group.empty()) stored->set("commitment_group", links->group);
    stored->set("original", list(links->original));
    if (!links->linked_ogp_id.empty()) stored->set("linked_ogp_id", links->linked_ogp_id);
    if (!links->ratings.empty()) stored->set("linked_irm", irm_object(links->ratings, sorted));
    if (!links->rated_by.empty()) stored->set("rated_by", list(links->rated_by));
  }
  std::ostringstream data;
  stored->stringify(data);
  return data.str();
}

PassageRecord PassageRecord::parse(std::string_view data) {
  Object::Ptr stored;
  try {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    const Poco::Dynamic::Var parsed = parser.parse(std::string(data));
    if (parsed.type() != typeid(Object::Ptr)) throw RecordError("stored passage: not an object");
    stored = parsed.extract<Object::Ptr>();
  } catch (const Poco::Exception& error) {
    throw RecordError("stored passage: not JSON: " + error.message());
  }
  const Reader read(*stored, "");
  PassageRecord record;
  record.id = read.text("id");
  record.doc = read.text("doc");
  record.title = read.text("title");
  record.heading = read.optional_text("heading").value_or("");
  const std::string kind = read.text("kind");
  const auto parsed_kind = passage_kind_from_string(kind);
  if (!parsed_kind) fail("kind", "is no passage kind: " + kind);
  record.kind = *parsed_kind;
  record.ordinal = read.int_value("ordinal");
  record.paragraph = read.optional_int("paragraph");
  record.page = read.optional_int("page");
  const std::string source = read.optional_text("source").value_or("text");
  const auto parsed_source = text_source_from_string(source);
  if (!parsed_source) fail("source", "is no text source: " + source);
  record.source = *parsed_source;
  record.confidence = read.optional_number("confidence");
  record.lang = read.text("lang");
  record.plans = read.optional_texts("plans");
  record.type = read.optional_text("type");
  record.country = read.optional_text("country");
  record.date = read.optional_text("date");
  if (const auto about = read.optional_text("passage_date")) {
    record.passage_date = PassageDate::parse(*about);
    if (!record.passage_date) fail("passage_date", "is no date nor period: " + *about);
  }
  record.publisher = read.optional_text("publisher");
  record.doc_languages = read.optional_texts("doc_languages");
  record.indexed_at = read.optional_integer("indexed_at").value_or(0);
  record.section = read.optional_text("section");
  record.challenges = read.optional_texts("challenge");
  record.themes = read.optional_texts("themes");
  record.agencies = read.optional_texts("agencies");
  record.responsible = read.optional_texts("responsible");
  record.organizations = read.optional_texts("organizations");
  record.status = read.optional_text("status");
  record.translation_id = read.optional_text("translation_id");
  record.supporting = read.optional_texts("supporting");
  record.report_stage = read.optional_text("report_stage");
  if (const Object::Ptr irm = read.optional_object("irm")) record.irm = read_irm(*irm);
  if (const Object::Ptr commitment = read.optional_object("commitment"))
    record.commitment = read_commitment(*commitment);
  record.text = read.text("text");
  // The linker writes `original` into every record it links, even when it is empty.
  if (read.has("original")) {
    CommitmentLinks links;
    links.group = read.optional_text("commitment_group").value_or("");
    links.original = read.texts("original");
    links.linked_ogp_id = read.optional_text("linked_ogp_id").value_or("");
    if (const Object::Ptr linked = read.optional_object("linked_irm"))
      links.ratings = read_irm(*linked);
    links.rated_by = read.optional_texts("rated_by");
    record.links = std::move(links);
  }
  return record;
}

void FacetValuesEncoder::add(std::size_t index, std::string_view value) {
  if (value.empty() || value.find(kValueSeparator) != std::string_view::npos) return;
  slot_ += facet_code(index);
  slot_ += value;
  slot_ += kValueSeparator;
}

}  // namespace lupa::schema
