#include "lupa/indexer/text_decoding.h"

#include <unicode/ucsdet.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string_view>

namespace lupa::indexer {
namespace {

// Enough text for the detector's statistics; more only costs time.
constexpr std::size_t kDetectionSampleBytes = 64 * 1024;

struct ByteOrderMark {
  std::string_view bytes;
  const char* encoding;
};
// UTF-32LE first: its mark starts with UTF-16LE's.
constexpr std::array<ByteOrderMark, 5> kByteOrderMarks = {{
    {std::string_view("\xFF\xFE\x00\x00", 4), "UTF-32LE"},
    {std::string_view("\x00\x00\xFE\xFF", 4), "UTF-32BE"},
    {"\xFF\xFE", "UTF-16LE"},
    {"\xFE\xFF", "UTF-16BE"},
    {"\xEF\xBB\xBF", "UTF-8"},
}};

const ByteOrderMark* byte_order_mark(std::string_view bytes) {
  for (const ByteOrderMark& mark : kByteOrderMarks)
    if (bytes.starts_with(mark.bytes)) return &mark;
  return nullptr;
}

std::string convert_to_utf8(std::string_view bytes, const char* encoding) {
  const icu::UnicodeString text(bytes.data(), static_cast<int32_t>(bytes.size()), encoding);
  std::string out;
  text.toUTF8String(out);
  return out;
}

struct Utf8Census {
  std::size_t multibyte = 0;  // well-formed sequences of two bytes or more
  std::size_t ill_formed = 0;
};

Utf8Census count_utf8(std::string_view bytes) {
  Utf8Census census;
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  const auto length = static_cast<int32_t>(bytes.size());
  for (int32_t i = 0; i < length;) {
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, length, c);
    ++(c < 0 ? census.ill_formed : census.multibyte);
  }
  return census;
}

// Each ill-formed sequence (as U8_NEXT delimits it: a maximal valid prefix) becomes U+FFFD.
std::string repair_utf8(std::string_view bytes, std::size_t& replaced) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 16);
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  const auto length = static_cast<int32_t>(bytes.size());
  for (int32_t i = 0; i < length;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c >= 0) {
      out.append(bytes.data() + start, static_cast<std::size_t>(i - start));
    } else {
      out += "\xEF\xBF\xBD";
      ++replaced;
    }
  }
  return out;
}

struct DetectorClose {
  void operator()(UCharsetDetector* detector) const { ucsdet_close(detector); }
};

// The single-byte encodings of Latin-script text; what else the detector may name (Shift_JIS,
// KOI8-R, ...) would be a misreading of a Spanish or English file.
bool is_latin_single_byte(std::string_view name) {
  return name == "ISO-8859-1" || name == "windows-1252" || name == "ISO-8859-2" ||
         name == "windows-1250" || name == "ISO-8859-9" || name == "windows-1254";
}

std::string detect_legacy_encoding(std::string_view bytes) {
  // Sample where the non-ASCII bytes start: an ASCII opening tells the detector nothing.
  const auto first_high = std::find_if(
      bytes.begin(), bytes.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  const std::size_t from =
      static_cast<std::size_t>(first_high - bytes.begin()) > kDetectionSampleBytes / 4
          ? static_cast<std::size_t>(first_high - bytes.begin()) - kDetectionSampleBytes / 4
          : 0;
  const std::string_view sample = bytes.substr(from, kDetectionSampleBytes);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, DetectorClose> detector(ucsdet_open(&status));
  if (U_SUCCESS(status))
    ucsdet_setText(detector.get(), sample.data(), static_cast<int32_t>(sample.size()), &status);
  int32_t count = 0;
  const UCharsetMatch** matches =
      U_SUCCESS(status) ? ucsdet_detectAll(detector.get(), &count, &status) : nullptr;
  for (int32_t i = 0; U_SUCCESS(status) && matches && i < count; ++i) {
    const char* name = ucsdet_getName(matches[i], &status);
    if (U_FAILURE(status) || !name) break;
    if (!is_latin_single_byte(name)) continue;
    // Latin-1's C1 controls never occur in text; Windows-1252 gives them letters and quotes.
    return std::string_view(name) == "ISO-8859-1" ? "windows-1252" : name;
  }
  return "windows-1252";
}

std::string display_name(std::string encoding) {
  if (encoding.starts_with("windows-")) encoding[0] = 'W';
  return encoding;
}

}  // namespace

bool has_wide_byte_order_mark(std::string_view bytes) {
  const ByteOrderMark* mark = byte_order_mark(bytes);
  return mark && std::string_view(mark->encoding) != "UTF-8";
}

bool is_damaged_utf8(std::string_view bytes) {
  const Utf8Census census = count_utf8(bytes);
  return census.ill_formed > 0 && census.multibyte > census.ill_formed;
}

DecodedText decode_text(std::string bytes) {
  DecodedText decoded;
  if (const ByteOrderMark* mark = byte_order_mark(bytes)) {
    bytes.erase(0, mark->bytes.size());
    if (std::string_view(mark->encoding) != "UTF-8") {
      decoded.text = convert_to_utf8(bytes, mark->encoding);
      decoded.encoding = mark->encoding;
      return decoded;
    }
  }
  const Utf8Census census = count_utf8(bytes);
  if (census.ill_formed == 0) {
    decoded.text = std::move(bytes);
    decoded.encoding = "UTF-8";
  } else if (census.multibyte > census.ill_formed) {
    decoded.text = repair_utf8(bytes, decoded.replaced);
    decoded.encoding = "UTF-8";
  } else {
    decoded.encoding = detect_legacy_encoding(bytes);
    decoded.text = convert_to_utf8(bytes, decoded.encoding.c_str());
    decoded.encoding = display_name(decoded.encoding);
  }
  return decoded;
}

}  // namespace lupa::indexer
