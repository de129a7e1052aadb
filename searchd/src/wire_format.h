// The bytes Lupa's spies and posting sources travel in between a shard server and the searcher
// (Xapian's remote protocol carries them as opaque strings): lengths and numbers as base-128
// varints, strings length-prefixed, doubles as their IEEE-754 bits, so a merge sees exactly the
// weights the server computed.
#pragma once

#include <xapian.h>

#include <bit>
#include <cstdint>
#include <string>
#include <string_view>

namespace lupa::searchd::wire {

inline void put_number(std::string& out, std::uint64_t number) {
  while (number >= 0x80) {
    out += static_cast<char>((number & 0x7F) | 0x80);
    number >>= 7;
  }
  out += static_cast<char>(number);
}

inline void put_string(std::string& out, std::string_view text) {
  put_number(out, text.size());
  out += text;
}

inline void put_double(std::string& out, double number) {
  put_number(out, std::bit_cast<std::uint64_t>(number));
}

/// Reads what the put_ functions wrote; throws Xapian::SerialisationError naming `what` on
/// bytes that end early or run on.
class Reader {
 public:
  Reader(std::string_view bytes, const char* what) : bytes_(bytes), what_(what) {}

  std::uint64_t number() {
    std::uint64_t number = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (bytes_.empty()) fail();
      const auto byte = static_cast<unsigned char>(bytes_.front());
      bytes_.remove_prefix(1);
      number |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if (!(byte & 0x80)) return number;
    }
    fail();
  }

  std::string_view string() {
    const std::uint64_t size = number();
    if (size > bytes_.size()) fail();
    const std::string_view text = bytes_.substr(0, size);
    bytes_.remove_prefix(size);
    return text;
  }

  double real() { return std::bit_cast<double>(number()); }

  bool done() const { return bytes_.empty(); }
  void expect_done() const {
    if (!done()) fail();
  }

 private:
  [[noreturn]] void fail() const {
    throw Xapian::SerialisationError(std::string("malformed ") + what_);
  }
  std::string_view bytes_;
  const char* what_;
};

}  // namespace lupa::searchd::wire
