// The search itself, without HTTP: query analysis, filters, exact and disjunctive facet
// counts, snippets, passages by id. The HTTP layer and the tests call the same object.
//
// One query path: search(), for_each_match() (exports), newest() (feeds) and similar() turn a
// request into the query they run the same way (spelling correction, relaxation, language
// preference, filters, collapsing of translations, weighting), so an export or a feed holds
// exactly the passages the search shows.
//
// Thread safety: a Xapian::Database must not be used by two threads at once, so each thread
// that calls the service gets its own handle, opened on first use and reopened before every
// call, which is how an index committed by the indexer becomes visible without a restart.
// Each call reads one revision; when the indexer has moved on twice meanwhile, it throws
// Xapian::DatabaseModifiedError and may simply be called again. What is computed over the
// whole index whatever the query (browse counts, the facet listing, the index's labels) is
// kept per revision of the databases, shared by every thread and by copies of the service,
// and computed again once a request's reopened handle sees a new revision.
#pragma once

#include <xapian.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "lupa/analyzers/passage_record.h"
#include "lupa/analyzers/query_analyzer.h"
#include "lupa/analyzers/reference_data.h"
#include "lupa/analyzers/schema.h"
#include "lupa/searchd/search_request.h"

namespace lupa::searchd {

class FacetCodes;
class FacetCounter;
class IndexLabels;
class MatchCounter;
class MatchPartners;
struct CollapseOrder;
template <typename Value>
class RevisionCache;

struct FacetValue {
  std::string value;
  /// The reference data's label; for a value it cannot label (an institution agencies.tsv
  /// does not list), the name the index holds for it, in both languages; else the value.
  analyzers::Label label;
  Xapian::doccount count = 0;
};

/// The counts of one facet of the table.
struct Facet {
  std::string name;
  std::vector<FacetValue> values;  ///< by count, then value
};

struct Hit {
  int rank = 0;                  ///< 1-based over the whole result set
  double score = 0;              ///< BM25 weight; 0 when browsing
  std::string snippet;           ///< HTML: text escaped, matched words in <mark>
  schema::PassageRecord record;  ///< the passage's stored fields (see docs/schema.md)
  /// Matching passages collapsed into this hit: its translation and its near-duplicates.
  Xapian::doccount collapsed = 0;
  /// The other passages of its near-duplicate group (the same text from other sources), at
  /// most kAlsoInListed of them, by id; `also_in_more` counts the rest.
  std::vector<schema::PassageRecord> also_in;
  std::size_t also_in_more = 0;
};

/// The body a question was understood to be about ("qué se comprometió la SFP"), and the
/// filter that keeps to its passages.
struct Understood {
  std::string id;  ///< "mx-sfp"
  analyzers::Label label;
  std::string facet;  ///< the facet that filter is on: "agency"
  std::vector<std::pair<std::string, std::string>> filters;  ///< parameters: agency=mx-sfp
};

/// Other sources of a hit's text listed at most (Hit::also_in).
inline constexpr std::size_t kAlsoInListed = 10;

struct SearchResult {
  std::string query;
  Xapian::doccount total = 0;  ///< exact number of hits: matching passages, collapsed
  /// Matching passages collapsed into others (translations and near-duplicates), not in total.
  Xapian::doccount collapsed = 0;
  /// The request's filters as the index writes their values ("country=Mexico": "mx"; a plan
  /// period: its plans), which the page ticks.
  std::map<std::string, std::vector<std::string>> filters;
  int page = 1;
  int per_page = 10;
  double took_ms = 0;
  std::optional<std::string> corrected;  ///< "did you mean", when spelling finds better words
  bool corrected_applied = false;        ///< the query as typed matched nothing; these are its hits
  /// Nothing had all the words (even corrected): these hits have some of them, best first.
  bool relaxed = false;
  std::optional<std::string> language;   ///< the query's language, when its words tell it
  std::vector<std::string> expanded;     ///< glossary concepts the query was widened with
  std::optional<Understood> understood;  ///< the body the query names, ranked first
  std::vector<Hit> hits;
  /// Every counted facet of the table, in its order. For a facet the request filters on,
  /// counts are computed with every filter except its own (disjunctive faceting), so the
  /// other values stay selectable.
  std::vector<Facet> facets;
  /// The order and the date range as requested (from and to as the client wrote them).
  SortOrder sort = SortOrder::kRelevance;
  std::optional<std::string> from;
  std::optional<std::string> to;
};

struct FacetListing {
  Xapian::doccount total = 0;  ///< passages in the index
  std::vector<Facet> facets;   ///< every counted facet, counts over the whole index
};

struct IndexHealth {
  Xapian::doccount passages = 0;
  std::string revision;  ///< per shard, joined by ','
  /// Over shard servers: each shard (as given) and whether it answered.
  std::vector<std::pair<std::string, bool>> shards;
  /// Searches whose match ran split across several threads since the service started
  /// (SplitMatchOptions): whether idle cores take part.
  std::uint64_t matches_split = 0;
};

/// The passages about the same commitment as a passage, in other documents: the other members
/// of its linker group (schema::CommitmentLinks::group), by passage id.
struct SameCommitment {
  std::vector<std::string> ids;  ///< their ids, at most kSameCommitmentListed
  /// The first kSameCommitmentRead of them, read (a commitment is in a handful of documents;
  /// a larger group is cut, not read).
  std::vector<schema::PassageRecord> passages;
};

/// Passages about the same commitment whose ids are listed, and read, at most.
inline constexpr std::size_t kSameCommitmentListed = 1000;
inline constexpr std::size_t kSameCommitmentRead = 50;

/// A passage and the passages about the same commitment in other documents, read from one
/// revision of the index.
struct LinkedPassage {
  schema::PassageRecord passage;
  SameCommitment same_commitment;
};

/// A passage with what its page shows beside it, all read from one revision of the index.
struct PassageView {
  schema::PassageRecord passage;
  std::optional<schema::PassageRecord> previous;     ///< the passage before it in its document
  std::optional<schema::PassageRecord> next;         ///< the one after it
  std::optional<schema::PassageRecord> translation;  ///< its translation, if any
  /// In other documents (the linker's group): the first kSameCommitmentRead, by passage id.
  std::vector<schema::PassageRecord> same_commitment;
  std::optional<SearchResult> similar;   ///< similar commitments, for commitments
  std::size_t same_commitment_more = 0;  ///< those listed beyond `same_commitment`
};

/// What a body is to a commitment: it leads it, supports it, or is only named in it.
enum class AgencyRole { kLead, kSupporting, kNamed };
std::string_view to_string(AgencyRole role);

/// One commitment of a body's page: the passages that state it (in its plan, its translation,
/// the IRM's reports of it) taken together.
struct AgencyCommitment {
  AgencyRole role = AgencyRole::kNamed;  ///< the strongest role any of its passages gives
  std::string title;
  std::optional<int> number;
  std::string ogp_id;                 ///< where known
  std::optional<std::string> status;  ///< compliance, where a passage states it
  schema::IrmRatings ratings;         ///< the IRM's, where known (the records' ratings())
  std::vector<std::string> passages;  ///< passage ids, by id
};

/// A body's commitments in one plan: lead, then supporting, then named, each by number.
struct AgencyPlan {
  std::string plan;  ///< the plan facet's value; empty for commitments of no known plan
  analyzers::Label label;
  std::vector<AgencyCommitment> commitments;
};

/// Everything one body promised, across plans and countries: what /agencies/{id} shows.
struct AgencyPage {
  std::string id;
  analyzers::Label label;
  std::string country;  ///< the body's country (agencies.tsv); empty when it is not listed
  std::vector<AgencyPlan> plans;  ///< newest plan first; the one of no known plan last
  std::size_t commitments = 0;    ///< over every plan
  bool truncated = false;         ///< more than kMaxAgencyPassages passages; the first read
};

/// Commitment passages read for one body's page: more than any body has in a real corpus.
inline constexpr Xapian::doccount kMaxAgencyPassages = 5000;

/// How results are ranked. The defaults are Lupa's; baseline() is the plain ranking the
/// relevance benchmark compares against.
struct RankingOptions {
  analyzers::QueryOptions query;
  bool language_boost = true;  ///< passages in the query's language first, all else equal
  /// One hit for a passage, its translation and their near-duplicates (schema::kSlotShownOnce);
  /// for near-duplicates only when a filter asks for one of a passage and its translation (a
  /// facet that tells translations apart: the language).
  bool collapse_translations = true;
  bool relax_when_empty = true;  ///< no passage has every word: show those with some
  // Tuned on tests/relevance/judgments.tsv (bench/relevance.py): b = 0.3 rather than Xapian's
  // 0.5, since passages vary from a title line to a page and short ones are not worth less.
  double bm25_k1 = 1.2;  ///< term frequency saturation
  double bm25_b = 0.3;   ///< passage length normalisation
  static RankingOptions baseline();
};

/// How a query's match may take the cores the machine has idle: split in parts of the
/// document ids, all but the first run by partner threads, their hits merged and counts added.
/// The answer is the same as one thread's; only its time changes.
struct SplitMatchOptions {
  /// Passages an index must hold for a query's match to be split; 0: never split. Below it a
  /// match takes about a millisecond, which a hand-over between threads would not repay.
  Xapian::doccount from_passages = 20000;
  /// Partner threads; by default one fewer than the cores the machine has (none on one core).
  std::size_t partners = default_partners();
  static std::size_t default_partners();
};

/// A --db naming a shard server: tcp://HOST:PORT (lupa-shardd, or xapian-tcpsrv for an index
/// searched without facets).
struct RemoteShard {
  std::string host;
  unsigned port = 0;
  /// nullopt for a location that is not tcp://; throws std::invalid_argument for a tcp://
  /// one without a valid port.
  static std::optional<RemoteShard> parse(std::string_view location);
};

/// What a line of a stub file names.
enum class StubEntryKind {
  kLocal,   ///< `auto`, `glass` or `chert PATH`: a database folder or another stub
  kRemote,  ///< `remote HOST:PORT`: a shard server
};

/// One database a stub file names.
struct StubEntry {
  StubEntryKind kind = StubEntryKind::kLocal;
  /// kLocal: the path, a relative one resolved against the stub's folder (as Xapian does);
  /// kRemote: tcp://HOST:PORT, the form --db takes a shard server in.
  std::filesystem::path location;
  std::size_t line = 0;  ///< 1-based, for messages
};

/// The databases `text`, the content of stub file `stub`, names, in order. Xapian's format:
/// one database a line, `auto|glass|chert PATH` or `remote HOST:PORT` (`[IPv6]:PORT` too);
/// blank lines and lines starting with `#` are skipped. Throws std::invalid_argument naming
/// the file and the line for any other line, for `remote :PROGRAM ARGS` (a program Xapian
/// would start and talk to over a pipe, which the searcher does not do), for a remote line
/// without a port of 1-65535, and for a stub that names no database.
std::vector<StubEntry> parse_stub(const std::filesystem::path& stub, std::string_view text);

/// A shard server that cannot be reached (down, or not answering in time): the request
/// cannot be answered from every shard (HTTP 503 naming it).
class ShardUnavailable : public std::runtime_error {
 public:
  ShardUnavailable(std::string shard, const std::string& why)
      : std::runtime_error("Shard " + shard + " is not answering: " + why),
        shard_(std::move(shard)) {}
  const std::string& shard() const { return shard_; }

 private:
  std::string shard_;
};

/// What a request gets when a shard server cannot be reached (--shard-down).
enum class ShardDownPolicy {
  kFail,     ///< HTTP 503 naming the shard: totals are exact or there are none
  kDegrade,  ///< answered from the shards that answer, saying which are missing
};
/// "fail" or "degrade"; throws std::invalid_argument naming --shard-down otherwise.
ShardDownPolicy parse_shard_down_policy(std::string_view value);

/// How long a shard server may take, and what a request gets when one is down: a shard that
/// does not answer in time never holds a request beyond these times.
struct ShardOptions {
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds io_timeout{10000};
  ShardDownPolicy when_down = ShardDownPolicy::kFail;
  /// A shard server that could not be opened is not tried again before this time has passed:
  /// meanwhile requests go without it (kDegrade) or get 503 (kFail) at once, rather than each
  /// waiting up to the timeouts for it. Zero: tried again by every request.
  std::chrono::milliseconds retry_after{5000};
};

/// Which shards an answer was computed from (over shard servers).
struct ShardsAnswered {
  std::size_t total = 0;             ///< shards given (--db)
  std::vector<std::string> missing;  ///< those not answering, as given (tcp://HOST:PORT)
  std::size_t answered() const { return total - missing.size(); }
  bool partial() const { return !missing.empty(); }
};

/// The shards of `locations` that `open` opens, combined into `all` in their order; those
/// whose opening throws Xapian::NetworkError are listed in `missing` when `policy` is
/// kDegrade, else ShardUnavailable is thrown naming the first. Throws ShardUnavailable too
/// when no shard opens: an answer from no shard at all is not an answer.
struct LiveShards {
  Xapian::Database all;
  std::vector<Xapian::Database> shards;  ///< the ones open, in the order given
  std::vector<std::size_t> positions;    ///< each one's index in `locations`
  std::vector<std::string> missing;
};
LiveShards open_live_shards(
    const std::vector<std::filesystem::path>& locations,
    const std::function<Xapian::Database(const std::filesystem::path&)>& open,
    ShardDownPolicy policy);

/// Passages of the similar commitments a passage page shows.
inline constexpr int kSimilarOnPassagePage = 5;

class SearchService {
 public:
  /// `databases`: one or more Xapian databases searched as one (shards). They must exist.
  /// `facets`: the facet table they were indexed with, copied; throws std::invalid_argument
  /// unless it is the standard table with entries appended (schema::check_facet_table).
  /// A database is a local folder, a stub file naming several, or tcp://HOST:PORT (a shard
  /// server; RemoteShard). Throws std::invalid_argument for local databases and shard servers
  /// mixed: over shard servers, only what they count is counted (FacetCounter).
  explicit SearchService(std::vector<std::filesystem::path> databases, RankingOptions ranking = {},
                         schema::FacetTable facets = schema::standard_facets(),
                         ShardOptions shard_options = {}, SplitMatchOptions split = {});

  /// The facet table: requests, answers, exports and pages of this service follow it. It
  /// lives as long as the service.
  schema::FacetTable facets_table() const { return facets_; }

  /// Throws BadRequest or analyzers::QuerySyntaxError for what the client got wrong, and
  /// Xapian::Error when the index cannot be read.
  SearchResult search(const SearchRequest& request) const;

  /// Calls `each` with every match of the query search() runs for `request`, in its order,
  /// reading the matches a batch at a time (page and per_page are ignored): for exports.
  /// `each` returns false to stop (the client left, the time is up); then so does this.
  /// `before_first`, when given, is called once the query is built and its first batch (and
  /// first passage) read, before `each` is first called, even when nothing matches: an export
  /// sends its headers there, so that whatever fails before it (a query the analyzer refuses,
  /// an index that moved on, Xapian::DatabaseModifiedError) is thrown before anything of the
  /// answer is sent. It returns false to stop there (a HEAD request); then so does this.
  bool for_each_match(const SearchRequest& request,
                      const std::function<bool(const schema::PassageRecord&)>& each,
                      const std::function<bool()>& before_first = {}) const;

  /// The `count` matches of the query search() runs for `request` indexed last, newest
  /// first: for feeds.
  std::vector<schema::PassageRecord> newest(const SearchRequest& request, int count) const;

  /// Every counted facet's values with labels and counts over the whole index.
  FacetListing facets() const;

  /// Passage `id`, or nullopt when there is none.
  std::optional<schema::PassageRecord> passage(const std::string& id) const;

  /// Passage `id` and the passages about the same commitment in other documents; nullopt when
  /// there is no passage `id`.
  std::optional<LinkedPassage> linked_passage(const std::string& id) const;

  /// Passage `id` with its neighbours in its document (schema::neighbour_id), its
  /// translation, the same commitment in other documents and, for a commitment, the
  /// kSimilarOnPassagePage most similar commitments; nullopt when there is no passage `id`.
  std::optional<PassageView> passage_view(const std::string& id) const;

  /// Commitments like passage `id` across all plans and documents, best first: the terms
  /// that best tell the passage (and its translation) from the rest of the index, searched
  /// for among commitment passages, with the filters, collapsing and paging of `request` (its
  /// query is not used; facets are not counted). nullopt when there is no passage `id`.
  std::optional<SearchResult> similar(const std::string& id, const SearchRequest& request) const;
  /// similar() with no filters.
  std::optional<SearchResult> similar(const std::string& id, int page, int per_page) const;

  /// `text` as HTML (escaped), whole, with the words `query` matches marked <mark>...</mark>:
  /// the query analysed as search() analyses it (both stemmers, glossary terms) and marked
  /// with Xapian's snippet generator over the whole text, as results' snippets are (see
  /// Highlighter: stop words only inside a matched phrase). A blank query marks nothing.
  /// Throws analyzers::QuerySyntaxError as search() does.
  std::string mark_query_words(const std::string& text, const std::string& query) const;

  /// The commitments of body `id` (an agency facet value), grouped by plan; nullopt when
  /// agencies.tsv does not list it and no passage names it.
  std::optional<AgencyPage> agency(const std::string& id) const;

  IndexHealth health() const;
  /// Reads now what the first search of the index's revision would otherwise read while its
  /// client waits: the facet codes (FacetCodes: a pass over four value slots, seconds at a
  /// million passages when the index is not in the page cache) and the labels.
  void prepare() const;

  /// Counts a request being served while it lives (the HTTP layer holds one per request, from
  /// routing to the answer written; search() one per search on the count of searches): a
  /// search's match is split only across the cores no other request or search holds
  /// (SplitMatchOptions).
  class Serving {
   public:
    explicit Serving(std::atomic<std::size_t>& requests) : requests_(&requests) { ++*requests_; }
    Serving(const Serving&) = delete;
    Serving& operator=(const Serving&) = delete;
    ~Serving() { --*requests_; }

   private:
    std::atomic<std::size_t>* requests_;
  };
  Serving serving() const;

  /// Whether the databases are shard servers (tcp://): answers then say which shards answered.
  bool remote() const { return remote_; }
  ShardDownPolicy shard_down_policy() const { return shard_options_.when_down; }

  /// The shards the calling thread's requests read from now: opens or reopens its handle
  /// (retrying shards that were missing) and keeps it, without reopening, until
  /// end_request(), so that what a request reads and what it reports are the same shards.
  /// A shard failing meanwhile throws Xapian::NetworkError, and the request may begin again.
  ShardsAnswered begin_request() const;
  /// `shard_failed`: a shard failed during the request (Xapian::NetworkError); the handle is
  /// dropped and the next request connects to every shard afresh.
  void end_request(bool shard_failed = false) const;
  /// The shards the calling thread's handle reads from, as last opened.
  ShardsAnswered shards_answered() const;

  /// The label `value` of `facet` is shown with, as FacetValue::label says; the index's labels
  /// are read once per revision of the databases.
  analyzers::Label value_label(const schema::Facet& facet, std::string_view value) const;

 private:
  struct EffectiveQuery;
  /// What orders and collapses a match (of an EffectiveQuery).
  struct MatchOrder {
    std::optional<Xapian::valueno> collapse_slot;
    SortOrder sort = SortOrder::kRelevance;
    bool browsing = false;
  };
  /// A hit of a page, before its snippet is made.
  struct PageHit {
    Xapian::Document document;
    double weight = 0;
    Xapian::doccount hidden = 0;  ///< passages its collapse key hid
  };
  struct OpenIndex;
  struct BrowseCounts;
  struct BrowseOrder;
  struct Caches;
  class ShardBackOff;

  /// The calling thread's handle, reopened when `reopen` (every public call reopens once, at
  /// its start), with its revision.
  OpenIndex& open_index(bool reopen = true) const;
  std::unique_ptr<OpenIndex>& thread_handle() const;
  Xapian::Database& database() const;
  /// The analyzer of queries on `db`, parsing with the calling thread's parsers when `db` is
  /// its handle.
  analyzers::QueryAnalyzer query_analyzer(const Xapian::Database& db) const;
  /// The facet codes of `index` when it is one local database (FacetCodes), covering every
  /// passage of `db`, else null.
  std::shared_ptr<const FacetCodes> facet_codes(const Xapian::Database& db,
                                                const OpenIndex& index) const;
  /// Whether a candidate query matches any passage.
  using MatchTest = std::function<bool(const EffectiveQuery&)>;
  /// The query `request` runs: its words analysed, corrected when they match nothing as
  /// typed, relaxed when even that matches nothing, with the language preference, filters,
  /// collapse key; what search() reports about it. The candidates are tried in that order and
  /// the first that `matches` is returned, else the last tried: so the last candidate given to
  /// `matches` is the one returned, and search() tests each by running it in full, keeping
  /// the run it shows; exports and feeds test with a one-match probe.
  EffectiveQuery effective_query(Xapian::Database& db, const SearchRequest& request,
                                 const MatchTest& matches) const;
  /// The same, tested by a one-match probe.
  EffectiveQuery effective_query(Xapian::Database& db, const SearchRequest& request) const;
  /// `like` (similar passages) with the request's filters and collapsing.
  EffectiveQuery similar_query(Xapian::Database& db, const Xapian::Query& like,
                               const SearchRequest& request) const;
  /// Weighting, collapsing, order and the filtered query: the same for every Enquire. With
  /// `codes` (facet_codes()), passage ids are ordered by their ranks there, not read.
  void configure_enquire(Xapian::Enquire& enquire, const EffectiveQuery& effective,
                         const std::shared_ptr<const FacetCodes>& codes = nullptr) const;
  /// configure_enquire() but the query.
  void configure_order(Xapian::Enquire& enquire, const MatchOrder& order,
                       const std::shared_ptr<const FacetCodes>& codes) const;
  /// Whether run()'s match of `effective`, for a page ending at hit `wanted`, is of a kind
  /// split_match() can split (whether it does depends on the options and the partners).
  bool may_split(Xapian::Database& db, const EffectiveQuery& effective,
                 const std::shared_ptr<const FacetCodes>& codes, Xapian::doccount wanted) const;
  /// run()'s match (may_split()) split in parts by document id (SplitMatchOptions), one per
  /// idle core, all but the first on partner threads: counts into `counter` and `matches` (each
  /// when given; `counter` of the facets `counted`), the match's first `wanted` hits, in its
  /// order and collapsed, into `page`, and its exact count of matches (uncollapsed) into
  /// `matched`. False, with nothing counted, when the options leave it whole
  /// (SplitMatchOptions) or no core or partner is idle.
  bool split_match(Xapian::Database& db, const OpenIndex& index, const EffectiveQuery& effective,
                   const std::shared_ptr<const FacetCodes>& codes, FacetCounter* counter,
                   const std::vector<bool>& counted, const CollapseOrder& collapse_order,
                   MatchCounter* matches, Xapian::doccount wanted, std::vector<PageHit>& page,
                   Xapian::doccount& matched) const;
  /// The first `wanted` passages of `enquire`'s match (which does not collapse), each collapse
  /// key of `codes` in `slot` once, the first, as Xapian's collapsing keeps it, with what each
  /// hid (`matches`). Read from `ranked`, the match's first `asked` ranks, then from longer
  /// matches without spies while those hold too few keys and more ranks exist.
  static std::vector<PageHit> first_of_each_key(Xapian::Enquire& enquire, Xapian::MSet ranked,
                                                Xapian::doccount asked, Xapian::doccount wanted,
                                                Xapian::valueno slot, const FacetCodes& codes,
                                                const MatchCounter* matches);
  /// Runs `effective` with the request's page and facets into `result`.
  void run(Xapian::Database& db, const EffectiveQuery& effective, const SearchRequest& request,
           SearchResult& result) const;
  /// The hits of `mset` (from `offset` on), with snippets, into `result`.
  /// `collapsed`, when given, says how many passages each hit's collapse key hid (else
  /// Xapian's count).
  void list_hits(Xapian::Database& db, const EffectiveQuery& effective, const Xapian::MSet& mset,
                 Xapian::doccount offset, SearchResult& result,
                 const MatchCounter* collapsed = nullptr) const;
  /// The hits of `page`, the first ranked `offset` + 1, with snippets, into `result`.
  void list_hits(Xapian::Database& db, const EffectiveQuery& effective,
                 const std::vector<PageHit>& page, Xapian::doccount offset,
                 SearchResult& result) const;
  std::optional<SearchResult> similar_on(Xapian::Database& db, const std::string& id,
                                         const SearchRequest& request) const;
  std::optional<Xapian::valueno> collapse_slot_for(const SearchRequest& request,
                                                   bool browsing) const;
  Xapian::Query filter_query(Xapian::Database& db, const SearchRequest& request,
                             std::string_view except_facet) const;

  std::vector<std::filesystem::path> databases_;
  RankingOptions ranking_;
  ShardOptions shard_options_;
  bool remote_ = false;  ///< the shards are shard servers (tcp://)
  std::vector<schema::Facet> facets_;
  unsigned long instance_id_;
  std::shared_ptr<const IndexLabels> labels_;  // shared by copies: one read per revision
  std::shared_ptr<Caches> caches_;             // shared by copies too
  Xapian::doccount split_match_from_ = 0;
  std::shared_ptr<MatchPartners> partners_;  // shared by copies: their threads are its own
};

}  // namespace lupa::searchd
