// Turns a user's query string into a Xapian::Query: the querying half of the analysis.
//
// Xapian::QueryParser reads the syntax (phrases, AND/OR/NOT, +/-, field:value for every facet
// in the schema, trailing wildcards). A query carries no reliable language, so it is parsed
// once with each language's folding stemmer and the two readings are OR-ed: "corrupcion" meets
// Spanish passages through the Spanish stem and English ones through the English stem.
// Before parsing, runs of plain words that name a glossary concept ("beneficial ownership")
// become an OR of the words as typed and the concept's terms in both languages ("beneficiarios
// finales"), so a query in one language finds passages in the other.
#pragma once

#include <xapian.h>

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "lupa/analyzers/language.h"
#include "lupa/analyzers/schema.h"

namespace lupa::analyzers {

class Glossary;
class SpellChecker;

/// The query could not be read even leniently; what() says why, for the user.
class QuerySyntaxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The query asks for more work than any real query needs; what() names the limit, for the
/// user. Every expansion the analysis does is bounded by one of these limits, whatever the
/// client types:
struct QueryLimits {
  /// Bytes after Unicode normalisation: one character may normalise to eighteen (U+FDFA).
  static constexpr std::size_t kMaxNormalizedBytes = 4096;
  /// Words after normalisation: each costs stemming, spelling and index lookups.
  static constexpr std::size_t kMaxWords = 64;
  /// Trailing wildcards (word*), each expanded to at most kMaxWildcardTerms indexed stems.
  static constexpr int kMaxWildcards = 4;
  static constexpr unsigned kMaxWildcardTerms = 200;
  /// Glossary concepts a query is widened with, each to a handful of phrases.
  static constexpr std::size_t kMaxConcepts = 16;
  /// Longer words are not looked up in the spelling dictionary (an edit-distance search).
  static constexpr std::size_t kMaxCorrectedBytes = 40;
  /// Words of one query the spelling dictionaries are asked to suggest for: a suggestion costs
  /// a tenth of a second or more, so a query of many unknown words costs no more than this.
  static constexpr int kMaxDictionarySuggestions = 1;
  /// Plain words of one query checked for misspellings, the first ones: a check may try a
  /// word with each accent restored, and a query of many words is no typo.
  static constexpr std::size_t kMaxSpellCheckedWords = 12;
};

class QueryLimitError : public QuerySyntaxError {
 public:
  using QuerySyntaxError::QuerySyntaxError;
};

/// What the analysis of a query may use; all on by default. Turning them off gives the plain
/// baseline the relevance benchmark compares against (one stemmer, no glossary, no spelling).
struct QueryOptions {
  /// The facets `name:value` in a query may name.
  std::vector<schema::Facet> facets{schema::kFacets.begin(), schema::kFacets.end()};
  bool glossary = true;
  bool both_stemmers = true;  ///< else the Spanish stemmer alone
  bool spelling = true;
  /// Whether the index's spelling dictionary can be read. Xapian's remote backend serves none
  /// (shard servers): without it a word is known when the index holds its stem, corrections
  /// come from the Hunspell dictionaries alone, kept when the index holds them, and the closest
  /// and most frequent (by its stem) wins.
  bool spelling_dictionary = true;
  /// The dictionaries "did you mean" checks words against; SpellChecker::system() when null.
  std::shared_ptr<const SpellChecker> spell_checker;
};

struct AnalyzedQuery {
  Xapian::Query query;
  /// What to mark in the passages found: `query`, with the glossary's phrases its concept
  /// terms stand for (see expand_with_glossary).
  Xapian::Query marked;
  /// The query's language when its words tell it (glossary terms, stop words, Spanish
  /// letters); used to rank passages in that language first at equal relevance.
  std::optional<Language> language;
  /// The query with its misspelt words corrected, when it has any; empty otherwise. A word is
  /// misspelt when it is none of: a Spanish or English word (with or without its accents), a
  /// stop word, a body's or country's name or acronym in the reference data, a word the
  /// index holds as written. Its correction is the closest of the index's spelling
  /// suggestion and Hunspell's suggestions that the index holds; a misspelt word with a
  /// correction matches nothing itself ("transparancy" shares its English stem with
  /// "transparency" by chance), so a query of such words matches nothing as typed.
  std::string corrected;
  std::vector<std::string> concepts;  ///< glossary concepts the query was expanded with
  /// Bodies the query names (agency_question.h), the one it is about first: their passages
  /// rank first, and when the query is a plain question about them its framing words and
  /// their names are no longer required words.
  std::vector<std::string> agencies;
};

/// Xapian query parsers bound to one database handle, each configured once (stemmer, stopper,
/// a field per facet, the fields the analysis rewrites words to) rather than for every query.
/// What a query decides (the default operator, the flags) is set at each parse, and what a
/// parse leaves (Xapian's stop and unstem lists, the fields' notes) is cleared before the next:
/// a query parsed with them is the one a parser configured afresh gives.
///
/// Not thread-safe: one per thread, like the handle it is bound to, which must outlive it.
class QueryParsers {
 public:
  QueryParsers(const Xapian::Database& database, std::vector<schema::Facet> facets);
  ~QueryParsers();
  QueryParsers(const QueryParsers&) = delete;
  QueryParsers& operator=(const QueryParsers&) = delete;

 private:
  friend class QueryAnalyzer;
  class Prepared;
  std::unique_ptr<Prepared> prepared_;
};

class QueryAnalyzer {
 public:
  /// `database` is the index the query will run on; it must outlive the analyzer.
  /// With spelling on and no spell checker given, uses SpellChecker::system() (and throws
  /// SpellDictionaryError when its files are missing). With `parsers` bound to `database`
  /// (the same handle) and to `options.facets`, parses with them; else configures parsers
  /// for each parse.
  explicit QueryAnalyzer(const Xapian::Database& database, QueryOptions options = {},
                         QueryParsers* parsers = nullptr);
  /// The same, reading `options` where they are (they must outlive the analyzer) rather than a
  /// copy of them: a daemon's options hold the facet table, copied for every query otherwise.
  QueryAnalyzer(const Xapian::Database& database,
                std::reference_wrapper<const QueryOptions> options, QueryParsers* parsers);

  /// Parses `user_query` like parse(), and says what else it found. With `any_word`, free-text
  /// words are alternatives (OR) rather than all required: the relaxed reading of a question
  /// whose words never occur together. Throws QueryLimitError when the query exceeds one of
  /// QueryLimits.
  AnalyzedQuery analyze(std::string_view user_query, bool any_word = false) const;

  /// Parses `user_query` (valid UTF-8). Free-text words are required (AND), stop words of
  /// either language are dropped outside phrases. Syntax the parser rejects (a lone operator)
  /// is re-read as plain words; throws QuerySyntaxError only when that fails too.
  Xapian::Query parse(std::string_view user_query) const { return analyze(user_query).query; }

 private:
  /// Parses with `parsers` when they are bound to this analyzer's database and facets.
  void use_parsers(QueryParsers* parsers);
  Xapian::Query parse_with(const std::string& text, unsigned flags, bool any_word = false) const;
  /// The corrected query (see AnalyzedQuery::corrected); the words corrected (as
  /// segment_words gives them: lower case, no punctuation) are added to `misspelt`.
  std::string spelling_correction(const std::string& text,
                                  std::unordered_set<std::string>& misspelt) const;
  bool is_known_word(const std::string& typed, const std::string& word) const;
  /// How `word` (lower case) is written corrected, or empty when nothing close is indexed.
  /// Counts the words the dictionaries were asked for suggestions in `dictionary_asks`.
  std::string best_correction(const std::string& word, int& dictionary_asks) const;
  /// How often the corpus writes `folded`: from the spelling dictionary, or without one the
  /// passages holding its stem in either language; 0 when never.
  Xapian::doccount word_frequency(const std::string& folded) const;
  std::optional<Language> language_by_index(const std::string& text) const;
  /// `query` OR each of `phrases` as a phrase of each reading's stems.
  Xapian::Query with_phrases(const Xapian::Query& query,
                             const std::vector<std::string>& phrases) const;
  const Xapian::Database& database_;
  /// The analyzer's own copy, or the caller's options (not owned).
  std::shared_ptr<const QueryOptions> options_;
  QueryParsers* parsers_ = nullptr;
};

struct GlossaryExpansion {
  std::string text;                         ///< for the query parser
  std::vector<std::string> concepts;        ///< the concepts' ids, in order
  std::vector<Language> matched_languages;  ///< the language of each matched term
  /// The concepts' terms of two words or more (but the one typed) the concept terms stand
  /// for: what the passages are marked with.
  std::vector<std::string> phrases;
};

/// `text` with each run of plain words (outside quotes, not operators, fields or wildcards)
/// that names a glossary concept replaced by "((words as typed) OR "term" OR ...
/// lupaconcept:id)": the concept's one-word terms as words, its longer terms as the concept's
/// term (schema::concept_term), which the indexer gave every passage holding one of them.
GlossaryExpansion expand_with_glossary(const std::string& text, const Glossary& glossary);

/// The language a query's own words show, if any: Spanish letters (ñ, accents, ¿¡), then stop
/// words of one language only.
std::optional<Language> language_of_query(std::string_view text);

/// The Z-prefixed and plain terms of `query`.
std::unordered_set<std::string> query_terms(const Xapian::Query& query);

}  // namespace lupa::analyzers
