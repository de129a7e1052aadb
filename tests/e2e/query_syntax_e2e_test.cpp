// End to end: what the query syntax and the filter parameters mean, from the real daemon
// serving the bundled corpus. Every form either does what it says or is answered with a 400
// that says what was not understood; none answers a silent zero. And snippets mark the
// query's words, stop words only inside a matched phrase.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "support/http_client.h"
#include "support/search_api.h"

namespace lupa::testing {
namespace {

CorpusServer& server() {
  return CorpusServer::instance();
}

HttpReply get_search(const std::string& query_string) {
  return http_get(server().port(), "/api/search?" + query_string);
}

std::string error_of(const HttpReply& reply) {
  return reply.json()->getValue<std::string>("error");
}

// Whether the passage of `hit` holds `word` or its plural, in any case, as a word of its own
// (not inside a web address such as www.transparenciapresupuestaria.gob.mx).
bool mentions(const Poco::JSON::Object::Ptr& hit, const std::string& word) {
  const HttpReply passage =
      http_get(server().port(), "/api/passages/" + hit->getValue<std::string>("id"));
  EXPECT_EQ(passage.status, 200);
  const std::string text = passage.json()->getValue<std::string>("text");
  return std::regex_search(text, std::regex("(^|[^.\\w])" + word + "s?\\b", std::regex::icase));
}

TEST(QuerySyntaxE2eTest, MinusExcludesTheWordInEveryLanguage) {
  const int with = total(server().search_q("transparencia"));
  const int everything = total(server().search("per_page=1"));
  const auto without = server().all_hits("q=" + url_encode("-transparencia") + "&per_page=100");
  ASSERT_GT(with, 50);
  ASSERT_FALSE(without.empty());
  EXPECT_LT(static_cast<int>(without.size()), everything - with / 2);
  for (const auto& found : without)
    EXPECT_FALSE(mentions(found, "transparencia")) << found->getValue<std::string>("id");
  // Beside other words: "datos" without "transparencia".
  const auto data = server().all_hits("q=" + url_encode("datos -transparencia") + "&per_page=100");
  ASSERT_FALSE(data.empty());
  for (const auto& found : data) EXPECT_FALSE(mentions(found, "transparencia"));
  EXPECT_LT(data.size(), static_cast<std::size_t>(total(server().search_q("datos"))));
}

TEST(QuerySyntaxE2eTest, PlusRequiresTheWordAsTheDefaultDoes) {
  EXPECT_EQ(total(server().search_q("+transparencia +datos")),
            total(server().search_q("transparencia datos")));
  EXPECT_GT(total(server().search_q("+transparencia datos")), 0);
}

TEST(QuerySyntaxE2eTest, AnUnknownFieldIsRefusedWithTheFieldsThatExist) {
  const HttpReply reply = get_search("q=" + url_encode("title:datos"));
  EXPECT_EQ(reply.status, 400);
  const std::string error = error_of(reply);
  EXPECT_NE(error.find("`title:` is not a field"), std::string::npos) << error;
  EXPECT_NE(error.find("plan:"), std::string::npos) << error;
  EXPECT_NE(error.find("country:"), std::string::npos) << error;
  // A web address is not a field.
  EXPECT_EQ(get_search("q=" + url_encode("https://datos.gob.mx")).status, 200);
}

TEST(QuerySyntaxE2eTest, APlanPeriodNamesThePlansOfThatPeriod) {
  const int by_id = total(server().search("plan=mx-2019-2021"));
  ASSERT_GT(by_id, 0);
  // As a field of a query, beside the id in the same place (a query collapses translations).
  EXPECT_EQ(total(server().search_q("plan:2019-2021")),
            total(server().search_q("plan:mx-2019-2021")));
  EXPECT_EQ(total(server().search("plan=2019-2021")), by_id);
  const HttpReply none = get_search("plan=1999-2001");
  EXPECT_EQ(none.status, 400);
  EXPECT_NE(error_of(none).find("no indexed plan runs 1999-2001"), std::string::npos);
  EXPECT_NE(error_of(none).find("mx-2011-2013"), std::string::npos) << error_of(none);
}

TEST(QuerySyntaxE2eTest, ACountryByNameIsTheCountryByCode) {
  const int by_code = total(server().search("country=mx"));
  ASSERT_GT(by_code, 500);
  EXPECT_EQ(total(server().search("country=Mexico")), by_code);
  EXPECT_EQ(total(server().search("country=" + url_encode("México"))), by_code);
  // As a field of a query, beside the code in the same place (a query collapses translations).
  EXPECT_EQ(total(server().search_q("country:Mexico")), total(server().search_q("country:mx")));
  EXPECT_EQ(total(server().search("lang=Spanish")), total(server().search("lang=es")));
}

TEST(QuerySyntaxE2eTest, AValueThatNamesNothingIsRefusedNamingTheParameter) {
  const HttpReply parameter = get_search("country=Narnia");
  EXPECT_EQ(parameter.status, 400);
  EXPECT_NE(error_of(parameter).find("Parameter `country`"), std::string::npos);
  EXPECT_NE(error_of(parameter).find("'Narnia' is not a value of country"), std::string::npos);
  EXPECT_NE(error_of(parameter).find("mx (Mexico)"), std::string::npos) << error_of(parameter);
  const HttpReply field = get_search("q=" + url_encode("datos country:Narnia"));
  EXPECT_EQ(field.status, 400);
  EXPECT_NE(error_of(field).find("`country:Narnia`"), std::string::npos) << error_of(field);
  // A body the gazetteer does not list may still be one the indexer discovered: no error.
  EXPECT_EQ(get_search("agency=" + url_encode("Ministerio de Nada")).status, 200);
}

TEST(QuerySyntaxE2eTest, StopWordsAreMarkedOnlyInsideAMatchedPhrase) {
  // "accountability" is widened with the glossary's phrase "rendición de cuentas".
  const auto result = server().search_q("accountability", "&per_page=50");
  bool phrase_marked = false;
  for (unsigned i = 0; i < result->getArray("hits")->size(); ++i) {
    const std::string snippet = hit(result, i)->getValue<std::string>("snippet");
    for (const char* stop : {"de", "la", "of", "to", "a", "the", "y", "and"})
      EXPECT_EQ(snippet.find("<mark>" + std::string(stop) + "</mark>"), std::string::npos)
          << snippet;
    if (std::regex_search(snippet,
                          std::regex("<mark>rendición de cuentas</mark>", std::regex::icase)))
      phrase_marked = true;
  }
  EXPECT_TRUE(phrase_marked);
}

}  // namespace
}  // namespace lupa::testing
