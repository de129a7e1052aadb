#include "lupa/analyzers/text_normalizer.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <cctype>
#include <memory>
#include <stdexcept>

namespace lupa::analyzers {
namespace {

const icu::Normalizer2& normalizer(const char* which, UNormalization2Mode mode) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* instance = icu::Normalizer2::getInstance(nullptr, which, mode, status);
  if (U_FAILURE(status))
    throw std::runtime_error(std::string("ICU normaliser: ") + u_errorName(status));
  return *instance;
}

const icu::Normalizer2& nfkc_casefold() {
  static const icu::Normalizer2& instance = normalizer("nfkc_cf", UNORM2_COMPOSE);
  return instance;
}
const icu::Normalizer2& nfkc() {
  static const icu::Normalizer2& instance = normalizer("nfkc", UNORM2_COMPOSE);
  return instance;
}
const icu::Normalizer2& nfd() {
  static const icu::Normalizer2& instance = normalizer("nfc", UNORM2_DECOMPOSE);
  return instance;
}
const icu::Normalizer2& nfc() {
  static const icu::Normalizer2& instance = normalizer("nfc", UNORM2_COMPOSE);
  return instance;
}

std::string to_utf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

icu::UnicodeString normalized(const icu::Normalizer2& form, const icu::UnicodeString& text) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out = form.normalize(text, status);
  if (U_FAILURE(status))
    throw std::runtime_error(std::string("ICU normalise: ") + u_errorName(status));
  return out;
}

bool is_ascii(std::string_view text) {
  for (unsigned char c : text)
    if (c >= 0x80) return false;
  return true;
}

// A break iterator is costly to create and not thread-safe: one per thread, reused.
icu::BreakIterator& word_breaker() {
  thread_local std::unique_ptr<icu::BreakIterator> breaker = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> created(
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status))
      throw std::runtime_error(std::string("ICU word break: ") + u_errorName(status));
    return created;
  }();
  return *breaker;
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  const auto length = static_cast<int32_t>(bytes.size());
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) return false;
  }
  return true;
}

std::string windows1252_to_utf8(std::string_view bytes) {
  const icu::UnicodeString text(bytes.data(), static_cast<int32_t>(bytes.size()), "windows-1252");
  return to_utf8(text);
}

std::string normalize_nfkc(std::string_view utf8) {
  if (is_ascii(utf8)) return std::string(utf8);
  return to_utf8(normalized(nfkc(), icu::UnicodeString::fromUTF8(utf8)));
}

std::string fold_diacritics(std::string_view utf8) {
  if (is_ascii(utf8)) return std::string(utf8);
  const icu::UnicodeString decomposed = normalized(nfd(), icu::UnicodeString::fromUTF8(utf8));
  icu::UnicodeString kept;
  UChar32 base = 0;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    const bool is_mark = u_charType(c) == U_NON_SPACING_MARK;
    const bool is_enye_tilde = c == 0x0303 && (base == 'n' || base == 'N');
    if (is_mark && !is_enye_tilde) continue;
    if (!is_mark) base = c;
    kept.append(c);
  }
  return to_utf8(normalized(nfc(), kept));
}

namespace {

std::vector<std::string> segment(icu::UnicodeString text) {
  // "Mexico’s" (U+2019, as typeset text writes it) must be the word "Mexico's", as typed.
  text.findAndReplace(icu::UnicodeString(static_cast<UChar32>(0x2019)), icu::UnicodeString(u'\''));
  text.findAndReplace(icu::UnicodeString(static_cast<UChar32>(0x02BC)), icu::UnicodeString(u'\''));
  std::vector<std::string> words;
  icu::BreakIterator& breaker = word_breaker();
  breaker.setText(text);
  int32_t start = breaker.first();
  for (int32_t end = breaker.next(); end != icu::BreakIterator::DONE;
       start = end, end = breaker.next()) {
    if (breaker.getRuleStatus() == UBRK_WORD_NONE) continue;  // spaces and punctuation
    // ICU keeps "gob.mx" and "www.compranet.gob.mx" whole, Xapian's query parser splits them
    // at the dots; splitting here too lets a query for "compranet" find them.
    int32_t piece = start;
    for (int32_t i = start + 1; i + 1 < end; ++i) {
      if (text.charAt(i) != u'.' ||
          !(u_isalpha(text.char32At(i - 1)) || u_isalpha(text.char32At(i + 1))))
        continue;
      words.push_back(to_utf8(text.tempSubStringBetween(piece, i)));
      piece = i + 1;
    }
    words.push_back(to_utf8(text.tempSubStringBetween(piece, end)));
  }
  return words;
}

}  // namespace

std::vector<std::string> segment_words(std::string_view utf8) {
  return segment(normalized(nfkc_casefold(), icu::UnicodeString::fromUTF8(utf8)));
}

std::vector<std::string> segment_words_keeping_case(std::string_view utf8) {
  return segment(normalized(nfc(), icu::UnicodeString::fromUTF8(utf8)));
}

std::string fold_for_matching(std::string_view utf8) {
  if (is_ascii(utf8)) {
    std::string lower(utf8);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower;
  }
  return fold_diacritics(to_utf8(normalized(nfkc_casefold(), icu::UnicodeString::fromUTF8(utf8))));
}

}  // namespace lupa::analyzers
