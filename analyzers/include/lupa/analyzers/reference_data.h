// Reference data about the OGP world: countries, action plans, document types and the labels
// facet values are shown with. Read from the data files in analyzers/data/ (documented in
// docs/data-files.md); a new country or plan is a new row there, not new code.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <regex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lupa/analyzers/vocabulary.h"

namespace lupa::analyzers {

struct Country {
  std::string code;  ///< ISO 3166-1 alpha-2, lower case
  Label name;
  std::vector<std::string> other_names;
  std::string ogp_code;  ///< what its OGP commitment ids start with: "KE" (KE0023), "UK" for gb
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
  bool has_stage = false;  ///< written at a stage of the plan cycle (report-stages.tsv)
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
  kAgencySupporting,    ///< "agency-supporting": bodies supporting, not leading
  kPerson,              ///< "person": a contact person, never an institution
  kOgpId,               ///< "ogp-id": the commitment's OGP id (KE0031)
  kIrmRating,           ///< "irm-rating": an IRM rating; the field id is the rating's facet
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

  /// The Vocabulary-shaped vocabulary called `name` (a data file's name without ".tsv":
  /// "agencies", "themes", "irm-completion", ...), or nullptr.
  const Vocabulary* vocabulary(std::string_view name) const { return facet_vocabulary(name); }

  const Vocabulary& agencies() const { return agencies_; }
  const Vocabulary& organizations() const { return organizations_; }
  const Vocabulary& challenges() const { return challenges_; }
  const Vocabulary& themes() const { return themes_; }

  /// The compliance status a table mark or a facet value stands for ("TC", "total").
  const ComplianceStatus* find_status(std::string_view code_or_id) const;

  /// The field a label names ("Responsible authority", "Institución responsable"), any case.
  std::optional<FieldLabel> find_field(std::string_view label) const;

  /// The field `line` introduces when it is a label alone on its line, with or without its
  /// colon, whose value is on the next line (a template's table exported cell by cell: "Lead
  /// implementing agency/actor" / "Treasury"). Only lead, supporting, rating and id fields:
  /// labels of the other roles ("Contact", "Notes", "Status") are also ordinary headings.
  std::optional<FieldLabel> label_alone(std::string_view line) const;

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

  /// Whether match_rule tries rule `name` with a cheap test before its pattern (the rules as
  /// shipped, so that a test can pin each one to its pattern).
  bool rule_has_quick_test(std::string_view name) const;

  /// The plan of `country` that starts in `year`, else the latest one whose years contain it.
  std::optional<std::string> plan_starting(std::string_view country, int year) const;

  /// The countries segmented text names (names in either language, demonyms): for each
  /// mention, its word position and the country's code. Feeds Vocabulary::Scope.
  std::vector<std::pair<std::size_t, std::string>> country_mentions(
      const std::vector<std::string>& words, const std::vector<std::string>& folded) const;

  /// The country named most often in `text` (names in either language, adjectives), if any.
  std::optional<std::string> infer_country(std::string_view text) const;

  /// The same, leaving out the mentions in imprint (is_imprint: who published, printed or
  /// licensed a document, and where they are): those in a short paragraph that holds an
  /// imprint line (up to 12 lines and 1,500 bytes: a licence notice, an address block), and
  /// those within 200 bytes of an imprint on their line.
  std::optional<std::string> infer_country_outside_imprints(std::string_view text) const;

  /// The member whose OGP commitment ids start with `letters` ("KE" -> "ke", "UK" -> "gb"),
  /// in upper case as OGP writes them; nullopt for letters no member uses.
  std::optional<std::string> country_of_ogp_code(std::string_view letters) const;

  /// The member whose OGP commitment ids (KE0023, UK0120: two upper-case letters and four
  /// digits, a whole word) `text` writes most often; a tie goes to the id written first.
  std::optional<std::string> country_of_commitment_ids(std::string_view text) const;

  /// The plan of `country` whose period is written in `text` ("2019-2021", "2013–2015"):
  /// a row of plans.tsv first, else the first period that plan() accepts; or else the plan
  /// of plans.tsv whose years contain `year` (the latest such plan when periods overlap,
  /// since a report dated in a plan's last year usually assesses that plan).
  std::optional<std::string> infer_plan(std::string_view country, std::string_view text,
                                        std::optional<int> year) const;

  /// The plan ids of `country` whose periods `text` writes, in order, each once: a first year,
  /// a dash, a slash or a word ("al", "a", "to", "y", "and", "hasta", "through"), a last year
  /// in four digits or two ("2019-2021", "2016–2018", "2016 al 2018", "2019–22"); only those
  /// that plan() accepts. A date ("2019-12-14") is not a period.
  std::vector<std::string> plans_written_in(std::string_view country, std::string_view text) const;

  /// The plan of `country` whose number in plans.tsv `title` gives as a roman numeral or an
  /// ordinal before "plan" ("IV Plan de Acción", "Fifth National Action Plan", "cuarto plan",
  /// "National Action Plan II"); nullopt when it gives none or plans.tsv has no such row.
  std::optional<std::string> plan_numbered_in(std::string_view country,
                                              std::string_view title) const;

  /// The type `title` names: the first row of document-types.tsv (but the last, the catch-all)
  /// whose title pattern matches it; nullopt when none does.
  std::optional<std::string> document_type_of_title(std::string_view title) const;

  /// The type whose markers (document-type-markers.tsv) `text` carries with the most weight,
  /// when they weigh kMinMarkerWeight or more; nullopt otherwise.
  std::optional<std::string> document_type_from_markers(std::string_view text) const;
  static constexpr int kMinMarkerWeight = 5;

  /// The type `title` names; else the one the markers of the title and `opening` (the start
  /// of the text) tell; else the catch-all, the last row of document-types.tsv.
  std::string infer_document_type(std::string_view title, std::string_view opening = {}) const;

  /// Whether documents of type `type` are written at a stage of the plan cycle.
  bool type_has_stage(std::string_view type) const;

  /// The first report stage (report-stages.tsv: a label or another name) `text` names.
  std::optional<std::string> report_stage_named_in(std::string_view text) const;

  /// What a line of a document's text is, besides content (page-chrome.tsv). Each looks at the
  /// line lower-cased, accent-folded, trimmed, spaces collapsed.
  /// Page furniture (navigation, cookie and share bars, breadcrumbs, "Page 3 of 88", ...):
  /// removed from the text before segmentation. Lines over 200 bytes never are.
  bool is_page_chrome(std::string_view line) const;
  /// Never a document's title: page chrome, a bare number or date, a link, "Índice", ...
  bool is_never_title(std::string_view line) const;
  /// Says who published, printed or licensed a document, or where they are (a postal
  /// address): not evidence of what the document is about.
  bool is_imprint(std::string_view line) const;

  /// `title` without the site name an HTML title carries after or before a separator
  /// ("Improve the Transparency Portal (ES0041) | Open Government Partnership"); empty when
  /// the title is nothing but a site name.
  std::string without_site_name(std::string_view title) const;

  /// The canonical id that `value` stands for in `vocabulary` (a data file's name without
  /// ".tsv", as a facet's table entry names it): an id, code, acronym or name, in any case.
  /// nullopt when it names nothing there or the vocabulary is unknown.
  std::optional<std::string> resolve(std::string_view vocabulary, std::string_view value) const;

  /// Whether a facet of `vocabulary` may hold values the vocabulary does not list.
  bool admits_unlisted(std::string_view vocabulary) const;

  /// The English and Spanish labels of `id` in `vocabulary`, or nullopt.
  std::optional<Label> label(std::string_view vocabulary, std::string_view id) const;

 private:
  ReferenceData();
  void load_document_type_markers();
  void load_page_chrome();
  /// The Vocabulary-shaped vocabulary called `name`, or nullptr.
  const Vocabulary* facet_vocabulary(std::string_view name) const;
  /// The country whose names `folded` holds most often where `counted(offset)` says yes.
  template <typename Counted>
  std::optional<std::string> most_named_country(const std::string& folded, Counted counted) const;
  std::vector<Country> countries_;
  std::vector<std::vector<std::string>> country_match_names_;  // per country: folded, each once
  PhraseMatcher country_names_;                                // entry: index in countries_
  std::vector<ActionPlan> plans_;
  std::vector<DocumentType> document_types_;
  PhraseMatcher type_markers_;  // entry: index in type_marker_rows_
  struct TypeMarkerRow {
    std::size_t type = 0;  // index in document_types_
    int weight = 0;
  };
  std::vector<TypeMarkerRow> type_marker_rows_;
  Vocabulary report_stages_;
  struct LinePatterns {
    std::optional<std::regex> chrome, not_title, imprint, site_name;
    // The chrome rows again, by the first byte of a line: those of its rows that can start
    // with it (pattern_first_bytes.h), null where none can. Most lines meet two or three.
    std::array<std::shared_ptr<const std::regex>, 256> chrome_by_first_byte;
  } line_patterns_;
  /// Whether `subject` (as line_for_patterns gives it) matches a chrome row whole.
  bool matches_chrome(const std::string& subject) const;
  std::vector<std::pair<std::string, Label>> languages_;
  Vocabulary agencies_;
  Vocabulary organizations_;
  Vocabulary challenges_;
  Vocabulary themes_;
  std::vector<ComplianceStatus> statuses_;
  std::vector<FieldLabel> fields_;                                // one per field
  std::unordered_map<std::string, FieldLabel> field_labels_;      // folded label -> field
  std::vector<std::pair<std::string, TableRole>> table_columns_;  // folded header -> role
  struct Rule {
    std::string name;
    std::regex pattern;
    /// False where the pattern cannot match a folded line: a test far cheaper than the regex,
    /// for a rule as shipped (null once an operator's data changes the pattern).
    bool (*may_match)(std::string_view folded) = nullptr;
  };
  std::vector<Rule> rules_;
  /// Vocabularies of facets that need no code of their own (id, labels, other names), by name.
  std::vector<std::pair<std::string, Vocabulary>> facet_vocabularies_;
};

}  // namespace lupa::analyzers
