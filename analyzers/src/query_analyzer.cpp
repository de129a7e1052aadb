#include "lupa/analyzers/query_analyzer.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "lupa/analyzers/agency_question.h"
#include "lupa/analyzers/facet_values.h"
#include "lupa/analyzers/glossary.h"
#include "lupa/analyzers/language.h"
#include "lupa/analyzers/query_folding.h"
#include "lupa/analyzers/reference_data.h"
#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/spell_checker.h"
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

// "agency:SFP", "challenge:\"public integrity\"", "country:Mexico", "plan:2019-2021": resolves
// the value like a filter parameter. A value that names nothing is noted in `unnamed` and the
// parse refused afterwards (an exception must not unwind through the parser).
class FacetFieldProcessor final : public Xapian::FieldProcessor {
 public:
  FacetFieldProcessor(const schema::Facet& facet, const Xapian::Database& database,
                      std::vector<std::string>& unnamed)
      : facet_(facet), database_(database), unnamed_(unnamed) {}
  Xapian::Query operator()(const std::string& value) override {
    try {
      std::vector<Xapian::Query> terms;
      for (const std::string& named : facet_values_named(facet_, value, database_))
        terms.emplace_back(schema::facet_term(facet_, named));
      return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
    } catch (const UnknownFacetValue& error) {
      unnamed_.push_back("`" + std::string(facet_.name) + ":" + value + "`: " + error.what());
      return Xapian::Query::MatchNothing;
    }
  }

 private:
  schema::Facet facet_;
  const Xapian::Database& database_;
  std::vector<std::string>& unnamed_;
};

// "transparen*" is rewritten to this field, whose processor expands it over the indexed
// stems (no unstemmed words are indexed, see passage_analyzer.h).
constexpr std::string_view kWildcardField = "lupawildcard";

std::string too_many_wildcards() {
  return "at most " + std::to_string(QueryLimits::kMaxWildcards) +
         " wildcards (word*) in one query";
}

// The most frequent terms of the whole database that start with `pattern` (most frequent
// first, ties in byte order), at most `limit`. Expanded here rather than left to Xapian's
// OP_WILDCARD, which expands per database: over shards each shard would weigh the wildcard
// from the terms it happens to hold, and the scores would differ from one database's.
std::vector<std::string> most_frequent_terms(const Xapian::Database& database,
                                             const std::string& pattern, std::size_t limit) {
  std::vector<std::pair<Xapian::doccount, std::string>> found;
  for (auto term = database.allterms_begin(pattern); term != database.allterms_end(pattern); ++term)
    found.emplace_back(term.get_termfreq(), *term);
  const auto more_frequent = [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
  if (found.size() > limit) {
    std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(limit),
                      found.end(), more_frequent);
    found.resize(limit);
  } else {
    std::sort(found.begin(), found.end(), more_frequent);
  }
  std::vector<std::string> terms;
  terms.reserve(found.size());
  for (auto& [frequency, term] : found) terms.push_back(std::move(term));
  return terms;
}

// Counts its expansions into `expansions`, so that the limit holds for the field typed by
// hand too; the parse is refused afterwards (an exception must not unwind through the parser).
class WildcardProcessor final : public Xapian::FieldProcessor {
 public:
  WildcardProcessor(const Xapian::Database& database, int& expansions)
      : database_(database), expansions_(expansions) {}
  Xapian::Query operator()(const std::string& prefix) override {
    if (++expansions_ > QueryLimits::kMaxWildcards) return Xapian::Query::MatchNothing;
    const std::string folded = fold_for_matching(prefix);
    // "transparen*" must also reach "transpar", the stem of "transparency".
    std::vector<std::string> roots{folded};
    for (Language language : kLanguages) roots.push_back(index_stem(folded, language));
    std::sort(roots.begin(), roots.end());
    roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
    // One root may begin another ("transpar", "transparen"): each term is weighed once.
    std::set<std::string> terms;
    for (const std::string& root : roots) {
      if (root.size() < 2) continue;
      std::string pattern(schema::kStemPrefix);
      pattern += root;
      for (std::string& term :
           most_frequent_terms(database_, pattern, QueryLimits::kMaxWildcardTerms))
        terms.insert(std::move(term));
    }
    const std::vector<Xapian::Query> expansions(terms.begin(), terms.end());
    return Xapian::Query(Xapian::Query::OP_SYNONYM, expansions.begin(), expansions.end());
  }

 private:
  const Xapian::Database& database_;
  int& expansions_;
};

// A misspelt word with a correction is rewritten to this field, which matches nothing.
constexpr std::string_view kMisspeltField = "lupamisspelt";

class MisspeltWordProcessor final : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string&) override { return Xapian::Query::MatchNothing; }
};

// A glossary concept's phrases, as the concept's term (schema::concept_term): "lupaconcept:
// open_data". The parser hands a field processor a value up to a hyphen, so the id's hyphens
// travel as underscores (ids are lower-case ASCII letters, digits and hyphens).
constexpr std::string_view kConceptField = "lupaconcept";

std::string concept_field_value(std::string id) {
  std::replace(id.begin(), id.end(), '-', '_');
  return id;
}

class ConceptProcessor final : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& value) override {
    std::string id = value;
    std::replace(id.begin(), id.end(), '_', '-');
    return Xapian::Query(schema::concept_term(id));
  }
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

// How often the corpus writes `folded`, from the index's spelling dictionary; 0 when never.
Xapian::doccount spelling_frequency(const Xapian::Database& database, const std::string& folded) {
  Xapian::TermIterator word = database.spellings_begin();
  word.skip_to(folded);
  return word != database.spellings_end() && *word == folded ? word.get_termfreq() : 0;
}

// Words in capitals up to this long are taken for acronyms.
constexpr std::size_t kMaxUnknownAcronymBytes = 6;

// Farther suggestions are other words, not corrections.
constexpr std::size_t kMaxCorrectionEdits = 2;

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
                         const Glossary& glossary, std::vector<std::string>& phrases) {
  const GlossaryConcept& entry = glossary.concepts()[match.concept_index];
  std::string typed;
  for (std::size_t i = match.first_word; i < match.first_word + match.word_count; ++i)
    typed += (typed.empty() ? "" : " ") + tokens[i].text;
  const std::string typed_folded = fold_for_matching(typed);
  std::string out = "((" + typed + ")";
  for (Language language : kLanguages)
    for (const std::string& term : entry.terms(language)) {
      if (fold_for_matching(term) == typed_folded) continue;
      if (Glossary::is_phrase_term(term))
        phrases.push_back(term);
      else
        out += " OR \"" + term + "\"";
    }
  // Every phrase of the concept, as the one term the indexer gave the passages holding one.
  if (glossary.has_phrase_term(match.concept_index))
    out += " OR " + std::string(kConceptField) + ":" + concept_field_value(entry.id);
  return out + ")";
}

// `readings` (one parse per stemmer, so trees of one shape) with every excluded subquery
// (`-word`, `NOT word`) replaced by the same subquery of all readings OR-ed: a passage is
// matched by the reading of its own language, and must lack the excluded word under every
// stemmer, not only under that one ("-transparencia": the English stemmer does not reduce
// "transparencia" to the Spanish stem the passages hold).
std::vector<Xapian::Query> share_exclusions(const std::vector<Xapian::Query>& readings) {
  const Xapian::Query& first = readings.front();
  const auto type = first.get_type();
  const std::size_t count = first.get_num_subqueries();
  const bool same_shape =
      is_plain_composite(type) &&
      std::all_of(readings.begin(), readings.end(), [&](const Xapian::Query& reading) {
        return reading.get_type() == type && reading.get_num_subqueries() == count;
      });
  if (!same_shape) return readings;
  std::vector<std::vector<Xapian::Query>> children(readings.size());
  for (std::size_t i = 0; i < count; ++i) {
    std::vector<Xapian::Query> subqueries;
    for (const Xapian::Query& reading : readings) subqueries.push_back(reading.get_subquery(i));
    if (type == Xapian::Query::OP_AND_NOT && i > 0) {
      const Xapian::Query excluded(Xapian::Query::OP_OR, subqueries.begin(), subqueries.end());
      subqueries.assign(readings.size(), excluded);
    } else {
      subqueries = share_exclusions(subqueries);
    }
    for (std::size_t r = 0; r < readings.size(); ++r) children[r].push_back(subqueries[r]);
  }
  std::vector<Xapian::Query> rebuilt;
  for (const auto& subqueries : children)
    rebuilt.emplace_back(type, subqueries.begin(), subqueries.end());
  return rebuilt;
}

// "-transparencia" alone: Xapian's parser reads a query of excluded words only as those words
// (wanted), so each becomes "NOT word", which FLAG_PURE_NOT reads as everything but it.
std::string exclusions_alone_as_not(const std::string& text) {
  const std::vector<Token> tokens = tokenize(text);
  const bool all_excluded =
      !tokens.empty() && std::all_of(tokens.begin(), tokens.end(), [](const Token& token) {
        return token.text.size() > 1 && token.text.front() == '-';
      });
  if (!all_excluded) return text;
  std::string out;
  for (const Token& token : tokens) out += (out.empty() ? "NOT " : " NOT ") + token.text.substr(1);
  return out;
}

// `text` without its plain stop words (outside quotes, not beside an operator). The parser's
// stopper drops them too, but not before a bracketed group: "la de ((transparencia) OR
// \"transparency\"))", the glossary's widening of "la de transparencia", would require "la"
// and "de". Kept when nothing else would remain.
std::string without_stop_words(const std::string& text) {
  const std::vector<Token> tokens = tokenize(text);
  std::string out;
  bool dropped = false;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const bool beside_operator = (i > 0 && is_operator_word(tokens[i - 1].text)) ||
                                 (i + 1 < tokens.size() && is_operator_word(tokens[i + 1].text));
    if (tokens[i].plain && !beside_operator && is_stop_word(segment_words(tokens[i].text)[0])) {
      dropped = true;
      continue;
    }
    out += (out.empty() ? "" : " ") + tokens[i].text;
  }
  return dropped && !out.empty() ? out : text;
}

// The readings OR-ed, each once: a passage matches through the stemmer of its language.
Xapian::Query either_reading(const std::vector<Xapian::Query>& readings) {
  if (readings.empty()) return Xapian::Query();
  Xapian::Query combined;
  std::unordered_set<std::string> seen;
  for (const Xapian::Query& reading : share_exclusions(readings)) {
    if (!seen.insert(reading.get_description()).second) continue;
    combined = combined.empty() ? reading : Xapian::Query(Xapian::Query::OP_OR, combined, reading);
  }
  return combined;
}

bool is_field_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// The `name:` prefixes of `text` (outside quotes, at the start of a word, directly followed
// by a value) that name no field: the parser would read them as words and match nothing.
// "https://…" is a web address, not a field.
std::vector<std::string> unknown_fields(std::string_view text,
                                        const std::vector<schema::Facet>& facets) {
  std::vector<std::string> unknown;
  bool in_quotes = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') in_quotes = !in_quotes;
    const bool starts_word =
        i == 0 || std::string_view(" (+-").find(text[i - 1]) != std::string_view::npos;
    if (in_quotes || !starts_word || !std::isalpha(static_cast<unsigned char>(c))) continue;
    std::size_t end = i;
    while (end < text.size() && is_field_name_char(text[end])) ++end;
    if (end + 1 >= text.size() || text[end] != ':' || text[end + 1] == ' ' ||
        text.substr(end + 1, 2) == "//")
      continue;
    const std::string_view name = text.substr(i, end - i);
    const bool known = name == kWildcardField ||
                       std::any_of(facets.begin(), facets.end(),
                                   [&](const schema::Facet& facet) { return facet.name == name; });
    if (!known) unknown.emplace_back(name);
    i = end;
  }
  return unknown;
}

std::string unknown_field_message(const std::vector<std::string>& unknown,
                                  const std::vector<schema::Facet>& facets) {
  std::string fields;
  for (const schema::Facet& facet : facets) {
    if (!fields.empty()) fields += ", ";
    fields += std::string(facet.name) + ":";
  }
  return "`" + unknown.front() + ":` is not a field; a query may use " + fields +
         " (for example country:mx, plan:2019-2021), or quote the text to search for it";
}

}  // namespace

GlossaryExpansion expand_with_glossary(const std::string& text, const Glossary& glossary) {
  const std::vector<Token> tokens = tokenize(text);
  GlossaryExpansion expansion;
  std::string& out = expansion.text;
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
      append(alternatives(run, match, glossary, expansion.phrases));
      expansion.concepts.push_back(glossary.concepts()[match.concept_index].id);
      expansion.matched_languages.push_back(match.language);
      next = match.first_word + match.word_count;
    }
    for (; next < run.size(); ++next) append(run[next].text);
    i = end;
  }
  return expansion;
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

class QueryParsers::Prepared {
 public:
  Prepared(const Xapian::Database& database, std::vector<schema::Facet> facets)
      : database_(database), facets_(std::move(facets)) {}

  bool binds(const Xapian::Database& database, const std::vector<schema::Facet>& facets) const {
    return &database == &database_ &&
           std::equal(facets.begin(), facets.end(), facets_.begin(), facets_.end(),
                      [](const schema::Facet& a, const schema::Facet& b) {
                        return a.name == b.name && a.prefix == b.prefix;
                      });
  }

  // `text` read with `language`'s stemmer; throws what the fields noted.
  Xapian::Query parse(Language language, const std::string& text, unsigned flags, bool any_word) {
    Xapian::QueryParser& parser = parser_for(language);
    parser.set_default_op(any_word ? Xapian::Query::OP_OR : Xapian::Query::OP_AND);
    unnamed_values_.clear();
    wildcards_ = 0;
    Xapian::Query reading = parser.parse_query(text, flags);
    if (wildcards_ > QueryLimits::kMaxWildcards) throw QueryLimitError(too_many_wildcards());
    if (!unnamed_values_.empty()) throw UnknownFacetValue(unnamed_values_.front());
    return reading;
  }

 private:
  Xapian::QueryParser& parser_for(Language language) {
    std::optional<Xapian::QueryParser>& prepared = parsers_[static_cast<std::size_t>(language)];
    if (prepared) return *prepared;
    Xapian::QueryParser& parser = prepared.emplace();
    parser.set_database(database_);
    parser.set_stemmer(folding_stemmer(language));
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_ALL_Z);
    parser.set_stopper((new BilingualStopper)->release());
    for (const schema::Facet& facet : facets_)
      parser.add_boolean_prefix(
          std::string(facet.name),
          (new FacetFieldProcessor(facet, database_, unnamed_values_))->release());
    parser.add_prefix(std::string(kWildcardField),
                      (new WildcardProcessor(database_, wildcards_))->release());
    parser.add_prefix(std::string(kMisspeltField), (new MisspeltWordProcessor)->release());
    parser.add_prefix(std::string(kConceptField), (new ConceptProcessor)->release());
    return parser;
  }

  const Xapian::Database& database_;
  std::vector<schema::Facet> facets_;
  // What the fields note during one parse: read after it, cleared before the next.
  std::vector<std::string> unnamed_values_;
  int wildcards_ = 0;
  std::optional<Xapian::QueryParser> parsers_[std::size(kLanguages)];
};

QueryParsers::QueryParsers(const Xapian::Database& database, std::vector<schema::Facet> facets)
    : prepared_(std::make_unique<Prepared>(database, std::move(facets))) {}

QueryParsers::~QueryParsers() = default;

Xapian::Query QueryAnalyzer::parse_with(const std::string& text, unsigned flags,
                                        bool any_word) const {
  std::optional<QueryParsers> configured_now;
  QueryParsers& parsers =
      parsers_ ? *parsers_ : configured_now.emplace(database_, options_->facets);
  const std::string parsed =
      flags & Xapian::QueryParser::FLAG_PURE_NOT ? exclusions_alone_as_not(text) : text;
  std::vector<Xapian::Query> readings;
  for (Language language : kLanguages) {
    if (!options_->both_stemmers && language != Language::kSpanish) continue;
    readings.push_back(parsers.prepared_->parse(language, parsed, flags, any_word));
  }
  return either_reading(readings);
}

Xapian::Query QueryAnalyzer::with_phrases(const Xapian::Query& query,
                                          const std::vector<std::string>& phrases) const {
  if (phrases.empty()) return query;
  std::vector<Xapian::Query> alternatives{query};
  for (const std::string& phrase : phrases)
    for (Language language : kLanguages) {
      if (!options_->both_stemmers && language != Language::kSpanish) continue;
      // With their positions, as the parser gives them: a phrase's terms are listed in
      // position order (Query::get_terms_begin), and the highlighter reads them so.
      std::vector<Xapian::Query> terms;
      for (const std::string& word : segment_words(phrase))
        terms.emplace_back(stem_term(word, language), 1,
                           static_cast<Xapian::termpos>(terms.size() + 1));
      alternatives.emplace_back(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(),
                                static_cast<Xapian::termcount>(terms.size()));
    }
  return Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
}

namespace {

// `options` as an analyzer reads them: with spelling on and no spell checker given, the system's.
std::shared_ptr<const QueryOptions> completed(QueryOptions options) {
  if (options.spelling && !options.spell_checker) options.spell_checker = SpellChecker::system();
  return std::make_shared<const QueryOptions>(std::move(options));
}

}  // namespace

QueryAnalyzer::QueryAnalyzer(const Xapian::Database& database, QueryOptions options,
                             QueryParsers* parsers)
    : database_(database), options_(completed(std::move(options))) {
  use_parsers(parsers);
}

QueryAnalyzer::QueryAnalyzer(const Xapian::Database& database,
                             std::reference_wrapper<const QueryOptions> options,
                             QueryParsers* parsers)
    : database_(database),
      // Where they are (an empty owner, the caller's address), unless they need completing.
      options_(options.get().spelling && !options.get().spell_checker
                   ? completed(options.get())
                   : std::shared_ptr<const QueryOptions>(std::shared_ptr<const QueryOptions>(),
                                                         &options.get())) {
  use_parsers(parsers);
}

void QueryAnalyzer::use_parsers(QueryParsers* parsers) {
  if (parsers && parsers->prepared_->binds(database_, options_->facets)) parsers_ = parsers;
}

bool QueryAnalyzer::is_known_word(const std::string& typed, const std::string& word) const {
  if (word.size() < kMinCorrectedBytes || word.size() > QueryLimits::kMaxCorrectedBytes)
    return true;  // too short to tell from an acronym; too long to look up
  if (std::any_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return true;
  if (is_stop_word(word)) return true;
  // An acronym the reference data does not know names a body all the same: "correcting" it
  // to another body's ("SFPP" -> "SHCP") would search for the wrong one.
  if (typed.size() <= kMaxUnknownAcronymBytes &&
      std::all_of(typed.begin(), typed.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
    return true;
  // As written, not by its stem: "transparancy" and "transparency" share the stem "transpar".
  // Without the dictionary, by its stem: such a misspelling then goes uncorrected, but it
  // finds what the word it stands for finds. Asked first: one look-up, where the names below
  // fold every body's acronyms and every country's names, and most words are in the index.
  const std::string folded = fold_for_matching(word);
  if (word_frequency(folded) > 0) return true;
  const ReferenceData& reference = ReferenceData::instance();
  if (reference.resolve("agencies", typed) || reference.resolve("organizations", typed))
    return true;
  for (const Country& country : reference.countries()) {
    if (fold_for_matching(country.name.en) == folded ||
        fold_for_matching(country.name.es) == folded)
      return true;
    for (const std::string& name : country.other_names)
      if (fold_for_matching(name) == folded) return true;
  }
  return options_->spell_checker->is_word(typed);
}

Xapian::doccount QueryAnalyzer::word_frequency(const std::string& folded) const {
  if (options_->spelling_dictionary) return spelling_frequency(database_, folded);
  Xapian::doccount most = 0;
  for (Language language : kLanguages)
    most = std::max(most, database_.get_termfreq(stem_term(folded, language)));
  return most;
}

std::string QueryAnalyzer::best_correction(const std::string& word, int& dictionary_asks) const {
  const std::string folded = fold_diacritics(word);
  struct Candidate {
    std::string folded;
    std::string written;
  };
  std::vector<Candidate> candidates;
  if (options_->spelling_dictionary)
    if (std::string suggestion = database_.get_spelling_suggestion(folded); !suggestion.empty())
      candidates.push_back({suggestion, suggestion});
  // Hunspell's suggest() takes a tenth of a second or more: not asked when the index already
  // offers a word one edit away, as close as any other could be.
  // Nor for more than a few words of one query: a client cannot make one request cost seconds.
  const bool close_enough =
      !candidates.empty() && edit_distance(folded, candidates.front().folded) <= 1;
  const bool ask = !close_enough && dictionary_asks < QueryLimits::kMaxDictionarySuggestions;
  if (ask) ++dictionary_asks;
  for (const std::string& suggestion :
       ask ? options_->spell_checker->suggest(word) : std::vector<std::string>()) {
    std::string suggestion_folded = fold_for_matching(suggestion);
    // A suggestion that matches nothing helps nobody.
    const bool indexed = word_frequency(suggestion_folded) > 0 ||
                         std::any_of(std::begin(kLanguages), std::end(kLanguages), [&](Language l) {
                           return database_.term_exists(stem_term(suggestion_folded, l));
                         });
    if (indexed) candidates.push_back({std::move(suggestion_folded), suggestion});
  }
  const Candidate* best = nullptr;
  std::size_t best_distance = kMaxCorrectionEdits + 1;
  Xapian::doccount best_frequency = 0;
  for (const Candidate& candidate : candidates) {
    if (candidate.folded == folded) continue;  // accents only: the search ignores them
    const std::size_t distance = edit_distance(folded, candidate.folded);
    const Xapian::doccount frequency = word_frequency(candidate.folded);
    if (distance < best_distance || (distance == best_distance && frequency > best_frequency)) {
      best = &candidate;
      best_distance = distance;
      best_frequency = frequency;
    }
  }
  if (!best) return "";
  // The dictionary holds words without accents (see indexer/index_writer.h); the indexer
  // noted how each is written, so "corupcion" is offered as "corrupción".
  const std::string written = database_.get_metadata(schema::accented_spelling_key(best->folded));
  return written.empty() ? best->written : written;
}

std::string QueryAnalyzer::spelling_correction(const std::string& text,
                                               std::unordered_set<std::string>& misspelt) const {
  // Word by word rather than QueryParser's FLAG_SPELLING_CORRECTION, which corrects every word
  // missing from the index's dictionary, valid words included ("agua" -> "area").
  bool changed = false;
  int dictionary_asks = 0;
  std::size_t checked = 0;
  std::string corrected;
  for (const Token& token : tokenize(text)) {
    std::string out = token.text;
    if (token.plain && checked++ < QueryLimits::kMaxSpellCheckedWords) {
      const std::string word = segment_words(token.text)[0];
      const std::vector<std::string> typed = segment_words_keeping_case(token.text);
      if (!is_known_word(typed.empty() ? word : typed[0], word)) {
        if (std::string correction = best_correction(word, dictionary_asks); !correction.empty()) {
          out = std::move(correction);
          misspelt.insert(word);
          changed = true;
        }
      }
    }
    corrected += (corrected.empty() ? "" : " ") + out;
  }
  return changed ? corrected : "";
}

namespace {

// `text` with each plain token whose word is in `misspelt` made a word that matches nothing.
std::string without_misspelt_words(const std::string& text,
                                   const std::unordered_set<std::string>& misspelt) {
  std::string out;
  for (const Token& token : tokenize(text)) {
    out += out.empty() ? "" : " ";
    // By the word, not the token: a question's topic is rebuilt without its punctuation
    // ("transparancy?" typed, "transparancy" in the topic).
    if (token.plain && misspelt.contains(segment_words(token.text)[0]))
      out += std::string(kMisspeltField) + ":";
    out += token.text;
  }
  return out;
}

}  // namespace

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
  if (const auto unknown = unknown_fields(text, options_->facets); !unknown.empty())
    throw QuerySyntaxError(unknown_field_message(unknown, options_->facets));
  AnalyzedQuery analyzed;
  std::optional<AgencyQuestion> question;
  if (options_->glossary)
    question = read_agency_question(text, [this](const std::string& id) {
      return database_.get_termfreq(schema::facet_term(*schema::find_facet("agency"), id));
    });
  if (question) analyzed.agencies = question->agencies;
  // "compromisos del INAI": the body and the framing words say what to rank first, not words
  // every passage must hold.
  const std::string asked = question && question->plain ? question->topic : text;
  std::unordered_set<std::string> misspelt;
  if (options_->spelling) analyzed.corrected = spelling_correction(text, misspelt);
  const std::string words = misspelt.empty() ? asked : without_misspelt_words(asked, misspelt);
  GlossaryExpansion expansion;
  if (options_->glossary)
    expansion = expand_with_glossary(words, Glossary::bundled());
  else
    expansion.text = words;
  const std::string& expanded = expansion.text;
  const std::vector<Language>& matched_languages = expansion.matched_languages;
  analyzed.concepts = std::move(expansion.concepts);
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
  if (question && question->plain && question->topic.empty()) {
    analyzed.query = analyzed.marked = agency_passages(question->agencies, options_->facets);
    return analyzed;
  }
  try {
    analyzed.query =
        parse_with(rewrite_wildcards(without_stop_words(expanded)), kFullSyntax, any_word);
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
                                      agency_signal(question->agencies, options_->facets),
                                      AgencySignal::kBesideTopic));
    analyzed.marked = with_phrases(analyzed.query, expansion.phrases);
    analyzed.query = fold_repeated_subqueries(analyzed.query);
    return analyzed;
  } catch (const Xapian::QueryParserError&) {
    // Fall through: read the words alone, as most search boxes do with stray operators.
  }
  try {
    analyzed.marked = parse_with(text, 0, any_word);
    analyzed.query = fold_repeated_subqueries(analyzed.marked);
    return analyzed;
  } catch (const Xapian::QueryParserError& error) {
    throw QuerySyntaxError("query cannot be read: " + error.get_msg());
  }
}

std::unordered_set<std::string> query_terms(const Xapian::Query& query) {
  return {query.get_unique_terms_begin(), query.get_unique_terms_end()};
}

}  // namespace lupa::analyzers
