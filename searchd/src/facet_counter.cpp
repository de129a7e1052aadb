#include "lupa/searchd/facet_counter.h"

#include <stdexcept>
#include <string_view>
#include <utility>

#include "lupa/analyzers/passage_record.h"
#include "wire_format.h"

namespace lupa::searchd {
namespace {

// `document`'s value in `slot`: from `codes` when they cover the document and keep the slot (a
// value read through Xapian is a look-up of its chunk, for every match), else read from the
// document into `read`. Most passages have no collapse key: they make no string.
std::string_view value_in(const Xapian::Document& document, const FacetCodes* codes,
                          Xapian::valueno slot, std::string& read) {
  const Xapian::docid docid = document.get_docid();
  if (codes && codes->covers(docid))
    if (const auto held = codes->group_key(slot, docid)) return *held;
  read = document.get_value(slot);
  return read;
}

constexpr const char* kFacetCounterBytes = "facet counter";
constexpr const char* kMatchCounterBytes = "match counter";

void put_flags(std::string& out, const std::vector<bool>& flags) {
  std::string bits;
  for (bool flag : flags) bits += flag ? '1' : '0';
  wire::put_string(out, bits);
}

std::vector<bool> read_flags(wire::Reader& in) {
  const std::string_view bits = in.string();
  if (bits.size() > schema::kMaxFacets) throw Xapian::SerialisationError("malformed facet counter");
  std::vector<bool> flags;
  for (char bit : bits) flags.push_back(bit == '1');
  return flags;
}

void put_slot(std::string& out, std::optional<Xapian::valueno> slot) {
  wire::put_number(out, slot ? std::uint64_t{*slot} + 1 : 0);
}

std::optional<Xapian::valueno> read_slot(wire::Reader& in) {
  const std::uint64_t slot = in.number();
  if (slot == 0) return std::nullopt;
  return static_cast<Xapian::valueno>(slot - 1);
}

}  // namespace

FacetCounter::FacetCounter(schema::FacetTable table, std::vector<bool> which,
                           std::optional<Xapian::valueno> collapse_slot, Order order,
                           std::shared_ptr<const FacetCodes> codes)
    : settings_{std::move(which), std::vector<bool>(table.size()), collapse_slot, order},
      codes_(std::move(codes)),
      counts_(table.size()) {
  schema::check_facet_table(table);
  settings_.which.resize(table.size());
  for (std::size_t i = 0; i < table.size(); ++i)
    settings_.tells_translations_apart[i] = table[i].tells_translations_apart;
  if (codes_) {
    for (Part part : {Part::kAll, Part::kCollapsed, Part::kTranslations}) {
      if (part != Part::kAll && !settings_.collapse_slot) break;
      coded_[static_cast<std::size_t>(part)].assign(codes_->size(), 0);
      combined_[static_cast<std::size_t>(part)].assign(codes_->combinations(), 0);
    }
  }
}

FacetCounter::FacetCounter(Settings settings)
    : settings_(std::move(settings)), counts_(settings_.which.size()) {
  settings_.tells_translations_apart.resize(settings_.which.size());
}

std::string FacetCounter::date_key(const Xapian::Document& document) const {
  // The keys the match sorts by: date, then passage id, undated passages last.
  return document.get_value(settings_.order.newest_first ? schema::kSlotNewestFirst
                                                         : schema::kSlotOldestFirst);
}

const std::string& FacetCounter::Kept::tie_key() const {
  if (!stable_key) stable_key = document.get_value(schema::kSlotPassageId);
  return *stable_key;
}

void FacetCounter::operator()(const Xapian::Document& document, double weight) {
  if (merged_only_) return;
  // Reading and decoding the values' slot for every match was most of a query's time: a
  // passage the codes cover is counted from them.
  const Xapian::docid docid = document.get_docid();
  const bool coded = codes_ && codes_->covers(docid);
  if (settings_.collapse_slot) {
    const FacetCodes* held = coded ? codes_.get() : nullptr;
    std::string read_group;
    const std::string_view group = value_in(document, held, *settings_.collapse_slot, read_group);
    if (!group.empty()) {
      std::string read_duplicates;
      const std::string_view duplicates =
          value_in(document, held, schema::kSlotDuplicateGroup, read_duplicates);
      // A near-duplicate group keeps the values that come first in byte order: they are read.
      std::string values = coded && duplicates.empty()
                               ? std::string()
                               : document.get_value(schema::kSlotFacetValues);
      if (!duplicates.empty())
        keep_duplicate(duplicates, values);
      else if (coded)
        count(docid, Part::kTranslations);
      else
        count(values, false, true);
      std::string key = settings_.order.by_date ? date_key(document) : std::string();
      if (coded) values.clear();
      Kept candidate{std::move(key),    weight, std::move(values), {}, document,
                     coded ? docid : 0, {}};
      if (coded) candidate.rank = codes_->rank(schema::kSlotPassageId, docid);
      keep(std::string(group), std::move(candidate));
      return;
    }
  }
  if (coded)
    count(docid, Part::kAll);
  else
    count(document.get_value(schema::kSlotFacetValues), true, true);
}

void FacetCounter::keep(std::string group, Kept candidate) {
  // The document is read while the match holds it (a spy's documents are not valid after the
  // match, on a shard server's match least of all): its stable key now, if it is kept.
  const auto settle_key = [](Kept& kept) {
    if (!kept.rank) kept.tie_key();
    kept.document = Xapian::Document();
  };
  auto [best, added] = best_of_group_.try_emplace(std::move(group), std::move(candidate));
  if (added) {
    settle_key(best->second);
    return;
  }
  Kept& kept = best->second;
  const bool newest = settings_.order.newest_first;
  bool before = false;
  if (candidate.key != kept.key)
    before = newest ? candidate.key > kept.key : candidate.key < kept.key;
  else if (candidate.weight != kept.weight)
    before = candidate.weight > kept.weight;
  else
    before = before_on_tie(candidate, kept);
  if (before) {
    kept = std::move(candidate);
    settle_key(kept);
  }
}

void FacetCounter::absorb(FacetCounter&& other) {
  if (settled_ || other.settled_ || codes_ != other.codes_ ||
      settings_.which != other.settings_.which ||
      settings_.collapse_slot != other.settings_.collapse_slot ||
      settings_.order.by_date != other.settings_.order.by_date ||
      settings_.order.newest_first != other.settings_.order.newest_first)
    throw std::logic_error("facet counters of different matches cannot be merged");
  const auto add = [](auto& mine, const auto& theirs) {
    for (std::size_t part = 0; part < mine.size(); ++part)
      for (std::size_t i = 0; i < mine[part].size(); ++i) mine[part][i] += theirs[part][i];
  };
  add(coded_, other.coded_);
  add(combined_, other.combined_);
  for (std::size_t facet = 0; facet < counts_.size(); ++facet)
    for (const auto& [value, count] : other.counts_[facet]) counts_[facet][value] += count;
  // Each part kept its best passage of a group: the better of the two is the whole match's.
  for (auto& [group, kept] : other.best_of_group_) keep(group, std::move(kept));
  for (const auto& [duplicates, values] : other.duplicate_values_)
    keep_duplicate(duplicates, values);
  other.best_of_group_.clear();
  other.duplicate_values_.clear();
}

bool FacetCounter::before_on_tie(const Kept& candidate, const Kept& kept) {
  if (candidate.rank && kept.rank) return *candidate.rank < *kept.rank;
  if (!candidate.rank && !kept.rank) return candidate.tie_key() < kept.tie_key();
  // One ranked by the table and one it does not cover (added since it was built): the
  // daemon never counts with such a table (SearchService::facet_codes); the ranked one first.
  return candidate.rank.has_value();
}

void FacetCounter::keep_duplicate(std::string_view duplicates, std::string_view values) {
  auto [kept, added] = duplicate_values_.try_emplace(std::string(duplicates), values);
  if (!added && values < kept->second) kept->second = values;
}

const std::map<std::string, Xapian::doccount>& FacetCounter::counts(std::size_t index) {
  settle();
  static const std::map<std::string, Xapian::doccount> kNone;
  return index < counts_.size() ? counts_[index] : kNone;
}

void FacetCounter::settle() {
  if (settled_) return;
  settled_ = true;
  for (const auto& [group, kept] : best_of_group_) {
    if (kept.coded != 0)
      count(kept.coded, Part::kCollapsed);
    else
      count(kept.values, true, false);
  }
  for (const auto& [duplicates, values] : duplicate_values_) count(values, false, true);
  best_of_group_.clear();
  duplicate_values_.clear();
  if (!codes_) return;
  for (Part part : {Part::kAll, Part::kCollapsed, Part::kTranslations}) {
    std::vector<Xapian::doccount>& coded = coded_[static_cast<std::size_t>(part)];
    std::vector<Xapian::doccount>& combined = combined_[static_cast<std::size_t>(part)];
    for (std::size_t combination = 0; combination < combined.size(); ++combination) {
      if (combined[combination] == 0) continue;
      for (const FacetCodes::Code code :
           codes_->combination(static_cast<FacetCodes::Code>(combination)))
        coded[code] += combined[combination];
      combined[combination] = 0;
    }
    for (std::size_t code = 0; code < coded.size(); ++code) {
      if (coded[code] == 0) continue;
      const auto as_code = static_cast<FacetCodes::Code>(code);
      const std::size_t facet = codes_->facet(as_code);
      if (counts_in(facet, part))
        counts_[facet][std::string(codes_->value(as_code))] += coded[code];
      coded[code] = 0;
    }
  }
}

bool FacetCounter::counts_in(std::size_t facet, Part part) const {
  if (facet >= settings_.which.size() || !settings_.which[facet]) return false;
  if (part == Part::kAll) return true;
  return settings_.tells_translations_apart[facet] ? part == Part::kTranslations
                                                   : part == Part::kCollapsed;
}

void FacetCounter::count(Xapian::docid docid, Part part) {
  const FacetCodes::Passage passage = codes_->of(docid);
  ++combined_[static_cast<std::size_t>(part)][passage.combination];
  std::vector<Xapian::doccount>& coded = coded_[static_cast<std::size_t>(part)];
  for (const FacetCodes::Code code : passage.others) ++coded[code];
}

void FacetCounter::count(std::string_view values, bool collapsed_facets, bool translation_facets) {
  const std::vector<bool>& which = settings_.which;
  // The indexer writes each value of a facet once per passage.
  schema::decode_facet_values(values, [&](std::size_t index, std::string_view value) {
    if (index >= which.size() || !which[index]) return;
    if (!(settings_.tells_translations_apart[index] ? translation_facets : collapsed_facets))
      return;
    ++counts_[index][std::string(value)];
  });
}

std::string FacetCounter::name() const {
  return "lupa.FacetCounter";
}

Xapian::MatchSpy* FacetCounter::clone() const {
  return new FacetCounter(settings_);
}

std::string FacetCounter::serialise() const {
  std::string out;
  put_flags(out, settings_.which);
  put_flags(out, settings_.tells_translations_apart);
  put_slot(out, settings_.collapse_slot);
  wire::put_number(out, (settings_.order.by_date ? 1 : 0) | (settings_.order.newest_first ? 2 : 0));
  return out;
}

Xapian::MatchSpy* FacetCounter::unserialise(const std::string& serialised,
                                            const Xapian::Registry&) const {
  wire::Reader in(serialised, kFacetCounterBytes);
  Settings settings;
  settings.which = read_flags(in);
  settings.tells_translations_apart = read_flags(in);
  settings.collapse_slot = read_slot(in);
  const std::uint64_t order = in.number();
  settings.order = {(order & 1) != 0, (order & 2) != 0};
  in.expect_done();
  if (settings.tells_translations_apart.size() != settings.which.size())
    throw Xapian::SerialisationError("malformed facet counter");
  return new FacetCounter(std::move(settings));
}

std::string FacetCounter::serialise_results() const {
  // Only copies made by unserialise() are asked for results, and they have no codes.
  if (codes_) throw std::logic_error("a facet counter reading codes cannot send its results");
  std::string out;
  wire::put_number(out, counts_.size());
  for (const auto& counts : counts_) {
    wire::put_number(out, counts.size());
    for (const auto& [value, count] : counts) {
      wire::put_string(out, value);
      wire::put_number(out, count);
    }
  }
  wire::put_number(out, best_of_group_.size());
  for (const auto& [group, kept] : best_of_group_) {
    wire::put_string(out, group);
    wire::put_string(out, kept.key);
    wire::put_double(out, kept.weight);
    wire::put_string(out, kept.values);
    // The searcher has no document to read it from.
    wire::put_string(out, kept.tie_key());
  }
  wire::put_number(out, duplicate_values_.size());
  for (const auto& [duplicates, values] : duplicate_values_) {
    wire::put_string(out, duplicates);
    wire::put_string(out, values);
  }
  return out;
}

void FacetCounter::merge_results(const std::string& serialised) {
  wire::Reader in(serialised, kFacetCounterBytes);
  const std::uint64_t facets = in.number();
  if (facets > counts_.size()) throw Xapian::SerialisationError("malformed facet counter results");
  for (std::uint64_t i = 0; i < facets; ++i) {
    const std::uint64_t values = in.number();
    for (std::uint64_t v = 0; v < values; ++v) {
      const std::string_view value = in.string();
      counts_[i][std::string(value)] += static_cast<Xapian::doccount>(in.number());
    }
  }
  const std::uint64_t groups = in.number();
  for (std::uint64_t g = 0; g < groups; ++g) {
    std::string group(in.string());
    Kept kept{std::string(in.string()), in.real(), std::string(in.string()), {}, {}, 0, {}};
    kept.stable_key = std::string(in.string());
    keep(std::move(group), std::move(kept));
  }
  const std::uint64_t duplicates = in.number();
  for (std::uint64_t d = 0; d < duplicates; ++d) {
    const std::string group(in.string());
    keep_duplicate(group, in.string());
  }
  in.expect_done();
}

void MatchCounter::operator()(const Xapian::Document& document, double) {
  if (merged_only_) return;
  ++seen_;
  if (!collapse_slot_) return;
  std::string read;
  const std::string_view key = value_in(document, codes_.get(), *collapse_slot_, read);
  if (key.empty())
    ++without_key_;
  else
    ++keys_[std::string(key)];
}

Xapian::doccount MatchCounter::collapsed_total() const {
  if (!collapse_slot_) return seen_;
  return without_key_ + static_cast<Xapian::doccount>(keys_.size());
}

Xapian::doccount MatchCounter::collapsed_into(const std::string& key) const {
  const auto found = keys_.find(key);
  return found == keys_.end() || found->second == 0 ? 0 : found->second - 1;
}

void MatchCounter::absorb(const MatchCounter& other) {
  if (collapse_slot_ != other.collapse_slot_)
    throw std::logic_error("match counters of different matches cannot be merged");
  seen_ += other.seen_;
  without_key_ += other.without_key_;
  for (const auto& [key, count] : other.keys_) keys_[key] += count;
}

std::string MatchCounter::name() const {
  return "lupa.MatchCounter";
}

std::string MatchCounter::serialise() const {
  std::string out;
  put_slot(out, collapse_slot_);
  return out;
}

Xapian::MatchSpy* MatchCounter::unserialise(const std::string& serialised,
                                            const Xapian::Registry&) const {
  wire::Reader in(serialised, kMatchCounterBytes);
  const std::optional<Xapian::valueno> slot = read_slot(in);
  in.expect_done();
  return new MatchCounter(slot);
}

std::string MatchCounter::serialise_results() const {
  std::string out;
  wire::put_number(out, seen_);
  wire::put_number(out, without_key_);
  wire::put_number(out, keys_.size());
  for (const auto& [key, count] : keys_) {
    wire::put_string(out, key);
    wire::put_number(out, count);
  }
  return out;
}

void MatchCounter::merge_results(const std::string& serialised) {
  wire::Reader in(serialised, kMatchCounterBytes);
  seen_ += static_cast<Xapian::doccount>(in.number());
  without_key_ += static_cast<Xapian::doccount>(in.number());
  const std::uint64_t keys = in.number();
  for (std::uint64_t k = 0; k < keys; ++k) {
    const std::string key(in.string());
    keys_[key] += static_cast<Xapian::doccount>(in.number());
  }
  in.expect_done();
}

}  // namespace lupa::searchd
