// JsonWriter writes what Poco's stringifier writes for the same values: every byte a string
// may hold, every kind of number the answers and records carry, nesting and commas.
#include "lupa/analyzers/json_writer.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace lupa::analyzers {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string stringified(const Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

// {"<key>":<value>} as Poco writes it.
std::string poco_member(const std::string& key, const Poco::Dynamic::Var& value) {
  Object object(Poco::JSON_PRESERVE_KEY_ORDER);
  object.set(key, value);
  return stringified(object);
}

std::string written_text(const std::string& key, const std::string& value) {
  JsonWriter json;
  json.begin_object().key(key).text(value).end_object();
  return std::move(json).finish();
}

std::string written_number(double value) {
  JsonWriter json;
  json.begin_object().key("n").number(value).end_object();
  return std::move(json).finish();
}

TEST(JsonWriter, WritesEveryByteOfAKeyOrAStringAsPocoDoes) {
  for (int byte = 0; byte < 256; ++byte) {
    const std::string one(1, static_cast<char>(byte));
    const std::string around = "a" + one + "b";
    EXPECT_EQ(written_text("k", around), poco_member("k", around)) << "byte " << byte;
    EXPECT_EQ(written_text(around, "v"), poco_member(around, "v")) << "byte " << byte;
  }
}

TEST(JsonWriter, SpellsEscapesAsPocoDid) {
  EXPECT_EQ(written_text("k", "say \"hi\" C:\\dir/file"), R"({"k":"say \"hi\" C:\\dir/file"})");
  EXPECT_EQ(written_text("k", std::string("\b\t\n\f\r") + '\0' + "\x1F\x7F"),
            R"({"k":"\b\t\n\f\r\u0000\u001F)"
            "\x7F\"}");
  // UTF-8 and bytes that are not UTF-8 alike, as they are.
  const std::string accented = "acci\xC3\xB3n \xE2\x80\xA6 \xF0\x9F\x98\x80 \xC3 \xFF";
  EXPECT_EQ(written_text("k", accented), "{\"k\":\"" + accented + "\"}");
  EXPECT_EQ(written_text("k", accented), poco_member("k", accented));
  EXPECT_EQ(written_text("", ""), R"({"":""})");
}

TEST(JsonWriter, EscapesMarkupOnlyWhenAsked) {
  const std::string markup = "<mark>a & b</mark> \"<\"";
  EXPECT_EQ(written_text("<k>", markup), poco_member("<k>", markup));
  JsonWriter json(JsonWriter::Markup::kEscaped);
  json.begin_object().key("<k&>").text(markup).end_object();
  EXPECT_EQ(std::move(json).finish(),
            R"({"\u003ck\u0026\u003e":"\u003cmark\u003ea \u0026 b\u003c/mark\u003e \"\u003c\""})");
}

TEST(JsonWriter, WritesNumbersAsPocoDoes) {
  const std::vector<std::pair<double, std::string>> numbers = {
      {0.0, "0"},
      {-0.0, "0"},
      {0.1, "0.1"},
      {1e-7, "0.0000001"},
      {1e-15, "0.000000000000001"},
      {1e-16, "1e-16"},
      {2.5, "2.5"},
      {100.0, "100"},
      {1e15, "1e+15"},
      {123456789012345.0, "123456789012345"},
      {1.0 / 3, "0.3333333333333333"},
      {12.345678901234567, "12.345678901234567"},
      {-3.75, "-3.75"},
      {1e300, "1e+300"},
      {5e-324, "5e-324"},
  };
  for (const auto& [value, text] : numbers) {
    EXPECT_EQ(written_number(value), "{\"n\":" + text + "}") << value;
    EXPECT_EQ(written_number(value), poco_member("n", value)) << value;
  }
  // Timings and scores as they come: whatever digits they have.
  for (double value = 0.000123; value < 1e6; value = value * 3.7 + 0.0011)
    EXPECT_EQ(written_number(value), poco_member("n", value)) << value;
}

TEST(JsonWriter, WritesWholeNumbersOfEveryWidth) {
  JsonWriter json;
  json.begin_object();
  json.key("int").integer(-42);
  json.key("unsigned").integer(std::numeric_limits<unsigned>::max());
  json.key("size").integer(std::numeric_limits<std::size_t>::max());
  json.key("int64").integer(std::numeric_limits<std::int64_t>::min());
  json.key("zero").integer(0);
  json.end_object();
  Object poco(Poco::JSON_PRESERVE_KEY_ORDER);
  poco.set("int", -42);
  poco.set("unsigned", std::numeric_limits<unsigned>::max());
  poco.set("size", std::numeric_limits<std::size_t>::max());
  poco.set("int64", std::numeric_limits<std::int64_t>::min());
  poco.set("zero", 0);
  const std::string written = std::move(json).finish();
  EXPECT_EQ(written, stringified(poco));
  EXPECT_EQ(written, R"({"int":-42,"unsigned":4294967295,"size":18446744073709551615,)"
                     R"("int64":-9223372036854775808,"zero":0})");
}

TEST(JsonWriter, NestsWithCommasBetweenMembersAndItems) {
  JsonWriter json;
  json.begin_object();
  json.key("empty_list").begin_array().end_array();
  json.key("empty_object").begin_object().end_object();
  json.key("texts").texts({"a", "b\"", ""});
  json.key("objects").begin_array();
  json.begin_object().key("x").integer(1).key("y").null().end_object();
  json.begin_object().end_object();
  json.begin_array().boolean(true).boolean(false).end_array();
  json.end_array();
  json.key("last").text("z");
  json.end_object();

  Object poco(Poco::JSON_PRESERVE_KEY_ORDER);
  poco.set("empty_list", Array::Ptr(new Array));
  poco.set("empty_object", Object::Ptr(new Object(Poco::JSON_PRESERVE_KEY_ORDER)));
  Array::Ptr texts = new Array;
  for (const char* text : {"a", "b\"", ""}) texts->add(std::string(text));
  poco.set("texts", texts);
  Array::Ptr objects = new Array;
  Object::Ptr first = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  first->set("x", 1);
  first->set("y", Poco::Dynamic::Var());
  objects->add(first);
  objects->add(Object::Ptr(new Object(Poco::JSON_PRESERVE_KEY_ORDER)));
  Array::Ptr flags = new Array;
  flags->add(true);
  flags->add(false);
  objects->add(flags);
  poco.set("objects", objects);
  poco.set("last", std::string("z"));

  const std::string written = std::move(json).finish();
  EXPECT_EQ(written, stringified(poco));
  EXPECT_EQ(written, R"({"empty_list":[],"empty_object":{},"texts":["a","b\"",""],)"
                     R"("objects":[{"x":1,"y":null},{},[true,false]],"last":"z"})");
}

TEST(JsonWriter, WritesAnOptionalByItsTypeOrNull) {
  JsonWriter json;
  json.begin_array();
  json.or_null(std::optional<std::string>("7"));
  json.or_null(std::optional<int>(7));
  json.or_null(std::optional<double>(7.5));
  json.or_null(std::optional<bool>(false));
  json.or_null(std::optional<std::string>());
  json.or_null(std::optional<int>());
  json.end_array();
  EXPECT_EQ(std::move(json).finish(), R"(["7",7,7.5,false,null,null])");
}

}  // namespace
}  // namespace lupa::analyzers
