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
  EXPECT_THAT(
      lines_of(extracted.text),
      ElementsAre("Inicio", "## Compromisos del plan", "La información & los datos abiertos.",
                  "- Gasto social", "- Educación", "MX0075\t2019"));
  EXPECT_THAT(extracted.notes, IsEmpty());
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

TEST(Extractor, HtmlWithoutUtf8IsReadAsLatin1) {
  const ExtractedText extracted = extract_text("old.HTML",
                                               "<html><body><p>Informaci\xF3n p\xFA"
                                               "blica</p></body></html>");
  EXPECT_THAT(lines_of(extracted.text), ElementsAre("Información pública"));
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
