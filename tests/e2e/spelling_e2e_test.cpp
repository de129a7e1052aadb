// End to end: "did you mean" on the real daemon serving the bundled corpus. Valid words of
// either language and known acronyms get no suggestion; a misspelling that matches nothing is
// corrected and the answer says these are the correction's hits; a query that has hits keeps
// them and only suggests; the page says the same. And a daemon without its dictionaries
// refuses to start, naming the file.
#include <gtest/gtest.h>

#include <string>

#include "support/http_client.h"
#include "support/process.h"
#include "support/search_api.h"
#include "support/temp_dir.h"

namespace lupa::testing {
namespace {

CorpusServer& server() {
  return CorpusServer::instance();
}

std::string page(const std::string& target) {
  const HttpReply reply = http_get(server().port(), target);
  EXPECT_EQ(reply.status, 200) << target;
  return reply.body;
}

TEST(DidYouMean, ValidWordsOfEitherLanguageAndAcronymsGetNoSuggestion) {
  for (const char* query : {"agua", "cuidados", "missing", "contra", "formación", "formacion",
                            "audit", "INAI", "what did Mexico promise", "SFP", "Fundar"}) {
    const auto result = server().search_q(query);
    EXPECT_TRUE(result->isNull("corrected")) << query;
    EXPECT_FALSE(result->getValue<bool>("corrected_applied")) << query;
  }
}

TEST(DidYouMean, AMisspellingThatMatchesNothingIsCorrectedAndSaysSo) {
  const auto result = server().search_q("transparancy");
  EXPECT_EQ(result->getValue<std::string>("corrected"), "transparency");
  EXPECT_TRUE(result->getValue<bool>("corrected_applied"));
  ASSERT_GT(total(result), 0);
  EXPECT_EQ(total(result), total(server().search_q("transparency")));
  EXPECT_EQ(hit(result, 0)->getValue<std::string>("id"),
            hit(server().search_q("transparency"), 0)->getValue<std::string>("id"));
}

TEST(DidYouMean, AQueryWithHitsAndAMisspeltWordKeepsItsHitsAndOnlySuggests) {
  const auto result = server().search_q("corrupción OR goverment");
  EXPECT_EQ(result->getValue<std::string>("corrected"), "corrupción OR government");
  EXPECT_FALSE(result->getValue<bool>("corrected_applied"));
  ASSERT_GT(total(result), 0);
  EXPECT_EQ(total(result), total(server().search_q("corrupción")));
}

TEST(DidYouMean, ThePageSaysResultsAreTheCorrectionsOnlyWhenTheyAre) {
  const std::string applied = page("/?ui=en&q=transparancy");
  EXPECT_NE(applied.find("Nothing matched; showing results for <a href=\"/?ui=en&amp;"
                         "q=transparency\">transparency</a>"),
            std::string::npos);
  EXPECT_EQ(applied.find("Did you mean"), std::string::npos);

  const std::string suggested = page("/?ui=en&q=corrupci%C3%B3n+OR+goverment");
  EXPECT_NE(suggested.find("Did you mean <a href=\"/?ui=en&amp;q=corrupci%C3%B3n%20OR%20"
                           "government\">corrupción OR government</a>?"),
            std::string::npos);
  EXPECT_EQ(suggested.find("Nothing matched"), std::string::npos);

  const std::string valid = page("/?ui=es&q=agua");
  EXPECT_EQ(valid.find("class=\"correction\""), std::string::npos);
}

TEST(DidYouMean, ACorrectionThatMatchesNothingEitherIsOnlySuggested) {
  // The bundled corpus has no IRM report: neither the typo nor its correction matches there.
  const auto result = server().search_q("corupcion", "&type=irm-report");
  EXPECT_EQ(total(result), 0);
  EXPECT_EQ(result->getValue<std::string>("corrected"), "corrupción");
  EXPECT_FALSE(result->getValue<bool>("corrected_applied"));
  const std::string html = page("/?ui=en&q=corupcion&type=irm-report");
  EXPECT_NE(html.find("Did you mean <a href=\"/?type=irm-report&amp;ui=en&amp;"
                      "q=corrupci%C3%B3n\">corrupción</a>?"),
            std::string::npos);
  EXPECT_EQ(html.find("Nothing matched"), std::string::npos);
}

TEST(DidYouMean, TheDaemonRefusesToStartWithoutItsDictionariesNamingTheFile) {
  TempDir dir;
  dir.write("corpus/note.txt", "Transparencia presupuestaria y rendición de cuentas.\n");
  ASSERT_EQ(run_indexer(dir / "index", {dir / "corpus"}).exit_code, 0);
  const RunResult run =
      run_program(program("lupa-searchd"), {"--db", (dir / "index").string(), "--port", "0",
                                            "--dictionaries", (dir / "corpus").string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find((dir / "corpus" / "es_MX.aff").string()), std::string::npos) << run.err;
}

}  // namespace
}  // namespace lupa::testing
