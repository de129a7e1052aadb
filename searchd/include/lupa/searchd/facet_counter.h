// Counts facet values over every match of a query, for exact facet counts.
#pragma once

#include <xapian.h>

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "lupa/analyzers/schema.h"

namespace lupa::searchd {

/// A MatchSpy reading schema::kSlotFacetValues, which holds every counted facet value of a
/// passage, so each match costs one value read whatever the number of facets. Xapian's own
/// ValueCountMatchSpy counts one value per slot, which is wrong for multi-valued facets and
/// would need a slot read per facet.
class FacetCounter final : public Xapian::MatchSpy {
 public:
  /// Counts the facets whose position in schema::kFacets is set in `which`. With
  /// `collapse_slot`, passages sharing a non-empty value there count once, as the one of
  /// highest weight: the match collapses them the same way (Enquire::set_collapse_key) but
  /// shows its spies every candidate. The `lang` facet still counts both: its values are what
  /// a `lang` filter, which turns collapsing off, would give.
  explicit FacetCounter(std::array<bool, schema::kFacets.size()> which,
                        std::optional<Xapian::valueno> collapse_slot = std::nullopt);
  void operator()(const Xapian::Document& document, double weight) override;

  /// Passages seen per value of the facet at `index` in schema::kFacets.
  const std::map<std::string, Xapian::doccount>& counts(std::size_t index);

 private:
  void count(std::string_view values, bool collapsed_facets, bool other_facets);

  std::array<bool, schema::kFacets.size()> which_;
  std::optional<Xapian::valueno> collapse_slot_;
  std::size_t uncollapsed_facet_;
  std::unordered_map<std::string, std::pair<double, std::string>> best_of_group_;
  std::array<std::map<std::string, Xapian::doccount>, schema::kFacets.size()> counts_;
};

}  // namespace lupa::searchd
