// End to end: the real lupa-indexer over small invented corpora, with the real daemon
// watching the same database: incremental updates, deletions, bad files, crash safety.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <string>

#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace lupa::testing {
namespace {

namespace fs = std::filesystem;

std::string paragraph(const std::string& word, int n) {
  return std::to_string(n) + ". El gobierno publicará información sobre " + word +
         " para que la ciudadanía pueda evaluar los compromisos del plan de acción nacional.\n";
}

class IndexerE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    corpus_ = dir_.path() / "docs";
    database_ = dir_.path() / "index";
    dir_.write("docs/alpha.txt",
               "Plan de acción\n\n" + paragraph("zanahorias", 1) + paragraph("pepinos", 2));
    dir_.write("docs/beta.txt", "Informe\n\n" + paragraph("berenjenas", 1));
  }

  RunResult index(const std::map<std::string, std::string>& environment = {}) {
    return run_indexer(database_, {corpus_}, environment);
  }
  int total(SearchDaemon& daemon, const std::string& q) {
    const HttpReply reply = http_get(daemon.port(), "/api/search?q=" + url_encode(q));
    EXPECT_EQ(reply.status, 200) << reply.body;
    return reply.json()->getValue<int>("total");
  }
  std::string first_id(SearchDaemon& daemon, const std::string& q) {
    const auto hits =
        http_get(daemon.port(), "/api/search?q=" + url_encode(q)).json()->getArray("hits");
    return hits->size() > 0 ? hits->getObject(0)->getValue<std::string>("id") : "";
  }

  TempDir dir_;
  fs::path corpus_;
  fs::path database_;
};

TEST_F(IndexerE2E, ReindexReplacesAChangedFileAndTheDaemonSeesItWithoutRestart) {
  ASSERT_EQ(index().exit_code, 0);
  SearchDaemon daemon(database_);
  EXPECT_EQ(total(daemon, "zanahorias"), 1);
  const std::string id = first_id(daemon, "pepinos");
  EXPECT_EQ(id, "docs.alpha-txt.0002");  // the heading names passages, it is not one

  dir_.write("docs/alpha.txt",
             "Plan de acción\n\n" + paragraph("calabazas", 1) + paragraph("pepinos", 2));
  const RunResult second = index();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("1 indexed, 1 unchanged, 0 removed"), std::string::npos) << second.out;
  EXPECT_EQ(total(daemon, "zanahorias"), 0);
  EXPECT_EQ(total(daemon, "calabazas"), 1);
  EXPECT_EQ(first_id(daemon, "pepinos"), id);  // same passage, same id
}

TEST_F(IndexerE2E, ADeletedFilesPassagesDisappear) {
  ASSERT_EQ(index().exit_code, 0);
  SearchDaemon daemon(database_);
  EXPECT_EQ(total(daemon, "berenjenas"), 1);
  fs::remove(corpus_ / "beta.txt");
  const RunResult second = index();
  EXPECT_NE(second.out.find("0 indexed, 1 unchanged, 1 removed"), std::string::npos) << second.out;
  EXPECT_EQ(total(daemon, "berenjenas"), 0);
  EXPECT_EQ(total(daemon, "zanahorias"), 1);
}

TEST_F(IndexerE2E, ARunWithNothingChangedRereadsNothing) {
  ASSERT_EQ(index().exit_code, 0);
  const RunResult second = index();
  EXPECT_EQ(second.exit_code, 0);
  EXPECT_NE(second.out.find("2 files (0 indexed, 2 unchanged, 0 removed"), std::string::npos)
      << second.out;
  EXPECT_NE(second.out.find("0.0 MB read"), std::string::npos) << second.out;
}

TEST_F(IndexerE2E, AKillMidRunLeavesThePreviousIndexWholeAndSearchable) {
  ASSERT_EQ(index().exit_code, 0);
  SearchDaemon daemon(database_);
  const int before = http_get(daemon.port(), "/healthz").json()->getValue<int>("passages");

  dir_.write("docs/alpha.txt", "Plan\n\n" + paragraph("tomates", 1));
  dir_.write("docs/beta.txt", "Informe\n\n" + paragraph("lechugas", 1));
  dir_.write("docs/gamma.txt", "Otro\n\n" + paragraph("cebollas", 1));
  // The indexer dies as under `kill -9` after writing two of the three files.
  const RunResult killed = index({{"LUPA_INDEXER_TEST_KILL_AFTER_FILES", "2"}});
  EXPECT_NE(killed.exit_code, 0);

  EXPECT_EQ(http_get(daemon.port(), "/healthz").json()->getValue<int>("passages"), before);
  EXPECT_EQ(total(daemon, "zanahorias"), 1);
  EXPECT_EQ(total(daemon, "tomates"), 0);
  // The next run completes the work; the killed one left no lock or damage behind.
  ASSERT_EQ(index().exit_code, 0);
  EXPECT_EQ(total(daemon, "tomates"), 1);
  EXPECT_EQ(total(daemon, "cebollas"), 1);
  EXPECT_EQ(total(daemon, "zanahorias"), 0);
}

TEST_F(IndexerE2E, AFirstRunKilledMidwayLeavesNoHalfIndexAndTheNextBuildsItWhole) {
  // The first run builds out of sight and commits as it goes: killed, nothing of it shows.
  const RunResult killed = index({{"LUPA_INDEXER_TEST_KILL_AFTER_FILES", "1"}});
  EXPECT_NE(killed.exit_code, 0);
  EXPECT_FALSE(fs::exists(database_ / "iamglass"));
  std::size_t left = 0;
  for (const auto& entry : fs::directory_iterator(database_)) {
    EXPECT_TRUE(entry.path().filename().string().starts_with(".lupa-new-")) << entry.path();
    ++left;
  }
  EXPECT_EQ(left, 1u);  // its build folder, which the next run removes

  const RunResult next = index();
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_NE(next.out.find("2 files (2 indexed, 0 unchanged, 0 removed"), std::string::npos)
      << next.out;
  for (const auto& entry : fs::directory_iterator(database_))
    EXPECT_FALSE(entry.path().filename().string().starts_with(".lupa-new-")) << entry.path();
  SearchDaemon daemon(database_);
  EXPECT_EQ(total(daemon, "zanahorias"), 1);
  EXPECT_EQ(total(daemon, "berenjenas"), 1);
}

TEST_F(IndexerE2E, BadFilesAreReportedByNameAndTheRestIsIndexed) {
  dir_.write("docs/empty.txt", "");
  dir_.write("docs/picture.txt", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  dir_.write("docs/scan.pdf", "%PDF-1.4\n");
  const RunResult run = index();
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("error: docs/empty.txt: file is empty"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("error: docs/picture.txt: content is PNG"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("error: docs/scan.pdf: the PDF is truncated (no %%EOF in its last "
                         "kilobyte)"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.out.find("3 errors"), std::string::npos) << run.out;
  SearchDaemon daemon(database_);
  EXPECT_EQ(total(daemon, "zanahorias"), 1);
  EXPECT_EQ(total(daemon, "berenjenas"), 1);
}

TEST_F(IndexerE2E, AManifestFieldAtFaultIsReportedAndInferredInstead) {
  ASSERT_EQ(index().exit_code, 0);
  dir_.write("docs/manifest.json",
             R"({"documents": [{"file": "alpha.txt", "plans": ["zz-1999"]}]})");
  dir_.write("docs/alpha.txt", "Plan\n\n" + paragraph("tomates", 1));
  const RunResult run = index();
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("error: docs/manifest.json: documents[0] (alpha.txt): plans 'zz-1999'"),
            std::string::npos)
      << run.err;
  SearchDaemon daemon(database_);
  EXPECT_EQ(total(daemon, "tomates"), 1);  // indexed all the same, its plan inferred
  EXPECT_EQ(total(daemon, "zanahorias"), 0);
}

TEST_F(IndexerE2E, APlanWithoutARowInThePlansFileIsIndexedFilteredAndLabelled) {
  dir_.write("docs/manifest.json",
             R"({"documents": [{"file": "alpha.txt", "country": "ke", "plans": ["ke-2023-2027"],
                                "type": "action-plan", "languages": ["es"]}]})");
  const RunResult run = index();
  ASSERT_EQ(run.exit_code, 0) << run.err;
  SearchDaemon daemon(database_);
  const auto result = http_get(daemon.port(), "/api/search?q=zanahorias&plan=KE-2023-2027").json();
  EXPECT_EQ(result->getValue<int>("total"), 1);
  const auto plans = result->getObject("facets")->getArray("plan");
  ASSERT_EQ(plans->size(), 1u);
  EXPECT_EQ(plans->getObject(0)->getValue<std::string>("value"), "ke-2023-2027");
  EXPECT_EQ(plans->getObject(0)->getValue<std::string>("label"), "Kenya 2023-2027 (action plan)");
  EXPECT_EQ(plans->getObject(0)->getValue<std::string>("label_es"),
            "Kenia 2023-2027 (plan de acción)");
}

TEST_F(IndexerE2E, MissingMetadataIsInferredAndReported) {
  dir_.write("docs/plan.md",
             "# Plan de Acción Nacional de Gobierno Abierto 2019-2021 de México\n\n"
             "Ciudad de México, 30 de agosto de 2019\n\n" +
                 paragraph("transparencia", 1));
  const RunResult run = index();
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(
      run.out.find("inferred: docs/plan.md: title=Plan de Acción Nacional de Gobierno Abierto "
                   "2019-2021 de México; languages=es; date=2019-08-30; country=mx; "
                   "type=action-plan; plan=mx-2019-2021"),
      std::string::npos)
      << run.out;
  SearchDaemon daemon(database_);
  const auto result =
      http_get(daemon.port(), "/api/search?q=transparencia&plan=mx-2019-2021").json();
  EXPECT_EQ(result->getValue<int>("total"), 1);
  EXPECT_EQ(result->getArray("hits")->getObject(0)->getValue<std::string>("type"), "action-plan");
}

TEST_F(IndexerE2E, HtmlLosesItsTagsScriptsAndStylesAndKeepsItsText) {
  dir_.write(
      "docs/page.html",
      "<html><head><title>Compromisos de M&eacute;xico</title><style>.rabanos{}</style></head>"
      "<body><script>var rabanos = 1;</script><h2>Datos abiertos</h2>"
      "<p>La informaci&oacute;n p&uacute;blica sobre <b>alcachofas</b> &amp; otros.</p>"
      "<ul><li>Primer punto</li><li>Segundo punto</li></ul></body></html>");
  ASSERT_EQ(index().exit_code, 0);
  SearchDaemon daemon(database_);
  EXPECT_EQ(total(daemon, "rabanos"), 0);
  EXPECT_EQ(total(daemon, "alcachofas"), 1);
  EXPECT_EQ(total(daemon, "\"informacion publica\""), 1);  // entities decoded
  const auto hit =
      http_get(daemon.port(), "/api/search?q=alcachofas").json()->getArray("hits")->getObject(0);
  EXPECT_EQ(hit->getValue<std::string>("title"), "Compromisos de México");
  EXPECT_EQ(hit->getValue<std::string>("heading"), "Datos abiertos");
  const auto passage =
      http_get(daemon.port(), "/api/passages/" + hit->getValue<std::string>("id")).json();
  EXPECT_NE(passage->getValue<std::string>("text").find("alcachofas & otros."), std::string::npos);
  EXPECT_EQ(passage->getValue<std::string>("text").find("<b>"), std::string::npos);
}

TEST_F(IndexerE2E, FilesWhosePassageIdsWouldCollideAreRefused) {
  dir_.write("docs/plan a.txt", "Plan\n\n" + paragraph("tomates", 1));
  dir_.write("docs/plan-a.txt", "Plan\n\n" + paragraph("lechugas", 1));
  const RunResult run = index();
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(
      run.err.find("error: docs/plan-a.txt: its passage ids would be those of docs/plan a.txt"),
      std::string::npos)
      << run.err;
  SearchDaemon daemon(database_);
  EXPECT_EQ(total(daemon, "tomates"), 1);
  EXPECT_EQ(total(daemon, "lechugas"), 0);
}

TEST_F(IndexerE2E, UsageErrorsExitWithTwoAndSayWhy) {
  const RunResult no_folder = run_indexer(database_, {dir_.path() / "missing"});
  EXPECT_EQ(no_folder.exit_code, 2);
  EXPECT_NE(no_folder.err.find("missing: not a folder"), std::string::npos) << no_folder.err;
  const RunResult no_db = run_program(program("lupa-indexer"), {corpus_.string()});
  EXPECT_EQ(no_db.exit_code, 2);
  EXPECT_NE(no_db.err.find("db"), std::string::npos) << no_db.err;
}

}  // namespace
}  // namespace lupa::testing
