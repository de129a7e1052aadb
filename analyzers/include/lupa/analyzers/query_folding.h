// A query as Lupa's analysis builds it repeats subqueries: each stemmer's reading carries the
// glossary concept's term, and the words as typed are joined again with OP_AND_MAYBE so that
// they weigh twice. Xapian opens a posting list for every leaf, repeated or not, and with exact
// counts walks each over every match: folding the repeats into one weighted copy cut Xapian's
// match by 15 to 38 % (bench/README.md, "Repeated subqueries folded").
#pragma once

#include <xapian.h>

namespace lupa::analyzers {

/// `query` with repeats folded: within an OR (nested ORs flattened), a subquery that occurs n
/// times becomes one OP_SCALE_WEIGHT of n; `L AND_MAYBE R` where every alternative of R is one
/// of L's becomes L with those alternatives counted once more. The same passages match, with
/// the same weights but for the order in which Xapian adds them up (a difference in the last
/// bits). Subqueries are the same when they have the same operator, terms (with their wqf) and
/// subqueries in order; a leaf's position in the query does not count, as it changes neither
/// what matches nor its weight. Operators with parameters Xapian 1.4 does not give back
/// (phrases, NEAR, scaled weights, wildcards) are kept as they are, and equal only to their
/// exact copies.
Xapian::Query fold_repeated_subqueries(const Xapian::Query& query);

/// Whether a query of operator `type` is made of its subqueries alone (no parameter Xapian 1.4
/// does not give back), so that it can be rebuilt from them: AND, OR, AND_NOT, XOR, AND_MAYBE,
/// FILTER.
bool is_plain_composite(Xapian::Query::op type);

}  // namespace lupa::analyzers
