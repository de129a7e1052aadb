#include "lupa/indexer/manifest.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "lupa/analyzers/language.h"
#include "lupa/analyzers/reference_data.h"

namespace lupa::indexer {
namespace {

using Poco::JSON::Object;
using Severity = ManifestProblem::Severity;

// Said of a field the indexer ignores: what happens to the document instead.
constexpr const char* kFieldIgnored = "; ignored, inferred from the content instead";
constexpr const char* kValueKept = "; kept as given";

// Every field an entry may have (docs/corpus-manifest.md): any other is most likely misspelt.
const std::set<std::string, std::less<>> kKnownFields = {
    "file", "title", "country", "plans", "type", "languages", "date", "source", "report_stage"};

// Collects the problems of one entry, each naming the entry once.
class EntryReader {
 public:
  EntryReader(const Object& entry, std::size_t index, std::string file,
              std::vector<ManifestProblem>& problems)
      : entry_(entry), index_(index), file_(std::move(file)), problems_(problems) {}

  void report(Severity severity, const std::string& field, std::string message) {
    problems_.push_back({severity, index_, file_, field, std::move(message)});
  }

  // The string `field` holds; nullopt when absent, null, or not a string (an error).
  std::optional<std::string> string(const std::string& field) {
    if (!entry_.has(field) || entry_.isNull(field)) return std::nullopt;
    const Poco::Dynamic::Var value = entry_.get(field);
    if (value.isString()) return value.extract<std::string>();
    report(Severity::kError, field, field + " must be a string" + kFieldIgnored);
    return std::nullopt;
  }

  // The strings `field` lists; empty when absent, null, or not a list of strings (an error).
  std::vector<std::string> string_list(const std::string& field) {
    std::vector<std::string> values;
    if (!entry_.has(field) || entry_.isNull(field)) return values;
    const auto array = entry_.getArray(field);
    bool all_strings = static_cast<bool>(array);
    for (std::size_t i = 0; all_strings && i < array->size(); ++i) {
      const Poco::Dynamic::Var value = array->get(static_cast<unsigned>(i));
      all_strings = value.isString();
      if (all_strings) values.push_back(value.extract<std::string>());
    }
    if (all_strings) return values;
    report(Severity::kError, field, field + " must be a list of strings" + kFieldIgnored);
    return {};
  }

 private:
  const Object& entry_;
  std::size_t index_;
  std::string file_;
  std::vector<ManifestProblem>& problems_;
};

std::string quoted_list(const std::vector<std::string>& values) {
  std::string text;
  for (const std::string& value : values) text += (text.empty() ? "'" : ", '") + value + "'";
  return text;
}

bool is_country_code(const std::string& code) {
  return code.size() == 2 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool is_listed_country(const std::string& code) {
  const auto& countries = analyzers::ReferenceData::instance().countries();
  return std::any_of(countries.begin(), countries.end(),
                     [&](const analyzers::Country& country) { return country.code == code; });
}

// `<member>-<first year>-<last year>`: a national member's code, or a local member's
// (`mx-jal`, `br-sp-sao-paulo`: docs/data-files.md), then two years.
bool is_plan_form(const std::string& id) {
  static const std::regex kPlan(R"([a-z]{2}(-[a-z0-9]+)*-\d{4}-\d{4})");
  return std::regex_match(id, kPlan);
}

// Why a well-formed plan id is not one ReferenceData knows, for the operator to judge.
std::string unknown_plan_reason(const std::string& id) {
  const std::string member = id.substr(0, id.size() - 10);
  if (member.size() > 2)
    return "is of the local member '" + member +
           "', which neither plans.tsv nor countries.tsv lists";
  if (!is_listed_country(member))
    return "is of '" + member + "', which countries.tsv does not list";
  return "has years no OGP plan has (from 2011, at most ten years apart) and no row in plans.tsv";
}

// YYYY, YYYY-MM or YYYY-MM-DD, a real month and day.
bool is_iso_date(const std::string& date) {
  static const std::regex kIsoDate(R"((\d{4})(?:-(\d{2})(?:-(\d{2}))?)?)");
  std::smatch parts;
  if (!std::regex_match(date, parts, kIsoDate)) return false;
  if (!parts[2].matched) return true;
  const std::chrono::year year{std::stoi(parts[1])};
  const std::chrono::month month{static_cast<unsigned>(std::stoi(parts[2]))};
  if (!month.ok()) return false;
  if (!parts[3].matched) return true;
  const std::chrono::day day{static_cast<unsigned>(std::stoi(parts[3]))};
  return std::chrono::year_month_day(year, month, day).ok();
}

DocumentMetadata read_entry(EntryReader& reader, const Object& entry) {
  for (const std::string& field : entry.getNames())
    if (!kKnownFields.contains(field))
      reader.report(Severity::kWarning, field,
                    "unknown field '" + field + "'; ignored (docs/corpus-manifest.md lists them)");

  DocumentMetadata metadata;
  metadata.title = reader.string("title");
  metadata.source = reader.string("source");

  if (auto country = reader.string("country")) {
    if (!is_country_code(*country)) {
      reader.report(Severity::kError, "country",
                    "country '" + *country +
                        "' is not two lower-case letters (ISO 3166-1 alpha-2)" + kFieldIgnored);
    } else {
      if (!is_listed_country(*country))
        reader.report(Severity::kWarning, "country",
                      "country '" + *country + "' is not in countries.tsv" + kValueKept);
      metadata.country = std::move(country);
    }
  }

  std::vector<std::string> plans = reader.string_list("plans");
  std::vector<std::string> malformed;
  for (const std::string& plan : plans)
    if (!is_plan_form(plan)) malformed.push_back(plan);
  if (!malformed.empty()) {
    reader.report(Severity::kError, "plans",
                  "plans " + quoted_list(malformed) + (malformed.size() == 1 ? " is" : " are") +
                      " not <country>-<first year>-<last year>" + kFieldIgnored);
  } else {
    for (const std::string& plan : plans)
      if (!analyzers::ReferenceData::instance().plan(plan))
        reader.report(Severity::kWarning, "plans",
                      "plan '" + plan + "' " + unknown_plan_reason(plan) + kValueKept);
    metadata.plans = std::move(plans);
  }

  if (auto type = reader.string("type")) {
    const auto& types = analyzers::ReferenceData::instance().document_types();
    if (std::any_of(types.begin(), types.end(),
                    [&](const analyzers::DocumentType& known) { return known.id == *type; }))
      metadata.type = std::move(type);
    else
      reader.report(Severity::kError, "type",
                    "type '" + *type + "' is not in document-types.tsv" + kFieldIgnored);
  }

  std::vector<std::string> languages = reader.string_list("languages");
  std::vector<std::string> unknown_languages;
  for (const std::string& language : languages) {
    try {
      analyzers::language_from_code(language);
    } catch (const std::invalid_argument&) {
      unknown_languages.push_back(language);
    }
  }
  if (unknown_languages.empty())
    metadata.languages = std::move(languages);
  else
    reader.report(Severity::kError, "languages",
                  "languages " + quoted_list(unknown_languages) +
                      (unknown_languages.size() == 1 ? " is not a language code"
                                                     : " are not language codes") +
                      " Lupa reads (es, en)" + kFieldIgnored);

  if (auto stage = reader.string("report_stage")) {
    if (analyzers::ReferenceData::instance().label("report-stages", *stage))
      metadata.report_stage = std::move(stage);
    else
      reader.report(Severity::kError, "report_stage",
                    "report_stage '" + *stage + "' is not in report-stages.tsv" + kFieldIgnored);
  }

  if (auto date = reader.string("date")) {
    if (is_iso_date(*date))
      metadata.date = std::move(date);
    else
      reader.report(Severity::kError, "date",
                    "date '" + *date + "' is not YYYY, YYYY-MM or YYYY-MM-DD" + kFieldIgnored);
  }
  return metadata;
}

void read_documents(const Poco::JSON::Array& documents, Manifest& manifest) {
  for (std::size_t i = 0; i < documents.size(); ++i) {
    const auto entry = documents.getObject(static_cast<unsigned>(i));
    if (!entry) {
      manifest.problems.push_back(
          {Severity::kError, i, "", "", "not an object {\"file\": ...}; entry ignored"});
      continue;
    }
    const Poco::Dynamic::Var file_value = entry->has("file") ? entry->get("file") : "";
    const std::string file = file_value.isString() ? file_value.extract<std::string>() : "";
    if (file.empty()) {
      manifest.problems.push_back(
          {Severity::kError, i, "", "file", "no \"file\" naming its file; entry ignored"});
      continue;
    }
    if (const auto first = manifest.positions.find(file); first != manifest.positions.end()) {
      manifest.problems.push_back({Severity::kError, i, file, "file",
                                   "file '" + file + "' is listed twice (first as documents[" +
                                       std::to_string(first->second) + "]); entry ignored"});
      continue;
    }
    EntryReader reader(*entry, i, file, manifest.problems);
    manifest.entries.emplace(file, read_entry(reader, *entry));
    manifest.positions.emplace(file, i);
  }
}

}  // namespace

std::optional<int> DocumentMetadata::year() const {
  return date ? schema::year_of(*date) : std::nullopt;
}

std::string ManifestProblem::describe() const {
  if (!entry) return message;
  std::string where = "documents[" + std::to_string(*entry) + "]";
  if (!file.empty()) where += " (" + file + ")";
  return where + ": " + message;
}

bool Manifest::has_errors() const {
  return std::any_of(problems.begin(), problems.end(),
                     [](const ManifestProblem& problem) { return problem.is_error(); });
}

Manifest read_manifest(const std::filesystem::path& path) {
  Manifest manifest;
  auto unreadable = [&](std::string message) {
    manifest.readable = false;
    manifest.problems.push_back({Severity::kError, std::nullopt, "", "", std::move(message)});
    return std::move(manifest);
  };
  std::ifstream in(path, std::ios::binary);
  if (!in) return unreadable("cannot be read");
  std::stringstream content;
  content << in.rdbuf();

  Poco::Dynamic::Var root;
  try {
    root = Poco::JSON::Parser().parse(content.str());
  } catch (const Poco::Exception& error) {
    return unreadable("invalid JSON: " + error.message());
  }
  if (root.type() != typeid(Object::Ptr)) return unreadable("must be a JSON object");
  const auto documents = root.extract<Object::Ptr>()->getArray("documents");
  if (!documents) return unreadable("needs a \"documents\" list");
  read_documents(*documents, manifest);
  return manifest;
}

std::map<std::string, DocumentMetadata> load_manifest(const std::filesystem::path& path) {
  Manifest manifest = read_manifest(path);
  std::string errors;
  for (const ManifestProblem& problem : manifest.problems)
    if (problem.is_error())
      errors.append(errors.empty() ? "" : "\n")
          .append(path.string())
          .append(": ")
          .append(problem.describe());
  if (!errors.empty()) throw ManifestError(errors);
  return std::move(manifest.entries);
}

}  // namespace lupa::indexer
