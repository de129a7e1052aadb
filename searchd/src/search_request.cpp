#include "lupa/searchd/search_request.h"

#include <charconv>

#include "lupa/analyzers/passage_date.h"
#include "lupa/analyzers/text_normalizer.h"

namespace lupa::searchd {
namespace {

int parse_bounded(const std::string& name, const std::string& value, int low, int high) {
  int number = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (error != std::errc() || end != value.data() + value.size() || number < low || number > high)
    throw BadRequest("Parameter `" + name + "` must be a whole number from " + std::to_string(low) +
                     " to " + std::to_string(high) + ", not '" + value.substr(0, 40) + "'");
  return number;
}

std::size_t count_code_points(const std::string& utf8) {
  std::size_t count = 0;
  for (unsigned char c : utf8)
    if ((c & 0xC0) != 0x80) ++count;
  return count;
}

constexpr SortOrder kSortOrders[] = {SortOrder::kRelevance, SortOrder::kNewest, SortOrder::kOldest};

SortOrder parse_sort(const std::string& value) {
  for (const SortOrder order : kSortOrders)
    if (value == to_string(order)) return order;
  throw BadRequest("Parameter `sort` must be relevance, newest or oldest, not '" +
                   value.substr(0, 40) + "'");
}

DateBound parse_date_bound(const std::string& name, const std::string& value) {
  const auto day = name == "from" ? schema::first_day(value) : schema::last_day(value);
  if (!day)
    throw BadRequest("Parameter `" + name +
                     "` must be a date written YYYY, YYYY-MM or YYYY-MM-DD, not '" +
                     value.substr(0, 40) + "'");
  return {value, *day};
}

}  // namespace

std::string_view to_string(SortOrder order) {
  switch (order) {
    case SortOrder::kNewest:
      return "newest";
    case SortOrder::kOldest:
      return "oldest";
    case SortOrder::kRelevance:
      break;
  }
  return "relevance";
}

SearchRequest parse_search_request(const QueryParameters& parameters, schema::FacetTable table) {
  SearchRequest request;
  for (const auto& [name, value] : parameters) {
    if (!analyzers::is_valid_utf8(value))
      throw BadRequest("Parameter `" + name + "` is not valid UTF-8");
    if (name == "q") {
      if (count_code_points(value) > kMaxQueryCharacters)
        throw BadRequest("Parameter `q` is longer than " + std::to_string(kMaxQueryCharacters) +
                         " characters");
      request.query = value;
    } else if (name == "page") {
      request.page = parse_bounded(name, value, 1, kMaxPage);
    } else if (name == "per_page") {
      request.per_page = parse_bounded(name, value, 1, kMaxPerPage);
    } else if (name == "facets") {
      if (value != "true" && value != "false")
        throw BadRequest("Parameter `facets` must be true or false, not '" + value.substr(0, 40) +
                         "'");
      request.count_facets = value == "true";
    } else if (name == "sort") {
      if (!value.empty()) request.sort = parse_sort(value);
    } else if (name == "from" || name == "to") {
      if (!value.empty())
        (name == "from" ? request.from : request.to) = parse_date_bound(name, value);
    } else if (schema::find_facet(name, table)) {
      if (!value.empty()) request.filters[name].push_back(value);
    }
  }
  if (request.from && request.to && request.from->day > request.to->day)
    throw BadRequest("Parameter `from` (" + request.from->as_given + ") is after `to` (" +
                     request.to->as_given + ")");
  return request;
}

}  // namespace lupa::searchd
