// A posting source of every document id from `first` to `last`: the part of a match one
// thread runs when a query's match is split by document id (SearchService). Used only as the
// filter side of OP_FILTER, so it adds no weight and the ids it gives that no document has
// (deleted passages) never match: the other side gives only documents that exist.
#pragma once

#include <xapian.h>

#include <algorithm>
#include <string>

namespace lupa::searchd {

class DocidRange final : public Xapian::PostingSource {
 public:
  DocidRange(Xapian::docid first, Xapian::docid last)
      : first_(std::max<Xapian::docid>(first, 1)), last_(last) {}

  void init(const Xapian::Database& database) override {
    current_ = 0;
    const Xapian::doccount span = last_ < first_ ? 0 : last_ - first_ + 1;
    most_ = std::min<Xapian::doccount>(span, database.get_doccount());
  }
  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return most_; }
  Xapian::doccount get_termfreq_max() const override { return most_; }

  void next(double) override { current_ = current_ == 0 ? first_ : current_ + 1; }
  void skip_to(Xapian::docid wanted, double) override {
    if (wanted > current_) current_ = std::max(wanted, first_);
  }
  bool at_end() const override { return current_ > last_; }
  Xapian::docid get_docid() const override { return current_; }

  DocidRange* clone() const override { return new DocidRange(first_, last_); }
  std::string name() const override { return "lupa.DocidRange"; }
  std::string get_description() const override {
    return "lupa.DocidRange(" + std::to_string(first_) + ".." + std::to_string(last_) + ")";
  }

 private:
  Xapian::docid first_;
  Xapian::docid last_;
  Xapian::docid current_ = 0;
  Xapian::doccount most_ = 0;
};

}  // namespace lupa::searchd
