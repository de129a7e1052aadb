#include "http_listener.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "lupa/searchd/answer_race.h"
#include "lupa/searchd/json_response.h"
#include "security_headers.h"
#include "socket_deadlines.h"

namespace lupa::searchd {
namespace {

using Clock = std::chrono::steady_clock;
using Poco::Net::HTTPResponse;

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd = -1) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// A whole answer the event thread writes itself, without a worker: small enough for any
// socket's send buffer, so writing it never blocks.
std::string canned_answer(HTTPResponse::HTTPStatus status, const std::string& message,
                          bool retry_later) {
  const std::string body = error_json(message);
  std::string answer = "HTTP/1.1 " + std::to_string(static_cast<int>(status)) + " " +
                       std::string(HTTPResponse::getReasonForStatus(status)) + "\r\n";
  answer += "Content-Type: application/json; charset=utf-8\r\n";
  answer += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  answer += "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n";
  if (retry_later) answer += "Retry-After: 1\r\n";
  return answer + "\r\n" + body;
}

// Whether the bytes start with a whole request head (blank line included). Bare LF line ends
// are accepted, as Poco's parser accepts them.
bool holds_whole_head(std::string_view bytes) {
  return bytes.find("\n\r\n") != std::string_view::npos ||
         bytes.find("\n\n") != std::string_view::npos;
}

// "10 s", "0.25 s": a time limit as its option is given.
std::string seconds_text(std::chrono::milliseconds limit) {
  std::string text = std::to_string(limit.count() / 1000);
  if (const auto rest = limit.count() % 1000; rest != 0) {
    std::string fraction = std::to_string(1000 + rest).substr(1);
    while (fraction.back() == '0') fraction.pop_back();
    text += "." + fraction;
  }
  return text + " s";
}

// Exposes the session's read-ahead: bytes of a pipelined next request already taken from the
// socket, which the event thread cannot see. Every byte of an answer is written through
// write(), so it is where the worker claims the answer from the deadline's watchdog: once the
// watchdog has answered, whatever the worker writes is refused, as a write to a closed
// connection would be.
class ServerSession final : public Poco::Net::HTTPServerSession {
 public:
  using HTTPServerSession::buffered;
  using HTTPServerSession::HTTPServerSession;

  AnswerRace& race() { return race_; }

 protected:
  int write(const char* buffer, std::streamsize length) override {
    if (!race_.begin_writing())
      throw Poco::IOException("the answer's time limit passed; the client was answered 503");
    return HTTPServerSession::write(buffer, length);
  }

 private:
  AnswerRace race_;  // one request per session: serve() makes a session per request
};

// The reason a request's body framing is refused, or "" when it is sound. Lupa reads no
// bodies, but a request whose length is ambiguous could smuggle a second request past it.
std::string body_framing_error(const Poco::Net::HTTPRequest& request) {
  std::string length;
  bool has_length = false;
  for (const auto& [name, raw] : request) {
    if (Poco::icompare(name, "Content-Length") != 0) continue;
    const std::string value = Poco::trim(raw);
    if (value.empty() || value.size() > 15 ||
        value.find_first_not_of("0123456789") != std::string::npos)
      return "Header `Content-Length` must be a whole number of bytes";
    if (has_length && value != length) return "Conflicting `Content-Length` headers";
    length = value;
    has_length = true;
  }
  if (request.has("Transfer-Encoding")) {
    if (has_length) return "A request may not have both `Content-Length` and `Transfer-Encoding`";
    if (Poco::icompare(Poco::trim(request.get("Transfer-Encoding")), "chunked") != 0)
      return "Header `Transfer-Encoding`: only chunked is understood";
  }
  return "";
}

bool has_body(const Poco::Net::HTTPRequest& request) {
  return request.getChunkedTransferEncoding() ||
         (request.hasContentLength() && request.getContentLength64() > 0);
}

void send_error(HTTPResponse::HTTPStatus status, const std::string& message,
                Poco::Net::HTTPServerResponse& response) {
  const std::string body = error_json(message);
  response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
  add_security_headers(response);
  response.setStatusAndReason(status);
  response.setContentType("application/json; charset=utf-8");
  response.set("Cache-Control", "no-store");
  response.setKeepAlive(false);
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.send() << body;
}

}  // namespace

class HttpListener::Impl {
 public:
  Impl(Poco::Net::ServerSocket socket, const ConnectionLimits& limits,
       Poco::Net::HTTPRequestHandlerFactory::Ptr factory, Poco::Logger& logger)
      : socket_(std::move(socket)),
        limits_(limits),
        factory_(std::move(factory)),
        logger_(logger),
        params_(new Poco::Net::HTTPServerParams),
        port_(socket_.address().port()),
        epoll_(::epoll_create1(EPOLL_CLOEXEC)),
        wake_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (epoll_.get() < 0 || wake_.get() < 0)
      throw Poco::SystemException("cannot create the listener's event set");
    params_->setKeepAlive(true);
    params_->setTimeout(Poco::Timespan(limits_.request_timeout.count() * 1000));
    socket_.setBlocking(false);
    watch(socket_.impl()->sockfd(), EPOLLIN);
    watch(wake_.get(), EPOLLIN);
  }

  ~Impl() { stop(); }

  void start() {
    events_thread_ = std::thread([this] { run_events(); });
    for (int i = 0; i < limits_.workers; ++i) workers_.emplace_back([this] { run_worker(); });
  }

  void stop() {
    if (stopping_.exchange(true)) return;
    wake();
    if (events_thread_.joinable()) events_thread_.join();
    socket_.close();  // new clients are refused by the system rather than left in the backlog
    {
      std::lock_guard lock(jobs_mutex_);
      jobs_.clear();  // waiting requests are closed unanswered, as a stopped server would
    }
    jobs_changed_.notify_all();
    for (std::thread& worker : workers_) worker.join();
    workers_.clear();
    waiting_.clear();
    std::lock_guard lock(returned_mutex_);
    returned_.clear();
  }

  unsigned short port() const { return port_; }

 private:
  // A connection in the epoll set: waiting for a request, receiving its head, or (closing)
  // being drained after a refusal so that the client reads the refusal rather than a reset.
  struct Waiting {
    Poco::Net::StreamSocket socket;
    Clock::time_point deadline;
    int served = 0;
    bool head_begun = false;
    bool closing = false;
    Clock::time_point next_peek{};  // a head trickled in tiny packets is peeked at this often
    bool peek_pending = false;
  };

  struct Job {
    Poco::Net::StreamSocket socket;
    int served = 0;
    bool closing = false;  // handed back to linger and close, not to wait for a request
  };

  enum class After { kKeepAlive, kLingerAndClose, kClose };

  void watch(int fd, std::uint32_t events) {
    epoll_event event{};
    event.events = events;
    event.data.fd = fd;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event) != 0)
      throw Poco::SystemException("epoll_ctl failed");
  }

  void unwatch(int fd) { ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr); }

  void wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(wake_.get(), &one, sizeof one);
  }

  void run_events() {
    std::vector<epoll_event> events(256);
    auto next_sweep = Clock::now();
    while (!stopping_) {
      const int wait_ms = peek_later_.empty() ? kSweepInterval : kPeekInterval;
      const int ready =
          ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), wait_ms);
      for (int i = 0; i < ready; ++i) {
        const epoll_event& event = events[static_cast<std::size_t>(i)];
        try {
          if (event.data.fd == socket_.impl()->sockfd())
            accept_all();
          else if (event.data.fd == wake_.get())
            take_returned();
          else
            on_readable(event.data.fd, (event.events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0);
        } catch (const std::exception& error) {
          // One connection's trouble (no memory for its epoll entry, ...) costs that one.
          logger_.error("connection dropped by the event loop: %s", std::string(error.what()));
          if (auto found = waiting_.find(event.data.fd); found != waiting_.end())
            close_waiting(found);
        }
      }
      const auto now = Clock::now();
      try {
        peek_again(now);
        if (now >= next_sweep) {
          sweep(now);
          next_sweep = now + std::chrono::milliseconds(kSweepInterval);
        }
        if (accept_paused_ && now >= accept_resumes_) {
          accept_paused_ = false;
          watch(socket_.impl()->sockfd(), EPOLLIN);
        }
      } catch (const std::exception& error) {
        logger_.error("event loop: %s", std::string(error.what()));
      }
    }
  }

  void accept_all() {
    for (;;) {
      const int fd =
          ::accept4(socket_.impl()->sockfd(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE) {
          // Out of descriptors: stop listening briefly rather than spin on a ready socket.
          logger_.warning("out of file descriptors; not accepting for %d ms", kSweepInterval);
          unwatch(socket_.impl()->sockfd());
          accept_paused_ = true;
          accept_resumes_ = Clock::now() + std::chrono::milliseconds(kSweepInterval);
        }
        return;  // EAGAIN: accepted all; others: the client left before we took it
      }
      Poco::Net::StreamSocket socket(new Poco::Net::StreamSocketImpl(fd));
      const int flag = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &flag, sizeof flag);
      if (open_connections_ >= limits_.max_connections) {
        refuse(std::move(socket), HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
               "The server is at its connection limit; try again shortly", true);
        continue;
      }
      ++open_connections_;
      wait_for_request(std::move(socket), 0);
    }
  }

  // Event thread only.
  void wait_for_request(Poco::Net::StreamSocket socket, int served) {
    const int fd = socket.impl()->sockfd();
    waiting_[fd] = Waiting{std::move(socket), Clock::now() + limits_.idle_timeout, served};
    // Edge-triggered: each arrival of bytes is reported once, so a head that arrives a byte
    // at a time is looked at once per arrival, not in a loop.
    watch(fd, EPOLLIN | EPOLLRDHUP | EPOLLET);
  }

  void on_readable(int fd, bool peer_closed) {
    const auto found = waiting_.find(fd);
    if (found == waiting_.end()) return;
    Waiting& waiting = found->second;
    if (waiting.closing) {
      drain(fd);
      return;
    }
    const auto now = Clock::now();
    if (now < waiting.next_peek && !peer_closed) {
      if (!waiting.peek_pending) peek_later_.push_back(fd);
      waiting.peek_pending = true;
      return;
    }
    peek_head(found, now, peer_closed);
  }

  // Looks at what has arrived of a request head, without taking it from the socket: the worker
  // reads it through Poco. Each look copies what has arrived, so a connection is looked at no
  // more often than every kPeekInterval, which bounds the copying a trickled head costs.
  void peek_head(std::unordered_map<int, Waiting>::iterator found, Clock::time_point now,
                 bool peer_closed) {
    const int fd = found->first;
    Waiting& waiting = found->second;
    waiting.peek_pending = false;
    waiting.next_peek = now + std::chrono::milliseconds(kPeekInterval);
    const ssize_t peeked =
        ::recv(fd, peek_buffer_.data(), peek_buffer_.size(), MSG_PEEK | MSG_DONTWAIT);
    if (peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (peer_closed) close_waiting(found);
      return;
    }
    if (peeked <= 0) {  // the client closed, or the connection broke
      close_waiting(found);
      return;
    }
    if (!waiting.head_begun) {
      waiting.head_begun = true;
      waiting.deadline = now + limits_.request_timeout;
    }
    const std::string_view head(peek_buffer_.data(), static_cast<std::size_t>(peeked));
    if (holds_whole_head(head)) {
      dispatch(found);
    } else if (peeked >= kMaxHeadBytes) {
      Poco::Net::StreamSocket socket = waiting.socket;
      close_waiting(found);
      refuse(std::move(socket), HTTPResponse::HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE,
             "The request head is longer than " + std::to_string(kMaxHeadBytes) + " bytes", false);
    } else if (peer_closed) {
      close_waiting(found);  // half a head, and no more will come
    }
  }

  void peek_again(Clock::time_point now) {
    std::vector<int> later;
    for (const int fd : peek_later_) {
      const auto found = waiting_.find(fd);
      if (found == waiting_.end() || !found->second.peek_pending) continue;
      if (now < found->second.next_peek)
        later.push_back(fd);
      else
        peek_head(found, now, false);
    }
    peek_later_.swap(later);
  }

  // Reads and drops what a refused client still sends, until it closes or its time is up.
  void drain(int fd) {
    char sink[4096];
    for (int reads = 0; reads < 16; ++reads) {
      const ssize_t got = ::recv(fd, sink, sizeof sink, MSG_DONTWAIT);
      if (got > 0) continue;
      if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      break;
    }
    if (auto found = waiting_.find(fd); found != waiting_.end()) close_waiting(found);
  }

  void close_waiting(std::unordered_map<int, Waiting>::iterator found) {
    unwatch(found->first);
    if (found->second.closing)
      --lingering_;
    else
      --open_connections_;
    waiting_.erase(found);  // the last copy of the socket: closes it
  }

  // Answers at once and closes, from the event thread: used when no worker may take the
  // connection.
  void refuse(Poco::Net::StreamSocket socket, HTTPResponse::HTTPStatus status,
              const std::string& message, bool retry_later) {
    const std::string answer = canned_answer(status, message, retry_later);
    [[maybe_unused]] const auto sent =
        ::send(socket.impl()->sockfd(), answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    linger_and_close(std::move(socket));
  }

  // Closing a socket with unread bytes makes the kernel send a reset, which can destroy the
  // answer before the client reads it. So the socket lingers: our side is shut, and what the
  // client still sends is read and dropped, until it closes or a second passes.
  void linger_and_close(Poco::Net::StreamSocket socket) {
    const int fd = socket.impl()->sockfd();
    ::shutdown(fd, SHUT_WR);
    if (lingering_ >= kMaxLingering) return;  // closes now
    socket.setBlocking(false);
    ++lingering_;
    waiting_[fd] = Waiting{std::move(socket), Clock::now() + kLinger, 0, true, true};
    watch(fd, EPOLLIN | EPOLLRDHUP | EPOLLET);
  }

  void dispatch(std::unordered_map<int, Waiting>::iterator found) {
    unwatch(found->first);
    Job job{std::move(found->second.socket), found->second.served};
    waiting_.erase(found);
    {
      std::unique_lock lock(jobs_mutex_);
      if (static_cast<int>(jobs_.size()) < limits_.max_queued) {
        jobs_.push_back(std::move(job));
        lock.unlock();
        jobs_changed_.notify_one();
        return;
      }
    }
    --open_connections_;
    refuse(std::move(job.socket), HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
           "The server is busy; try again shortly", true);
  }

  void sweep(Clock::time_point now) {
    std::vector<int> expired;
    for (const auto& [fd, waiting] : waiting_)
      if (now >= waiting.deadline) expired.push_back(fd);
    for (const int fd : expired) {
      const auto found = waiting_.find(fd);
      const bool answer_408 = found->second.head_begun && !found->second.closing;
      Poco::Net::StreamSocket socket = found->second.socket;
      close_waiting(found);
      if (answer_408)
        refuse(std::move(socket), HTTPResponse::HTTP_REQUEST_TIMEOUT,
               "The request head did not arrive within " +
                   std::to_string(limits_.request_timeout.count()) + " ms",
               false);
    }
  }

  // Worker -> event thread: a kept-alive connection waits for its next request, or a closed
  // one lingers.
  void hand_back(Poco::Net::StreamSocket socket, int served, bool closing) {
    {
      std::lock_guard lock(returned_mutex_);
      returned_.push_back(Job{std::move(socket), served, closing});
    }
    wake();
  }

  void take_returned() {
    std::uint64_t count = 0;
    [[maybe_unused]] const auto got = ::read(wake_.get(), &count, sizeof count);
    std::vector<Job> returned;
    {
      std::lock_guard lock(returned_mutex_);
      returned.swap(returned_);
    }
    for (Job& job : returned) {
      if (job.closing)
        linger_and_close(std::move(job.socket));
      else
        wait_for_request(std::move(job.socket), job.served);
    }
  }

  void run_worker() {
    for (;;) {
      Job job;
      {
        std::unique_lock lock(jobs_mutex_);
        jobs_changed_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
        if (stopping_) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      serve(std::move(job));
    }
  }

  void serve(Job job) {
    After after = After::kClose;
    try {
      job.socket.setBlocking(true);
      ServerSession session(job.socket, params_);
      job.socket.setReceiveTimeout(Poco::Timespan(limits_.request_timeout.count() * 1000));
      job.socket.setSendTimeout(Poco::Timespan(limits_.send_timeout.count() * 1000));
      after = serve_one(session, job.served++);
      // A pipelined request's bytes may sit in the session now; the event thread cannot see
      // them, and reading on here could wait on the client, so the connection ends.
      if (after == After::kKeepAlive && session.buffered() > 0) after = After::kLingerAndClose;
      if (after != After::kClose) {
        Poco::Net::StreamSocket socket = session.detachSocket();
        socket.setBlocking(false);
        if (after == After::kLingerAndClose) --open_connections_;  // lingering is counted apart
        hand_back(std::move(socket), job.served, after == After::kLingerAndClose);
      }
    } catch (const std::exception& error) {
      logger_.debug("connection dropped: %s", std::string(error.what()));
      after = After::kClose;
    } catch (...) {
      logger_.error("connection dropped: unknown error");
      after = After::kClose;
    }
    if (after == After::kClose) --open_connections_;
  }

  // Reads, routes and answers one request, whose whole head is already in the socket.
  After serve_one(ServerSession& session, int served) {
    // Declared first, so that it still holds while the answer's last bytes are flushed.
    std::optional<SocketDeadlines::Guard> answer_deadline;
    Poco::Net::HTTPServerResponseImpl response(session);
    std::unique_ptr<Poco::Net::HTTPServerRequestImpl> request;
    try {
      request = std::make_unique<Poco::Net::HTTPServerRequestImpl>(response, session, params_);
    } catch (const Poco::Net::NoMessageException&) {
      return After::kClose;  // the client closed between requests
    } catch (const Poco::SyntaxException&) {
      // The request object the response points to is gone: answer with a new response.
      Poco::Net::HTTPServerResponseImpl error(session);
      send_error(HTTPResponse::HTTP_BAD_REQUEST,
                 "Header `Content-Length` must be a whole number of bytes", error);
      return After::kLingerAndClose;
    } catch (const Poco::Net::MessageException& error) {
      Poco::Net::HTTPServerResponseImpl error_response(session);
      send_error(HTTPResponse::HTTP_BAD_REQUEST, "Malformed HTTP request: " + error.message(),
                 error_response);
      return After::kLingerAndClose;
    }
    response.setDate(Poco::Timestamp());
    response.setVersion(request->getVersion());
    add_security_headers(response);
    if (const std::string error = body_framing_error(*request); !error.empty()) {
      send_error(HTTPResponse::HTTP_BAD_REQUEST, error, response);
      return After::kLingerAndClose;
    }
    const bool body = has_body(*request);
    const bool keep_alive =
        request->getKeepAlive() && !body && served + 1 < limits_.keep_alive_requests && !stopping_;
    response.setKeepAlive(keep_alive);
    std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(
        factory_->createRequestHandler(*request));
    const auto* timed = dynamic_cast<const TimedRequestHandler*>(handler.get());
    const auto limit = timed ? timed->answer_time_limit() : limits_.send_timeout;
    const std::string option = timed ? timed->answer_time_limit_option() : "--send-timeout";
    std::string late_answer = canned_answer(HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                                            "The answer took longer than " + seconds_text(limit) +
                                                " (" + option + "); try a narrower query",
                                            false);
    if (request->getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD)
      late_answer.erase(late_answer.find("\r\n\r\n") + 4);  // its head only, as HEAD asks
    answer_deadline.emplace(deadlines_, session.socket(), Clock::now() + limit, &session.race(),
                            std::move(late_answer));
    try {
      handler->handleRequest(*request, response);
    } catch (const std::exception&) {
      // Its writes refused, a late answer may end in an exception: the client has its 503.
      if (!session.race().timed_out()) throw;
    }
    // The watchdog answered and shut the sending side: the client's bytes are drained before
    // the close, so that a reset cannot destroy the 503 it may not have read yet.
    if (session.race().timed_out()) {
      logger_.warning("%s: no answer within %s; answered 503", request->getURI(),
                      seconds_text(limit));
      return After::kLingerAndClose;
    }
    if (keep_alive && response.getKeepAlive() && response.sent() && !session.networkException())
      return After::kKeepAlive;
    return body ? After::kLingerAndClose : After::kClose;
  }

  // Poco's own parser allows 100 fields of 8 KB; real browsers send 1-2 KB.
  static constexpr int kMaxHeadBytes = 16384;
  static constexpr int kSweepInterval = 100;  // ms: how late a timeout may fire
  static constexpr int kPeekInterval = 20;    // ms
  static constexpr auto kLinger = std::chrono::seconds(1);
  static constexpr int kMaxLingering = 1024;

  Poco::Net::ServerSocket socket_;
  const ConnectionLimits limits_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
  Poco::Logger& logger_;
  Poco::Net::HTTPServerParams::Ptr params_;
  const unsigned short port_;
  FileDescriptor epoll_;
  FileDescriptor wake_;
  SocketDeadlines deadlines_;
  std::atomic<bool> stopping_ = false;
  std::atomic<int> open_connections_ = 0;  // waiting, queued and being served

  // Event thread only.
  std::unordered_map<int, Waiting> waiting_;
  std::vector<int> peek_later_;  // connections with bytes not looked at yet
  std::vector<char> peek_buffer_ = std::vector<char>(kMaxHeadBytes);
  int lingering_ = 0;
  bool accept_paused_ = false;
  Clock::time_point accept_resumes_;

  std::mutex jobs_mutex_;
  std::condition_variable jobs_changed_;
  std::deque<Job> jobs_;

  std::mutex returned_mutex_;
  std::vector<Job> returned_;

  std::thread events_thread_;
  std::vector<std::thread> workers_;
};

HttpListener::HttpListener(Poco::Net::ServerSocket socket, const ConnectionLimits& limits,
                           Poco::Net::HTTPRequestHandlerFactory::Ptr factory, Poco::Logger& logger)
    : impl_(std::make_unique<Impl>(std::move(socket), limits, std::move(factory), logger)) {}

HttpListener::~HttpListener() = default;

void HttpListener::start() {
  impl_->start();
}

void HttpListener::stop() {
  impl_->stop();
}

unsigned short HttpListener::port() const {
  return impl_->port();
}

}  // namespace lupa::searchd
