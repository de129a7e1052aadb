// The bilingual glossary (data/glossary.tsv): open-government terms in English and Spanish that
// name the same concept, so that a query in one language also finds passages in the other.
//
// Terms are compared by their stems in their own language, word by word, so "contrataciones
// públicas" in a query meets the glossary's "contratación pública", and "Beneficial Owners"
// meets "beneficial ownership" (both stem to "benefici owner").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "lupa/analyzers/language.h"
#include "lupa/analyzers/phrase_matcher.h"

namespace lupa::analyzers {

struct GlossaryConcept {
  std::string id;
  std::vector<std::string> english;
  std::vector<std::string> spanish;
  const std::vector<std::string>& terms(Language language) const {
    return language == Language::kEnglish ? english : spanish;
  }
};

/// A glossary term found among a query's words.
struct GlossaryMatch {
  std::size_t first_word = 0;
  std::size_t word_count = 0;
  std::size_t concept_index = 0;           ///< into Glossary::concepts()
  Language language = Language::kSpanish;  ///< the language of the term that matched
};

class Glossary {
 public:
  /// The glossary compiled from analyzers/data/glossary.tsv.
  static const Glossary& bundled();

  void add(GlossaryConcept entry);

  /// The terms among `words` (lower-case words as segment_words gives them): at each position
  /// the longest term of either language wins; matches do not overlap.
  std::vector<GlossaryMatch> find(const std::vector<std::string>& words) const;

  const std::vector<GlossaryConcept>& concepts() const { return concepts_; }

  /// The concepts (indexes into concepts(), once per occurrence) of which `stem_terms` hold a
  /// term of two words or more, wherever a phrase query on that term would find it: the
  /// passage's words as the index holds them (Z-prefixed stems in the passage's language,
  /// consecutive positions), the term's words stemmed by either of the query's two readings.
  /// The indexer gives each passage a concept term per concept found (schema::concept_term),
  /// so that a query widened with a concept asks for one term instead of every phrase.
  std::vector<std::size_t> phrase_concepts_in(const std::vector<std::string>& stem_terms) const;

  /// Changes whenever the glossary's concepts or terms do (a hex digest of them): the indexer
  /// re-reads every file when it changes, since the concept terms it wrote follow the glossary.
  std::string fingerprint() const;

  /// Whether `concept_index` has a term of two words or more.
  bool has_phrase_term(std::size_t concept_index) const { return has_phrase_term_[concept_index]; }

  /// Whether `term` (one term of a concept, as the glossary writes it) is two words or more.
  static bool is_phrase_term(const std::string& term);

 private:
  std::vector<GlossaryConcept> concepts_;
  std::vector<bool> has_phrase_term_;
  std::uint64_t digest_ = 14695981039346656037ull;  // FNV-1a of ids and terms, as added
  PhraseMatcher matchers_[2];                       // by stems: English, Spanish
  // The phrase terms of both languages, by the Z terms of each reading: English, Spanish.
  PhraseMatcher phrase_readings_[2];
};

}  // namespace lupa::analyzers
