// Snowball stemming (Xapian::Stem) made accent-insensitive.
//
// Spanish Snowball rules are written for accented text ("información" and "informaciones" both
// stem to "inform"), but a citizen often types "informacion". Stemming folded text instead
// would break the rules, so each indexed word gets the stem of the word as written and, when
// it differs, the stem of its accent-folded form; a query word typed either way meets one.
#pragma once

#include <xapian.h>

#include <string>
#include <unordered_set>
#include <vector>

#include "lupa/analyzers/language.h"

namespace lupa::analyzers {

/// A Xapian::Stem whose output is the Snowball stem of `language` with diacritics folded
/// (ñ kept). Give it to Xapian::QueryParser. One object per thread: Xapian::Stem is not
/// thread-safe.
Xapian::Stem folding_stemmer(Language language);

/// The distinct stems a word contributes to the index: the folded stem of the word as
/// written and of its accent-folded form. `word` is lower case, as segment_words returns it.
std::vector<std::string> index_stems(const std::string& word, Language language);

/// A stemmer for Xapian::MSet::snippet that highlights every word the query matched: of the
/// stems a word has in any language (see index_stems), it returns one that is among
/// `query_terms` (Z-prefixed, as Xapian::Query::get_unique_terms gives them) when there is
/// one. Not thread-safe; make one per snippet run.
Xapian::Stem highlighting_stemmer(std::unordered_set<std::string> query_terms);

}  // namespace lupa::analyzers
