#include "lupa/analyzers/reference_data.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

#include "data_files.h"
#include "enum_names.h"
#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/text_normalizer.h"

namespace lupa::analyzers {
namespace {

std::vector<std::vector<std::string>> rows(std::string_view file_name, std::size_t min_fields) {
  std::vector<std::vector<std::string>> result;
  for (const std::string& line : data_file_lines(file_name)) {
    auto fields = split_tabs(line);
    if (fields.size() < min_fields)
      throw std::logic_error(std::string(file_name) + ": too few fields in line: " + line);
    result.push_back(std::move(fields));
  }
  return result;
}

// Counts whole-word occurrences, accent- and case-insensitively.
int count_mentions(const std::string& haystack_folded, const std::string& name) {
  const std::string needle = fold_for_matching(name);
  int count = 0;
  for (std::size_t at = haystack_folded.find(needle); at != std::string::npos;
       at = haystack_folded.find(needle, at + 1)) {
    const bool starts_word =
        at == 0 || !std::isalnum(static_cast<unsigned char>(haystack_folded[at - 1]));
    const std::size_t end = at + needle.size();
    const bool ends_word = end == haystack_folded.size() ||
                           !std::isalnum(static_cast<unsigned char>(haystack_folded[end]));
    if (starts_word && ends_word) ++count;
  }
  return count;
}

// A row's role, read with `from_string`; a role the code does not know is a broken data file.
template <typename Role>
Role role_of(std::string_view file_name, const std::vector<std::string>& row, std::size_t column,
             std::optional<Role> (*from_string)(std::string_view)) {
  if (const auto role = from_string(row[column])) return *role;
  std::string line;
  for (const std::string& field : row) line += (line.empty() ? "" : "\t") + field;
  throw std::logic_error(std::string(file_name) + ": unknown role `" + row[column] +
                         "` in line: " + line);
}

constexpr EnumNames<FieldRole, 7> kFieldRoleNames = {{
    {FieldRole::kAgencyResponsible, "agency-responsible"},
    {FieldRole::kOrganization, "organization"},
    {FieldRole::kDate, "date"},
    {FieldRole::kDateRange, "date-range"},
    {FieldRole::kParagraphReference, "paragraph-reference"},
    {FieldRole::kStatus, "status"},
    {FieldRole::kText, "text"},
}};

constexpr EnumNames<TableRole, 5> kTableRoleNames = {{
    {TableRole::kNumber, "number"},
    {TableRole::kOriginalNumber, "original_number"},
    {TableRole::kTitle, "title"},
    {TableRole::kChallenge, "challenge"},
    {TableRole::kStatus, "status"},
}};

// A phrase vocabulary whose values are named by their ids only.
bool named_by_id(std::string_view name) {
  return name == "passage-kinds";
}

// Vocabularies with rows of their own shape, read by the code below.
bool resolve_is_built_in(std::string_view name) {
  return name == "plans" || name == "countries" || name == "languages" ||
         name == "document-types" || name == "compliance-status";
}

}  // namespace

std::optional<FieldRole> field_role_from_string(std::string_view name) {
  return value_named(kFieldRoleNames, name);
}

std::optional<TableRole> table_role_from_string(std::string_view name) {
  return value_named(kTableRoleNames, name);
}

const ReferenceData& ReferenceData::instance() {
  static const ReferenceData data;
  return data;
}

ReferenceData::ReferenceData() {
  for (auto& f : rows("countries.tsv", 3)) {
    countries_.push_back(
        {f[0], {f[1], f[2]}, f.size() > 3 ? split_list(f[3]) : std::vector<std::string>{}});
  }
  for (auto& f : rows("plans.tsv", 7)) {
    plans_.push_back({f[0], f[1], std::stoi(f[2]), std::stoi(f[3]), std::stoi(f[4]), {f[5], f[6]}});
  }
  for (auto& f : rows("document-types.tsv", 4)) {
    document_types_.push_back(
        {f[0], {f[1], f[2]}, std::regex(f[3], std::regex::ECMAScript | std::regex::icase)});
  }
  for (auto& f : rows("languages.tsv", 3)) languages_.emplace_back(f[0], Label{f[1], f[2]});
  agencies_ = Vocabulary::load_bodies("agencies.tsv");
  organizations_ = Vocabulary::load_bodies("organizations.tsv");
  challenges_ = Vocabulary::load_phrases("challenges.tsv", true);
  themes_ = Vocabulary::load_phrases("themes.tsv", false);
  for (auto& f : rows("compliance-status.tsv", 4)) statuses_.push_back({f[0], f[1], {f[2], f[3]}});
  for (auto& f : rows("field-labels.tsv", 3)) {
    fields_.push_back({f[0], role_of("field-labels.tsv", f, 1, &field_role_from_string)});
    for (const std::string& label : split_list(f[2]))
      field_labels_.emplace_back(fold_for_matching(label), fields_.back());
  }
  for (auto& f : rows("table-columns.tsv", 2)) {
    const TableRole role = role_of("table-columns.tsv", f, 0, &table_role_from_string);
    for (const std::string& header : split_list(f[1]))
      table_columns_.emplace_back(fold_for_matching(header), role);
  }
  for (auto& f : rows("recognizer-rules.tsv", 2))
    rules_.emplace_back(f[0], std::regex(f[1], std::regex::ECMAScript | std::regex::icase));
  // A facet whose vocabulary has no code above reads it as a list of phrases: id, labels and
  // other names, so a new facet needs only its data file.
  for (const schema::Facet& facet : schema::kFacets) {
    const std::string_view name = facet.vocabulary;
    if (name.empty() || resolve_is_built_in(name) || facet_vocabulary(name)) continue;
    facet_vocabularies_.emplace_back(name,
                                     Vocabulary::load_phrases(std::string(name) + ".tsv", false));
  }
}

const ComplianceStatus* ReferenceData::find_status(std::string_view code_or_id) const {
  for (const ComplianceStatus& status : statuses_)
    if (status.code == code_or_id || status.id == code_or_id) return &status;
  return nullptr;
}

std::optional<FieldLabel> ReferenceData::find_field(std::string_view label) const {
  const std::string folded = fold_for_matching(label);
  for (const auto& [text, field] : field_labels_)
    if (text == folded) return field;
  return std::nullopt;
}

std::optional<FieldRole> ReferenceData::field_role(std::string_view field) const {
  for (const FieldLabel& each : fields_)
    if (each.field == field) return each.role;
  return std::nullopt;
}

std::optional<TableRole> ReferenceData::table_column_role(std::string_view header) const {
  const std::string folded = fold_for_matching(header);
  // The longest header text that the cell equals or starts with: "commitment number" must not
  // be read as "commitment".
  std::optional<TableRole> best;
  std::size_t best_length = 0;
  for (const auto& [text, role] : table_columns_) {
    const bool fits =
        folded == text || (folded.starts_with(text) && folded.size() > text.size() &&
                           !std::isalnum(static_cast<unsigned char>(folded[text.size()])));
    if (fits && text.size() > best_length) {
      best = role;
      best_length = text.size();
    }
  }
  return best;
}

const std::regex& ReferenceData::rule(std::string_view name) const {
  for (const auto& [rule_name, pattern] : rules_)
    if (rule_name == name) return pattern;
  throw std::logic_error("no recogniser rule named " + std::string(name));
}

std::optional<std::vector<std::string>> ReferenceData::match_rule(std::string_view name,
                                                                  std::string_view line,
                                                                  std::size_t max_bytes) const {
  std::size_t cut = std::min(line.size(), max_bytes);
  while (cut < line.size() && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) ++cut;
  const std::string subject = fold_for_matching(line.substr(0, cut));
  std::smatch match;
  if (!std::regex_search(subject, match, rule(name))) return std::nullopt;
  std::vector<std::string> groups;
  for (const auto& group : match) groups.push_back(group.str());
  return groups;
}

std::optional<std::string> ReferenceData::plan_starting(std::string_view country, int year) const {
  for (const ActionPlan& plan : plans_)
    if (plan.country == country && plan.first_year == year) return plan.id;
  return infer_plan(country, "", year);
}

const ActionPlan* ReferenceData::find_plan(std::string_view id) const {
  for (const ActionPlan& plan : plans_)
    if (plan.id == id) return &plan;
  return nullptr;
}

std::optional<ActionPlan> ReferenceData::plan(std::string_view id) const {
  if (const ActionPlan* known = find_plan(id)) return *known;
  // "ke-2023-2027": a country code, then two years.
  if (id.size() != 12 || id[2] != '-' || id[7] != '-') return std::nullopt;
  auto year_at = [&](std::size_t at) -> std::optional<int> {
    int year = 0;
    for (std::size_t i = at; i < at + 4; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(id[i]))) return std::nullopt;
      year = year * 10 + (id[i] - '0');
    }
    return year;
  };
  const auto first = year_at(3), last = year_at(8);
  // OGP's first plans date from 2011; no plan has run for more than a few years.
  if (!first || !last || *first < 2011 || *last < *first || *last > *first + 10)
    return std::nullopt;
  const std::string_view code = id.substr(0, 2);
  const auto country = std::find_if(countries_.begin(), countries_.end(),
                                    [&](const Country& each) { return each.code == code; });
  if (country == countries_.end()) return std::nullopt;
  const std::string years = std::string(id.substr(3));
  return ActionPlan{std::string(id),
                    country->code,
                    0,
                    *first,
                    *last,
                    {country->name.en + " " + years + " (action plan)",
                     country->name.es + " " + years + " (plan de acción)"}};
}

std::optional<std::string> ReferenceData::infer_country(std::string_view text) const {
  const std::string folded = fold_for_matching(text);
  std::optional<std::string> best;
  int best_count = 0;
  for (const Country& country : countries_) {
    int count = count_mentions(folded, country.name.en);
    // "México" and "Mexico" fold alike: count such a name once.
    if (fold_for_matching(country.name.es) != fold_for_matching(country.name.en))
      count += count_mentions(folded, country.name.es);
    for (const std::string& name : country.other_names) count += count_mentions(folded, name);
    if (count > best_count) {
      best_count = count;
      best = country.code;
    }
  }
  return best;
}

std::optional<std::string> ReferenceData::infer_plan(std::string_view country,
                                                     std::string_view text,
                                                     std::optional<int> year) const {
  static const std::regex kPeriod(R"((20\d\d)\s*(?:-|–|—|al|to|a)\s*(20\d\d))");
  const std::string haystack(text);
  for (std::sregex_iterator it(haystack.begin(), haystack.end(), kPeriod), end; it != end; ++it) {
    const int first = std::stoi((*it)[1]);
    const int last = std::stoi((*it)[2]);
    for (const ActionPlan& plan : plans_)
      if (plan.country == country && plan.first_year == first && plan.last_year == last)
        return plan.id;
  }
  if (!year) return std::nullopt;
  const ActionPlan* best = nullptr;
  for (const ActionPlan& plan : plans_) {
    if (plan.country != country || *year < plan.first_year || *year > plan.last_year) continue;
    if (!best || plan.first_year > best->first_year) best = &plan;
  }
  if (best) return best->id;
  return std::nullopt;
}

std::string ReferenceData::infer_document_type(std::string_view title) const {
  const std::string subject = fold_diacritics(title);
  for (const DocumentType& type : document_types_)
    if (std::regex_search(subject, type.title_pattern)) return type.id;
  return "other-report";
}

namespace {

std::string lower_case(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

}  // namespace

std::optional<std::string> ReferenceData::resolve(std::string_view vocabulary,
                                                  std::string_view value) const {
  // Bodies, challenges, themes and new facets' vocabularies know names and acronyms too.
  if (const Vocabulary* named = facet_vocabulary(vocabulary); named && !named_by_id(vocabulary)) {
    if (const VocabularyEntry* entry = named->resolve(value)) return entry->id;
    return std::nullopt;
  }
  // Table marks ("TC") as well as ids.
  if (vocabulary == "compliance-status") {
    if (const ComplianceStatus* status = find_status(value)) return status->id;
    return std::nullopt;
  }
  // The rest are named by their ids or codes, in any case: the page and the API write them so.
  std::string id = lower_case(value);
  if (label(vocabulary, id)) return id;
  return std::nullopt;
}

std::optional<Label> ReferenceData::label(std::string_view vocabulary, std::string_view id) const {
  if (vocabulary == "plans") {
    if (const auto known = plan(id)) return known->label;
  } else if (vocabulary == "countries") {
    for (const Country& country : countries_)
      if (country.code == id) return country.name;
  } else if (vocabulary == "languages") {
    for (const auto& [code, label] : languages_)
      if (code == id) return label;
  } else if (vocabulary == "document-types") {
    for (const DocumentType& type : document_types_)
      if (type.id == id) return type.label;
  } else if (vocabulary == "compliance-status") {
    if (const ComplianceStatus* status = find_status(id)) return status->label;
  } else if (const Vocabulary* found = facet_vocabulary(vocabulary)) {
    if (const VocabularyEntry* entry = found->find(id)) return entry->label;
  }
  return std::nullopt;
}

const Vocabulary* ReferenceData::facet_vocabulary(std::string_view name) const {
  if (name == "agencies") return &agencies_;
  if (name == "organizations") return &organizations_;
  if (name == "challenges") return &challenges_;
  if (name == "themes") return &themes_;
  for (const auto& [each, vocabulary] : facet_vocabularies_)
    if (each == name) return &vocabulary;
  return nullptr;
}

}  // namespace lupa::analyzers
