// Every passage's counted facet values as small integer codes, read once per revision of the
// index. Counting facets over a match then costs a walk over a few codes per passage instead
// of reading and decoding its schema::kSlotFacetValues value: reading that slot for tens of
// thousands of matches was most of a query's time (it is some 160 bytes a passage, so a query
// matching half the index read half of it through the value table's blocks).
//
// The same table keeps every passage's collapse keys (schema::kSlotShownOnce and
// kSlotDuplicateGroup), which the match counters read for every match too: read through
// Xapian, each is a look-up of the value's chunk, and with the match's own reads of other slots
// in between, each such look-up reads the chunk's blocks again.
//
// Memory: 12 bytes per document id up to the database's last one, 2 bytes per value of a
// passage (about 10), and each distinct collapse key once, so some 40 MB for a million
// passages. The table is not built (and
// counting reads the slot, as before) when the index holds more distinct values than a code
// can name, or when its document ids are so sparse that the first figure would dwarf the
// second (see FacetCodes::build).
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lupa::searchd {

class FacetCodes {
 public:
  using Code = std::uint16_t;
  static constexpr std::size_t kMaxCodes = 65536;

  /// The table of `database`, or null when it would not fit the bounds above. Only for a
  /// single database: over several shards a spy sees each document's id in its own shard.
  static std::shared_ptr<const FacetCodes> build(const Xapian::Database& database);

  /// Whether the table knows `docid` (a document id of the database it was built from).
  bool covers(Xapian::docid docid) const { return docid != 0 && docid + 1 < offsets_.size(); }
  /// The codes of the values of passage `docid`, which the table must cover.
  std::span<const Code> of(Xapian::docid docid) const {
    return {codes_.data() + offsets_[docid], codes_.data() + offsets_[docid + 1]};
  }

  /// Distinct values; codes run from 0 to size() - 1.
  std::size_t size() const { return facets_.size(); }
  /// The position in the facet table of the facet a code's value belongs to.
  std::size_t facet(Code code) const { return facets_[code]; }
  std::string_view value(Code code) const { return values_[code]; }

  /// The value of passage `docid` (which the table must cover) in `slot` when the table keeps
  /// that slot (kSlotShownOnce, kSlotDuplicateGroup), empty when the passage has none; nullopt
  /// for another slot.
  std::optional<std::string_view> group_key(Xapian::valueno slot, Xapian::docid docid) const;

 private:
  std::vector<std::uint32_t> offsets_;  ///< per document id, where its codes start in codes_
  std::vector<Code> codes_;
  std::vector<std::size_t> facets_;  ///< per code
  std::vector<std::string> values_;  ///< per code
  /// Per document id, the index in group_keys_ of its kSlotShownOnce and kSlotDuplicateGroup
  /// values (0: none).
  std::vector<std::uint32_t> shown_once_;
  std::vector<std::uint32_t> duplicate_group_;
  std::vector<std::string> group_keys_{std::string()};
};

/// The FacetCodes of the newest revision asked for, built by the first request that needs it
/// while the others wait for it (they would have to build it themselves otherwise).
class FacetCodesCache {
 public:
  /// The table of `database` at `revision` (a string that changes whenever the index does);
  /// null when the index does not fit a table.
  std::shared_ptr<const FacetCodes> get(const Xapian::Database& database,
                                        const std::string& revision);

 private:
  std::mutex mutex_;
  bool built_ = false;
  std::string revision_;
  std::shared_ptr<const FacetCodes> codes_;
};

}  // namespace lupa::searchd
