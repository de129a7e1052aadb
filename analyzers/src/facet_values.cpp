#include "lupa/analyzers/facet_values.h"

#include <cctype>

#include "lupa/analyzers/reference_data.h"

namespace lupa::analyzers {
namespace {

// Values quoted in an error message: enough to show their form.
constexpr int kExampleValues = 4;

// "2019-2021": the period a plan's id ends with.
bool is_period(std::string_view value) {
  if (value.size() != 9 || value[4] != '-') return false;
  for (std::size_t i = 0; i < value.size(); ++i)
    if (i != 4 && !std::isdigit(static_cast<unsigned char>(value[i]))) return false;
  return true;
}

// The indexed values of `facet`, in term order, as many as `wanted` accepts.
template <typename Wanted>
std::vector<std::string> indexed_values(const schema::Facet& facet,
                                        const Xapian::Database& database, Wanted wanted) {
  std::vector<std::string> values;
  const std::string prefix(facet.prefix);
  for (auto term = database.allterms_begin(prefix); term != database.allterms_end(prefix); ++term) {
    std::string value = (*term).substr(prefix.size());
    if (!wanted(value, values)) break;
  }
  return values;
}

std::string examples(const schema::Facet& facet, const Xapian::Database& database) {
  const std::vector<std::string> values =
      indexed_values(facet, database, [](std::string& value, std::vector<std::string>& taken) {
        taken.push_back(std::move(value));
        return taken.size() < kExampleValues;
      });
  std::string listed;
  for (const std::string& value : values) {
    const std::string label = schema::value_label(facet, value).en;
    listed += (listed.empty() ? "" : ", ") + value + (label != value ? " (" + label + ")" : "");
  }
  return listed.empty() ? "" : "; for example " + listed;
}

}  // namespace

std::vector<std::string> facet_values_named(const schema::Facet& facet, std::string_view value,
                                            const Xapian::Database& database) {
  if (facet.vocabulary.empty()) return {schema::canonical_value(facet, value)};
  const ReferenceData& reference = ReferenceData::instance();
  if (auto id = reference.resolve(facet.vocabulary, value)) return {std::move(*id)};
  if (facet.vocabulary == "plans" && is_period(value)) {
    std::string ending(1, '-');
    ending.append(value);
    std::vector<std::string> plans =
        indexed_values(facet, database, [&](std::string& plan, std::vector<std::string>& taken) {
          if (plan.ends_with(ending)) taken.push_back(std::move(plan));
          return true;
        });
    if (!plans.empty()) return plans;
    throw UnknownFacetValue("no indexed plan runs " + std::string(value) +
                            examples(facet, database));
  }
  // Bodies the indexer discovered, and values of an operator's data folder the daemon was not
  // given (--data-dir): the index holds them, so they name something.
  std::string as_written = schema::canonical_value(facet, value);
  if (reference.admits_unlisted(facet.vocabulary) ||
      database.term_exists(schema::facet_term(facet, as_written)))
    return {std::move(as_written)};
  throw UnknownFacetValue(
      "'" + std::string(value.substr(0, 60)) + "' is not a value of " + std::string(facet.name) +
      ": give a value or its label as GET /api/facets lists them" + examples(facet, database));
}

}  // namespace lupa::analyzers
