#include "lupa/indexer/manifest.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Handler.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SharedPtr.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <string_view>
#include <utility>

#include "lupa/analyzers/language.h"
#include "lupa/analyzers/reference_data.h"

namespace lupa::indexer {
namespace {

using Severity = ManifestProblem::Severity;

// Said of a field the indexer ignores: what happens to the document instead.
constexpr const char* kFieldIgnored = "; ignored, inferred from the content instead";
constexpr const char* kValueKept = "; kept as given";

// Every field an entry may have (docs/corpus-manifest.md): any other is most likely misspelt.
const std::set<std::string, std::less<>> kKnownFields = {
    "file", "title", "country", "plans", "type", "languages", "date", "source", "report_stage"};

// What an entry's field holds, as far as the reader tells values apart.
struct FieldValue {
  enum class Kind { kNull, kString, kStringList, kOther };
  Kind kind = Kind::kOther;
  std::string text;               // of a kString
  std::vector<std::string> list;  // of a kStringList
};

// An entry of "documents" as the JSON gave it: its fields by name, in name order, each once
// (the last of a name given twice, as Poco's JSON objects keep it).
struct RawEntry {
  bool is_object = false;
  std::vector<std::pair<std::string, FieldValue>> fields;

  FieldValue* field(std::string_view name) {
    const auto found = std::lower_bound(
        fields.begin(), fields.end(), name,
        [](const auto& field, std::string_view wanted) { return field.first < wanted; });
    return found != fields.end() && found->first == name ? &found->second : nullptr;
  }
};

// Collects the problems of one entry, each naming the entry once. Each field is read once, and
// its value is moved out.
class EntryReader {
 public:
  EntryReader(RawEntry& entry, std::size_t index, const std::string& file,
              std::vector<ManifestProblem>& problems)
      : entry_(entry), index_(index), file_(file), problems_(problems) {}

  void report(Severity severity, const std::string& field, std::string message) {
    problems_.push_back({severity, index_, file_, field, std::move(message)});
  }

  // The string `field` holds; nullopt when absent, null, or not a string (an error).
  std::optional<std::string> string(const std::string& field) {
    FieldValue* value = entry_.field(field);
    if (!value || value->kind == FieldValue::Kind::kNull) return std::nullopt;
    if (value->kind == FieldValue::Kind::kString) return std::move(value->text);
    report(Severity::kError, field, field + " must be a string" + kFieldIgnored);
    return std::nullopt;
  }

  // The strings `field` lists; empty when absent, null, or not a list of strings (an error).
  std::vector<std::string> string_list(const std::string& field) {
    FieldValue* value = entry_.field(field);
    if (!value || value->kind == FieldValue::Kind::kNull) return {};
    if (value->kind == FieldValue::Kind::kStringList) return std::move(value->list);
    report(Severity::kError, field, field + " must be a list of strings" + kFieldIgnored);
    return {};
  }

 private:
  RawEntry& entry_;
  std::size_t index_;
  const std::string& file_;
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

bool is_lower_letter(char c) {
  return c >= 'a' && c <= 'z';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), is_digit);
}

// `<member>-<first year>-<last year>`: a national member's code, or a local member's
// (`mx-jal`, `br-sp-sao-paulo`: docs/data-files.md), then two years. That is
// [a-z]{2}(-[a-z0-9]+)*-\d{4}-\d{4}, checked by hand: std::regex was a quarter of the time
// spent reading an entry.
bool is_plan_form(std::string_view id) {
  constexpr std::size_t kYears = 10;  // "-2019-2021"
  if (id.size() < 2 + kYears || !is_lower_letter(id[0]) || !is_lower_letter(id[1])) return false;
  const std::string_view years = id.substr(id.size() - kYears);
  if (years[0] != '-' || years[5] != '-' || !all_digits(years.substr(1, 4)) ||
      !all_digits(years.substr(6, 4)))
    return false;
  // What lies between: nothing, or '-' and letters or digits, again and again.
  const std::string_view member = id.substr(2, id.size() - 2 - kYears);
  for (std::size_t i = 0; i < member.size(); ++i) {
    if (member[i] == '-') {
      if (i + 1 == member.size() || member[i + 1] == '-') return false;
    } else if (i == 0 || !(is_lower_letter(member[i]) || is_digit(member[i]))) {
      return false;
    }
  }
  return true;
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
bool is_iso_date(std::string_view date) {
  const bool shape = (date.size() == 4 || date.size() == 7 || date.size() == 10) &&
                     all_digits(date.substr(0, 4)) &&
                     (date.size() < 7 || (date[4] == '-' && all_digits(date.substr(5, 2)))) &&
                     (date.size() < 10 || (date[7] == '-' && all_digits(date.substr(8, 2))));
  if (!shape) return false;
  auto number = [&](std::size_t from, std::size_t digits) {
    unsigned value = 0;
    for (char c : date.substr(from, digits)) value = value * 10 + static_cast<unsigned>(c - '0');
    return value;
  };
  if (date.size() == 4) return true;
  const std::chrono::year year{static_cast<int>(number(0, 4))};
  const std::chrono::month month{number(5, 2)};
  if (!month.ok()) return false;
  if (date.size() == 7) return true;
  return std::chrono::year_month_day(year, month, std::chrono::day{number(8, 2)}).ok();
}

DocumentMetadata read_entry(EntryReader& reader, RawEntry& entry) {
  for (const auto& [field, value] : entry.fields)
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

// Reads an entry into `manifest`, or reports why it cannot; `index` is its position in
// "documents".
void read_document(RawEntry& entry, std::size_t index, Manifest& manifest) {
  if (!entry.is_object) {
    manifest.problems.push_back(
        {Severity::kError, index, "", "", "not an object {\"file\": ...}; entry ignored"});
    return;
  }
  FieldValue* file_value = entry.field("file");
  const std::string file = file_value && file_value->kind == FieldValue::Kind::kString
                               ? std::move(file_value->text)
                               : std::string();
  if (file.empty()) {
    manifest.problems.push_back(
        {Severity::kError, index, "", "file", "no \"file\" naming its file; entry ignored"});
    return;
  }
  if (const auto [first, fresh] = manifest.positions.try_emplace(file, index); !fresh) {
    manifest.problems.push_back({Severity::kError, index, file, "file",
                                 "file '" + file + "' is listed twice (first as documents[" +
                                     std::to_string(first->second) + "]); entry ignored"});
    return;
  }
  EntryReader reader(entry, index, file, manifest.problems);
  manifest.entries.emplace(file, read_entry(reader, entry));
}

// Reads a manifest as Poco's JSON parser goes through it, each entry of "documents" as it
// ends, without building the document as Poco::Dynamic::Var objects first: at tens of
// thousands of entries that tree was most of what listing a corpus cost. What it accepts, and
// which value of a key given twice it takes (the last), are what reading the tree gave.
class ManifestHandler final : public Poco::JSON::Handler {
 public:
  // Whether the JSON was an object.
  bool root_is_object() const { return root_is_object_; }
  // The entries of the last "documents" of the object, when that was a list.
  std::optional<Manifest>& documents() { return documents_; }

  void reset() override {
    depth_ = 0;
    root_is_object_ = false;
    root_key_.clear();
    documents_.reset();
    in_documents_ = in_entry_ = in_list_ = false;
  }
  void startObject() override { open(true); }
  void startArray() override { open(false); }
  void endObject() override { close(); }
  void endArray() override { close(); }

  void key(const std::string& name) override {
    if (depth_ == 1)
      root_key_ = name;
    else if (depth_ == 3 && in_entry_)
      field_name_ = name;
  }

  void null() override { scalar(FieldValue::Kind::kNull, nullptr); }
  void value(int) override { scalar(FieldValue::Kind::kOther, nullptr); }
  void value(unsigned) override { scalar(FieldValue::Kind::kOther, nullptr); }
  void value(Poco::Int64) override { scalar(FieldValue::Kind::kOther, nullptr); }
  void value(Poco::UInt64) override { scalar(FieldValue::Kind::kOther, nullptr); }
  void value(double) override { scalar(FieldValue::Kind::kOther, nullptr); }
  void value(bool) override { scalar(FieldValue::Kind::kOther, nullptr); }
  void value(const std::string& text) override { scalar(FieldValue::Kind::kString, &text); }

 private:
  // Depths: 0 outside everything, 1 in the root object, 2 in its "documents" list, 3 in one
  // of its entries, 4 in a list an entry's field holds.
  bool at_documents_key() const {
    return depth_ == 1 && root_is_object_ && root_key_ == "documents";
  }

  void open(bool is_object) {
    if (depth_ == 0) {
      root_is_object_ = is_object;
    } else if (at_documents_key()) {
      documents_.reset();
      if (!is_object) {
        documents_.emplace();
        in_documents_ = true;
        next_index_ = 0;
      }
    } else if (depth_ == 2 && in_documents_) {
      entry_.is_object = is_object;
      entry_.fields.clear();  // keeps its room for the next entry
      in_entry_ = is_object;
      if (!is_object) end_entry();
    } else if (depth_ == 3 && in_entry_) {
      add_field(is_object ? FieldValue::Kind::kOther : FieldValue::Kind::kStringList, nullptr);
      in_list_ = !is_object;
    } else if (depth_ == 4 && in_list_) {
      entry_.fields.back().second.kind = FieldValue::Kind::kOther;  // a list or object in it
    }
    ++depth_;
  }

  void close() {
    --depth_;
    if (depth_ == 1 && in_documents_)
      in_documents_ = false;
    else if (depth_ == 2 && in_entry_)
      end_entry();
    else if (depth_ == 3 && in_list_)
      in_list_ = false;
  }

  void scalar(FieldValue::Kind kind, const std::string* text) {
    if (depth_ == 0) {
      // As Poco's own handler does, which the reader used before: a bare value is not a
      // document it takes.
      throw Poco::JSON::JSONException("Attempt to set value on an empty stack");
    } else if (at_documents_key()) {
      documents_.reset();
    } else if (depth_ == 2 && in_documents_) {
      entry_.is_object = false;
      entry_.fields.clear();
      end_entry();
    } else if (depth_ == 3 && in_entry_) {
      add_field(kind, text);
    } else if (depth_ == 4 && in_list_) {
      FieldValue& list = entry_.fields.back().second;
      if (kind == FieldValue::Kind::kString && list.kind == FieldValue::Kind::kStringList)
        list.list.push_back(*text);
      else
        list.kind = FieldValue::Kind::kOther;
    }
  }

  void add_field(FieldValue::Kind kind, const std::string* text) {
    FieldValue value{kind, text ? *text : std::string(), {}};
    entry_.fields.emplace_back(field_name_, std::move(value));
  }

  // Orders the entry's fields by name, keeps the last of a name given twice, and reads it.
  void end_entry() {
    in_entry_ = false;
    auto& fields = entry_.fields;
    const auto by_name = [](const auto& a, const auto& b) { return a.first < b.first; };
    // An entry has a handful of fields: inserting each in place is cheaper than a merge sort's
    // buffer. Both keep fields of one name in the order given.
    if (fields.size() <= 16) {
      for (std::size_t i = 1; i < fields.size(); ++i)
        for (std::size_t j = i; j > 0 && by_name(fields[j], fields[j - 1]); --j)
          std::swap(fields[j], fields[j - 1]);
    } else {
      std::stable_sort(fields.begin(), fields.end(), by_name);
    }
    const auto later_same_name = [&](std::size_t i) {
      return i + 1 < fields.size() && fields[i + 1].first == fields[i].first;
    };
    std::size_t kept = 0;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (later_same_name(i)) continue;
      if (kept != i) fields[kept] = std::move(fields[i]);
      ++kept;
    }
    fields.resize(kept);
    read_document(entry_, next_index_++, *documents_);
  }

  std::size_t depth_ = 0;
  bool root_is_object_ = false;
  std::string root_key_;
  std::optional<Manifest> documents_;
  bool in_documents_ = false;
  std::size_t next_index_ = 0;
  RawEntry entry_;
  bool in_entry_ = false;
  std::string field_name_;
  bool in_list_ = false;
};

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
  std::string content;
  constexpr std::size_t kChunk = std::size_t{1} << 20;
  for (;;) {
    const std::size_t read = content.size();
    content.resize(read + kChunk);
    const auto got = static_cast<std::size_t>(
        in.rdbuf()->sgetn(content.data() + read, static_cast<std::streamsize>(kChunk)));
    content.resize(read + got);
    if (got < kChunk) break;
  }

  Poco::SharedPtr<ManifestHandler> handler = new ManifestHandler;
  try {
    Poco::JSON::Parser(handler).parse(content);
  } catch (const Poco::Exception& error) {
    return unreadable("invalid JSON: " + error.message());
  }
  if (!handler->root_is_object()) return unreadable("must be a JSON object");
  if (!handler->documents()) return unreadable("needs a \"documents\" list");
  return std::move(*handler->documents());
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
