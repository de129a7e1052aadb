#include "lupa/analyzers/stemming.h"

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

class HighlightingStem final : public Xapian::StemImplementation {
 public:
  explicit HighlightingStem(std::unordered_set<std::string> query_terms)
      : query_terms_(std::move(query_terms)) {
    for (Language language : kLanguages) stemmers_.push_back(folding_stemmer(language));
  }

  std::string operator()(const std::string& word) override {
    // A snippet run stems every word of a passage; words repeat, stemming twice costs.
    if (auto found = cache_.find(word); found != cache_.end()) return found->second;
    std::string first;
    for (auto& stem : stemmers_) {
      std::string stemmed = stem(word);
      if (query_terms_.contains(std::string(schema::kStemPrefix) + stemmed))
        return cache_[word] = stemmed;
      if (first.empty()) first = std::move(stemmed);
    }
    return cache_[word] = first;
  }

  std::string get_description() const override { return "highlighting"; }

 private:
  std::unordered_set<std::string> query_terms_;
  std::vector<Xapian::Stem> stemmers_;
  std::unordered_map<std::string, std::string> cache_;
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
