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
// And it keeps where each passage's id (schema::kSlotPassageId) comes in byte order: a match
// sorted by relevance then passage id read that slot for every candidate, which was over half
// of the match's time; ordered by these ranks instead (FacetCodes::order_key), it reads nothing.
//
// Most of a passage's values repeat over many passages (a file's plan, type, year and country
// are every one of its passages', say). Facets whose per-passage sets of values, taken together,
// form few distinct combinations over the index (FacetCodes::build picks them from the data) are
// kept as one combination per passage: a match then counts its combination once and the codes
// of its other values one by one, and the counter expands combinations into values once, when
// it settles (reading each passage's codes was most of the facet counting's time).
//
// Memory: 16 bytes per document id up to the database's last one, plus 2 for its combination,
// 2 bytes per value of a passage not in its combination (about 7 of 13 values on the generated
// corpus), each combination's codes once (at most one combination per kPassagesPerCombination
// document ids), and each distinct collapse key once, so some 35 MB for a million passages.
// The table is not built (and
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
  /// The values of a passage: a combination of values (combination()) and the codes of the
  /// others.
  struct Passage {
    Code combination;
    std::span<const Code> others;
  };
  /// The values of passage `docid`, which the table must cover.
  Passage of(Xapian::docid docid) const {
    // Each passage's codes start with its combination's.
    const Code* first = codes_.data() + offsets_[docid];
    return {*first, {first + 1, codes_.data() + offsets_[docid + 1]}};
  }
  /// Distinct combinations; they run from 0 to combinations() - 1. One, holding no value, when
  /// no facet's values repeat enough to be combined (none when the index is empty).
  std::size_t combinations() const { return combination_offsets_.size() - 1; }
  /// The codes of the values of `combination`.
  std::span<const Code> combination(Code combination) const {
    return {combination_codes_.data() + combination_offsets_[combination],
            combination_codes_.data() + combination_offsets_[combination + 1]};
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

  /// Where passage `docid`'s value in `slot` comes among every passage's, in byte order:
  /// passages with equal values share a rank, and a passage without one ranks first (0), as
  /// its empty value sorts first; nullopt when the table does not keep the slot
  /// (schema::kSlotPassageId only) or does not cover `docid`.
  std::optional<std::uint32_t> rank(Xapian::valueno slot, Xapian::docid docid) const;
  /// rank() as four bytes, most significant first: keys in the order of the slot's values.
  static std::string order_key(std::uint32_t rank);
  /// Whether the table covers every document id of `database` (it was built from it at its
  /// revision): a match sorted by order_key() then meets no passage without a rank.
  bool covers_every_passage_of(const Xapian::Database& database) const {
    return covers(database.get_lastdocid()) || database.get_lastdocid() == 0;
  }

 private:
  /// Facets combined: when their sets of values over the index form at most one combination
  /// per this many document ids. Also bounds the combinations a counter expands on settling.
  static constexpr std::size_t kPassagesPerCombination = 16;

  /// Combines the values of the facets whose sets of values repeat most, while they form few
  /// enough combinations; `codes_` then holds each passage's combination, then its other codes.
  void combine_repeated_values();

  std::vector<std::uint32_t> offsets_;  ///< per document id, where its codes start in codes_
  std::vector<Code> codes_;
  std::vector<std::uint32_t> combination_offsets_;  ///< where each combination's codes start
  std::vector<Code> combination_codes_;
  std::vector<std::size_t> facets_;  ///< per code
  std::vector<std::string> values_;  ///< per code
  /// Per document id, the index in group_keys_ of its kSlotShownOnce and kSlotDuplicateGroup
  /// values (0: none).
  std::vector<std::uint32_t> shown_once_;
  std::vector<std::uint32_t> duplicate_group_;
  std::vector<std::string> group_keys_{std::string()};
  std::vector<std::uint32_t> passage_id_ranks_;  ///< per document id
};

/// Sorts a match by FacetCodes::order_key() of a slot the table ranks: the order of the slot's
/// values without reading them. Only for the single local database the table was built from at
/// the match's revision (FacetCodes::covers_every_passage_of): the remote backend cannot carry a
/// KeyMaker, and over several databases document ids are not the table's.
class RankKeyMaker final : public Xapian::KeyMaker {
 public:
  RankKeyMaker(std::shared_ptr<const FacetCodes> codes, Xapian::valueno slot)
      : codes_(std::move(codes)), slot_(slot) {}
  std::string operator()(const Xapian::Document& document) const override;

 private:
  std::shared_ptr<const FacetCodes> codes_;
  Xapian::valueno slot_;
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
