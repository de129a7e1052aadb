// Unicode handling shared by indexing and querying, built on ICU.
//
// Matching is case-insensitive and accent-insensitive, except that ñ stays distinct from n
// ("año" and "ano" are different words in Spanish). All functions take and return UTF-8 and
// are safe to call from several threads at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lupa::analyzers {

/// True when `bytes` is well-formed UTF-8 (no overlongs, surrogates or truncated sequences).
bool is_valid_utf8(std::string_view bytes);

/// Decodes text in the Windows-1252 superset of Latin-1, the usual encoding of legacy
/// Spanish and English text files, to UTF-8.
std::string windows1252_to_utf8(std::string_view bytes);

/// NFKC normalisation without case folding (for query strings, whose operators are upper case).
std::string normalize_nfkc(std::string_view utf8);

/// Removes diacritics (á→a, ü→u, ç→c) but keeps ñ/Ñ; leaves case alone.
std::string fold_diacritics(std::string_view utf8);

/// Splits text into words with ICU's word break rules after NFKC case folding.
/// Punctuation and spaces are dropped; words keep their accents and are lower case.
/// Dotted names ("gob.mx") are split at dots next to a letter, as Xapian's query parser does.
std::vector<std::string> segment_words(std::string_view utf8);

/// Like segment_words, but the words keep their case (NFC, not case-folded): for recognisers
/// that must tell the acronym "SEP" from the month abbreviation "sep".
std::vector<std::string> segment_words_keeping_case(std::string_view utf8);

/// Lower case and accent-folded (ñ kept): the form names are compared in.
std::string fold_for_matching(std::string_view utf8);

}  // namespace lupa::analyzers
