#include "lupa/analyzers/term_boost.h"

#include <charconv>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace lupa::analyzers {
namespace {

class TermBoostSource final : public Xapian::PostingSource {
 public:
  TermBoostSource(std::string term, double weight) : term_(std::move(term)), weight_(weight) {
    if (!(weight_ >= 0)) throw std::invalid_argument("a term's boost must be at least 0");
  }

  void init(const Xapian::Database& database) override {
    // Each sub-database of a match over several gets its own copy (clone()).
    postings_ = database.postlist_begin(term_);
    end_ = database.postlist_end(term_);
    started_ = false;
    passages_ = database.get_termfreq(term_);
    set_maxweight(passages_ == 0 ? 0 : weight_);
  }

  Xapian::doccount get_termfreq_min() const override { return passages_; }
  Xapian::doccount get_termfreq_est() const override { return passages_; }
  Xapian::doccount get_termfreq_max() const override { return passages_; }

  void next(double) override {
    if (started_)
      ++postings_;
    else
      started_ = true;
  }
  void skip_to(Xapian::docid wanted, double) override {
    started_ = true;
    postings_.skip_to(wanted);
  }
  bool at_end() const override { return started_ && postings_ == end_; }
  Xapian::docid get_docid() const override { return *postings_; }
  double get_weight() const override { return weight_; }

  TermBoostSource* clone() const override { return new TermBoostSource(term_, weight_); }
  std::string name() const override { return "lupa.TermBoostSource"; }
  // The weight in hexadecimal (every bit, whatever the machine or locale), a line end, then
  // the term.
  std::string serialise() const override {
    char weight[64];
    const auto written =
        std::to_chars(weight, weight + sizeof weight, weight_, std::chars_format::hex);
    return std::string(weight, written.ptr) + '\n' + term_;
  }
  TermBoostSource* unserialise(const std::string& serialised) const override {
    const std::size_t end = serialised.find('\n');
    if (end == std::string::npos || end == 0 || end > 40)
      throw Xapian::SerialisationError("malformed term boost");
    double weight = 0;
    const auto read =
        std::from_chars(serialised.data(), serialised.data() + end, weight, std::chars_format::hex);
    if (read.ec != std::errc() || read.ptr != serialised.data() + end || !(weight >= 0))
      throw Xapian::SerialisationError("malformed term boost");
    return new TermBoostSource(serialised.substr(end + 1), weight);
  }
  std::string get_description() const override {
    return "lupa.TermBoostSource(" + term_ + ", " + std::to_string(weight_) + ")";
  }

 private:
  std::string term_;
  double weight_;
  Xapian::PostingIterator postings_;
  Xapian::PostingIterator end_;
  bool started_ = false;
  Xapian::doccount passages_ = 0;
};

}  // namespace

Xapian::Query term_boost(const std::string& term, double weight) {
  return Xapian::Query((new TermBoostSource(term, weight))->release());
}

void register_term_boost(Xapian::Registry& registry) {
  const TermBoostSource prototype("", 0);
  registry.register_posting_source(prototype);
}

}  // namespace lupa::analyzers
