// lupa-query-dump [--xapian-classes] DB: for each line of standard input (a query as a user
// types it), the Xapian query lupa-searchd ranks with (the analysed query and, when the query
// shows its language, the same-language boost), as "query<TAB>hex of Query::serialise()".
// What bench/query_cost.py times in-process beside the raw engine. The boost is Lupa's own
// posting source (analyzers::term_boost), which only Lupa's registry reads: with
// --xapian-classes it is written as the same weights in Xapian's own classes (a
// FixedWeightPostingSource filtered by the language's term), which costs more to match. A
// query Xapian cannot serialise is named on standard error; one with a posting source of
// Lupa's (a question about a body) is written, and only Lupa's registry reads it.
// Mirrors SearchService::effective_query for a query that matches as typed, with the default
// ranking options.
#include <xapian.h>

#include <exception>
#include <iostream>
#include <string>

#include "lupa/analyzers/query_analyzer.h"
#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/term_boost.h"

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
  const bool xapian_classes = argc == 3 && std::string(argv[1]) == "--xapian-classes";
  if (argc != 2 && !xapian_classes) {
    std::cerr << "usage: lupa-query-dump [--xapian-classes] DB < queries\n";
    return 2;
  }
  try {
    const Xapian::Database database(argv[argc - 1]);
    const lupa::analyzers::QueryAnalyzer analyzer(database);
    std::string line;
    while (std::getline(std::cin, line)) {
      const lupa::analyzers::AnalyzedQuery analyzed = analyzer.analyze(line);
      Xapian::Query ranked = analyzed.query;
      if (analyzed.language) {
        const std::string term = lupa::schema::facet_term(
            *lupa::schema::find_facet("lang"),
            std::string(lupa::analyzers::language_code(*analyzed.language)));
        const Xapian::Query same_language =
            xapian_classes
                ? Xapian::Query(
                      Xapian::Query::OP_FILTER,
                      Xapian::Query(
                          (new Xapian::FixedWeightPostingSource(kSameLanguageBoost))->release()),
                      Xapian::Query(term))
                : lupa::analyzers::term_boost(term, kSameLanguageBoost);
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
