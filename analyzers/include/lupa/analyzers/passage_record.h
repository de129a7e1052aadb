// The passage record: every field Lupa stores with a passage, typed, and the one place that
// turns it into a Xapian document's data and back.
//
// As LevelDB's dbformat.h does for its keys, this header owns the stored format: the indexer
// builds PassageRecords, the commitment linker rewrites them, the daemon reads them, and no
// other code reads or writes document data or the counted-facet-values slot. The format is
// the JSON object documented in docs/schema.md ("Stored fields"); serialise() writes it byte
// for byte as earlier versions did, but for the linker's same-commitment group (a key since
// lupa-analysis/9, a list of passage ids before).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lupa/analyzers/passage_date.h"

namespace lupa::schema {

/// What a passage is. Stored as its name ("commitment") and counted by the `kind` facet.
enum class PassageKind { kParagraph, kSection, kCommitment };
std::string_view to_string(PassageKind kind);
/// nullopt for a name that is no kind.
std::optional<PassageKind> passage_kind_from_string(std::string_view name);

/// Where a passage's text comes from: a text file, a PDF's text layer, or recognised (OCR).
enum class TextSource { kText, kTextLayer, kOcr };
std::string_view to_string(TextSource source);
std::optional<TextSource> text_source_from_string(std::string_view name);

/// The year an ISO 8601 date ("2019", "2019-08", "2019-08-30") starts with, if it does.
std::optional<int> year_of(std::string_view date);

/// What a commitment passage knows about its commitment.
struct CommitmentRecord {
  std::optional<int> number;  ///< its number within its plan (or the document's numbering)
  std::string ogp_id;         ///< "MX0085" where known, else empty
  std::string title;
  /// Labelled fields as written ("responsible" -> "Ministry of Public Administration (SFP)").
  std::vector<std::pair<std::string, std::string>> fields;
  /// Paragraphs of the original action plan it refers to.
  std::vector<int> original_paragraphs;
  bool operator==(const CommitmentRecord&) const = default;
};

/// What an IRM report rated about a commitment, in canonical ids (analyzers/data/irm-*.tsv).
/// The IRM changed its vocabulary in 2021: older reports rate specificity, potential impact,
/// completion and "did it open government?"; newer ones potential for results and early
/// results (kept as `opened_government`, the same scale). A report fills what it rates.
struct IrmRatings {
  std::optional<std::string> specificity;       ///< none, low, medium, high
  std::vector<std::string> ogp_values;          ///< access-to-information, civic-participation, ...
  std::optional<std::string> potential_impact;  ///< none, minor, moderate, transformative
  std::optional<std::string> potential_results;  ///< unclear, modest, substantial
  std::optional<std::string> completion;         ///< not-started, limited, substantial, complete
  std::optional<std::string>
      opened_government;  ///< worsened, did-not-change, marginal, major, outstanding
  std::optional<bool> starred;

  bool empty() const { return *this == IrmRatings{}; }
  /// Fills what this does not rate from `other`.
  void complete_from(const IrmRatings& other);
  bool operator==(const IrmRatings&) const = default;
};

/// What the commitment linker found: the same commitment elsewhere.
struct CommitmentLinks {
  /// The key of the passages about the same commitment in different documents, carried by
  /// each of them as the term commitment_group_term(group): their smallest passage id (in
  /// passage id order). Empty when no other document states the commitment. Stored as a key,
  /// not as the list of the others, which grew with the square of a plan's documents; the
  /// daemon lists the others by the term.
  std::string group;
  std::vector<std::string> original;  ///< passage ids of the original plan's paragraphs
  std::string linked_ogp_id;          ///< the OGP id of the same commitment, when one is known
  /// The IRM's ratings of the same commitment in other documents (an IRM report rating the
  /// plan's commitment), and the passage ids they come from.
  IrmRatings ratings;
  std::vector<std::string> rated_by;
  bool operator==(const CommitmentLinks&) const = default;
};

/// A stored field that is missing or of the wrong type; what() names the key.
class RecordError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PassageRecord {
  std::string id;     ///< passage_id(doc, ordinal)
  std::string doc;    ///< the document's path as indexed
  std::string title;  ///< the document's title (its path when it has none)
  std::string heading;
  PassageKind kind = PassageKind::kParagraph;
  int ordinal = 0;               ///< 1-based position in the document
  std::optional<int> paragraph;  ///< the paragraph's own number ("25." -> 25)
  std::optional<int> page;       ///< 1-based page, when the document has pages
  TextSource source = TextSource::kText;
  std::optional<double> confidence;  ///< OCR mean word confidence, 0-100, whole numbers
  std::string lang;                  ///< ISO 639-1
  std::vector<std::string> plans;
  std::optional<std::string> type;     ///< document type id
  std::optional<std::string> country;  ///< ISO 3166-1 alpha-2, lower case
  std::optional<std::string> date;     ///< the document's, ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD
  /// The date the passage is about: its commitment's plan period where known, else `date`.
  std::optional<PassageDate> passage_date;
  std::optional<std::string> publisher;
  std::vector<std::string> doc_languages;
  std::int64_t indexed_at = 0;         ///< unix seconds
  std::optional<std::string> section;  ///< "3.a" under a numbered section
  std::vector<std::string> challenges;
  std::vector<std::string> themes;
  std::vector<std::string> agencies;     ///< every body named, responsible or not
  std::vector<std::string> responsible;  ///< bodies named as responsible (lead)
  std::vector<std::string> organizations;
  std::optional<std::string> status;
  std::optional<std::string> translation_id;
  /// Bodies named as supporting a commitment (not its lead). Stored only when not empty.
  std::vector<std::string> supporting;
  /// The IRM report stage of the document (design, progress, ...). Stored only when set.
  std::optional<std::string> report_stage;
  /// The ratings this passage's own text gives (an IRM report's). Stored when not empty.
  IrmRatings irm;
  std::optional<CommitmentRecord> commitment;
  std::string text;
  /// Set by the commitment linker only.
  std::optional<CommitmentLinks> links;

  bool operator==(const PassageRecord&) const = default;

  /// The year the passage is about: the one its passage_date starts in, else the year of
  /// `date` (a record stored before passages had dates), when it starts with one.
  std::optional<int> year() const;

  /// The IRM's ratings of the commitment: its own, completed by the linked ones.
  IrmRatings ratings() const;

  /// The OGP ids of the commitment: its own, else the one the linker found (at most one).
  std::vector<std::string> ogp_ids() const;

  /// The document data. A record without links is written in the order of the fields above;
  /// one the linker rewrote, with every object's keys in alphabetical order, which is how the
  /// linker has always written them.
  std::string serialise() const;

  /// Reads document data written by serialise() (or by any earlier Lupa). Throws RecordError
  /// naming the first key that is missing or has the wrong type.
  static PassageRecord parse(std::string_view data);
};

// The counted-facet-values slot (schema::kSlotFacetValues): every counted facet value of a
// passage in one value, so that exact counts over all matches read one value per match, not
// one per facet. Each value is written as its facet's code (facet_code of its position in the
// facet table), the value, and kValueSeparator.

inline constexpr char kValueSeparator = '\n';

/// The printable byte that stands for the facet at `index` in the table ('A' + index: never the
/// separator, for up to 60 facets).
inline constexpr char facet_code(std::size_t index) {
  return static_cast<char>('A' + index);
}

class FacetValuesEncoder {
 public:
  /// Adds `value` of the facet at `index`. Empty values and values holding the separator (no
  /// canonical value has one) are left out.
  void add(std::size_t index, std::string_view value);
  const std::string& slot() const { return slot_; }

 private:
  std::string slot_;
};

/// Calls `each(index, value)` for every value in a slot written by FacetValuesEncoder.
template <typename Each>
void decode_facet_values(std::string_view slot, Each&& each) {
  while (!slot.empty()) {
    const std::size_t end = slot.find(kValueSeparator);
    const std::string_view entry = slot.substr(0, end);
    const auto code = static_cast<unsigned char>(entry.empty() ? 0 : entry[0]);
    if (entry.size() > 1 && code >= 'A')
      each(static_cast<std::size_t>(code - 'A'), entry.substr(1));
    if (end == std::string_view::npos) break;
    slot.remove_prefix(end + 1);
  }
}

}  // namespace lupa::schema
