#include "lupa/analyzers/stemming.h"

#include <array>
#include <iterator>
#include <unordered_map>
#include <utility>

#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/text_normalizer.h"

namespace lupa::analyzers {
namespace {

// Every Spanish word ending in -ción or -sión carries that accent, so it can be put back on
// a folded word; Snowball's Spanish rules need it to conflate "información" and
// "informaciones". Other accents do not change what the Spanish rules strip.
std::string restore_spanish_suffix_accent(std::string folded) {
  for (const char* suffix : {"cion", "sion"}) {
    if (folded.size() > 5 && folded.ends_with(suffix)) {
      return folded.substr(0, folded.size() - 2) + "\xC3\xB3n";  // -on -> -ón
    }
  }
  return folded;
}

class FoldingStem final : public Xapian::StemImplementation {
 public:
  explicit FoldingStem(Language language)
      : language_(language), snowball_(std::string(snowball_name(language))) {}

  std::string operator()(const std::string& word) override {
    std::string folded = fold_diacritics(word);
    if (language_ == Language::kSpanish) folded = restore_spanish_suffix_accent(std::move(folded));
    return fold_diacritics(snowball_(folded));
  }

  std::string get_description() const override {
    return "folding " + std::string(snowball_name(language_));
  }

 private:
  Language language_;
  Xapian::Stem snowball_;
};

// The folding stems of words in every language, kept per thread across snippet runs: each
// page's snippets stem every word of their passages, and most words come back page after page.
// Bounded (about 2 MB a thread when full, mostly short words held inline): when full it starts
// over, and the words in use come back first.
class FoldedStems {
 public:
  using Stems = std::array<std::string, std::size(kLanguages)>;
  static constexpr std::size_t kMaxWords = 1 << 14;

  static FoldedStems& of_this_thread() {
    thread_local FoldedStems stems;
    return stems;
  }

  const Stems& of(const std::string& word) {
    if (auto found = stems_.find(word); found != stems_.end()) return found->second;
    if (stems_.size() >= kMaxWords) stems_.clear();
    Stems stems;
    for (std::size_t i = 0; i < stems.size(); ++i) stems[i] = stemmers_[i](word);
    return stems_.emplace(word, std::move(stems)).first->second;
  }

 private:
  FoldedStems() {
    for (std::size_t i = 0; i < std::size(kLanguages); ++i)
      stemmers_[i] = folding_stemmer(kLanguages[i]);
  }

  std::array<Xapian::Stem, std::size(kLanguages)> stemmers_;
  std::unordered_map<std::string, Stems> stems_;
};

class HighlightingStem final : public Xapian::StemImplementation {
 public:
  explicit HighlightingStem(std::unordered_set<std::string> query_terms)
      : query_terms_(std::move(query_terms)) {}

  std::string operator()(const std::string& word) override {
    // A snippet run stems every word of a passage; words repeat, choosing twice costs.
    if (auto found = chosen_.find(word); found != chosen_.end()) return found->second;
    const FoldedStems::Stems& stems = FoldedStems::of_this_thread().of(word);
    const std::string* first = nullptr;
    for (const std::string& stemmed : stems) {
      if (query_terms_.contains(std::string(schema::kStemPrefix) + stemmed))
        return chosen_[word] = stemmed;
      if (!first && !stemmed.empty()) first = &stemmed;
    }
    return chosen_[word] = first ? *first : std::string();
  }

  std::string get_description() const override { return "highlighting"; }

 private:
  std::unordered_set<std::string> query_terms_;
  std::unordered_map<std::string, std::string> chosen_;  ///< word -> the stem it was given
};

}  // namespace

Xapian::Stem folding_stemmer(Language language) {
  return Xapian::Stem(new FoldingStem(language));
}

std::string index_stem(const std::string& word, Language language) {
  thread_local Xapian::Stem stemmers[] = {folding_stemmer(Language::kSpanish),
                                          folding_stemmer(Language::kEnglish)};
  return stemmers[language == Language::kSpanish ? 0 : 1](word);
}

Xapian::Stem highlighting_stemmer(std::unordered_set<std::string> query_terms) {
  return Xapian::Stem(new HighlightingStem(std::move(query_terms)));
}

}  // namespace lupa::analyzers
