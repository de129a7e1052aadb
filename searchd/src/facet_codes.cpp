#include "lupa/searchd/facet_codes.h"

#include <algorithm>
#include <limits>
#include <unordered_map>
#include <utility>

#include "lupa/analyzers/passage_record.h"
#include "lupa/analyzers/schema.h"

namespace lupa::searchd {
namespace {

// Document ids past this many per passage (an index re-written many times over) would make
// the per-id offsets the bulk of the table: the slot is read instead.
constexpr Xapian::docid kMaxDocidsPerPassage = 4;
constexpr Xapian::docid kDocidSlack = 65536;

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

}  // namespace

std::shared_ptr<const FacetCodes> FacetCodes::build(const Xapian::Database& database) {
  const Xapian::docid last = database.get_lastdocid();
  if (last > kMaxDocidsPerPassage * database.get_doccount() + kDocidSlack) return nullptr;
  auto table = std::make_shared<FacetCodes>();
  table->offsets_.assign(static_cast<std::size_t>(last) + 2, 0);
  // Keyed by facet code and value: no two facets share a code.
  std::unordered_map<std::string, Code, TransparentHash, std::equal_to<>> known;
  // offsets_[id] is where the codes of `id` start and offsets_[id + 1] where they end; ids
  // without values (deleted, or with no counted facet) start and end at once.
  Xapian::docid set_through = 0;  // offsets_ is set up to this index
  const auto close_up_to = [&](Xapian::docid index) {
    for (; set_through < index; ++set_through)
      table->offsets_[set_through + 1] = static_cast<std::uint32_t>(table->codes_.size());
  };
  for (auto slot = database.valuestream_begin(schema::kSlotFacetValues);
       slot != database.valuestream_end(schema::kSlotFacetValues); ++slot) {
    const Xapian::docid docid = slot.get_docid();
    close_up_to(docid);
    const std::string values = *slot;
    bool full = false;
    schema::decode_facet_values(values, [&](std::size_t facet, std::string_view value) {
      // The entry as the slot holds it: the byte before the value is the facet's code.
      const std::string_view entry(value.data() - 1, value.size() + 1);
      auto found = known.find(entry);
      if (found == known.end()) {
        if (known.size() == kMaxCodes) {
          full = true;
          return;
        }
        found = known.emplace(std::string(entry), static_cast<Code>(known.size())).first;
        table->facets_.push_back(facet);
        table->values_.emplace_back(value);
      }
      table->codes_.push_back(found->second);
    });
    if (full || table->codes_.size() >= std::numeric_limits<std::uint32_t>::max()) return nullptr;
    close_up_to(docid + 1);
  }
  close_up_to(last + 1);
  // Each document id gains one code, its combination's.
  if (table->codes_.size() + table->offsets_.size() >= std::numeric_limits<std::uint32_t>::max())
    return nullptr;
  table->combine_repeated_values();
  std::unordered_map<std::string, std::uint32_t> group_numbers;
  for (const auto& [slot, numbers] :
       {std::pair{schema::kSlotShownOnce, &table->shown_once_},
        std::pair{schema::kSlotDuplicateGroup, &table->duplicate_group_}}) {
    numbers->assign(table->offsets_.size(), 0);
    for (auto value = database.valuestream_begin(slot); value != database.valuestream_end(slot);
         ++value) {
      const auto [found, added] =
          group_numbers.try_emplace(*value, static_cast<std::uint32_t>(table->group_keys_.size()));
      if (added) table->group_keys_.push_back(found->first);
      (*numbers)[value.get_docid()] = found->second;
    }
  }
  // Ranks in byte order of the ids, as Xapian compares sort values (0: no id).
  table->passage_id_ranks_.assign(table->offsets_.size(), 0);
  std::vector<std::pair<std::string, Xapian::docid>> ids;
  ids.reserve(database.get_doccount());
  for (auto value = database.valuestream_begin(schema::kSlotPassageId);
       value != database.valuestream_end(schema::kSlotPassageId); ++value)
    ids.emplace_back(*value, value.get_docid());
  std::sort(ids.begin(), ids.end());
  std::uint32_t rank = 0;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i == 0 || ids[i].first != ids[i - 1].first) ++rank;
    table->passage_id_ranks_[ids[i].second] = rank;
  }
  return table;
}

void FacetCodes::combine_repeated_values() {
  // Document ids run from 1 to ids - 1; id 0 is none, its codes are empty, without a combination.
  const std::size_t ids = offsets_.size() - 1;
  const std::size_t most =
      std::min(kMaxCodes, std::max<std::size_t>(1, (ids - 1) / kPassagesPerCombination));
  std::size_t facet_count = 0;
  for (const std::size_t facet : facets_) facet_count = std::max(facet_count, facet + 1);
  // The codes of `facet`'s values in passage `id`, as bytes: its set of values (empty: none).
  std::string set;
  const auto set_of = [&](std::size_t id, std::size_t facet) -> const std::string& {
    set.clear();
    for (std::uint32_t i = offsets_[id]; i < offsets_[id + 1]; ++i)
      if (facets_[codes_[i]] == facet)
        set.append(reinterpret_cast<const char*>(&codes_[i]), sizeof(Code));
    return set;
  };
  // Per facet, its distinct sets of values, numbered (0: none); a facet with more than `most`
  // cannot be combined, and its sets are no longer gathered.
  std::vector<std::unordered_map<std::string, std::uint32_t>> sets(facet_count);
  std::vector<bool> too_many(facet_count);
  std::vector<std::string> sets_of_passage(facet_count);
  for (std::size_t id = 1; id < ids; ++id) {
    for (std::uint32_t i = offsets_[id]; i < offsets_[id + 1]; ++i)
      sets_of_passage[facets_[codes_[i]]].append(reinterpret_cast<const char*>(&codes_[i]),
                                                 sizeof(Code));
    for (std::uint32_t i = offsets_[id]; i < offsets_[id + 1]; ++i) {
      const std::size_t facet = facets_[codes_[i]];
      std::string& of_facet = sets_of_passage[facet];
      if (of_facet.empty()) continue;  // its facet's set was taken at its first code
      if (!too_many[facet]) {
        // Numbered from 1; 0 is the empty set, which is not kept.
        sets[facet].try_emplace(std::move(of_facet),
                                static_cast<std::uint32_t>(sets[facet].size() + 1));
        too_many[facet] = sets[facet].size() + 1 > most;
        if (too_many[facet]) sets[facet] = {};
      }
      of_facet.clear();
    }
  }
  // Fewest distinct sets first: those most likely to repeat together.
  std::vector<std::size_t> by_sets(facet_count);
  for (std::size_t facet = 0; facet < facet_count; ++facet) by_sets[facet] = facet;
  std::stable_sort(by_sets.begin(), by_sets.end(),
                   [&](std::size_t a, std::size_t b) { return sets[a].size() < sets[b].size(); });
  const auto set_number = [&](std::size_t id, std::size_t facet) -> std::uint32_t {
    const std::string& of_facet = set_of(id, facet);
    return of_facet.empty() ? 0 : sets[facet].at(of_facet);
  };
  std::vector<bool> combined(facet_count);
  std::vector<std::uint32_t> combination_of(ids, 0);  // per document id
  std::vector<std::uint32_t> with_facet(ids);
  for (const std::size_t facet : by_sets) {
    if (too_many[facet] || sets[facet].empty()) continue;
    // A combination with this facet: the one without it and the facet's set.
    std::unordered_map<std::uint64_t, std::uint32_t> combinations;
    bool fits = true;
    for (std::size_t id = 1; id < ids && fits; ++id) {
      const std::uint64_t key = (std::uint64_t{combination_of[id]} << 32) | set_number(id, facet);
      with_facet[id] =
          combinations.try_emplace(key, static_cast<std::uint32_t>(combinations.size()))
              .first->second;
      fits = combinations.size() <= most;
    }
    if (!fits) continue;
    combined[facet] = true;
    combination_of.swap(with_facet);
  }
  // Each passage's codes become its combination's, then those of its other values.
  std::vector<std::uint32_t> offsets(offsets_.size(), 0);
  std::vector<Code> codes;
  codes.reserve(codes_.size() + ids);
  combination_offsets_.assign(1, 0);
  for (std::size_t id = 1; id < ids; ++id) {
    const std::uint32_t number = combination_of[id];
    if (number == combinations()) {
      // A combination's first passage: they are numbered in that order.
      for (std::uint32_t i = offsets_[id]; i < offsets_[id + 1]; ++i)
        if (combined[facets_[codes_[i]]]) combination_codes_.push_back(codes_[i]);
      combination_offsets_.push_back(static_cast<std::uint32_t>(combination_codes_.size()));
    }
    codes.push_back(static_cast<Code>(number));
    for (std::uint32_t i = offsets_[id]; i < offsets_[id + 1]; ++i)
      if (!combined[facets_[codes_[i]]]) codes.push_back(codes_[i]);
    offsets[id + 1] = static_cast<std::uint32_t>(codes.size());
  }
  codes.shrink_to_fit();
  codes_ = std::move(codes);
  offsets_ = std::move(offsets);
}

std::optional<std::uint32_t> FacetCodes::rank(Xapian::valueno slot, Xapian::docid docid) const {
  if (slot != schema::kSlotPassageId || !covers(docid)) return std::nullopt;
  return passage_id_ranks_[docid];
}

std::string FacetCodes::order_key(std::uint32_t rank) {
  return {static_cast<char>(rank >> 24), static_cast<char>(rank >> 16),
          static_cast<char>(rank >> 8), static_cast<char>(rank)};
}

std::string RankKeyMaker::operator()(const Xapian::Document& document) const {
  // Covered by the caller's check (covers_every_passage_of); a passage added since would sort
  // as one without a value rather than fail the request.
  return FacetCodes::order_key(codes_->rank(slot_, document.get_docid()).value_or(0));
}

std::optional<std::string_view> FacetCodes::group_key(Xapian::valueno slot,
                                                      Xapian::docid docid) const {
  if (slot == schema::kSlotShownOnce) return group_keys_[shown_once_[docid]];
  if (slot == schema::kSlotDuplicateGroup) return group_keys_[duplicate_group_[docid]];
  return std::nullopt;
}

std::shared_ptr<const FacetCodes> FacetCodesCache::get(const Xapian::Database& database,
                                                       const std::string& revision) {
  std::lock_guard lock(mutex_);
  if (!built_ || revision != revision_) {
    codes_ = FacetCodes::build(database);
    revision_ = revision;
    built_ = true;
  }
  return codes_;
}

}  // namespace lupa::searchd
