#include "lupa/analyzers/glossary.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <tuple>

#include "data_files.h"
#include "lupa/analyzers/schema.h"
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
  bool has_phrase = false;
  for (Language language : kLanguages)
    for (const std::string& term : entry.terms(language)) {
      const std::vector<std::string> words = segment_words(term);
      matchers_[matcher_index(language)].add_keys(stems(words, language), index);
      if (words.size() < 2) continue;
      has_phrase = true;
      for (Language reading : kLanguages) {
        std::vector<std::string> terms;
        for (const std::string& word : words) {
          // Appending, not operator+: GCC 12 warns wrongly (-Wrestrict) about prefix + string.
          std::string stem_term(schema::kStemPrefix);
          stem_term += index_stem(word, reading);
          terms.push_back(std::move(stem_term));
        }
        phrase_readings_[matcher_index(reading)].add_keys(terms, index);
      }
    }
  auto mix = [this](std::string_view text) {
    for (const unsigned char c : text) digest_ = (digest_ ^ c) * 1099511628211ull;
    digest_ = (digest_ ^ 0xFF) * 1099511628211ull;  // ends each piece: "ab","c" is not "a","bc"
  };
  mix(entry.id);
  for (Language language : kLanguages)
    for (const std::string& term : entry.terms(language)) mix(term);
  concepts_.push_back(std::move(entry));
  has_phrase_term_.push_back(has_phrase);
}

std::string Glossary::fingerprint() const {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(digest_));
  return hex;
}

bool Glossary::is_phrase_term(const std::string& term) {
  return segment_words(term).size() >= 2;
}

std::vector<std::size_t> Glossary::phrase_concepts_in(
    const std::vector<std::string>& stem_terms) const {
  std::vector<PhraseMatcher::Span> spans;
  for (const PhraseMatcher& reading : phrase_readings_) {
    std::vector<PhraseMatcher::Span> more = reading.find_all_spans(stem_terms);
    spans.insert(spans.end(), more.begin(), more.end());
  }
  // One occurrence found by both readings, or by two terms whose stems agree, counts once.
  std::sort(spans.begin(), spans.end(), [](const auto& a, const auto& b) {
    return std::tie(a.entry, a.first, a.length) < std::tie(b.entry, b.first, b.length);
  });
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < spans.size(); ++i)
    if (i == 0 || spans[i].entry != spans[i - 1].entry || spans[i].first != spans[i - 1].first ||
        spans[i].length != spans[i - 1].length)
      found.push_back(spans[i].entry);
  return found;
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
