// End to end: lupa-searchd splitting a query's match across threads (--split-match-from)
// answers as a daemon that never splits, to every byte but the time, one client at a time and
// many at once; /healthz says how many matches were split.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace lupa::testing {
namespace {

// Plans and reports in both languages, each file twice (near-duplicates, collapsed).
void write_corpus(const TempDir& dir) {
  const std::vector<std::string> spanish = {"transparencia", "presupuesto", "datos",
                                            "abiertos",      "salud",       "municipios",
                                            "contratación",  "ciudadana"};
  const std::vector<std::string> english = {"transparency", "budget", "open",   "data",
                                            "health",       "cities", "buying", "citizens"};
  unsigned state = 11;
  for (int file = 0; file < 16; ++file) {
    const auto& words = file % 2 == 0 ? spanish : english;
    std::string text = file % 2 == 0 ? "Informe\n\n" : "Report\n\n";
    for (int paragraph = 1; paragraph <= 6; ++paragraph) {
      text += std::to_string(paragraph) + ". ";
      for (int word = 0; word < 10; ++word) {
        state = state * 1103515245u + 12345u;
        text += words[(state >> 16) % words.size()] + (word % 5 == 4 ? ". " : " ");
      }
      text += "\n\n";
    }
    dir.write("corpus/doc-" + std::to_string(file) + ".txt", text);
    if (file % 4 == 0) dir.write("corpus/copies/doc-" + std::to_string(file) + ".txt", text);
  }
}

std::string answer(unsigned short port, const std::string& target) {
  const HttpReply reply = http_get(port, target);
  if (reply.status != 200) return std::to_string(reply.status) + " " + reply.body;
  Poco::JSON::Object::Ptr json = reply.json();
  json->remove("took_ms");
  std::ostringstream text;
  Poco::JSON::Stringifier::stringify(json, text);
  return text.str();
}

std::uint64_t matches_split(unsigned short port) {
  return http_get(port, "/healthz").json()->getValue<std::uint64_t>("matches_split");
}

const std::vector<std::string> kTargets = {
    "/api/search?q=transparencia",
    "/api/search?q=transparencia&page=2&per_page=5",
    "/api/search?q=" + url_encode("open data") + "&per_page=50",
    "/api/search?q=" + url_encode("presupuesto salud") + "&lang=es",
    "/api/search?q=budget&facets=false",
    "/api/search?q=" + url_encode("\"datos abiertos\""),
    "/api/search?q=transparancy",
};

class SplitMatchE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    write_corpus(dir_);
    const RunResult indexed = run_indexer(dir_.path() / "index", {dir_.path() / "corpus"});
    ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  }
  TempDir dir_;
};

TEST_F(SplitMatchE2E, ADaemonSplittingMatchesAnswersAsOneThatNeverDoes) {
  SearchDaemon split(dir_.path() / "index", {"--split-match-from", "1"});
  SearchDaemon whole(dir_.path() / "index", {"--split-match-from", "0"});
  std::vector<std::string> expected;
  for (const std::string& target : kTargets) {
    expected.push_back(answer(whole.port(), target));
    EXPECT_EQ(answer(split.port(), target), expected.back()) << target;
    EXPECT_NE(expected.back().find("\"total\""), std::string::npos) << expected.back();
  }
  EXPECT_EQ(matches_split(whole.port()), 0u);
  const std::uint64_t one_at_a_time = matches_split(split.port());
  EXPECT_GE(one_at_a_time, kTargets.size());

  // Four clients at once on a daemon with four workers: matches are split while a core is
  // idle and run whole otherwise, and every answer is the same either way.
  std::atomic<int> differing = 0;
  std::vector<std::thread> clients;
  for (int client = 0; client < 4; ++client)
    clients.emplace_back([&, client] {
      for (int round = 0; round < 5; ++round)
        for (std::size_t i = 0; i < kTargets.size(); ++i) {
          const std::size_t which = (i + static_cast<std::size_t>(client)) % kTargets.size();
          if (answer(split.port(), kTargets[which]) != expected[which]) ++differing;
        }
    });
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(differing.load(), 0);
  EXPECT_TRUE(split.running());
}

TEST_F(SplitMatchE2E, ABadThresholdStopsTheDaemonNamingTheOption) {
  const RunResult started =
      run_program(std::filesystem::path(LUPA_BIN_DIR) / "lupa-searchd",
                  {"--db", (dir_.path() / "index").string(), "--split-match-from", "-5"});
  EXPECT_NE(started.exit_code, 0);
  EXPECT_NE(started.err.find("--split-match-from must be 0-1000000000"), std::string::npos)
      << started.err;
}

}  // namespace
}  // namespace lupa::testing
