// Questions about a government body: "compromisos del INAI", "qué se comprometió la SFP",
// "what did the Ministry of Finance promise". Which body the query names (any name, acronym,
// old name or alias of agencies.tsv, in either language), what the query asks about it once
// the body's name and the question's framing words (query-framing.tsv) are taken out, and the
// ranking signal that puts the body's own commitments first.
#pragma once

#include <xapian.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lupa/analyzers/schema.h"

namespace lupa::analyzers {

struct AgencyQuestion {
  /// The bodies the query names, in order of mention, each once; the first is the one the
  /// query is understood to be about.
  std::vector<std::string> agencies;
  /// The query's remaining words as typed, without the bodies' names, their country's name
  /// and the framing words; empty when only stop words remain.
  std::string topic;
  /// Whether `topic` may stand for the query: the query is plain words (no phrase, operator,
  /// field, wildcard or +/-), so taking words out changes no syntax.
  bool plain = false;
};

/// How many passages of the index name body `id`: among bodies of several countries that
/// share the name a query uses, the one the index holds most about is meant.
using PassagesNaming = std::function<Xapian::doccount(const std::string& id)>;

/// The body question `text` (NFKC-normalised) asks, or nullopt when it names no body.
/// A body's acronyms and capitalised aliases match as written, its names and other aliases in
/// any case. When the query names a country ("SFP México", "Kenya Ministry of Finance"), a
/// name shared by bodies of several countries means that country's body; otherwise the one
/// `passages_naming` counts most passages for (the first row on a tie).
std::optional<AgencyQuestion> read_agency_question(std::string_view text,
                                                   const PassagesNaming& passages_naming);

/// The weights of the agency signal, beside BM25 weights of about 1 to 10 per matched word.
struct AgencySignal {
  static constexpr double kLead = 10;       ///< the body leads the commitment (responsible)
  static constexpr double kSupporting = 6;  ///< it supports it
  static constexpr double kNamed = 3;       ///< the passage names it
  static constexpr double kCommitment = 4;  ///< added when the passage is a commitment
  /// A passage naming more bodies than this is read as a list (an acronym list, a
  /// directory): the weight of merely naming the body is divided by the excess ratio.
  static constexpr std::size_t kListBodies = 4;
  /// Beside a topic, the weights are multiplied by this: a topic's words, widened with the
  /// glossary's terms, weigh 20 to 40, and the body the question is about should still lead.
  static constexpr double kBesideTopic = 3;
};

/// The weight AgencySignal gives a passage for the bodies `agencies`, from its counted facet
/// values (schema::kSlotFacetValues) written with `facets`: the best role any of them has.
double agency_signal_weight(std::string_view facet_values, const std::vector<std::string>& agencies,
                            schema::FacetTable facets);

/// A weight-only query giving every passage agency_signal_weight: joined with OP_AND_MAYBE to
/// a query, it ranks the bodies' passages first.
Xapian::Query agency_signal(const std::vector<std::string>& agencies, schema::FacetTable facets);

/// Registers the posting source agency_signal() queries hold, so that a shard server
/// (Xapian's remote backend) can run them.
void register_agency_signal(Xapian::Registry& registry);

/// The passages that name, lead or support one of `agencies`, weighted by agency_signal: the
/// answer to a question about bodies that has no topic left.
Xapian::Query agency_passages(const std::vector<std::string>& agencies, schema::FacetTable facets);

}  // namespace lupa::analyzers
