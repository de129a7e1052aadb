// End to end: /files/{passage id} serves the original file of a passage's document from the
// corpus folders the real daemon is given (--corpus), read-only, and never any other file:
// not by a crafted id, not through a symbolic link swapped in after indexing, not without
// --corpus.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/http_client.h"
#include "support/process.h"
#include "support/search_api.h"
#include "support/temp_dir.h"

namespace lupa::testing {
namespace {

namespace fs = std::filesystem;

unsigned short port() {
  return CorpusServer::instance().port();
}

TEST(OriginalFilesE2E, ServesAPassagesDocumentByteForByteWithItsType) {
  const HttpReply text = http_get(port(), "/files/corpus.mx-2011-action-plan-es-en-txt.0025");
  EXPECT_EQ(text.status, 200);
  EXPECT_EQ(text.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(text.body, read_file(corpus_dir() / "mx-2011-action-plan-es-en.txt"));
  const HttpReply pdf = http_get(port(), "/files/corpus.scans.image-only-report-pdf.0002");
  EXPECT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_EQ(pdf.body, read_file(corpus_dir() / "scans" / "image-only-report.pdf"));
}

TEST(OriginalFilesE2E, AnythingButAPassageIdIsRefusedWithAJsonError) {
  const std::string long_id(600, 'a');
  const struct {
    std::string target;
    int status;
  } cases[] = {
      {"/files/", 400},
      {"/files/" + long_id, 400},
      {"/files/corpus.nothing.0001", 404},
      {"/files/..%2F..%2F..%2Fetc%2Fpasswd", 404},
      {"/files/../../../../etc/passwd", 404},
      {"/files/%2e%2e%2fcorpus%2fmx-ogp-member-page.txt", 404},
      {"/files/corpus/mx-ogp-member-page.txt", 404},  // a document path is not an id
      {"/files/corpus.scans.manifest-json.0001", 404},
  };
  for (const auto& [target, status] : cases) {
    const HttpReply reply = http_get(port(), target);
    EXPECT_EQ(reply.status, status) << target;
    EXPECT_EQ(reply.content_type, "application/json; charset=utf-8") << target;
    EXPECT_TRUE(reply.json()->has("error")) << target;
    EXPECT_EQ(reply.body.find("root:"), std::string::npos) << target;
  }
}

// A corpus of its own, indexed by the real indexer, then changed under the daemon.
class OriginalFilesOfAChangedCorpus : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("outside/secret.txt", "secret outside the corpus\n");
    dir_.write("notes/plan.txt", "Compromiso uno: publicar los datos de agua potable.\n");
    dir_.write("notes/report.txt", "Informe sobre el presupuesto abierto del agua.\n");
    dir_.write("notes/page.html",
               "<html><body><p>Compromiso dos: agua.</p><script>alert(1)</script></body></html>");
    const RunResult indexed = run_indexer(dir_ / "index", {dir_ / "notes"});
    ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  }
  TempDir dir_;
};

TEST_F(OriginalFilesOfAChangedCorpus, AnHtmlDocumentIsServedSandboxedAndNeverSniffed) {
  const SearchDaemon daemon(dir_ / "index", {"--corpus", (dir_ / "notes").string()});
  const HttpReply html = http_get(daemon.port(), "/files/notes.page-html.0001");
  EXPECT_EQ(html.status, 200);
  EXPECT_EQ(html.content_type, "text/html; charset=utf-8");
  EXPECT_TRUE(html.headers.at("Content-Security-Policy").starts_with("default-src 'none';"));
  EXPECT_TRUE(html.headers.at("Content-Security-Policy").ends_with("; sandbox"));
  EXPECT_EQ(html.headers.at("X-Content-Type-Options"), "nosniff");
  const HttpReply text = http_get(daemon.port(), "/files/notes.plan-txt.0001");
  EXPECT_EQ(text.headers.at("Content-Disposition"), "inline; filename=\"plan.txt\"");
}

TEST_F(OriginalFilesOfAChangedCorpus, ALinkSwappedInOrAFileRemovedIsNeverServed) {
  const SearchDaemon daemon(dir_ / "index", {"--corpus", (dir_ / "notes").string()});
  EXPECT_EQ(http_get(daemon.port(), "/files/notes.plan-txt.0001").status, 200);
  EXPECT_NE(http_get(daemon.port(), "/passages/notes.plan-txt.0001?ui=en")
                .body.find("<a href=\"/files/notes.plan-txt.0001\" id=\"original\""),
            std::string::npos);
  fs::remove(dir_ / "notes/plan.txt");
  fs::create_symlink(dir_ / "outside/secret.txt", dir_ / "notes/plan.txt");
  const HttpReply swapped = http_get(daemon.port(), "/files/notes.plan-txt.0001");
  EXPECT_EQ(swapped.status, 404);
  EXPECT_EQ(swapped.body.find("secret"), std::string::npos);
  // The page no longer offers it.
  EXPECT_EQ(http_get(daemon.port(), "/passages/notes.plan-txt.0001?ui=en").body.find("/files/"),
            std::string::npos);
  fs::remove(dir_ / "notes/report.txt");
  EXPECT_EQ(http_get(daemon.port(), "/files/notes.report-txt.0001").status, 404);
}

TEST_F(OriginalFilesOfAChangedCorpus, WithoutCorpusFoldersNoFileIsServedOrOffered) {
  const SearchDaemon daemon(dir_ / "index");
  const HttpReply reply = http_get(daemon.port(), "/files/notes.plan-txt.0001");
  EXPECT_EQ(reply.status, 404);
  EXPECT_NE(reply.body.find("--corpus"), std::string::npos);
  EXPECT_EQ(http_get(daemon.port(), "/passages/notes.plan-txt.0001?ui=en").body.find("/files/"),
            std::string::npos);
}

TEST_F(OriginalFilesOfAChangedCorpus, TheDaemonRefusesACorpusFolderThatIsNone) {
  const RunResult run = run_program(
      program("lupa-searchd"),
      {"--db", (dir_ / "index").string(), "--port", "0", "--corpus", (dir_ / "missing").string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("is not a directory"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace lupa::testing
