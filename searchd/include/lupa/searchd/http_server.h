// The HTTP face of the search service: routes, error translation, the server's lifetime.
//
// Every error becomes a JSON body here and nowhere else: BadRequest and query syntax errors
// are 400, unknown passages and routes 404, other methods 405, an unreadable index 503.
// A client can never cause a 500; an unexpected exception is logged and answered 500.
#pragma once

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <memory>
#include <string>

#include "lupa/searchd/search_service.h"

namespace lupa::searchd {

struct HttpServerOptions {
  std::string bind_address = "127.0.0.1";
  unsigned short port = 8080;  ///< 0 picks a free port (see HttpServer::port)
  int threads = 8;             ///< request threads, each with its own database handle
  int max_queued = 64;         ///< connections waiting beyond that are refused
};

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
  Poco::ThreadPool pool_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace lupa::searchd
