// The languages Lupa analyses, their stop words, and per-passage language identification.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <unordered_set>

namespace lupa::analyzers {

enum class Language { kSpanish, kEnglish };

inline constexpr Language kLanguages[] = {Language::kSpanish, Language::kEnglish};

/// ISO 639-1 code: "es", "en".
std::string_view language_code(Language language);

/// The language with ISO 639-1 `code`, or throws std::invalid_argument naming it.
Language language_from_code(std::string_view code);

/// The name Xapian::Stem knows the language's Snowball stemmer by ("spanish", "english").
std::string_view snowball_name(Language language);

/// Stop words of `language`, accent-folded and lower case (from analyzers/data/stopwords-*.txt).
const std::unordered_set<std::string>& stop_words(Language language);

/// Whether `word` (lower case, with or without its accents) is a stop word of either language.
bool is_stop_word(std::string_view word);

/// Identifies the language of a passage from its words (as segment_words returns them).
/// Counts the words that are stop words in only one of the two languages, plus letters only
/// Spanish uses (ñ, ¿, ¡, accented vowels); with no evidence either way, returns `fallback`.
Language identify_language(std::span<const std::string> words, Language fallback);

/// Convenience overload: segments `text` first.
Language identify_language(std::string_view text, Language fallback);

}  // namespace lupa::analyzers
