#include "lupa/analyzers/stemming.h"

#include <utility>

#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/text_normalizer.h"

namespace lupa::analyzers {
namespace {

class FoldingStem final : public Xapian::StemImplementation {
 public:
  explicit FoldingStem(Language language)
      : language_(language), snowball_(std::string(snowball_name(language))) {}

  std::string operator()(const std::string& word) override { return fold_diacritics(snowball_(word)); }

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
    const std::string folded = fold_diacritics(word);
    std::string first;
    for (auto& stem : stemmers_) {
      for (const std::string* form : {&word, &folded}) {
        std::string stemmed = stem(*form);
        if (query_terms_.contains(std::string(schema::kStemPrefix) + stemmed)) return stemmed;
        if (first.empty()) first = std::move(stemmed);
      }
    }
    return first;
  }

  std::string get_description() const override { return "highlighting"; }

 private:
  std::unordered_set<std::string> query_terms_;
  std::vector<Xapian::Stem> stemmers_;
};

}  // namespace

Xapian::Stem folding_stemmer(Language language) { return Xapian::Stem(new FoldingStem(language)); }

std::vector<std::string> index_stems(const std::string& word, Language language) {
  thread_local Xapian::Stem stemmers[] = {folding_stemmer(Language::kSpanish),
                                          folding_stemmer(Language::kEnglish)};
  Xapian::Stem& stem = stemmers[language == Language::kSpanish ? 0 : 1];
  std::vector<std::string> stems{stem(word)};
  const std::string folded = fold_diacritics(word);
  if (folded != word) {
    std::string folded_stem = stem(folded);
    if (folded_stem != stems.front()) stems.push_back(std::move(folded_stem));
  }
  return stems;
}

Xapian::Stem highlighting_stemmer(std::unordered_set<std::string> query_terms) {
  return Xapian::Stem(new HighlightingStem(std::move(query_terms)));
}

}  // namespace lupa::analyzers
