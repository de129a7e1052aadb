// Turns a passage and its document's metadata into a Xapian::Document: terms (through the
// shared analyzers), facet terms and values, and the stored fields (docs/schema.md).
// Building needs no database, so it runs on worker threads while the writer writes.
#pragma once

#include <Poco/JSON/Array.h>
#include <xapian.h>

#include <string>
#include <vector>

#include "lupa/analyzers/passage_analyzer.h"
#include "lupa/indexer/document.h"

namespace lupa::indexer {

/// The passage id users see: the document path made URL-safe and the passage's ordinal
/// ("corpus/mx-plan.txt", 25 -> "corpus.mx-plan-txt.0025"). The same passage of an unchanged
/// file keeps its id across runs.
std::string passage_id(const std::string& document_path, int ordinal);

/// A list of strings as a JSON array, the form stored fields keep lists in.
Poco::JSON::Array::Ptr json_list(const std::vector<std::string>& values);

/// Not thread-safe (it caches analyses): one per thread.
class DocumentBuilder {
 public:
  /// `indexed_at`: unix seconds, recorded for "newest first" feeds.
  Xapian::Document build(const std::string& document_path, const DocumentMetadata& metadata,
                         const Passage& passage, double indexed_at);

 private:
  analyzers::PassageAnalyzer analyzer_;
};

}  // namespace lupa::indexer
