// Turns a passage and its document's metadata into a Xapian::Document: terms (through the
// shared analyzers), facet terms and values, and the stored record (docs/schema.md).
// Building needs no database, so it runs on worker threads while the writer writes.
#pragma once

#include <xapian.h>

#include <span>
#include <string>

#include "lupa/analyzers/passage_analyzer.h"
#include "lupa/analyzers/passage_record.h"
#include "lupa/analyzers/schema.h"
#include "lupa/indexer/document.h"

namespace lupa::indexer {

/// The record stored with `passage` of the document at `document_path`: the passage's own
/// plans when it has any, else the document's; the path stands in for a missing title; the
/// OCR confidence is rounded to a whole number. `indexed_at`: unix seconds.
schema::PassageRecord make_passage_record(const std::string& document_path,
                                          const DocumentMetadata& metadata, const Passage& passage,
                                          double indexed_at);

/// Not thread-safe (it caches analyses): one per thread.
class DocumentBuilder {
 public:
  /// `facets`: the facets whose terms and counted values are indexed (copied). Throws
  /// std::invalid_argument unless it is the standard table with facets appended.
  explicit DocumentBuilder(schema::FacetTable facets = schema::standard_facets())
      : facets_(facets.begin(), facets.end()) {
    schema::check_facet_table(facets_);
  }

  /// `indexed_at`: unix seconds, recorded for "newest first" feeds.
  Xapian::Document build(const std::string& document_path, const DocumentMetadata& metadata,
                         const Passage& passage, double indexed_at);

  /// The same with the words of `passage.text` as segment_words gives them, when the caller
  /// has them already.
  Xapian::Document build(const std::string& document_path, const DocumentMetadata& metadata,
                         const Passage& passage, std::span<const std::string> text_words,
                         double indexed_at);

 private:
  std::vector<schema::Facet> facets_;
  analyzers::PassageAnalyzer analyzer_;
};

}  // namespace lupa::indexer
