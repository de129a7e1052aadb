// Turns passage text into Xapian terms: the indexing half of the analysis.
//
// Each word (see segment_words) becomes one term: its accent-insensitive stem in the
// passage's language, with Z prefix and its position (see index_stem), so phrase queries run
// on stems, matching QueryAnalyzer's Xapian::QueryParser::STEM_ALL_Z. Unstemmed words are not
// indexed: every query is stemmed, and wildcards expand over stems (see query_analyzer.h);
// leaving them out saved about 15 % of indexing time. Stop words are indexed too: phrases such as
// "rendición de cuentas" need them; queries drop them outside phrases.
//
// Each glossary concept one of whose terms of two words or more a field holds, in either
// language, becomes a term too (schema::concept_term, once per occurrence): the query side
// asks for it instead of reading the positions of every term's phrase.
#pragma once

#include <xapian.h>

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lupa/analyzers/language.h"

namespace lupa::analyzers {

/// Longer "words" (base64, URLs, table debris) are neither indexed nor offered as spelling
/// corrections: they only bloat the index, and Xapian refuses terms over 245 bytes.
inline constexpr std::size_t kMaxIndexedWordBytes = 64;

class PassageAnalyzer {
 public:
  /// Adds the terms of `text` to `document`. Positions continue from the previous call on the
  /// same document (call start_document first), so a heading and its body do not form
  /// phrases across their boundary. `wdf_increment` weights fields such as titles.
  void add_text(Xapian::Document& document, std::string_view text, Language language,
                Xapian::termcount wdf_increment = 1);

  /// The same for a text already segmented (`words` as segment_words gives them), so that the
  /// indexer segments each passage once for its terms and its spelling words.
  void add_words(Xapian::Document& document, std::span<const std::string> words, Language language,
                 Xapian::termcount wdf_increment = 1);

  /// Resets positions for a new document.
  void start_document() { next_position_ = 1; }

 private:
  const std::string& stem_term(const std::string& word, Language language);

  Xapian::termpos next_position_ = 1;
  // Words repeat a great deal across a corpus; caching their terms halves indexing time.
  std::unordered_map<std::string, std::string> cache_[2];  // word -> Z term
  std::vector<std::string> stem_terms_;  // of the current field, for the glossary's phrases
};

}  // namespace lupa::analyzers
