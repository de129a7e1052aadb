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
  int number = 0;
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

/// A labelled field of a commitment description ("Responsible authority: ...").
struct FieldLabel {
  std::string field;  ///< "responsible", "organization", "compliance_date", ...
  std::string role;   ///< how its value is read: "agency-responsible", "organization", ...
};

/// Immutable after construction; one shared instance, safe to use from any thread.
class ReferenceData {
 public:
  static const ReferenceData& instance();

  const std::vector<Country>& countries() const { return countries_; }
  const std::vector<ActionPlan>& plans() const { return plans_; }
  const std::vector<DocumentType>& document_types() const { return document_types_; }

  const ActionPlan* find_plan(std::string_view id) const;

  const Vocabulary& agencies() const { return agencies_; }
  const Vocabulary& organizations() const { return organizations_; }
  const Vocabulary& challenges() const { return challenges_; }
  const Vocabulary& themes() const { return themes_; }

  /// The compliance status a table mark or a facet value stands for ("TC", "total").
  const ComplianceStatus* find_status(std::string_view code_or_id) const;

  /// The field a label names ("Responsible authority", "Institución responsable"), any case.
  std::optional<FieldLabel> find_field(std::string_view label) const;

  /// The role of a commitment-table column from its header cell ("OGP challenge" -> challenge).
  std::optional<std::string> table_column_role(std::string_view header) const;

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

  /// Labels of a facet value in English and Spanish; the value itself when none is known.
  Label facet_label(std::string_view facet, std::string_view value) const;

 private:
  ReferenceData();
  std::vector<Country> countries_;
  std::vector<ActionPlan> plans_;
  std::vector<DocumentType> document_types_;
  std::vector<std::pair<std::string, Label>> languages_;
  Vocabulary agencies_;
  Vocabulary organizations_;
  Vocabulary challenges_;
  Vocabulary themes_;
  std::vector<ComplianceStatus> statuses_;
  std::vector<std::pair<std::string, FieldLabel>> field_labels_;    // folded label -> field
  std::vector<std::pair<std::string, std::string>> table_columns_;  // folded header -> role
  std::vector<std::pair<std::string, std::regex>> rules_;
};

}  // namespace lupa::analyzers
