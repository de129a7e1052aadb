#include "lupa/indexer/text_decoding.h"

#include <gtest/gtest.h>

#include <string>

namespace lupa::indexer {
namespace {

// `utf8` as UTF-16 code units in the given byte order, after that order's byte order mark.
std::string utf16_with_mark(const std::u16string& text, bool little_endian) {
  std::string bytes = little_endian ? "\xFF\xFE" : "\xFE\xFF";
  for (char16_t unit : text) {
    const char low = static_cast<char>(unit & 0xFF);
    const char high = static_cast<char>(unit >> 8);
    bytes += little_endian ? low : high;
    bytes += little_endian ? high : low;
  }
  return bytes;
}

TEST(TextDecoding, Utf8IsKeptAsItIs) {
  const DecodedText decoded = decode_text("Información pública\n");
  EXPECT_EQ(decoded.text, "Información pública\n");
  EXPECT_EQ(decoded.encoding, "UTF-8");
  EXPECT_EQ(decoded.replaced, 0u);
}

TEST(TextDecoding, Utf8ByteOrderMarkIsDropped) {
  const DecodedText decoded = decode_text("\xEF\xBB\xBFTítulo\n");
  EXPECT_EQ(decoded.text, "Título\n");
  EXPECT_EQ(decoded.encoding, "UTF-8");
}

TEST(TextDecoding, Utf16LittleEndianWithAMarkIsRead) {
  const std::string bytes = utf16_with_mark(u"Rendición de cuentas\r\nAño 2019", true);
  EXPECT_TRUE(has_wide_byte_order_mark(bytes));
  const DecodedText decoded = decode_text(bytes);
  EXPECT_EQ(decoded.text, "Rendición de cuentas\r\nAño 2019");
  EXPECT_EQ(decoded.encoding, "UTF-16LE");
}

TEST(TextDecoding, Utf16BigEndianWithAMarkIsRead) {
  const DecodedText decoded = decode_text(utf16_with_mark(u"Participación ciudadana", false));
  EXPECT_EQ(decoded.text, "Participación ciudadana");
  EXPECT_EQ(decoded.encoding, "UTF-16BE");
}

TEST(TextDecoding, OnlyWideMarksCountAsWide) {
  EXPECT_FALSE(has_wide_byte_order_mark("\xEF\xBB\xBFtexto"));
  EXPECT_FALSE(has_wide_byte_order_mark("texto"));
  EXPECT_TRUE(has_wide_byte_order_mark(std::string("\xFF\xFE\0\0", 4)));
}

TEST(TextDecoding, Windows1252SpanishIsDetectedAndConverted) {
  const std::string latin =
      "La Secretar\xED"
      "a de la Funci\xF3n P\xFA"
      "blica publicar\xE1 la informaci\xF3n sobre los ni\xF1os y el a\xF1o fiscal. "
      "El \x93plan de acci\xF3n\x94 incluye la participaci\xF3n ciudadana y la "
      "rendici\xF3n de cuentas en cada municipio de la naci\xF3n.\n";
  const DecodedText decoded = decode_text(latin);
  EXPECT_EQ(decoded.encoding, "Windows-1252");
  EXPECT_EQ(decoded.text,
            "La Secretaría de la Función Pública publicará la información sobre los niños y el "
            "año fiscal. El \xE2\x80\x9Cplan de acción\xE2\x80\x9D incluye la participación "
            "ciudadana y la rendición de cuentas en cada municipio de la nación.\n");
  EXPECT_EQ(decoded.replaced, 0u);
}

// One bad byte in a UTF-8 file: decoding the whole file as Windows-1252 would garble every
// accented letter of it; only the bad byte's own character is lost.
TEST(TextDecoding, AnInvalidByteInUtf8CostsItsOwnCharacterOnly) {
  const DecodedText decoded =
      decode_text("La información pública \xFF sobre la participación y la rendición.\n");
  EXPECT_EQ(decoded.encoding, "UTF-8");
  EXPECT_EQ(decoded.replaced, 1u);
  EXPECT_EQ(decoded.text,
            "La información pública \xEF\xBF\xBD sobre la participación y la rendición.\n");
}

TEST(TextDecoding, ATruncatedSequenceAtTheEndIsReplaced) {
  const DecodedText decoded = decode_text("acción y educación \xC3");
  EXPECT_EQ(decoded.text, "acción y educación \xEF\xBF\xBD");
  EXPECT_EQ(decoded.replaced, 1u);
}

}  // namespace
}  // namespace lupa::indexer
