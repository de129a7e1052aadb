#include "lupa/searchd/search_service.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <climits>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "docid_range.h"
#include "index_labels.h"
#include "lupa/analyzers/facet_values.h"
#include "lupa/analyzers/index_commit.h"
#include "lupa/analyzers/quantised_bm25.h"
#include "lupa/analyzers/query_analyzer.h"
#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/stemming.h"
#include "lupa/analyzers/term_boost.h"
#include "lupa/analyzers/text_normalizer.h"
#include "lupa/searchd/facet_codes.h"
#include "lupa/searchd/facet_counter.h"
#include "lupa/searchd/highlighter.h"
#include "lupa/searchd/match_partners.h"
#include "lupa/searchd/revision_cache.h"
#include "lupa/searchd/shard_registry.h"

namespace lupa::searchd {
namespace {

constexpr std::size_t kSnippetBytes = 300;
// Added to the weight of a passage in the query's language (BM25 weights of one matched word
// run from about 1 to 10 here).
constexpr double kSameLanguageBoost = 0.5;
// Matches read per pass by an export: large enough to be few passes, small enough to hold.
constexpr Xapian::doccount kExportBatch = 500;
// Browse counts kept per revision: the whole index and filter combinations a visitor clicks
// through; each holds every facet's values (a few thousand at most).
constexpr std::size_t kBrowseCountsKept = 256;
// Passages of a browse kept in order per filter combination (4 bytes each): pages within them
// are read without sorting the index by passage id again, deeper ones sort it.
constexpr Xapian::doccount kBrowseOrderKept = 10000;
// Pages ending past this many hits are matched on one thread: each part of a split match
// keeps as many hits as the page's end, and a deep page is rare.
constexpr Xapian::doccount kSplitMatchDeepest = 1000;

// Ranks a match that leaves collapsing to the codes asks for, to show `wanted` passages of
// distinct keys: room for a few passages of a key already shown (rare), without a second match.
Xapian::doccount ranks_asked(Xapian::doccount wanted) {
  return wanted == 0 ? 0 : 2 * wanted + 8;
}

// The collapse keys a page has shown, read from `codes`, which cover every passage of the
// match's database (SearchService::facet_codes): a passage of a key shown already is left out;
// the first of a key says how many passages it hid (`matches`). Without a slot, nothing
// collapses.
class ShownKeys {
 public:
  ShownKeys(const FacetCodes& codes, std::optional<Xapian::valueno> slot,
            const MatchCounter* matches)
      : codes_(codes), slot_(slot), matches_(matches) {}

  /// Whether passage `docid` is shown: the first of its key, or without one. `hidden` is set.
  bool shows(Xapian::docid docid, Xapian::doccount& hidden) {
    hidden = 0;
    if (!slot_) return true;
    if (!codes_.covers(docid)) throw std::logic_error("facet codes of another revision");
    const std::string_view key = codes_.group_key(*slot_, docid).value_or(std::string_view());
    if (key.empty()) return true;
    if (!shown_.insert(key).second) return false;
    if (matches_) hidden = matches_->collapsed_into(std::string(key));
    return true;
  }

 private:
  const FacetCodes& codes_;
  std::optional<Xapian::valueno> slot_;
  const MatchCounter* matches_;
  std::unordered_set<std::string_view> shown_;
};

// Terms that describe a passage for /api/similar: enough to reach paraphrases, few enough to
// stay on its topic.
constexpr Xapian::termcount kSimilarTerms = 25;

std::atomic<unsigned long> next_instance_id{1};

// A query of spaces browses, as an empty one does. (Xapian::Query::MatchAll is not used: it is
// a shared static whose reference count is not thread-safe; Query(string()) matches all too.)
bool is_blank(const std::string& query) {
  return query.find_first_not_of(" \t\r\n") == std::string::npos;
}

Xapian::Query filtered(const Xapian::Query& text_query, const Xapian::Query& filter) {
  if (filter.empty()) return text_query;
  return Xapian::Query(Xapian::Query::OP_FILTER, text_query, filter);
}

// Whether `query` with `filter` matches at least one passage: one match, unweighted, rather
// than a full run with facets.
bool matches_something(Xapian::Database& db, const Xapian::Query& query,
                       const Xapian::Query& filter) {
  Xapian::Enquire probe(db);
  probe.set_weighting_scheme(Xapian::BoolWeight());
  probe.set_query(filtered(query, filter));
  return !probe.get_mset(0, 1).empty();
}

Facet make_facet(const schema::Facet& facet, const std::map<std::string, Xapian::doccount>& counts,
                 const LabelTable& labels) {
  Facet counted{std::string(facet.name), {}};
  for (const auto& [value, count] : counts)
    counted.values.push_back({value, labels.label(facet, value), count});
  std::stable_sort(counted.values.begin(), counted.values.end(),
                   [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
  return counted;
}

// Passages whose date starts within the request's range (slot 5 holds that first day).
Xapian::Query date_range_query(const SearchRequest& request) {
  auto bound = [](const DateBound& date) { return Xapian::sortable_serialise(date.day); };
  Xapian::Query within;
  if (request.from && request.to)
    within = Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotPassageDate,
                           bound(*request.from), bound(*request.to));
  else if (request.from)
    within =
        Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kSlotPassageDate, bound(*request.from));
  else if (request.to)
    within =
        Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kSlotPassageDate, bound(*request.to));
  else
    return within;
  // Everything but what lies outside the range, which selects the same passages: Xapian 1.4
  // weighs a query with a value range among the filters of its AND wrongly, giving an OR's
  // phrase its weight in passages that do not hold the phrase ("gobierno abierto" from 2011 to
  // 2013 against one database), and differently on shards. Excluding the complement keeps the
  // range out of that AND (tests/e2e/sharded_index_e2e_test.cpp compares the answers).
  const Xapian::Query outside(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll, within);
  return Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll, outside);
}

std::optional<schema::PassageRecord> find_passage(Xapian::Database& db, std::string_view id) {
  if (id.empty()) return std::nullopt;
  const std::string term = schema::id_term(id);
  Xapian::PostingIterator posting = db.postlist_begin(term);
  if (posting == db.postlist_end(term)) return std::nullopt;
  return schema::PassageRecord::parse(db.get_document(*posting).get_data());
}

// The other passages of `hit`'s near-duplicate group, whether or not they match: where else
// the same text can be read.
void list_other_sources(Xapian::Database& db, const Xapian::Document& document, Hit& hit) {
  const std::string group = document.get_value(schema::kSlotDuplicateGroup);
  if (group.empty()) return;
  const std::string term = schema::duplicate_group_term(group);
  // A boilerplate paragraph may be in thousands of documents: the first few by passage id
  // (slot 12; not by document id, which differs between one database and shards)
  // are read, the rest counted.
  Xapian::Enquire members(db);
  members.set_weighting_scheme(Xapian::BoolWeight());
  members.set_sort_by_value(schema::kSlotPassageId, false);
  members.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query(term),
                                  Xapian::Query(schema::id_term(hit.record.id))));
  const Xapian::MSet listed = members.get_mset(0, kAlsoInListed);
  for (auto member = listed.begin(); member != listed.end(); ++member)
    hit.also_in.push_back(schema::PassageRecord::parse(member.get_document().get_data()));
  const Xapian::doccount others = db.get_termfreq(term) - 1;
  hit.also_in_more = others - static_cast<Xapian::doccount>(hit.also_in.size());
  std::sort(
      hit.also_in.begin(), hit.also_in.end(),
      [](const schema::PassageRecord& a, const schema::PassageRecord& b) { return a.id < b.id; });
}

// The other members of `record`'s same-commitment group (the linker's), but for any passage of
// its own document, by passage id, slot 12 (never by document id, which differs
// between one database and shards). Every id comes with the match as its sort key, so only
// the first kSameCommitmentRead documents are read.
SameCommitment list_same_commitment(Xapian::Database& db, const schema::PassageRecord& record) {
  SameCommitment same;
  if (!record.links || record.links->group.empty()) return same;
  Xapian::Enquire members(db);
  members.set_weighting_scheme(Xapian::BoolWeight());
  members.set_sort_by_value(schema::kSlotPassageId, false);
  members.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT,
                                  Xapian::Query(schema::commitment_group_term(record.links->group)),
                                  Xapian::Query(schema::file_term(record.doc))));
  const Xapian::MSet listed =
      members.get_mset(0, static_cast<Xapian::doccount>(kSameCommitmentListed));
  for (auto member = listed.begin(); member != listed.end(); ++member) {
    if (same.passages.size() < kSameCommitmentRead) {
      same.passages.push_back(schema::PassageRecord::parse(member.get_document().get_data()));
      same.ids.push_back(same.passages.back().id);
    } else {
      const std::string key = member.get_sort_key();
      same.ids.push_back(key.substr(0, key.find('\0')));
    }
  }
  return same;
}

// `query` over the documents from id `first` to `last`.
Xapian::Query within_ids(const Xapian::Query& query, Xapian::docid first, Xapian::docid last) {
  return Xapian::Query(Xapian::Query::OP_FILTER, query,
                       Xapian::Query((new DocidRange(first, last))->release()));
}

Hit make_hit(Xapian::Database& db, const Highlighter& highlighter, bool browsing,
             const Xapian::Document& document, double weight, Xapian::doccount collapsed,
             int rank) {
  Hit hit;
  hit.rank = rank;
  hit.score = weight;
  hit.record = schema::PassageRecord::parse(document.get_data());
  hit.collapsed = collapsed;
  list_other_sources(db, document, hit);
  auto snippet_of = [&](const std::string& text) {
    return highlighter.snippet(text, kSnippetBytes);
  };
  hit.snippet = snippet_of(hit.record.text);
  // A passage found by its heading shows the heading, so the match is visible.
  if (hit.snippet.find("<mark>") == std::string::npos && !hit.record.heading.empty() && !browsing)
    hit.snippet = snippet_of(hit.record.heading + ": " + hit.record.text);
  return hit;
}

// What the counts of a browse depend on: its filters and date range (and whether facets are
// counted), each length-prefixed so that no two requests share a key.
std::string browse_key(const SearchRequest& request) {
  std::string key = request.count_facets ? "f" : "n";
  auto add = [&key](std::string_view piece) {
    key += std::to_string(piece.size());
    key += ':';
    key += piece;
  };
  for (const auto& [name, values] : request.filters) {
    add(name);
    key += std::to_string(values.size());
    for (const std::string& value : values) add(value);
  }
  // Appended piece by piece: GCC 12 warns (-Wrestrict) falsely about "<" + std::string here.
  if (request.from) key.append("<").append(std::to_string(request.from->day));
  if (request.to) key.append(">").append(std::to_string(request.to->day));
  return key;
}

double milliseconds_since(std::chrono::steady_clock::time_point started) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
      .count();
}

}  // namespace

// What a request runs, and what search() says about it.
struct SearchService::EffectiveQuery {
  Xapian::Query text;    ///< the words as analysed
  Xapian::Query marked;  ///< what snippets mark: `text`, with the glossary's phrases
  Xapian::Query ranked;  ///< `text` with passages in the query's language first
  Xapian::Query filter;  ///< every filter of the request; empty when there is none
  bool browsing = false;
  std::optional<Xapian::valueno> collapse_slot;
  std::optional<std::string> language;
  std::vector<std::string> expanded;
  std::optional<std::string> corrected;
  bool corrected_applied = false;
  bool relaxed = false;
  SortOrder sort = SortOrder::kRelevance;
  std::vector<std::string> agencies;  ///< bodies the query names, the one it is about first

  Xapian::Query query() const { return filtered(ranked, filter); }
};

// The count and facet counts of a browse: the same for every page and order.
struct SearchService::BrowseCounts {
  Xapian::doccount total = 0;
  std::vector<Facet> facets;
};

// The first passages of a browse in its order (by passage id): a page of them is read by
// document id, without sorting every passage again. Document ids are those of the combined
// database at one revision of every shard: the same for every thread at that revision.
struct SearchService::BrowseOrder {
  std::vector<Xapian::docid> first;
};

// Shard servers that could not be opened, each with when it may be tried again: shared by
// every thread, so that one failed attempt spares the others the wait.
class SearchService::ShardBackOff {
 public:
  using Clock = std::chrono::steady_clock;

  /// Why `location` is not to be tried now, or nothing when it may be.
  std::optional<std::string> resting(const std::string& location) const {
    const std::lock_guard lock(mutex_);
    const auto found = down_.find(location);
    if (found == down_.end()) return std::nullopt;
    const auto left = found->second.retry_at - Clock::now();
    if (left <= Clock::duration::zero()) return std::nullopt;
    const long tenths = std::chrono::duration_cast<std::chrono::milliseconds>(left).count() / 100;
    return found->second.error + " (not tried again for " + std::to_string(tenths / 10) + "." +
           std::to_string(tenths % 10) + " s: --shard-retry)";
  }
  bool any_due(const std::vector<std::string>& locations) const {
    for (const std::string& location : locations)
      if (!resting(location)) return true;
    return false;
  }
  void failed(const std::string& location, const std::string& error,
              std::chrono::milliseconds retry_after) {
    const std::lock_guard lock(mutex_);
    down_[location] = {Clock::now() + retry_after, error};
  }
  void answered(const std::string& location) {
    const std::lock_guard lock(mutex_);
    down_.erase(location);
  }

 private:
  struct Down {
    Clock::time_point retry_at;
    std::string error;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Down> down_;
};

struct SearchService::Caches {
  RevisionCache<BrowseCounts> browse{kBrowseCountsKept};
  RevisionCache<BrowseOrder> browse_order{kBrowseCountsKept};
  RevisionCache<FacetListing> listing{1};
  FacetCodesCache codes;
  ShardBackOff shards_down;
  /// Requests being served (SearchService::Serving) and searches running now, and searches
  /// whose match was split (SplitMatchOptions).
  std::atomic<std::size_t> requests_serving{0};
  std::atomic<std::size_t> searches_running{0};
  std::atomic<std::uint64_t> matches_split{0};
};

// A thread's handle on the databases: the combined one queries run on and one per shard
// (sharing its state, so reopening the first reopens them), which say the revision.
struct SearchService::OpenIndex {
  Xapian::Database all;
  std::vector<Xapian::Database> shards;  ///< those that answered (--shard-down=degrade)
  std::vector<bool> remote;              ///< per shard: served by a shard server
  std::vector<std::string> missing;      ///< shards not answering, as given
  /// Each shard's uuid and revision, and each missing shard's location: a degraded handle
  /// never shares a cache key with the full index.
  std::string revision;
  bool pinned = false;  ///< within a request (begin_request): not reopened until its end
  /// Bound to `all`, hence declared after it; made at the first query.
  std::unique_ptr<analyzers::QueryParsers> parsers;
};

ShardDownPolicy parse_shard_down_policy(std::string_view value) {
  if (value == "fail") return ShardDownPolicy::kFail;
  if (value == "degrade") return ShardDownPolicy::kDegrade;
  throw std::invalid_argument("--shard-down: expected fail or degrade, not '" + std::string(value) +
                              "'");
}

LiveShards open_live_shards(
    const std::vector<std::filesystem::path>& locations,
    const std::function<Xapian::Database(const std::filesystem::path&)>& open,
    ShardDownPolicy policy) {
  LiveShards live;
  std::string first_error;
  for (std::size_t i = 0; i < locations.size(); ++i) {
    try {
      live.shards.push_back(open(locations[i]));
    } catch (const Xapian::NetworkError& error) {
      if (policy == ShardDownPolicy::kFail)
        throw ShardUnavailable(locations[i].string(), error.get_description());
      if (first_error.empty()) first_error = error.get_description();
      live.missing.push_back(locations[i].string());
      continue;
    }
    live.positions.push_back(i);
    live.all.add_database(live.shards.back());
  }
  if (live.shards.empty() && !live.missing.empty())
    throw ShardUnavailable(live.missing.front(), "no shard is answering (" + first_error + ")");
  return live;
}

std::optional<RemoteShard> RemoteShard::parse(std::string_view location) {
  constexpr std::string_view kScheme = "tcp://";
  if (!location.starts_with(kScheme)) return std::nullopt;
  const std::string_view address = location.substr(kScheme.size());
  const std::size_t colon = address.rfind(':');
  RemoteShard shard;
  int port = 0;
  if (colon != std::string_view::npos && colon > 0) {
    shard.host = std::string(address.substr(0, colon));
    if (shard.host.size() > 2 && shard.host.front() == '[' && shard.host.back() == ']')
      shard.host = shard.host.substr(1, shard.host.size() - 2);
    const std::string_view digits = address.substr(colon + 1);
    if (!digits.empty() && digits.size() <= 5 &&
        digits.find_first_not_of("0123456789") == std::string_view::npos)
      port = std::stoi(std::string(digits));
  }
  if (port < 1 || port > 65535)
    throw std::invalid_argument("--db " + std::string(location) +
                                ": expected tcp://HOST:PORT with a port of 1-65535");
  shard.port = static_cast<unsigned>(port);
  return shard;
}

std::vector<StubEntry> parse_stub(const std::filesystem::path& stub, std::string_view text) {
  std::vector<StubEntry> entries;
  std::size_t number = 0;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    ++number;
    const std::string where = stub.string() + " line " + std::to_string(number) + ": ";
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.remove_suffix(1);
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;
    line.remove_prefix(first);
    const std::size_t space = line.find_first_of(" \t");
    const std::string_view kind = line.substr(0, space);
    std::string_view rest;
    if (space != std::string_view::npos) {
      rest = line.substr(space);
      rest.remove_prefix(rest.find_first_not_of(" \t"));
    }
    if (rest.empty())
      throw std::invalid_argument(where + "'" + std::string(line) + "' names no database");
    StubEntry entry;
    entry.line = number;
    if (kind == "auto" || kind == "glass" || kind == "chert") {
      entry.location = std::filesystem::path(std::string(rest));
      if (entry.location.is_relative()) entry.location = stub.parent_path() / entry.location;
    } else if (kind == "remote") {
      if (rest.front() == ':')
        throw std::invalid_argument(
            where +
            "'remote :PROGRAM' asks for a program to be started, which lupa-searchd "
            "does not do: serve the database with lupa-shardd and write 'remote "
            "HOST:PORT'");
      const std::size_t colon = rest.rfind(':');
      const std::string_view host = colon == std::string_view::npos ? "" : rest.substr(0, colon);
      const std::string_view port = colon == std::string_view::npos ? "" : rest.substr(colon + 1);
      unsigned number_of_port = 0;
      const auto [parsed_to, parse_error] =
          std::from_chars(port.data(), port.data() + port.size(), number_of_port);
      const bool port_ok = !port.empty() && parse_error == std::errc() &&
                           parsed_to == port.data() + port.size() && number_of_port >= 1 &&
                           number_of_port <= 65535;
      if (host.empty() || host == "[]" || !port_ok ||
          host.find_first_of(" \t/") != std::string_view::npos)
        throw std::invalid_argument(where +
                                    "expected 'remote HOST:PORT' with a port of 1-65535, not '" +
                                    std::string(line) + "'");
      entry.kind = StubEntryKind::kRemote;
      entry.location = "tcp://" + std::string(host) + ":" + std::string(port);
    } else {
      throw std::invalid_argument(where + "'" + std::string(line) +
                                  "' is not a database (auto, glass, chert or remote)");
    }
    entries.push_back(std::move(entry));
  }
  if (entries.empty()) throw std::invalid_argument(stub.string() + ": the stub names no database");
  return entries;
}

namespace {

// One --db: a local database or stub file (Xapian opens both), or a shard server.
Xapian::Database open_shard(const std::filesystem::path& location, const ShardOptions& options) {
  if (const auto remote = RemoteShard::parse(location.string()))
    return Xapian::Remote::open(remote->host, remote->port,
                                static_cast<unsigned>(options.io_timeout.count()),
                                static_cast<unsigned>(options.connect_timeout.count()));
  return Xapian::Database(location.string());
}

// The databases a stub names, each opened as a shard of its own, so that each says its
// revision (a stub opened whole is one combined database, whose revision Xapian does not give).
// A stub is a file, or a folder holding one named XAPIANDB, as `lupa-indexer --shards` writes.
constexpr std::size_t kMaxStubBytes = 1 << 20;
constexpr std::size_t kMaxStubDepth = 4;

// A database to open, and where it was named: `--db X`, or a stub's file and line, so that
// a refusal names what to edit.
struct NamedDatabase {
  std::filesystem::path location;
  std::string named_by;
};

void add_databases(const std::filesystem::path& given, const std::string& named_by,
                   std::size_t depth, std::vector<NamedDatabase>& out) {
  namespace fs = std::filesystem;
  fs::path stub;
  std::error_code error;
  if (fs::is_directory(given, error) && fs::is_regular_file(given / "XAPIANDB", error))
    stub = given / "XAPIANDB";
  else if (fs::is_regular_file(given, error))
    stub = given;
  if (stub.empty() || RemoteShard::parse(given.string())) {
    out.push_back({given, named_by});
    return;
  }
  const std::string where = named_by + ": ";
  if (depth >= kMaxStubDepth) throw std::invalid_argument(where + "stubs nested too deep");
  if (fs::file_size(stub, error) > kMaxStubBytes)
    throw std::invalid_argument(where + "the stub file is over 1 MB");
  std::ifstream in(stub, std::ios::binary);
  if (!in) throw std::invalid_argument(where + "cannot read the stub file");
  std::ostringstream text;
  text << in.rdbuf();
  for (const StubEntry& entry : parse_stub(stub, text.str())) {
    const std::string line = stub.string() + " line " + std::to_string(entry.line);
    if (entry.kind == StubEntryKind::kRemote)
      out.push_back({entry.location, line});
    else
      add_databases(entry.location, line, depth + 1, out);
  }
}

// What tells one revision of a shard from the next. A remote database does not say its
// revision (Xapian's remote backend: UnimplementedError), but gives its user metadata: the
// commit id the indexer draws for every commit that changes it (schema::kCommitIdKey), which
// moves even when documents are only rewritten in place. The document count and last document
// id are kept beside it for a database written by others, or before the key existed (the
// indexer replaces a changed file's passages by new documents, so they move with every run
// that changed a file).
std::string shard_revision(const Xapian::Database& shard, bool remote) {
  std::string revision = shard.get_uuid();
  revision += ':';
  if (remote) {
    revision += shard.get_metadata(std::string(schema::kCommitIdKey));
    revision += '/';
    revision += std::to_string(shard.get_doccount());
    revision += '/';
    revision += std::to_string(shard.get_lastdocid());
  } else {
    revision += std::to_string(shard.get_revision());
  }
  return revision;
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

std::size_t SplitMatchOptions::default_partners() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores > 1 ? cores - 1 : 0;
}

SearchService::SearchService(std::vector<std::filesystem::path> databases, RankingOptions ranking,
                             schema::FacetTable facets, ShardOptions shard_options,
                             SplitMatchOptions split)
    : ranking_(std::move(ranking)),
      shard_options_(shard_options),
      facets_(facets.begin(), facets.end()),
      instance_id_(next_instance_id++),
      labels_(std::make_shared<const IndexLabels>()),
      caches_(std::make_shared<Caches>()),
      split_match_from_(split.from_passages) {
  schema::check_facet_table(facets_);
  std::vector<NamedDatabase> named;
  for (const auto& given : databases) add_databases(given, "--db " + given.string(), 0, named);
  if (named.empty()) throw std::invalid_argument("no database given");
  ranking_.query.facets = facets_;  // `name:value` in a query names this table's facets
  const NamedDatabase* first_local = nullptr;
  const NamedDatabase* first_remote = nullptr;
  for (const NamedDatabase& database : named) {
    const NamedDatabase*& first =
        RemoteShard::parse(database.location.string()) ? first_remote : first_local;
    if (!first) first = &database;
    databases_.push_back(database.location);
  }
  remote_ = first_remote != nullptr;
  if (first_local && first_remote)
    throw std::invalid_argument(
        "local databases and shard servers cannot be mixed (facet counts would not be exact): " +
        first_local->named_by + " names the local " + first_local->location.string() + ", " +
        first_remote->named_by + " the shard server " + first_remote->location.string() +
        "; serve the local ones with lupa-shardd too");
  // Xapian's remote backend serves no spelling dictionary: over shard servers "did you mean"
  // asks the Hunspell dictionaries and the index's terms instead.
  if (remote_) ranking_.query.spelling_dictionary = false;
  database();  // fail now, at start-up, when a database cannot be opened
  // Shard servers each run their own match: there is no local one to split.
  if (!remote_ && split.from_passages > 0 && split.partners > 0)
    partners_ = std::make_shared<MatchPartners>(split.partners);
}

std::unique_ptr<SearchService::OpenIndex>& SearchService::thread_handle() const {
  thread_local std::unordered_map<unsigned long, std::unique_ptr<OpenIndex>> handles;
  return handles[instance_id_];
}

SearchService::OpenIndex& SearchService::open_index(bool reopen) const {
  auto& index = thread_handle();
  if (index && (!reopen || index->pinned)) return *index;
  if (index && !index->missing.empty() && caches_->shards_down.any_due(index->missing)) {
    index.reset();  // a shard was missing and its back-off is over: connect to it afresh
  } else if (index) {
    try {
      index->all.reopen();
    } catch (const Xapian::NetworkError&) {
      // A shard server went away (restarted, or down): connect afresh below, or say so.
      index.reset();
    }
  }
  if (!index) {
    LiveShards live = open_live_shards(
        databases_,
        [this](const std::filesystem::path& location) {
          ShardBackOff& down = caches_->shards_down;
          const std::string name = location.string();
          if (const auto why = down.resting(name)) throw Xapian::NetworkError(*why);
          try {
            Xapian::Database opened = open_shard(location, shard_options_);
            down.answered(name);
            return opened;
          } catch (const Xapian::NetworkError& error) {
            // Rethrown from resting() as a NetworkError, which names its kind itself.
            std::string why = error.get_description();
            if (why.starts_with("NetworkError: "))
              why.erase(0, std::string_view("NetworkError: ").size());
            down.failed(name, why, shard_options_.retry_after);
            throw;
          }
        },
        shard_options_.when_down);
    auto opened = std::make_unique<OpenIndex>();
    opened->all = std::move(live.all);
    opened->shards = std::move(live.shards);
    for (const std::size_t position : live.positions)
      opened->remote.push_back(RemoteShard::parse(databases_[position].string()).has_value());
    opened->missing = std::move(live.missing);
    index = std::move(opened);
  }
  index->revision.clear();
  for (std::size_t i = 0; i < index->shards.size(); ++i) {
    index->revision += shard_revision(index->shards[i], index->remote[i]);
    index->revision += ',';
  }
  for (const auto& missing : index->missing) index->revision += "missing " + missing + ',';
  return *index;
}

ShardsAnswered SearchService::begin_request() const {
  OpenIndex& index = open_index();
  index.pinned = true;
  return {databases_.size(), index.missing};
}

void SearchService::end_request(bool shard_failed) const {
  auto& index = thread_handle();
  if (shard_failed) {
    index.reset();  // its connections may be mid-answer: connect to every shard afresh
  } else if (index) {
    index->pinned = false;
  }
}

ShardsAnswered SearchService::shards_answered() const {
  const OpenIndex& index = open_index(false);
  return {databases_.size(), index.missing};
}

// Facet codes are numbered by the document ids of one database. A match over several shards
// shows its spies each document with its id in its own shard, and shard servers count from
// the slot anyway: codes serve a single local database only.
std::shared_ptr<const FacetCodes> SearchService::facet_codes(const Xapian::Database& db,
                                                             const OpenIndex& index) const {
  if (remote_ || index.shards.size() != 1) return nullptr;
  std::shared_ptr<const FacetCodes> codes = caches_->codes.get(db, index.revision);
  // The cache gives the table of the revision asked for, so this holds: a match ordered by
  // its ranks must meet no passage it lacks.
  if (codes && !codes->covers_every_passage_of(db)) return nullptr;
  return codes;
}

Xapian::Database& SearchService::database() const {
  return open_index().all;
}

analyzers::QueryAnalyzer SearchService::query_analyzer(const Xapian::Database& db) const {
  const std::unique_ptr<OpenIndex>& index = thread_handle();
  if (!index || &index->all != &db)
    return analyzers::QueryAnalyzer(db, std::cref(ranking_.query), nullptr);
  if (!index->parsers)
    index->parsers = std::make_unique<analyzers::QueryParsers>(index->all, ranking_.query.facets);
  return analyzers::QueryAnalyzer(db, std::cref(ranking_.query), index->parsers.get());
}

Xapian::Query SearchService::filter_query(Xapian::Database& db, const SearchRequest& request,
                                          std::string_view except_facet) const {
  std::vector<Xapian::Query> per_facet;
  for (const auto& [name, values] : request.filters) {
    if (name == except_facet) continue;
    const schema::Facet* facet = schema::find_facet(name, facets_);
    if (!facet) throw BadRequest("Parameter `" + name + "` is not a facet");
    std::vector<Xapian::Query> alternatives;
    for (const std::string& value : values) try {
        for (const std::string& named : analyzers::facet_values_named(*facet, value, db))
          alternatives.emplace_back(schema::facet_term(*facet, named));
      } catch (const analyzers::UnknownFacetValue& error) {
        throw BadRequest("Parameter `" + name + "`: " + error.what());
      }
    per_facet.emplace_back(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
  }
  // The date range is no facet: it filters every count, the year facet's too.
  if (Xapian::Query range = date_range_query(request); !range.empty())
    per_facet.push_back(std::move(range));
  if (per_facet.empty()) return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_AND, per_facet.begin(), per_facet.end());
}

std::optional<Xapian::valueno> SearchService::collapse_slot_for(const SearchRequest& request,
                                                                bool browsing) const {
  if (browsing || !ranking_.collapse_translations) return std::nullopt;
  // A filter on a facet that tells a passage from its translation (the language) asks for one
  // of the two: only near-duplicates are collapsed then.
  for (const auto& [name, values] : request.filters) {
    const schema::Facet* facet = schema::find_facet(name, facets_);
    if (facet && facet->tells_translations_apart) return schema::kSlotDuplicateGroup;
  }
  // By default one hit stands for a passage, its translation and their near-duplicates.
  return schema::kSlotShownOnce;
}

SearchService::EffectiveQuery SearchService::effective_query(Xapian::Database& db,
                                                             const SearchRequest& request,
                                                             const MatchTest& matches) const {
  EffectiveQuery effective;
  effective.filter = filter_query(db, request, "");
  effective.browsing = is_blank(request.query);
  effective.collapse_slot = collapse_slot_for(request, effective.browsing);
  effective.sort = request.sort;
  if (effective.browsing) {
    effective.text = effective.ranked = Xapian::Query(std::string());
    matches(effective);
    return effective;
  }
  const analyzers::QueryAnalyzer analyzer = query_analyzer(db);
  auto use = [&](const analyzers::AnalyzedQuery& analyzed) {
    effective.text = effective.ranked = analyzed.query;
    effective.marked = analyzed.marked;
    effective.agencies = analyzed.agencies;
    const schema::Facet* lang = schema::find_facet("lang", facets_);
    if (ranking_.language_boost && analyzed.language && lang) {
      // Small beside a matched word's weight: it orders passages of equal relevance. The
      // passages of a language are those with its facet term (and its code in kSlotLanguage):
      // a fixed weight over the term's postings (term_boost) costs less than reading the
      // slot's value of every candidate (ValueMapPostingSource), or than Xapian's fixed weight
      // filtered by the term, which walks every document id too; each adds the same weight.
      const Xapian::Query same_language = analyzers::term_boost(
          schema::facet_term(*lang, std::string(language_code(*analyzed.language))),
          kSameLanguageBoost);
      effective.ranked = Xapian::Query(Xapian::Query::OP_AND_MAYBE, analyzed.query, same_language);
    }
  };
  const analyzers::AnalyzedQuery as_typed = analyzer.analyze(request.query);
  if (as_typed.language) effective.language = std::string(language_code(*as_typed.language));
  effective.expanded = as_typed.concepts;
  if (!as_typed.corrected.empty()) effective.corrected = as_typed.corrected;
  use(as_typed);
  if (matches(effective)) return effective;
  std::string words = request.query;
  // The query as typed matches nothing: its correction is run instead, and reported so.
  if (effective.corrected) {
    words = *effective.corrected;
    const analyzers::AnalyzedQuery corrected = analyzer.analyze(words);
    effective.corrected_applied = true;
    effective.expanded = corrected.concepts;
    use(corrected);
    if (matches(effective)) return effective;
  }
  // Nothing has every word: any of them may match, best first.
  if (ranking_.relax_when_empty) {
    use(analyzer.analyze(words, true));
    effective.relaxed = matches(effective);
  }
  // The correction matched nothing either: the answer must not say these are its results.
  if (!effective.relaxed) effective.corrected_applied = false;
  return effective;
}

SearchService::EffectiveQuery SearchService::effective_query(Xapian::Database& db,
                                                             const SearchRequest& request) const {
  return effective_query(db, request, [&db](const EffectiveQuery& candidate) {
    return matches_something(db, candidate.text, candidate.filter);
  });
}

SearchService::EffectiveQuery SearchService::similar_query(Xapian::Database& db,
                                                           const Xapian::Query& like,
                                                           const SearchRequest& request) const {
  EffectiveQuery effective;
  effective.text = effective.marked = effective.ranked = like;
  effective.filter = filter_query(db, request, "");
  effective.collapse_slot = collapse_slot_for(request, false);
  effective.sort = request.sort;
  return effective;
}

void SearchService::configure_enquire(Xapian::Enquire& enquire, const EffectiveQuery& effective,
                                      const std::shared_ptr<const FacetCodes>& codes) const {
  configure_order(enquire, {effective.collapse_slot, effective.sort, effective.browsing}, codes);
  enquire.set_query(effective.query());
}

void SearchService::configure_order(Xapian::Enquire& enquire, const MatchOrder& order,
                                    const std::shared_ptr<const FacetCodes>& codes) const {
  enquire.set_weighting_scheme(analyzers::QuantisedBM25Weight(ranking_.bm25_k1, ranking_.bm25_b));
  if (order.collapse_slot) enquire.set_collapse_key(*order.collapse_slot);
  // Orders by value slots, which Xapian's remote backend carries to shard servers (a KeyMaker
  // it cannot), and breaks ties by passage id rather than document id, which differs between
  // one database and shards holding the same passages: by date, then passage id (slots 10 and
  // 11), so that passages of one date come in reading order; by relevance, then passage id
  // (slot 12).
  if (order.sort == SortOrder::kNewest)
    enquire.set_sort_by_value(schema::kSlotNewestFirst, true);
  else if (order.sort == SortOrder::kOldest)
    enquire.set_sort_by_value(schema::kSlotOldestFirst, false);
  // The passage id's rank orders as the id does, and costs no read of the value for every
  // candidate (on a single local database, where the table is).
  else if (order.browsing && codes)
    enquire.set_sort_by_key((new RankKeyMaker(codes, schema::kSlotPassageId))->release(), false);
  else if (order.browsing)
    enquire.set_sort_by_value(schema::kSlotPassageId, false);
  else if (codes)
    enquire.set_sort_by_relevance_then_key(
        (new RankKeyMaker(codes, schema::kSlotPassageId))->release(), false);
  else
    enquire.set_sort_by_relevance_then_value(schema::kSlotPassageId, false);
}

SearchResult SearchService::search(const SearchRequest& request) const {
  const auto started = std::chrono::steady_clock::now();
  const Serving searching(caches_->searches_running);  // counted as running while it lives
  Xapian::Database& db = database();
  SearchResult result;
  result.query = request.query;
  result.page = request.page;
  result.per_page = request.per_page;
  // Each candidate is run in full, with its facets: the last run is the one returned.
  const EffectiveQuery effective =
      effective_query(db, request, [&](const EffectiveQuery& candidate) {
        run(db, candidate, request, result);
        return result.total > 0;
      });
  result.language = effective.language;
  result.expanded = effective.expanded;
  result.corrected = effective.corrected;
  result.corrected_applied = effective.corrected_applied;
  result.relaxed = effective.relaxed;
  for (const auto& [name, values] : request.filters)
    if (const schema::Facet* facet = schema::find_facet(name, facets_))
      for (const std::string& value : values)
        for (std::string& named : analyzers::facet_values_named(*facet, value, db))
          result.filters[name].push_back(std::move(named));
  result.sort = request.sort;
  if (request.from) result.from = request.from->as_given;
  if (request.to) result.to = request.to->as_given;
  if (!effective.agencies.empty()) {
    if (const schema::Facet* agency = schema::find_facet("agency", facets_)) {
      const std::string& id = effective.agencies.front();
      result.understood = Understood{id,
                                     value_label(*agency, id),
                                     std::string(agency->name),
                                     {{std::string(agency->name), id}}};
    }
  }
  result.took_ms = milliseconds_since(started);
  return result;
}

void SearchService::run(Xapian::Database& db, const EffectiveQuery& effective,
                        const SearchRequest& request, SearchResult& result) const {
  const OpenIndex& index = open_index(false);
  const std::shared_ptr<const FacetCodes> codes = facet_codes(db, index);
  // A browse's counts depend on its filters alone: kept per revision, they leave the page
  // of hits to read.
  std::string browse;
  if (effective.browsing && !effective.collapse_slot) {
    browse = browse_key(request);
    if (const auto counts = caches_->browse.find(index.revision, browse)) {
      result.total = counts->total;
      result.collapsed = 0;
      result.facets = counts->facets;
      const auto offset = static_cast<Xapian::doccount>((request.page - 1) * request.per_page);
      const auto per_page = static_cast<Xapian::doccount>(request.per_page);
      if (effective.sort == SortOrder::kRelevance) {
        std::shared_ptr<const BrowseOrder> order =
            caches_->browse_order.find(index.revision, browse);
        if (!order) {
          Xapian::Enquire enquire(db);
          configure_enquire(enquire, effective, codes);
          auto first = std::make_shared<BrowseOrder>();
          const Xapian::MSet mset = enquire.get_mset(0, kBrowseOrderKept);
          for (auto it = mset.begin(); it != mset.end(); ++it) first->first.push_back(*it);
          order = first;
          caches_->browse_order.store(index.revision, browse, order);
        }
        if (offset + per_page <= order->first.size() || order->first.size() < kBrowseOrderKept) {
          const Highlighter highlighter(db, Xapian::Query());
          result.hits.clear();
          for (Xapian::doccount i = offset; i < offset + per_page && i < order->first.size(); ++i)
            result.hits.push_back(make_hit(db, highlighter, true, db.get_document(order->first[i]),
                                           0, 0, static_cast<int>(i) + 1));
          return;
        }
      }
      Xapian::Enquire enquire(db);
      configure_enquire(enquire, effective, codes);
      list_hits(db, effective,
                enquire.get_mset(offset, static_cast<Xapian::doccount>(request.per_page)), offset,
                result);
      return;
    }
  }
  const Xapian::doccount everything = std::max<Xapian::doccount>(db.get_doccount(), 1);

  // One pass counts every facet the request does not filter on; each filtered facet gets a
  // pass of its own without its filter (disjunctive faceting).
  std::vector<bool> unfiltered(facets_.size());
  for (std::size_t i = 0; i < facets_.size(); ++i)
    unfiltered[i] = request.count_facets && facets_[i].counted &&
                    !request.filters.contains(std::string(facets_[i].name));
  // A collapsed group counts as the passage the match keeps of it: under a sort by date, the
  // first by date.
  const FacetCounter::Order order{effective.sort != SortOrder::kRelevance,
                                  effective.sort == SortOrder::kNewest};
  FacetCounter counter(facets_, unfiltered, effective.collapse_slot, order, codes);
  if (remote_) counter.count_merged_only();
  // With codes, the counters and the page collapse, from the codes: Xapian's own collapsing
  // would read every match's key from the value table, where few passages have one.
  const bool collapse_by_codes = effective.collapse_slot && codes;
  Xapian::Enquire enquire(db);
  configure_enquire(enquire, effective, codes);
  if (collapse_by_codes) enquire.set_collapse_key(Xapian::BAD_VALUENO);
  if (request.count_facets) enquire.add_matchspy(&counter);
  MatchCounter matches(effective.collapse_slot, codes);
  if (remote_) matches.count_merged_only();
  if (effective.collapse_slot) enquire.add_matchspy(&matches);
  const auto offset = static_cast<Xapian::doccount>((request.page - 1) * request.per_page);
  const auto per_page = static_cast<Xapian::doccount>(request.per_page);
  std::optional<Xapian::MSet> mset;
  std::vector<PageHit> page_hits;  ///< the page, when not read from `mset`
  Xapian::doccount matched = 0;
  const bool splittable = may_split(db, effective, codes, offset + per_page);
  // Xapian sums a passage's term weights in an order that follows the query's shape, and the
  // parts of a split match have the range of their ids as a filter: run whole, such a match
  // has the range of every id, so that its scores, to the last bit, and hence its order of
  // near-ties, do not depend on the index's size, the options or whether a partner was idle.
  if (splittable) enquire.set_query(within_ids(effective.query(), 1, db.get_lastdocid()));
  if (!splittable ||
      !split_match(db, index, effective, codes, request.count_facets ? &counter : nullptr,
                   unfiltered, order, &matches, offset + per_page, page_hits, matched)) {
    // check_at_least = every document: exact totals and exact facet counts.
    if (collapse_by_codes) {
      const Xapian::doccount asked = ranks_asked(offset + per_page);
      const Xapian::MSet ranked = enquire.get_mset(0, asked, everything);
      matched = ranked.get_matches_estimated();
      page_hits = first_of_each_key(enquire, ranked, asked, offset + per_page,
                                    *effective.collapse_slot, *codes, &matches);
    } else {
      mset = enquire.get_mset(offset, per_page, everything);
      matched = mset->get_matches_estimated();
    }
  }
  // Exact: every document was checked (check_at_least). With collapsing, Xapian's estimate
  // is not the collapsed count, and across shards neither is its lower bound (a group may
  // have passages on several): the match counter's is.
  result.total = effective.collapse_slot ? matches.collapsed_total() : matched;
  result.collapsed = matches.seen() > result.total ? matches.seen() - result.total : 0;

  result.facets.clear();
  const std::shared_ptr<const LabelTable> labels =
      request.count_facets ? labels_->current(index.shards, index.remote, facets_, index.revision)
                           : std::make_shared<const LabelTable>();
  for (std::size_t i = 0; i < facets_.size(); ++i) {
    const schema::Facet& facet = facets_[i];
    if (!facet.counted || !request.count_facets) continue;
    if (unfiltered[i]) {
      result.facets.push_back(make_facet(facet, counter.counts(i), *labels));
      continue;
    }
    std::vector<bool> only(facets_.size());
    only[i] = true;
    FacetCounter own(facets_, only, effective.collapse_slot, order, codes);
    if (remote_) own.count_merged_only();
    EffectiveQuery without_own = effective;
    without_own.filter = filter_query(db, request, facet.name);
    Xapian::Enquire facet_enquire(db);
    configure_enquire(facet_enquire, without_own, codes);
    if (collapse_by_codes) facet_enquire.set_collapse_key(Xapian::BAD_VALUENO);
    facet_enquire.add_matchspy(&own);
    // Split as the main match is, and whole with the same filter of every id, for the same
    // weights: a collapsed group counts as its passage of highest weight.
    const bool facet_splittable = may_split(db, without_own, codes, 0);
    if (facet_splittable)
      facet_enquire.set_query(within_ids(without_own.query(), 1, db.get_lastdocid()));
    std::vector<PageHit> no_hits;
    Xapian::doccount facet_matched = 0;
    if (!facet_splittable || !split_match(db, index, without_own, codes, &own, only, order, nullptr,
                                          0, no_hits, facet_matched))
      facet_enquire.get_mset(0, 0, everything);
    result.facets.push_back(make_facet(facet, own.counts(i), *labels));
  }
  if (!browse.empty())
    caches_->browse.store(
        index.revision, browse,
        std::make_shared<const BrowseCounts>(BrowseCounts{result.total, result.facets}));
  if (mset)
    list_hits(db, effective, *mset, offset, result, effective.collapse_slot ? &matches : nullptr);
  else
    list_hits(
        db, effective,
        {page_hits.begin() + std::min<std::size_t>(offset, page_hits.size()), page_hits.end()},
        offset, result);
}

bool SearchService::may_split(Xapian::Database& db, const EffectiveQuery& effective,
                              const std::shared_ptr<const FacetCodes>& codes,
                              Xapian::doccount wanted) const {
  // Split by document id, the order the match walks postings in: each part is a whole
  // match of half the ids. Only on a single local database with its facet codes (a
  // passage's rank and group key are read from them, and counters of both parts count from
  // them), in the order of relevance (what a merge by weight and rank reproduces), for pages
  // near the top.
  return !remote_ && codes && !effective.browsing && effective.sort == SortOrder::kRelevance &&
         wanted <= kSplitMatchDeepest && db.get_lastdocid() >= 2;
}

namespace {

// One part of a split match (SearchService::split_match): its first hits and what it counted.
struct MatchedPart {
  bool ran = false;  ///< false: a partner's handle was at another revision
  struct Ranked {
    Xapian::docid docid;
    double weight;
    std::size_t part;
  };
  std::vector<Ranked> first;
  Xapian::doccount matched = 0;
  std::unique_ptr<FacetCounter> counter;  ///< the partner's own; the requester's is the run's
  std::unique_ptr<MatchCounter> matches;
};

}  // namespace

bool SearchService::split_match(Xapian::Database& db, const OpenIndex& index,
                                const EffectiveQuery& effective,
                                const std::shared_ptr<const FacetCodes>& codes,
                                FacetCounter* counter, const std::vector<bool>& counted,
                                const CollapseOrder& collapse_order, MatchCounter* matches,
                                Xapian::doccount wanted, std::vector<PageHit>& page,
                                Xapian::doccount& matched) const {
  if (!partners_ || split_match_from_ == 0 || db.get_doccount() < split_match_from_) return false;
  // A partner only helps while a core is idle: the cores are this search's and one per
  // partner, and every other request being served (or search running, for a caller without
  // the HTTP layer) holds one.
  const std::size_t running =
      std::max(caches_->requests_serving.load(), caches_->searches_running.load());
  const std::size_t cores = partners_->threads() + 1;
  if (running >= cores) return false;
  MatchPartners::Lease lease = partners_->borrow(cores - running);
  if (lease.size() == 0) return false;

  // Part i matches the document ids from bounds[i] + 1 to bounds[i + 1]; the requester takes
  // the first. Read here: partners must not touch this thread's database.
  const std::size_t parts = lease.size() + 1;
  const Xapian::docid last_id = db.get_lastdocid();
  std::vector<Xapian::docid> bounds(parts + 1);
  for (std::size_t i = 0; i <= parts; ++i)
    bounds[i] = static_cast<Xapian::docid>(std::uint64_t{last_id} * i / parts);
  const Xapian::doccount everything = db.get_doccount();
  const MatchOrder order{effective.collapse_slot, effective.sort, effective.browsing};
  // As in run(): the codes collapse; each part then gives its first ranks uncollapsed.
  const bool collapse_by_codes = effective.collapse_slot.has_value();
  const Xapian::doccount asked = collapse_by_codes ? ranks_asked(wanted) : wanted;
  // A Xapian::Query is reference-counted without atomics: each partner makes its own copy.
  const std::string query_bytes = effective.query().serialise();
  const std::string& revision = index.revision;
  std::vector<MatchedPart> matched_parts(parts);
  auto run_part = [&, this](Xapian::Database& part_db, const Xapian::Query& query, std::size_t part,
                            FacetCounter* part_counter, MatchCounter* part_matches) {
    Xapian::Enquire enquire(part_db);
    configure_order(enquire, order, codes);
    if (collapse_by_codes) enquire.set_collapse_key(Xapian::BAD_VALUENO);
    enquire.set_query(within_ids(query, bounds[part] + 1, bounds[part + 1]));
    if (part_counter) enquire.add_matchspy(part_counter);
    if (part_matches && effective.collapse_slot) enquire.add_matchspy(part_matches);
    const Xapian::MSet mset = enquire.get_mset(0, asked, everything);
    MatchedPart& result = matched_parts[part];
    for (auto it = mset.begin(); it != mset.end(); ++it)
      result.first.push_back({*it, it.get_weight(), part});
    result.matched = mset.get_matches_estimated();
    result.ran = true;
  };
  std::vector<std::future<void>> partners_done;
  // The partners read this frame: whatever happens here, they are waited for before it goes.
  struct WaitForAll {
    std::vector<std::future<void>>& done;
    ~WaitForAll() {
      for (std::future<void>& one : done)
        if (one.valid()) one.wait();
    }
  } wait_for_all{partners_done};
  partners_done.reserve(parts - 1);  // so that no future is lost to a failed push_back
  for (std::size_t part = 1; part < parts; ++part)
    partners_done.push_back(lease.run([&, part, this] {
      OpenIndex& partner_index = open_index(true);
      if (partner_index.revision != revision) return;  // the requester runs it instead
      // One per partner: a Registry is reference-counted without atomics too.
      thread_local const Xapian::Registry registry = shard_registry();
      const Xapian::Query query = Xapian::Query::unserialise(query_bytes, registry);
      MatchedPart& mine = matched_parts[part];
      if (counter)
        mine.counter = std::make_unique<FacetCounter>(facets_, counted, effective.collapse_slot,
                                                      collapse_order, codes);
      if (matches) mine.matches = std::make_unique<MatchCounter>(effective.collapse_slot, codes);
      run_part(partner_index.all, query, part, mine.counter.get(), mine.matches.get());
    }));
  run_part(db, effective.query(), 0, counter, matches);
  for (std::future<void>& done : partners_done) done.get();  // rethrows what a partner threw
  bool any_partner_ran = false;
  for (std::size_t part = 1; part < parts; ++part) {
    MatchedPart& other = matched_parts[part];
    if (!other.ran) {
      other.counter.reset();
      other.matches.reset();
      run_part(db, effective.query(), part, counter, matches);
      continue;
    }
    any_partner_ran = true;
    if (counter) counter->absorb(std::move(*other.counter));
    if (matches) matches->absorb(*other.matches);
  }
  if (any_partner_ran) ++caches_->matches_split;

  // Every part's first hits in the match's order (weight, then the passage id's rank), each
  // collapse key's first kept: the first `wanted` of the whole match.
  matched = 0;
  std::vector<MatchedPart::Ranked> merged;
  for (MatchedPart& part : matched_parts) {
    matched += part.matched;
    merged.insert(merged.end(), part.first.begin(), part.first.end());
  }
  const auto rank = [&codes](Xapian::docid docid) {
    return codes->rank(schema::kSlotPassageId, docid).value_or(0);
  };
  std::sort(merged.begin(), merged.end(), [&rank](const auto& a, const auto& b) {
    if (a.weight != b.weight) return a.weight > b.weight;
    return rank(a.docid) < rank(b.docid);
  });
  // Uncollapsed, the merged ranks are the whole match's only until a part that gave all it
  // was asked for has none left: its next ranks, not given, may come before the others'.
  std::vector<Xapian::doccount> left(parts);
  for (std::size_t part = 0; part < parts; ++part)
    left[part] = static_cast<Xapian::doccount>(matched_parts[part].first.size());
  const auto a_full_part_ran_out = [&] {
    for (std::size_t part = 0; part < parts; ++part)
      if (left[part] == 0 && matched_parts[part].first.size() == asked) return true;
    return false;
  };
  // Too many passages of keys already shown: the first ranks of the whole match instead,
  // weighed as its parts were (within_ids).
  const auto from_the_whole_match = [&] {
    Xapian::Enquire whole(db);
    configure_order(whole, order, codes);
    whole.set_collapse_key(Xapian::BAD_VALUENO);
    whole.set_query(within_ids(effective.query(), 1, last_id));
    const Xapian::doccount more = 2 * asked;
    page = first_of_each_key(whole, whole.get_mset(0, more), more, wanted, *effective.collapse_slot,
                             *codes, matches);
    return true;
  };
  ShownKeys shown(*codes, effective.collapse_slot, matches);
  for (const MatchedPart::Ranked& ranked : merged) {
    if (page.size() == wanted) break;
    if (collapse_by_codes && a_full_part_ran_out()) return from_the_whole_match();
    --left[ranked.part];
    Xapian::doccount hidden = 0;
    if (shown.shows(ranked.docid, hidden))
      page.push_back({db.get_document(ranked.docid), ranked.weight, hidden});
  }
  if (page.size() < wanted && collapse_by_codes && a_full_part_ran_out())
    return from_the_whole_match();
  return true;
}

std::vector<SearchService::PageHit> SearchService::first_of_each_key(
    Xapian::Enquire& enquire, Xapian::MSet ranked, Xapian::doccount asked, Xapian::doccount wanted,
    Xapian::valueno slot, const FacetCodes& codes, const MatchCounter* matches) {
  for (;;) {
    std::vector<PageHit> page;
    ShownKeys shown(codes, slot, matches);
    for (auto it = ranked.begin(); it != ranked.end() && page.size() < wanted; ++it) {
      Xapian::doccount hidden = 0;
      if (shown.shows(*it, hidden)) page.push_back({it.get_document(), it.get_weight(), hidden});
    }
    if (page.size() == wanted || ranked.size() < asked) return page;
    // Counted already: the longer match only ranks.
    enquire.clear_matchspies();
    asked *= 2;
    ranked = enquire.get_mset(0, asked);
  }
}

void SearchService::list_hits(Xapian::Database& db, const EffectiveQuery& effective,
                              const Xapian::MSet& mset, Xapian::doccount offset,
                              SearchResult& result, const MatchCounter* collapsed) const {
  std::vector<PageHit> page;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    Xapian::Document document = it.get_document();
    // Xapian's collapse count is its own shard's on a shard; the match counter's is the
    // whole index's.
    const Xapian::doccount hidden =
        collapsed && effective.collapse_slot
            ? collapsed->collapsed_into(document.get_value(*effective.collapse_slot))
            : it.get_collapse_count();
    page.push_back({std::move(document), it.get_weight(), hidden});
  }
  list_hits(db, effective, page, offset, result);
}

void SearchService::list_hits(Xapian::Database& db, const EffectiveQuery& effective,
                              const std::vector<PageHit>& page, Xapian::doccount offset,
                              SearchResult& result) const {
  const Highlighter highlighter(db, effective.browsing ? Xapian::Query() : effective.marked);
  result.hits.clear();
  int rank = static_cast<int>(offset);
  for (const PageHit& hit : page)
    result.hits.push_back(make_hit(db, highlighter, effective.browsing, hit.document, hit.weight,
                                   hit.hidden, ++rank));
}

bool SearchService::for_each_match(const SearchRequest& request,
                                   const std::function<bool(const schema::PassageRecord&)>& each,
                                   const std::function<bool()>& before_first) const {
  Xapian::Database& db = database();
  Xapian::Enquire enquire(db);
  configure_enquire(enquire, effective_query(db, request), facet_codes(db, open_index(false)));
  // Each batch re-runs the match up to its end, so batches grow: the whole export costs a
  // few matches of the result set rather than one per batch.
  Xapian::doccount batch_size = kExportBatch;
  for (Xapian::doccount offset = 0;; offset += batch_size, batch_size *= 2) {
    const Xapian::MSet batch = enquire.get_mset(offset, batch_size);
    auto it = batch.begin();
    if (offset == 0) {
      // Everything that reads the index before the first row is done before `before_first`.
      std::optional<schema::PassageRecord> first;
      if (it != batch.end()) first = schema::PassageRecord::parse(it.get_document().get_data());
      if (before_first && !before_first()) return false;
      if (first) {
        if (!each(*first)) return false;
        ++it;
      }
    }
    for (; it != batch.end(); ++it)
      if (!each(schema::PassageRecord::parse(it.get_document().get_data()))) return false;
    if (batch.size() < batch_size) return true;
  }
}

std::vector<schema::PassageRecord> SearchService::newest(const SearchRequest& request,
                                                         int count) const {
  Xapian::Database& db = database();
  Xapian::Enquire enquire(db);
  configure_enquire(enquire, effective_query(db, request));
  enquire.set_sort_by_value_then_relevance(schema::kSlotIndexedAt, true);
  std::vector<schema::PassageRecord> passages;
  const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(count));
  for (auto it = mset.begin(); it != mset.end(); ++it)
    passages.push_back(schema::PassageRecord::parse(it.get_document().get_data()));
  return passages;
}

std::optional<SearchResult> SearchService::similar(const std::string& id,
                                                   const SearchRequest& request) const {
  return similar_on(database(), id, request);
}

std::optional<SearchResult> SearchService::similar(const std::string& id, int page,
                                                   int per_page) const {
  SearchRequest request;
  request.page = page;
  request.per_page = per_page;
  return similar(id, request);
}

std::optional<SearchResult> SearchService::similar_on(Xapian::Database& db, const std::string& id,
                                                      const SearchRequest& request) const {
  const auto started = std::chrono::steady_clock::now();
  const std::string id_term = schema::id_term(id);
  Xapian::PostingIterator posting = db.postlist_begin(id_term);
  if (id.empty() || posting == db.postlist_end(id_term)) return std::nullopt;
  const Xapian::docid docid = *posting;
  const schema::PassageRecord record =
      schema::PassageRecord::parse(db.get_document(docid).get_data());

  // The passage and its translation describe the commitment in both languages, so the
  // expansion terms reach plans written in either.
  Xapian::RSet relevant;
  relevant.add_document(docid);
  std::vector<Xapian::Query> excluded{Xapian::Query(id_term)};
  if (record.translation_id && !record.translation_id->empty()) {
    const std::string translation = schema::id_term(*record.translation_id);
    Xapian::PostingIterator other = db.postlist_begin(translation);
    if (other != db.postlist_end(translation)) relevant.add_document(*other);
    excluded.emplace_back(translation);
  }
  struct StemsOnly final : Xapian::ExpandDecider {
    bool operator()(const std::string& term) const override {
      return term.starts_with(schema::kStemPrefix) && term.size() > 4;
    }
  } stems_only;
  Xapian::Enquire expand(db);
  // Over several databases Xapian approximates each term's frequency from the databases the
  // relevant passages are in, unless told otherwise: shards would then pick other terms than
  // one database holding the same passages.
  const Xapian::ESet terms =
      expand.get_eset(kSimilarTerms, relevant, Xapian::Enquire::USE_EXACT_TERMFREQ, &stems_only);
  SearchResult result;
  result.query = "similar:" + id;
  result.page = request.page;
  result.per_page = request.per_page;
  if (terms.empty()) return result;
  std::vector<Xapian::Query> alternatives;
  for (auto term = terms.begin(); term != terms.end(); ++term)
    alternatives.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*term),
                              term.get_weight());
  const Xapian::Query like(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
  const Xapian::Query unlike(Xapian::Query::OP_OR, excluded.begin(), excluded.end());
  const schema::Facet* kind = schema::find_facet("kind", facets_);
  const Xapian::Query commitments =
      kind ? Xapian::Query(
                 schema::facet_term(*kind, schema::to_string(schema::PassageKind::kCommitment)))
           : Xapian::Query(std::string());
  SearchRequest paging = request;
  paging.count_facets = false;
  run(db,
      similar_query(
          db,
          Xapian::Query(Xapian::Query::OP_FILTER,
                        Xapian::Query(Xapian::Query::OP_AND_NOT, like, unlike), commitments),
          paging),
      paging, result);
  result.took_ms = milliseconds_since(started);
  return result;
}

FacetListing SearchService::facets() const {
  OpenIndex& index = open_index();
  if (const auto listed = caches_->listing.find(index.revision, "")) return *listed;
  Xapian::Database& db = index.all;
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(std::string()));
  std::vector<bool> counted(facets_.size());
  for (std::size_t i = 0; i < facets_.size(); ++i) counted[i] = facets_[i].counted;
  FacetCounter counter(facets_, counted, std::nullopt, {}, facet_codes(db, index));
  if (remote_) counter.count_merged_only();
  enquire.add_matchspy(&counter);
  FacetListing listing;
  listing.total = enquire.get_mset(0, 0, std::max<Xapian::doccount>(db.get_doccount(), 1))
                      .get_matches_estimated();
  const std::shared_ptr<const LabelTable> labels =
      labels_->current(index.shards, index.remote, facets_, index.revision);
  for (std::size_t i = 0; i < facets_.size(); ++i)
    if (counted[i]) listing.facets.push_back(make_facet(facets_[i], counter.counts(i), *labels));
  caches_->listing.store(index.revision, "", std::make_shared<const FacetListing>(listing));
  return listing;
}

std::optional<schema::PassageRecord> SearchService::passage(const std::string& id) const {
  return find_passage(database(), id);
}

std::optional<LinkedPassage> SearchService::linked_passage(const std::string& id) const {
  Xapian::Database& db = database();  // one revision for both
  std::optional<schema::PassageRecord> passage = find_passage(db, id);
  if (!passage) return std::nullopt;
  SameCommitment same = list_same_commitment(db, *passage);
  return LinkedPassage{std::move(*passage), std::move(same)};
}

std::optional<PassageView> SearchService::passage_view(const std::string& id) const {
  // One handle, opened (or brought to the newest revision) once: every lookup below reads
  // the same revision.
  Xapian::Database& db = database();
  std::optional<schema::PassageRecord> passage = find_passage(db, id);
  if (!passage) return std::nullopt;
  PassageView view{std::move(*passage), {}, {}, {}, {}, {}, 0};
  const schema::PassageRecord& shown = view.passage;
  if (const auto previous = schema::neighbour_id(shown.id, -1))
    view.previous = find_passage(db, *previous);
  if (const auto next = schema::neighbour_id(shown.id, +1)) view.next = find_passage(db, *next);
  if (shown.translation_id) view.translation = find_passage(db, *shown.translation_id);
  SameCommitment same = list_same_commitment(db, shown);
  view.same_commitment = std::move(same.passages);
  view.same_commitment_more = same.ids.size() - view.same_commitment.size();
  if (shown.kind == schema::PassageKind::kCommitment) {
    SearchRequest first;
    first.per_page = kSimilarOnPassagePage;
    view.similar = similar_on(db, shown.id, first);
  }
  return view;
}

std::string SearchService::mark_query_words(const std::string& text,
                                            const std::string& query) const {
  Xapian::Database& db = database();
  if (is_blank(query)) return Highlighter(db, Xapian::Query()).mark_all(text);
  const analyzers::QueryAnalyzer analyzer = query_analyzer(db);
  const analyzers::AnalyzedQuery typed = analyzer.analyze(query);
  // When the query was corrected, the results may be the correction's: its words count too.
  const Xapian::Query words = typed.corrected.empty()
                                  ? typed.marked
                                  : Xapian::Query(Xapian::Query::OP_OR, typed.marked,
                                                  analyzer.analyze(typed.corrected).marked);
  return Highlighter(db, words).mark_all(text);
}

analyzers::Label SearchService::value_label(const schema::Facet& facet,
                                            std::string_view value) const {
  const OpenIndex& index = open_index();
  return labels_->current(index.shards, index.remote, facets_, index.revision)->label(facet, value);
}

std::string_view to_string(AgencyRole role) {
  switch (role) {
    case AgencyRole::kLead:
      return "lead";
    case AgencyRole::kSupporting:
      return "supporting";
    case AgencyRole::kNamed:
      return "named";
  }
  return "named";
}

std::optional<AgencyPage> SearchService::agency(const std::string& id) const {
  Xapian::Database& db = database();
  const schema::Facet* named = schema::find_facet("agency", facets_);
  const schema::Facet* lead = schema::find_facet("responsible", facets_);
  const schema::Facet* supporting = schema::find_facet("supporting", facets_);
  const schema::Facet* kind = schema::find_facet("kind", facets_);
  const schema::Facet* plan = schema::find_facet("plan", facets_);
  if (!named || !lead || !supporting || !kind || !plan) return std::nullopt;
  const analyzers::VocabularyEntry* listed =
      analyzers::ReferenceData::instance().agencies().find(id);
  if (!listed && !db.term_exists(schema::facet_term(*named, id))) return std::nullopt;

  AgencyPage page;
  page.id = id;
  page.label = value_label(*named, id);
  if (listed) page.country = listed->country;
  const std::vector<Xapian::Query> roles{Xapian::Query(schema::facet_term(*named, id)),
                                         Xapian::Query(schema::facet_term(*lead, id)),
                                         Xapian::Query(schema::facet_term(*supporting, id))};
  const Xapian::Query tagged(Xapian::Query::OP_OR, roles.begin(), roles.end());
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  // By passage id, the same on one database and on shards (document ids are not).
  enquire.set_sort_by_value(schema::kSlotPassageId, false);
  enquire.set_query(
      Xapian::Query(Xapian::Query::OP_FILTER, tagged,
                    Xapian::Query(schema::facet_term(
                        *kind, schema::to_string(schema::PassageKind::kCommitment)))));
  const Xapian::MSet mset = enquire.get_mset(0, kMaxAgencyPassages + 1);
  page.truncated = mset.size() > kMaxAgencyPassages;

  // One commitment per plan and number (a plan, its translation and the IRM's reports number
  // it alike); without a number, per OGP id, else per title.
  std::map<std::string, std::map<std::string, AgencyCommitment>> by_plan;
  Xapian::doccount read = 0;
  for (auto it = mset.begin(); it != mset.end() && read < kMaxAgencyPassages; ++it, ++read) {
    const schema::PassageRecord record = schema::PassageRecord::parse(it.get_document().get_data());
    const schema::CommitmentRecord commitment =
        record.commitment.value_or(schema::CommitmentRecord{});
    const std::vector<std::string> ogp_ids = record.ogp_ids();
    std::string key = commitment.number  ? "n" + std::to_string(*commitment.number)
                      : !ogp_ids.empty() ? "o" + ogp_ids.front()
                                         : "t" + analyzers::fold_for_matching(commitment.title);
    AgencyCommitment& entry =
        by_plan[record.plans.empty() ? std::string() : record.plans.front()][key];
    const auto has = [&](const std::vector<std::string>& values) {
      return std::find(values.begin(), values.end(), id) != values.end();
    };
    const AgencyRole role = has(record.responsible)  ? AgencyRole::kLead
                            : has(record.supporting) ? AgencyRole::kSupporting
                                                     : AgencyRole::kNamed;
    if (entry.passages.empty() || role < entry.role) entry.role = role;
    if (entry.title.empty()) entry.title = commitment.title;
    if (!entry.number) entry.number = commitment.number;
    if (entry.ogp_id.empty() && !ogp_ids.empty()) entry.ogp_id = ogp_ids.front();
    if (!entry.status) entry.status = record.status;
    entry.ratings.complete_from(record.ratings());
    entry.passages.push_back(record.id);
  }
  for (auto& [plan_id, commitments] : by_plan) {
    AgencyPlan group{
        plan_id, plan_id.empty() ? analyzers::Label{} : value_label(*plan, plan_id), {}};
    for (auto& [key, commitment] : commitments) group.commitments.push_back(std::move(commitment));
    std::stable_sort(group.commitments.begin(), group.commitments.end(),
                     [](const AgencyCommitment& a, const AgencyCommitment& b) {
                       if (a.role != b.role) return a.role < b.role;
                       return a.number.value_or(INT_MAX) < b.number.value_or(INT_MAX);
                     });
    page.commitments += group.commitments.size();
    page.plans.push_back(std::move(group));
  }
  // Newest first: plan ids end in their years; the commitments of no known plan last.
  std::stable_sort(page.plans.begin(), page.plans.end(),
                   [](const AgencyPlan& a, const AgencyPlan& b) {
                     if (a.plan.empty() != b.plan.empty()) return b.plan.empty();
                     const auto years = [](const std::string& value) {
                       return value.size() > 9 ? value.substr(value.size() - 9) : value;
                     };
                     return years(a.plan) > years(b.plan);
                   });
  return page;
}

SearchService::Serving SearchService::serving() const {
  return Serving(caches_->requests_serving);
}

void SearchService::prepare() const {
  Xapian::Database& db = database();
  const OpenIndex& index = open_index(false);
  facet_codes(db, index);
  labels_->current(index.shards, index.remote, facets_, index.revision);
}

IndexHealth SearchService::health() const {
  Xapian::Database& db = database();
  IndexHealth health;
  health.passages = db.get_doccount();
  health.matches_split = caches_->matches_split.load();
  const OpenIndex& index = open_index(false);
  for (std::size_t i = 0; i < index.shards.size(); ++i) {
    if (!health.revision.empty()) health.revision += ',';
    health.revision += index.remote[i] ? shard_revision(index.shards[i], true)
                                       : std::to_string(index.shards[i].get_revision());
  }
  if (remote_) {
    for (const auto& location : databases_) {
      const bool answered = std::find(index.missing.begin(), index.missing.end(),
                                      location.string()) == index.missing.end();
      health.shards.emplace_back(location.string(), answered);
    }
  }
  return health;
}

}  // namespace lupa::searchd
