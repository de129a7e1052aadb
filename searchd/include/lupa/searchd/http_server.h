// The HTTP face of the search service: routes, error translation, the server's lifetime.
//
// Every error a route raises becomes a JSON body here: BadRequest and query syntax errors are
// 400, unknown passages and routes 404, other methods 405 (with Allow), an unreadable index
// or a full server 503 (with Retry-After). A client can never cause a 500; an unexpected
// exception is logged and answered 500. (The listener answers the requests no route sees, a
// malformed or slow head, a body, a full server, with the same JSON errors: http_listener.h.)
//
// Connections are bounded before any work: see ConnectionLimits and docs/operations.md.
#pragma once

#include <Poco/Logger.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "lupa/searchd/search_service.h"

namespace lupa::searchd {

/// How many clients the daemon serves at once, and how long each may take. Idle and slow
/// clients wait in one event loop without a thread; only whole requests reach a worker.
struct ConnectionLimits {
  int workers = 8;             ///< threads that run requests
  int max_queued = 512;        ///< whole requests waiting for a worker; beyond: 503
  int max_connections = 1000;  ///< open connections, idle ones included; beyond: 503
  /// A connection with no request begun (first, or next on keep-alive) is closed after this.
  std::chrono::milliseconds idle_timeout{5000};
  /// A request head must be whole this long after its first byte, or the answer is 408.
  std::chrono::milliseconds request_timeout{10000};
  /// An answer (other than an export or feed) must be computed and written within this time
  /// from its routing, however slowly the client reads: one still computed then is answered
  /// 503 naming the limit; one being written is cut. A write that makes no progress for this
  /// long ends it too.
  std::chrono::milliseconds send_timeout{10000};
  /// Requests one connection may carry before it is closed.
  int keep_alive_requests = 1000;
  /// Limits sized from this machine: workers 4 per core, 256 queued requests per core, and
  /// connections up to 16384 or the process's file descriptor limit less a reserve for
  /// lingering sockets and the workers' database handles.
  static ConnectionLimits for_this_machine();
};

struct HttpServerOptions {
  std::string bind_address = "127.0.0.1";
  unsigned short port = 8080;  ///< 0 picks a free port (see HttpServer::port)
  ConnectionLimits limits;
  /// An export or a feed that runs longer than this is cut short (the connection is closed
  /// before the end of the answer, so a client never takes a partial export for a whole one);
  /// one that has written nothing by then is answered 503 naming the limit.
  std::chrono::seconds stream_time_limit{60};
  /// Exports and feeds running at once; beyond: 503. Each may hold a worker for up to
  /// stream_time_limit, so they must leave workers for searches.
  int max_streams = 4;
  /// The base of the links in feeds, e.g. "https://lupa.example.org"; empty: the bound
  /// address, "http://<bind>:<port>". Never taken from the client's Host header.
  std::string public_url;
  /// The folders the index was built from (lupa-indexer's arguments): /files/{id} serves a
  /// passage's document from them, read-only (original_files.h). Empty: no file is served.
  std::vector<std::filesystem::path> corpus_folders;
};

/// A route the server answers (GET and HEAD), as `lupa-searchd --help` lists it.
struct RouteDescription {
  std::string path;     ///< "/api/search"; "/api/passages/{id}" for paths that end in an id
  std::string summary;  ///< what it answers, in a line
};

/// Every route, in the order of the server's route table, which is their one definition.
std::vector<RouteDescription> http_routes();

class HttpServer {
 public:
  /// Binds the socket; throws Poco::Net::NetException when it cannot.
  HttpServer(const SearchService& service, const HttpServerOptions& options, Poco::Logger& logger);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  void start();
  /// Stops accepting and waits for requests in progress.
  void stop();
  unsigned short port() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lupa::searchd
