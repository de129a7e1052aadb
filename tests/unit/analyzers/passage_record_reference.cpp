#include "passage_record_reference.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace lupa::schema::testing {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

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

PassageRecord parse_through_var_tree(std::string_view data) {
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

std::string serialise_through_poco(const PassageRecord& record) {
  const bool sorted = record.links.has_value();
  Object::Ptr stored = new_object(sorted);
  stored->set("id", record.id);
  stored->set("doc", record.doc);
  stored->set("title", record.title);
  stored->set("heading", record.heading);
  stored->set("kind", std::string(to_string(record.kind)));
  stored->set("ordinal", record.ordinal);
  if (record.paragraph) stored->set("paragraph", *record.paragraph);
  if (record.page) stored->set("page", *record.page);
  stored->set("source", std::string(to_string(record.source)));
  if (record.confidence) stored->set("confidence", *record.confidence);
  stored->set("lang", record.lang);
  stored->set("plans", list(record.plans));
  if (record.type) stored->set("type", *record.type);
  if (record.country) stored->set("country", *record.country);
  if (record.date) stored->set("date", *record.date);
  if (record.passage_date) stored->set("passage_date", record.passage_date->to_string());
  if (record.publisher) stored->set("publisher", *record.publisher);
  stored->set("doc_languages", list(record.doc_languages));
  stored->set("indexed_at", record.indexed_at);
  if (record.section) stored->set("section", *record.section);
  stored->set("challenge", list(record.challenges));
  stored->set("themes", list(record.themes));
  stored->set("agencies", list(record.agencies));
  stored->set("responsible", list(record.responsible));
  stored->set("organizations", list(record.organizations));
  if (record.status) stored->set("status", *record.status);
  if (record.translation_id) stored->set("translation_id", *record.translation_id);
  if (!record.supporting.empty()) stored->set("supporting", list(record.supporting));
  if (record.report_stage) stored->set("report_stage", *record.report_stage);
  if (!record.irm.empty()) stored->set("irm", irm_object(record.irm, sorted));
  if (record.commitment) stored->set("commitment", commitment_object(*record.commitment, sorted));
  stored->set("text", record.text);
  if (record.links) {
    if (!record.links->group.empty()) stored->set("commitment_group", record.links->group);
    stored->set("original", list(record.links->original));
    if (!record.links->linked_ogp_id.empty())
      stored->set("linked_ogp_id", record.links->linked_ogp_id);
    if (!record.links->ratings.empty())
      stored->set("linked_irm", irm_object(record.links->ratings, sorted));
    if (!record.links->rated_by.empty()) stored->set("rated_by", list(record.links->rated_by));
  }
  std::ostringstream data;
  stored->stringify(data);
  return data.str();
}

}  // namespace lupa::schema::testing
