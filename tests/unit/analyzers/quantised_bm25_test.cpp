#include "lupa/analyzers/quantised_bm25.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace lupa::analyzers {
namespace {

std::string term_name(int term) {
  std::string name = "t";
  name += std::to_string(term);
  return name;
}

bool on_grid(double weight) {
  const double units = weight / kWeightQuantum;
  return units == std::floor(units);
}

TEST(QuantisedWeight, RoundsToTheNearestMultipleOfTheQuantum) {
  for (const double weight : {1.0 / 3, 2.0 / 3, 0.1, 7.123456789, 13.691205122806569, 1e-12}) {
    const double quantised = quantise_weight(weight);
    EXPECT_TRUE(on_grid(quantised)) << weight;
    EXPECT_LE(std::fabs(quantised - weight), kWeightQuantum / 2) << weight;
  }
  EXPECT_NE(quantise_weight(1.0 / 3), 1.0 / 3);  // it did round
  // Already on the grid: unchanged. Out of its range: unchanged.
  EXPECT_EQ(quantise_weight(0.5), 0.5);
  EXPECT_EQ(quantise_weight(3 * kWeightQuantum), 3 * kWeightQuantum);
  EXPECT_EQ(quantise_weight(0), 0);
  EXPECT_EQ(quantise_weight(1e9 + 1.0 / 3), 1e9 + 1.0 / 3);
  // Order is kept.
  EXPECT_LE(quantise_weight(2.0000000001), quantise_weight(2.0000000002));
}

TEST(QuantisedWeight, SumsAreTheSameInAnyOrder) {
  std::mt19937 random(11);
  std::uniform_real_distribution<double> part(0, 20);
  std::vector<double> plain(12);
  for (double& weight : plain) weight = part(random);
  std::vector<double> quantised;
  for (const double weight : plain) quantised.push_back(quantise_weight(weight));
  // The same 200 shuffles of each.
  auto sums = [](std::vector<double> parts) {
    std::mt19937 shuffler(5);
    std::vector<double> each_order;
    for (int order = 0; order < 200; ++order) {
      std::shuffle(parts.begin(), parts.end(), shuffler);
      double sum = 0;
      for (const double weight : parts) sum += weight;
      each_order.push_back(sum);
    }
    return each_order;
  };
  const auto plain_sums = sums(plain);
  EXPECT_NE(*std::min_element(plain_sums.begin(), plain_sums.end()),
            *std::max_element(plain_sums.begin(), plain_sums.end()))
      << "the plain parts add up alike in every order: the check below would prove nothing";
  const auto quantised_sums = sums(quantised);
  for (const double sum : quantised_sums) EXPECT_EQ(sum, quantised_sums.front());
}

// Passages whose term frequencies differ between their first and second halves, as shards'
// do: Xapian pairs an OR's posting lists by frequency, so per half in another order.
std::vector<std::map<std::string, Xapian::termcount>> passages() {
  std::mt19937 random(7);
  std::uniform_real_distribution<double> chance(0, 1);
  std::uniform_int_distribution<Xapian::termcount> wdf(1, 5), filler(1, 30);
  std::vector<std::map<std::string, Xapian::termcount>> all(400);
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (int term = 0; term < 7; ++term) {
      const double p = i < 200 ? 0.7 - 0.09 * term : 0.1 + 0.09 * term;
      if (chance(random) < p) all[i][term_name(term)] = wdf(random);
    }
    all[i]["filler"] = filler(random);
  }
  return all;
}

Xapian::WritableDatabase database_of(
    const std::vector<std::map<std::string, Xapian::termcount>>& all, std::size_t first,
    std::size_t end) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  for (std::size_t i = first; i < end; ++i) {
    Xapian::Document document;
    for (const auto& [term, wdf] : all[i]) document.add_term(term, wdf);
    document.set_data(std::to_string(i));
    db.add_document(document);
  }
  db.commit();
  return db;
}

// Passage (its data) -> weight, every match of an OR of the seven terms.
std::map<std::string, double> weights(const Xapian::Database& db, const Xapian::Weight& scheme) {
  std::vector<Xapian::Query> terms;
  for (int term = 0; term < 7; ++term) terms.emplace_back(term_name(term));
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(scheme);
  enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
  std::map<std::string, double> by_passage;
  const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
  for (auto it = mset.begin(); it != mset.end(); ++it)
    by_passage[it.get_document().get_data()] = it.get_weight();
  return by_passage;
}

TEST(QuantisedBM25, OneDatabaseAndTwoHalvesWeighEveryPassageToTheLastBit) {
  const auto all = passages();
  const Xapian::WritableDatabase one = database_of(all, 0, all.size());
  Xapian::Database halves;
  halves.add_database(database_of(all, 0, 200));
  halves.add_database(database_of(all, 200, all.size()));

  const Xapian::BM25Weight plain(1.2, 0, 1, 0.3, 0.5);
  const auto plain_one = weights(one, plain);
  const auto plain_halves = weights(halves, plain);
  ASSERT_EQ(plain_one.size(), plain_halves.size());
  int differing = 0;
  for (const auto& [passage, weight] : plain_one) differing += plain_halves.at(passage) != weight;
  ASSERT_GT(differing, 0) << "Xapian adds in one order for both layouts here: pick passages "
                             "that make it differ, or this test proves nothing";

  const QuantisedBM25Weight quantised(1.2, 0.3);
  const auto quantised_one = weights(one, quantised);
  EXPECT_EQ(weights(halves, quantised), quantised_one);  // every weight, bit for bit
  ASSERT_EQ(quantised_one.size(), plain_one.size());
  for (const auto& [passage, weight] : quantised_one) {
    EXPECT_TRUE(on_grid(weight)) << passage;
    // Seven terms at most, each within half a quantum of BM25's part.
    EXPECT_NEAR(weight, plain_one.at(passage), 7 * kWeightQuantum / 2 + 1e-12) << passage;
  }
}

TEST(QuantisedBM25, TravelsToAShardServerWithItsParameters) {
  Xapian::Registry registry;
  register_quantised_bm25(registry);
  const QuantisedBM25Weight original(1.7, 0.25);
  const Xapian::Weight* prototype = registry.get_weighting_scheme(original.name());
  ASSERT_NE(prototype, nullptr);
  const std::unique_ptr<Xapian::Weight> copy(prototype->unserialise(original.serialise()));
  EXPECT_EQ(copy->name(), original.name());
  EXPECT_EQ(copy->serialise(), original.serialise());
  // And weighs as the original does.
  const auto all = passages();
  const Xapian::WritableDatabase db = database_of(all, 0, 100);
  EXPECT_EQ(weights(db, *copy), weights(db, original));
  EXPECT_NE(weights(db, *copy), weights(db, QuantisedBM25Weight(1.2, 0.3)));
  EXPECT_THROW(prototype->unserialise("0x1p+0"), Xapian::SerialisationError);
  EXPECT_THROW(prototype->unserialise("one two"), Xapian::SerialisationError);
}

}  // namespace
}  // namespace lupa::analyzers
