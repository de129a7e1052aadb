// Snowball stemming (Xapian::Stem) made accent-insensitive.
//
// Words are folded (accents removed, ñ kept) before stemming, on both the indexing and the
// query side, so "informacion" and "información" are one term whichever way either was typed.
// Spanish Snowball rules are written for accented text: "información" and "informaciones"
// both stem to "inform" only when the -ción accent is there. Every Spanish word ending in
// -cion/-sion is written -ción/-sión, so that one accent is put back before stemming.
#pragma once

#include <xapian.h>

#include <string>
#include <unordered_set>
#include <vector>

#include "lupa/analyzers/language.h"

namespace lupa::analyzers {

/// A Xapian::Stem giving the accent-insensitive Snowball stem of `language` (see above).
/// Give it to Xapian::QueryParser. One object per thread: Xapian::Stem is not thread-safe.
Xapian::Stem folding_stemmer(Language language);

/// The stem a word contributes to the index (what folding_stemmer gives, from a per-thread
/// stemmer). `word` is lower case, as segment_words returns it.
std::string index_stem(const std::string& word, Language language);

/// A stemmer for Xapian::MSet::snippet that highlights every word the query matched: of the
/// stems a word has in either language, it returns one that is among `query_terms`
/// (Z-prefixed, as Xapian::Query::get_unique_terms gives them) when there is one.
/// Not thread-safe; make one per snippet run.
Xapian::Stem highlighting_stemmer(std::unordered_set<std::string> query_terms);

}  // namespace lupa::analyzers
