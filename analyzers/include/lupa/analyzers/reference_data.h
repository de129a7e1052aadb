// Reference data about the OGP world: countries, action plans, document types and the labels
// facet values are shown with. Read from the data files in analyzers/data/ (documented in
// docs/data-files.md); a new country or plan is a new row there, not new code.
#pragma once

#include <optional>
#include <regex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lupa/analyzers/vocabulary.h"

namespace lupa::analyzers {

struct Country {
  std::string code;  ///< ISO 3166-1 alpha-2, lower case
  Label name;
  std::vector<std::string> other_names;
};

struct ActionPlan {
  std::string id;  ///< country-first_year-last_year, e.g. "mx-2019-2021"
  std::string country;
  int number = 0;  ///< its ordinal among the country's plans; 0 when plans.tsv has no row
  int first_year = 0;
  int last_year = 0;
  Label label;
};

struct DocumentType {
  std::string id;
  Label label;
  std::regex title_pattern;
};

struct ComplianceStatus {
  std::string code;  ///< as written in tables: "TC"
  std::string id;    ///< facet value: "total"
  Label label;
};

/// How the value of a labelled commitment field is read (field-labels.tsv, column `role`).
enum class FieldRole {
  kAgencyResponsible,   ///< "agency-responsible": bodies responsible (agencies.tsv)
  kOrganization,        ///< "organization": civil-society organisations (organizations.tsv)
  kDate,                ///< "date"
  kDateRange,           ///< "date-range"
  kParagraphReference,  ///< "paragraph-reference": paragraphs of the original plan
  kStatus,              ///< "status": a mark of compliance-status.tsv
  kText,                ///< "text": kept as written
};
/// The role a data file names ("agency-responsible"), or nullopt.
std::optional<FieldRole> field_role_from_string(std::string_view name);

/// A labelled field of a commitment description ("Responsible authority: ...").
struct FieldLabel {
  std::string field;  ///< "responsible", "organization", "compliance_date", ...
  FieldRole role = FieldRole::kText;
};

/// What a column of a commitment table holds (table-columns.tsv, column `role`).
enum class TableRole {
  kNumber,          ///< "number": the commitment's number in its plan
  kOriginalNumber,  ///< "original_number": its number in the original plan
  kTitle,           ///< "title"
  kChallenge,       ///< "challenge": the OGP grand challenge, by name or number
  kStatus,          ///< "status": a mark of compliance-status.tsv
};
/// The role a data file names ("original_number"), or nullopt.
std::optional<TableRole> table_role_from_string(std::string_view name);

/// Immutable after construction; one shared instance, safe to use from any thread.
class ReferenceData {
 public:
  static const ReferenceData& instance();

  const std::vector<Country>& countries() const { return countries_; }
  const std::vector<ActionPlan>& plans() const { return plans_; }
  const std::vector<DocumentType>& document_types() const { return document_types_; }

  const ActionPlan* find_plan(std::string_view id) const;

  /// The plan `id` names: its row in plans.tsv, or else, for any well-formed id
  /// `<member>-<first year>-<last year>` (a code of countries.tsv; years from 2011, the last
  /// not before the first nor more than ten years after it), a plan without a number whose
  /// labels are built from the country and the years ("Kenya 2023-2027 (action plan)").
  /// nullopt for anything else.
  std::optional<ActionPlan> plan(std::string_view id) const;

  const Vocabulary& agencies() const { return agencies_; }
  const Vocabulary& organizations() const { return organizations_; }
  const Vocabulary& challenges() const { return challenges_; }
  const Vocabulary& themes() const { return themes_; }

  /// The compliance status a table mark or a facet value stands for ("TC", "total").
  const ComplianceStatus* find_status(std::string_view code_or_id) const;

  /// The field a label names ("Responsible authority", "Institución responsable"), any case.
  std::optional<FieldLabel> find_field(std::string_view label) const;

  /// The role of the field with id `field` ("responsible" -> kAgencyResponsible); nullopt for
  /// a field no label introduces (a table's "original_number", an OGP entry's "year").
  std::optional<FieldRole> field_role(std::string_view field) const;

  /// The role of a commitment-table column from its header cell ("OGP challenge" -> challenge).
  std::optional<TableRole> table_column_role(std::string_view header) const;

  /// A recogniser rule from recognizer-rules.tsv; throws std::logic_error for an unknown name.
  const std::regex& rule(std::string_view name) const;

  /// Matches rule `name` against `line` lower-cased and accent-folded, looking at no more
  /// than its first `max_bytes` (the rules describe line starts, and libstdc++'s matcher
  /// recurses once per character). The capture groups, [0] the whole match, or nullopt.
  std::optional<std::vector<std::string>> match_rule(std::string_view name, std::string_view line,
                                                     std::size_t max_bytes = 300) const;

  /// The plan of `country` that starts in `year`, else the latest one whose years contain it.
  std::optional<std::string> plan_starting(std::string_view country, int year) const;

  /// The country named most often in `text` (names in either language, adjectives), if any.
  std::optional<std::string> infer_country(std::string_view text) const;

  /// The plan of `country` whose period is written in `text` ("2019-2021", "2013–2015"), or
  /// else the plan whose years contain `year` (the latest such plan when periods overlap,
  /// since a report dated in a plan's last year usually assesses that plan).
  std::optional<std::string> infer_plan(std::string_view country, std::string_view text,
                                        std::optional<int> year) const;

  /// The first document type whose title pattern matches `title`.
  std::string infer_document_type(std::string_view title) const;

  /// The canonical id that `value` stands for in `vocabulary` (a data file's name without
  /// ".tsv", as a facet's table entry names it): an id, code, acronym or name, in any case.
  /// nullopt when it names nothing there or the vocabulary is unknown.
  std::optional<std::string> resolve(std::string_view vocabulary, std::string_view value) const;

  /// The English and Spanish labels of `id` in `vocabulary`, or nullopt.
  std::optional<Label> label(std::string_view vocabulary, std::string_view id) const;

 private:
  ReferenceData();
  /// The Vocabulary-shaped vocabulary called `name`, or nullptr.
  const Vocabulary* facet_vocabulary(std::string_view name) const;
  std::vector<Country> countries_;
  std::vector<ActionPlan> plans_;
  std::vector<DocumentType> document_types_;
  std::vector<std::pair<std::string, Label>> languages_;
  Vocabulary agencies_;
  Vocabulary organizations_;
  Vocabulary challenges_;
  Vocabulary themes_;
  std::vector<ComplianceStatus> statuses_;
  std::vector<FieldLabel> fields_;                                // one per field
  std::vector<std::pair<std::string, FieldLabel>> field_labels_;  // folded label -> field
  std::vector<std::pair<std::string, TableRole>> table_columns_;  // folded header -> role
  std::vector<std::pair<std::string, std::regex>> rules_;
  /// Vocabularies of facets that need no code of their own (id, labels, other names), by name.
  std::vector<std::pair<std::string, Vocabulary>> facet_vocabularies_;
};

}  // namespace lupa::analyzers
