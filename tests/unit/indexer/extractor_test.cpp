#include "lupa/indexer/extractor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace lupa::indexer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

// The ExtractionError message for `content` read as `name`, or "" when it did not throw.
std::string extraction_error(const std::string& name, const std::string& content) {
  try {
    extract_text(name, content);
  } catch (const ExtractionError& error) {
    return error.what();
  }
  return "";
}

TEST(Extractor, HtmlKeepsTextHeadingsAndListItemsOnly) {
  const std::string html = R"(<!DOCTYPE html>
<html><head><title>Plan de Acci&oacute;n   2019-2021</title>
<style>p { color: red; }</style><script>var tracking = "no";</script></head>
<body>
<nav><a href="/">Inicio</a></nav>
<h2>Compromisos   del plan</h2>
<p>La informaci&oacute;n &amp; los datos
   abiertos.</p>
<ul><li>Gasto social</li><li>Educaci&#243;n</li></ul>
<script>alert("no");</script><noscript>Active JavaScript</noscript>
<table><tr><td>MX0075</td><td>2019</td></tr></table>
</body></html>)";
  const ExtractedText extracted = extract_text("page.html", html);
  EXPECT_EQ(extracted.title, "Plan de Acción 2019-2021");
  EXPECT_THAT(lines_of(extracted.text),
              // <nav> is the page's menu, not its text.
              ElementsAre("## Compromisos del plan", "La información & los datos abiertos.",
                          "- Gasto social", "- Educación", "MX0075\t2019"));
  EXPECT_THAT(extracted.notes, IsEmpty());
}

// A page saved from OGP's website: its skip link, menus, breadcrumbs and share bar are not
// the commitment, and would otherwise be indexed and read as its headings.
TEST(Extractor, HtmlPageChromeIsNotText) {
  const ExtractedText extracted = extract_text("page.html", R"(<html><head>
<title>Improve the Transparency Portal (ES0041) | Open Government Partnership</title></head>
<body><a class="skip-link" href="#main">Skip Navigation</a>
<header><nav><ul><li><a href="/about/">About</a></li><li><a href="/members/">Members</a></li>
</ul></nav></header>
<div class="breadcrumbs">Home › Members › Spain › Commitments</div>
<main><h1>Improve the Transparency Portal (ES0041)</h1>
<div class="share"><span>Share:</span> <a>Facebook</a> <a>Twitter</a> <a>Email</a></div>
<p>The portal publishes what the law requires.</p></main></body></html>)");
  // The title as the page gives it: metadata inference takes the site's name off.
  EXPECT_EQ(extracted.title,
            "Improve the Transparency Portal (ES0041) | Open Government Partnership");
  EXPECT_THAT(lines_of(extracted.text), ElementsAre("# Improve the Transparency Portal (ES0041)",
                                                    "The portal publishes what the law requires."));
}

// libxml2 decodes character references; they must not be decoded (or tags stripped) a second
// time, or escaped markup written as text ("&lt;title&gt;") would disappear.
TEST(Extractor, HtmlEscapedMarkupInTextStaysText) {
  const ExtractedText extracted =
      extract_text("a.html", "<p>La etiqueta &lt;title&gt; del portal y el texto &amp;eacute;</p>");
  EXPECT_THAT(lines_of(extracted.text),
              ElementsAre("La etiqueta <title> del portal y el texto &eacute;"));
}

TEST(Extractor, HtmlHeadingLevelsBecomeMarkdownHashes) {
  const ExtractedText extracted =
      extract_text("a.htm", "<h1>Uno</h1><h3>Tres</h3><p>Texto</p><h2></h2>");
  EXPECT_THAT(lines_of(extracted.text), ElementsAre("# Uno", "### Tres", "Texto"));
  EXPECT_FALSE(extracted.title.has_value());
}

TEST(Extractor, HtmlWithoutUtf8IsReadAsWindows1252) {
  const ExtractedText extracted = extract_text("old.HTML",
                                               "<html><body><p>Informaci\xF3n p\xFA"
                                               "blica</p></body></html>");
  EXPECT_THAT(lines_of(extracted.text), ElementsAre("Información pública"));
}

// libxml2 reads HTML that names no charset as Latin-1: Windows-1252's quotes, euro sign and
// dashes became C1 control characters.
TEST(Extractor, HtmlWindows1252QuotesAndDashesAreKept) {
  const ExtractedText extracted =
      extract_text("old.html",
                   "<html><head><title>Presupuesto \x96 2019</title></head><body>"
                   "<p>El \x93presupuesto abierto\x94 de 5 \x80 por ni\xF1o</p></body></html>");
  EXPECT_THAT(
      lines_of(extracted.text),
      ElementsAre("El \xE2\x80\x9Cpresupuesto abierto\xE2\x80\x9D de 5 \xE2\x82\xAC por niño"));
  EXPECT_EQ(extracted.title, "Presupuesto \xE2\x80\x93 2019");
  EXPECT_THAT(extracted.notes, ElementsAre("not UTF-8, decoded as Windows-1252"));
}

// A charset the page declares is not applied a second time to text decoded already.
TEST(Extractor, HtmlDeclaringLatin1ButWrittenInUtf8StaysUtf8) {
  const ExtractedText extracted = extract_text(
      "a.html",
      "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">"
      "</head><body><p>Participación ciudadana</p></body></html>");
  EXPECT_THAT(lines_of(extracted.text), ElementsAre("Participación ciudadana"));
}

TEST(Extractor, Utf8TextIsCleanedButOtherwiseKept) {
  const ExtractedText extracted = extract_text(
      "plan.txt", "# Plan de **Acción**\n\n25. La información &amp; los   datos.\f26. Otro.\n");
  EXPECT_EQ(extracted.text, "# Plan de Acción\n\n25. La información & los datos.\f26. Otro.\n");
  EXPECT_FALSE(extracted.title.has_value());
  EXPECT_THAT(extracted.notes, IsEmpty());
}

TEST(Extractor, Utf8ByteOrderMarkIsDropped) {
  const ExtractedText extracted = extract_text("bom.txt", "\xEF\xBB\xBFTítulo\n");
  EXPECT_EQ(extracted.text, "Título\n");
  EXPECT_THAT(extracted.notes, IsEmpty());
}

TEST(Extractor, Windows1252TextIsDecodedAndNoted) {
  const ExtractedText extracted = extract_text("legacy.txt",
                                               "Informaci\xF3n p\xFA"
                                               "blica \x93"
                                               "abierta\x94\n");
  EXPECT_EQ(extracted.text,
            "Información pública \xE2\x80\x9C"
            "abierta\xE2\x80\x9D\n");
  ASSERT_EQ(extracted.notes.size(), 1u);
  EXPECT_THAT(extracted.notes[0], HasSubstr("Windows-1252"));
}

TEST(Extractor, Utf16WithAByteOrderMarkIsTextNotBinary) {
  std::string utf16 = "\xFF\xFE";
  for (char c : std::string("Informe\r\n\r\nPlan de datos\r\n")) utf16 += {c, '\0'};
  const ExtractedText extracted = extract_text("wide.txt", utf16);
  EXPECT_EQ(extracted.text, "Informe\n\nPlan de datos\n");
  EXPECT_THAT(extracted.notes, ElementsAre("decoded as UTF-16LE"));
}

TEST(Extractor, Utf16HtmlIsParsed) {
  std::string utf16 = "\xFE\xFF";
  for (char c : std::string("<html><body><p>Datos abiertos</p></body></html>")) utf16 += {'\0', c};
  EXPECT_THAT(lines_of(extract_text("wide.html", utf16).text), ElementsAre("Datos abiertos"));
}

TEST(Extractor, CarriageReturnsEndLinesAloneAndBeforeLineFeeds) {
  EXPECT_EQ(extract_text("mac.txt", "Uno\rDos\r\rTres\r").text, "Uno\nDos\n\nTres\n");
  EXPECT_EQ(extract_text("dos.txt", "Uno\r\nDos\r\n\r\nTres").text, "Uno\nDos\n\nTres");
}

TEST(Extractor, AnInvalidByteIsReadAsWindows1252AndNoted) {
  const ExtractedText extracted =
      extract_text("bad.txt", "La participación \x80 y la educaci\xF3n de cuentas.\n");
  EXPECT_EQ(extracted.text, "La participación \xE2\x82\xAC y la educación de cuentas.\n");
  EXPECT_THAT(extracted.notes,
              ElementsAre("2 byte(s) outside UTF-8 sequences read as Windows-1252"));
}

// libxml2 stops at 256 levels of nesting unless told otherwise, and kept only the text before.
TEST(Extractor, DeeplyNestedHtmlKeepsAllItsText) {
  std::string html = "<html><head><title>Hondo</title></head><body><p>Arriba empieza</p>";
  for (int i = 0; i < 20000; ++i) html += "<div>";
  html += "Muy profundo";
  for (int i = 0; i < 20000; ++i) html += "</div>";
  html += "<p>Abajo termina</p></body></html>";
  const ExtractedText extracted = extract_text("deep.html", html);
  EXPECT_THAT(lines_of(extracted.text),
              ElementsAre("Arriba empieza", "Muy profundo", "Abajo termina"));
  EXPECT_EQ(extracted.title, "Hondo");
  EXPECT_THAT(extracted.notes, IsEmpty());
}

TEST(Extractor, AnInvalidByteInUtf8HtmlCostsItsOwnCharacterOnly) {
  const ExtractedText extracted = extract_text(
      "bad.html", "<html><body><p>Información \x96 pública y educaci\xF3n</p></body></html>");
  EXPECT_THAT(lines_of(extracted.text),
              ElementsAre("Información \xE2\x80\x93 pública y educación"));
  EXPECT_THAT(extracted.notes,
              ElementsAre("2 byte(s) outside UTF-8 sequences read as Windows-1252"));
}

// Nothing of the page is held as a tree: a page of millions of elements keeps all its text.
TEST(Extractor, HtmlOfManyElementsKeepsAllItsText) {
  std::string html = "<html><body>";
  for (int i = 0; i < 200'000; ++i) html += "<p>x";
  html += "<p>final</body></html>";
  const ExtractedText extracted = extract_text("many.html", html);
  const std::vector<std::string> lines = lines_of(extracted.text);
  ASSERT_EQ(lines.size(), 200'001u);
  EXPECT_EQ(lines.back(), "final");
  EXPECT_THAT(extracted.notes, IsEmpty());
}

TEST(Extractor, HtmlOverItsSizeLimitIsRefusedNamingIt) {
  EXPECT_EQ(too_large_reason("big.html", kMaxHtmlBytes + 1),
            "larger than 32 MB, the limit for HTML");
  EXPECT_EQ(too_large_reason("big.html", kMaxHtmlBytes), std::nullopt);
  EXPECT_EQ(too_large_reason("big.txt", kMaxHtmlBytes + 1), std::nullopt);
  EXPECT_EQ(too_large_reason("big.md", kMaxTextBytes + 1), "larger than 256 MB");
  EXPECT_EQ(extraction_error("big.htm", std::string(kMaxHtmlBytes + 1, ' ')),
            "larger than 32 MB, the limit for HTML");
}

TEST(Extractor, HtmlTitleIsItsFirstTextAndBounded) {
  EXPECT_EQ(extract_text("a.html", "<title>Plan <b>x</b> y</title><p>Texto</p>").title, "Plan");
  const std::string long_title(100'000, 'a');
  const ExtractedText extracted =
      extract_text("b.html", "<title>" + long_title + "</title><p>Texto</p>");
  ASSERT_TRUE(extracted.title.has_value());
  EXPECT_EQ(extracted.title->size(), 300u);
  EXPECT_EQ(extract_text("c.html", "<title> </title><p>Texto</p>").title, std::nullopt);
}

TEST(Extractor, EmptyFileIsAnError) {
  EXPECT_EQ(extraction_error("empty.txt", ""), "file is empty");
  EXPECT_EQ(extraction_error("empty.html", ""), "file is empty");
}

TEST(Extractor, ContentOfAnotherFormatIsAnErrorNamingIt) {
  const std::string png("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16);
  EXPECT_THAT(extraction_error("scan.txt", png), HasSubstr("PNG"));
  EXPECT_THAT(extraction_error("plan.html", "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n"), HasSubstr("PDF"));
  EXPECT_THAT(extraction_error("photo.md", std::string("\xFF\xD8\xFF\xE0\0\x10JFIF", 10)),
              HasSubstr("JPEG"));
}

TEST(Extractor, BinaryContentIsAnError) {
  EXPECT_THAT(extraction_error("data.txt", std::string("texto\0\0\x01\x02 binario", 17)),
              HasSubstr("binary"));
}

TEST(Extractor, SupportedDocumentsByExtension) {
  for (const char* name : {"a.txt", "b.md", "c.html", "d.htm", "E.TXT", "f.Html", "dir/g.md",
                           "a.pdf", "b.PNG", "c.jpg", "d.jpeg", "e.tif", "f.TIFF"})
    EXPECT_TRUE(is_supported_document(name)) << name;
  for (const char* name : {"c.docx", "d.gif", "README", "d.txt.bak", "manifest.json", ""})
    EXPECT_FALSE(is_supported_document(name)) << name;
}

}  // namespace
}  // namespace lupa::indexer
