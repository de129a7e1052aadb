#include "lupa/searchd/facet_counter.h"

#include <string_view>
#include <utility>

#include "lupa/analyzers/passage_record.h"

namespace lupa::searchd {

FacetCounter::FacetCounter(schema::FacetTable table, std::vector<bool> which,
                           std::optional<Xapian::valueno> collapse_slot, Order order,
                           std::shared_ptr<const FacetCodes> codes)
    : which_(std::move(which)),
      tells_translations_apart_(table.size()),
      collapse_slot_(collapse_slot),
      order_(order),
      codes_(std::move(codes)),
      counts_(table.size()) {
  schema::check_facet_table(table);
  which_.resize(table.size());
  for (std::size_t i = 0; i < table.size(); ++i)
    tells_translations_apart_[i] = table[i].tells_translations_apart;
  if (codes_) {
    coded_[static_cast<std::size_t>(Part::kAll)].assign(codes_->size(), 0);
    if (collapse_slot_)
      for (Part part : {Part::kCollapsed, Part::kTranslations})
        coded_[static_cast<std::size_t>(part)].assign(codes_->size(), 0);
  }
}

void FacetCounter::operator()(const Xapian::Document& document, double weight) {
  const Xapian::docid docid = document.get_docid();
  const bool coded = codes_ && codes_->covers(docid);
  if (collapse_slot_) {
    std::string group = document.get_value(*collapse_slot_);
    if (!group.empty()) {
      std::string values = coded ? std::string() : document.get_value(schema::kSlotFacetValues);
      const std::string duplicates = document.get_value(schema::kSlotDuplicateGroup);
      if (duplicates.empty() || counted_duplicates_.insert(duplicates).second) {
        if (coded)
          count(docid, Part::kTranslations);
        else
          count(values, Part::kTranslations);
      }
      std::string key = order_.key ? (*order_.key)(document) : std::string();
      auto [best, added] = best_of_group_.try_emplace(std::move(group), Kept{key, weight, 0, {}});
      Kept& kept = best->second;
      const bool before = key != kept.key ? (order_.descending ? key > kept.key : key < kept.key)
                                          : weight > kept.weight;
      if (added || before) kept = {std::move(key), weight, coded ? docid : 0, std::move(values)};
      return;
    }
  }
  if (coded)
    count(docid, Part::kAll);
  else
    count(document.get_value(schema::kSlotFacetValues), Part::kAll);
}

const std::map<std::string, Xapian::doccount>& FacetCounter::counts(std::size_t index) {
  finish();
  static const std::map<std::string, Xapian::doccount> kNone;
  return index < counts_.size() ? counts_[index] : kNone;
}

void FacetCounter::finish() {
  for (const auto& [group, kept] : best_of_group_) {
    if (kept.docid != 0)
      count(kept.docid, Part::kCollapsed);
    else
      count(kept.values, Part::kCollapsed);
  }
  best_of_group_.clear();
  if (!codes_) return;
  for (Part part : {Part::kAll, Part::kCollapsed, Part::kTranslations}) {
    std::vector<Xapian::doccount>& coded = coded_[static_cast<std::size_t>(part)];
    for (std::size_t code = 0; code < coded.size(); ++code) {
      if (coded[code] == 0) continue;
      const auto as_code = static_cast<FacetCodes::Code>(code);
      const std::size_t facet = codes_->facet(as_code);
      if (counts_in(facet, part))
        counts_[facet][std::string(codes_->value(as_code))] += coded[code];
      coded[code] = 0;
    }
  }
}

bool FacetCounter::counts_in(std::size_t facet, Part part) const {
  if (facet >= which_.size() || !which_[facet]) return false;
  if (part == Part::kAll) return true;
  return tells_translations_apart_[facet] ? part == Part::kTranslations : part == Part::kCollapsed;
}

void FacetCounter::count(std::string_view values, Part part) {
  // The indexer writes each value of a facet once per passage.
  schema::decode_facet_values(values, [&](std::size_t index, std::string_view value) {
    if (counts_in(index, part)) ++counts_[index][std::string(value)];
  });
}

void FacetCounter::count(Xapian::docid docid, Part part) {
  std::vector<Xapian::doccount>& coded = coded_[static_cast<std::size_t>(part)];
  for (const FacetCodes::Code code : codes_->of(docid)) ++coded[code];
}

}  // namespace lupa::searchd
