#include "lupa/analyzers/schema.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <stdexcept>

#include "lupa/analyzers/reference_data.h"

namespace lupa::schema {
namespace {

// Xapian refuses terms over 245 bytes; keys that could be that long (file paths, ids built from
// them) keep their first 100 bytes and a digest of the whole, so distinct keys stay distinct.
constexpr std::size_t kMaxWholeTermBytes = 240;

std::string bounded_key(std::string_view prefix, std::string_view key, std::size_t limit) {
  std::string bounded(prefix);
  if (prefix.size() + key.size() <= limit) {
    bounded += key;
    return bounded;
  }
  std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a: stable across runs and builds
  for (unsigned char c : key) hash = (hash ^ c) * 1099511628211ULL;
  char digest[17];
  std::snprintf(digest, sizeof digest, "%016llx", static_cast<unsigned long long>(hash));
  bounded += key.substr(0, 100);
  bounded += '#';
  bounded += digest;
  return bounded;
}

std::string bounded_term(std::string_view prefix, std::string_view key) {
  return bounded_key(prefix, key, kMaxWholeTermBytes);
}

// ".0025": at least four digits, so that ids sort by ordinal within a document.
std::string ordinal_suffix(int ordinal) {
  char number[16];
  std::snprintf(number, sizeof number, ".%04d", ordinal);
  return number;
}

}  // namespace

std::size_t facet_index(const Facet& facet, FacetTable table) {
  for (std::size_t i = 0; i < table.size(); ++i)
    if (table[i].name == facet.name) return i;
  throw std::logic_error("facet not in the table: " + std::string(facet.name));
}

void check_facet_table(FacetTable table) {
  if (table.size() < kFacets.size() || table.size() > kMaxFacets)
    throw std::invalid_argument("a facet table has the " + std::to_string(kFacets.size()) +
                                " standard facets and at most " + std::to_string(kMaxFacets) +
                                " in all, not " + std::to_string(table.size()));
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (i < kFacets.size() && table[i].name != kFacets[i].name)
      throw std::invalid_argument("facet table: position " + std::to_string(i) + " is `" +
                                  std::string(table[i].name) + "`, not `" +
                                  std::string(kFacets[i].name) + "`: new facets go at the end");
    for (std::size_t j = 0; j < i; ++j)
      if (table[j].name == table[i].name)
        throw std::invalid_argument("facet table: `" + std::string(table[i].name) + "` twice");
  }
}

const Facet* find_facet(std::string_view name, FacetTable table) {
  for (const Facet& facet : table)
    if (facet.name == name) return &facet;
  return nullptr;
}

std::string canonical_value(const Facet& facet, std::string_view value) {
  if (!facet.vocabulary.empty()) {
    const auto& reference = analyzers::ReferenceData::instance();
    if (auto id = reference.resolve(facet.vocabulary, value)) return std::move(*id);
  }
  std::string canonical(value);
  if (facet.value_case == ValueCase::kAsGiven) return canonical;
  const bool upper = facet.value_case == ValueCase::kUpper;
  std::transform(canonical.begin(), canonical.end(), canonical.begin(), [upper](unsigned char c) {
    return static_cast<char>(upper ? std::toupper(c) : std::tolower(c));
  });
  return canonical;
}

analyzers::Label value_label(const Facet& facet, std::string_view value) {
  if (!facet.vocabulary.empty())
    if (auto label = analyzers::ReferenceData::instance().label(facet.vocabulary, value))
      return std::move(*label);
  return {std::string(value), std::string(value)};
}

namespace {

// The distinct values of `facet` in `record`, in order of first appearance.
std::vector<std::string> distinct_values(const Facet& facet, const PassageRecord& record) {
  std::vector<std::string> distinct;
  for (std::string& value : facet.values(record))
    // A newline would break the counted-values slot's format; no canonical value has one.
    if (!value.empty() && value.find(kValueSeparator) == std::string::npos &&
        std::find(distinct.begin(), distinct.end(), value) == distinct.end())
      distinct.push_back(std::move(value));
  return distinct;
}

}  // namespace

void add_facet_terms(const PassageRecord& record, Xapian::Document& document, FacetTable table) {
  FacetValuesEncoder counted;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const Facet& facet = table[i];
    for (const std::string& value : distinct_values(facet, record)) {
      document.add_boolean_term(facet_term(facet, value));
      if (facet.counted) counted.add(i, value);
    }
  }
  document.add_value(kSlotFacetValues, counted.slot());
}

void replace_facet_terms(const PassageRecord& before, const PassageRecord& after,
                         Xapian::Document& document, FacetTable table) {
  // Only the facets whose values differ are touched, so that a table shorter than the one the
  // document was built with (the linker's, on an index with extra facets) loses nothing.
  bool counted_changed = false;
  for (const Facet& facet : table) {
    const std::vector<std::string> old_values = distinct_values(facet, before);
    const std::vector<std::string> new_values = distinct_values(facet, after);
    if (old_values == new_values) continue;
    counted_changed = counted_changed || facet.counted;
    for (const std::string& value : old_values) {
      try {
        document.remove_term(facet_term(facet, value));
      } catch (const Xapian::InvalidArgumentError&) {
        // not there: the document was indexed before this facet or value existed
      }
    }
    for (const std::string& value : new_values) document.add_boolean_term(facet_term(facet, value));
  }
  if (!counted_changed) return;
  // The slot holds values of every facet the document was built with; those of `table` are
  // rewritten, any others kept.
  FacetValuesEncoder counted;
  decode_facet_values(document.get_value(kSlotFacetValues),
                      [&](std::size_t index, std::string_view value) {
                        if (index >= table.size()) counted.add(index, value);
                      });
  for (std::size_t i = 0; i < table.size(); ++i)
    if (table[i].counted)
      for (const std::string& value : distinct_values(table[i], after)) counted.add(i, value);
  document.add_value(kSlotFacetValues, counted.slot());
}

std::string facet_term(const Facet& facet, std::string_view value) {
  return bounded_term(facet.prefix, value);
}

std::string passage_id(std::string_view document_path, int ordinal) {
  // Folders become dots; the extension stays (plan.txt and plan.html are two documents) as
  // "-txt"; other characters that are not URL-safe become '-'. Case is kept, so that no two
  // paths of one corpus give the same id unless they differ only in punctuation.
  std::string id;
  const std::size_t extension = document_path.rfind('.');
  for (std::size_t i = 0; i < document_path.size(); ++i) {
    const auto c = static_cast<unsigned char>(document_path[i]);
    if (std::isalnum(c) || c == '_')
      id += static_cast<char>(c);
    else if (c == '/')
      id += '.';
    else if (i == extension || (!id.empty() && id.back() != '-' && id.back() != '.'))
      id += '-';
  }
  return id + ordinal_suffix(ordinal);
}

std::optional<std::string> neighbour_id(std::string_view id, int delta) {
  const std::size_t dot = id.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view digits = id.substr(dot + 1);
  if (digits.empty() || digits.size() > 9 ||
      digits.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  const long ordinal = std::stol(std::string(digits)) + delta;
  if (ordinal < 1 || ordinal > 999'999'999) return std::nullopt;
  return std::string(id.substr(0, dot)) + ordinal_suffix(static_cast<int>(ordinal));
}

std::string id_term(std::string_view passage_id) {
  return bounded_term(kIdPrefix, passage_id);
}

DateSortKeys passage_date_sort_keys(std::optional<int> day, std::string_view id) {
  // A dated passage's keys start with its mark, then the day: eight digits for years
  // 1000-9999, so the keys compare as the days do. Marked 1 newest first (descending) and 0
  // oldest first (ascending), and an undated passage the other way round: last either way.
  const std::string date = day ? std::to_string(*day) : std::string();
  DateSortKeys keys{std::string(1, day ? '1' : '0'), std::string(1, day ? '0' : '1')};
  keys.newest += date;
  keys.oldest += date;
  // Descending, the inverted bytes of the id still put passages of one date in id order; the
  // closing 0xFF puts "x.1000" before "x.10000" there too.
  for (const char c : id) keys.newest += static_cast<char>(~static_cast<unsigned char>(c));
  keys.newest += '\xFF';
  keys.oldest += id;
  return keys;
}

std::string metadata_key(std::string_view prefix, std::string_view key) {
  return bounded_key(prefix, key, kMaxMetadataKeyBytes);
}

std::string file_term(std::string_view document_path) {
  return bounded_term(kFilePrefix, document_path);
}

std::string duplicate_group_term(std::string_view group_key) {
  return bounded_term(kDuplicateGroupPrefix, group_key);
}

std::string commitment_group_term(std::string_view group_key) {
  return bounded_term(kCommitmentGroupPrefix, group_key);
}

std::string concept_term(std::string_view concept_id) {
  return bounded_term(kConceptPrefix, concept_id);
}

}  // namespace lupa::schema
