// What the indexer knows about a document and the passages it is split into.
#pragma once

#include <optional>
#include <string>
#include <vector>

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

  /// The year of `date`, when there is one.
  std::optional<int> year() const;
};

/// One searchable unit of a document.
struct Passage {
  int ordinal = 0;                  ///< 1-based position in the document
  std::string kind = "paragraph";   ///< a value of the `kind` facet
  std::string heading;              ///< the section heading the passage sits under
  std::optional<int> number;        ///< the paragraph's own number ("25." -> 25)
  std::optional<int> page;          ///< 1-based page, when the document has pages
  std::string text;
  std::string language;             ///< ISO 639-1, set by the indexer
};

}  // namespace lupa::indexer
