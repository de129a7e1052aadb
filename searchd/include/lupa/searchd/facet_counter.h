// Counts facet values over every match of a query, for exact facet counts.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "lupa/analyzers/schema.h"
#include "lupa/searchd/facet_codes.h"

namespace lupa::searchd {

/// The order a match keeps the first passage of a collapsed group by, when it is not by
/// weight alone: by `key` (`descending`: the greatest first), then by weight. The key maker
/// must outlive the counter given it.
struct CollapseOrder {
  const Xapian::KeyMaker* key = nullptr;
  bool descending = false;
};

/// A MatchSpy reading schema::kSlotFacetValues, which holds every counted facet value of a
/// passage, so each match costs one value read whatever the number of facets. Xapian's own
/// ValueCountMatchSpy counts one value per slot, which is wrong for multi-valued facets and
/// would need a slot read per facet.
class FacetCounter final : public Xapian::MatchSpy {
 public:
  /// Counts the facets of `table` whose position is set in `which` (positions past its end
  /// count nothing). With `collapse_slot`, passages sharing a non-empty value there count once,
  /// as the one the match keeps (of highest weight, or first in `order`): the match collapses them
  /// the same way (Enquire::set_collapse_key) but shows its spies every candidate. Facets that tell
  /// translations apart (the language) still count both, but near-duplicates (a shared
  /// schema::kSlotDuplicateGroup) once: their values are what a filter on them, which
  /// collapses near-duplicates only, would give. Throws std::invalid_argument unless `table`
  /// is the standard table with entries appended (schema::check_facet_table): a facet's
  /// position is its code in the slot.
  /// `order`: how the match orders passages when it is not by relevance alone (a sort by
  /// date), so that a collapsed group counts as the passage the match keeps of it.
  /// `codes`: the values of the database the match runs on, read once (FacetCodes); a passage
  /// it does not cover, or every passage without it, is counted from its slot.
  using Order = CollapseOrder;
  FacetCounter(schema::FacetTable table, std::vector<bool> which,
               std::optional<Xapian::valueno> collapse_slot = std::nullopt, Order order = {},
               std::shared_ptr<const FacetCodes> codes = nullptr);
  void operator()(const Xapian::Document& document, double weight) override;

  /// Passages seen per value of the facet at `index` in the table.
  const std::map<std::string, Xapian::doccount>& counts(std::size_t index);

 private:
  /// Which facets a passage counts for: every one, those that follow collapsing (as the
  /// passage a collapsed group is shown as), or those that tell translations apart.
  enum class Part : std::uint8_t { kAll, kCollapsed, kTranslations };
  void count(std::string_view values, Part part);
  void count(Xapian::docid docid, Part part);
  /// Adds what the match left pending (collapsed groups, coded counts) to counts_.
  void finish();
  bool counts_in(std::size_t facet, Part part) const;

  std::vector<bool> which_;
  std::vector<bool> tells_translations_apart_;
  std::optional<Xapian::valueno> collapse_slot_;
  struct Kept {
    std::string key;  ///< the order's key; empty without one
    double weight;
    Xapian::docid docid;  ///< when `codes_` covers it; else 0 and its slot in `values`
    std::string values;
  };
  Order order_;
  std::shared_ptr<const FacetCodes> codes_;
  /// Per code of codes_, the passages counted for each Part.
  std::vector<Xapian::doccount> coded_[3];
  std::unordered_map<std::string, Kept> best_of_group_;
  std::unordered_set<std::string> counted_duplicates_;  // for facets telling translations apart
  std::vector<std::map<std::string, Xapian::doccount>> counts_;
};

}  // namespace lupa::searchd
