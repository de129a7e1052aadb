// The search itself, without HTTP: query analysis, filters, exact and disjunctive facet
// counts, snippets, passages by id. The HTTP layer and the tests call the same object.
//
// Thread safety: a Xapian::Database must not be used by two threads at once, so each thread
// that calls the service gets its own handle, opened on first use and reopened before every
// request, which is how an index committed by the indexer becomes visible without a restart.
#pragma once

#include <Poco/JSON/Object.h>
#include <xapian.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "lupa/analyzers/reference_data.h"
#include "lupa/searchd/search_request.h"

namespace lupa::searchd {

struct FacetValue {
  std::string value;
  analyzers::Label label;
  Xapian::doccount count = 0;
};

struct Facet {
  std::string name;
  std::vector<FacetValue> values;  ///< by count, then value
};

struct Hit {
  int rank = 0;                    ///< 1-based over the whole result set
  double score = 0;                ///< BM25 weight; 0 when browsing
  std::string snippet;             ///< HTML: text escaped, matched words in <mark>
  Poco::JSON::Object::Ptr stored;  ///< the passage's stored fields (see docs/schema.md)
};

struct SearchResult {
  std::string query;
  Xapian::doccount total = 0;  ///< exact number of matching passages
  int page = 1;
  int per_page = 10;
  double took_ms = 0;
  std::optional<std::string> corrected;
  std::vector<Hit> hits;
  /// Every schema facet. For a facet the request filters on, counts are computed with every
  /// filter except its own (disjunctive faceting), so the other values stay selectable.
  std::vector<Facet> facets;
};

struct FacetListing {
  Xapian::doccount total = 0;  ///< passages in the index
  std::vector<Facet> facets;   ///< every counted facet, counts over the whole index
};

struct IndexHealth {
  Xapian::doccount passages = 0;
  std::string revision;  ///< per shard, joined by ','
};

class SearchService {
 public:
  /// `databases`: one or more Xapian databases searched as one (shards). They must exist.
  explicit SearchService(std::vector<std::filesystem::path> databases);

  /// Throws BadRequest or analyzers::QuerySyntaxError for what the client got wrong, and
  /// Xapian::Error when the index cannot be read.
  SearchResult search(const SearchRequest& request) const;

  /// Every facet's values with labels and counts over the whole index.
  FacetListing facets() const;

  /// The stored fields of passage `id`, or nullptr when there is none.
  Poco::JSON::Object::Ptr passage(const std::string& id) const;

  IndexHealth health() const;

 private:
  Xapian::Database& database() const;
  std::vector<std::filesystem::path> databases_;
  unsigned long instance_id_;
};

}  // namespace lupa::searchd
