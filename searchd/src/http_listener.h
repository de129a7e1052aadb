// Accepts HTTP connections and hands each whole request to a small pool of worker threads.
//
// Connections do not own threads. A connection that is waiting for a request, or whose request
// head is still arriving, sits in one epoll set watched by a single thread; only when the whole
// head is in the socket's receive buffer does it go to a worker, which parses it with Poco's
// HTTPServerRequestImpl (without blocking: the bytes are there), runs the handler and writes
// the answer. An idle or slow client therefore costs a file descriptor, never a worker, and it
// is cut when its time is up:
// - no request begun within `idle_timeout` (also between keep-alive requests): closed;
// - a head not complete within `request_timeout` of its first byte: 408, closed;
// - a head over 16 KB: 431, closed;
// - more than `max_connections` open, or `max_queued` whole requests waiting for a worker:
//   503 with Retry-After, at once;
// - an answer not written within its time limit (TimedRequestHandler, else `send_timeout`),
//   from routing to its last byte: if it is still being computed then, 503 naming the limit
//   at once, closed, and the late answer dropped (AnswerRace); if it is being sent, however
//   slowly the client keeps reading, the connection is shut down under it;
// - after `keep_alive_requests` requests a connection is closed, so no client holds one forever.
// Requests that carry a body, and pipelined requests (bytes of a next request that arrived
// with this one), are answered and their connection closed: Lupa takes no bodies, an unread
// body must never be read as the next request, and a worker must never wait for a client.
// Connections closed after an answer or a refusal linger a second, reading and dropping what
// the client still sends, so that the client reads the answer rather than a reset.
//
// Thread safety: start() and stop() from one thread; everything else is internal.
#pragma once

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>

#include <chrono>
#include <memory>
#include <string>

#include "lupa/searchd/http_server.h"

namespace lupa::searchd {

/// A request handler that says how long its answer may take, from the start of the handling to
/// the last byte written, and which option sets that limit (named to a client that outlasts it).
class TimedRequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  virtual std::chrono::milliseconds answer_time_limit() const = 0;
  virtual std::string answer_time_limit_option() const = 0;
};

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
