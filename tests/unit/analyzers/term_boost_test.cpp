#include "lupa/analyzers/term_boost.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <limits>
#include <map>
#include <stdexcept>
#include <string>

namespace lupa::analyzers {
namespace {

constexpr double kBoost = 0.5;

// Passages 1-12: every one holds "word" (with a wdf growing with its id), every third "Xes",
// every fourth "other".
Xapian::WritableDatabase passages(Xapian::docid first = 1, Xapian::docid last = 12) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  for (Xapian::docid id = first; id <= last; ++id) {
    Xapian::Document document;
    document.add_term("word", id);
    document.add_term("filler", 20 - id);
    if (id % 3 == 0) document.add_boolean_term("Xes");
    if (id % 4 == 0) document.add_term("other");
    db.replace_document(id - first + 1, document);
  }
  db.commit();
  return db;
}

// Passage id -> its weight, every match.
std::map<Xapian::docid, double> weights(const Xapian::Database& db, const Xapian::Query& query) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  std::map<Xapian::docid, double> by_id;
  const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
  for (auto it = mset.begin(); it != mset.end(); ++it) by_id[*it] = it.get_weight();
  return by_id;
}

// The form the boost had: Xapian's fixed weight filtered by the term.
Xapian::Query filtered_fixed_weight(const std::string& term, double weight) {
  return Xapian::Query(Xapian::Query::OP_FILTER,
                       Xapian::Query((new Xapian::FixedWeightPostingSource(weight))->release()),
                       Xapian::Query(term));
}

Xapian::Query boosted(const Xapian::Query& boost) {
  const Xapian::Query words(Xapian::Query::OP_OR, Xapian::Query("word"), Xapian::Query("other"));
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, words, boost);
}

TEST(TermBoost, AddsToThePassagesOfItsTermWhatAFilteredFixedWeightAddsToTheLastBit) {
  const Xapian::WritableDatabase db = passages();
  const auto with_boost = weights(db, boosted(term_boost("Xes", kBoost)));
  const auto before = weights(db, boosted(filtered_fixed_weight("Xes", kBoost)));
  const auto without = weights(db, boosted(Xapian::Query()));
  ASSERT_EQ(with_boost.size(), 12u);
  EXPECT_EQ(with_boost, before);  // every weight, bit for bit
  for (const auto& [id, weight] : with_boost) {
    if (id % 3 == 0)
      EXPECT_EQ(weight, without.at(id) + kBoost) << id;
    else
      EXPECT_EQ(weight, without.at(id)) << id;
  }
}

TEST(TermBoost, AloneItMatchesThePassagesOfItsTermWithItsWeight) {
  const Xapian::WritableDatabase db = passages();
  const auto alone = weights(db, term_boost("Xes", 2.25));
  EXPECT_EQ(alone, (std::map<Xapian::docid, double>{{3, 2.25}, {6, 2.25}, {9, 2.25}, {12, 2.25}}));
  EXPECT_TRUE(weights(db, term_boost("Xen", kBoost)).empty());
}

TEST(TermBoost, OverSeveralDatabasesEachWeighsItsOwnPassages) {
  Xapian::Database both;
  both.add_database(passages(1, 6));
  both.add_database(passages(7, 12));
  const auto with_boost = weights(both, boosted(term_boost("Xes", kBoost)));
  EXPECT_EQ(with_boost, weights(both, boosted(filtered_fixed_weight("Xes", kBoost))));
  EXPECT_EQ(with_boost.size(), 12u);
}

TEST(TermBoost, ASerialisedBoostWeighsAsTheOriginal) {
  const Xapian::WritableDatabase db = passages();
  Xapian::Registry registry;
  register_term_boost(registry);
  for (const double weight : {kBoost, 0.1, 1e-300, 0.0}) {
    const Xapian::Query query = boosted(term_boost("Xes", weight));
    const Xapian::Query copy = Xapian::Query::unserialise(query.serialise(), registry);
    EXPECT_EQ(weights(db, copy), weights(db, query)) << weight;
    EXPECT_EQ(weights(db, copy), weights(db, boosted(filtered_fixed_weight("Xes", weight))))
        << weight;
  }
  // Without the registration, a shard server could not read it. (Asked of the registry, not by
  // unserialising with Xapian's own: Xapian 1.4 leaks the query read so far when it throws.)
  EXPECT_EQ(Xapian::Registry().get_posting_source("lupa.TermBoostSource"), nullptr);
  EXPECT_NE(registry.get_posting_source("lupa.TermBoostSource"), nullptr);
}

TEST(TermBoost, ABadWeightIsRefused) {
  EXPECT_THROW(term_boost("Xes", -1), std::invalid_argument);
  EXPECT_THROW(term_boost("Xes", std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
}

TEST(TermBoost, MalformedBytesAreRefused) {
  Xapian::Registry registry;
  register_term_boost(registry);
  const Xapian::PostingSource* prototype = registry.get_posting_source("lupa.TermBoostSource");
  ASSERT_NE(prototype, nullptr);
  for (const std::string& bytes :
       {std::string(), std::string("1p-1"), std::string("\nXes"), std::string("half\nXes"),
        std::string("-1p-1\nXes"), std::string("1p-1 \nXes"), std::string("0x1p-1\nXes"),
        std::string("nan\nXes")})
    EXPECT_THROW(delete prototype->unserialise(bytes), Xapian::SerialisationError) << bytes;
  // The weight as hexadecimal digits and exponent, whatever the locale.
  Xapian::PostingSource* read = prototype->unserialise("1p-1\nXes");
  EXPECT_EQ(read->serialise(), std::string("1p-1\nXes"));
  EXPECT_EQ(read->get_description(), "lupa.TermBoostSource(Xes, 0.500000)");
  delete read;
}

}  // namespace
}  // namespace lupa::analyzers
