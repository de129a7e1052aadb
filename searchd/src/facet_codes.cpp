#include "lupa/searchd/facet_codes.h"

#include <limits>
#include <unordered_map>

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
  return table;
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
