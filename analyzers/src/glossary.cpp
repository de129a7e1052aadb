#include "lupa/analyzers/glossary.h"

#include <algorithm>
#include <stdexcept>

#include "data_files.h"
#include "lupa/analyzers/stemming.h"
#include "lupa/analyzers/text_normalizer.h"

namespace lupa::analyzers {
namespace {

std::size_t matcher_index(Language language) {
  return language == Language::kEnglish ? 0 : 1;
}

std::vector<std::string> stems(const std::vector<std::string>& words, Language language) {
  std::vector<std::string> keys;
  keys.reserve(words.size());
  for (const std::string& word : words) keys.push_back(index_stem(word, language));
  return keys;
}

Glossary load_bundled() {
  Glossary glossary;
  for (const std::string& line : data_file_lines("glossary.tsv")) {
    const std::vector<std::string> fields = split_tabs(line);
    if (fields.size() < 3)
      throw std::logic_error("glossary.tsv: a row needs concept, en and es: " + line);
    glossary.add({fields[0], split_list(fields[1]), split_list(fields[2])});
  }
  return glossary;
}

}  // namespace

const Glossary& Glossary::bundled() {
  static const Glossary glossary = load_bundled();
  return glossary;
}

void Glossary::add(GlossaryConcept entry) {
  const std::size_t index = concepts_.size();
  for (Language language : kLanguages)
    for (const std::string& term : entry.terms(language))
      matchers_[matcher_index(language)].add_keys(stems(segment_words(term), language), index);
  concepts_.push_back(std::move(entry));
}

std::vector<GlossaryMatch> Glossary::find(const std::vector<std::string>& words) const {
  std::vector<GlossaryMatch> candidates;
  for (Language language : kLanguages)
    for (const PhraseMatcher::Span& span :
         matchers_[matcher_index(language)].find_spans(stems(words, language)))
      candidates.push_back({span.first, span.length, span.entry, language});
  // Longest first, then leftmost; keep those that do not overlap a kept one.
  std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
    return a.word_count != b.word_count ? a.word_count > b.word_count : a.first_word < b.first_word;
  });
  std::vector<GlossaryMatch> kept;
  for (const GlossaryMatch& candidate : candidates) {
    const bool overlaps = std::any_of(kept.begin(), kept.end(), [&](const GlossaryMatch& k) {
      return candidate.first_word < k.first_word + k.word_count &&
             k.first_word < candidate.first_word + candidate.word_count;
    });
    if (!overlaps) kept.push_back(candidate);
  }
  std::sort(kept.begin(), kept.end(),
            [](const auto& a, const auto& b) { return a.first_word < b.first_word; });
  return kept;
}

}  // namespace lupa::analyzers
