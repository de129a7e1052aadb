#include "lupa/searchd/search_service.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <unordered_map>

#include "lupa/analyzers/query_analyzer.h"
#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/stemming.h"
#include "lupa/searchd/facet_counter.h"

namespace lupa::searchd {
namespace {

constexpr std::size_t kSnippetBytes = 300;

std::atomic<unsigned long> next_instance_id{1};

// A query of spaces browses, as an empty one does. (Xapian::Query::MatchAll is not used: it is
// a shared static whose reference count is not thread-safe; Query(string()) matches all too.)
bool is_blank(const std::string& query) {
  return query.find_first_not_of(" \t\r\n") == std::string::npos;
}

Xapian::Query filter_query(const std::map<std::string, std::vector<std::string>>& filters,
                           const std::string& except_facet) {
  std::vector<Xapian::Query> per_facet;
  for (const auto& [name, values] : filters) {
    if (name == except_facet) continue;
    const auto facet = schema::find_facet(name);
    std::vector<Xapian::Query> alternatives;
    for (const std::string& value : values)
      alternatives.emplace_back(schema::facet_term(*facet, schema::canonical_value(*facet, value)));
    per_facet.emplace_back(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
  }
  if (per_facet.empty()) return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_AND, per_facet.begin(), per_facet.end());
}

Xapian::Query filtered(const Xapian::Query& text_query, const Xapian::Query& filter) {
  if (filter.empty()) return text_query;
  return Xapian::Query(Xapian::Query::OP_FILTER, text_query, filter);
}

Facet make_facet(const std::string& name, const std::map<std::string, Xapian::doccount>& counts) {
  const auto& reference = analyzers::ReferenceData::instance();
  Facet facet{name, {}};
  for (const auto& [value, count] : counts)
    facet.values.push_back({value, reference.facet_label(name, value), count});
  std::stable_sort(facet.values.begin(), facet.values.end(),
                   [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
  return facet;
}

Poco::JSON::Object::Ptr parse_stored(const std::string& data) {
  return Poco::JSON::Parser().parse(data).extract<Poco::JSON::Object::Ptr>();
}

}  // namespace

SearchService::SearchService(std::vector<std::filesystem::path> databases)
    : databases_(std::move(databases)), instance_id_(next_instance_id++) {
  if (databases_.empty()) throw std::invalid_argument("no database given");
  database();  // fail now, at start-up, when a database cannot be opened
}

Xapian::Database& SearchService::database() const {
  thread_local std::unordered_map<unsigned long, std::unique_ptr<Xapian::Database>> handles;
  auto& handle = handles[instance_id_];
  if (!handle) {
    handle = std::make_unique<Xapian::Database>();
    for (const auto& path : databases_) handle->add_database(Xapian::Database(path.string()));
  } else {
    handle->reopen();
  }
  return *handle;
}

SearchResult SearchService::search(const SearchRequest& request) const {
  const auto started = std::chrono::steady_clock::now();
  Xapian::Database& db = database();
  SearchResult result;
  result.query = request.query;
  result.page = request.page;
  result.per_page = request.per_page;

  const analyzers::QueryAnalyzer analyzer(db);
  const Xapian::Query text_query =
      is_blank(request.query) ? Xapian::Query(std::string()) : analyzer.parse(request.query);
  const Xapian::doccount everything = std::max<Xapian::doccount>(db.get_doccount(), 1);

  // One pass counts every facet the request does not filter on; each filtered facet gets a
  // pass of its own without its filter (disjunctive faceting).
  std::array<bool, schema::kFacets.size()> unfiltered{};
  for (std::size_t i = 0; i < schema::kFacets.size(); ++i)
    unfiltered[i] = request.count_facets && schema::kFacets[i].counted &&
                    !request.filters.contains(std::string(schema::kFacets[i].name));
  FacetCounter counter(unfiltered);
  Xapian::Enquire enquire(db);
  enquire.set_query(filtered(text_query, filter_query(request.filters, "")));
  if (is_blank(request.query)) enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  if (request.count_facets) enquire.add_matchspy(&counter);
  const auto offset = static_cast<Xapian::doccount>((request.page - 1) * request.per_page);
  // check_at_least = every document: exact totals and exact facet counts.
  const Xapian::MSet mset =
      enquire.get_mset(offset, static_cast<Xapian::doccount>(request.per_page), everything);
  result.total = mset.get_matches_estimated();

  for (std::size_t i = 0; i < schema::kFacets.size(); ++i) {
    const schema::Facet& facet = schema::kFacets[i];
    if (!facet.counted || !request.count_facets) continue;
    const std::string name(facet.name);
    if (unfiltered[i]) {
      result.facets.push_back(make_facet(name, counter.counts(i)));
      continue;
    }
    std::array<bool, schema::kFacets.size()> only{};
    only[i] = true;
    FacetCounter own(only);
    Xapian::Enquire facet_enquire(db);
    facet_enquire.set_query(filtered(text_query, filter_query(request.filters, name)));
    facet_enquire.add_matchspy(&own);
    facet_enquire.get_mset(0, 0, everything);
    result.facets.push_back(make_facet(name, own.counts(i)));
  }

  const Xapian::Stem highlighter =
      analyzers::highlighting_stemmer(analyzers::query_terms(text_query));
  int rank = static_cast<int>(offset);
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    Hit hit;
    hit.rank = ++rank;
    hit.score = it.get_weight();
    hit.stored = parse_stored(it.get_document().get_data());
    // Without the background model: it looks up every word's frequency in the index, which
    // cost more than the rest of a request; the densest window of matches is good enough.
    hit.snippet =
        mset.snippet(hit.stored->getValue<std::string>("text"), kSnippetBytes, highlighter,
                     Xapian::MSet::SNIPPET_EXHAUSTIVE, "<mark>", "</mark>", "\xE2\x80\xA6");
    result.hits.push_back(std::move(hit));
  }
  result.took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return result;
}

FacetListing SearchService::facets() const {
  Xapian::Database& db = database();
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(std::string()));
  std::array<bool, schema::kFacets.size()> counted{};
  for (std::size_t i = 0; i < schema::kFacets.size(); ++i) counted[i] = schema::kFacets[i].counted;
  FacetCounter counter(counted);
  enquire.add_matchspy(&counter);
  FacetListing listing;
  listing.total = enquire.get_mset(0, 0, std::max<Xapian::doccount>(db.get_doccount(), 1))
                      .get_matches_estimated();
  for (std::size_t i = 0; i < schema::kFacets.size(); ++i)
    if (counted[i])
      listing.facets.push_back(make_facet(std::string(schema::kFacets[i].name), counter.counts(i)));
  return listing;
}

Poco::JSON::Object::Ptr SearchService::passage(const std::string& id) const {
  Xapian::Database& db = database();
  const std::string term = schema::id_term(id);
  Xapian::PostingIterator posting = db.postlist_begin(term);
  if (posting == db.postlist_end(term)) return nullptr;
  return parse_stored(db.get_document(*posting).get_data());
}

IndexHealth SearchService::health() const {
  Xapian::Database& db = database();
  IndexHealth health;
  health.passages = db.get_doccount();
  for (const auto& path : databases_) {
    if (!health.revision.empty()) health.revision += ',';
    health.revision += std::to_string(Xapian::Database(path.string()).get_revision());
  }
  return health;
}

}  // namespace lupa::searchd
