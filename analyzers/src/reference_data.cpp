#include "lupa/analyzers/reference_data.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <cctype>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

#include "data_files.h"
#include "enum_names.h"
#include "lupa/analyzers/pattern_first_bytes.h"
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

// A row as its file writes it, for messages: an operator's data folder may have given it.
std::string row_text(const std::vector<std::string>& row) {
  std::string line;
  for (const std::string& field : row) line += (line.empty() ? "" : "\t") + field;
  return line;
}

// Column `column` of a row as a whole number; anything else names the file and the row.
int number_in(std::string_view file_name, const std::vector<std::string>& row, std::size_t column) {
  const std::string& text = row[column];
  std::size_t used = 0;
  try {
    const int number = std::stoi(text, &used);
    if (used == text.size()) return number;
  } catch (const std::exception&) {
    // reported below, with the row
  }
  throw std::invalid_argument(std::string(file_name) + ": column " + std::to_string(column + 1) +
                              " must be a number, not `" + text + "`, in row: " + row_text(row));
}

// --- Quick tests of the shipped recogniser rules ------------------------------------------
// libstdc++'s std::regex tries a pattern at every byte of every line: most of the indexer's
// matching time. Each test below holds wherever its rule (as recognizer-rules.tsv ships it) can
// match a folded line, and rejects most lines with a byte or two. A rule an operator rewrites
// runs without one.

bool starts_with_any(std::string_view folded, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view word) { return folded.starts_with(word); });
}

bool is_roman_letter(char c) {
  return c == 'i' || c == 'v' || c == 'x' || c == 'l' || c == 'c';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// A leader of dots as toc-entry spells it: "....", "…", or a dot and a space three times.
bool has_leader(std::string_view s) {
  if (s.find("....") != s.npos || s.find("…") != s.npos) return true;
  for (std::size_t dot = s.find('.'); dot != s.npos && dot + 1 < s.size();
       dot = s.find('.', dot + 1))
    if (std::isspace(static_cast<unsigned char>(s[dot + 1]))) return true;
  return false;
}

struct ShippedRule {
  std::string_view name;
  std::string_view pattern;
  bool (*may_match)(std::string_view folded);
};

constexpr std::array kShippedRuleTests = {
    ShippedRule{
        "commitments-section",
        R"(^(?:[ivxlc]+\.\s*)?(?:los\s+|the\s+|plan\s+)?(?:compromisos|commitments)(?:\s+(?:del plan|of the plan|asumidos|adquiridos|del plan de accion))?\s*:?$)",
        [](std::string_view s) {
          return s.find("compromisos") != s.npos || s.find("commitments") != s.npos;
        }},
    ShippedRule{"roman-heading", R"(^[ivxlc]+\.\s+\S)",
                [](std::string_view s) { return !s.empty() && is_roman_letter(s[0]); }},
    ShippedRule{
        "commitment-start",
        R"(^(?:commitment|compromiso)\s*(?:no\.?|n\s*[o°º]\.?|num\.?|numero|number)?\s*(\d{1,3})\s*[:.\-–—]\s*(.+)$)",
        [](std::string_view s) {
          return starts_with_any(s, {"commitment", "compromiso"});
        }},
    ShippedRule{"ogp-entry", R"(^([a-z]{2})(\d{4}),\s*(\d{4}),?\s*(.*)$)",
                [](std::string_view s) {
                  return s.size() >= 7 && std::isalpha(static_cast<unsigned char>(s[0])) &&
                         is_digit(s[2]) && s.find(',') != s.npos;
                }},
    ShippedRule{
        "section-heading", R"(^(\d{1,2}(?:\.[a-z0-9]{1,2})?|[ivxlc]+\.)\s*(?:[-–—.)]\s*)?\S)",
        [](std::string_view s) { return !s.empty() && (is_digit(s[0]) || is_roman_letter(s[0])); }},
    ShippedRule{"challenge-legend", R"(^([1-5])\s*\.?\s*-?\s+([^\t]+?)\s*(?:\t.*)?$)",
                [](std::string_view s) { return !s.empty() && s[0] >= '1' && s[0] <= '5'; }},
    ShippedRule{
        "toc-heading",
        R"(^(?:table of contents|contents|index|indice|indice general|indice de contenidos?|contenidos?|tabla de contenidos?|sumario)\s*:?$)",
        [](std::string_view s) {
          return starts_with_any(s, {"table of contents", "contents", "index", "indice",
                                     "contenido", "tabla de contenido", "sumario"});
        }},
    ShippedRule{"toc-entry",
                R"(^\S.{1,160}?(?:\s*\.{4,}\s*|\s*…+\s*|\s*(?:\.\s){3,})(?:\d{1,3}|[ivxlc]{1,6})$)",
                [](std::string_view s) {
                  return s.size() >= 4 && (is_digit(s.back()) || is_roman_letter(s.back())) &&
                         has_leader(s);
                }},
};

// The quick test of rule `name` when `pattern` is the one it was written for.
bool (*shipped_rule_test(std::string_view name, std::string_view pattern))(std::string_view) {
  for (const ShippedRule& shipped : kShippedRuleTests)
    if (shipped.name == name && shipped.pattern == pattern) return shipped.may_match;
  return nullptr;
}

// Column `column` of a row as a case-insensitive ECMAScript pattern.
std::regex pattern_in(std::string_view file_name, const std::vector<std::string>& row,
                      std::size_t column) {
  try {
    return std::regex(row[column], std::regex::ECMAScript | std::regex::icase);
  } catch (const std::regex_error& error) {
    throw std::invalid_argument(std::string(file_name) + ": column " + std::to_string(column + 1) +
                                " is not a regular expression (" + error.what() +
                                "), in row: " + row_text(row));
  }
}

std::string upper_case(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

// A line as the patterns of page-chrome.tsv see it: trimmed, lower-cased, accent-folded, runs
// of white space made one space.
std::string line_for_patterns(std::string_view line) {
  const std::string folded = fold_for_matching(line);
  std::string out;
  out.reserve(folded.size());
  for (const char c : folded) {
    const bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string_view trimmed(std::string_view text) {
  const std::size_t start = text.find_first_not_of(" \t\r\n\f\v");
  if (start == std::string_view::npos) return {};
  const std::size_t end = text.find_last_not_of(" \t\r\n\f\v");
  return text.substr(start, end - start + 1);
}

// Chrome is short: a longer line is text, and is not run through the patterns at all.
constexpr std::size_t kMaxChromeLineBytes = 200;
// A title is shorter still than this; longer lines are never looked at as titles.
constexpr std::size_t kMaxTitleLineBytes = 300;

// Calls `found(at)` for each whole-word occurrence of `needle` in `haystack`, both folded.
template <typename Found>
void for_each_mention(const std::string& haystack, const std::string& needle, Found found) {
  if (needle.empty()) return;
  for (std::size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    const bool starts_word = at == 0 || !std::isalnum(static_cast<unsigned char>(haystack[at - 1]));
    const std::size_t end = at + needle.size();
    const bool ends_word =
        end == haystack.size() || !std::isalnum(static_cast<unsigned char>(haystack[end]));
    if (starts_word && ends_word) found(at);
  }
}

// A paragraph with an imprint line is imprint as a whole when it is no longer than this: a
// licence notice or an address block. In a longer one, only what is near the imprint is.
constexpr std::size_t kMaxImprintParagraphLines = 12;
constexpr std::size_t kMaxImprintParagraphBytes = 1500;
constexpr std::size_t kImprintReachBytes = 200;

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

constexpr EnumNames<FieldRole, 11> kFieldRoleNames = {{
    {FieldRole::kAgencyResponsible, "agency-responsible"},
    {FieldRole::kOrganization, "organization"},
    {FieldRole::kDate, "date"},
    {FieldRole::kDateRange, "date-range"},
    {FieldRole::kParagraphReference, "paragraph-reference"},
    {FieldRole::kStatus, "status"},
    {FieldRole::kText, "text"},
    {FieldRole::kAgencySupporting, "agency-supporting"},
    {FieldRole::kPerson, "person"},
    {FieldRole::kOgpId, "ogp-id"},
    {FieldRole::kIrmRating, "irm-rating"},
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
    countries_.push_back({f[0],
                          {f[1], f[2]},
                          f.size() > 3 ? split_list(f[3]) : std::vector<std::string>{},
                          f.size() > 4 && !f[4].empty() ? f[4] : upper_case(f[0])});
  }
  for (auto& f : rows("plans.tsv", 7)) {
    plans_.push_back({f[0],
                      f[1],
                      number_in("plans.tsv", f, 2),
                      number_in("plans.tsv", f, 3),
                      number_in("plans.tsv", f, 4),
                      {f[5], f[6]}});
  }
  for (auto& f : rows("document-types.tsv", 4)) {
    document_types_.push_back({f[0],
                               {f[1], f[2]},
                               pattern_in("document-types.tsv", f, 3),
                               f.size() > 4 && f[4] == "yes"});
  }
  load_document_type_markers();
  report_stages_ = Vocabulary::load_phrases("report-stages.tsv", false);
  load_page_chrome();
  for (auto& f : rows("languages.tsv", 3)) languages_.emplace_back(f[0], Label{f[1], f[2]});
  // Folded once here, not at every document: a name that folds like another of its row
  // ("México", "Mexico") is counted once.
  for (const Country& country : countries_) {
    std::vector<std::string> names;
    for (const std::string* name : {&country.name.en, &country.name.es}) names.push_back(*name);
    names.insert(names.end(), country.other_names.begin(), country.other_names.end());
    std::vector<std::string> folded;
    for (const std::string& name : names) {
      std::string each = fold_for_matching(name);
      if (!each.empty() && std::find(folded.begin(), folded.end(), each) == folded.end())
        folded.push_back(std::move(each));
    }
    country_match_names_.push_back(std::move(folded));
  }
  for (std::size_t i = 0; i < countries_.size(); ++i) {
    country_names_.add(countries_[i].name.en, i, false);
    country_names_.add(countries_[i].name.es, i, false);
    for (const std::string& name : countries_[i].other_names) country_names_.add(name, i, false);
  }
  agencies_ = Vocabulary::load_bodies("agencies.tsv");
  organizations_ = Vocabulary::load_bodies("organizations.tsv");
  challenges_ = Vocabulary::load_phrases("challenges.tsv", true);
  themes_ = Vocabulary::load_phrases("themes.tsv", false);
  for (auto& f : rows("compliance-status.tsv", 4)) statuses_.push_back({f[0], f[1], {f[2], f[3]}});
  for (auto& f : rows("field-labels.tsv", 3)) {
    fields_.push_back({f[0], role_of("field-labels.tsv", f, 1, &field_role_from_string)});
    for (const std::string& label : split_list(f[2]))
      field_labels_.try_emplace(fold_for_matching(label), fields_.back());
  }
  for (auto& f : rows("table-columns.tsv", 2)) {
    const TableRole role = role_of("table-columns.tsv", f, 0, &table_role_from_string);
    for (const std::string& header : split_list(f[1]))
      table_columns_.emplace_back(fold_for_matching(header), role);
  }
  for (auto& f : rows("recognizer-rules.tsv", 2))
    rules_.push_back(
        {f[0], pattern_in("recognizer-rules.tsv", f, 1), shipped_rule_test(f[0], f[1])});
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
  std::string folded = fold_for_matching(label);
  if (const auto found = field_labels_.find(folded); found != field_labels_.end())
    return found->second;
  // Reports qualify labels: "Relevancia frente a los valores de la AGA (como está escrito)",
  // "Institución(es) de apoyo", "Completion (end of term)": without what is in parentheses.
  if (folded.find('(') != std::string::npos) {
    std::string bare;  // "institucion(es) de apoyo (como esta escrito)" -> "institucion de apoyo"
    int depth = 0;
    for (const char c : folded) {
      if (c == '(') ++depth;
      if (depth == 0) bare += c;
      if (c == ')' && depth > 0) --depth;
    }
    folded.clear();
    for (const char c : bare)  // spaces collapsed, ends trimmed
      if (c != ' ' || (!folded.empty() && folded.back() != ' ')) folded += c;
    while (!folded.empty() && folded.back() == ' ') folded.pop_back();
    if (const auto found = field_labels_.find(folded); found != field_labels_.end())
      return found->second;
  }
  return std::nullopt;
}

std::optional<FieldLabel> ReferenceData::label_alone(std::string_view line) const {
  while (!line.empty() && (line.back() == ':' || line.back() == ' ')) line.remove_suffix(1);
  if (line.empty() || line.size() > 90) return std::nullopt;
  auto field = find_field(line);
  const bool stands_alone =
      field && (field->role == FieldRole::kAgencyResponsible ||
                field->role == FieldRole::kAgencySupporting ||
                field->role == FieldRole::kIrmRating || field->role == FieldRole::kOgpId);
  if (!stands_alone) return std::nullopt;
  return field;
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
  for (const Rule& candidate : rules_)
    if (candidate.name == name) return candidate.pattern;
  throw std::logic_error("no recogniser rule named " + std::string(name));
}

bool ReferenceData::rule_has_quick_test(std::string_view name) const {
  for (const Rule& candidate : rules_)
    if (candidate.name == name) return candidate.may_match != nullptr;
  throw std::logic_error("no recogniser rule named " + std::string(name));
}

namespace {

// fold_for_matching of a line, remembered: the recognisers try several rules on one line, in
// passes over a document's passages, and folding a line costs ICU's normalisers where it is
// not ASCII. Per thread, bounded; the reference is good until the next call.
const std::string& folded_line(std::string_view line) {
  constexpr std::size_t kMaxRemembered = 20'000;
  thread_local std::unordered_map<std::string, std::string> folded;
  const std::string key(line);
  if (auto found = folded.find(key); found != folded.end()) return found->second;
  if (folded.size() >= kMaxRemembered) folded.clear();
  return folded.emplace(key, fold_for_matching(line)).first->second;
}

}  // namespace

std::optional<std::vector<std::string>> ReferenceData::match_rule(std::string_view name,
                                                                  std::string_view line,
                                                                  std::size_t max_bytes) const {
  std::size_t cut = std::min(line.size(), max_bytes);
  while (cut < line.size() && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) ++cut;
  const std::string& subject = folded_line(line.substr(0, cut));
  const Rule* found = nullptr;
  for (const Rule& candidate : rules_)
    if (candidate.name == name && !found) found = &candidate;
  if (!found) throw std::logic_error("no recogniser rule named " + std::string(name));
  if (found->may_match && !found->may_match(subject)) return std::nullopt;
  std::smatch match;
  if (!std::regex_search(subject, match, found->pattern)) return std::nullopt;
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

std::vector<std::pair<std::size_t, std::string>> ReferenceData::country_mentions(
    const std::vector<std::string>& words, const std::vector<std::string>& folded) const {
  std::vector<std::pair<std::size_t, std::string>> mentions;
  // Called for each ever longer name found at `start`: the longest is the one named there.
  const PhraseMatcher::Accept note_each = [&](std::size_t index, std::size_t start,
                                              std::size_t /*length*/) {
    if (!mentions.empty() && mentions.back().first == start)
      mentions.back().second = countries_[index].code;
    else
      mentions.emplace_back(start, countries_[index].code);
    return true;
  };
  country_names_.find(words, folded, note_each);
  return mentions;
}

template <typename Counted>
std::optional<std::string> ReferenceData::most_named_country(const std::string& folded,
                                                             Counted counted) const {
  std::optional<std::string> best;
  int best_count = 0;
  for (std::size_t i = 0; i < countries_.size(); ++i) {
    int count = 0;
    for (const std::string& name : country_match_names_[i])
      for_each_mention(folded, name, [&](std::size_t at) { count += counted(at) ? 1 : 0; });
    if (count > best_count) {
      best_count = count;
      best = countries_[i].code;
    }
  }
  return best;
}

std::optional<std::string> ReferenceData::infer_country(std::string_view text) const {
  return most_named_country(fold_for_matching(text), [](std::size_t) { return true; });
}

std::optional<std::string> ReferenceData::infer_country_outside_imprints(
    std::string_view text) const {
  const std::string folded = fold_for_matching(text);
  const std::string_view all = folded;
  struct Paragraph {
    std::size_t start = 0, end = 0, lines = 0;
  };
  std::vector<Paragraph> paragraphs;
  bool in_paragraph = false;
  for (std::size_t start = 0; start <= folded.size();) {
    const std::size_t end = std::min(folded.find('\n', start), folded.size());
    if (trimmed(all.substr(start, end - start)).empty()) {
      in_paragraph = false;
    } else {
      if (!in_paragraph) paragraphs.push_back({start, end, 0});
      paragraphs.back().end = end;
      ++paragraphs.back().lines;
      in_paragraph = true;
    }
    start = end + 1;
  }
  // The patterns are costly and the names few: only the places that name a country are looked
  // at, each paragraph once.
  std::vector<signed char> imprint_paragraph(paragraphs.size(), -1);
  const auto short_imprint_paragraph = [&](std::size_t p) {
    if (imprint_paragraph[p] < 0) {
      const Paragraph& paragraph = paragraphs[p];
      bool any = false;
      if (paragraph.lines <= kMaxImprintParagraphLines &&
          paragraph.end - paragraph.start <= kMaxImprintParagraphBytes) {
        for (std::size_t start = paragraph.start; start < paragraph.end && !any;) {
          const std::size_t end = std::min(folded.find('\n', start), paragraph.end);
          any = is_imprint(all.substr(start, end - start));
          start = end + 1;
        }
      }
      imprint_paragraph[p] = any;
    }
    return imprint_paragraph[p] == 1;
  };
  std::map<std::size_t, std::vector<std::size_t>> imprints_by_line;  // line start -> offsets
  return most_named_country(folded, [&](std::size_t at) {
    const auto after = std::upper_bound(
        paragraphs.begin(), paragraphs.end(), at,
        [](std::size_t offset, const Paragraph& each) { return offset < each.start; });
    if (after == paragraphs.begin()) return true;
    if (short_imprint_paragraph(static_cast<std::size_t>(after - paragraphs.begin()) - 1))
      return false;
    // In a long paragraph, the imprint must stand near the mention, on its line. A line's
    // imprints are looked for once, whatever the number of mentions it holds.
    const std::size_t line_start = at == 0 || all.rfind('\n', at - 1) == std::string_view::npos
                                       ? 0
                                       : all.rfind('\n', at - 1) + 1;
    auto cached = imprints_by_line.find(line_start);
    if (cached == imprints_by_line.end()) {
      const std::size_t line_end = std::min(folded.find('\n', at), folded.size());
      std::vector<std::size_t> found;
      if (line_patterns_.imprint) {
        const auto begin = folded.begin() + static_cast<std::ptrdiff_t>(line_start);
        const auto end = folded.begin() + static_cast<std::ptrdiff_t>(line_end);
        for (std::sregex_iterator it(begin, end, *line_patterns_.imprint), stop; it != stop; ++it)
          found.push_back(line_start + static_cast<std::size_t>(it->position()));
      }
      cached = imprints_by_line.emplace(line_start, std::move(found)).first;
    }
    for (const std::size_t imprint : cached->second)
      if (imprint + kImprintReachBytes >= at && imprint <= at + kImprintReachBytes) return false;
    return true;
  });
}

std::optional<std::string> ReferenceData::country_of_ogp_code(std::string_view letters) const {
  for (const Country& country : countries_)
    if (country.ogp_code == letters) return country.code;
  return std::nullopt;
}

std::optional<std::string> ReferenceData::country_of_commitment_ids(std::string_view text) const {
  // Case matters: OGP writes ids in capitals, and "ke0023" in running text is something else.
  static const std::regex kCommitmentId(R"(\b([A-Z]{2})\d{4}\b)");
  std::map<std::string, int> counts;
  std::vector<std::string> order;
  const std::string haystack(text);
  for (std::sregex_iterator it(haystack.begin(), haystack.end(), kCommitmentId), end; it != end;
       ++it) {
    const auto country = country_of_ogp_code((*it)[1].str());
    if (!country) continue;
    if (counts[*country]++ == 0) order.push_back(*country);
  }
  std::optional<std::string> best;
  for (const std::string& country : order)
    if (!best || counts[country] > counts[*best]) best = country;
  return best;
}

std::vector<std::string> ReferenceData::plans_written_in(std::string_view country,
                                                         std::string_view text) const {
  // A first year, then a dash, a slash or a word, then the last year in four digits or, after
  // a dash or a slash only, two ("2019-22"; "en 2019 a 20 personas" is no period). A digit
  // or a date separator after the last year makes it a date ("2019-12-14"), not a period.
  static const std::regex kPeriod(
      R"((?:^|[^\d])(20\d\d)(?:\s*(?:-|–|—|‒|/)\s*(20\d\d|\d\d))"
      R"(|\s+(?:al|a|to|y|and|hasta|through|until)\s+(20\d\d))(?![-/.]?\d))");
  std::vector<std::string> ids;
  const std::string haystack(text);
  for (std::sregex_iterator it(haystack.begin(), haystack.end(), kPeriod), end; it != end; ++it) {
    const std::string first = (*it)[1].str();
    std::string last = (*it)[2].matched ? (*it)[2].str() : (*it)[3].str();
    if (last.size() == 2) last = first.substr(0, 2) + last;
    const std::string id = std::string(country) + "-" + first + "-" + last;
    if (std::find(ids.begin(), ids.end(), id) == ids.end() && plan(id)) ids.push_back(id);
  }
  return ids;
}

std::optional<std::string> ReferenceData::plan_numbered_in(std::string_view country,
                                                           std::string_view title) const {
  // The numbers plans are given by in titles: "IV Plan de Acción", "Fifth National Action
  // Plan", "National Action Plan II", "cuarto plan", "4th plan".
  static const std::array<std::pair<std::string_view, int>, 30> kNumbers = {{
      {"i", 1},      {"ii", 2},      {"iii", 3},     {"iv", 4},     {"v", 5},       {"vi", 6},
      {"vii", 7},    {"viii", 8},    {"ix", 9},      {"x", 10},     {"first", 1},   {"second", 2},
      {"third", 3},  {"fourth", 4},  {"fifth", 5},   {"sixth", 6},  {"seventh", 7}, {"eighth", 8},
      {"primer", 1}, {"primero", 1}, {"segundo", 2}, {"tercer", 3}, {"tercero", 3}, {"cuarto", 4},
      {"quinto", 5}, {"sexto", 6},   {"septimo", 7}, {"octavo", 8}, {"noveno", 9},  {"decimo", 10},
  }};
  static const std::regex kNumberBefore(
      R"(\b(i{1,3}|iv|vi{0,3}|ix|x|first|second|third|fourth|fifth|sixth|seventh|eighth|primer)"
      R"(|primero|segundo|tercer|tercero|cuarto|quinto|sexto|septimo|octavo|noveno|decimo)"
      R"(|[1-9](?:st|nd|rd|th|o|er|º|°))\s+(?:[a-z]+\s+){0,3}?plan\b)");
  // After "plan" only numerals that are no word of their own: "plan v" may be "plan y".
  static const std::regex kNumberAfter(
      R"(\bplan\b(?:\s+[a-z']+){0,5}?\s+(ii|iii|iv|vi|vii|viii|ix)\b)");
  const std::string folded = fold_for_matching(title);
  std::smatch match;
  std::string written;
  if (std::regex_search(folded, match, kNumberBefore))
    written = match[1].str();
  else if (std::regex_search(folded, match, kNumberAfter))
    written = match[1].str();
  else
    return std::nullopt;
  int number = std::isdigit(static_cast<unsigned char>(written[0])) ? written[0] - '0' : 0;
  for (const auto& [word, value] : kNumbers)
    if (word == written) number = value;
  for (const ActionPlan& each : plans_)
    if (each.country == country && each.number == number) return each.id;
  return std::nullopt;
}

std::optional<std::string> ReferenceData::infer_plan(std::string_view country,
                                                     std::string_view text,
                                                     std::optional<int> year) const {
  const std::vector<std::string> written = plans_written_in(country, text);
  for (const std::string& id : written)
    if (find_plan(id)) return id;
  if (!written.empty()) return written.front();
  if (!year) return std::nullopt;
  const ActionPlan* best = nullptr;
  for (const ActionPlan& plan : plans_) {
    if (plan.country != country || *year < plan.first_year || *year > plan.last_year) continue;
    if (!best || plan.first_year > best->first_year) best = &plan;
  }
  if (best) return best->id;
  return std::nullopt;
}

std::optional<std::string> ReferenceData::document_type_of_title(std::string_view title) const {
  const std::string subject = fold_diacritics(title);
  // The last row is the catch-all: it names no type of its own.
  for (std::size_t i = 0; i + 1 < document_types_.size(); ++i)
    if (std::regex_search(subject, document_types_[i].title_pattern)) return document_types_[i].id;
  return std::nullopt;
}

std::optional<std::string> ReferenceData::document_type_from_markers(std::string_view text) const {
  std::vector<int> weights(document_types_.size(), 0);
  for (const std::size_t row : type_markers_.find(text))
    weights[type_marker_rows_[row].type] += type_marker_rows_[row].weight;
  std::size_t best = 0;
  for (std::size_t i = 1; i < weights.size(); ++i)
    if (weights[i] > weights[best]) best = i;
  if (weights.empty() || weights[best] < kMinMarkerWeight) return std::nullopt;
  return document_types_[best].id;
}

std::string ReferenceData::infer_document_type(std::string_view title,
                                               std::string_view opening) const {
  if (auto named = document_type_of_title(title)) return *named;
  std::string text(title);
  text += '\n';
  text += opening;
  if (auto marked = document_type_from_markers(text)) return *marked;
  return document_types_.back().id;
}

bool ReferenceData::type_has_stage(std::string_view type) const {
  for (const DocumentType& each : document_types_)
    if (each.id == type) return each.has_stage;
  return false;
}

std::optional<std::string> ReferenceData::report_stage_named_in(std::string_view text) const {
  const std::vector<std::string> named = report_stages_.find_in(text);
  if (named.empty()) return std::nullopt;
  return named.front();
}

bool ReferenceData::is_page_chrome(std::string_view line) const {
  line = trimmed(line);
  if (line.empty() || line.size() > kMaxChromeLineBytes || !line_patterns_.chrome) return false;
  return matches_chrome(line_for_patterns(line));
}

bool ReferenceData::matches_chrome(const std::string& subject) const {
  if (subject.empty()) return std::regex_match(subject, *line_patterns_.chrome);
  const auto& rows = line_patterns_.chrome_by_first_byte[static_cast<unsigned char>(subject[0])];
  return rows && std::regex_match(subject, *rows);
}

bool ReferenceData::is_never_title(std::string_view line) const {
  line = trimmed(line);
  if (line.empty() || line.size() > kMaxTitleLineBytes) return true;
  const std::string subject = line_for_patterns(line);
  if (line.size() <= kMaxChromeLineBytes && line_patterns_.chrome && matches_chrome(subject))
    return true;
  return line_patterns_.not_title && std::regex_match(subject, *line_patterns_.not_title);
}

bool ReferenceData::is_imprint(std::string_view line) const {
  line = trimmed(line);
  if (line.empty() || !line_patterns_.imprint) return false;
  return std::regex_search(line_for_patterns(line), *line_patterns_.imprint);
}

std::string ReferenceData::without_site_name(std::string_view title) const {
  std::string_view rest = trimmed(title);
  if (!line_patterns_.site_name) return std::string(rest);
  const auto is_site_name = [&](std::string_view part) {
    part = trimmed(part);
    return !part.empty() && std::regex_match(line_for_patterns(part), *line_patterns_.site_name);
  };
  if (is_site_name(rest)) return {};
  // What separates a page's name from the site's in an HTML title.
  static constexpr std::array<std::string_view, 8> kSeparators = {
      "|", " - ", " \u2013 ", " \u2014 ", " :: ", " \u00b7 ", " \u2022 ", " \u00bb "};
  for (bool cut = true; cut;) {
    cut = false;
    for (const std::string_view separator : kSeparators) {
      const std::size_t last = rest.rfind(separator);
      if (last != std::string_view::npos && last > 0 &&
          is_site_name(rest.substr(last + separator.size()))) {
        rest = trimmed(rest.substr(0, last));
        cut = true;
        break;
      }
      const std::size_t first = rest.find(separator);
      if (first != std::string_view::npos && first + separator.size() < rest.size() &&
          is_site_name(rest.substr(0, first))) {
        rest = trimmed(rest.substr(first + separator.size()));
        cut = true;
        break;
      }
    }
  }
  return std::string(rest);
}

void ReferenceData::load_document_type_markers() {
  constexpr std::string_view kFile = "document-type-markers.tsv";
  for (auto& f : rows(kFile, 3)) {
    const auto type = std::find_if(document_types_.begin(), document_types_.end(),
                                   [&](const DocumentType& each) { return each.id == f[0]; });
    if (type == document_types_.end())
      throw std::invalid_argument(std::string(kFile) + ": `" + f[0] +
                                  "` is no type of document-types.tsv, in row: " + row_text(f));
    type_marker_rows_.push_back(
        {static_cast<std::size_t>(type - document_types_.begin()), number_in(kFile, f, 1)});
    for (const std::string& phrase : split_list(f[2])) {
      // "^IRM": the acronym as written, not the letters in any case.
      const bool exact_case = phrase.starts_with('^');
      type_markers_.add(exact_case ? phrase.substr(1) : phrase, type_marker_rows_.size() - 1,
                        exact_case);
    }
  }
}

void ReferenceData::load_page_chrome() {
  constexpr std::string_view kFile = "page-chrome.tsv";
  std::map<std::string, std::string, std::less<>> alternatives;  // kind -> (?:a)|(?:b)
  std::vector<std::string> chrome_rows;
  for (auto& f : rows(kFile, 2)) {
    static const std::set<std::string, std::less<>> kKinds = {"chrome", "not-title", "imprint",
                                                              "site-name"};
    if (!kKinds.contains(f[0]))
      throw std::invalid_argument(std::string(kFile) + ": unknown kind `" + f[0] +
                                  "`, in row: " + row_text(f));
    pattern_in(kFile, f, 1);  // a broken row is named by itself, not as part of the whole
    std::string& joined = alternatives[f[0]];
    joined += (joined.empty() ? "(?:" : "|(?:") + f[1] + ")";
    if (f[0] == "chrome") chrome_rows.push_back(f[1]);
  }
  // The lines are folded to lower case first, so the patterns need not ignore case, which
  // costs libstdc++'s matcher a translation of every character.
  const auto compile = [&](std::string_view kind, bool whole) -> std::optional<std::regex> {
    const auto found = alternatives.find(kind);
    if (found == alternatives.end()) return std::nullopt;
    return std::regex(whole ? "^(?:" + found->second + ")$" : found->second,
                      std::regex::ECMAScript | std::regex::nosubs);
  };
  line_patterns_.chrome = compile("chrome", true);
  line_patterns_.not_title = compile("not-title", true);
  line_patterns_.imprint = compile("imprint", false);
  line_patterns_.site_name = compile("site-name", true);
  // A line matches the rows together when it matches one of them whole, which only a row that
  // can start with its first byte can: each byte gets the rows that can, compiled together
  // once per distinct set of rows.
  std::vector<std::bitset<256>> starts;
  for (const std::string& row : chrome_rows) starts.push_back(first_bytes_of(row));
  std::map<std::vector<bool>, std::shared_ptr<const std::regex>> by_rows;
  for (std::size_t byte = 0; byte < 256; ++byte) {
    std::vector<bool> chosen(chrome_rows.size());
    std::string joined;
    for (std::size_t row = 0; row < chrome_rows.size(); ++row) {
      if (!starts[row].test(byte)) continue;
      chosen[row] = true;
      joined += (joined.empty() ? "(?:" : "|(?:") + chrome_rows[row] + ")";
    }
    if (joined.empty()) continue;
    auto& rows_regex = by_rows[chosen];
    if (!rows_regex)
      rows_regex = std::make_shared<const std::regex>("^(?:" + joined + ")$",
                                                      std::regex::ECMAScript | std::regex::nosubs);
    line_patterns_.chrome_by_first_byte[byte] = rows_regex;
  }
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
  // Or as the page labels them, in either language ("Mexico", "México", "Spanish").
  const std::string folded = fold_for_matching(value);
  auto names = [&folded](const Label& label) {
    return fold_for_matching(label.en) == folded || fold_for_matching(label.es) == folded;
  };
  if (vocabulary == "countries") {
    for (const Country& country : countries_) {
      if (names(country.name) || lower_case(country.ogp_code) == id) return country.code;
      for (const std::string& other : country.other_names)
        if (fold_for_matching(other) == folded) return country.code;
    }
  } else if (vocabulary == "languages") {
    for (const auto& [code, label] : languages_)
      if (names(label)) return code;
  } else if (vocabulary == "document-types") {
    for (const DocumentType& type : document_types_)
      if (names(type.label)) return type.id;
  } else if (vocabulary == "plans") {
    for (const ActionPlan& plan : plans_)
      if (names(plan.label)) return plan.id;
  }
  return std::nullopt;
}

bool ReferenceData::admits_unlisted(std::string_view vocabulary) const {
  // The recogniser keeps institutions agencies.tsv does not list under ids of their own
  // (commitment_recognizer.h); every other vocabulary is the whole set of its facet's values.
  return vocabulary == "agencies";
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
  if (name == "report-stages") return &report_stages_;
  if (name == "agencies") return &agencies_;
  if (name == "organizations") return &organizations_;
  if (name == "challenges") return &challenges_;
  if (name == "themes") return &themes_;
  for (const auto& [each, vocabulary] : facet_vocabularies_)
    if (each == name) return &vocabulary;
  return nullptr;
}

}  // namespace lupa::analyzers
