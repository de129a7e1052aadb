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
  table->codes_.shrink_to_fit();
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
