// Turns the bytes of a text file into UTF-8, whatever they were written in: UTF-8 (with or
// without a byte order mark), UTF-16 and UTF-32 with a byte order mark, or a legacy
// single-byte encoding recognised by ICU's charset detector (Latin-1, Windows-1252, ...).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lupa::indexer {

struct DecodedText {
  std::string text;          ///< UTF-8, without a byte order mark
  std::string encoding;      ///< what the bytes were read as: "UTF-8", "UTF-16LE", "Windows-1252"
  std::size_t replaced = 0;  ///< ill-formed UTF-8 sequences, each replaced by U+FFFD
};

/// Whether `bytes` open with a UTF-16 or UTF-32 byte order mark (such text holds NUL bytes
/// and is still text).
bool has_wide_byte_order_mark(std::string_view bytes);

/// Whether `bytes` are UTF-8 with a few ill-formed sequences (more well-formed multi-byte
/// sequences than ill-formed ones), which decode_text repairs rather than reads as legacy text.
bool is_damaged_utf8(std::string_view bytes);

/// Decodes `bytes`. Text that is UTF-8 but for a few ill-formed sequences stays UTF-8, each bad
/// sequence becoming U+FFFD, so that one bad byte costs its own character only; text with no
/// well-formed multi-byte sequence, or more bad ones than good, is read in the encoding ICU
/// detects, among the single-byte Latin ones, and as Windows-1252 when it detects another.
/// Valid UTF-8 is moved, not copied.
DecodedText decode_text(std::string bytes);

}  // namespace lupa::indexer
