#include "lupa/indexer/manifest.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "lupa/analyzers/language.h"
#include "lupa/analyzers/reference_data.h"

namespace lupa::indexer {
namespace {

using Poco::JSON::Object;

std::optional<std::string> optional_string(const Object& entry, const std::string& field,
                                           const std::string& where) {
  if (!entry.has(field) || entry.isNull(field)) return std::nullopt;
  const Poco::Dynamic::Var value = entry.get(field);
  if (!value.isString()) throw ManifestError(where + ": field '" + field + "' must be a string");
  return value.extract<std::string>();
}

std::vector<std::string> string_list(const Object& entry, const std::string& field,
                                     const std::string& where) {
  std::vector<std::string> values;
  if (!entry.has(field) || entry.isNull(field)) return values;
  const auto array = entry.getArray(field);
  if (!array) throw ManifestError(where + ": field '" + field + "' must be a list of strings");
  for (std::size_t i = 0; i < array->size(); ++i) {
    const Poco::Dynamic::Var value = array->get(static_cast<unsigned>(i));
    if (!value.isString())
      throw ManifestError(where + ": field '" + field + "' must be a list of strings");
    values.push_back(value.extract<std::string>());
  }
  return values;
}

DocumentMetadata read_entry(const Object& entry, const std::string& where) {
  DocumentMetadata metadata;
  metadata.title = optional_string(entry, "title", where);
  metadata.country = optional_string(entry, "country", where);
  metadata.plans = string_list(entry, "plans", where);
  metadata.type = optional_string(entry, "type", where);
  metadata.languages = string_list(entry, "languages", where);
  metadata.date = optional_string(entry, "date", where);
  metadata.source = optional_string(entry, "source", where);

  const auto& reference = analyzers::ReferenceData::instance();
  for (const std::string& plan : metadata.plans)
    if (!reference.plan(plan))
      throw ManifestError(where + ": plan '" + plan +
                          "' is not <country>-<first year>-<last year> of a country in "
                          "analyzers/data/countries.tsv");
  for (const std::string& language : metadata.languages) {
    try {
      analyzers::language_from_code(language);
    } catch (const std::invalid_argument& error) {
      throw ManifestError(where + ": " + error.what());
    }
  }
  if (metadata.country) {
    bool known = false;
    for (const auto& country : reference.countries())
      known = known || country.code == *metadata.country;
    if (!known)
      throw ManifestError(where + ": country '" + *metadata.country +
                          "' is not a lower-case code of analyzers/data/countries.tsv");
  }
  static const std::regex kIsoDate(R"(\d{4}(-\d{2}(-\d{2})?)?)");
  if (metadata.date && !std::regex_match(*metadata.date, kIsoDate))
    throw ManifestError(where + ": date '" + *metadata.date +
                        "' is not YYYY, YYYY-MM or YYYY-MM-DD");
  if (metadata.type) {
    bool known = false;
    for (const auto& type : reference.document_types()) known = known || type.id == *metadata.type;
    if (!known)
      throw ManifestError(where + ": type '" + *metadata.type +
                          "' is not in analyzers/data/document-types.tsv");
  }
  return metadata;
}

}  // namespace

std::optional<int> DocumentMetadata::year() const {
  return date ? schema::year_of(*date) : std::nullopt;
}

std::map<std::string, DocumentMetadata> load_manifest(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ManifestError(path.string() + ": cannot be read");
  std::stringstream content;
  content << in.rdbuf();

  Poco::Dynamic::Var root;
  try {
    root = Poco::JSON::Parser().parse(content.str());
  } catch (const Poco::Exception& error) {
    throw ManifestError(path.string() + ": invalid JSON: " + error.message());
  }
  if (root.type() != typeid(Object::Ptr))
    throw ManifestError(path.string() + ": must be a JSON object");
  const auto object = root.extract<Object::Ptr>();
  const auto documents = object->getArray("documents");
  if (!documents) throw ManifestError(path.string() + ": needs a \"documents\" list");

  std::map<std::string, DocumentMetadata> entries;
  for (std::size_t i = 0; i < documents->size(); ++i) {
    const std::string where = path.string() + ": documents[" + std::to_string(i) + "]";
    const auto entry = documents->getObject(static_cast<unsigned>(i));
    if (!entry) throw ManifestError(where + ": must be an object");
    const auto file = optional_string(*entry, "file", where);
    if (!file || file->empty()) throw ManifestError(where + ": needs a \"file\"");
    if (entries.contains(*file))
      throw ManifestError(where + ": file '" + *file + "' is listed twice");
    entries.emplace(*file, read_entry(*entry, where + " (" + *file + ")"));
  }
  return entries;
}

}  // namespace lupa::indexer
