// End to end: the real daemon against clients that hold connections open, trickle, send what
// HTTP forbids, leave half way or ask for unbounded work. Each test makes its own hostile
// client with plain sockets, and checks that the daemon keeps serving everyone else.
#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/http_client.h"
#include "support/process.h"
#include "support/shards.h"
#include "support/temp_dir.h"
#include "support/test_index.h"

namespace lupa::testing {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// One TCP connection to the daemon, driven byte by byte.
class RawConnection {
 public:
  // `receive_buffer`: a small one makes the daemon wait for this client as for a slow one.
  explicit RawConnection(unsigned short port, int receive_buffer = 0)
      : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (receive_buffer > 0)
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
      throw std::runtime_error("cannot connect to the daemon");
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool send(std::string_view bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }

  // Up to `limit` bytes that arrive within `timeout`; "" when the peer closed.
  std::string receive_some(std::chrono::milliseconds timeout, std::size_t limit = 65536) {
    pollfd ready{fd_, POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(timeout.count())) <= 0) return "<timeout>";
    std::string bytes(limit, '\0');
    const ssize_t got = ::recv(fd_, bytes.data(), bytes.size(), 0);
    bytes.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
    return bytes;
  }

  // Everything until the daemon closes the connection or `timeout` passes.
  std::string receive_until_closed(std::chrono::milliseconds timeout) {
    std::string all;
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      const std::string some = receive_some(std::max(left, 1ms));
      if (some.empty()) return all;
      if (some == "<timeout>") break;
      all += some;
    }
    return all + "<timeout>";
  }

  // One whole answer with a Content-Length body, on a kept-alive connection.
  std::string receive_answer(std::chrono::milliseconds timeout) {
    std::string bytes;
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      const auto head_end = bytes.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const auto length_at = bytes.find("Content-Length: ");
        const std::size_t length =
            length_at < head_end ? std::stoul(bytes.substr(length_at + 16)) : 0;
        if (bytes.size() >= head_end + 4 + length) return bytes;
      }
      const std::string some = receive_some(
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
      if (some.empty() || some == "<timeout>") break;
      bytes += some;
    }
    return bytes;
  }

 private:
  int fd_;
};

std::string get_request(const std::string& target, bool close = false) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
         (close ? "Connection: close\r\n" : "") + "\r\n";
}

int status_of(const std::string& answer) {
  if (answer.rfind("HTTP/1.", 0) != 0 || answer.size() < 12) return 0;
  return std::stoi(answer.substr(9, 3));
}

std::string body_of(const std::string& answer) {
  const auto head_end = answer.find("\r\n\r\n");
  return head_end == std::string::npos ? "" : answer.substr(head_end + 4);
}

bool has_header(const std::string& answer, const std::string& header_line) {
  const auto head = answer.substr(0, answer.find("\r\n\r\n"));
  return head.find("\r\n" + header_line + "\r\n") != std::string::npos ||
         head.ends_with("\r\n" + header_line);
}

// A corpus made by the test: many numbered paragraphs that all say "transparencia", so that an
// export is long, and a few whose text starts like a spreadsheet formula or holds characters
// XML forbids.
class HostileClientsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    directory_ = new TempDir;
    const auto corpus = directory_->path() / "corpus";
    std::filesystem::create_directories(corpus);
    for (int file = 0; file < 60; ++file) {
      std::ofstream out(corpus / ("informe-" + std::to_string(file) + ".txt"));
      out << "Informe de avance " << file << "\n\n";
      for (int paragraph = 1; paragraph <= 100; ++paragraph)
        out << paragraph << ". La transparencia presupuestaria del programa " << file << "-"
            << paragraph << " avanza con la participación de la sociedad civil.\n\n";
    }
    // Each in a file of its own, so that each is the first text of a passage.
    const char* formulas[] = {"=HYPERLINK(\"http://attacker.example/\",\"hojaformula clic\")",
                              "+CMD hojaformula suma", "-2+3 hojaformula resta",
                              "@SUM(A1) hojaformula arroba",
                              "Texto hojaformula con control \x01\x02 y no caracteres "
                              "\xEF\xBF\xBE \xEF\xBF\xBF fin."};
    for (int i = 0; i < 5; ++i)
      std::ofstream(corpus / ("hoja-" + std::to_string(i) + ".txt")) << formulas[i] << "\n";
    database_ = directory_->path() / "index";
    index_folders(database_, {corpus});
  }
  static void TearDownTestSuite() { delete directory_; }

  static TempDir* directory_;
  static std::filesystem::path database_;
};

TempDir* HostileClientsTest::directory_ = nullptr;
std::filesystem::path HostileClientsTest::database_;

TEST_F(HostileClientsTest, ProbeIsAnsweredWithinASecondWhileIdleTricklingAndBusyClientsHoldOn) {
  SearchDaemon daemon(database_);
  std::vector<std::unique_ptr<RawConnection>> idle, trickling;
  for (int i = 0; i < 16; ++i) idle.push_back(std::make_unique<RawConnection>(daemon.port()));
  for (int i = 0; i < 16; ++i) trickling.push_back(std::make_unique<RawConnection>(daemon.port()));
  std::atomic<bool> stop = false;
  std::thread trickler([&] {
    const std::string request = get_request("/healthz");
    for (std::size_t at = 0; at < request.size() && !stop; ++at) {
      for (auto& connection : trickling) connection->send(request.substr(at, 1));
      std::this_thread::sleep_for(100ms);
    }
  });
  // 64 keep-alive clients asking for searches back to back; each must be answered.
  std::vector<int> answered(64, 0), failed(64, 0);
  std::vector<std::thread> busy;
  for (int client = 0; client < 64; ++client)
    busy.emplace_back([&, client] {
      RawConnection connection(daemon.port());
      while (!stop) {
        const std::string answer = [&] {
          if (!connection.send(get_request("/api/search?q=transparencia&per_page=5")))
            return std::string();
          return connection.receive_answer(5s);
        }();
        if (status_of(answer) == 200)
          ++answered[static_cast<std::size_t>(client)];
        else
          ++failed[static_cast<std::size_t>(client)];
        if (status_of(answer) != 200) break;
      }
    });
  std::this_thread::sleep_for(1500ms);

  for (const std::string target : {"/healthz", "/api/search?q=participaci%C3%B3n&per_page=1"}) {
    const auto started = Clock::now();
    const HttpReply probe = http_get(daemon.port(), target);
    const auto took = Clock::now() - started;
    EXPECT_EQ(probe.status, 200) << target;
    EXPECT_LT(took, 1s) << target << " took "
                        << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                        << " ms";
  }
  stop = true;
  for (auto& thread : busy) thread.join();
  trickler.join();
  for (int client = 0; client < 64; ++client) {
    EXPECT_GT(answered[static_cast<std::size_t>(client)], 0) << "busy client " << client;
    EXPECT_EQ(failed[static_cast<std::size_t>(client)], 0) << "busy client " << client;
  }
}

TEST_F(HostileClientsTest, IdleAndTricklingConnectionsAreCutAfterTheirTimeouts) {
  SearchDaemon daemon(database_, {"--idle-timeout", "1", "--request-timeout", "1"});
  RawConnection idle(daemon.port());
  RawConnection trickling(daemon.port());
  trickling.send("GET /heal");
  const auto started = Clock::now();
  // The idle connection is closed without an answer, the trickling one answered 408.
  EXPECT_EQ(idle.receive_until_closed(3s), "");
  const std::string answer = trickling.receive_until_closed(3s);
  EXPECT_EQ(status_of(answer), 408) << answer;
  EXPECT_LT(Clock::now() - started, 2500ms);
}

TEST_F(HostileClientsTest, ConnectionsBeyondTheLimitGetA503WithRetryAfterAtOnce) {
  SearchDaemon daemon(database_, {"--max-connections", "4"});
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 4; ++i) held.push_back(std::make_unique<RawConnection>(daemon.port()));
  std::this_thread::sleep_for(200ms);  // all four accepted
  RawConnection extra(daemon.port());
  extra.send(get_request("/healthz"));
  const auto started = Clock::now();
  const std::string answer = extra.receive_until_closed(2s);
  EXPECT_LT(Clock::now() - started, 500ms);
  EXPECT_EQ(status_of(answer), 503) << answer;
  EXPECT_TRUE(has_header(answer, "Retry-After: 1")) << answer;
  held.clear();
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(http_get(daemon.port(), "/healthz").status, 200);
}

TEST_F(HostileClientsTest, APipelinedRequestNeverHoldsAWorker) {
  // One worker: were it waiting for the rest of the second request, the probe would wait too.
  SearchDaemon daemon(database_, {"--threads", "1"});
  RawConnection connection(daemon.port());
  connection.send(get_request("/healthz") + "GET /heal");
  const std::string answers = connection.receive_until_closed(3s);
  EXPECT_EQ(status_of(answers), 200) << answers;
  EXPECT_EQ(answers.find("HTTP/1.1", 1), std::string::npos) << answers;
  const auto started = Clock::now();
  EXPECT_EQ(http_get(daemon.port(), "/healthz").status, 200);
  EXPECT_LT(Clock::now() - started, 1s);
}

TEST_F(HostileClientsTest, HeadAnswersCarryNoBodyAndKeepTheConnection) {
  SearchDaemon daemon(database_);
  RawConnection connection(daemon.port());
  for (const std::string target :
       {"/api/export?format=csv&q=transparencia", "/api/feed?q=transparencia",
        "/api/search?q=transparencia", "/?q=transparencia"}) {
    connection.send("HEAD " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    const std::string head = connection.receive_some(3s);
    EXPECT_EQ(status_of(head), 200) << target << head;
    EXPECT_TRUE(head.ends_with("\r\n\r\n")) << target << ": a body follows: " << head;
  }
  // The same connection still answers a GET in full.
  connection.send(get_request("/healthz"));
  const std::string answer = connection.receive_answer(3s);
  EXPECT_EQ(status_of(answer), 200) << answer;
  EXPECT_NE(body_of(answer).find("\"status\""), std::string::npos) << answer;
  EXPECT_EQ(daemon.log().find("cut short"), std::string::npos) << daemon.log();
}

TEST_F(HostileClientsTest, RequestsBeyondTheQueueAndStreamsBeyondTheirLimitGetA503) {
  // One worker, one queued request: of five exports sent at once to clients that read slowly,
  // the worker takes one, the queue one, and the others are refused at once.
  SearchDaemon daemon(database_, {"--threads", "1", "--max-queued", "1"});
  std::vector<std::unique_ptr<RawConnection>> clients;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(std::make_unique<RawConnection>(daemon.port(), 4096));
    clients.back()->send(get_request("/api/export?format=csv&q=transparencia", true));
  }
  int refused = 0;
  for (auto& client : clients) {
    const std::string first = client->receive_some(500ms, 4096);
    if (status_of(first) == 503) {
      ++refused;
      EXPECT_TRUE(has_header(first, "Retry-After: 1")) << first;
    }
  }
  EXPECT_GE(refused, 3);
  clients.clear();
  // With the default limits, exports beyond --max-streams get a 503 while searches go on.
  SearchDaemon streams(database_, {"--threads", "4", "--max-streams", "1"});
  RawConnection slow_export(streams.port(), 4096);
  slow_export.send(get_request("/api/export?format=csv&q=transparencia"));
  ASSERT_EQ(status_of(slow_export.receive_some(3s, 1024)), 200);
  const HttpReply second = http_get(streams.port(), "/api/export?format=csv&q=transparencia");
  EXPECT_EQ(second.status, 503);
  EXPECT_NE(second.json()->getValue<std::string>("error").find("Too many exports"),
            std::string::npos);
  EXPECT_EQ(http_get(streams.port(), "/api/search?q=transparencia").status, 200);
}

TEST_F(HostileClientsTest, AKeptAliveConnectionIsClosedAfterItsRequestQuota) {
  SearchDaemon daemon(database_, {"--keep-alive-requests", "3"});
  RawConnection connection(daemon.port());
  for (int request = 1; request <= 3; ++request) {
    ASSERT_TRUE(connection.send(get_request("/healthz")));
    const std::string answer = connection.receive_answer(2s);
    EXPECT_EQ(status_of(answer), 200) << "request " << request;
    EXPECT_EQ(has_header(answer, "Connection: Close"), request == 3) << answer;
  }
  EXPECT_EQ(connection.receive_until_closed(2s), "");
}

TEST_F(HostileClientsTest, ARequestBodyIsNeverReadAsTheNextRequest) {
  SearchDaemon daemon(database_);
  const std::string smuggled = get_request("/api/search?q=smuggled");
  RawConnection connection(daemon.port());
  connection.send(
      "POST /api/search?q=transparencia HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " +
      std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled);
  const std::string answers = connection.receive_until_closed(3s);
  EXPECT_EQ(status_of(answers), 405) << answers;
  EXPECT_TRUE(has_header(answers, "Allow: GET, HEAD")) << answers;
  EXPECT_EQ(answers.find("HTTP/1.1", 1), std::string::npos) << "a second answer: " << answers;

  // A GET with a body is answered, and the connection closed rather than the body parsed.
  RawConnection with_body(daemon.port());
  with_body.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " +
                 std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled);
  const std::string answer = with_body.receive_until_closed(3s);
  EXPECT_EQ(status_of(answer), 200) << answer;
  EXPECT_EQ(answer.find("HTTP/1.1", 1), std::string::npos) << "a second answer: " << answer;
}

TEST_F(HostileClientsTest, ABadContentLengthGetsA400NamingTheHeader) {
  SearchDaemon daemon(database_);
  for (const std::string lengths : {"Content-Length: abc\r\n", "Content-Length: -5\r\n",
                                    "Content-Length: 5\r\nContent-Length: 6\r\n",
                                    "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n"}) {
    RawConnection connection(daemon.port());
    connection.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n" + lengths + "\r\n");
    const std::string answer = connection.receive_until_closed(3s);
    EXPECT_EQ(status_of(answer), 400) << lengths << answer;
    const auto error =
        Poco::JSON::Parser().parse(body_of(answer)).extract<Poco::JSON::Object::Ptr>();
    const std::string message = error->getValue<std::string>("error");
    EXPECT_TRUE(message.find("Content-Length") != std::string::npos ||
                message.find("Transfer-Encoding") != std::string::npos)
        << message;
  }
  EXPECT_EQ(http_get(daemon.port(), "/healthz").status, 200);
}

TEST_F(HostileClientsTest, AnswersCarryHeadersThatStopBrowsersGuessingOrLeaking) {
  SearchDaemon daemon(database_);
  for (const std::string target :
       {"/api/search?q=transparencia", "/?q=transparencia", "/static/lupa.css", "/api/nothing"}) {
    RawConnection connection(daemon.port());
    connection.send(get_request(target, true));
    const std::string answer = connection.receive_until_closed(3s);
    EXPECT_TRUE(has_header(answer, "X-Content-Type-Options: nosniff")) << target;
    EXPECT_TRUE(has_header(answer, "Referrer-Policy: same-origin")) << target;
    EXPECT_NE(answer.find("\r\nContent-Security-Policy: default-src 'none'; style-src 'self';"),
              std::string::npos)
        << target;
  }
  // The page needs no script, and no inline style that the policy would block.
  const HttpReply page = http_get(daemon.port(), "/?q=transparencia");
  EXPECT_EQ(page.body.find("<script"), std::string::npos);
  EXPECT_EQ(page.body.find("style="), std::string::npos);
  EXPECT_EQ(page.body.find("<style"), std::string::npos);
}

TEST_F(HostileClientsTest, ErrorBodiesNeverEchoMarkupOrInvalidUtf8) {
  SearchDaemon daemon(database_);
  for (const std::string target :
       {"/api/passages/%3Cscript%3Ealert(1)%3C%2Fscript%3E%FF", "/api/export?format=%3Cb%3E%FE",
        "/api/search?page=%3Ci%3E%FF"}) {
    const HttpReply reply = http_get(daemon.port(), target);
    EXPECT_GE(reply.status, 400) << target;
    EXPECT_LT(reply.status, 500) << target;
    EXPECT_EQ(reply.body.find('<'), std::string::npos) << reply.body;
    EXPECT_EQ(reply.body.find('\xFF'), std::string::npos) << reply.body;
    EXPECT_EQ(reply.body.find('\xFE'), std::string::npos) << reply.body;
    // Still the JSON a client expects, with the markup readable once decoded.
    const std::string message = reply.json()->getValue<std::string>("error");
    EXPECT_FALSE(message.empty());
  }
  const HttpReply reply = http_get(daemon.port(), "/api/passages/%3Cscript%3E");
  EXPECT_EQ(reply.json()->getValue<std::string>("error"), "No passage with id '<script>'");
}

TEST_F(HostileClientsTest, AnExportStopsWhenItsClientLeaves) {
  SearchDaemon daemon(database_);
  {
    // A small receive buffer: the export cannot be written ahead into the sockets' buffers
    // before the client leaves.
    RawConnection connection(daemon.port(), 4096);
    connection.send(get_request("/api/export?format=csv&q=transparencia"));
    const std::string first = connection.receive_some(5s, 4096);
    ASSERT_EQ(status_of(first), 200) << first;
  }  // the client leaves after its first 4 KB of about a megabyte
  const auto deadline = Clock::now() + 5s;
  while (Clock::now() < deadline &&
         daemon.log().find("cut short: the client closed the connection") == std::string::npos)
    std::this_thread::sleep_for(50ms);
  EXPECT_NE(daemon.log().find("cut short: the client closed the connection"), std::string::npos)
      << daemon.log();
  EXPECT_EQ(http_get(daemon.port(), "/healthz").status, 200);
}

TEST(HostileClients, AnExportThatOutrunsItsTimeLimitEndsWithoutItsLastChunk) {
  // An export larger than the sockets' buffers (about 6 MB), so that it cannot be written
  // ahead into them within its second.
  TempDir directory;
  const auto corpus = directory.path() / "corpus";
  std::filesystem::create_directories(corpus);
  std::string filler;
  for (int i = 0; i < 25; ++i) filler += " con la participación de la sociedad civil y el gobierno";
  for (int file = 0; file < 30; ++file) {
    std::ofstream out(corpus / ("largo-" + std::to_string(file) + ".txt"));
    out << "Informe largo " << file << "\n\n";
    for (int paragraph = 1; paragraph <= 100; ++paragraph)
      out << paragraph << ". La transparencia presupuestaria " << file << "-" << paragraph << filler
          << ".\n\n";
  }
  index_folders(directory.path() / "index", {corpus});
  SearchDaemon daemon(directory.path() / "index", {"--stream-time-limit", "1"});
  RawConnection connection(daemon.port(), 4096);
  connection.send(get_request("/api/export?format=csv&q=transparencia", true));
  // A client reading slowly, 8 KB every 10 ms at most, but never stopping: only the time limit
  // can end its export. It reads until the daemon closes the connection.
  std::string received;
  const auto started = Clock::now();
  while (Clock::now() - started < 60s) {
    const std::string some = connection.receive_some(5s, 8192);
    if (some.empty() || some == "<timeout>") break;
    received += some;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(status_of(received), 200);
  EXPECT_FALSE(received.ends_with("\r\n0\r\n\r\n")) << "the export looks complete";
  EXPECT_NE(daemon.log().find("cut short: the export took longer than 1 s"), std::string::npos)
      << daemon.log();
}

TEST_F(HostileClientsTest, CsvCellsThatSpreadsheetsWouldRunAsFormulasAreNeutralised) {
  SearchDaemon daemon(database_);
  const HttpReply csv = http_get(daemon.port(), "/api/export?format=csv&q=hojaformula");
  ASSERT_EQ(csv.status, 200);
  for (const std::string cell :
       {"\"'=HYPERLINK(\"\"http://attacker.example/\"\",", "\"'+CMD hojaformula suma",
        "\"'-2+3 hojaformula resta", "\"'@SUM(A1) hojaformula arroba"})
    EXPECT_NE(csv.body.find(cell), std::string::npos) << cell << "\n" << csv.body;
  EXPECT_EQ(csv.body.find(",=HYPERLINK"), std::string::npos);
  // The JSON export keeps each value as it is.
  const HttpReply json = http_get(daemon.port(), "/api/export?format=json&q=hojaformula");
  ASSERT_EQ(json.status, 200);
  const auto rows = Poco::JSON::Parser().parse(json.body).extract<Poco::JSON::Array::Ptr>();
  bool raw_formula = false;
  for (std::size_t i = 0; i < rows->size(); ++i)
    raw_formula |= rows->getObject(static_cast<unsigned>(i))
                       ->getValue<std::string>("text")
                       .starts_with("=HYPERLINK(");
  EXPECT_TRUE(raw_formula) << json.body;
}

TEST_F(HostileClientsTest, TheFeedIsValidXmlAndLinksToThePublicUrlWhateverTheHostHeaderSays) {
  SearchDaemon daemon(database_, {"--public-url", "https://lupa.example.org/"});
  RawConnection connection(daemon.port());
  connection.send(
      "GET /api/feed?q=hojaformula HTTP/1.1\r\nHost: attacker.example\r\nConnection: "
      "close\r\n\r\n");
  const std::string answer = connection.receive_until_closed(3s);
  ASSERT_EQ(status_of(answer), 200) << answer;
  const std::string feed = body_of(answer);
  Poco::XML::DOMParser parser;
  Poco::AutoPtr<Poco::XML::Document> document;
  ASSERT_NO_THROW(document = parser.parseString(feed)) << feed;
  Poco::AutoPtr<Poco::XML::NodeList> ids = document->getElementsByTagName("id");
  ASSERT_GT(ids->length(), 1u);
  for (unsigned long i = 0; i < ids->length(); ++i)
    EXPECT_TRUE(ids->item(i)->innerText().starts_with("https://lupa.example.org/api/"))
        << ids->item(i)->innerText();
  Poco::AutoPtr<Poco::XML::NodeList> links = document->getElementsByTagName("link");
  ASSERT_GT(links->length(), 1u);
  for (unsigned long i = 0; i < links->length(); ++i) {
    const auto* element = dynamic_cast<Poco::XML::Element*>(links->item(i));
    ASSERT_NE(element, nullptr);
    EXPECT_TRUE(element->getAttribute("href").starts_with("https://lupa.example.org/"))
        << element->getAttribute("href");
  }
}

TEST_F(HostileClientsTest, QueriesThatWouldExpandWithoutBoundGetA400NamingTheLimit) {
  SearchDaemon daemon(database_);
  std::string ligatures;
  for (int i = 0; i < 1000; ++i) ligatures += "\xEF\xB7\xBA";  // U+FDFA: 18 characters in NFKC
  std::string many_words;
  for (int i = 0; i < 70; ++i) many_words += "palabra" + std::to_string(i) + " ";
  const struct {
    std::string query;
    std::string limit;
  } cases[] = {
      {ligatures, "once normalised"},
      {many_words, "at most 64 words"},
      {"trans* presu* part* soci* avan*", "at most 4 wildcards"},
      {"lupawildcard:trans lupawildcard:presu lupawildcard:part lupawildcard:soci "
       "lupawildcard:avan",
       "at most 4 wildcards"},
  };
  for (const auto& [query, limit] : cases) {
    const HttpReply reply = http_get(daemon.port(), "/api/search?q=" + url_encode(query));
    EXPECT_EQ(reply.status, 400) << limit;
    const std::string message = reply.json()->getValue<std::string>("error");
    EXPECT_NE(message.find("Parameter `q`"), std::string::npos) << message;
    EXPECT_NE(message.find(limit), std::string::npos) << message;
  }
  // Four wildcards are still served.
  const HttpReply four =
      http_get(daemon.port(), "/api/search?q=" + url_encode("trans* presu* part* soci*"));
  EXPECT_EQ(four.status, 200);
  EXPECT_GT(four.json()->getValue<int>("total"), 0);
}

// The daemon over one shard server holding the fixture's passages, whose server then falls
// silent on its port: a request that reads the index computes until --shard-timeout, far past
// the answer's own time limit, however loaded or idle the machine.
class SilencedShard {
 public:
  SilencedShard(const std::filesystem::path& database, std::vector<std::string> arguments) {
    auto server = std::make_unique<ShardServer>(database);
    const unsigned short port = server->port();
    daemon_ = std::make_unique<SearchDaemon>(server->url(), arguments);
    EXPECT_EQ(http_get(daemon_->port(), "/api/search?q=transparencia").status, 200);
    server->stop();
    silent_ = std::make_unique<SilentShard>(port);
  }
  SearchDaemon& daemon() { return *daemon_; }
  const SilentShard& silent() const { return *silent_; }

 private:
  std::unique_ptr<SearchDaemon> daemon_;
  std::unique_ptr<SilentShard> silent_;
};

bool wait_for_log(const SearchDaemon& daemon, const std::string& line,
                  std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (daemon.log().find(line) == std::string::npos) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

// The answer's time limit runs from routing to the last byte: an answer still being computed
// at its deadline is answered there and then, 503 naming the limit, and the connection closed;
// the late answer, once computed, is dropped; everyone else is served meanwhile and after.
TEST_F(HostileClientsTest, AnAnswerStillComputedAtItsDeadlineGetsA503NamingTheLimitAtOnce) {
  SilencedShard shard(database_, {"--send-timeout", "0.5", "--shard-timeout", "4",
                                  "--shard-connect-timeout", "4", "--shard-retry", "60"});
  SearchDaemon& daemon = shard.daemon();
  RawConnection connection(daemon.port());
  const auto asked = Clock::now();
  ASSERT_TRUE(connection.send(get_request("/api/search?q=presupuestaria")));
  const std::string answer = connection.receive_until_closed(10s);
  const auto took = Clock::now() - asked;
  EXPECT_EQ(shard.silent().connections(), 1) << "the request did not wait on the silent shard";
  ASSERT_EQ(status_of(answer), 503) << answer;
  EXPECT_FALSE(answer.ends_with("<timeout>")) << "the connection was left open";
  EXPECT_TRUE(has_header(answer, "Connection: close")) << answer;
  EXPECT_TRUE(has_header(answer, "Content-Type: application/json; charset=utf-8")) << answer;
  const auto json = Poco::JSON::Parser().parse(body_of(answer)).extract<Poco::JSON::Object::Ptr>();
  EXPECT_NE(json->getValue<std::string>("error").find("longer than 0.5 s (--send-timeout)"),
            std::string::npos)
      << answer;
  // At the deadline (checked to the millisecond, the request's own routing a little later than
  // our send), never at the end of the computation.
  EXPECT_GE(took, 450ms);
  EXPECT_LT(took, 2500ms) << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                          << " ms";

  // While the late answer is still being computed, and after it was dropped.
  EXPECT_EQ(http_get(daemon.port(), "/static/lupa.css").status, 200);
  EXPECT_TRUE(wait_for_log(daemon, "no answer within 0.5 s; answered 503", 10s)) << daemon.log();
  EXPECT_EQ(http_get(daemon.port(), "/static/lupa.css").status, 200);
  const HttpReply search = http_get(daemon.port(), "/api/search?q=transparencia");
  EXPECT_EQ(search.status, 503) << "the shard is silent";
  EXPECT_NE(search.json()->getValue<std::string>("error").find("--shard-retry"), std::string::npos)
      << search.body;
  EXPECT_TRUE(daemon.running());
}

// An export writes as it reads, but not before its first passage: one whose query outlasts
// --stream-time-limit has written nothing, and gets the same 503, naming its own limit.
TEST_F(HostileClientsTest, AnExportThatHasNotBegunByItsDeadlineGetsA503NamingItsLimit) {
  SilencedShard shard(database_, {"--stream-time-limit", "1", "--shard-timeout", "5",
                                  "--shard-connect-timeout", "5", "--shard-retry", "60"});
  RawConnection connection(shard.daemon().port());
  const auto asked = Clock::now();
  ASSERT_TRUE(connection.send(get_request("/api/export?format=csv&q=presupuestaria")));
  const std::string answer = connection.receive_until_closed(10s);
  const auto took = Clock::now() - asked;
  ASSERT_EQ(status_of(answer), 503) << answer;
  EXPECT_NE(body_of(answer).find("longer than 1 s (--stream-time-limit)"), std::string::npos)
      << answer;
  EXPECT_LT(took, 3s);
  EXPECT_EQ(http_get(shard.daemon().port(), "/static/lupa.css").status, 200);
}

// HEAD asks for the head alone, and that holds for the 503 too.
TEST_F(HostileClientsTest, AHeadRequestStillComputedAtItsDeadlineGetsThe503HeadAlone) {
  SilencedShard shard(database_, {"--send-timeout", "0.3", "--shard-timeout", "3",
                                  "--shard-connect-timeout", "3", "--shard-retry", "60"});
  RawConnection connection(shard.daemon().port());
  ASSERT_TRUE(connection.send("HEAD /api/search?q=presupuestaria HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string answer = connection.receive_until_closed(10s);
  ASSERT_EQ(status_of(answer), 503) << answer;
  EXPECT_NE(answer.find("\r\nContent-Length: "), std::string::npos) << answer;
  EXPECT_EQ(body_of(answer), "") << answer;
}

}  // namespace
}  // namespace lupa::testing
