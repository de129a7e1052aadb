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
// accented letter of it; only the bad byte is read as Windows-1252.
TEST(TextDecoding, AnInvalidByteInUtf8CostsItsOwnCharacterOnly) {
  const DecodedText decoded =
      decode_text("La información pública \x80 sobre la participación y la rendición.\n");
  EXPECT_EQ(decoded.encoding, "UTF-8");
  EXPECT_EQ(decoded.legacy_bytes, 1u);
  EXPECT_EQ(decoded.replaced, 0u);
  EXPECT_EQ(decoded.text,
            "La información pública \xE2\x82\xAC sobre la participación y la rendición.\n");
}

TEST(TextDecoding, ATruncatedSequenceAtTheEndIsReadAsWindows1252) {
  const DecodedText decoded = decode_text("acción y educación \xC3");
  EXPECT_EQ(decoded.text, "acción y educación Ã");
  EXPECT_EQ(decoded.legacy_bytes, 1u);
}

// A UTF-8 opening pasted over a longer Windows-1252 body: each part keeps its letters, where
// one choice for the whole file gave "ParticipaciÃ³n" or a U+FFFD for every accent.
TEST(TextDecoding, Utf8AndWindows1252InOneFileAreReadSequenceBySequence) {
  const std::string mixed =
      "Participación ciudadana\n"
      "La educaci\xF3n p\xFA"
      "blica, la rendici\xF3n de cuentas, el a\xF1o fiscal y la informaci\xF3n "
      "\x93"
      "abierta\x94 de la Secretar\xED"
      "a \x96 seg\xFAn el plan.\n";
  const DecodedText decoded = decode_text(mixed);
  EXPECT_EQ(decoded.encoding, "UTF-8");
  EXPECT_EQ(decoded.legacy_bytes, 10u);
  EXPECT_EQ(decoded.replaced, 0u);
  EXPECT_EQ(decoded.text,
            "Participación ciudadana\n"
            "La educación pública, la rendición de cuentas, el año fiscal y la información "
            "\xE2\x80\x9C"
            "abierta\xE2\x80\x9D de la Secretaría \xE2\x80\x93 según el plan.\n");

  // And the other way round: mostly UTF-8, one Windows-1252 word.
  const DecodedText few = decode_text("Información pública y participación: educaci\xF3n.\n");
  EXPECT_EQ(few.encoding, "UTF-8");
  EXPECT_EQ(few.text, "Información pública y participación: educación.\n");
}

// Bytes Windows-1252 leaves unassigned are no character: U+FFFD, not a C1 control.
TEST(TextDecoding, BytesWithNoCharacterBecomeReplacementCharacters) {
  const DecodedText decoded = decode_text(
      "Informaci\xF3n \x81 y \x9D p\xFA"
      "blica\n");
  EXPECT_EQ(decoded.encoding, "Windows-1252");
  EXPECT_EQ(decoded.replaced, 2u);
  EXPECT_EQ(decoded.text, "Información \xEF\xBF\xBD y \xEF\xBF\xBD pública\n");
}

TEST(TextDecoding, Utf16WithAnUnpairedSurrogateIsReadAndLong) {
  std::u16string wide;
  for (int i = 0; i < 100'000; ++i) wide += u"Año ";  // past the converter's buffers
  wide += static_cast<char16_t>(0xD800);
  wide += u" fin";
  const DecodedText decoded = decode_text(utf16_with_mark(wide, true));
  EXPECT_EQ(decoded.encoding, "UTF-16LE");
  ASSERT_EQ(decoded.text.size(), 100'000u * 5 + 3 + 4);
  EXPECT_TRUE(decoded.text.starts_with("Año Año "));
  EXPECT_TRUE(decoded.text.ends_with("Año \xEF\xBF\xBD fin"));
}

TEST(TextDecoding, LongLegacyTextIsConvertedWhole) {
  std::string latin;
  for (int i = 0; i < 50'000; ++i) latin += "La educaci\xF3n de los ni\xF1os. ";
  const DecodedText decoded = decode_text(latin);
  EXPECT_EQ(decoded.encoding, "Windows-1252");
  std::string expected;
  for (int i = 0; i < 50'000; ++i) expected += "La educación de los niños. ";
  EXPECT_EQ(decoded.text, expected);
}

}  // namespace
}  // namespace lupa::indexer
