#include "lupa/analyzers/query_analyzer.h"

#include <algorithm>
#include <vector>

#include "lupa/analyzers/agency_question.h"
#include "lupa/analyzers/glossary.h"
#include "lupa/analyzers/language.h"
#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/stemming.h"
#include "lupa/analyzers/text_normalizer.h"

namespace lupa::analyzers {
namespace {

// QueryParser hands the stopper lower-case words with their accents; the lists are folded.
class BilingualStopper final : public Xapian::Stopper {
 public:
  bool operator()(const std::string& word) const override { return is_stop_word(word); }
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

std::string too_many_wildcards() {
  return "at most " + std::to_string(QueryLimits::kMaxWildcards) +
         " wildcards (word*) in one query";
}

// Counts its expansions into `expansions`, so that the limit holds for the field typed by
// hand too; the parse is refused afterwards (an exception must not unwind through the parser).
class WildcardProcessor final : public Xapian::FieldProcessor {
 public:
  explicit WildcardProcessor(int& expansions) : expansions_(expansions) {}
  Xapian::Query operator()(const std::string& prefix) override {
    if (++expansions_ > QueryLimits::kMaxWildcards) return Xapian::Query::MatchNothing;
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
      expansions.emplace_back(Xapian::Query::OP_WILDCARD, pattern, QueryLimits::kMaxWildcardTerms,
                              Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    }
    return Xapian::Query(Xapian::Query::OP_SYNONYM, expansions.begin(), expansions.end());
  }

 private:
  int& expansions_;
};

// Rewrites "word*" outside quotes as "lupawildcard:word". A few wildcards serve any real
// query; each may expand to hundreds of terms, so more are refused.
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
      if (++wildcards > QueryLimits::kMaxWildcards) throw QueryLimitError(too_many_wildcards());
      out.insert(word_start, std::string(kWildcardField) + ":");
      continue;
    }
    out += c;
    if (c == ' ' || c == '(' || c == '"' || c == '+' || c == '-') word_start = out.size();
  }
  return out;
}

// Shorter words are too often a real word of another language or an acronym.
constexpr std::size_t kMinCorrectedBytes = 4;

// "finales" and "final", "beneficiarios" and "beneficiaries" differ in their last letters
// only: inflections, not misspellings, when the word's stem is indexed anyway. A misspelling
// ("transparancy") usually differs inside the word.
bool differs_only_in_ending(const std::string& word, const std::string& suggestion) {
  const std::size_t shorter = std::min(word.size(), suggestion.size());
  std::size_t common = 0;
  while (common < shorter && word[common] == suggestion[common]) ++common;
  return common + 2 >= shorter;
}

constexpr unsigned kFullSyntax =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_PURE_NOT;

// The indexed term of `word` in `language` ("Z" + stem).
std::string stem_term(const std::string& word, Language language) {
  std::string term(schema::kStemPrefix);
  term.append(index_stem(word, language));
  return term;
}

bool is_operator_word(std::string_view token) {
  return token == "AND" || token == "OR" || token == "NOT" || token == "XOR" || token == "NEAR" ||
         token == "ADJ";
}

// A token the glossary may rewrite: one word, with nothing the parser gives a meaning to.
bool is_plain_word(std::string_view token) {
  if (token.empty() || is_operator_word(token)) return false;
  if (token.front() == '+' || token.front() == '-') return false;
  if (token.find_first_of("\":*()") != std::string_view::npos) return false;
  return segment_words(token).size() == 1;
}

struct Token {
  std::string text;
  bool plain = false;
};

// Splits at spaces, keeping a quoted phrase in one token.
std::vector<Token> tokenize(const std::string& text) {
  std::vector<Token> tokens;
  std::string current;
  bool in_quotes = false;
  for (char c : text) {
    if (c == '"') in_quotes = !in_quotes;
    if (c == ' ' && !in_quotes) {
      if (!current.empty()) tokens.push_back({std::move(current)});
      current.clear();
      continue;
    }
    current += c;
  }
  if (!current.empty()) tokens.push_back({std::move(current)});
  for (Token& token : tokens) token.plain = is_plain_word(token.text);
  return tokens;
}

std::string alternatives(const std::vector<Token>& tokens, const GlossaryMatch& match,
                         const GlossaryConcept& entry) {
  std::string typed;
  for (std::size_t i = match.first_word; i < match.first_word + match.word_count; ++i)
    typed += (typed.empty() ? "" : " ") + tokens[i].text;
  const std::string typed_folded = fold_for_matching(typed);
  std::string out = "((" + typed + ")";
  for (Language language : kLanguages)
    for (const std::string& term : entry.terms(language))
      if (fold_for_matching(term) != typed_folded) out += " OR \"" + term + "\"";
  return out + ")";
}

}  // namespace

std::string expand_with_glossary(const std::string& text, const Glossary& glossary,
                                 std::vector<std::string>& concepts,
                                 std::vector<Language>& matched_languages) {
  const std::vector<Token> tokens = tokenize(text);
  std::string out;
  auto append = [&out](const std::string& piece) { out += (out.empty() ? "" : " ") + piece; };
  for (std::size_t i = 0; i < tokens.size();) {
    if (!tokens[i].plain) {
      append(tokens[i++].text);
      continue;
    }
    std::size_t end = i;
    std::vector<std::string> words;
    while (end < tokens.size() && tokens[end].plain)
      words.push_back(segment_words(tokens[end++].text)[0]);
    std::vector<Token> run(tokens.begin() + static_cast<std::ptrdiff_t>(i),
                           tokens.begin() + static_cast<std::ptrdiff_t>(end));
    std::size_t next = 0;
    for (const GlossaryMatch& match : glossary.find(words)) {
      for (; next < match.first_word; ++next) append(run[next].text);
      const GlossaryConcept& entry = glossary.concepts()[match.concept_index];
      append(alternatives(run, match, entry));
      concepts.push_back(entry.id);
      matched_languages.push_back(match.language);
      next = match.first_word + match.word_count;
    }
    for (; next < run.size(); ++next) append(run[next].text);
    i = end;
  }
  return out;
}

std::optional<Language> language_of_query(std::string_view text) {
  static constexpr std::string_view kSpanishLetters[] = {"ñ", "á", "é", "í", "ó", "ú", "¿", "¡"};
  const std::string lower = normalize_nfkc(text);
  for (std::string_view letter : kSpanishLetters)
    if (lower.find(letter) != std::string::npos) return Language::kSpanish;
  int spanish = 0, english = 0;
  for (const std::string& word : segment_words(text)) {
    const std::string folded = fold_diacritics(word);
    spanish += stop_words(Language::kSpanish).contains(folded) ? 1 : 0;
    english += stop_words(Language::kEnglish).contains(folded) ? 1 : 0;
  }
  if (spanish > english) return Language::kSpanish;
  if (english > spanish) return Language::kEnglish;
  return std::nullopt;
}

Xapian::Query QueryAnalyzer::parse_with(const std::string& text, unsigned flags,
                                        bool any_word) const {
  Xapian::Query combined;
  std::string first_description;
  for (Language language : kLanguages) {
    if (!options_.both_stemmers && language != Language::kSpanish) continue;
    Xapian::QueryParser parser;
    parser.set_database(database_);
    parser.set_stemmer(folding_stemmer(language));
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_ALL_Z);
    parser.set_stopper((new BilingualStopper)->release());
    parser.set_default_op(any_word ? Xapian::Query::OP_OR : Xapian::Query::OP_AND);
    for (const schema::Facet& facet : options_.facets)
      parser.add_boolean_prefix(std::string(facet.name),
                                (new FacetFieldProcessor(facet))->release());
    int wildcards = 0;
    parser.add_prefix(std::string(kWildcardField), (new WildcardProcessor(wildcards))->release());
    Xapian::Query reading = parser.parse_query(text, flags);
    if (wildcards > QueryLimits::kMaxWildcards) throw QueryLimitError(too_many_wildcards());
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

std::string QueryAnalyzer::spelling_correction(const std::string& text) const {
  // Word by word rather than QueryParser's FLAG_SPELLING_CORRECTION, which corrects every word
  // missing from the dictionary, even one whose stem the index holds ("finales" -> "final").
  bool changed = false;
  std::string corrected;
  for (const Token& token : tokenize(text)) {
    std::string out = token.text;
    if (token.plain) {
      const std::string word = segment_words(token.text)[0];
      const bool indexed =
          std::any_of(std::begin(kLanguages), std::end(kLanguages),
                      [&](Language l) { return database_.term_exists(stem_term(word, l)); });
      const std::string suggestion =
          word.size() >= kMinCorrectedBytes && word.size() <= QueryLimits::kMaxCorrectedBytes
              ? database_.get_spelling_suggestion(fold_diacritics(word))
              : std::string();
      if (!suggestion.empty() &&
          (!indexed || !differs_only_in_ending(fold_diacritics(word), suggestion))) {
        // The dictionary holds words without accents (see indexer/index_writer.h); the
        // indexer noted how each is written, so "corupcion" is offered as "corrupción".
        const std::string written =
            database_.get_metadata(schema::accented_spelling_key(suggestion));
        out = written.empty() ? suggestion : written;
        changed = true;
      }
    }
    corrected += (corrected.empty() ? "" : " ") + out;
  }
  return changed ? corrected : "";
}

std::optional<Language> QueryAnalyzer::language_by_index(const std::string& text) const {
  // A word whose stem in one language is indexed and whose stem in the other is not was
  // written in the first ("socially": English "social" is indexed, Spanish "socially" not).
  int votes[2] = {0, 0};
  for (const std::string& word : segment_words(text)) {
    bool indexed[2];
    for (Language language : kLanguages)
      indexed[language == Language::kEnglish] = database_.term_exists(stem_term(word, language));
    if (indexed[0] != indexed[1]) ++votes[indexed[1] ? 1 : 0];
  }
  if (votes[1] > votes[0]) return Language::kEnglish;
  if (votes[0] > votes[1]) return Language::kSpanish;
  return std::nullopt;
}

AnalyzedQuery QueryAnalyzer::analyze(std::string_view user_query, bool any_word) const {
  const std::string text = normalize_nfkc(user_query);
  if (text.size() > QueryLimits::kMaxNormalizedBytes)
    throw QueryLimitError("longer than " + std::to_string(QueryLimits::kMaxNormalizedBytes) +
                          " bytes once normalised (some characters stand for several)");
  if (segment_words(text).size() > QueryLimits::kMaxWords)
    throw QueryLimitError("at most " + std::to_string(QueryLimits::kMaxWords) +
                          " words in one query");
  AnalyzedQuery analyzed;
  std::optional<AgencyQuestion> question;
  if (options_.glossary)
    question = read_agency_question(text, [this](const std::string& id) {
      return database_.get_termfreq(schema::facet_term(*schema::find_facet("agency"), id));
    });
  if (question) analyzed.agencies = question->agencies;
  // "compromisos del INAI": the body and the framing words say what to rank first, not words
  // every passage must hold.
  const std::string words = question && question->plain ? question->topic : text;
  std::vector<Language> matched_languages;
  const std::string expanded =
      options_.glossary
          ? expand_with_glossary(words, Glossary::bundled(), analyzed.concepts, matched_languages)
          : words;
  if (analyzed.concepts.size() > QueryLimits::kMaxConcepts)
    throw QueryLimitError("names more than " + std::to_string(QueryLimits::kMaxConcepts) +
                          " glossary concepts; search for fewer at a time");
  if (!matched_languages.empty() &&
      std::all_of(matched_languages.begin(), matched_languages.end(),
                  [&](Language l) { return l == matched_languages.front(); }))
    analyzed.language = matched_languages.front();
  else
    analyzed.language = language_of_query(text);
  if (!analyzed.language) analyzed.language = language_by_index(text);
  if (options_.spelling) analyzed.corrected = spelling_correction(text);
  if (question && question->plain && question->topic.empty()) {
    analyzed.query = agency_passages(question->agencies, options_.facets);
    return analyzed;
  }
  try {
    analyzed.query = parse_with(rewrite_wildcards(expanded), kFullSyntax, any_word);
    if (!analyzed.concepts.empty()) {
      // The words as typed weigh again: a passage in the query's own words outranks one
      // found through the glossary's translation alone.
      analyzed.query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, analyzed.query,
                                     parse_with(rewrite_wildcards(words), kFullSyntax, any_word));
    }
    if (question)
      analyzed.query =
          Xapian::Query(Xapian::Query::OP_AND_MAYBE, analyzed.query,
                        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                      agency_signal(question->agencies, options_.facets),
                                      AgencySignal::kBesideTopic));
    return analyzed;
  } catch (const Xapian::QueryParserError&) {
    // Fall through: read the words alone, as most search boxes do with stray operators.
  }
  try {
    analyzed.query = parse_with(text, 0, any_word);
    return analyzed;
  } catch (const Xapian::QueryParserError& error) {
    throw QuerySyntaxError("query cannot be read: " + error.get_msg());
  }
}

std::unordered_set<std::string> query_terms(const Xapian::Query& query) {
  return {query.get_unique_terms_begin(), query.get_unique_terms_end()};
}

}  // namespace lupa::analyzers
