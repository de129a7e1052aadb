#include "lupa/analyzers/pattern_first_bytes.h"

#include <cctype>
#include <cstddef>

namespace lupa::analyzers {
namespace {

using Bytes = std::bitset<256>;

// What a piece of a pattern may begin with, and whether it may match nothing (then what
// follows it may begin the match as well).
struct Start {
  Bytes bytes;
  bool may_be_empty = false;
};

// Thrown where the reader meets a construct it does not follow: the pattern may start anywhere.
struct NotFollowed {};

Bytes every_byte() {
  return Bytes().set();
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// \d, \s and \w as a std::regex locale may see them: the ASCII ones, and every byte over 0x7F,
// which some single-byte locale may count among them.
Bytes class_escape(char letter) {
  Bytes bytes;
  for (int byte = 0x80; byte < 0x100; ++byte) bytes.set(static_cast<std::size_t>(byte));
  for (int c = 0; c < 0x80; ++c) {
    const bool in = letter == 'd'   ? is_digit(static_cast<char>(c))
                    : letter == 's' ? std::isspace(c) != 0
                                    : std::isalnum(c) != 0 || c == '_';
    if (in) bytes.set(static_cast<std::size_t>(c));
  }
  return bytes;
}

class Reader {
 public:
  explicit Reader(std::string_view pattern) : pattern_(pattern) {}

  Start whole() {
    Start start = alternatives();
    if (!at_end()) throw NotFollowed{};  // an unmatched ')'
    return start;
  }

 private:
  bool at_end() const { return at_ >= pattern_.size(); }
  char peek() const { return pattern_[at_]; }
  char next() {
    if (at_end()) throw NotFollowed{};
    return pattern_[at_++];
  }

  // a|b|c
  Start alternatives() {
    Start start = sequence();
    while (!at_end() && peek() == '|') {
      ++at_;
      const Start other = sequence();
      start.bytes |= other.bytes;
      start.may_be_empty = start.may_be_empty || other.may_be_empty;
    }
    return start;
  }

  // abc: each term's bytes count until one that cannot match nothing.
  Start sequence() {
    Start start{Bytes(), true};
    while (!at_end() && peek() != '|' && peek() != ')') {
      const Start term = quantified();
      if (!start.may_be_empty) continue;
      start.bytes |= term.bytes;
      start.may_be_empty = term.may_be_empty;
    }
    return start;
  }

  // An atom and its quantifier, if any.
  Start quantified() {
    Start start = atom();
    if (at_end()) return start;
    const char c = peek();
    if (c == '*' || c == '?') {
      ++at_;
      start.may_be_empty = true;
    } else if (c == '+') {
      ++at_;
    } else if (c == '{') {
      ++at_;
      std::size_t least = 0;
      bool digits = false;
      while (!at_end() && is_digit(peek())) {
        least = least * 10 + static_cast<std::size_t>(next() - '0');
        digits = true;
      }
      if (!digits) throw NotFollowed{};
      while (next() != '}') {
      }
      if (least == 0) start.may_be_empty = true;
    } else {
      return start;
    }
    if (!at_end() && peek() == '?') ++at_;  // lazy
    return start;
  }

  Start atom() {
    const char c = next();
    switch (c) {
      case '^':
      case '$':
        return {Bytes(), true};
      case '.':
        return {every_byte(), false};
      case '(':
        return group();
      case '[':
        return {bracket(), false};
      case '\\':
        return escape();
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case ']':
      case ')':
      case '|':
        throw NotFollowed{};
      default:
        return {Bytes().set(static_cast<unsigned char>(c)), false};
    }
  }

  Start group() {
    if (!at_end() && peek() == '?') {
      ++at_;
      if (next() != ':') throw NotFollowed{};  // look-arounds
    }
    const Start inside = alternatives();
    if (next() != ')') throw NotFollowed{};
    return inside;
  }

  Start escape() {
    const char c = next();
    if (c == 'b' || c == 'B') return {Bytes(), true};  // word edges match nothing
    if (c == 'd' || c == 's' || c == 'w') return {class_escape(c), false};
    if (c == 'n') return {Bytes().set('\n'), false};
    if (c == 't') return {Bytes().set('\t'), false};
    if (c == 'r') return {Bytes().set('\r'), false};
    if (c == 'f') return {Bytes().set('\f'), false};
    if (c == 'v') return {Bytes().set('\v'), false};
    // Back-references, \D \S \W, \x \u \c and the like.
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) throw NotFollowed{};
    return {Bytes().set(static_cast<unsigned char>(c)), false};  // \. \( \/ ...
  }

  // [abc], [a-z], [\d.]: its bytes; negated classes and [:alpha:] are not followed.
  Bytes bracket() {
    // ECMAScript reads [] as a class of nothing, other grammars as a ']': neither is followed.
    if (!at_end() && (peek() == '^' || peek() == ']')) throw NotFollowed{};
    Bytes bytes;
    for (;;) {
      char c = next();
      if (c == ']') return bytes;
      if (c == '[') throw NotFollowed{};  // [:alpha:], [.a.], [=a=]
      if (c == '\\') {
        const char escaped = next();
        if (escaped == 'd' || escaped == 's' || escaped == 'w') {
          bytes |= class_escape(escaped);
          continue;
        }
        if (std::isalnum(static_cast<unsigned char>(escaped)) != 0) throw NotFollowed{};
        c = escaped;
      }
      if (!at_end() && peek() == '-' && at_ + 1 < pattern_.size() && pattern_[at_ + 1] != ']') {
        ++at_;
        const char last = next();
        // Ranges are compared as char, which may be signed: only ASCII ones are read.
        if (last == '\\' || last == '[' || static_cast<unsigned char>(c) > 0x7F ||
            static_cast<unsigned char>(last) > 0x7F || last < c)
          throw NotFollowed{};
        for (int byte = c; byte <= last; ++byte) bytes.set(static_cast<std::size_t>(byte));
        continue;
      }
      bytes.set(static_cast<unsigned char>(c));
    }
  }

  std::string_view pattern_;
  std::size_t at_ = 0;
};

}  // namespace

std::bitset<256> first_bytes_of(std::string_view pattern) {
  try {
    return Reader(pattern).whole().bytes;
  } catch (const NotFollowed&) {
    return every_byte();
  }
}

}  // namespace lupa::analyzers
