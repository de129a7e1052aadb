// Xapian adds a passage's term weights in an order it chooses per database (an OR's posting
// lists are paired by their term frequencies there), so the same passage could weigh a few
// units in the last place more over shards, or in one part of a split match, than in one whole
// database; two passages of one text then tied in one and not in the other, and which of
// them a page showed depended on how the index was laid out. Weights on a grid of 2^-32 add up
// exactly in any order: equal passages stay tied, and ties go to the passage id everywhere.
#pragma once

#include <xapian.h>

#include <string>

namespace lupa::analyzers {

/// The grid every weight Lupa ranks with lies on: a multiple of it below 2^20 is exact in a
/// double, and so is any sum of them below 2^21.
inline constexpr double kWeightQuantum = 0x1p-32;

/// `weight` rounded to the nearest multiple of kWeightQuantum (round half to even); a weight
/// of 2^19 or more, which BM25 never gives, is returned as it is.
double quantise_weight(double weight);

/// Xapian's BM25 (k2 = 0, k3 = 1, minimum normalised length 0.5, as Lupa ranks), each term's
/// part quantised: scores within 2^-33 of BM25's per matched term, summed exactly.
class QuantisedBM25Weight final : public Xapian::BM25Weight {
 public:
  QuantisedBM25Weight(double k1, double b);

  std::string name() const override;
  std::string serialise() const override;
  QuantisedBM25Weight* unserialise(const std::string& serialised) const override;
  double get_sumpart(Xapian::termcount wdf, Xapian::termcount length,
                     Xapian::termcount unique_terms) const override;
  double get_maxpart() const override;

 private:
  QuantisedBM25Weight* clone() const override;

  double k1_;
  double b_;
};

/// Registers QuantisedBM25Weight, so that a shard server (Xapian's remote backend) can rank
/// with it.
void register_quantised_bm25(Xapian::Registry& registry);

}  // namespace lupa::analyzers
