#include "lupa/indexer/text_decoding.h"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

namespace lupa::indexer {
namespace {

// Enough text for the detector's statistics; more only costs time.
constexpr std::size_t kDetectionSampleBytes = 64 * 1024;

constexpr const char* kFallbackEncoding = "windows-1252";

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

struct ConverterClose {
  void operator()(UConverter* converter) const { ucnv_close(converter); }
};
using Converter = std::unique_ptr<UConverter, ConverterClose>;

Converter open_converter(const char* encoding) {
  UErrorCode status = U_ZERO_ERROR;
  Converter converter(ucnv_open(encoding, &status));
  if (U_FAILURE(status)) converter.reset();
  return converter;
}

// UTF-16 and UTF-32 to UTF-8 through a fixed pivot buffer, a piece at a time: going through an
// icu::UnicodeString of the whole text would hold the input, twice its length in UTF-16 and
// the output together.
std::string convert_wide_to_utf8(std::string_view bytes, const char* encoding) {
  const Converter from = open_converter(encoding);
  const Converter to = open_converter("UTF-8");
  if (!from || !to) return {};
  std::string out;
  // The most UTF-8 a UTF-16 or UTF-32 text can become (a 2-byte unit becomes at most 3 bytes);
  // pages reserved and never written take no memory.
  out.reserve(bytes.size() / 2 * 3 + 3);
  std::vector<UChar> pivot(16 * 1024);
  UChar* pivot_source = pivot.data();
  UChar* pivot_target = pivot.data();
  std::vector<char> piece(64 * 1024);
  const char* source = bytes.data();
  const char* const source_end = bytes.data() + bytes.size();
  for (bool first = true;; first = false) {
    char* target = piece.data();
    UErrorCode status = U_ZERO_ERROR;
    ucnv_convertEx(to.get(), from.get(), &target, piece.data() + piece.size(), &source, source_end,
                   pivot.data(), &pivot_source, &pivot_target, pivot.data() + pivot.size(),
                   /*reset=*/first, /*flush=*/true, &status);
    out.append(piece.data(), static_cast<std::size_t>(target - piece.data()));
    if (status != U_BUFFER_OVERFLOW_ERROR) break;
  }
  return out;
}

// What each byte of a single-byte encoding is in UTF-8. Bytes that are no character in it
// (unassigned, or C1 controls, which no text holds) become U+FFFD and are counted.
class ByteTable {
 public:
  explicit ByteTable(const char* encoding) {
    const Converter converter = open_converter(encoding);
    for (unsigned byte = 0; byte < 256; ++byte) {
      UChar32 c = static_cast<UChar32>(byte);
      if (byte >= 0x80) {
        c = 0xFFFD;
        if (converter) {
          const char in = static_cast<char>(byte);
          std::array<UChar, 4> units{};
          UErrorCode status = U_ZERO_ERROR;
          ucnv_resetToUnicode(converter.get());
          const int32_t length = ucnv_toUChars(converter.get(), units.data(), 4, &in, 1, &status);
          if (U_SUCCESS(status) && length == 1) c = units[0];
        }
        if (c < 0xA0 || c == 0x1A || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;
      }
      Entry& entry = entries_[byte];
      int32_t length = 0;
      U8_APPEND_UNSAFE(reinterpret_cast<uint8_t*>(entry.utf8.data()), length, c);
      entry.length = static_cast<uint8_t>(length);
      entry.replaced = c == 0xFFFD;
    }
  }
  std::string_view utf8(uint8_t byte) const {
    return {entries_[byte].utf8.data(), entries_[byte].length};
  }
  bool replaced(uint8_t byte) const { return entries_[byte].replaced; }

 private:
  struct Entry {
    std::array<char, 4> utf8{};
    uint8_t length = 0;
    bool replaced = false;
  };
  std::array<Entry, 256> entries_;
};

// Built once per encoding and never freed: there are a handful of them, 2 KB each.
const ByteTable& byte_table(const std::string& encoding) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<ByteTable>> tables;
  std::lock_guard lock(mutex);
  std::unique_ptr<ByteTable>& table = tables[encoding];
  if (!table) table = std::make_unique<ByteTable>(encoding.c_str());
  return *table;
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

// Gives `emit` the UTF-8 of `bytes` piece by piece: ASCII as it is, each byte from 0x80 on
// through `table`, or, with `utf8_sequences`, each well-formed UTF-8 sequence as it is and only
// the bytes outside one through `table`. Run twice, to count and then to write, so that the
// output is allocated once at its exact size.
template <typename Emit>
void decode_bytes(std::string_view bytes, const ByteTable& table, bool utf8_sequences,
                  DecodedText& counts, Emit&& emit) {
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  const auto length = static_cast<int32_t>(bytes.size());
  for (int32_t i = 0; i < length;) {
    int32_t ascii_end = i;
    while (ascii_end < length && s[ascii_end] < 0x80) ++ascii_end;
    if (ascii_end > i) {
      emit(bytes.substr(static_cast<std::size_t>(i), static_cast<std::size_t>(ascii_end - i)));
      i = ascii_end;
      continue;
    }
    const int32_t start = i;
    if (utf8_sequences) {
      UChar32 c;
      U8_NEXT(s, i, length, c);
      if (c >= 0) {
        emit(bytes.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
        continue;
      }
      ++counts.legacy_bytes;
    }
    // One byte only: the bytes after a bad lead byte may start a good sequence of their own.
    i = start + 1;
    emit(table.utf8(s[start]));
    if (table.replaced(s[start])) ++counts.replaced;
  }
}

std::string decode_with_table(std::string_view bytes, const ByteTable& table, bool utf8_sequences,
                              DecodedText& counts) {
  std::size_t size = 0;
  DecodedText ignored;
  decode_bytes(bytes, table, utf8_sequences, ignored,
               [&size](std::string_view piece) { size += piece.size(); });
  std::string out;
  out.reserve(size);
  decode_bytes(bytes, table, utf8_sequences, counts,
               [&out](std::string_view piece) { out.append(piece); });
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

std::string detect_legacy_encoding(std::string_view bytes, bool markup) {
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
  if (U_SUCCESS(status)) {
    ucsdet_enableInputFilter(detector.get(), markup);
    ucsdet_setText(detector.get(), sample.data(), static_cast<int32_t>(sample.size()), &status);
  }
  int32_t count = 0;
  const UCharsetMatch** matches =
      U_SUCCESS(status) ? ucsdet_detectAll(detector.get(), &count, &status) : nullptr;
  for (int32_t i = 0; U_SUCCESS(status) && matches && i < count; ++i) {
    const char* name = ucsdet_getName(matches[i], &status);
    if (U_FAILURE(status) || !name) break;
    if (!is_latin_single_byte(name)) continue;
    // Latin-1's C1 controls never occur in text; Windows-1252 gives them letters and quotes.
    return std::string_view(name) == "ISO-8859-1" ? kFallbackEncoding : name;
  }
  return kFallbackEncoding;
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

DecodedText decode_text(std::string bytes, bool markup) {
  DecodedText decoded;
  bool marked_utf8 = false;
  if (const ByteOrderMark* mark = byte_order_mark(bytes)) {
    bytes.erase(0, mark->bytes.size());
    if (std::string_view(mark->encoding) != "UTF-8") {
      decoded.text = convert_wide_to_utf8(bytes, mark->encoding);
      decoded.encoding = mark->encoding;
      return decoded;
    }
    marked_utf8 = true;
  }
  const Utf8Census census = count_utf8(bytes);
  if (census.ill_formed == 0) {
    decoded.text = std::move(bytes);
    decoded.encoding = "UTF-8";
    return decoded;
  }
  // Mostly ill-formed: legacy text, perhaps with a little UTF-8 pasted in. The detector tells
  // Windows-1252 from the other Latin encodings, whose letters sit on other bytes.
  std::string encoding = kFallbackEncoding;
  if (!marked_utf8 && census.multibyte <= census.ill_formed)
    encoding = detect_legacy_encoding(bytes, markup);
  const bool utf8_sequences = encoding == kFallbackEncoding;
  decoded.text = decode_with_table(bytes, byte_table(encoding), utf8_sequences, decoded);
  // Text with no UTF-8 in it at all was simply written in the legacy encoding.
  decoded.encoding =
      utf8_sequences && (census.multibyte > 0 || marked_utf8) ? "UTF-8" : display_name(encoding);
  if (decoded.encoding != "UTF-8") decoded.legacy_bytes = 0;
  return decoded;
}

}  // namespace lupa::indexer
