#include "lupa/searchd/facet_counter.h"

#include <algorithm>
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
      groups_[std::move(group)].push_back(
          {document.get_docid(), std::move(key), weight, std::move(values)});
      return;
    }
  }
  count(values, true, true);
}

std::string FacetCounter::collapsed_values(std::string_view values) const {
  std::string kept;
  schema::decode_facet_values(values, [&](std::size_t index, std::string_view value) {
    if (index >= which_.size() || !which_[index] || tells_translations_apart_[index]) return;
    kept += std::to_string(index);
    kept += ':';
    kept += value;
    kept += '\n';
  });
  return kept;
}

std::vector<Xapian::docid> FacetCounter::undecided() const {
  std::vector<Xapian::docid> docids;
  for (const auto& [group, members] : groups_) {
    if (members.size() < 2) continue;
    const std::string first = collapsed_values(members.front().values);
    const bool alike = std::all_of(members.begin() + 1, members.end(), [&](const Member& member) {
      return collapsed_values(member.values) == first;
    });
    if (!alike)
      for (const Member& member : members) docids.push_back(member.docid);
  }
  std::sort(docids.begin(), docids.end());
  return docids;
}

void FacetCounter::set_weights(const std::unordered_map<Xapian::docid, double>& weights) {
  for (auto& [group, members] : groups_)
    for (Member& member : members)
      if (const auto found = weights.find(member.docid); found != weights.end())
        member.weight = found->second;
}

const std::map<std::string, Xapian::doccount>& FacetCounter::counts(std::size_t index) {
  // The passage the match keeps of a group: the first in the order, else of highest weight,
  // else the first it saw.
  for (const auto& [group, members] : groups_) {
    const Member* kept = &members.front();
    for (const Member& member : members) {
      const bool before = member.key != kept->key ? (order_.descending ? member.key > kept->key
                                                                       : member.key < kept->key)
                                                  : member.weight > kept->weight;
      if (before) kept = &member;
    }
    count(kept->values, true, false);
  }
  groups_.clear();
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
