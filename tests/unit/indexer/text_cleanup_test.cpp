#include "lupa/indexer/text_cleanup.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace lupa::indexer {
namespace {

struct Case {
  std::string input;
  std::string expected;
  friend void PrintTo(const Case& c, std::ostream* out) { *out << '"' << c.input << '"'; }
};

class DecodeEntities : public ::testing::TestWithParam<Case> {};

TEST_P(DecodeEntities, DecodesNamedAndNumericReferences) {
  EXPECT_EQ(decode_html_entities(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    References, DecodeEntities,
    ::testing::Values(Case{"Transparencia &amp; rendición", "Transparencia & rendición"},
                      Case{"Autoevaluaci&oacute;n p&uacute;blica", "Autoevaluación pública"},
                      Case{"Caf&eacute;", "Café"}, Case{"informaci&#243;n", "información"},
                      Case{"informaci&#xF3;n", "información"},
                      Case{"informaci&#XF3;n", "información"},
                      Case{"A&Ntilde;O &iquest;s&iacute;?", "AÑO ¿sí?"},
                      Case{"&lt;b&gt; &quot;x&quot;", "<b> \"x\""},
                      Case{"2013&ndash;2015", "2013–2015"}, Case{"&#x1F600;", "\xF0\x9F\x98\x80"},
                      // Unknown or malformed references stay as they are.
                      Case{"AT&T and R&D", "AT&T and R&D"}, Case{"&bogus;", "&bogus;"},
                      Case{"&#;", "&#;"}, Case{"&#x;", "&#x;"}, Case{"&#12a;", "&#12a;"},
                      Case{"a & b; c", "a & b; c"}, Case{"trailing &", "trailing &"},
                      // A reference that would give NUL or a surrogate becomes U+FFFD.
                      Case{"&#xD800;", "\xEF\xBF\xBD"}));

class StripInlineHtml : public ::testing::TestWithParam<Case> {};

TEST_P(StripInlineHtml, RemovesTagsKeepsAutolinksAndText) {
  EXPECT_EQ(strip_inline_html(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Tags, StripInlineHtml,
    ::testing::Values(
        // Autolinks are text a reader needs.
        Case{"Véase <http://www.compranet.gob.mx>", "Véase <http://www.compranet.gob.mx>"},
        Case{"<https://datos.gob.mx/>", "<https://datos.gob.mx/>"},
        // A tag becomes a space so that words on both sides stay apart.
        Case{"la <i>Ley Federal</i> de", "la  Ley Federal  de"},
        Case{"<ul style=\"list-style: none\">programas", " programas"},
        Case{"uno</li><li>dos", "uno  dos"}, Case{"línea<br/>otra", "línea otra"},
        Case{"<p class='x'>&eacute;xito</p>", " éxito "},
        // Not tags: comparisons and a tag cut by a line break.
        Case{"5 < 6 y 7 > 3", "5 < 6 y 7 > 3"}, Case{"a <b\nc> d", "a <b\nc> d"},
        Case{"<3 tags", "<3 tags"}));

class StripMarkdown : public ::testing::TestWithParam<Case> {};

TEST_P(StripMarkdown, KeepsWordsAndUsefulUrls) {
  EXPECT_EQ(strip_markdown(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Markup, StripMarkdown,
    ::testing::Values(Case{"**Compromiso 1** con *Plan de Acción*",
                           "Compromiso 1 con Plan de Acción"},
                      Case{"__subrayado__", "subrayado"}, Case{"[Preámbulo](#)", "Preámbulo"},
                      Case{"[portal](http://x)", "portal (http://x)"},
                      Case{"Ver [datos abiertos](https://datos.gob.mx) hoy",
                           "Ver datos abiertos (https://datos.gob.mx) hoy"},
                      Case{"[vacío]()", "vacío"},
                      // Bullets and arithmetic keep their asterisks and dashes.
                      Case{"- primer punto\n- segundo", "- primer punto\n- segundo"},
                      Case{"* punto", "* punto"}, Case{"5 * 3", "5 * 3"},
                      // Brackets that are not links stay.
                      Case{"[nota] al pie", "[nota] al pie"},
                      Case{"[a](sin cerrar\n)", "[a](sin cerrar\n)"}));

TEST(TextCleanup, CleanConvertedTextCombinesAllAndCollapsesSpaces) {
  EXPECT_EQ(clean_converted_text("  la   <i>Ley</i>   de **Transparencia** &amp; [datos](#)  "),
            "la Ley de Transparencia & datos");
  // Each line is cleaned on its own; line breaks stay.
  EXPECT_EQ(clean_converted_text("uno  dos\n\n  tres   \r\ncuatro"), "uno dos\n\ntres\ncuatro");
}

TEST(TextCleanup, CleanConvertedTextKeepsTabsBetweenTableCells) {
  EXPECT_EQ(clean_converted_text("Compromiso\tAvance  total\tNC"), "Compromiso\tAvance total\tNC");
  EXPECT_EQ(clean_converted_text("a \t b"), "a\tb");
}

// Lines of page chrome (analyzers/data/page-chrome.tsv) that real OGP documents brought with
// them from the web page or printout they were saved from.
class PageChrome : public ::testing::TestWithParam<std::string> {};

TEST_P(PageChrome, IsRemovedWithItsLineEnd) {
  const std::string text =
      "Informe de avance\n" + GetParam() + "\nEl plan tiene cinco compromisos.";
  EXPECT_EQ(drop_page_chrome(text), "Informe de avance\nEl plan tiene cinco compromisos.");
  EXPECT_EQ(clean_converted_text(text), "Informe de avance\nEl plan tiene cinco compromisos.");
}

INSTANTIATE_TEST_SUITE_P(
    Lines, PageChrome,
    ::testing::Values(
        // Navigation, in the languages of OGP's members.
        "Skip Navigation", "Skip to main content", "Saltar navegación", "Ir al contenido",
        "Ir al contenido principal", "Aller au contenu", "Menu", "Menú principal", "Back to top",
        "Search", "Buscar",
        // Breadcrumbs.
        "Home › Members › Kenya", "Inicio > Compromisos > Transparencia", "Home / Resources",
        // Cookie and share bars.
        "We use cookies to give you the best experience on our website.",
        "Este sitio web utiliza cookies para mejorar su experiencia", "Accept",
        "Accept all cookies", "Aceptar", "Share", "Compartir", "Tweet",
        "Share: Facebook Twitter LinkedIn Email", "Facebook Twitter LinkedIn", "Español Français",
        "English | Español",
        // "Page N of M" in English, Spanish, German (a mirror site), French and Portuguese.
        "Page 1 of 88", "Página 3 de 20", "PÁGINA 3 DE 20", "Seite 1 von 88", "Page 2 sur 10",
        "Página 12 de 40", "Page 7",
        // A browser printout's stamp and a page's address with its page counter.
        "12/03/2023, 14:05 Informe de Autoevaluación | Gobierno Abierto",
        "https://www.opengovpartnership.org/members/kenya/ 3/12"));

// Lines that look short and stray but belong to the document stay in the text: the page
// numbers the running headers end with, table cells, dates, headings.
TEST(PageChrome, NumbersDatesHeadingsAndSentencesStay) {
  for (const std::string line :
       {"10", "2019-2021", "12/03/2023", "Nairobi, December 2023", "Índice", "Compromisos",
        "Share of women in public office", "Page layout of the report was agreed with CSOs.",
        "Accept the recommendations of the IRM", "Compartir información entre instituciones",
        "Home visits by health workers", "Menu of options for the counties"}) {
    EXPECT_EQ(drop_page_chrome(std::string("a\n") + line + "\nb"),
              std::string("a\n") + line + "\nb")
        << line;
  }
}

TEST(PageChrome, ARemovedLineKeepsItsPageBreaks) {
  // Form feeds number the pages: a page footer removed must not merge two pages.
  EXPECT_EQ(drop_page_chrome("fin de la página\nPage 1 of 2\f\ncomienzo"),
            "fin de la página\n\fcomienzo");
  EXPECT_EQ(clean_converted_text("uno\r\nSeite 1 von 2\r\ndos"), "uno\ndos");
  EXPECT_EQ(drop_page_chrome("Skip Navigation"), "");
  EXPECT_EQ(drop_page_chrome(""), "");
}

}  // namespace

TEST(TextCleanupRobustness, ManyAmpersandsWithoutSemicolonsStayTextInLinearTime) {
  std::string text;
  for (int i = 0; i < 200'000; ++i) text += "a & b ";
  text += "&amp;";
  const std::string decoded = decode_html_entities(text);
  EXPECT_EQ(decoded.size(), text.size() - 4);  // only the last reference was one
  EXPECT_TRUE(decoded.ends_with("a & b &"));
  EXPECT_EQ(decode_html_entities("&eacute123456789;"), "&eacute123456789;");  // too far
}

TEST(TextCleanup, CarriageReturnsAloneOrBeforeLineFeedsEndLines) {
  EXPECT_EQ(clean_converted_text("uno\rdos  tres\r\rcuatro"), "uno\ndos tres\n\ncuatro");
  EXPECT_EQ(clean_converted_text("uno\r\n\r\ndos\r\n"), "uno\n\ndos\n");
  EXPECT_EQ(clean_converted_text("<b>uno</b>\r*dos*"), "uno\ndos");
}

TEST(TextCleanupRobustness, UnclosedMarkupStaysText) {
  EXPECT_EQ(strip_inline_html("a <b and no end\n<i>c</i>"), "a <b and no end\n c ");
  EXPECT_EQ(strip_markdown("[not a link\n](x) [link](http://x)"),
            "[not a link\n](x) link (http://x)");
  const std::string many(100000, '<');
  EXPECT_EQ(strip_inline_html(many), many);
}

TEST(JoinHyphenatedLines, AWordSplitAtALineEndIsJoined) {
  EXPECT_EQ(join_hyphenated_lines("la transpa-\nrencia y la información públi-\nca"),
            "la transparencia y la información pública");
  EXPECT_EQ(join_hyphenated_lines("rendi-\nción"), "rendición");
}

TEST(JoinHyphenatedLines, HyphensBetweenNumbersOrCapitalsStay) {
  EXPECT_EQ(join_hyphenated_lines("plan 2019-\n2021"), "plan 2019-\n2021");
  EXPECT_EQ(join_hyphenated_lines("Norte-\nSur"), "Norte-\nSur");
  EXPECT_EQ(join_hyphenated_lines("- item\n-\nnext"), "- item\n-\nnext");
}

}  // namespace lupa::indexer
