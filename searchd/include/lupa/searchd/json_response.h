// The JSON bodies of the HTTP API (docs/http-api.md), serialised compactly, with <, > and & as
// \u escapes so that no answer holds raw markup a browser could sniff.
#pragma once

#include <optional>
#include <string>

#include "lupa/analyzers/passage_record.h"
#include "lupa/analyzers/schema.h"
#include "lupa/searchd/search_service.h"

namespace lupa::searchd {

/// Which shards an answer was computed from, for answers over shard servers; nothing else. The
/// answers below given one end with it as their last key, `shards`: {"total", "answered",
/// "missing": [...], "partial"}.
using AnsweredBy = std::optional<ShardsAnswered>;

/// A search (or similar) answer. Each hit has, besides its place and snippet, one key per facet
/// of `table` that has a stored field: a list, or a value or null for single-valued facets.
std::string search_json(const SearchResult& result,
                        schema::FacetTable table = schema::standard_facets(),
                        const AnsweredBy& shards = std::nullopt);
std::string facets_json(const FacetListing& listing, const AnsweredBy& shards = std::nullopt);
std::string health_json(const IndexHealth& health);
/// Every stored field of a passage (docs/schema.md), as stored, but for the linker's group key:
/// for a linked passage, `same_as` in its place, the ids of the same commitment in other
/// documents; then each facet of `table` whose field the record does not store under that
/// name, with its values (the IRM ratings, own or linked); and `same_commitment`: the passages
/// read of them (id, doc, title, type, report_stage, lang, commitment_title).
std::string passage_json(const LinkedPassage& linked,
                         schema::FacetTable table = schema::standard_facets(),
                         const AnsweredBy& shards = std::nullopt);
/// A body's page (/api/agencies/{id}): its id, labels, country, number of commitments, and
/// its commitments grouped by plan, each with role, title, number, OGP id, status, IRM ratings
/// and passage ids.
std::string agency_json(const AgencyPage& page, const AnsweredBy& shards = std::nullopt);
/// {"error": message}, with bytes that are not UTF-8 replaced by U+FFFD.
std::string error_json(const std::string& message);

}  // namespace lupa::searchd
