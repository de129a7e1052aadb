#include "lupa/analyzers/spell_checker.h"

#include <algorithm>
#include <hunspell.hxx>
#include <mutex>

#include "lupa/analyzers/text_normalizer.h"

namespace lupa::analyzers {

class SpellChecker::Dictionary {
 public:
  Dictionary(const std::filesystem::path& directory, std::string_view name) {
    const std::filesystem::path aff = directory / (std::string(name) + ".aff");
    const std::filesystem::path dic = directory / (std::string(name) + ".dic");
    for (const auto& file : {aff, dic}) {
      std::error_code error;
      if (!std::filesystem::is_regular_file(file, error))
        throw SpellDictionaryError("spelling dictionary " + file.string() +
                                   " is missing (Debian packages hunspell-es and hunspell-en-us)");
    }
    checker_ = std::make_unique<Hunspell>(aff.c_str(), dic.c_str());
    suggester_ = std::make_unique<Hunspell>(aff.c_str(), dic.c_str());
    if (checker_->get_dict_encoding() != "UTF-8")
      throw SpellDictionaryError("spelling dictionary " + aff.string() + " is not UTF-8");
  }

  bool spell(const std::string& word) const {
    std::lock_guard lock(checker_mutex_);
    return checker_->spell(word);
  }

  std::vector<std::string> suggest(const std::string& word) const {
    std::lock_guard lock(suggester_mutex_);
    return suggester_->suggest(word);
  }

 private:
  // Two copies: a check takes microseconds and a suggestion a tenth of a second or more, so
  // the checks of every other request never wait behind a suggestion.
  mutable std::mutex checker_mutex_;
  std::unique_ptr<Hunspell> checker_;
  mutable std::mutex suggester_mutex_;
  std::unique_ptr<Hunspell> suggester_;
};

namespace {

// Longer words are not tried with an accent, ñ or ü restored.
constexpr std::size_t kMaxAccentRestoredBytes = 20;

std::size_t index_of(Language language) {
  return language == Language::kSpanish ? 0 : 1;
}

std::string lower_case(std::string_view word) {
  const std::vector<std::string> words = segment_words(word);
  return words.size() == 1 ? words.front() : std::string(word);
}

// Spanish writes at most one accent per word, plus ñ and ü: "formacion" is "formación",
// "compania" "compañía". Each variant of the accent-folded, lower-case word with one accent
// or ü, optionally with one ñ too.
template <typename Check>
bool any_accented_variant(const std::string& folded, Check check) {
  static constexpr std::pair<char, std::string_view> kAccents[] = {
      {'a', "á"}, {'e', "é"}, {'i', "í"}, {'o', "ó"}, {'u', "ú"}, {'u', "ü"}};
  std::vector<std::string> with_enye{folded};
  for (std::size_t i = 0; i < folded.size(); ++i)
    if (folded[i] == 'n') with_enye.push_back(folded.substr(0, i) + "ñ" + folded.substr(i + 1));
  for (const std::string& base : with_enye) {
    if (&base != &with_enye.front() && check(base)) return true;
    for (std::size_t i = 0; i < base.size(); ++i)
      for (const auto& [plain, accented] : kAccents)
        if (base[i] == plain &&
            check(base.substr(0, i) + std::string(accented) + base.substr(i + 1)))
          return true;
  }
  return false;
}

// Both languages make words with these ("anticorruption", "cocreation", "autoevaluación"),
// and dictionaries list few of them.
constexpr std::string_view kWordPrefixes[] = {"anti",  "auto",  "co",    "cyber", "ciber",
                                              "inter", "macro", "micro", "multi", "non",
                                              "post",  "pre",   "re",    "socio", "sub"};
constexpr std::size_t kMinPrefixedWordBytes = 5;

std::u32string code_points(std::string_view utf8) {
  std::u32string out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t point = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t k = 1; k < length && i + k < utf8.size(); ++k)
      point = (point << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    out.push_back(point);
    i += length;
  }
  return out;
}

}  // namespace

SpellChecker::SpellChecker(const std::filesystem::path& directory) {
  dictionaries_[index_of(Language::kSpanish)] =
      std::make_unique<Dictionary>(directory, kSpanishDictionary);
  dictionaries_[index_of(Language::kEnglish)] =
      std::make_unique<Dictionary>(directory, kEnglishDictionary);
}

SpellChecker::~SpellChecker() = default;

std::shared_ptr<const SpellChecker> SpellChecker::system() {
  static std::mutex mutex;
  static std::shared_ptr<const SpellChecker> loaded;
  std::lock_guard lock(mutex);
  if (!loaded) loaded = std::make_shared<const SpellChecker>();
  return loaded;
}

bool SpellChecker::is_word_in(std::string_view word, Language language) const {
  const Dictionary& dictionary = *dictionaries_[index_of(language)];
  if (dictionary.spell(std::string(word))) return true;
  const std::string lower = lower_case(word);
  return lower != word && dictionary.spell(lower);
}

bool SpellChecker::is_word(std::string_view word) const {
  if (word.empty()) return false;
  for (Language language : kLanguages)
    if (is_word_in(word, language)) return true;
  const std::string folded = fold_for_matching(word);
  if (is_folded_word(folded)) return true;
  for (std::string_view prefix : kWordPrefixes)
    if (folded.size() >= prefix.size() + kMinPrefixedWordBytes && folded.starts_with(prefix) &&
        is_folded_word(folded.substr(prefix.size())))
      return true;
  return false;
}

bool SpellChecker::is_folded_word(const std::string& folded) const {
  for (Language language : kLanguages)
    if (dictionaries_[index_of(language)]->spell(folded)) return true;
  // Each variant is a check: a long word has hundreds, and Spanish words that long are few.
  if (folded.size() > kMaxAccentRestoredBytes) return false;
  // Only Spanish writes accents on its own words.
  const Dictionary& spanish = *dictionaries_[index_of(Language::kSpanish)];
  return any_accented_variant(folded,
                              [&](const std::string& variant) { return spanish.spell(variant); });
}

std::vector<std::string> SpellChecker::suggest(std::string_view word) const {
  std::vector<std::string> suggestions;
  if (word.empty() || word.size() > kMaxSuggestedBytes) return suggestions;
  const std::string lower = lower_case(word);
  {
    std::lock_guard lock(remembered_mutex_);
    if (const auto found = remembered_.find(lower); found != remembered_.end())
      return found->second;
  }
  for (const auto& dictionary : dictionaries_) {
    std::size_t kept = 0;
    for (std::string& suggestion : dictionary->suggest(lower)) {
      if (kept == kMaxSuggestions) break;
      if (suggestion.find_first_of(" -'") != std::string::npos) continue;
      suggestions.push_back(std::move(suggestion));
      ++kept;
    }
  }
  std::lock_guard lock(remembered_mutex_);
  if (remembered_.size() >= kMaxRememberedWords) remembered_.clear();
  remembered_.emplace(lower, suggestions);
  return suggestions;
}

std::size_t edit_distance(std::string_view a_utf8, std::string_view b_utf8) {
  const std::u32string a = code_points(a_utf8), b = code_points(b_utf8);
  // Three rows of the optimal-string-alignment table: two back for transpositions.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    before.swap(previous);
    previous.swap(current);
  }
  return previous[b.size()];
}

}  // namespace lupa::analyzers
