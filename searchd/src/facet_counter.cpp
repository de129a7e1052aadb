#include "lupa/searchd/facet_counter.h"

#include <string_view>
#include <utility>

#include "lupa/analyzers/passage_record.h"

namespace lupa::searchd {

FacetCounter::FacetCounter(schema::FacetTable table, std::vector<bool> which,
                           std::optional<Xapian::valueno> collapse_slot, Order order)
    : which_(std::move(which)),
      tells_translations_apart_(table.size()),
      collapse_slot_(collapse_slot),
      order_(order),
      counts_(table.size()) {
  schema::check_facet_table(table);
  which_.resize(table.size());
  for (std::size_t i = 0; i < table.size(); ++i)
    tells_translations_apart_[i] = table[i].tells_translations_apart;
}

void FacetCounter::operator()(const Xapian::Document& document, double weight) {
  std::string values = document.get_value(schema::kSlotFacetValues);
  if (collapse_slot_) {
    std::string group = document.get_value(*collapse_slot_);
    if (!group.empty()) {
      const std::string duplicates = document.get_value(schema::kSlotDuplicateGroup);
      count(values, false, duplicates.empty() || counted_duplicates_.insert(duplicates).second);
      std::string key = order_.key ? (*order_.key)(document) : std::string();
      auto [best, added] = best_of_group_.try_emplace(std::move(group), Kept{key, weight, {}});
      Kept& kept = best->second;
      const bool before = key != kept.key ? (order_.descending ? key > kept.key : key < kept.key)
                                          : weight > kept.weight;
      if (added || before) kept = {std::move(key), weight, std::move(values)};
      return;
    }
  }
  count(values, true, true);
}

const std::map<std::string, Xapian::doccount>& FacetCounter::counts(std::size_t index) {
  for (const auto& [group, kept] : best_of_group_) count(kept.values, true, false);
  best_of_group_.clear();
  static const std::map<std::string, Xapian::doccount> kNone;
  return index < counts_.size() ? counts_[index] : kNone;
}

void FacetCounter::count(std::string_view values, bool collapsed_facets, bool translation_facets) {
  // The indexer writes each value of a facet once per passage.
  schema::decode_facet_values(values, [&](std::size_t index, std::string_view value) {
    if (index >= which_.size() || !which_[index]) return;
    if (!(tells_translations_apart_[index] ? translation_facets : collapsed_facets)) return;
    ++counts_[index][std::string(value)];
  });
}

}  // namespace lupa::searchd
