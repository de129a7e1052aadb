// The index schema: every term prefix, value slot and facet Lupa uses, defined once.
//
// The indexer writes terms and values only through these names and the daemon builds its
// query parser and facet counters by looping over kFacets, so the two cannot drift apart.
// docs/schema.md documents the same table; a unit test checks that prefixes are unique and
// that none is the start of another (Xapian would otherwise confuse "XP" with "XPA...").
#pragma once

#include <xapian.h>

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lupa/analyzers/passage_record.h"
#include "lupa/analyzers/vocabulary.h"

namespace lupa::schema {

/// Bumped whenever analysis or the schema changes in a way that needs every file re-indexed:
/// the indexer stores it with each file's state and re-reads files indexed under another one.
inline constexpr std::string_view kAnalysisVersion = "lupa-analysis/12";

// Term prefixes that are not facets.
inline constexpr std::string_view kIdPrefix = "Q";     ///< unique passage id (Xapian convention)
inline constexpr std::string_view kFilePrefix = "XF";  ///< every passage of one document file
inline constexpr std::string_view kStemPrefix = "Z";   ///< stemmed word (Xapian convention)
/// Every passage of one near-duplicate group, followed by the group's key (kSlotDuplicateGroup).
inline constexpr std::string_view kDuplicateGroupPrefix = "XZ";
/// Every passage about one commitment, in different documents, followed by the group's key
/// (CommitmentLinks::group): a passage's list of the same commitment elsewhere is read from it.
inline constexpr std::string_view kCommitmentGroupPrefix = "XD";
/// Every passage holding one of a glossary concept's terms of two words or more, followed by
/// the concept's id (Glossary::phrase_concepts_in): a query widened with the concept asks for
/// this one term instead of a phrase per term, whose positions cost most of a query.
inline constexpr std::string_view kConceptPrefix = "XX";
/// A band of a passage's MinHash signature and part of its key (the indexer's add_band_terms):
/// how a run that changes a few passages finds their possible near-duplicates.
inline constexpr std::string_view kDuplicateBandPrefix = "B";

/// Xapian's own limits (glass backend): a longer term is refused when its document is added, a
/// longer user metadata key when it is set, and a longer spelling word only when the
/// transaction commits, which would lose the whole run.
inline constexpr std::size_t kMaxTermBytes = 245;
inline constexpr std::size_t kMaxMetadataKeyBytes = 253;
inline constexpr std::size_t kMaxSpellingWordBytes = 254;

/// The user metadata key `prefix + key`; a key that would be over Xapian's limit keeps its
/// first 100 bytes and a digest of the whole, as long terms do (see file_term).
std::string metadata_key(std::string_view prefix, std::string_view key);

/// User metadata key holding how a word of the spelling dictionary, which holds words without
/// accents, is written with them ("corrupcion" -> "corrupción").
inline std::string accented_spelling_key(std::string_view accentless) {
  return metadata_key("lupa:accented:", accentless);
}

// Value slots.
inline constexpr Xapian::valueno kSlotIndexedAt = 0;  ///< unix seconds, sortable_serialise
// Slot 1 held the passage's position in its document until lupa-analysis/12. Nothing read it
// (the document data has the ordinal), and every slot a passage has costs Xapian 1.4 some 80
// bytes of memory until the run's commit, whatever the value's size.
/// Every counted facet value of the passage (FacetValuesEncoder, in passage_record.h).
inline constexpr Xapian::valueno kSlotFacetValues = 2;
/// The passage's language code ("es"), for ranking passages in the query's language first.
inline constexpr Xapian::valueno kSlotLanguage = 3;
/// Shared by a passage and its translation (document path + '#' + the lower ordinal), so a
/// search shows one of the two; empty for passages without a translation.
inline constexpr Xapian::valueno kSlotTranslationGroup = 4;
/// The first day of the passage's date (PassageRecord::passage_date) as the number YYYYMMDD,
/// sortable_serialise: for sorting by date and date ranges. Empty for a passage without one.
inline constexpr Xapian::valueno kSlotPassageDate = 5;
/// Shared by near-duplicate passages of different documents (the smallest passage id of the
/// group; indexer's group_duplicates); empty for a passage without duplicates.
inline constexpr Xapian::valueno kSlotDuplicateGroup = 6;
/// Shown once: shared by a passage, its translation and their duplicates (their translation
/// group without duplicates, else the smallest passage id of them all); the default collapse
/// key. Empty for a passage alone.
inline constexpr Xapian::valueno kSlotShownOnce = 7;
/// What the indexer's duplicate grouper reads of a passage, so that it never parses document
/// data or segments text again: its MinHash signature (indexer's duplicate_grouper.h,
/// duplicate_signature; the passage id beside it is kSlotPassageId's). Not read by searchd: some
/// 260 bytes a passage.
inline constexpr Xapian::valueno kSlotDuplicateSignature = 8;
/// What the indexer's commitment linker reads of a commitment passage, and a digest of its links
/// (indexer's commitment_linker.h, commitment_link_value). Not read by searchd.
inline constexpr Xapian::valueno kSlotCommitmentLinks = 9;
/// The keys of the sorts by date: the date, then the passage id, so that passages of one date
/// come in reading order, on one database and on shards alike (never in document id order,
/// nor by a relevance that ties). Oldest first sorts ascending; newest first descending, so its
/// key holds each byte of the passage id inverted (passage_date_sort_keys). Undated passages
/// come last either way. Values rather than a Xapian::KeyMaker, which Xapian's remote backend
/// cannot carry to shard servers.
inline constexpr Xapian::valueno kSlotOldestFirst = 10;
inline constexpr Xapian::valueno kSlotNewestFirst = 11;
/// The passage id alone: what ties of relevance, browses and the lists of a group are ordered
/// by, the same on one database and on shards (document ids are not). Short on purpose: a sort
/// by relevance then value reads the value of every candidate, and reading slot 8, which then
/// started with the id, made that most of a query's time (the grouper reads the id from here).
inline constexpr Xapian::valueno kSlotPassageId = 12;

/// The values of kSlotNewestFirst and kSlotOldestFirst for the passage `id` whose date's first
/// day is `day` (YYYYMMDD; none: undated).
struct DateSortKeys {
  std::string newest;
  std::string oldest;
};
DateSortKeys passage_date_sort_keys(std::optional<int> day, std::string_view id);

/// A facet's name as the search page shows it.
struct FacetTitle {
  std::string_view en;
  std::string_view es;
};

/// How a value is written when the facet's vocabulary does not name it (or it has none): as
/// given (a name a user typed that names no body), lower case (codes), upper case (OGP ids).
enum class ValueCase { kAsGiven, kLower, kUpper };

/// A facet: a filterable, countable field, and everything each part of Lupa needs to know
/// about it. The document builder, the facet counter, the query filters, the JSON answers, the
/// export columns and the page's panels all loop over a FacetTable, so a new facet is a new
/// entry here, its vocabulary's data file and its documentation (docs/HACKING.md).
struct Facet {
  std::string_view name;    ///< API parameter and query-field name, e.g. "plan"
  std::string_view prefix;  ///< boolean term prefix
  /// The stored field (JSON key, export column) holding the values; empty when the values are
  /// derived from other fields (the year, from the date).
  std::string_view field;
  /// The passage's values, canonical, as the builder indexes them and answers show them.
  std::vector<std::string> (*values)(const PassageRecord&);
  /// True when a passage has at most one value: answers show it as a value or null, not a list.
  bool single;
  /// The data file (analyzers/data/<vocabulary>.tsv) that canonicalises and labels the values;
  /// empty for values that are their own labels (written in `value_case`).
  std::string_view vocabulary;
  ValueCase value_case;
  bool counted;  ///< counted in search answers (ids such as MX0085 are not)
  bool shown;    ///< a panel of the search page and a line of the passage page
  /// A passage and its translation differ in this facet (the language): the facet counts both
  /// even when results show one of the two, and a filter on it turns that collapsing off.
  bool tells_translations_apart;
  FacetTitle title;  ///< the panel's title
  std::string_view description;
};

/// A set of facets; position in it is a facet's code in kSlotFacetValues, so the standard
/// table only ever grows at its end.
using FacetTable = std::span<const Facet>;

namespace detail {
inline std::vector<std::string> one(const std::optional<std::string>& value) {
  return value ? std::vector<std::string>{*value} : std::vector<std::string>{};
}
inline std::optional<std::string> yes_no(std::optional<bool> value) {
  if (!value) return std::nullopt;
  return *value ? "yes" : "no";
}
}  // namespace detail

inline constexpr std::array kFacets = {
    Facet{.name = "plan",
          .prefix = "XP",
          .field = "plans",
          .values = [](const PassageRecord& r) { return r.plans; },
          .single = false,
          .vocabulary = "plans",
          .value_case = ValueCase::kLower,
          .counted = true,
          .shown = true,
          .tells_translations_apart = false,
          .title = {"Action plan", "Plan de acción"},
          .description = "action plan, one value per country and period (mx-2019-2021)"},
    Facet{.name = "challenge",
          .prefix = "XC",
          .field = "challenge",
          .values = [](const PassageRecord& r) { return r.challenges; },
          .single = false,
          .vocabulary = "challenges",
          .value_case = ValueCase::kAsGiven,
          .counted = true,
          .shown = true,
          .tells_translations_apart = false,
          .title = {"OGP challenge", "Desafío OGP"},
          .description = "OGP grand challenge (public-integrity, ...)"},
    Facet{.name = "theme",
          .prefix = "XH",
          .field = "themes",
          .values = [](const PassageRecord& r) { return r.themes; },
          .single = false,
          .vocabulary = "themes",
          .value_case = ValueCase::kAsGiven,
          .counted = true,
          .shown = true,
          .tells_translations_apart = false,
          .title = {"Policy area", "Área de política"},
          .description = "OGP policy area (anti-corruption, fiscal-openness, ...)"},
    Facet{.name = "agency",
          .prefix = "XA",
          .field = "agencies",
          .values = [](const PassageRecord& r) { return r.agencies; },
          .single = false,
          .vocabulary = "agencies",
          .value_case = ValueCase::kAsGiven,
          .counted = true,
          .shown = true,
          .tells_translations_apart = false,
          .title = {"Agency", "Institución"},
          .description = "government body the passage names, responsible or not"},
    Facet{.name = "responsible",
          .prefix = "XR",
          .field = "responsible",
          .values = [](const PassageRecord& r) { return r.responsible; },
          .single = false,
          .vocabulary = "agencies",
          .value_case = ValueCase::kAsGiven,
          .counted = true,
          .shown = true,
          .tells_translations_apart = false,
          .title = {"Responsible agency", "Institución responsable"},
          .description = "government body responsible for the commitment"},
    Facet{.name = "organization",
          .prefix = "XO",
          .field = "organizations",
          .values = [](const PassageRecord& r) { return r.organizations; },
          .single = false,
          .vocabulary = "organizations",
          .value_case = ValueCase::kAsGiven,
          .counted = true,
          .shown = true,
          .tells_translations_apart = false,
          .title = {"Organisation", "Organización"},
          .description = "civil-society organisation the passage names"},
    Facet{.name = "status",
          .prefix = "XS",
          .field = "status",
          .values = [](const PassageRecord& r) { return detail::one(r.status); },
          .single = true,
          .vocabulary = "compliance-status",
          .value_case = ValueCase::kLower,
          .counted = true,
          .shown = false,
          .tells_translations_apart = false,
          .title = {"Compliance", "Cumplimiento"},
          .description = "compliance of the commitment (total, partial, none)"},
    Facet{.name = "kind",
          .prefix = "XK",
          .field = "kind",
          .values =
              [](const PassageRecord& r) {
                return std::vector<std::string>{std::string(to_string(r.kind))};
              },
          .single = true,
          .vocabulary = "passage-kinds",
          .value_case = ValueCase::kLower,
          .counted = true,
          .shown = false,
          .tells_translations_apart = false,
          .title = {"Passage kind", "Tipo de pasaje"},
          .description = "passage kind (paragraph, section, commitment)"},
    Facet{.name = "type",
          .prefix = "XT",
          .field = "type",
          .values = [](const PassageRecord& r) { return detail::one(r.type); },
          .single = true,
          .vocabulary = "document-types",
          .value_case = ValueCase::kLower,
          .counted = true,
          .shown = true,
          .tells_translations_apart = false,
          .title = {"Document type", "Tipo de documento"},
          .description = "document type (action-plan, self-assessment, irm-report, ...)"},
    Facet{.name = "lang",
          .prefix = "XL",
          .field = "lang",
          .values = [](const PassageRecord& r) { return std::vector<std::string>{r.lang}; },
          .single = true,
          .vocabulary = "languages",
          .value_case = ValueCase::kLower,
          .counted = true,
          .shown = true,
          .tells_translations_apart = true,
          .title = {"Language", "Idioma"},
          .description = "language of the passage (es, en)"},
    Facet{.name = "year",
          .prefix = "XY",
          .field = "",
          .values =
              [](const PassageRecord& r) {
                const auto year = r.year();
                return year ? std::vector<std::string>{std::to_string(*year)}
                            : std::vector<std::string>{};
              },
          .single = true,
          .vocabulary = "",
          .value_case = ValueCase::kLower,
          .counted = true,
          .shown = true,
          .tells_translations_apart = false,
          .title = {"Year", "Año"},
          .description = "year the passage is about: its plan's first year, else its document's"},
    Facet{.name = "country",
          .prefix = "XN",
          .field = "country",
          .values = [](const PassageRecord& r) { return detail::one(r.country); },
          .single = true,
          .vocabulary = "countries",
          .value_case = ValueCase::kLower,
          .counted = true,
          .shown = true,
          .tells_translations_apart = false,
          .title = {"Country", "País"},
          .description = "country of the document, ISO 3166-1 alpha-2 lower case"},
    Facet{.name = "commitment",
          .prefix = "XM",
          .field = "commitment",
          .values = [](const PassageRecord& r) { return r.ogp_ids(); },
          .single = true,
          .vocabulary = "",
          .value_case = ValueCase::kUpper,
          .counted = false,
          .shown = false,
          .tells_translations_apart = false,
          .title = {"OGP commitment", "Compromiso OGP"},
          .description = "OGP commitment id (MX0085): its own, or the one the linker found"},
    Facet{.name = "supporting",
          .prefix = "XB",
          .field = "supporting",
          .values = [](const PassageRecord& r) { return r.supporting; },
          .single = false,
          .vocabulary = "agencies",
          .value_case = ValueCase::kAsGiven,
          .counted = true,
          .shown = false,
          .tells_translations_apart = false,
          .title = {"Supporting agency", "Institución de apoyo"},
          .description = "government body named as supporting a commitment, not leading it"},
    Facet{.name = "report_stage",
          .prefix = "XG",
          .field = "report_stage",
          .values = [](const PassageRecord& r) { return detail::one(r.report_stage); },
          .single = true,
          .vocabulary = "report-stages",
          .value_case = ValueCase::kLower,
          .counted = true,
          .shown = true,
          .tells_translations_apart = false,
          .title = {"Report stage", "Etapa del informe"},
          .description =
              "stage of an IRM report or self-assessment (design, progress, results, ...)"},
    Facet{.name = "specificity",
          .prefix = "XQ",
          .field = "specificity",
          .values = [](const PassageRecord& r) { return detail::one(r.ratings().specificity); },
          .single = true,
          .vocabulary = "irm-specificity",
          .value_case = ValueCase::kLower,
          .counted = true,
          .shown = true,
          .tells_translations_apart = false,
          .title = {"Specificity (IRM)", "Especificidad (MRI)"},
          .description = "IRM rating: how specific the commitment is (none, low, medium, high)"},
    Facet{.name = "ogp_value",
          .prefix = "XU",
          .field = "ogp_values",
          .values = [](const PassageRecord& r) { return r.ratings().ogp_values; },
          .single = false,
          .vocabulary = "irm-ogp-values",
          .value_case = ValueCase::kLower,
          .counted = true,
          .shown = true,
          .tells_translations_apart = false,
          .title = {"OGP values (IRM)", "Valores de OGP (MRI)"},
          .description =
              "IRM rating: OGP values the commitment is relevant to (access-to-information, ...)"},
    Facet{
        .name = "potential_impact",
        .prefix = "XI",
        .field = "potential_impact",
        .values = [](const PassageRecord& r) { return detail::one(r.ratings().potential_impact); },
        .single = true,
        .vocabulary = "irm-potential-impact",
        .value_case = ValueCase::kLower,
        .counted = true,
        .shown = true,
        .tells_translations_apart = false,
        .title = {"Potential impact (IRM)", "Impacto potencial (MRI)"},
        .description = "IRM rating: potential impact (none, minor, moderate, transformative)"},
    Facet{
        .name = "potential_results",
        .prefix = "XJ",
        .field = "potential_results",
        .values = [](const PassageRecord& r) { return detail::one(r.ratings().potential_results); },
        .single = true,
        .vocabulary = "irm-potential-results",
        .value_case = ValueCase::kLower,
        .counted = true,
        .shown = true,
        .tells_translations_apart = false,
        .title = {"Potential for results (IRM)", "Potencial de resultados (MRI)"},
        .description =
            "IRM rating since 2021: potential for results (unclear, modest, substantial)"},
    Facet{.name = "completion",
          .prefix = "XE",
          .field = "completion",
          .values = [](const PassageRecord& r) { return detail::one(r.ratings().completion); },
          .single = true,
          .vocabulary = "irm-completion",
          .value_case = ValueCase::kLower,
          .counted = true,
          .shown = true,
          .tells_translations_apart = false,
          .title = {"Completion (IRM)", "Nivel de cumplimiento (MRI)"},
          .description = "IRM rating: completion (not-started, limited, substantial, complete)"},
    Facet{
        .name = "opened_government",
        .prefix = "XV",
        .field = "opened_government",
        .values = [](const PassageRecord& r) { return detail::one(r.ratings().opened_government); },
        .single = true,
        .vocabulary = "irm-opened-government",
        .value_case = ValueCase::kLower,
        .counted = true,
        .shown = true,
        .tells_translations_apart = false,
        .title = {"Did it open government? (IRM)", "¿Contribuyó a abrir el gobierno? (MRI)"},
        .description = "IRM rating: did it open government / early results (worsened, "
                       "did-not-change, marginal, major, outstanding)"},
    Facet{
        .name = "starred",
        .prefix = "XW",
        .field = "starred",
        .values =
            [](const PassageRecord& r) { return detail::one(detail::yes_no(r.ratings().starred)); },
        .single = true,
        .vocabulary = "irm-starred",
        .value_case = ValueCase::kLower,
        .counted = true,
        .shown = true,
        .tells_translations_apart = false,
        .title = {"Starred (IRM)", "Compromiso estelar (MRI)"},
        .description = "IRM rating: a starred commitment (yes, no)"},
};

/// A facet's code in kSlotFacetValues is 'A' + its position: at most this many facets.
inline constexpr std::size_t kMaxFacets = 60;
static_assert(kFacets.size() <= kMaxFacets);

/// The facets Lupa indexes and serves.
inline FacetTable standard_facets() {
  return kFacets;
}

/// Throws std::invalid_argument unless `table` is the standard table with entries appended
/// (a facet's position is its code in the counted-values slot of every index built so far)
/// and has at most kMaxFacets entries with distinct names.
void check_facet_table(FacetTable table);

/// The position of `facet` in `table`; throws std::logic_error when it is not there.
std::size_t facet_index(const Facet& facet, FacetTable table = standard_facets());

/// The facet called `name` in `table`, or nullptr.
const Facet* find_facet(std::string_view name, FacetTable table = standard_facets());

/// The canonical form of a facet value as a user or a filter may write it: agency "SFP" or
/// "Función Pública" -> "mx-sfp", challenge "public integrity" -> "public-integrity", status
/// "TC" -> "total", commitment "mx0085" -> "MX0085". A value its vocabulary does not know,
/// or of a facet without one, is written in the facet's case (it then matches nothing unless
/// it is a value indexed as such).
std::string canonical_value(const Facet& facet, std::string_view value);

/// The English and Spanish labels of a facet value; the value itself when none is known.
analyzers::Label value_label(const Facet& facet, std::string_view value);

/// The Xapian term that marks a passage as having `value` for `facet`.
std::string facet_term(const Facet& facet, std::string_view value);

/// Adds to `document` the filter term of every value of every facet in `table`, and the
/// counted ones to kSlotFacetValues.
void add_facet_terms(const PassageRecord& record, Xapian::Document& document,
                     FacetTable table = standard_facets());

/// Brings `document`'s facet terms and counted values from those of `before` to those of
/// `after` (when the linker rewrites a record).
void replace_facet_terms(const PassageRecord& before, const PassageRecord& after,
                         Xapian::Document& document, FacetTable table = standard_facets());

/// The passage id users see: the document path made URL-safe and the passage's ordinal
/// ("corpus/mx-plan.txt", 25 -> "corpus.mx-plan-txt.0025"). The same passage of an unchanged
/// file keeps its id across runs.
std::string passage_id(std::string_view document_path, int ordinal);

/// The id of the passage `delta` places after `id` in its document (before, when negative), or
/// nullopt when `id` is not a passage id or the ordinal would be below 1.
std::optional<std::string> neighbour_id(std::string_view id, int delta);

/// The id term of a passage (prefix Q). Long ids are shortened to fit Xapian's term limit.
std::string id_term(std::string_view passage_id);

/// The term carried by every passage of one document file.
std::string file_term(std::string_view document_path);

/// The term carried by every passage of the duplicate group `group_key` (kSlotDuplicateGroup).
std::string duplicate_group_term(std::string_view group_key);

/// The term carried by every passage of the same-commitment group `group_key`
/// (CommitmentLinks::group).
std::string commitment_group_term(std::string_view group_key);

/// The term carried by every passage holding a phrase of the glossary concept `concept_id`.
std::string concept_term(std::string_view concept_id);

}  // namespace lupa::schema
