// Finds known phrases (agency names, acronyms, challenge wordings) in text, word by word.
//
// Phrases are compared as sequences of words (ICU word segmentation), lower-cased and
// accent-folded, so "Secretaría de la Función Pública" also matches "SECRETARIA DE LA FUNCION
// PUBLICA". A case-sensitive phrase must also match the words exactly as written: acronyms
// ("SEP" is not the month "sep") and generic phrases that are names only when capitalised.
// A trie over words makes a scan linear in the text, whatever the number of phrases.
//
// A matcher is read-only once built: const members are safe to call from several threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lupa::analyzers {

class PhraseMatcher {
 public:
  /// Registers `phrase` as a way of naming entry number `entry`.
  void add(std::string_view phrase, std::size_t entry, bool case_sensitive);

  /// The entries named in `text`, each once, in order of first mention. At each position the
  /// longest phrase wins and matches do not overlap.
  std::vector<std::size_t> find(std::string_view text) const;

  /// The same for text already segmented: `words` as written, `folded` their
  /// fold_for_matching forms. Segmenting once serves several matchers.
  std::vector<std::size_t> find(const std::vector<std::string>& words,
                                const std::vector<std::string>& folded) const;

  /// Whether the phrase of `entry` found at word `start`, `length` words long, counts there (a
  /// gazetteer's scope).
  using Accept = std::function<bool(std::size_t entry, std::size_t start, std::size_t length)>;

  /// As find(), keeping only matches `accept` allows: at each position the longest allowed
  /// phrase wins, so a name two entries share goes to the one allowed there.
  std::vector<std::size_t> find(const std::vector<std::string>& words,
                                const std::vector<std::string>& folded, const Accept& accept) const;

  /// Registers a phrase given as the keys it is compared by (stems, for instance), for
  /// callers that compare words in a form of their own; such phrases are case-insensitive.
  void add_keys(const std::vector<std::string>& keys, std::size_t entry);

  struct Span {
    std::size_t first = 0;   ///< index of the first word
    std::size_t length = 0;  ///< words
    std::size_t entry = 0;
  };
  /// Every match in `keys` (longest first at each position, not overlapping), with its place.
  std::vector<Span> find_spans(const std::vector<std::string>& keys) const;
  /// Every match in `keys`, overlapping and nested ones included: each phrase wherever it
  /// occurs, as a phrase query finds it.
  std::vector<Span> find_all_spans(const std::vector<std::string>& keys) const;

  /// `words` folded as the matcher compares them (cached per thread).
  static std::vector<std::string> fold_words(const std::vector<std::string>& words);

  /// The entry whose phrase is the whole of `text`, if any (-1 otherwise).
  long exact(std::string_view text) const;

 private:
  /// A word of the phrases, by its number; kNoWord for a word no phrase has.
  using WordNumber = std::uint32_t;
  static constexpr WordNumber kNoWord = UINT32_MAX;

  struct Terminal {
    std::size_t entry;
    bool case_sensitive;
    std::vector<std::string> words;  // as written, for case-sensitive phrases
  };
  struct Node {
    std::vector<Terminal> terminals;
  };
  // Open addressing over a power-of-two table: a text's words are mostly in no phrase, and such
  // a word costs one hash and one slot read, where a node's std::unordered_map cost a hash, a
  // division and a pointer chase at every node of every matcher.
  struct WordSlot {
    std::uint32_t hash = 0;       // the low half of the word's hash: 8-byte slots, more in cache
    WordNumber number = kNoWord;  // kNoWord: an empty slot
  };
  struct EdgeSlot {
    std::uint64_t key = 0;    // (node << 32) | word number
    std::uint32_t child = 0;  // 0 (the root, never a child): an empty slot
  };

  /// The number of `word`, kNoWord when no phrase has it.
  WordNumber number_of(std::string_view word) const;
  /// The number of `word`, numbering it if it is new.
  WordNumber add_word(std::string_view word);
  /// The numbers of `words`, looked up once each however many phrases start at each.
  std::vector<WordNumber> numbers_of(const std::vector<std::string>& words) const;
  /// The node `word` leads to from `node`, 0 when none.
  std::uint32_t child(std::uint32_t node, WordNumber word) const;
  /// Adds the path of `keys` (words as compared) and returns its last node.
  std::uint32_t add_path(const std::vector<std::string>& keys);

  /// find(), keeping only matches `accept` allows (every match when it is null).
  std::vector<std::size_t> find_allowed(const std::vector<std::string>& words,
                                        const std::vector<WordNumber>& numbers,
                                        const Accept* accept) const;
  /// Longest terminal starting at `start` that `accept` allows: (entry, length in words), or
  /// length 0.
  std::pair<std::size_t, std::size_t> longest_at(const std::vector<std::string>& words,
                                                 const std::vector<WordNumber>& numbers,
                                                 std::size_t start,
                                                 const Accept* accept = nullptr) const;
  std::vector<Node> nodes_{1};
  std::vector<std::string> words_;    // by number
  std::vector<WordSlot> word_slots_;  // size a power of two, at most half full
  std::vector<EdgeSlot> edge_slots_;  // size a power of two, at most half full
  std::size_t edges_ = 0;
};

}  // namespace lupa::analyzers
