// What the indexer knows about a document and the passages it is split into.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lupa/analyzers/passage_record.h"

namespace lupa::indexer {

/// A document's metadata, from the manifest or inferred. Every field may be missing.
struct DocumentMetadata {
  std::optional<std::string> title;
  std::optional<std::string> country;  ///< ISO 3166-1 alpha-2, lower case
  std::vector<std::string> plans;      ///< plan ids from analyzers/data/plans.tsv
  std::optional<std::string> type;     ///< id from analyzers/data/document-types.tsv
  std::vector<std::string> languages;  ///< ISO 639-1 codes
  std::optional<std::string> date;     ///< ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD
  std::optional<std::string> source;   ///< where the document comes from
  /// For an IRM report: its stage (analyzers/data/report-stages.tsv: design, progress, ...).
  std::optional<std::string> report_stage;

  /// The year of `date`, when there is one.
  std::optional<int> year() const;
};

/// What a commitment passage knows about the commitment: what the index stores of it.
using Commitment = schema::CommitmentRecord;

/// A body named in a commitment's lead or supporting field that agencies.tsv does not know.
/// It is kept as a facet value of its own so that nothing named is lost; the indexer stores
/// its name as the value's label and lists it in its summary for an operator to add.
struct DiscoveredInstitution {
  std::string id;    ///< "ke-kenya-school-of-government": the country, the name's folded words
  std::string name;  ///< as written
  bool operator==(const DiscoveredInstitution&) const = default;
};

/// One searchable unit of a document.
struct Passage {
  int ordinal = 0;  ///< 1-based position in the document
  schema::PassageKind kind = schema::PassageKind::kParagraph;
  std::string heading;        ///< the heading(s) the passage sits under, levels joined by " › "
  std::optional<int> number;  ///< the paragraph's own number ("25." -> 25)
  std::optional<int> page;    ///< 1-based page, when the document has pages
  /// kText, or its page's: kTextLayer or kOcr.
  schema::TextSource text_source = schema::TextSource::kText;
  std::optional<double> ocr_confidence;  ///< its page's mean word confidence, when recognised
  std::string text;
  std::string language;        ///< ISO 639-1, set by the indexer
  std::string section_number;  ///< "3.a" for passages under a numbered section

  std::optional<Commitment> commitment;  ///< set when kind is kCommitment
  int translation_ordinal = 0;           ///< the same text in the other language, if any
  std::vector<std::string> plans;        ///< overrides the document's plans when not empty

  // Facet values found by the recognisers.
  std::vector<std::string> agencies;     ///< every body named, responsible or not
  std::vector<std::string> responsible;  ///< bodies named as responsible (lead)
  std::vector<std::string> supporting;   ///< bodies named as supporting a commitment
  std::vector<std::string> organizations;
  std::vector<std::string> challenges;
  std::vector<std::string> themes;
  std::optional<std::string> status;
  schema::IrmRatings irm;  ///< an IRM report's ratings of the commitment
  /// Institutions named in a responsible or supporting field that the gazetteer does not
  /// know: id (the country and the name's folded words) and the name as written.
  std::vector<DiscoveredInstitution> discovered;
};

}  // namespace lupa::indexer
