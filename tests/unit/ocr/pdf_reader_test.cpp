#include "lupa/ocr/pdf_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "lupa/ocr/page_text.h"

namespace lupa::ocr {
namespace {

using ::testing::HasSubstr;

std::string repeat(std::string_view unit, int times) {
  std::string text;
  for (int i = 0; i < times; ++i) text += unit;
  return text;
}

TEST(TextLayer, RealProseIsUsable) {
  EXPECT_TRUE(text_layer_is_usable(
      "El Gobierno de México se compromete a publicar la información presupuestaria en "
      "formatos abiertos, 2011-2013, con la participación de la sociedad civil."));
}

TEST(TextLayer, APageNumberAloneIsNotUsable) {
  EXPECT_FALSE(text_layer_is_usable("  12  "));
  EXPECT_FALSE(text_layer_is_usable("Página 3 de 40"));
  EXPECT_FALSE(text_layer_is_usable(""));
}

TEST(TextLayer, SymbolSoupFromAFontWithoutUnicodeMappingIsNotUsable) {
  EXPECT_FALSE(text_layer_is_usable(repeat("!\"#$%&'()*+,-./:;<=>? ab ", 10)));
}

TEST(TextLayer, PrivateUseAndReplacementCharactersAreNotUsable) {
  const std::string prose = repeat("transparencia y rendición de cuentas ", 4);
  EXPECT_TRUE(text_layer_is_usable(prose));
  EXPECT_FALSE(text_layer_is_usable(prose + repeat("\xEF\x80\x81", 10)));  // U+F001
  EXPECT_FALSE(text_layer_is_usable(prose + repeat("\xEF\xBF\xBD", 10)));  // U+FFFD
}

TEST(TextLayer, TablesOfNumbersWithEnoughWordsAreUsable) {
  EXPECT_TRUE(text_layer_is_usable(
      "Compromiso Avance Estado\n1 Presupuesto abierto 100% Completo\n2 Contrataciones 50% "
      "Parcial\n3 Datos abiertos 0% Sin avance\n"));
}

std::string error_of(std::string_view content) {
  try {
    PdfDocument pdf(content);
  } catch (const OcrError& error) {
    return error.what();
  }
  return "";
}

TEST(PdfDocument, RefusesFilesThatAreNotPdfs) {
  EXPECT_EQ(error_of(""), "file is empty");
  EXPECT_EQ(error_of("<!DOCTYPE html><html><body>Plan</body></html>"),
            "not a PDF (it does not start with %PDF-)");
}

TEST(PdfDocument, RefusesAPdfWithoutItsEnd) {
  EXPECT_EQ(error_of("%PDF-1.4\n1 0 obj\n<< /Type /Catalog"),
            "the PDF is truncated (no %%EOF in its last kilobyte)");
}

TEST(PdfDocument, RefusesAPdfPopplerCannotParse) {
  EXPECT_THAT(error_of("%PDF-1.4\nthis is not a PDF body at all\n%%EOF\n"),
              HasSubstr("cannot parse"));
}

}  // namespace
}  // namespace lupa::ocr
