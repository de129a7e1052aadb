#include "lupa/analyzers/query_folding.h"

#include <atomic>
#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace lupa::analyzers {
namespace {

// Equal for two queries that match the same passages with the same weights (see the header);
// distinct otherwise, as far as Xapian 1.4's API lets a query be read back.
std::string key_of(const Xapian::Query& query) {
  const auto type = query.get_type();
  std::string key;
  if (type == Xapian::Query::LEAF_TERM) {
    key.append("T").append(std::to_string(query.get_length())).append(":");
    key.append(*query.get_terms_begin());
    return key;
  }
  if (is_plain_composite(type) || type == Xapian::Query::OP_SYNONYM ||
      type == Xapian::Query::OP_MAX) {
    key.append("O").append(std::to_string(static_cast<int>(type))).append("(");
    for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
      const std::string sub = key_of(query.get_subquery(i));
      key.append(std::to_string(sub.size())).append(":").append(sub);
    }
    return key.append(")");
  }
  // Parameters the API does not give back (a phrase's window, a weight's factor, a posting
  // source's state) are in the serialised form, and so are positions, which only makes equal
  // queries look different: a missed fold, never a wrong one.
  try {
    return key.append("S").append(query.serialise());
  } catch (const Xapian::UnimplementedError&) {
    // A posting source that cannot be serialised is equal to nothing else.
    static std::atomic<unsigned long> unique{0};
    return key.append("U").append(std::to_string(unique++));
  }
}

// The alternatives of an OR, each once, with how many times it occurs.
class Alternatives {
 public:
  // Adds `query`'s alternatives (those of nested ORs, or `query` itself) `times` times.
  void add(const Xapian::Query& query, unsigned times);
  // Whether each of `other`'s alternatives is one of these.
  bool covers(const Alternatives& other) const;
  void add_all(const Alternatives& other);
  Xapian::Query query() const;

 private:
  struct Alternative {
    std::string key;
    Xapian::Query query;
    unsigned times;
  };
  std::vector<Alternative> in_order_;
  std::unordered_map<std::string, std::size_t> index_of_;
  void add_one(const std::string& key, const Xapian::Query& query, unsigned times);
};

Xapian::Query fold(const Xapian::Query& query);

void Alternatives::add(const Xapian::Query& query, unsigned times) {
  if (query.get_type() == Xapian::Query::OP_OR) {
    for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) add(query.get_subquery(i), times);
    return;
  }
  const Xapian::Query folded = fold(query);
  add_one(key_of(folded), folded, times);
}

void Alternatives::add_one(const std::string& key, const Xapian::Query& query, unsigned times) {
  const auto [at, added] = index_of_.try_emplace(key, in_order_.size());
  if (added)
    in_order_.push_back({key, query, times});
  else
    in_order_[at->second].times += times;
}

bool Alternatives::covers(const Alternatives& other) const {
  for (const Alternative& alternative : other.in_order_)
    if (!index_of_.contains(alternative.key)) return false;
  return true;
}

void Alternatives::add_all(const Alternatives& other) {
  for (const Alternative& alternative : other.in_order_)
    add_one(alternative.key, alternative.query, alternative.times);
}

Xapian::Query Alternatives::query() const {
  std::vector<Xapian::Query> weighted;
  weighted.reserve(in_order_.size());
  for (const Alternative& alternative : in_order_)
    weighted.push_back(alternative.times == 1
                           ? alternative.query
                           : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, alternative.query,
                                           static_cast<double>(alternative.times)));
  if (weighted.size() == 1) return weighted.front();
  return Xapian::Query(Xapian::Query::OP_OR, weighted.begin(), weighted.end());
}

Xapian::Query fold(const Xapian::Query& query) {
  const auto type = query.get_type();
  if (!is_plain_composite(type)) return query;
  const std::size_t count = query.get_num_subqueries();
  if (type == Xapian::Query::OP_OR) {
    Alternatives alternatives;
    alternatives.add(query, 1);
    return alternatives.query();
  }
  if (type == Xapian::Query::OP_AND_MAYBE) {
    // (((L AND_MAYBE R1) AND_MAYBE R2) ...): each Ri covered by L's alternatives weighs them
    // again; the others stay optional.
    Alternatives required;
    required.add(query.get_subquery(0), 1);
    std::vector<Xapian::Query> optional;
    for (std::size_t i = 1; i < count; ++i) {
      Alternatives maybe;
      maybe.add(query.get_subquery(i), 1);
      if (required.covers(maybe))
        required.add_all(maybe);
      else
        optional.push_back(maybe.query());
    }
    if (optional.empty()) return required.query();
    std::vector<Xapian::Query> subqueries;
    subqueries.reserve(1 + optional.size());
    subqueries.push_back(required.query());
    for (const Xapian::Query& maybe : optional) subqueries.push_back(maybe);
    return Xapian::Query(type, subqueries.begin(), subqueries.end());
  }
  std::vector<Xapian::Query> subqueries;
  subqueries.reserve(count);
  for (std::size_t i = 0; i < count; ++i) subqueries.push_back(fold(query.get_subquery(i)));
  return Xapian::Query(type, subqueries.begin(), subqueries.end());
}

}  // namespace

bool is_plain_composite(Xapian::Query::op type) {
  switch (type) {
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
      return true;
    default:
      return false;
  }
}

Xapian::Query fold_repeated_subqueries(const Xapian::Query& query) {
  return fold(query);
}

}  // namespace lupa::analyzers
