// Accepts HTTP connections and hands each whole request to a small pool of worker threads.
//
// Connections do not own threads. A connection that is waiting for a request, or whose request
// head is still arriving, sits in one epoll set watched by a single thread; only when the whole
// head is in the socket's receive buffer does it go to a worker, which parses it with Poco's
// HTTPServerRequestImpl, runs the handler and writes the answer. An idle or slow client
// therefore costs a file descriptor, never a worker, and it is cut when its timeout passes:
// - no request begun within `idle_timeout` (also between keep-alive requests): closed;
// - a head not complete within `request_timeout` of its first byte: 408, closed;
// - a head over 16 KB: 431, closed;
// - more than `max_connections` open, or `max_queued` whole requests waiting for a worker:
//   503 with Retry-After, at once;
// - a write that makes no progress for `send_timeout` (a client that stopped reading): closed;
// - after `keep_alive_requests` requests a connection is closed, so no client holds one forever.
// Requests that carry a body are answered and the connection closed: Lupa takes no bodies, and
// an unread body must never be read as the next request.
//
// Thread safety: start() and stop() from one thread; everything else is internal.
#pragma once

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>

#include <memory>

#include "lupa/searchd/http_server.h"

namespace lupa::searchd {

class HttpListener {
 public:
  /// Takes the bound socket; `factory` makes one handler per request.
  HttpListener(Poco::Net::ServerSocket socket, const ConnectionLimits& limits,
               Poco::Net::HTTPRequestHandlerFactory::Ptr factory, Poco::Logger& logger);
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  void start();
  /// Stops accepting, closes waiting connections and waits for requests in progress.
  void stop();
  unsigned short port() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lupa::searchd
