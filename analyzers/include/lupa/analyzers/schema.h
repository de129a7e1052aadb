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
#include <string>
#include <string_view>

namespace lupa::schema {

/// Bumped whenever analysis or the schema changes in a way that needs every file re-indexed:
/// the indexer stores it with each file's state and re-reads files indexed under another one.
inline constexpr std::string_view kAnalysisVersion = "lupa-analysis/5";

// Term prefixes that are not facets.
inline constexpr std::string_view kIdPrefix = "Q";     ///< unique passage id (Xapian convention)
inline constexpr std::string_view kFilePrefix = "XF";  ///< every passage of one document file
inline constexpr std::string_view kStemPrefix = "Z";   ///< stemmed word (Xapian convention)

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

// Value slots that are not facets.
inline constexpr Xapian::valueno kSlotIndexedAt = 0;  ///< unix seconds, sortable_serialise
inline constexpr Xapian::valueno kSlotOrdinal = 1;    ///< passage position in its document
/// The passage's language code ("es"), for ranking passages in the query's language first.
inline constexpr Xapian::valueno kSlotLanguage = 3;
/// Shared by a passage and its translation (document path + '#' + the lower ordinal), so a
/// search shows one of the two; empty for passages without a translation.
inline constexpr Xapian::valueno kSlotTranslationGroup = 4;

/// A facet: a filterable, countable field. Filtering uses boolean terms `prefix + value`.
/// Counting reads kSlotFacetValues, one slot holding every counted facet value of the
/// passage, so that exact counts over all matches read one value per match, not one per facet.
struct Facet {
  std::string_view name;    ///< API parameter and query-field name, e.g. "plan"
  std::string_view prefix;  ///< boolean term prefix
  bool counted;             ///< counted in search answers (ids such as MX0085 are not)
  std::string_view description;
};

/// Value slot with the passage's facet values: for each, the facet's code (facet_code), the
/// value, and kValueSeparator.
inline constexpr Xapian::valueno kSlotFacetValues = 2;
inline constexpr char kValueSeparator = '\n';

inline constexpr std::array kFacets = {
    Facet{"plan", "XP", true, "action plan, one value per country and period (mx-2019-2021)"},
    Facet{"challenge", "XC", true, "OGP grand challenge (public-integrity, ...)"},
    Facet{"theme", "XH", true, "OGP policy area (anti-corruption, fiscal-openness, ...)"},
    Facet{"agency", "XA", true, "government body the passage names, responsible or not"},
    Facet{"responsible", "XR", true, "government body responsible for the commitment"},
    Facet{"organization", "XO", true, "civil-society organisation the passage names"},
    Facet{"status", "XS", true, "compliance of the commitment (total, partial, none)"},
    Facet{"kind", "XK", true, "passage kind (paragraph, section, commitment)"},
    Facet{"type", "XT", true, "document type (action-plan, self-assessment, irm-report, ...)"},
    Facet{"lang", "XL", true, "language of the passage (es, en)"},
    Facet{"year", "XY", true, "year of the document's date"},
    Facet{"country", "XN", true, "country of the document, ISO 3166-1 alpha-2 lower case"},
    Facet{"commitment", "XM", false, "OGP commitment id (MX0085)"},
};

/// The position of `facet` in kFacets.
std::size_t facet_index(const Facet& facet);

/// The printable byte that stands for the facet at `index` in kSlotFacetValues ('A' + index:
/// never the separator, whatever the number of facets).
inline constexpr char facet_code(std::size_t index) {
  return static_cast<char>('A' + index);
}
inline constexpr std::size_t facet_index_of_code(char code) {
  return static_cast<std::size_t>(code - 'A');
}

/// The canonical form of a facet value as a user or a filter may write it: agency "SFP" or
/// "Función Pública" -> "mx-sfp", challenge "public integrity" -> "public-integrity", status
/// "TC" -> "total", commitment "mx0085" -> "MX0085"; other facets lower case. A value that names
/// nothing known is returned as given (it then matches nothing).
std::string canonical_value(const Facet& facet, std::string_view value);

/// The facet called `name`, or nullopt.
std::optional<Facet> find_facet(std::string_view name);

/// The Xapian term that marks a passage as having `value` for `facet`.
std::string facet_term(const Facet& facet, std::string_view value);

/// The id term of a passage (prefix Q). Long ids are shortened to fit Xapian's term limit.
std::string id_term(std::string_view passage_id);

/// The term carried by every passage of one document file.
std::string file_term(std::string_view document_path);

}  // namespace lupa::schema
