// Whether a word is a word of Spanish or English, and how a misspelt one may be written, from
// Debian's Hunspell dictionaries (hunspell-es, hunspell-en-us) through libhunspell.
//
// "Did you mean" must never correct a valid word (agua, cuidados, missing, contra): the index's
// spelling dictionary alone knows only the corpus's words, so a word the corpus happens not to
// hold looks misspelt. The language's dictionary says it is not.
//
// Users type without accents, so a word is valid when it is valid as typed, lower-cased, with
// its accents ignored, or with one accent (or an ñ) restored: "formacion", "informacion",
// "compania" are words. Hunspell accepts an upper-case word whose lower-case form is valid.
// A common prefix before a valid word makes a word ("anticorruption", "cocreation").
//
// Loading: once per process, at start-up (the daemon builds one and shares it); a missing or
// unreadable dictionary file throws SpellDictionaryError naming the file, rather than leaving
// every suggestion wrong. Thread safety: every member is safe to call from any thread. A
// Hunspell object is not thread-safe (suggest() keeps state), so each dictionary is loaded
// twice, a copy for checks and one for suggestions, each used under its own mutex: spell()
// takes microseconds and never waits behind a suggestion; suggest() is only asked about words
// no check recognised, at most one per query, and is bounded by kMaxSuggestedBytes.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lupa/analyzers/language.h"

namespace lupa::analyzers {

/// A dictionary file is missing or unreadable; what() names it.
class SpellDictionaryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SpellChecker {
 public:
  /// Where Debian installs the dictionaries.
  static constexpr std::string_view kDefaultDirectory = "/usr/share/hunspell";
  /// The dictionary of each language, as `<name>.aff` and `<name>.dic` in the directory.
  /// es_MX is Debian's es_ES (a symbolic link): Mexican and peninsular spelling alike.
  static constexpr std::string_view kSpanishDictionary = "es_MX";
  static constexpr std::string_view kEnglishDictionary = "en_US";
  /// Hunspell's suggest() takes a tenth of a second or more per language, and longer on long
  /// words (its edits multiply): longer words are not given suggestions. Few words a search
  /// needs are that long.
  static constexpr std::size_t kMaxSuggestedBytes = 16;
  /// Suggestions kept per language, in Hunspell's order (closest first).
  static constexpr std::size_t kMaxSuggestions = 8;
  /// Words whose suggestions are remembered: a results page, its next page, its export and
  /// its feed each analyse the query again, and suggest() costs a tenth of a second or more.
  /// When full, the memory is emptied and starts again.
  static constexpr std::size_t kMaxRememberedWords = 4096;

  /// Loads both languages' dictionaries from `directory`. Throws SpellDictionaryError naming
  /// the first file missing.
  explicit SpellChecker(const std::filesystem::path& directory = kDefaultDirectory);
  ~SpellChecker();
  SpellChecker(const SpellChecker&) = delete;
  SpellChecker& operator=(const SpellChecker&) = delete;

  /// The one shared by whoever was given none: loaded from kDefaultDirectory on first use
  /// (which throws SpellDictionaryError when a file is missing, and again on the next use).
  static std::shared_ptr<const SpellChecker> system();

  /// `word` (UTF-8, one word) is a word of Spanish or English, as typed, lower-cased, with its
  /// accents ignored or one restored, or a common prefix (anti, co, re, ...) and such a word.
  bool is_word(std::string_view word) const;
  /// Whether `word` is valid in `language`, as typed or lower-cased; accents as written.
  bool is_word_in(std::string_view word, Language language) const;

  /// Hunspell's suggestions for `word`, Spanish first then English, each language's closest
  /// first, at most kMaxSuggestions per language, single words only. Empty for a word over
  /// kMaxSuggestedBytes. Remembered (see kMaxRememberedWords).
  std::vector<std::string> suggest(std::string_view word) const;

 private:
  /// `folded` (lower case, accent-folded) is a word as it is or with accents restored.
  bool is_folded_word(const std::string& folded) const;
  class Dictionary;
  std::unique_ptr<Dictionary> dictionaries_[2];  // by Language, see language.h
  mutable std::mutex remembered_mutex_;
  mutable std::unordered_map<std::string, std::vector<std::string>> remembered_;
};

/// The edit distance between `a` and `b` counted in characters (UTF-8 code points), an
/// adjacent transposition counting as one edit (optimal string alignment).
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace lupa::analyzers
