// End to end: near-duplicate passages (a scan and its text, two copies of one page) are shown
// once, through the real indexer and the real daemon, and say where else their text is.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "support/http_client.h"
#include "support/process.h"
#include "support/search_api.h"
#include "support/temp_dir.h"

namespace lupa::testing {
namespace {

namespace fs = std::filesystem;

// The ids a hit lists as the other sources of its text.
std::set<std::string> also_in_ids(const Poco::JSON::Object::Ptr& hit) {
  std::set<std::string> ids;
  const auto sources = hit->getArray("also_in");
  if (!sources) return ids;
  for (unsigned i = 0; i < sources->size(); ++i)
    ids.insert(sources->getObject(i)->getValue<std::string>("id"));
  return ids;
}

TEST(BundledCorpusDuplicates, NoFirstPageHoldsTwoPassagesOfOneDuplicateGroup) {
  // Words of the scanned pages (corpus/scans/ holds pages of the text documents), in both
  // languages, and general ones.
  const std::vector<std::string> queries = {
      "transparencia",        "gobierno abierto", "participación ciudadana",
      "rendición de cuentas", "datos abiertos",   "Alianza para el Gobierno Abierto",
      "self-assessment",      "open government",  "plan de acción",
      "sociedad civil",       "compromisos",      "acceso a la información"};
  const CorpusServer& server = CorpusServer::instance();
  int hits_with_other_sources = 0;
  for (const std::string& q : queries) {
    const auto result = server.search_q(q, "&per_page=10&facets=false");
    const auto hits = result->getArray("hits");
    ASSERT_TRUE(hits) << q;
    std::set<std::string> on_page;
    for (unsigned i = 0; i < hits->size(); ++i)
      on_page.insert(hits->getObject(i)->getValue<std::string>("id"));
    for (unsigned i = 0; i < hits->size(); ++i) {
      const auto hit = hits->getObject(i);
      const std::string id = hit->getValue<std::string>("id");
      for (const std::string& other : also_in_ids(hit)) {
        EXPECT_FALSE(on_page.contains(other))
            << q << ": " << id << " and its duplicate " << other << " are both on the first page";
        EXPECT_NE(other, id);
      }
      if (!also_in_ids(hit).empty()) ++hits_with_other_sources;
    }
  }
  // The scans are pages of the text documents: their passages are found, once, with the other.
  EXPECT_GE(hits_with_other_sources, 10);
}

TEST(BundledCorpusDuplicates, EachPageOfAScanIsOneHitListingItsTextFileAndTheOtherWayRound) {
  const CorpusServer& server = CorpusServer::instance();
  // Pages of corpus/scans/ made from the text documents, and the passage each one reads as.
  const struct {
    const char* scan;
    const char* text;
  } pairs[] = {
      {"corpus.scans.clean-300dpi-png.0001", "corpus.mx-2011-action-plan-es-en-txt.0001"},
      {"corpus.scans.degraded-noisy-jpg.0001", "corpus.mx-2012-self-assessment-report-txt.0001"},
      {"corpus.scans.degraded-rotated-png.0003", "corpus.mx-2015-balance-ogp-mexico-txt.0004"},
      {"corpus.scans.degraded-jpeg-jpg.0002", "corpus.mx-2019-2021-action-plan-summary-txt.0006"},
  };
  for (const auto& pair : pairs) {
    // The passage's own first words find it.
    const auto passage = http_get(server.port(), std::string("/api/passages/") + pair.scan).json();
    const std::string text = passage->getValue<std::string>("text");
    std::string words;
    std::size_t spaces = 0;
    for (char c : text) {
      if (c == ' ' && ++spaces == 10) break;
      words += c;
    }
    const auto result = server.search_q(words, "&facets=false");
    EXPECT_GE(result->getValue<int>("collapsed"), 1) << words;
    std::vector<std::string> of_pair;
    Poco::JSON::Object::Ptr shown;
    const auto hits = result->getArray("hits");
    for (unsigned i = 0; i < hits->size(); ++i) {
      const std::string id = hits->getObject(i)->getValue<std::string>("id");
      if (id == pair.scan || id == pair.text) {
        of_pair.push_back(id);
        shown = hits->getObject(i);
      }
    }
    ASSERT_EQ(of_pair.size(), 1u) << words;
    const std::string other = of_pair.front() == pair.scan ? pair.text : pair.scan;
    EXPECT_TRUE(also_in_ids(shown).contains(other)) << words;
    EXPECT_GE(shown->getValue<int>("collapsed"), 1) << words;
    // Its source is told: the scan's text was recognised, the text file's was not.
    const auto sources = shown->getArray("also_in");
    for (unsigned i = 0; i < sources->size(); ++i) {
      if (sources->getObject(i)->getValue<std::string>("id") != other) continue;
      EXPECT_EQ(sources->getObject(i)->getValue<std::string>("source"),
                other == pair.scan ? "ocr" : "text");
    }
  }
}

class TwoCopiesOfAPage : public ::testing::Test {
 protected:
  void SetUp() override {
    corpus_ = dir_.path() / "site";
    database_ = dir_.path() / "index";
    dir_.write("site/crawl-1/plan.html", kPage);
    dir_.write("site/crawl-2/plan-copy.html", kPage);
    dir_.write("site/other.txt",
               "Informe\n\nLa comisión revisó el avance de los compromisos municipales sobre "
               "alumbrado, bacheo y recolección de residuos durante el segundo semestre.\n");
  }

  Poco::JSON::Object::Ptr search(SearchDaemon& daemon, const std::string& more = "") {
    const HttpReply reply =
        http_get(daemon.port(), "/api/search?q=" + url_encode("huertos comunitarios") + more);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return reply.json();
  }

  static constexpr const char* kPage =
      "<html><head><title>Huertos comunitarios</title></head><body>"
      "<h1>Compromiso 7: huertos comunitarios</h1>"
      "<p>El municipio abrirá al público los datos de los huertos comunitarios: ubicación, "
      "superficie, personas responsables y cosechas de cada temporada, para que los vecinos "
      "puedan proponer nuevos terrenos y vigilar el uso de los recursos asignados.</p>"
      "</body></html>";

  TempDir dir_;
  fs::path corpus_;
  fs::path database_;
};

TEST_F(TwoCopiesOfAPage, AreOneHitAlsoInTheOtherFileUntilACopyIsRemoved) {
  const RunResult first = run_indexer(database_, {corpus_});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  SearchDaemon daemon(database_);

  const auto result = search(daemon);
  ASSERT_EQ(result->getValue<int>("total"), 1) << result->get("hits").toString();
  EXPECT_EQ(result->getValue<int>("collapsed"), 1);
  const auto hit = result->getArray("hits")->getObject(0);
  EXPECT_EQ(hit->getValue<int>("collapsed"), 1);
  const auto sources = hit->getArray("also_in");
  ASSERT_EQ(sources->size(), 1u);
  const std::string shown = hit->getValue<std::string>("doc");
  const std::string other = sources->getObject(0)->getValue<std::string>("doc");
  EXPECT_EQ((std::set<std::string>{shown, other}),
            (std::set<std::string>{"site/crawl-1/plan.html", "site/crawl-2/plan-copy.html"}));
  EXPECT_EQ(sources->getObject(0)->getValue<std::string>("source"), "text");
  EXPECT_EQ(hit->getValue<int>("also_in_more"), 0);
  // The other copy can be opened from there.
  const std::string other_id = sources->getObject(0)->getValue<std::string>("id");
  EXPECT_EQ(http_get(daemon.port(), "/api/passages/" + other_id).status, 200);

  // A language filter asks for one of a passage and its translation: duplicates still collapse,
  // and the language's count says what that filter gives.
  EXPECT_EQ(search(daemon, "&lang=es")->getValue<int>("total"), 1);
  EXPECT_EQ(facet_counts(result, "lang").at("es"), 1);

  // The page says so under the hit, with a link to the other copy.
  const HttpReply page = http_get(daemon.port(), "/?ui=en&q=" + url_encode("huertos comunitarios"));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<p class=\"also-in\">Also in: <a href=\"/passages/" + other_id),
            std::string::npos)
      << page.body;
  EXPECT_NE(
      page.body.find(
          "<p class=\"collapsed\">Translations and copies of these passages, shown once: 1</p>"),
      std::string::npos);

  fs::remove(corpus_ / "crawl-2" / "plan-copy.html");
  const RunResult second = run_indexer(database_, {corpus_});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const auto after = search(daemon);
  ASSERT_EQ(after->getValue<int>("total"), 1);
  EXPECT_EQ(after->getValue<int>("collapsed"), 0);
  const auto alone = after->getArray("hits")->getObject(0);
  EXPECT_EQ(alone->getValue<std::string>("doc"), "site/crawl-1/plan.html");
  EXPECT_EQ(alone->getArray("also_in")->size(), 0u);
  EXPECT_EQ(alone->getValue<int>("collapsed"), 0);

  // A copy added back joins again.
  dir_.write("site/crawl-3/plan.html", kPage);
  ASSERT_EQ(run_indexer(database_, {corpus_}).exit_code, 0);
  EXPECT_EQ(search(daemon)->getValue<int>("collapsed"), 1);
}

}  // namespace
}  // namespace lupa::testing
