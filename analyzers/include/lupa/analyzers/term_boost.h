// A fixed weight for every passage indexed with one term: what OP_FILTER of Xapian's
// FixedWeightPostingSource by the term gives, at the cost of the term's postings alone.
// FixedWeightPostingSource walks every document id of the database beside them (Xapian's
// list of all documents), which for a boost joined to a query with OP_AND_MAYBE was a third of
// the match's time on a 61,583-passage index (bench/README.md, "The language boost from its
// term's postings").
#pragma once

#include <xapian.h>

#include <string>

namespace lupa::analyzers {

/// A weight-only query: `weight` for each passage with `term`, nothing for the others. Joined
/// to a query with OP_AND_MAYBE it adds `weight` to the matches holding the term, the same
/// weight to the last bit as OP_FILTER of a FixedWeightPostingSource of `weight` by `term`.
/// `weight` must be at least 0 (Xapian's posting sources weigh nothing below).
Xapian::Query term_boost(const std::string& term, double weight);

/// Registers the posting source term_boost() queries hold, so that a shard server (Xapian's
/// remote backend) can run them.
void register_term_boost(Xapian::Registry& registry);

}  // namespace lupa::analyzers
