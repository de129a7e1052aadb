// Counts facet values over every match of a query, for exact facet counts.
#pragma once

#include <xapian.h>

#include <array>
#include <map>
#include <string>

#include "lupa/analyzers/schema.h"

namespace lupa::searchd {

/// A MatchSpy reading schema::kSlotFacetValues, which holds every counted facet value of a
/// passage, so each match costs one value read whatever the number of facets. Xapian's own
/// ValueCountMatchSpy counts one value per slot, which is wrong for multi-valued facets and
/// would need a slot read per facet.
class FacetCounter final : public Xapian::MatchSpy {
 public:
  /// Counts the facets whose position in schema::kFacets is set in `which`.
  explicit FacetCounter(std::array<bool, schema::kFacets.size()> which) : which_(which) {}

  void operator()(const Xapian::Document& document, double weight) override;

  /// Passages seen per value of the facet at `index` in schema::kFacets.
  const std::map<std::string, Xapian::doccount>& counts(std::size_t index) const {
    return counts_[index];
  }

 private:
  std::array<bool, schema::kFacets.size()> which_;
  std::array<std::map<std::string, Xapian::doccount>, schema::kFacets.size()> counts_;
};

}  // namespace lupa::searchd
