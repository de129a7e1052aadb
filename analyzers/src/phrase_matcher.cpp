#include "lupa/analyzers/phrase_matcher.h"

#include <algorithm>
#include <functional>
#include <unordered_map>

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

bool is_ascii(const std::string& word) {
  return std::all_of(word.begin(), word.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::vector<std::string> fold_all(const std::vector<std::string>& words) {
  std::vector<std::string> folded;
  folded.reserve(words.size());
  for (const std::string& word : words) {
    // An ASCII word is only lower-cased, which costs less than finding it among the
    // remembered ones (a table too big to stay in the cache).
    if (is_ascii(word))
      folded.push_back(fold_for_matching(word));
    else
      folded.push_back(folded_word(word));
  }
  return folded;
}

std::uint64_t word_hash(std::string_view word) {
  return std::hash<std::string_view>{}(word);
}

// Edge keys are a node and a word number side by side: mixed, so that their low bits, which
// pick the slot, depend on both.
std::uint64_t edge_hash(std::uint64_t key) {
  key ^= key >> 33;
  key *= 0xff51afd7ed558ccdULL;
  key ^= key >> 33;
  return key;
}

std::uint64_t edge_key(std::uint32_t node, std::uint32_t word) {
  return (std::uint64_t{node} << 32) | word;
}

}  // namespace

PhraseMatcher::WordNumber PhraseMatcher::number_of(std::string_view word) const {
  if (word_slots_.empty()) return kNoWord;
  const auto hash = static_cast<std::uint32_t>(word_hash(word));
  const std::size_t mask = word_slots_.size() - 1;
  for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    const WordSlot& candidate = word_slots_[slot];
    if (candidate.number == kNoWord) return kNoWord;
    if (candidate.hash == hash && words_[candidate.number] == word) return candidate.number;
  }
}

PhraseMatcher::WordNumber PhraseMatcher::add_word(std::string_view word) {
  if (const WordNumber known = number_of(word); known != kNoWord) return known;
  if ((words_.size() + 1) * 2 > word_slots_.size()) {
    std::vector<WordSlot> old = std::move(word_slots_);
    word_slots_.assign(std::max<std::size_t>(16, old.size() * 2), WordSlot{});
    const std::size_t mask = word_slots_.size() - 1;
    for (const WordSlot& moved : old) {
      if (moved.number == kNoWord) continue;
      std::size_t slot = moved.hash & mask;
      while (word_slots_[slot].number != kNoWord) slot = (slot + 1) & mask;
      word_slots_[slot] = moved;
    }
  }
  const auto number = static_cast<WordNumber>(words_.size());
  words_.emplace_back(word);
  const auto hash = static_cast<std::uint32_t>(word_hash(word));
  const std::size_t mask = word_slots_.size() - 1;
  std::size_t slot = hash & mask;
  while (word_slots_[slot].number != kNoWord) slot = (slot + 1) & mask;
  word_slots_[slot] = {hash, number};
  return number;
}

std::vector<PhraseMatcher::WordNumber> PhraseMatcher::numbers_of(
    const std::vector<std::string>& words) const {
  std::vector<WordNumber> numbers;
  numbers.reserve(words.size());
  for (const std::string& word : words) numbers.push_back(number_of(word));
  return numbers;
}

std::uint32_t PhraseMatcher::child(std::uint32_t node, WordNumber word) const {
  if (word == kNoWord || edge_slots_.empty()) return 0;
  const std::uint64_t key = edge_key(node, word);
  const std::size_t mask = edge_slots_.size() - 1;
  for (std::size_t slot = edge_hash(key) & mask;; slot = (slot + 1) & mask) {
    const EdgeSlot& candidate = edge_slots_[slot];
    if (candidate.child == 0) return 0;
    if (candidate.key == key) return candidate.child;
  }
}

std::uint32_t PhraseMatcher::add_path(const std::vector<std::string>& keys) {
  std::uint32_t node = 0;
  for (const std::string& key : keys) {
    const WordNumber word = add_word(key);
    if (const std::uint32_t next = child(node, word); next != 0) {
      node = next;
      continue;
    }
    if ((edges_ + 1) * 2 > edge_slots_.size()) {
      std::vector<EdgeSlot> old = std::move(edge_slots_);
      edge_slots_.assign(std::max<std::size_t>(16, old.size() * 2), EdgeSlot{});
      const std::size_t mask = edge_slots_.size() - 1;
      for (const EdgeSlot& moved : old) {
        if (moved.child == 0) continue;
        std::size_t slot = edge_hash(moved.key) & mask;
        while (edge_slots_[slot].child != 0) slot = (slot + 1) & mask;
        edge_slots_[slot] = moved;
      }
    }
    nodes_.emplace_back();
    const auto created = static_cast<std::uint32_t>(nodes_.size() - 1);
    const std::uint64_t edge = edge_key(node, word);
    const std::size_t mask = edge_slots_.size() - 1;
    std::size_t slot = edge_hash(edge) & mask;
    while (edge_slots_[slot].child != 0) slot = (slot + 1) & mask;
    edge_slots_[slot] = {edge, created};
    ++edges_;
    node = created;
  }
  return node;
}

void PhraseMatcher::add(std::string_view phrase, std::size_t entry, bool case_sensitive) {
  const std::vector<std::string> words = segment_words_keeping_case(phrase);
  if (words.empty()) return;
  const std::uint32_t node = add_path(fold_all(words));
  nodes_[node].terminals.push_back({entry, case_sensitive, words});
}

std::pair<std::size_t, std::size_t> PhraseMatcher::longest_at(
    const std::vector<std::string>& words, const std::vector<WordNumber>& numbers,
    std::size_t start, const Accept* accept) const {
  std::pair<std::size_t, std::size_t> best{0, 0};
  std::uint32_t node = 0;
  for (std::size_t i = start; i < numbers.size(); ++i) {
    node = child(node, numbers[i]);
    if (node == 0) break;
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
  return find_allowed(words, numbers_of(folded), nullptr);
}

std::vector<std::size_t> PhraseMatcher::find(const std::vector<std::string>& words,
                                             const std::vector<std::string>& folded,
                                             const Accept& accept) const {
  return find_allowed(words, numbers_of(folded), &accept);
}

std::vector<std::size_t> PhraseMatcher::find_allowed(const std::vector<std::string>& words,
                                                     const std::vector<WordNumber>& numbers,
                                                     const Accept* accept) const {
  std::vector<std::size_t> entries;
  for (std::size_t i = 0; i < words.size();) {
    const auto [entry, length] = longest_at(words, numbers, i, accept);
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
  nodes_[add_path(keys)].terminals.push_back({entry, false, keys});
}

std::vector<PhraseMatcher::Span> PhraseMatcher::find_spans(
    const std::vector<std::string>& keys) const {
  std::vector<Span> spans;
  const std::vector<WordNumber> numbers = numbers_of(keys);
  for (std::size_t i = 0; i < keys.size();) {
    const auto [entry, length] = longest_at(keys, numbers, i);
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
  const std::vector<WordNumber> numbers = numbers_of(keys);
  for (std::size_t start = 0; start < keys.size(); ++start) {
    std::uint32_t node = 0;
    for (std::size_t i = start; i < keys.size(); ++i) {
      node = child(node, numbers[i]);
      if (node == 0) break;
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
  std::uint32_t node = 0;
  for (const std::string& word : folded) {
    node = child(node, number_of(word));
    if (node == 0) return -1;
  }
  if (nodes_[node].terminals.empty()) return -1;
  return static_cast<long>(nodes_[node].terminals.front().entry);
}

}  // namespace lupa::analyzers
