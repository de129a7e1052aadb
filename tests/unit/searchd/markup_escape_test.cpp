#include "lupa/searchd/markup_escape.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace lupa::searchd {
namespace {

const std::string kReplacement = "\xEF\xBF\xBD";

TEST(MarkupEscape, ReplacesEachByteThatIsNotUtf8AndNothingElse) {
  EXPECT_EQ(with_valid_utf8("año \xFF fin"), "año " + kReplacement + " fin");
  // An overlong "/" and a UTF-16 surrogate written as UTF-8 are not UTF-8 either.
  EXPECT_EQ(with_valid_utf8("a\xC0\xAFz"), "a" + kReplacement + kReplacement + "z");
  EXPECT_EQ(with_valid_utf8("\xED\xA0\x80"), kReplacement + kReplacement + kReplacement);
  // A sequence cut at the end garbles its own bytes only.
  EXPECT_EQ(with_valid_utf8("ok\xE2\x82"), "ok" + kReplacement + kReplacement);
  EXPECT_EQ(with_valid_utf8("€ 😀"), "€ 😀");
}

TEST(MarkupEscape, DropsWhatXml10ForbidsAndEscapesMarkup) {
  EXPECT_EQ(escape_markup("a\x01"
                          "b\x1F"
                          "c\xEF\xBF\xBE"
                          "d\xEF\xBF\xBF"
                          "e"),
            "abcde");
  EXPECT_EQ(escape_markup("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(escape_markup("línea\ttab\nfin"), "línea\ttab\nfin");
  EXPECT_EQ(escape_markup("x\xFFy"), "x" + kReplacement + "y");
}

TEST(MarkupEscape, JsonWithMarkupEscapedReadsAsTheSameValue) {
  Poco::JSON::Object object;
  object.set("error", "No passage with id '<script>&amp;'");
  std::ostringstream out;
  object.stringify(out);
  const std::string json = escape_markup_in_json(out.str());
  EXPECT_EQ(json.find_first_of("<>&"), std::string::npos) << json;
  const auto parsed = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(parsed->getValue<std::string>("error"), "No passage with id '<script>&amp;'");
}

}  // namespace
}  // namespace lupa::searchd
