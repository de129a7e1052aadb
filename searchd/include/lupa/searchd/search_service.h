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
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lupa/analyzers/query_analyzer.h"
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
  std::optional<std::string> corrected;  ///< "did you mean", when spelling finds better words
  bool corrected_applied = false;        ///< the query as typed matched nothing; these are its hits
  /// Nothing had all the words (even corrected): these hits have some of them, best first.
  bool relaxed = false;
  std::optional<std::string> language;  ///< the query's language, when its words tell it
  std::vector<std::string> expanded;    ///< glossary concepts the query was widened with
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

/// How results are ranked. The defaults are Lupa's; baseline() is the plain ranking the
/// relevance benchmark compares against.
struct RankingOptions {
  analyzers::QueryOptions query;
  bool language_boost = true;         ///< passages in the query's language first, all else equal
  bool collapse_translations = true;  ///< one of a passage and its translation, unless `lang`
  bool relax_when_empty = true;       ///< no passage has every word: show those with some
  // Tuned on tests/relevance/judgments.tsv (bench/relevance.py): b = 0.3 rather than Xapian's
  // 0.5, since passages vary from a title line to a page and short ones are not worth less.
  double bm25_k1 = 1.2;  ///< term frequency saturation
  double bm25_b = 0.3;   ///< passage length normalisation
  static RankingOptions baseline();
};

class SearchService {
 public:
  /// `databases`: one or more Xapian databases searched as one (shards). They must exist.
  explicit SearchService(std::vector<std::filesystem::path> databases, RankingOptions ranking = {});

  /// Throws BadRequest or analyzers::QuerySyntaxError for what the client got wrong, and
  /// Xapian::Error when the index cannot be read.
  SearchResult search(const SearchRequest& request) const;

  /// Calls `each` with the stored fields of every match of `request`, in result order, reading
  /// the matches a batch at a time (page and per_page are ignored): for exports. `each` returns
  /// false to stop (the client left, the time is up); then so does this.
  bool for_each_match(const SearchRequest& request,
                      const std::function<bool(const Poco::JSON::Object::Ptr&)>& each) const;

  /// The `count` matches of `request` indexed last, newest first: for feeds.
  std::vector<Poco::JSON::Object::Ptr> newest(const SearchRequest& request, int count) const;

  /// Every facet's values with labels and counts over the whole index.
  FacetListing facets() const;

  /// The stored fields of passage `id`, or nullptr when there is none.
  Poco::JSON::Object::Ptr passage(const std::string& id) const;

  /// Commitments like passage `id` across all plans and documents, best first: the terms
  /// that best tell the passage (and its translation) from the rest of the index, searched
  /// for among commitment passages. nullopt when there is no passage `id`.
  std::optional<SearchResult> similar(const std::string& id, int page, int per_page) const;

  IndexHealth health() const;

 private:
  Xapian::Database& database() const;
  /// Runs `query` with the request's filters, page and facets into `result`.
  void run(Xapian::Database& db, const Xapian::Query& query, bool browsing,
           std::optional<analyzers::Language> language, const SearchRequest& request,
           SearchResult& result) const;
  /// The request's query with its filters, ranked as search() ranks it, ready for an Enquire.
  void prepare(Xapian::Database& db, const SearchRequest& request, Xapian::Enquire& enquire) const;
  /// The value slot matches collapse on, if any: translations, unless browsing or `lang`.
  std::optional<Xapian::valueno> collapse_slot_for(const SearchRequest& request,
                                                   bool browsing) const;
  /// `query` with passages in `language` ranked first at equal relevance.
  Xapian::Query ranked_query(const Xapian::Query& query, bool browsing,
                             std::optional<analyzers::Language> language) const;
  /// Weighting, collapsing and order, the same for every Enquire of a search.
  void configure_enquire(Xapian::Enquire& enquire, bool browsing,
                         std::optional<Xapian::valueno> collapse_slot) const;
  std::vector<std::filesystem::path> databases_;
  RankingOptions ranking_;
  unsigned long instance_id_;
};

}  // namespace lupa::searchd
