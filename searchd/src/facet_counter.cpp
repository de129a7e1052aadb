#include "lupa/searchd/facet_counter.h"

#include <string_view>

namespace lupa::searchd {
namespace {

std::size_t index_of_facet(std::string_view name) {
  for (std::size_t i = 0; i < schema::kFacets.size(); ++i)
    if (schema::kFacets[i].name == name) return i;
  return schema::kFacets.size();
}

}  // namespace

FacetCounter::FacetCounter(std::array<bool, schema::kFacets.size()> which,
                           std::optional<Xapian::valueno> collapse_slot)
    : which_(which), collapse_slot_(collapse_slot), uncollapsed_facet_(index_of_facet("lang")) {}

void FacetCounter::operator()(const Xapian::Document& document, double weight) {
  std::string values = document.get_value(schema::kSlotFacetValues);
  if (collapse_slot_) {
    std::string group = document.get_value(*collapse_slot_);
    if (!group.empty()) {
      count(values, false, true);
      auto [best, added] = best_of_group_.try_emplace(std::move(group), weight, std::string());
      if (added || weight > best->second.first) best->second = {weight, std::move(values)};
      return;
    }
  }
  count(values, true, true);
}

const std::map<std::string, Xapian::doccount>& FacetCounter::counts(std::size_t index) {
  for (const auto& [group, best] : best_of_group_) count(best.second, true, false);
  best_of_group_.clear();
  return counts_[index];
}

// `collapsed_facets`: count the facets that follow collapsing; `other_facets`: the one that
// counts every passage (lang).
void FacetCounter::count(std::string_view values, bool collapsed_facets, bool other_facets) {
  std::string_view rest = values;
  while (rest.size() > 1) {
    const std::size_t end = rest.find(schema::kValueSeparator);
    const std::string_view entry = rest.substr(0, end);
    // The indexer writes each value of a facet once per passage.
    const std::size_t index = entry.empty() ? which_.size() : schema::facet_index_of_code(entry[0]);
    const bool wanted = index == uncollapsed_facet_ ? other_facets : collapsed_facets;
    if (wanted && index < which_.size() && which_[index] && entry.size() > 1) {
      auto& counts = counts_[index];
      const std::string value(entry.substr(1));
      auto found = counts.find(value);
      if (found == counts.end())
        counts.emplace(value, 1);
      else
        ++found->second;
    }
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
}

}  // namespace lupa::searchd
