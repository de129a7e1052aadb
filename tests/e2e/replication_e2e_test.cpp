// End to end: a read replica of a sharded index made with Xapian's replication protocol
// (xapian-replicate-server on the master, xapian-replicate on the replica) answers as the master
// does, and a running lupa-searchd on the replica sees what a later indexer run added, once
// replicated, without a restart. docs/scale-out.md, "Read replicas".
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Process.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/http_client.h"
#include "support/process.h"
#include "support/search_api.h"
#include "support/temp_dir.h"

namespace lupa::testing {
namespace {

namespace fs = std::filesystem;

const std::string kReplicate = LUPA_XAPIAN_REPLICATE;
const std::string kReplicateServer = LUPA_XAPIAN_REPLICATE_SERVER;

// The master keeps changesets for its replicas only when asked, in its writer's environment.
const std::map<std::string, std::string> kKeepChangesets = {{"XAPIAN_MAX_CHANGESETS", "10"}};

unsigned short free_loopback_port() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  return socket.address().port();
}

// xapian-replicate-server serving the databases under `parent`, stopped on destruction.
class ReplicationServer {
 public:
  // In a session of its own: stopped, the server signals its whole process group (its
  // children), which would otherwise be this test's.
  explicit ReplicationServer(const fs::path& parent) : port_(free_loopback_port()) {
    handle_ = std::make_unique<Poco::ProcessHandle>(
        Poco::Process::launch("setsid", {kReplicateServer, "--interface", "127.0.0.1", "--port",
                                         std::to_string(port_), parent.string()}));
  }
  ~ReplicationServer() {
    ::kill(static_cast<pid_t>(handle_->id()), SIGTERM);
    ::waitpid(static_cast<pid_t>(handle_->id()), nullptr, 0);
  }
  ReplicationServer(const ReplicationServer&) = delete;
  ReplicationServer& operator=(const ReplicationServer&) = delete;
  unsigned short port() const { return port_; }

 private:
  unsigned short port_;
  std::unique_ptr<Poco::ProcessHandle> handle_;
};

// One pass of xapian-replicate for `master_name` into `replica`; the server may still be
// starting, so a refused connection is tried again a few times.
RunResult replicate(const ReplicationServer& server, const std::string& master_name,
                    const fs::path& replica) {
  RunResult result;
  for (int attempt = 0; attempt < 50; ++attempt) {
    result = run_program(
        kReplicate, {"--host", "127.0.0.1", "--port", std::to_string(server.port()), "--master",
                     master_name, "--one-shot", "--verbose", replica.string()});
    if (result.exit_code == 0) return result;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return result;
}

std::string visible(const HttpReply& reply) {
  Poco::JSON::Object::Ptr body = reply.json();
  for (const char* timing : {"took_ms", "elapsed_ms", "seconds"}) body->remove(timing);
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(body, out, 1);
  return std::to_string(reply.status) + " " + out.str();
}

TEST(ReadReplica, AnswersAsTheMasterAndFollowsItWithoutARestart) {
  if (kReplicate.empty() || kReplicateServer.empty())
    GTEST_SKIP() << "xapian-replicate or xapian-replicate-server not found when configuring "
                    "(Debian package xapian-tools): read replicas are not tested";
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  fs::copy(corpus_dir(), corpus, fs::copy_options::recursive);
  const fs::path master = dir.path() / "master";
  const auto index = [&] {
    return run_program(program("lupa-indexer"),
                       {"--quiet", "--ocr-cache", LUPA_TEST_OCR_CACHE, "--db", master.string(),
                        "--shards", "2", corpus.string()},
                       kKeepChangesets);
  };
  const RunResult first = index();
  ASSERT_EQ(first.exit_code, 0) << first.err;

  const ReplicationServer server(master);
  const fs::path replica = dir.path() / "replica";
  fs::create_directories(replica);
  for (const std::string shard : {"shard-0", "shard-1"}) {
    const RunResult copied = replicate(server, shard, replica / shard);
    ASSERT_EQ(copied.exit_code, 0) << copied.err;
  }
  // The layout's stub names its shards relative to itself: it serves the replica as well.
  fs::copy_file(master / "XAPIANDB", replica / "XAPIANDB");

  const SearchDaemon on_master(master / "shard-0", {"--db", (master / "shard-1").string()});
  const SearchDaemon on_replica(replica / "shard-0", {"--db", (replica / "shard-1").string()});
  for (const std::string query :
       {"q=transparencia", "q=datos+abiertos&lang=es", "q=open+government&lang=en",
        "q=participaci%C3%B3n+ciudadana&kind=commitment", "q=&year=2012", "q=ornitorrinco"})
    EXPECT_EQ(visible(http_get(on_replica.port(), "/api/search?" + query)),
              visible(http_get(on_master.port(), "/api/search?" + query)))
        << query;
  EXPECT_EQ(total(http_get(on_replica.port(), "/api/search?q=ornitorrinco").json()), 0);

  dir.write("corpus/nota-ornitorrinco.txt",
            "Nota\n\nEl ornitorrinco de la consulta pública llegó tarde a la mesa de trabajo.\n");
  const RunResult second = index();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  for (const std::string shard : {"shard-0", "shard-1"}) {
    const RunResult updated = replicate(server, shard, replica / shard);
    ASSERT_EQ(updated.exit_code, 0) << updated.err;
    // Changes applied in place, where the running daemon has the replica open: no new copy.
    EXPECT_NE(updated.out.find("Update complete: 0 copies"), std::string::npos) << updated.out;
  }
  const auto found = http_get(on_replica.port(), "/api/search?q=ornitorrinco").json();
  ASSERT_EQ(total(found), 1);
  EXPECT_EQ(hit(found, 0)->getValue<std::string>("id"), "corpus.nota-ornitorrinco-txt.0001");
  EXPECT_TRUE(on_replica.running());
  EXPECT_EQ(visible(http_get(on_replica.port(), "/api/search?q=transparencia")),
            visible(http_get(on_master.port(), "/api/search?q=transparencia")));
}

}  // namespace
}  // namespace lupa::testing
