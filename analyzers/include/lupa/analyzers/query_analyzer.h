// Turns a user's query string into a Xapian::Query: the querying half of the analysis.
//
// Xapian::QueryParser reads the syntax (phrases, AND/OR/NOT, +/-, field:value for every facet
// in the schema, trailing wildcards). A query carries no reliable language, so it is parsed
// once with each language's folding stemmer and the two readings are OR-ed: "corrupcion" meets
// Spanish passages through the Spanish stem and English ones through the English stem.
#pragma once

#include <xapian.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_set>

namespace lupa::analyzers {

/// The query could not be read even leniently; what() says why, for the user.
class QuerySyntaxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class QueryAnalyzer {
 public:
  /// `database` is the index the query will run on; it must outlive the analyzer.
  explicit QueryAnalyzer(const Xapian::Database& database) : database_(database) {}

  /// Parses `user_query` (valid UTF-8). Free-text words are required (AND), stop words of
  /// either language are dropped outside phrases. Syntax the parser rejects (a lone operator)
  /// is re-read as plain words; throws QuerySyntaxError only when that fails too.
  Xapian::Query parse(std::string_view user_query) const;

 private:
  Xapian::Query parse_with(const std::string& text, unsigned flags) const;
  const Xapian::Database& database_;
};

/// The Z-prefixed and plain terms of `query`, for highlighting_stemmer.
std::unordered_set<std::string> query_terms(const Xapian::Query& query);

}  // namespace lupa::analyzers
