#include "support/character_error_rate.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace lupa::testing {

std::u32string comparable_characters(std::string_view utf8) {
  std::u32string out;
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto length = static_cast<int32_t>(utf8.size());
  bool pending_space = false;
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) c = 0xFFFD;
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == 0xA0) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += U' ';
    pending_space = false;
    out += static_cast<char32_t>(c);
  }
  return out;
}

double character_error_rate(std::string_view recognised, std::string_view truth) {
  const std::u32string a = comparable_characters(recognised);
  const std::u32string b = comparable_characters(truth);
  if (b.empty()) return a.empty() ? 0.0 : 1.0;
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      current[j] = std::min(
          {previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(previous, current);
  }
  return static_cast<double>(previous[b.size()]) / static_cast<double>(b.size());
}

}  // namespace lupa::testing
