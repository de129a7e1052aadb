#include "lupa/analyzers/passage_analyzer.h"

#include "lupa/analyzers/glossary.h"
#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/stemming.h"
#include "lupa/analyzers/text_normalizer.h"

namespace lupa::analyzers {
namespace {
constexpr std::size_t kMaxCachedWords = 500'000;
// Leaves a gap so that no phrase matches across two add_text calls.
constexpr Xapian::termpos kFieldGap = 100;
}  // namespace

const std::string& PassageAnalyzer::stem_term(const std::string& word, Language language) {
  auto& cache = cache_[language == Language::kSpanish ? 0 : 1];
  if (auto found = cache.find(word); found != cache.end()) return found->second;
  if (cache.size() >= kMaxCachedWords) cache.clear();
  // Appending, not operator+: GCC 12 warns wrongly (-Wrestrict) about prefix + string.
  std::string term(schema::kStemPrefix);
  term += index_stem(word, language);
  return cache.emplace(word, std::move(term)).first->second;
}

void PassageAnalyzer::add_text(Xapian::Document& document, std::string_view text, Language language,
                               Xapian::termcount wdf_increment) {
  add_words(document, segment_words(text), language, wdf_increment);
}

void PassageAnalyzer::add_words(Xapian::Document& document, std::span<const std::string> words,
                                Language language, Xapian::termcount wdf_increment) {
  stem_terms_.clear();
  for (const std::string& word : words) {
    if (word.size() > kMaxIndexedWordBytes) continue;
    const std::string& term = stem_term(word, language);
    document.add_posting(term, next_position_, wdf_increment);
    stem_terms_.push_back(term);
    ++next_position_;
  }
  next_position_ += kFieldGap;
  // Within one call, as phrases match within one field.
  const Glossary& glossary = Glossary::bundled();
  for (std::size_t concept_index : glossary.phrase_concepts_in(stem_terms_))
    document.add_term(schema::concept_term(glossary.concepts()[concept_index].id), wdf_increment);
}

}  // namespace lupa::analyzers
