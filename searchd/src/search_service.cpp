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
// Added to the weight of a passage in the query's language (BM25 weights of one matched word
// run from about 1 to 10 here).
constexpr double kSameLanguageBoost = 0.5;
// Matches read per pass by an export: large enough to be few passes, small enough to hold.
constexpr Xapian::doccount kExportBatch = 500;
// Terms that describe a passage for /api/similar: enough to reach paraphrases, few enough to
// stay on its topic.
constexpr Xapian::termcount kSimilarTerms = 25;

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

RankingOptions RankingOptions::baseline() {
  RankingOptions plain;
  plain.query.glossary = false;
  plain.query.both_stemmers = false;
  plain.query.spelling = false;
  plain.language_boost = false;
  plain.collapse_translations = false;
  plain.relax_when_empty = false;
  plain.bm25_k1 = 1.0;  // Xapian's defaults
  plain.bm25_b = 0.5;
  return plain;
}

SearchService::SearchService(std::vector<std::filesystem::path> databases, RankingOptions ranking)
    : databases_(std::move(databases)),
      ranking_(std::move(ranking)),
      instance_id_(next_instance_id++) {
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

  if (is_blank(request.query)) {
    run(db, Xapian::Query(std::string()), true, std::nullopt, request, result);
  } else {
    const analyzers::QueryAnalyzer analyzer(db, ranking_.query);
    const analyzers::AnalyzedQuery analyzed = analyzer.analyze(request.query);
    if (analyzed.language) result.language = std::string(language_code(*analyzed.language));
    result.expanded = analyzed.concepts;
    if (!analyzed.corrected.empty()) result.corrected = analyzed.corrected;
    run(db, analyzed.query, false, analyzed.language, request, result);
    std::string effective = request.query;
    if (result.total == 0 && result.corrected) {
      const analyzers::AnalyzedQuery corrected = analyzer.analyze(*result.corrected);
      run(db, corrected.query, false, corrected.language, request, result);
      result.corrected_applied = true;
      result.expanded = corrected.concepts;
      effective = *result.corrected;
    }
    if (result.total == 0 && ranking_.relax_when_empty) {
      const analyzers::AnalyzedQuery any_word = analyzer.analyze(effective, true);
      run(db, any_word.query, false, any_word.language, request, result);
      result.relaxed = result.total > 0;
    }
  }
  result.took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return result;
}

void SearchService::run(Xapian::Database& db, const Xapian::Query& text_query, bool browsing,
                        std::optional<analyzers::Language> language, const SearchRequest& request,
                        SearchResult& result) const {
  const Xapian::doccount everything = std::max<Xapian::doccount>(db.get_doccount(), 1);
  const std::optional<Xapian::valueno> collapse_slot = collapse_slot_for(request, browsing);
  const Xapian::Query ranked = ranked_query(text_query, browsing, language);
  auto configure = [&](Xapian::Enquire& enquire) {
    configure_enquire(enquire, browsing, collapse_slot);
  };

  // One pass counts every facet the request does not filter on; each filtered facet gets a
  // pass of its own without its filter (disjunctive faceting).
  std::array<bool, schema::kFacets.size()> unfiltered{};
  for (std::size_t i = 0; i < schema::kFacets.size(); ++i)
    unfiltered[i] = request.count_facets && schema::kFacets[i].counted &&
                    !request.filters.contains(std::string(schema::kFacets[i].name));
  FacetCounter counter(unfiltered, collapse_slot);
  Xapian::Enquire enquire(db);
  configure(enquire);
  enquire.set_query(filtered(ranked, filter_query(request.filters, "")));
  if (request.count_facets) enquire.add_matchspy(&counter);
  const auto offset = static_cast<Xapian::doccount>((request.page - 1) * request.per_page);
  // check_at_least = every document: exact totals and exact facet counts.
  const Xapian::MSet mset =
      enquire.get_mset(offset, static_cast<Xapian::doccount>(request.per_page), everything);
  // Exact: every document was checked (check_at_least). With collapsing, Xapian's estimate
  // is not the collapsed count; the lower bound is.
  result.total = collapse_slot ? mset.get_matches_lower_bound() : mset.get_matches_estimated();

  result.facets.clear();
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
    FacetCounter own(only, collapse_slot);
    Xapian::Enquire facet_enquire(db);
    configure(facet_enquire);
    facet_enquire.set_query(filtered(ranked, filter_query(request.filters, name)));
    facet_enquire.add_matchspy(&own);
    facet_enquire.get_mset(0, 0, everything);
    result.facets.push_back(make_facet(name, own.counts(i)));
  }

  const std::unordered_set<std::string> terms = analyzers::query_terms(text_query);
  const Xapian::Stem highlighter = analyzers::highlighting_stemmer(terms);
  // Xapian's snippets do not mark the words of phrases, and glossary terms are phrases; an
  // empty match over the same terms, ORed, gives snippets that mark every one of them.
  Xapian::Enquire marking(db);
  if (!browsing) marking.set_query(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
  const Xapian::MSet marker = browsing ? mset : marking.get_mset(0, 0);
  result.hits.clear();
  int rank = static_cast<int>(offset);
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    Hit hit;
    hit.rank = ++rank;
    hit.score = it.get_weight();
    hit.stored = parse_stored(it.get_document().get_data());
    // Without the background model: it looks up every word's frequency in the index, which
    // cost more than the rest of a request; the densest window of matches is good enough.
    auto snippet_of = [&](const std::string& text) {
      return marker.snippet(text, kSnippetBytes, highlighter, Xapian::MSet::SNIPPET_EXHAUSTIVE,
                            "<mark>", "</mark>", "\xE2\x80\xA6");
    };
    const std::string text = hit.stored->getValue<std::string>("text");
    hit.snippet = snippet_of(text);
    // A passage found by its heading shows the heading, so the match is visible.
    const std::string heading = hit.stored->optValue<std::string>("heading", "");
    if (hit.snippet.find("<mark>") == std::string::npos && !heading.empty() && !browsing)
      hit.snippet = snippet_of(heading + ": " + text);
    result.hits.push_back(std::move(hit));
  }
}

void SearchService::prepare(Xapian::Database& db, const SearchRequest& request,
                            Xapian::Enquire& enquire) const {
  const bool browsing = is_blank(request.query);
  Xapian::Query query(std::string{});
  std::optional<analyzers::Language> language;
  if (!browsing) {
    const analyzers::AnalyzedQuery analyzed =
        analyzers::QueryAnalyzer(db, ranking_.query).analyze(request.query);
    query = analyzed.query;
    language = analyzed.language;
  }
  enquire.set_query(
      filtered(ranked_query(query, browsing, language), filter_query(request.filters, "")));
  configure_enquire(enquire, browsing, collapse_slot_for(request, browsing));
}

std::optional<Xapian::valueno> SearchService::collapse_slot_for(const SearchRequest& request,
                                                                bool browsing) const {
  // A filter on language asks for that language's version: nothing to collapse then.
  if (browsing || !ranking_.collapse_translations || request.filters.contains("lang"))
    return std::nullopt;
  return schema::kSlotTranslationGroup;
}

Xapian::Query SearchService::ranked_query(const Xapian::Query& query, bool browsing,
                                          std::optional<analyzers::Language> language) const {
  if (browsing || !ranking_.language_boost || !language) return query;
  // Small beside a matched word's weight: it orders passages of equal relevance.
  auto* boost = new Xapian::ValueMapPostingSource(schema::kSlotLanguage);
  boost->add_mapping(std::string(language_code(*language)), kSameLanguageBoost);
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, query, Xapian::Query(boost->release()));
}

void SearchService::configure_enquire(Xapian::Enquire& enquire, bool browsing,
                                      std::optional<Xapian::valueno> collapse_slot) const {
  enquire.set_weighting_scheme(Xapian::BM25Weight(ranking_.bm25_k1, 0, 1, ranking_.bm25_b, 0.5));
  if (collapse_slot) enquire.set_collapse_key(*collapse_slot);
  if (browsing) enquire.set_docid_order(Xapian::Enquire::ASCENDING);
}

bool SearchService::for_each_match(
    const SearchRequest& request,
    const std::function<bool(const Poco::JSON::Object::Ptr&)>& each) const {
  Xapian::Database& db = database();
  Xapian::Enquire enquire(db);
  prepare(db, request, enquire);
  // Each batch re-runs the match up to its end, so batches grow: the whole export costs a
  // few matches of the result set rather than one per batch.
  Xapian::doccount batch_size = kExportBatch;
  for (Xapian::doccount offset = 0;; offset += batch_size, batch_size *= 2) {
    const Xapian::MSet batch = enquire.get_mset(offset, batch_size);
    for (auto it = batch.begin(); it != batch.end(); ++it)
      if (!each(parse_stored(it.get_document().get_data()))) return false;
    if (batch.size() < batch_size) return true;
  }
}

std::vector<Poco::JSON::Object::Ptr> SearchService::newest(const SearchRequest& request,
                                                           int count) const {
  Xapian::Database& db = database();
  Xapian::Enquire enquire(db);
  prepare(db, request, enquire);
  enquire.set_sort_by_value_then_relevance(schema::kSlotIndexedAt, true);
  std::vector<Poco::JSON::Object::Ptr> passages;
  const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(count));
  for (auto it = mset.begin(); it != mset.end(); ++it)
    passages.push_back(parse_stored(it.get_document().get_data()));
  return passages;
}

std::optional<SearchResult> SearchService::similar(const std::string& id, int page,
                                                   int per_page) const {
  const auto started = std::chrono::steady_clock::now();
  Xapian::Database& db = database();
  const std::string id_term = schema::id_term(id);
  Xapian::PostingIterator posting = db.postlist_begin(id_term);
  if (posting == db.postlist_end(id_term)) return std::nullopt;
  const Xapian::docid docid = *posting;
  const Poco::JSON::Object::Ptr stored = parse_stored(db.get_document(docid).get_data());

  // The passage and its translation describe the commitment in both languages, so the
  // expansion terms reach plans written in either.
  Xapian::RSet relevant;
  relevant.add_document(docid);
  std::vector<Xapian::Query> excluded{Xapian::Query(id_term)};
  const std::string translation = stored->optValue<std::string>("translation_id", "");
  if (!translation.empty()) {
    Xapian::PostingIterator other = db.postlist_begin(schema::id_term(translation));
    if (other != db.postlist_end(schema::id_term(translation))) relevant.add_document(*other);
    excluded.emplace_back(schema::id_term(translation));
  }
  struct StemsOnly final : Xapian::ExpandDecider {
    bool operator()(const std::string& term) const override {
      return term.starts_with(schema::kStemPrefix) && term.size() > 4;
    }
  } stems_only;
  Xapian::Enquire expand(db);
  const Xapian::ESet terms = expand.get_eset(kSimilarTerms, relevant, &stems_only);
  SearchResult result;
  result.query = "similar:" + id;
  result.page = page;
  result.per_page = per_page;
  if (terms.empty()) return result;
  std::vector<Xapian::Query> alternatives;
  for (auto term = terms.begin(); term != terms.end(); ++term)
    alternatives.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*term),
                              term.get_weight());
  const Xapian::Query like(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
  const Xapian::Query unlike(Xapian::Query::OP_OR, excluded.begin(), excluded.end());
  const Xapian::Query commitments(schema::facet_term(*schema::find_facet("kind"), "commitment"));
  SearchRequest request;
  request.page = page;
  request.per_page = per_page;
  request.count_facets = false;
  run(db,
      Xapian::Query(Xapian::Query::OP_FILTER,
                    Xapian::Query(Xapian::Query::OP_AND_NOT, like, unlike), commitments),
      false, std::nullopt, request, result);
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
