// Turns the bytes of a text file into UTF-8, whatever they were written in: UTF-8 (with or
// without a byte order mark), UTF-16 and UTF-32 with a byte order mark, a legacy single-byte
// encoding recognised by ICU's charset detector (Latin-1, Windows-1252, ...), or UTF-8 with
// stretches of Windows-1252 in it (a file pasted together from two sources).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lupa::indexer {

struct DecodedText {
  std::string text;      ///< UTF-8, without a byte order mark
  std::string encoding;  ///< what the bytes were read as: "UTF-8", "UTF-16LE", "Windows-1252"
  /// In text read as UTF-8: bytes outside any well-formed UTF-8 sequence, each read as the
  /// Windows-1252 character it is there.
  std::size_t legacy_bytes = 0;
  /// Bytes that are no character in the encoding they were read in (0x81, 0x8D, 0x8F, 0x90,
  /// 0x9D in Windows-1252; C1 controls in ISO-8859-x), each replaced by U+FFFD.
  std::size_t replaced = 0;
};

/// Whether `bytes` open with a UTF-16 or UTF-32 byte order mark (such text holds NUL bytes
/// and is still text).
bool has_wide_byte_order_mark(std::string_view bytes);

/// Decodes `bytes`, sequence by sequence so that a bad byte costs its own character only:
/// each well-formed UTF-8 sequence is read as UTF-8 and each byte outside one as Windows-1252,
/// so a Windows-1252 paragraph inside a UTF-8 file stays searchable, and so does a UTF-8 title
/// over a Windows-1252 body. Text with fewer well-formed multi-byte sequences than ill-formed
/// ones is first given to ICU's detector: when it finds another Latin single-byte encoding
/// (ISO-8859-2, -9, Windows-1250, -1254) the whole text is read in that one. `markup` tells
/// the detector to look past tags (HTML). Valid UTF-8 is moved, not copied; otherwise memory
/// is the input and the output, converted a bounded piece at a time.
DecodedText decode_text(std::string bytes, bool markup = false);

}  // namespace lupa::indexer
