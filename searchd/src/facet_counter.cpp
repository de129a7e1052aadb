#include "lupa/searchd/facet_counter.h"

#include <string_view>

#include "lupa/analyzers/schema.h"

namespace lupa::searchd {

void FacetCounter::operator()(const Xapian::Document& document, double) {
  const std::string values = document.get_value(slot_);
  std::string_view rest = values;
  while (!rest.empty()) {
    const std::size_t end = rest.find(schema::kValueSeparator);
    const std::string_view value = rest.substr(0, end);
    if (!value.empty()) ++counts_[std::string(value)];
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
}

}  // namespace lupa::searchd
