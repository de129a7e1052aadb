#include "lupa/analyzers/quantised_bm25.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace lupa::analyzers {
namespace {

constexpr double kMinNormalisedLength = 0.5;
// Adding 2^20 leaves a weight below 2^19 with 32 bits after the binary point, rounded to the
// nearest (the unit in the last place of [2^20, 2^21) is 2^-32); subtracting it again is exact.
constexpr double kShift = 0x1p20;
constexpr double kLargestQuantised = 0x1p19;

void append_hex(std::string& out, double value) {
  char digits[64];
  const auto written = std::to_chars(digits, digits + sizeof digits, value, std::chars_format::hex);
  out.append(digits, written.ptr);
}

double read_hex(const char*& at, const char* end) {
  double value = 0;
  const auto read = std::from_chars(at, end, value, std::chars_format::hex);
  if (read.ec != std::errc() || !(value >= 0))
    throw Xapian::SerialisationError("malformed quantised BM25 parameters");
  at = read.ptr;
  return value;
}

}  // namespace

double quantise_weight(double weight) {
  if (!(std::fabs(weight) < kLargestQuantised)) return weight;
  // IEEE arithmetic (no -ffast-math) keeps the compiler from folding this back into `weight`.
  return (weight + kShift) - kShift;
}

QuantisedBM25Weight::QuantisedBM25Weight(double k1, double b)
    : Xapian::BM25Weight(k1, 0, 1, b, kMinNormalisedLength), k1_(k1), b_(b) {}

std::string QuantisedBM25Weight::name() const {
  return "lupa.QuantisedBM25Weight";
}

// k1 and b in hexadecimal (every bit, whatever the machine or locale), a space between.
std::string QuantisedBM25Weight::serialise() const {
  std::string out;
  append_hex(out, k1_);
  out += ' ';
  append_hex(out, b_);
  return out;
}

QuantisedBM25Weight* QuantisedBM25Weight::unserialise(const std::string& serialised) const {
  const char* at = serialised.data();
  const char* const end = at + serialised.size();
  const double k1 = read_hex(at, end);
  if (at == end || *at != ' ') throw Xapian::SerialisationError("malformed quantised BM25");
  ++at;
  const double b = read_hex(at, end);
  if (at != end) throw Xapian::SerialisationError("malformed quantised BM25");
  return new QuantisedBM25Weight(k1, b);
}

double QuantisedBM25Weight::get_sumpart(Xapian::termcount wdf, Xapian::termcount length,
                                        Xapian::termcount unique_terms) const {
  return quantise_weight(Xapian::BM25Weight::get_sumpart(wdf, length, unique_terms));
}

// Rounding keeps order, so no quantised part exceeds the quantised bound.
double QuantisedBM25Weight::get_maxpart() const {
  return quantise_weight(Xapian::BM25Weight::get_maxpart());
}

QuantisedBM25Weight* QuantisedBM25Weight::clone() const {
  return new QuantisedBM25Weight(k1_, b_);
}

void register_quantised_bm25(Xapian::Registry& registry) {
  registry.register_weighting_scheme(QuantisedBM25Weight(1, 0.5));
}

}  // namespace lupa::analyzers
