// Which shards a request reads when some cannot be reached (--shard-down), with real
// databases and a real connection refused by a closed loopback port.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xapian.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "lupa/searchd/json_response.h"
#include "lupa/searchd/search_service.h"
#include "support/temp_dir.h"

namespace lupa::searchd {
namespace {

namespace fs = std::filesystem;
using lupa::testing::TempDir;

// A loopback port nothing listens on: bound, then closed, so connecting to it is refused.
unsigned short closed_port() {
  const int socket_fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(socket_fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(socket_fd);
    throw std::runtime_error("no free loopback port");
  }
  ::close(socket_fd);
  return ntohs(address.sin_port);
}

// Local folders as themselves, tcp:// locations with Xapian's remote backend, as the daemon.
Xapian::Database open_location(const fs::path& location) {
  if (const auto remote = RemoteShard::parse(location.string()))
    return Xapian::Remote::open(remote->host, remote->port, 1000, 1000);
  return Xapian::Database(location.string());
}

class LiveShardsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Shards of 1 and 4 documents: the combined count tells which were kept.
    first_ = make_shard("first", 1);
    last_ = make_shard("last", 4);
    down_ = "tcp://127.0.0.1:" + std::to_string(closed_port());
  }

  fs::path make_shard(const std::string& name, int documents) const {
    Xapian::WritableDatabase shard((dir_ / name).string(), Xapian::DB_CREATE);
    for (int i = 0; i < documents; ++i) shard.add_document(Xapian::Document());
    shard.commit();
    return dir_ / name;
  }

  TempDir dir_;
  fs::path first_, last_, down_;
};

TEST_F(LiveShardsTest, DegradeKeepsTheShardsThatOpenAndNamesTheOthers) {
  const LiveShards live =
      open_live_shards({first_, down_, last_}, open_location, ShardDownPolicy::kDegrade);
  EXPECT_EQ(live.shards.size(), 2U);
  EXPECT_EQ(live.positions, (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(live.missing, std::vector<std::string>{down_.string()});
  EXPECT_EQ(live.all.get_doccount(), 5U);
}

// A host that takes the connection but never speaks (the kernel completes it on a listening
// socket nobody accepts from): left out once the timeout passes, not waited for.
TEST_F(LiveShardsTest, DegradeLeavesOutAShardThatConnectsButNeverAnswers) {
  struct Socket {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ~Socket() { ::close(fd); }
  } socket;
  const int listener = socket.fd;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), length), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const fs::path silent = "tcp://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  const auto started = std::chrono::steady_clock::now();
  const LiveShards live =
      open_live_shards({first_, silent, last_}, open_location, ShardDownPolicy::kDegrade);
  // Generous: proves the timeout bounds it (1 s given), not how fast it is.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(15));
  EXPECT_EQ(live.missing, std::vector<std::string>{silent.string()});
  EXPECT_EQ(live.all.get_doccount(), 5U);
}

TEST_F(LiveShardsTest, EveryShardAnsweringMissesNone) {
  const LiveShards live =
      open_live_shards({first_, last_}, open_location, ShardDownPolicy::kDegrade);
  EXPECT_TRUE(live.missing.empty());
  EXPECT_EQ(live.positions, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(live.all.get_doccount(), 5U);
}

TEST_F(LiveShardsTest, FailNamesTheShardThatIsDown) {
  try {
    open_live_shards({first_, down_, last_}, open_location, ShardDownPolicy::kFail);
    FAIL() << "no ShardUnavailable";
  } catch (const ShardUnavailable& error) {
    EXPECT_EQ(error.shard(), down_.string());
  }
}

TEST_F(LiveShardsTest, NoShardAnsweringIsNoAnswerEvenDegraded) {
  EXPECT_THROW(open_live_shards({down_}, open_location, ShardDownPolicy::kDegrade),
               ShardUnavailable);
}

TEST(ShardDownPolicy, ParsesItsTwoValuesAndNamesTheOptionOtherwise) {
  EXPECT_EQ(parse_shard_down_policy("fail"), ShardDownPolicy::kFail);
  EXPECT_EQ(parse_shard_down_policy("degrade"), ShardDownPolicy::kDegrade);
  for (const char* bad : {"", "Degrade", "ignore"}) {
    try {
      parse_shard_down_policy(bad);
      FAIL() << bad;
    } catch (const std::invalid_argument& error) {
      EXPECT_NE(std::string(error.what()).find("--shard-down"), std::string::npos) << bad;
    }
  }
}

// Xapian's stub format, as the searcher reads it: each line it serves, each it refuses.
TEST(ShardsStubFile, NamesLocalDatabasesRelativeToItselfAndShardServersAsTcpLocations) {
  const fs::path stub = "/srv/lupa/index/XAPIANDB";
  const auto entries = parse_stub(stub,
                                  "# Lupa index of 4 shards\n"
                                  "auto shard-0\n"
                                  "\n"
                                  "glass /abs/shard-1\r\n"
                                  "remote 10.0.0.7:7331\n"
                                  "  remote   [::1]:7332  \n"
                                  "remote shard-3.example.org:7333\n");
  ASSERT_EQ(entries.size(), 5U);
  EXPECT_EQ(entries[0].kind, StubEntryKind::kLocal);
  EXPECT_EQ(entries[0].location, fs::path("/srv/lupa/index/shard-0"));
  EXPECT_EQ(entries[0].line, 2U);
  EXPECT_EQ(entries[1].location, fs::path("/abs/shard-1"));
  EXPECT_EQ(entries[1].line, 4U);
  EXPECT_EQ(entries[2].kind, StubEntryKind::kRemote);
  EXPECT_EQ(entries[2].location, fs::path("tcp://10.0.0.7:7331"));
  EXPECT_EQ(entries[2].line, 5U);
  EXPECT_EQ(entries[3].location, fs::path("tcp://[::1]:7332"));
  EXPECT_EQ(entries[4].location, fs::path("tcp://shard-3.example.org:7333"));
  // What --db tcp:// takes, the stub's remote lines give.
  const auto remote = RemoteShard::parse(entries[3].location.string());
  ASSERT_TRUE(remote);
  EXPECT_EQ(remote->host, "::1");
  EXPECT_EQ(remote->port, 7332U);
}

TEST(ShardsStubFile, RefusesWhatItCannotServeNamingTheFileAndLine) {
  const fs::path stub = "/srv/lupa/XAPIANDB";
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"auto a\nremote :xapian-progsrv /srv/db\n", "line 2: 'remote :PROGRAM'"},
      {"remote 10.0.0.7\n", "line 1: expected 'remote HOST:PORT'"},
      {"auto a\n\nremote 10.0.0.7:0\n", "line 3: expected 'remote HOST:PORT'"},
      {"remote 10.0.0.7:65536\n", "line 1: expected"},
      {"remote :7331\n", "line 1: 'remote :PROGRAM'"},
      {"remote [::1]\n", "line 1: expected"},
      {"remote 10.0.0.7:73x1\n", "line 1: expected"},
      {"inmemory\n", "line 1: 'inmemory' names no database"},
      {"auto a\nhoney b\n", "line 2: 'honey b' is not a database"},
      {"auto\n", "line 1: 'auto' names no database"},
      {"# nothing\n\n", "the stub names no database"},
  };
  for (const auto& [text, expected] : refused) {
    try {
      parse_stub(stub, text);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const std::invalid_argument& error) {
      const std::string message = error.what();
      EXPECT_EQ(message.rfind("/srv/lupa/XAPIANDB", 0), 0U) << message;
      EXPECT_NE(message.find(expected), std::string::npos) << message;
    }
  }
}

TEST_F(LiveShardsTest, AStubMixingLocalDatabasesAndShardServersIsRefusedNamingIt) {
  const fs::path stub = dir_.path() / "mixed.stub";
  {
    std::ofstream out(stub);
    out << "auto first\nremote 127.0.0.1:" << closed_port() << "\n";
  }
  try {
    SearchService service({stub});
    FAIL() << "a mixed stub was served";
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("cannot be mixed"), std::string::npos) << message;
    EXPECT_NE(message.find(stub.string() + " line 1"), std::string::npos) << message;
    EXPECT_NE(message.find(stub.string() + " line 2"), std::string::npos) << message;
  }
  // A stub of shard servers alone is taken, and opened as they are: here the one named is
  // down, so the service cannot start, naming it.
  const std::string down = down_.string().substr(std::string("tcp://").size());
  {
    std::ofstream out(stub);
    out << "remote " << down << "\n";
  }
  try {
    SearchService service({stub});
    FAIL() << "a shard server that is down was served";
  } catch (const ShardUnavailable& error) {
    EXPECT_EQ(error.shard(), down_.string());
  }
}

TEST(ShardsAnsweredJson, IsTheLastKeyOfAnswersOverShardServersAndAbsentOtherwise) {
  const ShardsAnswered shards{3, {"tcp://127.0.0.1:7001"}};
  const FacetListing listing{12, {}};
  EXPECT_EQ(facets_json(listing), R"({"total":12,"facets":{}})");
  // The bytes clients read: `shards` last, compact, as every answer over shard servers ends.
  EXPECT_EQ(facets_json(listing, shards),
            R"({"total":12,"facets":{},"shards":{"total":3,"answered":2,)"
            R"("missing":["tcp://127.0.0.1:7001"],"partial":true}})");
  SearchResult result;
  result.total = 5;
  const auto json =
      Poco::JSON::Parser()
          .parse(search_json(result, schema::standard_facets(), ShardsAnswered{2, {}}))
          .extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(json->getValue<int>("total"), 5);
  const auto object = json->getObject("shards");
  ASSERT_TRUE(object);
  EXPECT_EQ(object->getValue<int>("total"), 2);
  EXPECT_EQ(object->getValue<int>("answered"), 2);
  EXPECT_FALSE(object->getValue<bool>("partial"));
  EXPECT_EQ(object->getArray("missing")->size(), 0U);
  EXPECT_FALSE(Poco::JSON::Parser()
                   .parse(search_json(result))
                   .extract<Poco::JSON::Object::Ptr>()
                   ->has("shards"));
}

}  // namespace
}  // namespace lupa::searchd
