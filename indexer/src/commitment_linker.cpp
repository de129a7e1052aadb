#include "lupa/indexer/commitment_linker.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "lupa/analyzers/passage_record.h"
#include "lupa/analyzers/reference_data.h"
#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/text_normalizer.h"
#include "lupa/indexer/shard_layout.h"

namespace lupa::indexer {
namespace {

using schema::CommitmentLinks;
using schema::IrmRatings;
using schema::PassageRecord;

// What linking reads of a commitment passage.
struct Record {
  Xapian::docid docid = 0;
  HeldCommitment* held = nullptr;  // not in the database yet
  std::string id;
  std::string doc;
  std::string type;
  std::string country;
  std::string report_stage;
  std::vector<std::string> plans;
  int number = 0;  // 0: none
  std::string own_ogp_id;
  std::vector<int> original_paragraphs;
  std::vector<std::string> title_words;  // sorted, each once (title_words())
  IrmRatings irm;                        // its own
};

// The words a title is compared by: folded, without stop words and short words, so that
// "Open contracting in public procurement" and "Open Contracting for Public Procurement" agree.
std::vector<std::string> title_words(const std::string& title) {
  static const std::set<std::string> kStopWords = {
      "the", "and",  "for", "with", "from", "into", "its", "their", "del",   "los",
      "las", "para", "por", "con",  "una",  "que",  "sus", "como",  "entre", "sobre"};
  std::set<std::string> words;
  for (const std::string& word : analyzers::segment_words(title))
    if (word.size() >= 3 && !kStopWords.contains(word) &&
        !std::isdigit(static_cast<unsigned char>(word[0])))
      words.insert(word);
  return {words.begin(), words.end()};
}

// Length-prefixed fields, so that any byte of a path or an id survives.
class ValueWriter {
 public:
  void text(std::string_view value) {
    number(value.size());
    out_ += value;
  }
  void number(std::size_t value) {
    do {
      const auto low = static_cast<unsigned char>(value & 0x7F);
      value >>= 7;
      out_ += static_cast<char>(value ? low | 0x80 : low);
    } while (value);
  }
  void signed_number(int value) { number(static_cast<std::uint32_t>(value)); }
  void optional_text(const std::optional<std::string>& value) {
    number(value ? 1 : 0);
    if (value) text(*value);
  }
  void texts(const std::vector<std::string>& values) {
    number(values.size());
    for (const std::string& value : values) text(value);
  }
  template <typename Words>
  void words(const Words& values) {
    number(values.size());
    for (const std::string& value : values) text(value);
  }
  void ratings(const IrmRatings& irm) {
    optional_text(irm.specificity);
    texts(irm.ogp_values);
    optional_text(irm.potential_impact);
    optional_text(irm.potential_results);
    optional_text(irm.completion);
    optional_text(irm.opened_government);
    number(irm.starred ? (*irm.starred ? 2 : 1) : 0);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class ValueReader {
 public:
  explicit ValueReader(std::string_view in) : in_(in) {}
  std::size_t number() {
    std::size_t value = 0;
    for (int shift = 0;; shift += 7) {
      if (at_ >= in_.size() || shift > 63) throw std::out_of_range("commitment link value");
      const auto byte = static_cast<unsigned char>(in_[at_++]);
      value |= static_cast<std::size_t>(byte & 0x7F) << shift;
      if (!(byte & 0x80)) return value;
    }
  }
  int signed_number() { return static_cast<int>(static_cast<std::uint32_t>(number())); }
  std::string text() {
    const std::size_t size = number();
    if (size > in_.size() - at_) throw std::out_of_range("commitment link value");
    std::string value(in_.substr(at_, size));
    at_ += size;
    return value;
  }
  std::optional<std::string> optional_text() {
    if (number() == 0) return std::nullopt;
    return text();
  }
  std::vector<std::string> texts() {
    std::vector<std::string> values(number_bounded());
    for (std::string& value : values) value = text();
    return values;
  }
  IrmRatings ratings() {
    IrmRatings irm;
    irm.specificity = optional_text();
    irm.ogp_values = texts();
    irm.potential_impact = optional_text();
    irm.potential_results = optional_text();
    irm.completion = optional_text();
    irm.opened_government = optional_text();
    if (const std::size_t starred = number()) irm.starred = starred == 2;
    return irm;
  }
  std::size_t position() const { return at_; }
  bool done() const { return at_ == in_.size(); }

 private:
  // A count no larger than the bytes left: each counted item takes at least one.
  std::size_t number_bounded() {
    const std::size_t count = number();
    if (count > in_.size() - at_) throw std::out_of_range("commitment link value");
    return count;
  }
  std::string_view in_;
  std::size_t at_ = 0;
};

// A digest of a passage's links, not the links: they are in its document data already, and a
// commitment listed in many documents links to all of them (kilobytes a passage, tens of MB
// of value slots in a large index). The digest tells whether the links changed.
// What a commitment takes from the rated members of its group, encoded as links_digest reads it:
// most members of a group take the same, encoded once for them.
std::string encoded_ratings(const IrmRatings& ratings, const std::vector<std::string>& rated_by) {
  ValueWriter out;
  out.ratings(ratings);
  out.texts(rated_by);
  return out.take();
}

// links_digest of links whose ratings and rated_by are `ratings_encoded` (encoded_ratings).
std::string links_digest(std::string_view group, const std::vector<std::string>& original,
                         std::string_view linked_ogp_id, std::string_view ratings_encoded) {
  ValueWriter out;
  out.text(group);
  out.texts(original);
  out.text(linked_ogp_id);
  const std::string encoded = out.take();
  Poco::SHA1Engine engine;
  engine.update(encoded.data(), encoded.size());
  engine.update(ratings_encoded.data(), ratings_encoded.size());
  const Poco::DigestEngine::Digest& digest = engine.digest();
  return std::string(digest.begin(), digest.end());
}

std::string links_digest(const CommitmentLinks& links) {
  return links_digest(links.group, links.original, links.linked_ogp_id,
                      encoded_ratings(links.ratings, links.rated_by));
}

// The record a commitment_link_value was made from, as linking reads it, and where in the
// value its links start.
std::optional<Record> record_from_value(Xapian::docid docid, std::string_view value,
                                        std::size_t& links_at) {
  if (value.empty()) return std::nullopt;
  try {
    ValueReader in(value);
    Record record;
    record.docid = docid;
    record.id = in.text();
    record.doc = in.text();
    record.type = in.text();
    record.country = in.text();
    record.report_stage = in.text();
    record.plans = in.texts();
    record.number = in.signed_number();
    record.own_ogp_id = in.text();
    for (std::size_t count = in.number(); count > 0; --count)
      record.original_paragraphs.push_back(in.signed_number());
    record.title_words = in.texts();
    // Written sorted and each once (commitment_link_value); kept so whatever wrote it.
    std::sort(record.title_words.begin(), record.title_words.end());
    record.title_words.erase(std::unique(record.title_words.begin(), record.title_words.end()),
                             record.title_words.end());
    record.irm = in.ratings();
    links_at = in.position();
    return record;
  } catch (const std::out_of_range&) {
    return std::nullopt;  // not one: read from the document data instead
  }
}

Record read_record(Xapian::docid docid, const PassageRecord& stored) {
  Record record;
  record.docid = docid;
  record.id = stored.id;
  record.doc = stored.doc;
  record.type = stored.type.value_or("");
  record.country = stored.country.value_or("");
  record.report_stage = stored.report_stage.value_or("");
  record.plans = stored.plans;
  record.irm = stored.irm;
  if (!stored.commitment) return record;
  record.number = stored.commitment->number.value_or(0);
  record.own_ogp_id = stored.commitment->ogp_id;
  record.original_paragraphs = stored.commitment->original_paragraphs;
  record.title_words = title_words(stored.commitment->title);
  return record;
}

using PlanNumber = std::pair<std::string, int>;

// Puts `items[order[k]]` at k, in place, one cycle of the permutation at a time.
template <typename Item>
void permute(std::vector<Item>& items, std::vector<std::size_t> order) {
  for (std::size_t start = 0; start < order.size(); ++start) {
    if (order[start] == start) continue;
    Item first = std::move(items[start]);
    std::size_t at = start;
    while (order[at] != start) {
      const std::size_t from = order[at];
      items[at] = std::move(items[from]);
      order[at] = at;
      at = from;
    }
    items[at] = std::move(first);
    order[at] = at;
  }
}

// Commitments known to be the same, as sets of record indexes. A set never holds two passages
// of one document (a document states a commitment once; its translation and its summary-table
// row are not joined through another document) nor two different OGP ids: a join that would
// is refused, so a loose title match cannot chain different commitments together.
class SameCommitment {
 public:
  /// `documents`: each record's document as a number (documents_by_number).
  SameCommitment(const std::vector<Record>& records, const std::vector<std::uint32_t>& documents)
      : parent_(records.size()), documents_(records.size()), ogp_id_(records.size()) {
    for (std::size_t i = 0; i < records.size(); ++i) {
      parent_[i] = i;
      documents_[i].insert(documents[i]);
      ogp_id_[i] = records[i].own_ogp_id;
    }
  }
  bool join(std::size_t a, std::size_t b) {
    a = root(a);
    b = root(b);
    if (a == b) return true;
    if (documents_[a].size() > documents_[b].size()) std::swap(a, b);
    // The smaller set looked up in the larger: a plan listed in many documents has groups of
    // hundreds, and a title shared across them is tried against each.
    for (const std::uint32_t document : documents_[a])
      if (documents_[b].contains(document)) return false;
    if (!ogp_id_[a].empty() && !ogp_id_[b].empty() && ogp_id_[a] != ogp_id_[b]) return false;
    parent_[a] = b;
    documents_[b].insert(documents_[a].begin(), documents_[a].end());
    std::unordered_set<std::uint32_t>().swap(documents_[a]);
    if (ogp_id_[b].empty()) ogp_id_[b] = ogp_id_[a];
    return true;
  }
  std::size_t root(std::size_t a) {
    while (parent_[a] != a) a = parent_[a] = parent_[parent_[a]];
    return a;
  }

 private:
  std::vector<std::size_t> parent_;
  std::vector<std::unordered_set<std::uint32_t>> documents_;  // per root
  std::vector<std::string> ogp_id_;                           // per root
};

// Each record's document as a number, the same number for the same document.
std::vector<std::uint32_t> documents_by_number(const std::vector<Record>& records) {
  std::unordered_map<std::string_view, std::uint32_t> numbers;
  std::vector<std::uint32_t> documents;
  documents.reserve(records.size());
  for (const Record& record : records)
    documents.push_back(
        numbers.emplace(record.doc, static_cast<std::uint32_t>(numbers.size())).first->second);
  return documents;
}

// Two titles name the same commitment when most of their words are shared: Jaccard similarity
// of their word sets (title_words) at least kSameTitle, and at least three words each, since
// short titles ("Open data") are shared by different commitments ("Open data portal health"
// and "Open data portal education" share 3 of 5: not the same). Words as numbers (TitleWords),
// each title's sorted.
constexpr double kSameTitle = 0.7;
bool same_title(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
  if (a.size() < 3 || b.size() < 3) return false;
  std::size_t shared = 0;
  for (auto x = a.begin(), y = b.begin(); x != a.end() && y != b.end();) {
    if (*x < *y) {
      ++x;
    } else if (*y < *x) {
      ++y;
    } else {
      ++shared, ++x, ++y;
    }
  }
  const std::size_t all = a.size() + b.size() - shared;
  return static_cast<double>(shared) >= kSameTitle * static_cast<double>(all);
}

// Every record's title words as numbers, in the order of the words themselves, so that titles
// compare by merging two sorted lists of numbers, not by looking strings up in sets.
std::vector<std::vector<std::uint32_t>> title_words_by_number(const std::vector<Record>& records) {
  std::vector<std::string_view> words;
  for (const Record& record : records)
    words.insert(words.end(), record.title_words.begin(), record.title_words.end());
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  std::vector<std::vector<std::uint32_t>> numbered(records.size());
  for (std::size_t i = 0; i < records.size(); ++i)
    for (const std::string& word : records[i].title_words)  // sorted: so are their numbers
      numbered[i].push_back(static_cast<std::uint32_t>(
          std::lower_bound(words.begin(), words.end(), word) - words.begin()));
  return numbered;
}

// The positions b > a, in `indexes`, whose titles may be the same as that of position a
// (same_title), for each a in turn: a pair whose titles agree shares a word among the first
// words of each title, rarest first (prefix filtering: two titles at Jaccard similarity t share
// at least ceil(t * n) of a title's n words, so they share one of its first n - ceil(t * n) + 1).
// Asked in increasing a, they give the pairs in the order comparing every pair would take
// them, without holding every pair at once: a plan listed in many documents has thousands of
// commitments with one title (millions of pairs), and most pairs are in one group already by
// the time they come.
class TitleCandidates {
 public:
  TitleCandidates(const std::vector<std::vector<std::uint32_t>>& titles,
                  const std::vector<std::size_t>& indexes)
      : prefixes_(indexes.size()) {
    std::unordered_map<std::uint32_t, std::size_t> frequency;
    for (std::size_t i : indexes)
      for (const std::uint32_t word : titles[i]) ++frequency[word];
    std::vector<std::uint32_t> words;
    for (std::size_t position = 0; position < indexes.size(); ++position) {
      const std::vector<std::uint32_t>& title = titles[indexes[position]];
      if (title.size() < 3) continue;  // same_title refuses it
      words = title;
      // Rarest first, then in the words' own order (their numbers follow it).
      std::sort(words.begin(), words.end(), [&](std::uint32_t x, std::uint32_t y) {
        const std::size_t fx = frequency[x], fy = frequency[y];
        return fx != fy ? fx < fy : x < y;
      });
      const double size = static_cast<double>(title.size());
      // One word more than the bound needs, against rounding.
      const auto shared_at_least = static_cast<std::size_t>(std::ceil(kSameTitle * size - 1e-6));
      const std::size_t prefix = std::min(title.size(), title.size() - shared_at_least + 2);
      prefixes_[position].assign(words.begin(),
                                 words.begin() + static_cast<std::ptrdiff_t>(prefix));
      for (const std::uint32_t word : prefixes_[position]) by_word_[word].push_back(position);
    }
  }

  /// The candidates of position `a` after it, in increasing order, each once.
  void after(std::size_t a, std::vector<std::size_t>& candidates) const {
    candidates.clear();
    for (const std::uint32_t word : prefixes_[a]) {
      const std::vector<std::size_t>& positions = by_word_.at(word);  // increasing
      candidates.insert(candidates.end(), std::upper_bound(positions.begin(), positions.end(), a),
                        positions.end());
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  }

 private:
  std::vector<std::vector<std::uint32_t>> prefixes_;  // per position
  std::unordered_map<std::uint32_t, std::vector<std::size_t>> by_word_;
};

// Later IRM reports know more (completion comes after design): their ratings come first.
// report-stages.tsv lists the stages in the order reports are written.
int stage_rank(const std::string& stage) {
  const auto* stages = analyzers::ReferenceData::instance().vocabulary("report-stages");
  if (!stages) return 0;
  const auto& entries = stages->entries();
  for (std::size_t i = 0; i < entries.size(); ++i)
    if (entries[i].id == stage) return -static_cast<int>(i);
  return 1;  // no stage known: last
}

bool is_ogp_entry(const Record& record) {
  return !record.own_ogp_id.empty() && record.type == "ogp-web-page";
}

// Brings the group term of `document` from the group `before` to `after` (either may be none).
void replace_group_term(const std::string& before, const std::string& after,
                        Xapian::Document& document) {
  if (before == after) return;
  if (!before.empty()) {
    const std::string term = schema::commitment_group_term(before);
    Xapian::TermIterator found = document.termlist_begin();
    found.skip_to(term);
    if (found != document.termlist_end() && *found == term) document.remove_term(term);
  }
  if (!after.empty()) document.add_boolean_term(schema::commitment_group_term(after));
}

// `document` with `links` (none: no links) instead of the links it had, in its data, its facet
// and group terms and its link value.
void relink(Xapian::Document& document, std::optional<CommitmentLinks> links) {
  const PassageRecord before = PassageRecord::parse(document.get_data());
  PassageRecord after = before;
  const std::string new_group = links ? links->group : std::string();
  after.links = std::move(links);
  schema::replace_facet_terms(before, after, document);
  replace_group_term(before.links ? before.links->group : std::string(), new_group, document);
  document.set_data(after.serialise());
  document.add_value(schema::kSlotCommitmentLinks, commitment_link_value(after));
}

// A held commitment and its new links.
struct HeldRelink {
  HeldCommitment* held = nullptr;
  std::optional<CommitmentLinks> links;
};
constexpr std::size_t kHeldRelinkedAtOnce = 1024;

// Relinks each held commitment of `batch` (relink), the documents read, changed and serialised
// on as many threads as there are cores; then keeps each, on this thread, in the order given.
void relink_in_parallel(std::vector<HeldRelink>& batch) {
  std::vector<std::string> serialised(batch.size()), link_values(batch.size());
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  const auto work = [&] {
    for (std::size_t i = next++; i < batch.size(); i = next++) {
      try {
        Xapian::Document document = batch[i].held->document();
        relink(document, std::move(batch[i].links));
        serialised[i] = document.serialise();
        link_values[i] = document.get_value(schema::kSlotCommitmentLinks);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next = batch.size();
      }
    }
  };
  {
    const std::size_t helpers =
        std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), 4) - 1;
    std::vector<std::jthread> threads;
    for (std::size_t k = 0; k < helpers && batch.size() > 1; ++k) threads.emplace_back(work);
    work();
  }  // joined here
  if (failure) std::rethrow_exception(failure);
  for (std::size_t i = 0; i < batch.size(); ++i)  // written later, once, with its links
    batch[i].held->replace_serialised(serialised[i], std::move(link_values[i]));
}

}  // namespace

std::string commitment_link_value(const PassageRecord& stored) {
  if (stored.kind != schema::PassageKind::kCommitment) return {};
  const Record record = read_record(0, stored);
  ValueWriter out;
  out.text(record.id);
  out.text(record.doc);
  out.text(record.type);
  out.text(record.country);
  out.text(record.report_stage);
  out.texts(record.plans);
  out.signed_number(record.number);
  out.text(record.own_ogp_id);
  out.number(record.original_paragraphs.size());
  for (int paragraph : record.original_paragraphs) out.signed_number(paragraph);
  out.words(record.title_words);
  out.ratings(record.irm);
  return out.take() + links_digest(stored.links.value_or(CommitmentLinks{}));
}

namespace {

const std::string& commitment_term() {
  static const std::string kTerm = schema::facet_term(
      *schema::find_facet("kind"), schema::to_string(schema::PassageKind::kCommitment));
  return kTerm;
}

// Every commitment passage, from the value slots; a passage written before the slot existed is
// read from its document data, as it was then.
void read_every_commitment(const Xapian::Database& database, std::vector<Record>& records,
                           std::vector<std::string>& links_before) {
  const std::string& term = commitment_term();
  auto value = database.valuestream_begin(schema::kSlotCommitmentLinks);
  const auto no_more_values = database.valuestream_end(schema::kSlotCommitmentLinks);
  for (auto posting = database.postlist_begin(term); posting != database.postlist_end(term);
       ++posting) {
    if (value != no_more_values && value.get_docid() < *posting) value.skip_to(*posting);
    std::size_t links_at = 0;
    const std::string stored_value =
        value != no_more_values && value.get_docid() == *posting ? *value : std::string();
    if (auto record = record_from_value(*posting, stored_value, links_at)) {
      records.push_back(std::move(*record));
      links_before.push_back(stored_value.substr(links_at));
      continue;
    }
    const PassageRecord stored = PassageRecord::parse(database.get_document(*posting).get_data());
    records.push_back(read_record(*posting, stored));
    links_before.push_back(links_digest(stored.links.value_or(CommitmentLinks{})));
  }
}

// The held commitments' records, after those of the database.
void read_held_commitments(std::span<HeldCommitment* const> held, std::vector<Record>& records,
                           std::vector<std::string>& links_before) {
  for (HeldCommitment* commitment : held) {
    std::size_t links_at = 0;
    std::optional<Record> record = record_from_value(0, commitment->link_value, links_at);
    if (record) {
      links_before.push_back(commitment->link_value.substr(links_at));
    } else {
      const PassageRecord stored = PassageRecord::parse(commitment->document().get_data());
      record = read_record(0, stored);
      links_before.push_back(links_digest(stored.links.value_or(CommitmentLinks{})));
    }
    record->held = commitment;
    records.push_back(std::move(*record));
  }
}

// The commitment passages a run's changes can touch: those written, and every commitment of a
// plan, or with an OGP id, that a commitment written or deleted has, and again of the plans and
// OGP ids of those. Every way of linking (the same OGP id; the same plan and number; titles
// within one country and plan; a plan's original paragraphs) joins commitments that share a
// plan or an OGP id, and what a plan's numbering agrees with is read from that plan's
// commitments alone: linking these alone gives them what linking every commitment would.
void read_touched_commitments(const Xapian::Database& database, const RunChanges& changes,
                              std::span<HeldCommitment* const> held, std::vector<Record>& records,
                              std::vector<std::string>& links_before) {
  const std::string& commitments = commitment_term();
  std::set<Xapian::docid> taken;
  std::set<std::string> plans_done, ids_done;
  std::vector<std::string> plans_to_do, ids_to_do;
  const auto note_keys = [&](const Record& record) {
    for (const std::string& plan : record.plans)
      if (!plan.empty() && plans_done.insert(plan).second) plans_to_do.push_back(plan);
    if (!record.own_ogp_id.empty() && ids_done.insert(record.own_ogp_id).second)
      ids_to_do.push_back(record.own_ogp_id);
  };
  // `stored_value`: its kSlotCommitmentLinks value when read already.
  const auto take = [&](Xapian::docid docid, const std::string* stored_value_read = nullptr) {
    if (!taken.insert(docid).second) return;
    const std::string stored_value = stored_value_read != nullptr
                                         ? *stored_value_read
                                         : database.get_document(docid, Xapian::DOC_ASSUME_VALID)
                                               .get_value(schema::kSlotCommitmentLinks);
    std::size_t links_at = 0;
    if (auto record = record_from_value(docid, stored_value, links_at)) {
      records.push_back(std::move(*record));
      links_before.push_back(stored_value.substr(links_at));
    } else {
      const PassageRecord stored = PassageRecord::parse(database.get_document(docid).get_data());
      if (stored.kind != schema::PassageKind::kCommitment) return;
      records.push_back(read_record(docid, stored));
      links_before.push_back(links_digest(stored.links.value_or(CommitmentLinks{})));
    }
    note_keys(records.back());
  };
  // The commitments among the passages with `term`, their slot 9 read in one pass in docid
  // order: a plan of the generated corpus has some 30,000 commitments, and reading each
  // through its document decoded the value chunk holding it once per commitment.
  const auto take_commitments_with = [&](const std::string& term) {
    std::vector<Xapian::docid> found;
    auto a = database.postlist_begin(term);
    auto b = database.postlist_begin(commitments);
    const auto a_end = database.postlist_end(term);
    const auto b_end = database.postlist_end(commitments);
    while (a != a_end && b != b_end) {
      if (*a < *b) {
        a.skip_to(*b);
      } else if (*b < *a) {
        b.skip_to(*a);
      } else {
        if (!taken.contains(*a)) found.push_back(*a);
        ++a;
      }
    }
    auto value = database.valuestream_begin(schema::kSlotCommitmentLinks);
    const auto no_more_values = database.valuestream_end(schema::kSlotCommitmentLinks);
    for (const Xapian::docid docid : found) {
      if (value != no_more_values && value.get_docid() < docid) value.skip_to(docid);
      const std::string stored_value =
          value != no_more_values && value.get_docid() == docid ? *value : std::string();
      take(docid, &stored_value);
    }
  };

  read_held_commitments(held, records, links_before);
  for (const Record& record : records) note_keys(record);
  // A held commitment's id is in changes.written too, but no posting of the database has it.
  for (const std::string& id : changes.written) {
    if (id.empty()) continue;
    const std::string term = schema::id_term(id);
    for (auto posting = database.postlist_begin(term); posting != database.postlist_end(term);
         ++posting)
      if (!database.get_document(*posting, Xapian::DOC_ASSUME_VALID)
               .get_value(schema::kSlotCommitmentLinks)
               .empty())
        take(*posting);
  }
  for (const std::string& value : changes.deleted_link_values) {
    std::size_t links_at = 0;
    if (auto record = record_from_value(0, value, links_at)) note_keys(*record);
  }
  const schema::Facet& plan_facet = *schema::find_facet("plan");
  const schema::Facet& id_facet = *schema::find_facet("commitment");
  while (!plans_to_do.empty() || !ids_to_do.empty()) {
    if (!plans_to_do.empty()) {
      const std::string plan = std::move(plans_to_do.back());
      plans_to_do.pop_back();
      take_commitments_with(schema::facet_term(plan_facet, plan));
    } else {
      const std::string id = std::move(ids_to_do.back());
      ids_to_do.pop_back();
      // The term is written for a commitment's own OGP id and for the one it was linked to.
      take_commitments_with(schema::facet_term(id_facet, id));
    }
  }
}

}  // namespace

std::size_t link_commitments(Xapian::WritableDatabase& database,
                             const std::function<void(Xapian::docid)>& rewritten) {
  return link_commitments(database, rewritten, nullptr).changed;
}

CommitmentLinking link_commitments(Xapian::WritableDatabase& database,
                                   const std::function<void(Xapian::docid)>& rewritten,
                                   const RunChanges* changes,
                                   std::span<HeldCommitment* const> held) {
  std::vector<Record> records;
  std::vector<std::string> links_before;  // per record, links_digest of its stored links
  // Room for every commitment at once: a record is some 500 bytes, and a vector that grows moves
  // them all, into memory never touched before, at each doubling (a third of linking a plan of
  // 5,000). Only what is filled is ever touched.
  const Xapian::doccount most =
      database.get_termfreq(commitment_term()) + static_cast<Xapian::doccount>(held.size());
  records.reserve(most);
  links_before.reserve(most);
  if (changes == nullptr || changes->too_many) {
    read_every_commitment(database, records, links_before);
    read_held_commitments(held, records, links_before);
  } else {
    read_touched_commitments(database, *changes, held, records, links_before);
  }
  {
    // In passage id order, not docid order (shard_layout.h: passage_id_before): which record
    // comes first decides refused joins, the OGP id a group takes and the order of links.
    std::vector<std::size_t> order(records.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return passage_id_before(records[a].id, records[b].id);
    });
    permute(records, order);
    permute(links_before, std::move(order));
  }

  // Commitments of each plan's own documents, and the OGP website's entries of each plan.
  std::map<PlanNumber, std::vector<std::size_t>> in_plan_documents, ogp_entries, numbered;
  std::map<std::pair<std::string, std::string>, std::set<int>> numbers_per_plan_document;
  std::map<std::pair<std::string, std::string>, std::set<int>> numbers_per_document;
  std::map<std::string, std::set<int>> entry_numbers_per_plan;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Record& record = records[i];
    if (record.number == 0 || record.plans.size() != 1) continue;
    const PlanNumber key{record.plans.front(), record.number};
    if (is_ogp_entry(record)) {
      ogp_entries[key].push_back(i);
      entry_numbers_per_plan[key.first].insert(record.number);
      continue;
    }
    if (record.type == "action-plan") {
      in_plan_documents[key].push_back(i);
      numbers_per_plan_document[{key.first, record.doc}].insert(record.number);
    }
    numbered[key].push_back(i);
    numbers_per_document[{key.first, record.doc}].insert(record.number);
  }
  const auto one_to_n = [](const std::set<int>& numbers) {
    return !numbers.empty() && *numbers.begin() == 1 &&
           *numbers.rbegin() == static_cast<int>(numbers.size());
  };
  // Numbering agrees when a plan document numbers its commitments 1..N and the website lists
  // N entries for that plan; the 2011 plan numbers by paragraph (21-38) and is not matched.
  std::set<std::string> comparable_plans;
  for (const auto& [plan_document, numbers] : numbers_per_plan_document)
    if (one_to_n(numbers) && entry_numbers_per_plan[plan_document.first] == numbers)
      comparable_plans.insert(plan_document.first);
  // Documents about one plan that number its commitments 1..N (the plan, its IRM reports, its
  // self-assessments) number them alike: commitment 3 of each is the same commitment.
  std::set<std::pair<std::string, std::string>> numbered_alike;
  for (const auto& [plan_document, numbers] : numbers_per_document)
    if (one_to_n(numbers)) numbered_alike.insert(plan_document);

  const std::vector<std::uint32_t> documents = documents_by_number(records);
  SameCommitment same(records, documents);
  // 1. The same OGP id.
  std::map<std::string, std::size_t> first_with_id;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (records[i].own_ogp_id.empty()) continue;
    const auto [found, added] = first_with_id.emplace(records[i].own_ogp_id, i);
    if (!added) same.join(i, found->second);
  }
  // 2. The plan's commitment and the website's entry of the same number.
  for (const auto& [key, entries] : ogp_entries)
    if (comparable_plans.contains(key.first) && entries.size() == 1)
      for (std::size_t in_plan : in_plan_documents[key]) same.join(in_plan, entries.front());
  // 3. The same number in documents of one plan numbered alike.
  for (const auto& [key, indexes] : numbered) {
    std::optional<std::size_t> first;
    for (std::size_t i : indexes) {
      if (!numbered_alike.contains({key.first, records[i].doc})) continue;
      if (first && records[*first].doc != records[i].doc) same.join(i, *first);
      if (!first) first = i;
    }
  }
  // 4. Titles that agree, among commitments of one country and one plan (a plan has tens of
  // commitments in each of a few documents: comparing them pairwise costs little).
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> by_country_plan;
  for (std::size_t i = 0; i < records.size(); ++i)
    if (!records[i].title_words.empty() && !records[i].country.empty() &&
        records[i].plans.size() == 1)
      by_country_plan[{records[i].country, records[i].plans.front()}].push_back(i);
  const std::vector<std::vector<std::uint32_t>> titles = title_words_by_number(records);
  std::vector<std::size_t> candidates;
  for (const auto& [bucket, indexes] : by_country_plan) {
    const TitleCandidates title_candidates(titles, indexes);
    for (std::size_t a = 0; a < indexes.size(); ++a) {
      title_candidates.after(a, candidates);
      for (const std::size_t b : candidates) {
        const std::size_t x = indexes[a], y = indexes[b];
        // Already one commitment: joining them would change nothing, and this is the cheaper
        // question. Most pairs of a title shared across a plan's documents end here.
        if (same.root(x) == same.root(y)) continue;
        if (documents[x] != documents[y] && same_title(titles[x], titles[y])) same.join(x, y);
      }
    }
  }

  std::map<std::size_t, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < records.size(); ++i) groups[same.root(i)].push_back(i);

  // Each record's report stage's rank, looked up once, not once per comparison.
  std::vector<int> stage_ranks(records.size());
  for (std::size_t i = 0; i < records.size(); ++i)
    if (!records[i].irm.empty()) stage_ranks[i] = stage_rank(records[i].report_stage);

  std::size_t changed = 0;
  std::size_t rewritten_count = 0;
  // A run from nothing holds every commitment and gives each its links: tens of thousands of
  // documents read back, parsed, serialised again. That is done on every core, a batch at a
  // time (a database's documents are not: Xapian reads them lazily, on one thread).
  std::vector<HeldRelink> held_to_relink;
  held_to_relink.reserve(kHeldRelinkedAtOnce);
  const auto relink_held = [&held_to_relink] {
    relink_in_parallel(held_to_relink);
    held_to_relink.clear();
  };
  for (const auto& [root, members] : groups) {
    // The IRM's ratings reach every document about the commitment, the latest report first.
    std::vector<std::size_t> rated;
    for (std::size_t i : members)
      if (!records[i].irm.empty()) rated.push_back(i);
    std::stable_sort(rated.begin(), rated.end(),
                     [&](std::size_t a, std::size_t b) { return stage_ranks[a] < stage_ranks[b]; });
    // The group's key is its first member's id (records are in passage id order): a member
    // joining later keeps it, unless its own id comes first, so the passages already linked
    // are not rewritten. A group never holds two passages of one document: more than one
    // member means other documents state the commitment.
    const std::string group = members.size() > 1 ? records[members.front()].id : std::string();
    // The OGP id a member without its own is linked to: the first member's that has one.
    std::string group_ogp_id;
    for (std::size_t other : members)
      if (!records[other].own_ogp_id.empty()) {
        group_ogp_id = records[other].own_ogp_id;
        break;
      }
    // What a member takes from the rated members of other documents than its own. A member of
    // a document no rated member is of takes them all: computed once for those (a group of a
    // plan listed in many documents has hundreds of members and of rated ones).
    const auto ratings_for = [&](std::uint32_t document, IrmRatings& ratings,
                                 std::vector<std::string>& rated_by) {
      for (std::size_t other : rated) {
        if (documents[other] == document) continue;
        ratings.complete_from(records[other].irm);
        rated_by.push_back(records[other].id);
      }
    };
    constexpr std::uint32_t kNoDocument = std::numeric_limits<std::uint32_t>::max();
    IrmRatings every_rating;
    std::vector<std::string> rated_by_every;
    ratings_for(kNoDocument, every_rating, rated_by_every);
    const std::string every_rating_encoded = encoded_ratings(every_rating, rated_by_every);
    std::unordered_set<std::uint32_t> rated_documents;
    for (std::size_t other : rated) rated_documents.insert(documents[other]);

    for (std::size_t i : members) {
      const Record& record = records[i];
      CommitmentLinks links;
      links.group = group;
      if (record.own_ogp_id.empty()) links.linked_ogp_id = group_ogp_id;
      const bool rated_alike = !rated_documents.contains(documents[i]);
      if (!rated_alike) ratings_for(documents[i], links.ratings, links.rated_by);
      for (int paragraph : record.original_paragraphs)
        for (const std::string& plan : record.plans)
          for (std::size_t original : in_plan_documents[{plan, paragraph}])
            links.original.push_back(records[original].id);

      // Rewritten only when its links change; a record never linked counts as linked to nothing.
      if (links_digest(links.group, links.original, links.linked_ogp_id,
                       rated_alike
                           ? every_rating_encoded
                           : encoded_ratings(links.ratings, links.rated_by)) == links_before[i])
        continue;
      if (rated_alike) {
        links.ratings = every_rating;
        links.rated_by = rated_by_every;
      }

      // Links that came to nothing are no links, as in a passage never linked: the index is
      // then the same whatever the runs that led to it.
      const bool none = links.group.empty() && links.original.empty() &&
                        links.linked_ogp_id.empty() && links.ratings.empty() &&
                        links.rated_by.empty();
      std::optional<CommitmentLinks> new_links;
      if (!none) new_links = std::move(links);
      ++changed;
      if (record.held != nullptr) {
        held_to_relink.push_back({record.held, std::move(new_links)});
        if (held_to_relink.size() == kHeldRelinkedAtOnce) relink_held();
        continue;
      }
      Xapian::Document document = database.get_document(record.docid);
      relink(document, std::move(new_links));
      database.replace_document(record.docid, document);
      if (rewritten) rewritten(record.docid);
      ++rewritten_count;
    }
  }
  relink_held();
  return {.changed = changed, .rewritten = rewritten_count, .commitments_read = records.size()};
}

}  // namespace lupa::indexer
