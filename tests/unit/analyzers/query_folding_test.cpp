#include "lupa/analyzers/query_folding.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <cmath>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "lupa/analyzers/term_boost.h"

namespace lupa::analyzers {
namespace {

using Xapian::Query;

// Forty passages whose terms, wdf and lengths vary with their id, so that every term weighs
// differently in each: "a".."d" stems of two readings, "X" a concept's term.
Xapian::WritableDatabase passages() {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  for (Xapian::docid id = 1; id <= 40; ++id) {
    Xapian::Document document;
    if (id % 2 == 0) document.add_term("a", 1 + id % 5);
    if (id % 3 == 0) document.add_term("b", 1 + id % 4);
    if (id % 5 != 0) document.add_term("c", 1 + id % 3);
    if (id % 4 == 1) document.add_term("d", 1 + id % 6);
    if (id % 7 < 3) document.add_term("X");
    if (id % 3 == 1) document.add_boolean_term("XLes");
    document.add_term("filler", 1 + id);
    db.add_document(document);
  }
  db.commit();
  return db;
}

std::map<Xapian::docid, double> weights(const Xapian::Database& db, const Query& query) {
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.3, 0.5));
  enquire.set_query(query);
  std::map<Xapian::docid, double> by_id;
  const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
  for (auto it = mset.begin(); it != mset.end(); ++it) by_id[*it] = it.get_weight();
  return by_id;
}

// The same passages, each weight equal but for the order of its additions.
void expect_same_weights(const Xapian::Database& db, const Query& before, const Query& after) {
  const auto expected = weights(db, before);
  const auto folded = weights(db, after);
  ASSERT_FALSE(expected.empty());
  ASSERT_EQ(folded.size(), expected.size());
  for (const auto& [id, weight] : expected) {
    ASSERT_TRUE(folded.contains(id)) << id;
    EXPECT_NEAR(folded.at(id), weight, 1e-12 * weight) << id;
  }
}

// Posting lists Xapian opens for a query: one per leaf, repeated or not.
std::size_t leaves(const Query& query) {
  if (query.get_num_subqueries() == 0) return query.empty() ? 0 : 1;
  std::size_t count = 0;
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i)
    count += leaves(query.get_subquery(i));
  return count;
}

Query term(const std::string& name, Xapian::termpos position = 0) {
  return Query(name, 1, position);
}
Query any(std::vector<Query> subqueries) {
  return Query(Query::OP_OR, subqueries.begin(), subqueries.end());
}
Query all(std::vector<Query> subqueries) {
  return Query(Query::OP_AND, subqueries.begin(), subqueries.end());
}
Query of(Query::op type, std::vector<Query> subqueries, Xapian::termcount parameter = 0) {
  return Query(type, subqueries.begin(), subqueries.end(), parameter);
}
Query maybe(const Query& required, const Query& optional) {
  return Query(Query::OP_AND_MAYBE, required, optional);
}

TEST(QueryFolding, TwoReadingsWithTheirConceptAndTheWordsAsTypedWeighAsBefore) {
  // What the analysis builds for two words and a glossary concept: each reading's words or the
  // concept, then the words as typed again (with positions shifted by a dropped stop word).
  const Xapian::WritableDatabase db = passages();
  const Query analysed =
      maybe(any({any({all({term("a", 1), term("b", 2)}), term("X", 3)}),
                 any({all({term("c", 1), term("d", 2)}), term("X", 3)})}),
            any({all({term("a", 1), term("b", 3)}), all({term("c", 1), term("d", 3)})}));
  const Query folded = fold_repeated_subqueries(analysed);
  EXPECT_EQ(folded.get_description(), "Query((2 * (a@1 AND b@2) OR 2 * X@3 OR 2 * (c@1 AND d@2)))");
  EXPECT_EQ(leaves(analysed), 10u);
  EXPECT_EQ(leaves(folded), 5u);
  expect_same_weights(db, analysed, folded);
  // And with the language boost after it, which stays optional.
  const Query boost = term_boost("XLes", 0.5);
  const Query boosted = fold_repeated_subqueries(maybe(analysed, boost));
  EXPECT_EQ(boosted.get_type(), Query::OP_AND_MAYBE);
  EXPECT_EQ(leaves(boosted), 6u);
  expect_same_weights(db, maybe(analysed, boost), boosted);
}

TEST(QueryFolding, RepeatsInAnOrBecomeOneScaledCopy) {
  const Xapian::WritableDatabase db = passages();
  const Query repeated = any({term("a"), term("b"), term("a", 4), any({term("a"), term("c")})});
  const Query folded = fold_repeated_subqueries(repeated);
  EXPECT_EQ(folded.get_description(), "Query((3 * a OR b OR c))");
  expect_same_weights(db, repeated, folded);
}

TEST(QueryFolding, AnOptionalPartNotAllAmongTheAlternativesStaysOptional) {
  const Xapian::WritableDatabase db = passages();
  // "c" is no alternative of the required part: the optional part is kept whole, "a" in it too.
  const Query partly = maybe(any({term("a"), term("b")}), any({term("a"), term("c")}));
  const Query folded = fold_repeated_subqueries(partly);
  EXPECT_EQ(folded.get_description(), "Query(((a OR b) AND_MAYBE (a OR c)))");
  expect_same_weights(db, partly, folded);
  // A required part that is no OR is folded with an optional copy of itself.
  const Query twice = maybe(all({term("a"), term("c")}), all({term("a", 2), term("c", 5)}));
  EXPECT_EQ(fold_repeated_subqueries(twice).get_description(), "Query(2 * (a AND c))");
  expect_same_weights(db, twice, fold_repeated_subqueries(twice));
  // The second of two optional parts, covered, is folded; the first, not covered, stays.
  const Query two = of(Query::OP_AND_MAYBE, {any({term("a"), term("b")}), term("d"), term("b")});
  EXPECT_EQ(fold_repeated_subqueries(two).get_description(), "Query(((a OR 2 * b) AND_MAYBE d))");
  expect_same_weights(db, two, fold_repeated_subqueries(two));
}

TEST(QueryFolding, OnlyWhatMatchesAndWeighsTheSameIsFolded) {
  // Another wqf weighs otherwise.
  EXPECT_EQ(fold_repeated_subqueries(any({Query("a", 1), Query("a", 2)})).get_description(),
            "Query((a OR a#2))");
  // Phrases of other windows match otherwise; an identical phrase is the same.
  const Query near = of(Query::OP_PHRASE, {term("a", 1), term("b", 2)}, 2);
  const Query far = of(Query::OP_PHRASE, {term("a", 1), term("b", 2)}, 3);
  EXPECT_EQ(fold_repeated_subqueries(any({near, far})).get_description(),
            "Query(((a@1 PHRASE 2 b@2) OR (a@1 PHRASE 3 b@2)))");
  EXPECT_EQ(fold_repeated_subqueries(any({near, near})).get_description(),
            "Query(2 * (a@1 PHRASE 2 b@2))");
  // The same words under AND and under OR are not the same.
  EXPECT_EQ(
      fold_repeated_subqueries(any({all({term("a"), term("b")}), any({term("b"), term("a")})}))
          .get_description(),
      "Query(((a AND b) OR b OR a))");
  // Nor are the same subqueries in another order (a missed fold, never a wrong one).
  EXPECT_EQ(
      fold_repeated_subqueries(any({all({term("a"), term("b")}), all({term("b"), term("a")})}))
          .get_description(),
      "Query(((a AND b) OR (b AND a)))");
}

TEST(QueryFolding, RepeatsUnderOtherOperatorsAreFoldedInPlace) {
  const Xapian::WritableDatabase db = passages();
  const Query excluded(Query::OP_AND_NOT, any({term("a"), term("c"), term("a")}), term("b"));
  EXPECT_EQ(fold_repeated_subqueries(excluded).get_description(),
            "Query(((2 * a OR c) AND_NOT b))");
  expect_same_weights(db, excluded, fold_repeated_subqueries(excluded));
  const Query filtered(Query::OP_FILTER, maybe(any({term("a"), term("c")}), term("c")),
                       term("XLes"));
  EXPECT_EQ(fold_repeated_subqueries(filtered).get_description(),
            "Query(((a OR 2 * c) FILTER XLes))");
  expect_same_weights(db, filtered, fold_repeated_subqueries(filtered));
  // Nothing to fold: the query is left as it is.
  const Query plain = all({term("a"), any({term("b"), term("c")})});
  EXPECT_EQ(fold_repeated_subqueries(plain).get_description(), plain.get_description());
  EXPECT_TRUE(fold_repeated_subqueries(Query()).empty());
}

}  // namespace
}  // namespace lupa::analyzers
