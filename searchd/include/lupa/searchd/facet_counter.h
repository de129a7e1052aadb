// Counts facet values over every match of a query, for exact facet counts.
#pragma once

#include <xapian.h>

#include <map>
#include <string>

namespace lupa::searchd {

/// A MatchSpy for a multi-valued facet: its slot holds the passage's values joined by
/// schema::kValueSeparator, and each value is counted once per passage. Xapian's own
/// ValueCountMatchSpy counts a slot's whole content as one value, which is wrong here.
class FacetCounter final : public Xapian::MatchSpy {
 public:
  explicit FacetCounter(Xapian::valueno slot) : slot_(slot) {}

  void operator()(const Xapian::Document& document, double weight) override;

  /// Passages seen per value.
  const std::map<std::string, Xapian::doccount>& counts() const { return counts_; }

 private:
  Xapian::valueno slot_;
  std::map<std::string, Xapian::doccount> counts_;
};

}  // namespace lupa::searchd
