#include "lupa/searchd/facet_counter.h"

#include <string_view>

namespace lupa::searchd {

void FacetCounter::operator()(const Xapian::Document& document, double) {
  const std::string values = document.get_value(schema::kSlotFacetValues);
  std::string_view rest = values;
  while (rest.size() > 1) {
    const std::size_t end = rest.find(schema::kValueSeparator);
    const std::string_view entry = rest.substr(0, end);
    // The indexer writes each value of a facet once per passage.
    const std::size_t index = entry.empty() ? which_.size() : schema::facet_index_of_code(entry[0]);
    if (index < which_.size() && which_[index] && entry.size() > 1) {
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
