#include "lupa/indexer/document_builder.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "lupa/analyzers/language.h"
#include "lupa/analyzers/schema.h"

namespace lupa::indexer {
namespace {

// Adds the filter terms of a facet's values and appends them to the passage's counted values.
void add_facet(Xapian::Document& document, std::string& counted_values, std::string_view facet_name,
               const std::vector<std::string>& values) {
  const auto facet = schema::find_facet(facet_name);
  if (!facet) throw std::logic_error("no facet " + std::string(facet_name) + " in the schema");
  std::vector<std::string> distinct;
  for (const std::string& value : values) {
    // A newline would break the counted-values slot's format; no canonical value has one.
    if (value.empty() || value.find(schema::kValueSeparator) != std::string::npos) continue;
    if (std::find(distinct.begin(), distinct.end(), value) == distinct.end())
      distinct.push_back(value);
  }
  for (const std::string& value : distinct) {
    document.add_boolean_term(schema::facet_term(*facet, value));
    if (!facet->counted) continue;
    counted_values += schema::facet_code(schema::facet_index(*facet));
    counted_values += value;
    counted_values += schema::kValueSeparator;
  }
}

Poco::JSON::Object::Ptr commitment_json(const Commitment& commitment) {
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  if (commitment.number) json->set("number", *commitment.number);
  if (!commitment.ogp_id.empty()) json->set("ogp_id", commitment.ogp_id);
  json->set("title", commitment.title);
  Poco::JSON::Object::Ptr fields = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [name, value] : commitment.fields) fields->set(name, value);
  json->set("fields", fields);
  Poco::JSON::Array::Ptr references = new Poco::JSON::Array;
  for (int number : commitment.original_paragraphs) references->add(number);
  json->set("original_paragraphs", references);
  return json;
}

}  // namespace

Poco::JSON::Array::Ptr json_list(const std::vector<std::string>& values) {
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (const std::string& value : values) list->add(value);
  return list;
}

std::string passage_id(const std::string& document_path, int ordinal) {
  // Folders become dots; the extension stays (plan.txt and plan.html are two documents) as
  // "-txt"; other characters that are not URL-safe become '-'. Case is kept, so that no two
  // paths of one corpus give the same id unless they differ only in punctuation.
  std::string id;
  const std::size_t extension = document_path.rfind('.');
  for (std::size_t i = 0; i < document_path.size(); ++i) {
    const auto c = static_cast<unsigned char>(document_path[i]);
    if (std::isalnum(c) || c == '_')
      id += static_cast<char>(c);
    else if (c == '/')
      id += '.';
    else if (i == extension || (!id.empty() && id.back() != '-' && id.back() != '.'))
      id += '-';
  }
  char number[16];
  std::snprintf(number, sizeof number, ".%04d", ordinal);
  return id + number;
}

Xapian::Document DocumentBuilder::build(const std::string& document_path,
                                        const DocumentMetadata& metadata, const Passage& passage,
                                        double indexed_at) {
  const std::string id = passage_id(document_path, passage.ordinal);
  const auto language = analyzers::language_from_code(passage.language);

  Xapian::Document document;
  analyzer_.start_document();
  // A heading names what its passages are about: weighted like a title field.
  if (!passage.heading.empty()) analyzer_.add_text(document, passage.heading, language, 3);
  if (passage.commitment && !passage.commitment->title.empty())
    analyzer_.add_text(document, passage.commitment->title, language, 3);
  analyzer_.add_text(document, passage.text, language);

  document.add_boolean_term(schema::id_term(id));
  std::string facet_values;
  document.add_boolean_term(schema::file_term(document_path));
  const std::vector<std::string>& plans = passage.plans.empty() ? metadata.plans : passage.plans;
  add_facet(document, facet_values, "plan", plans);
  add_facet(document, facet_values, "challenge", passage.challenges);
  add_facet(document, facet_values, "theme", passage.themes);
  add_facet(document, facet_values, "agency", passage.agencies);
  add_facet(document, facet_values, "responsible", passage.responsible);
  add_facet(document, facet_values, "organization", passage.organizations);
  if (passage.status) add_facet(document, facet_values, "status", {*passage.status});
  if (passage.commitment && !passage.commitment->ogp_id.empty())
    add_facet(document, facet_values, "commitment", {passage.commitment->ogp_id});
  if (metadata.type) add_facet(document, facet_values, "type", {*metadata.type});
  add_facet(document, facet_values, "lang", {passage.language});
  add_facet(document, facet_values, "kind", {passage.kind});
  if (metadata.country) add_facet(document, facet_values, "country", {*metadata.country});
  if (auto year = metadata.year())
    add_facet(document, facet_values, "year", {std::to_string(*year)});
  document.add_value(schema::kSlotFacetValues, facet_values);
  document.add_value(schema::kSlotIndexedAt, Xapian::sortable_serialise(indexed_at));
  document.add_value(schema::kSlotOrdinal, Xapian::sortable_serialise(passage.ordinal));
  document.add_value(schema::kSlotLanguage, passage.language);
  if (passage.translation_ordinal > 0)
    document.add_value(schema::kSlotTranslationGroup,
                       document_path + "#" +
                           std::to_string(std::min(passage.ordinal, passage.translation_ordinal)));

  Poco::JSON::Object stored(Poco::JSON_PRESERVE_KEY_ORDER);
  stored.set("id", id);
  stored.set("doc", document_path);
  stored.set("title", metadata.title.value_or(document_path));
  stored.set("heading", passage.heading);
  stored.set("kind", passage.kind);
  stored.set("ordinal", passage.ordinal);
  if (passage.number) stored.set("paragraph", *passage.number);
  if (passage.page) stored.set("page", *passage.page);
  stored.set("source", passage.text_source);
  if (passage.ocr_confidence) stored.set("confidence", std::round(*passage.ocr_confidence));
  stored.set("lang", passage.language);
  stored.set("plans", json_list(plans));
  if (metadata.type) stored.set("type", *metadata.type);
  if (metadata.country) stored.set("country", *metadata.country);
  if (metadata.date) stored.set("date", *metadata.date);
  if (metadata.source) stored.set("publisher", *metadata.source);
  stored.set("doc_languages", json_list(metadata.languages));
  stored.set("indexed_at", static_cast<std::int64_t>(indexed_at));
  if (!passage.section_number.empty()) stored.set("section", passage.section_number);
  stored.set("challenge", json_list(passage.challenges));
  stored.set("themes", json_list(passage.themes));
  stored.set("agencies", json_list(passage.agencies));
  stored.set("responsible", json_list(passage.responsible));
  stored.set("organizations", json_list(passage.organizations));
  if (passage.status) stored.set("status", *passage.status);
  if (passage.translation_ordinal > 0)
    stored.set("translation_id", passage_id(document_path, passage.translation_ordinal));
  if (passage.commitment) stored.set("commitment", commitment_json(*passage.commitment));
  stored.set("text", passage.text);
  std::ostringstream data;
  stored.stringify(data);
  document.set_data(data.str());
  return document;
}

}  // namespace lupa::indexer
