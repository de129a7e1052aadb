#include "lupa/analyzers/phrase_matcher.h"

#include <algorithm>

#include "lupa/analyzers/text_normalizer.h"

namespace lupa::analyzers {
namespace {

// Folding costs an ICU round trip for non-ASCII words; names repeat, so remember them.
const std::string& folded_word(const std::string& word) {
  thread_local std::unordered_map<std::string, std::string> cache;
  if (cache.size() > 200'000) cache.clear();
  auto found = cache.find(word);
  if (found == cache.end()) found = cache.emplace(word, fold_for_matching(word)).first;
  return found->second;
}

std::vector<std::string> fold_all(const std::vector<std::string>& words) {
  std::vector<std::string> folded;
  folded.reserve(words.size());
  for (const std::string& word : words) folded.push_back(folded_word(word));
  return folded;
}

}  // namespace

void PhraseMatcher::add(std::string_view phrase, std::size_t entry, bool case_sensitive) {
  const std::vector<std::string> words = segment_words_keeping_case(phrase);
  if (words.empty()) return;
  std::size_t node = 0;
  for (const std::string& word : fold_all(words)) {
    auto found = nodes_[node].next.find(word);
    if (found == nodes_[node].next.end()) {
      nodes_.emplace_back();
      found = nodes_[node].next.emplace(word, nodes_.size() - 1).first;
    }
    node = found->second;
  }
  nodes_[node].terminals.push_back({entry, case_sensitive, words});
}

std::pair<std::size_t, std::size_t> PhraseMatcher::longest_at(
    const std::vector<std::string>& words, const std::vector<std::string>& folded,
    std::size_t start, const Accept* accept) const {
  std::pair<std::size_t, std::size_t> best{0, 0};
  std::size_t node = 0;
  for (std::size_t i = start; i < folded.size(); ++i) {
    const auto found = nodes_[node].next.find(folded[i]);
    if (found == nodes_[node].next.end()) break;
    node = found->second;
    for (const Terminal& terminal : nodes_[node].terminals) {
      const std::size_t length = i - start + 1;
      const bool exact_enough = !terminal.case_sensitive ||
                                std::equal(terminal.words.begin(), terminal.words.end(),
                                           words.begin() + static_cast<std::ptrdiff_t>(start));
      if (exact_enough && length > best.second &&
          (!accept || (*accept)(terminal.entry, start, length)))
        best = {terminal.entry, length};
    }
  }
  return best;
}

std::vector<std::string> PhraseMatcher::fold_words(const std::vector<std::string>& words) {
  return fold_all(words);
}

std::vector<std::size_t> PhraseMatcher::find(std::string_view text) const {
  const std::vector<std::string> words = segment_words_keeping_case(text);
  return find(words, fold_all(words));
}

std::vector<std::size_t> PhraseMatcher::find(const std::vector<std::string>& words,
                                             const std::vector<std::string>& folded) const {
  return find_allowed(words, folded, nullptr);
}

std::vector<std::size_t> PhraseMatcher::find(const std::vector<std::string>& words,
                                             const std::vector<std::string>& folded,
                                             const Accept& accept) const {
  return find_allowed(words, folded, &accept);
}

std::vector<std::size_t> PhraseMatcher::find_allowed(const std::vector<std::string>& words,
                                                     const std::vector<std::string>& folded,
                                                     const Accept* accept) const {
  std::vector<std::size_t> entries;
  for (std::size_t i = 0; i < words.size();) {
    const auto [entry, length] = longest_at(words, folded, i, accept);
    if (length == 0) {
      ++i;
      continue;
    }
    if (std::find(entries.begin(), entries.end(), entry) == entries.end()) entries.push_back(entry);
    i += length;
  }
  return entries;
}

void PhraseMatcher::add_keys(const std::vector<std::string>& keys, std::size_t entry) {
  if (keys.empty()) return;
  std::size_t node = 0;
  for (const std::string& key : keys) {
    auto found = nodes_[node].next.find(key);
    if (found == nodes_[node].next.end()) {
      nodes_.emplace_back();
      found = nodes_[node].next.emplace(key, nodes_.size() - 1).first;
    }
    node = found->second;
  }
  nodes_[node].terminals.push_back({entry, false, keys});
}

std::vector<PhraseMatcher::Span> PhraseMatcher::find_spans(
    const std::vector<std::string>& keys) const {
  std::vector<Span> spans;
  for (std::size_t i = 0; i < keys.size();) {
    const auto [entry, length] = longest_at(keys, keys, i);
    if (length == 0) {
      ++i;
      continue;
    }
    spans.push_back({i, length, entry});
    i += length;
  }
  return spans;
}

std::vector<PhraseMatcher::Span> PhraseMatcher::find_all_spans(
    const std::vector<std::string>& keys) const {
  std::vector<Span> spans;
  for (std::size_t start = 0; start < keys.size(); ++start) {
    std::size_t node = 0;
    for (std::size_t i = start; i < keys.size(); ++i) {
      const auto found = nodes_[node].next.find(keys[i]);
      if (found == nodes_[node].next.end()) break;
      node = found->second;
      for (const Terminal& terminal : nodes_[node].terminals)
        spans.push_back({start, i - start + 1, terminal.entry});
    }
  }
  return spans;
}

long PhraseMatcher::exact(std::string_view text) const {
  const std::vector<std::string> words = segment_words_keeping_case(text);
  if (words.empty()) return -1;
  const std::vector<std::string> folded = fold_all(words);
  // A user typing a field value is not held to its capitalisation.
  std::size_t node = 0;
  for (const std::string& word : folded) {
    const auto found = nodes_[node].next.find(word);
    if (found == nodes_[node].next.end()) return -1;
    node = found->second;
  }
  if (nodes_[node].terminals.empty()) return -1;
  return static_cast<long>(nodes_[node].terminals.front().entry);
}

}  // namespace lupa::analyzers
