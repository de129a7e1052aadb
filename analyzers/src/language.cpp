#include "lupa/analyzers/language.h"

#include <stdexcept>

#include "data_files.h"
#include "lupa/analyzers/text_normalizer.h"

namespace lupa::analyzers {

bool is_stop_word(std::string_view word) {
  const std::string folded = fold_diacritics(word);
  for (Language language : kLanguages)
    if (stop_words(language).contains(folded)) return true;
  return false;
}

namespace {

std::unordered_set<std::string> load_stop_words(std::string_view file_name) {
  std::unordered_set<std::string> words;
  for (const auto& line : data_file_lines(file_name)) words.insert(fold_diacritics(line));
  return words;
}

// Words that mark Spanish by their letters, whatever the stop lists say.
bool has_spanish_letters(std::string_view word) {
  static constexpr std::string_view kMarks[] = {"ñ", "á", "é", "í", "ó", "ú", "¿", "¡"};
  for (std::string_view mark : kMarks)
    if (word.find(mark) != std::string_view::npos) return true;
  return false;
}

}  // namespace

std::string_view language_code(Language language) {
  return language == Language::kSpanish ? "es" : "en";
}

Language language_from_code(std::string_view code) {
  if (code == "es") return Language::kSpanish;
  if (code == "en") return Language::kEnglish;
  throw std::invalid_argument("unknown language code '" + std::string(code) + "' (es or en)");
}

std::string_view snowball_name(Language language) {
  return language == Language::kSpanish ? "spanish" : "english";
}

const std::unordered_set<std::string>& stop_words(Language language) {
  static const auto spanish = load_stop_words("stopwords-es.txt");
  static const auto english = load_stop_words("stopwords-en.txt");
  return language == Language::kSpanish ? spanish : english;
}

Language identify_language(std::span<const std::string> words, Language fallback) {
  const auto& spanish = stop_words(Language::kSpanish);
  const auto& english = stop_words(Language::kEnglish);
  int spanish_score = 0;
  int english_score = 0;
  for (const std::string& word : words) {
    const bool in_spanish = spanish.contains(word);
    const bool in_english = english.contains(word);
    if (in_spanish && !in_english) ++spanish_score;
    if (in_english && !in_spanish) ++english_score;
    if (has_spanish_letters(word)) ++spanish_score;
  }
  if (spanish_score == english_score) return fallback;
  return spanish_score > english_score ? Language::kSpanish : Language::kEnglish;
}

Language identify_language(std::string_view text, Language fallback) {
  const auto words = segment_words(text);
  return identify_language(words, fallback);
}

}  // namespace lupa::analyzers
