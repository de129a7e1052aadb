#include "lupa/analyzers/query_analyzer.h"

#include "lupa/analyzers/language.h"
#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/stemming.h"
#include "lupa/analyzers/text_normalizer.h"

namespace lupa::analyzers {
namespace {

// QueryParser hands the stopper lower-case words with their accents; the lists are folded.
class BilingualStopper final : public Xapian::Stopper {
 public:
  bool operator()(const std::string& word) const override {
    const std::string folded = fold_diacritics(word);
    for (Language language : kLanguages)
      if (stop_words(language).contains(folded)) return true;
    return false;
  }
  std::string get_description() const override { return "bilingual stopper"; }
};

// "agency:SFP", "challenge:\"public integrity\"": resolves the value like a filter parameter.
class FacetFieldProcessor final : public Xapian::FieldProcessor {
 public:
  explicit FacetFieldProcessor(const schema::Facet& facet) : facet_(facet) {}
  Xapian::Query operator()(const std::string& value) override {
    return Xapian::Query(schema::facet_term(facet_, schema::canonical_value(facet_, value)));
  }

 private:
  schema::Facet facet_;
};

constexpr unsigned kFullSyntax =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD;

}  // namespace

Xapian::Query QueryAnalyzer::parse_with(const std::string& text, unsigned flags) const {
  Xapian::Query combined;
  std::string first_description;
  for (Language language : kLanguages) {
    Xapian::QueryParser parser;
    parser.set_database(database_);
    parser.set_stemmer(folding_stemmer(language));
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_ALL_Z);
    parser.set_stopper((new BilingualStopper)->release());
    parser.set_default_op(Xapian::Query::OP_AND);
    for (const schema::Facet& facet : schema::kFacets)
      parser.add_boolean_prefix(std::string(facet.name), (new FacetFieldProcessor(facet))->release());
    Xapian::Query reading = parser.parse_query(text, flags);
    const std::string description = reading.get_description();
    if (combined.empty()) {
      combined = reading;
      first_description = description;
    } else if (description != first_description) {
      combined = Xapian::Query(Xapian::Query::OP_OR, combined, reading);
    }
  }
  return combined;
}

Xapian::Query QueryAnalyzer::parse(std::string_view user_query) const {
  const std::string text = normalize_nfkc(user_query);
  try {
    return parse_with(text, kFullSyntax);
  } catch (const Xapian::QueryParserError&) {
    // Fall through: read the words alone, as most search boxes do with stray operators.
  }
  try {
    return parse_with(text, 0);
  } catch (const Xapian::QueryParserError& error) {
    throw QuerySyntaxError("query cannot be read: " + error.get_msg());
  }
}

std::unordered_set<std::string> query_terms(const Xapian::Query& query) {
  return {query.get_unique_terms_begin(), query.get_unique_terms_end()};
}

}  // namespace lupa::analyzers
