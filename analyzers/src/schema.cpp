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

}  // namespace

std::size_t facet_index(const Facet& facet) {
  for (std::size_t i = 0; i < kFacets.size(); ++i)
    if (kFacets[i].name == facet.name) return i;
  throw std::logic_error("facet not in the schema: " + std::string(facet.name));
}

std::optional<Facet> find_facet(std::string_view name) {
  for (const Facet& facet : kFacets)
    if (facet.name == name) return facet;
  return std::nullopt;
}

std::string canonical_value(const Facet& facet, std::string_view value) {
  const auto& reference = analyzers::ReferenceData::instance();
  const analyzers::Vocabulary* vocabulary = nullptr;
  if (facet.name == "agency" || facet.name == "responsible")
    vocabulary = &reference.agencies();
  else if (facet.name == "organization")
    vocabulary = &reference.organizations();
  else if (facet.name == "challenge")
    vocabulary = &reference.challenges();
  else if (facet.name == "theme")
    vocabulary = &reference.themes();
  if (vocabulary) {
    if (const auto* entry = vocabulary->resolve(value)) return entry->id;
    return std::string(value);
  }
  if (facet.name == "status") {
    if (const auto* status = reference.find_status(value)) return status->id;
  }
  std::string canonical(value);
  const bool upper = facet.name == "commitment";
  std::transform(canonical.begin(), canonical.end(), canonical.begin(), [upper](unsigned char c) {
    return static_cast<char>(upper ? std::toupper(c) : std::tolower(c));
  });
  return canonical;
}

std::string facet_term(const Facet& facet, std::string_view value) {
  return bounded_term(facet.prefix, value);
}

std::string id_term(std::string_view passage_id) {
  return bounded_term(kIdPrefix, passage_id);
}

std::string metadata_key(std::string_view prefix, std::string_view key) {
  return bounded_key(prefix, key, kMaxMetadataKeyBytes);
}

std::string file_term(std::string_view document_path) {
  return bounded_term(kFilePrefix, document_path);
}

}  // namespace lupa::schema
