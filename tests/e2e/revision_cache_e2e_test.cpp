// End to end: what the daemon keeps per revision of the index (browse counts, the facet
// listing, the index's labels, every passage's facet values as codes) follows the index when the
// real lupa-indexer commits under the running daemon, and its answers are those of a daemon that
// has kept nothing.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "support/http_client.h"
#include "support/process.h"
#include "support/search_api.h"
#include "support/temp_dir.h"

namespace lupa::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSpanishPlan =
    "Plan de acción de gobierno abierto\n\n"
    "Compromiso 1: presupuesto abierto. La Secretaría de Hacienda publicará el presupuesto "
    "en datos abiertos cada trimestre, con el gasto de cada programa y su avance.\n\n"
    "Compromiso 2: contrataciones abiertas. Las compras públicas se publicarán con el "
    "estándar de datos para las contrataciones abiertas, desde la planeación hasta el pago.\n";
constexpr const char* kEnglishPlan =
    "Open government action plan\n\n"
    "Commitment 1: open budget. The Ministry of Finance will publish the budget as open "
    "data every quarter, with the spending of each programme and its progress.\n";
constexpr const char* kEnglishReport =
    "Progress report\n\n"
    "The budget data promised in the action plan were published twice, and civil society "
    "organisations used them to follow the spending of the health programme.\n\n"
    "The procurement data were published for the ministries of health and education.\n";

// An answer without the time it took, as text: equal texts, equal answers.
std::string answer(unsigned short port, const std::string& target) {
  const HttpReply reply = http_get(port, target);
  EXPECT_EQ(reply.status, 200) << target << ": " << reply.body;
  if (reply.status != 200) return reply.body;
  Poco::JSON::Object::Ptr json = reply.json();
  json->remove("took_ms");
  std::ostringstream text;
  Poco::JSON::Stringifier::stringify(json, text);
  return text.str();
}

int total_of(unsigned short port, const std::string& target) {
  return http_get(port, target).json()->getValue<int>("total");
}

const std::vector<std::string> kTargets = {
    "/api/search?q=",
    "/api/search?q=&lang=en",
    "/api/search?q=&lang=es&lang=en",
    "/api/search?q=&sort=oldest&page=2&per_page=2",
    "/api/search?q=&facets=false",
    "/api/search?q=budget",
    "/api/search?q=presupuesto&lang=es",
    "/api/search?q=" + url_encode("open data") + "&facets=false",
    "/api/facets",
};

class RevisionCacheE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    corpus_ = dir_.path() / "corpus";
    database_ = dir_.path() / "index";
    dir_.write("corpus/plan-es.txt", kSpanishPlan);
    dir_.write("corpus/plan-en.txt", kEnglishPlan);
    const RunResult indexed = run_indexer(database_, {corpus_});
    ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  }

  TempDir dir_;
  fs::path corpus_;
  fs::path database_;
};

TEST_F(RevisionCacheE2E, BrowseCountsFollowTheIndexCommittedUnderTheRunningDaemon) {
  SearchDaemon daemon(database_);
  const int before = total_of(daemon.port(), "/api/search?q=");
  const int english_before =
      facet_counts(http_get(daemon.port(), "/api/search?q=").json(), "lang")["en"];
  ASSERT_GT(before, 0);
  ASSERT_GT(english_before, 0);
  // Asked twice: the second answer is the kept one, and the same.
  for (const std::string& target : kTargets)
    EXPECT_EQ(answer(daemon.port(), target), answer(daemon.port(), target)) << target;
  EXPECT_EQ(total_of(daemon.port(), "/api/facets"), before);

  // The indexer adds an English report while the daemon runs.
  dir_.write("corpus/report-en.txt", kEnglishReport);
  const RunResult indexed = run_indexer(database_, {corpus_});
  ASSERT_EQ(indexed.exit_code, 0) << indexed.err;

  const auto browse = http_get(daemon.port(), "/api/search?q=").json();
  const int after = browse->getValue<int>("total");
  EXPECT_GT(after, before);
  const int added = after - before;
  EXPECT_EQ(facet_counts(browse, "lang")["en"], english_before + added);
  EXPECT_EQ(total_of(daemon.port(), "/api/facets"), after);
  EXPECT_EQ(total_of(daemon.port(), "/api/search?q=&lang=en"), english_before + added);
  EXPECT_GT(total_of(daemon.port(), "/api/search?q=budget"), 1);

  // A daemon started now has kept nothing: every answer is the same.
  SearchDaemon fresh(database_);
  for (const std::string& target : kTargets)
    EXPECT_EQ(answer(daemon.port(), target), answer(fresh.port(), target)) << target;

  // A file removed: the counts go down again.
  fs::remove(corpus_ / "report-en.txt");
  ASSERT_EQ(run_indexer(database_, {corpus_}).exit_code, 0);
  EXPECT_EQ(total_of(daemon.port(), "/api/search?q="), before);
  EXPECT_EQ(total_of(daemon.port(), "/api/facets"), before);
  EXPECT_EQ(total_of(daemon.port(), "/api/search?q=&lang=en"), english_before);
  // Passages removed are counted for no facet.
  SearchDaemon after_removal(database_);
  for (const std::string& target : kTargets)
    EXPECT_EQ(answer(daemon.port(), target), answer(after_removal.port(), target)) << target;
}

}  // namespace
}  // namespace lupa::testing
