#include "lupa/analyzers/query_analyzer.h"

#include <algorithm>
#include <vector>

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

// "transparen*" is rewritten to this field, whose processor expands it over the indexed
// stems (no unstemmed words are indexed, see passage_analyzer.h).
constexpr std::string_view kWildcardField = "lupawildcard";
constexpr Xapian::termcount kMaxWildcardExpansion = 200;

class WildcardProcessor final : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& prefix) override {
    const std::string folded = fold_for_matching(prefix);
    // "transparen*" must also reach "transpar", the stem of "transparency".
    std::vector<std::string> roots{folded};
    for (Language language : kLanguages) roots.push_back(index_stem(folded, language));
    std::sort(roots.begin(), roots.end());
    roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
    std::vector<Xapian::Query> expansions;
    for (const std::string& root : roots) {
      if (root.size() < 2) continue;
      std::string pattern(schema::kStemPrefix);
      pattern += root;
      expansions.emplace_back(Xapian::Query::OP_WILDCARD, pattern, kMaxWildcardExpansion,
                              Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    }
    return Xapian::Query(Xapian::Query::OP_SYNONYM, expansions.begin(), expansions.end());
  }
};

// A few wildcards serve any real query; each may expand to hundreds of terms, so more are read
// as plain words rather than let one request do unbounded work.
constexpr int kMaxWildcards = 4;

// Rewrites "word*" outside quotes as "lupawildcard:word", for the first kMaxWildcards.
std::string rewrite_wildcards(const std::string& text) {
  std::string out;
  bool in_quotes = false;
  int wildcards = 0;
  std::size_t word_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') in_quotes = !in_quotes;
    const bool ends_word = i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == ')';
    if (c == '*' && !in_quotes && ends_word && out.size() > word_start &&
        out.find(':', word_start) == std::string::npos) {
      if (++wildcards <= kMaxWildcards) out.insert(word_start, std::string(kWildcardField) + ":");
      continue;
    }
    out += c;
    if (c == ' ' || c == '(' || c == '"' || c == '+' || c == '-') word_start = out.size();
  }
  return out;
}

constexpr unsigned kFullSyntax =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_PURE_NOT;

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
      parser.add_boolean_prefix(std::string(facet.name),
                                (new FacetFieldProcessor(facet))->release());
    parser.add_prefix(std::string(kWildcardField), (new WildcardProcessor)->release());
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
    return parse_with(rewrite_wildcards(text), kFullSyntax);
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
