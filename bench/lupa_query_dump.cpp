// lupa-query-dump DB: for each line of standard input (a query as a user types it), the
// Xapian query lupa-searchd ranks with (the analysed query and, when the query shows its
// language, the same-language boost), as "query<TAB>hex of Query::serialise()". What
// bench/query_cost.py times in-process beside the raw engine. A query Xapian cannot serialise
// (a question about a body carries Lupa's own posting source) is named on standard error.
// Mirrors SearchService::effective_query for a query that matches as typed, with the default
// ranking options.
#include <xapian.h>

#include <exception>
#include <iostream>
#include <string>

#include "lupa/analyzers/query_analyzer.h"
#include "lupa/analyzers/schema.h"

namespace {

constexpr double kSameLanguageBoost = 0.5;  // search_service.cpp

std::string hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: lupa-query-dump DB < queries\n";
    return 2;
  }
  try {
    const Xapian::Database database(argv[1]);
    const lupa::analyzers::QueryAnalyzer analyzer(database);
    std::string line;
    while (std::getline(std::cin, line)) {
      const lupa::analyzers::AnalyzedQuery analyzed = analyzer.analyze(line);
      Xapian::Query ranked = analyzed.query;
      if (analyzed.language) {
        const Xapian::Query same_language(
            Xapian::Query::OP_FILTER,
            Xapian::Query((new Xapian::FixedWeightPostingSource(kSameLanguageBoost))->release()),
            Xapian::Query(lupa::schema::facet_term(
                *lupa::schema::find_facet("lang"),
                std::string(lupa::analyzers::language_code(*analyzed.language)))));
        ranked = Xapian::Query(Xapian::Query::OP_AND_MAYBE, analyzed.query, same_language);
      }
      try {
        const std::string serialised = ranked.serialise();
        std::cout << line << '\t' << hex(serialised) << '\n';
      } catch (const Xapian::UnimplementedError&) {
        std::cerr << "lupa-query-dump: not serialisable: " << line << ": "
                  << ranked.get_description() << '\n';
      }
    }
    return 0;
  } catch (const Xapian::Error& error) {
    std::cerr << "lupa-query-dump: " << error.get_description() << '\n';
  } catch (const std::exception& error) {
    std::cerr << "lupa-query-dump: " << error.what() << '\n';
  }
  return 1;
}
