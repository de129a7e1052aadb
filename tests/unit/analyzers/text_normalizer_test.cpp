#include "lupa/analyzers/text_normalizer.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <utility>
#include <vector>

namespace lupa::analyzers {
namespace {

using Words = std::vector<std::string>;

struct FoldCase {
  std::string input;
  std::string expected;
  friend void PrintTo(const FoldCase& c, std::ostream* out) { *out << c.input; }
};

class FoldDiacritics : public ::testing::TestWithParam<FoldCase> {};

TEST_P(FoldDiacritics, FoldsSpanishAccentsButKeepsEnye) {
  EXPECT_EQ(fold_diacritics(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Words, FoldDiacritics,
    ::testing::Values(FoldCase{"información", "informacion"}, FoldCase{"corrupción", "corrupcion"},
                      FoldCase{"rendición de cuentas", "rendicion de cuentas"},
                      FoldCase{"ÁÉÍÓÚ áéíóú", "AEIOU aeiou"},  // case is left alone
                      FoldCase{"año", "año"},                  // ñ is a letter of its own
                      FoldCase{"AÑO España", "AÑO España"},
                      FoldCase{"pingüino lingüística", "pinguino linguistica"},
                      FoldCase{"français", "francais"},
                      // Decomposed input: a combining tilde after n is still ñ, composed.
                      FoldCase{"an\xCC\x83o", "año"},
                      // Decomposed acute accent on e is dropped.
                      FoldCase{"e\xCC\x81xito", "exito"},
                      FoldCase{"plain ascii 2019", "plain ascii 2019"}));

TEST(TextNormalizer, FoldingLeavesPunctuationAndSymbolsInPlace) {
  EXPECT_EQ(fold_diacritics("¿Qué es la AGA? ¡Sí!"), "¿Que es la AGA? ¡Si!");
  EXPECT_EQ(fold_diacritics("66° período"), "66° periodo");
}

TEST(TextNormalizer, SegmentWordsLowerCasesAndDropsPunctuation) {
  EXPECT_EQ(segment_words("La Información, socialmente útil; (y) la CORRUPCIÓN."),
            (Words{"la", "información", "socialmente", "útil", "y", "la", "corrupción"}));
}

TEST(TextNormalizer, SegmentWordsKeepsAccentsAndEnye) {
  EXPECT_EQ(segment_words("AÑO Rendición"), (Words{"año", "rendición"}));
}

TEST(TextNormalizer, SegmentWordsAppliesNfkcSoLigaturesBecomeLetters) {
  // "ﬁnanzas" starts with U+FB01 LATIN SMALL LIGATURE FI, as PDF conversions leave it.
  EXPECT_EQ(segment_words("\xEF\xAC\x81nanzas públicas"), (Words{"finanzas", "públicas"}));
  // Full-width letters and digits too.
  EXPECT_EQ(segment_words("\xEF\xBC\xA1\xEF\xBC\xA7\xEF\xBC\xA1 \xEF\xBC\x92\xEF\xBC\x90"),
            (Words{"aga", "20"}));
}

TEST(TextNormalizer, SegmentWordsKeepsPossessivesAndNumbersWhole) {
  // ICU word breaks do not split at an apostrophe between letters, nor inside 2019-2021's parts.
  EXPECT_EQ(segment_words("Mexico's plan"), (Words{"mexico's", "plan"}));
  EXPECT_EQ(segment_words("2019-2021 1.100 personas"),
            (Words{"2019", "2021", "1.100", "personas"}));
}

TEST(TextNormalizer, TypographicApostropheIsReadAsTheAsciiOne) {
  // U+2019 RIGHT SINGLE QUOTATION MARK, as web pages and word processors write possessives.
  EXPECT_EQ(segment_words("Mexico\xE2\x80\x99s plan"), (Words{"mexico's", "plan"}));
  EXPECT_EQ(segment_words("Mexico\xE2\x80\x99s plan"), segment_words("Mexico's plan"));
  EXPECT_EQ(segment_words_keeping_case("Mexico\xE2\x80\x99s OGP"), (Words{"Mexico's", "OGP"}));
}

TEST(TextNormalizer, SegmentWordsSplitsDottedNamesAsTheQueryParserDoes) {
  // A query for "compranet" must find "www.compranet.gob.mx"; decimal numbers stay whole.
  EXPECT_EQ(segment_words("Véase www.compranet.gob.mx y Gob.Mx"),
            (Words{"véase", "www", "compranet", "gob", "mx", "y", "gob", "mx"}));
  EXPECT_EQ(segment_words("3.5 millones"), (Words{"3.5", "millones"}));
}

TEST(TextNormalizer, SegmentWordsOfPunctuationOnlyIsEmpty) {
  EXPECT_TRUE(segment_words("").empty());
  EXPECT_TRUE(segment_words(" -- ... ¿? ¡! ").empty());
}

TEST(TextNormalizer, SegmentWordsKeepingCaseKeepsCaseAndAccents) {
  // Recognisers must tell the acronym "SEP" from the month "sep".
  EXPECT_EQ(segment_words_keeping_case("La SEP publicó, el 3 de sep., la Información"),
            (Words{"La", "SEP", "publicó", "el", "3", "de", "sep", "la", "Información"}));
  EXPECT_EQ(segment_words_keeping_case("AÑO Rendición"), (Words{"AÑO", "Rendición"}));
  EXPECT_TRUE(segment_words_keeping_case(" -- ¿? ").empty());
}

TEST(TextNormalizer, SegmentWordsKeepingCaseComposesDecomposedLetters) {
  // NFC: "e" + U+0301 is "é", as a name in a data file is written.
  EXPECT_EQ(segment_words_keeping_case("Pu\xCC\x81"
                                       "blica"),
            (Words{"Pública"}));
}

TEST(TextNormalizer, SegmentWordsKeepingCaseAgreesWithSegmentWordsUpToCase) {
  const std::string text = "Secretaría de la Función Pública (SFP), www.gob.mx y Mexico's plan";
  const Words kept = segment_words_keeping_case(text);
  const Words lowered = segment_words(text);
  ASSERT_EQ(kept.size(), lowered.size());
  for (std::size_t i = 0; i < kept.size(); ++i)
    EXPECT_EQ(fold_for_matching(kept[i]), fold_for_matching(lowered[i])) << kept[i];
}

TEST(TextNormalizer, SegmentWordsOfLinesJoinedAreTheWordsOfEachLine) {
  // The indexer identifies a passage's language from the words of its heading and its text
  // segmented apart, and keeps the text's for the index: a line end parts words and
  // normalisation alike, whatever stands on either side of it.
  const std::pair<std::string, std::string> lines[] = {
      {"", "Datos abiertos"},
      {"1. Transparencia", ""},
      {"Compromiso 3 › Ejes", "gob.mx y www.compranet.gob.mx."},
      {"Mexico\u2019s plan", "\u0301acento suelto al principio"},
      {"termina en acento e\u0301", "\uFB01nanzas p\u00fablicas"},
      {"SEP.", ".mx"},
      {"ends with an apostrophe'", "'s start"},
      {"  ", "\t"}};
  for (const auto& [heading, text] : lines) {
    Words apart = segment_words(heading);
    const Words text_words = segment_words(text);
    apart.insert(apart.end(), text_words.begin(), text_words.end());
    EXPECT_EQ(segment_words(heading + "\n" + text), apart) << heading << " / " << text;
  }
}

TEST(TextNormalizer, FoldForMatchingLowerCasesAndDropsAccentsButKeepsEnye) {
  const std::pair<std::string, std::string> cases[] = {
      {"Secretaría de la Función Pública", "secretaria de la funcion publica"},
      {"SECRETARÍA DE LA FUNCIÓN PÚBLICA", "secretaria de la funcion publica"},
      {"AÑO Año año", "año año año"},
      {"SFP", "sfp"},
      {"\xEF\xAC\x81nanzas", "finanzas"},  // the ligature is two letters
      {"", ""}};
  for (const auto& [input, expected] : cases)
    EXPECT_EQ(fold_for_matching(input), expected) << input;
}

TEST(TextNormalizer, NormalizeNfkcKeepsCaseForQueryOperators) {
  EXPECT_EQ(normalize_nfkc("\xEF\xAC\x81nanzas AND Corrupción"), "finanzas AND Corrupción");
  EXPECT_EQ(normalize_nfkc("plain AND ascii"), "plain AND ascii");
}

struct Utf8Case {
  const char* name;
  std::string bytes;
  bool valid;
};

class IsValidUtf8 : public ::testing::TestWithParam<Utf8Case> {};

TEST_P(IsValidUtf8, AcceptsWellFormedAndRejectsMalformed) {
  EXPECT_EQ(is_valid_utf8(GetParam().bytes), GetParam().valid) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
    Sequences, IsValidUtf8,
    ::testing::Values(Utf8Case{"empty", "", true}, Utf8Case{"ascii", "plan de acción", true},
                      Utf8Case{"three and four bytes", "\xE2\x80\x94 \xF0\x9F\x98\x80", true},
                      Utf8Case{"truncated two-byte sequence", "informaci\xC3", false},
                      Utf8Case{"truncated three-byte sequence", "x\xE2\x80", false},
                      Utf8Case{"overlong slash", "\xC0\xAF", false},
                      Utf8Case{"lone continuation byte", "a\x80z", false},
                      Utf8Case{"latin-1 byte", "informaci\xF3n", false},
                      Utf8Case{"encoded surrogate", "\xED\xA0\x80", false},
                      Utf8Case{"beyond U+10FFFF", "\xF4\x90\x80\x80", false}),
    [](const ::testing::TestParamInfo<Utf8Case>& case_info) {
      std::string name;
      for (char c : std::string(case_info.param.name))
        name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      return name;
    });

TEST(TextNormalizer, IsValidUtf8AcceptsEmbeddedNul) {
  EXPECT_TRUE(is_valid_utf8(std::string("a\0b", 3)));
}

TEST(TextNormalizer, Windows1252DecodesLatin1Letters) {
  EXPECT_EQ(windows1252_to_utf8("informaci\xF3n"), "información");
  EXPECT_EQ(windows1252_to_utf8("A\xD1O espa\xF1ol"), "AÑO español");
}

TEST(TextNormalizer, Windows1252DecodesItsOwnPunctuationRange) {
  // 0x80-0x9F are typographic marks in Windows-1252, not C1 controls as in Latin-1.
  EXPECT_EQ(windows1252_to_utf8("\x93"
                                "comillas"
                                "\x94 \x96 \x80"
                                "5"),
            "\xE2\x80\x9C"
            "comillas"
            "\xE2\x80\x9D \xE2\x80\x93 \xE2\x82\xAC"
            "5");
}

TEST(TextNormalizer, Windows1252LeavesAsciiUnchanged) {
  EXPECT_EQ(windows1252_to_utf8("plain text 2011"), "plain text 2011");
}

}  // namespace
}  // namespace lupa::analyzers
