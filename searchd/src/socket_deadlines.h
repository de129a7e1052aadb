// Ends an answer whose time is up even while its thread is blocked writing to a client that
// reads slowly: a watchdog thread shuts the connection down at the deadline, so the blocked
// write fails at once instead of waiting for the client. A per-call send timeout cannot do
// this: a client that takes a byte now and then keeps every call alive.
//
// An answer still being computed at the deadline (nothing written yet: its AnswerRace is won
// by the watchdog) is answered by the watchdog itself with a small prepared answer, a 503
// naming the limit, and the connection's sending side is shut after it; the worker drops its
// own answer when it comes.
#pragma once

#include <Poco/Exception.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <sys/socket.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "lupa/searchd/answer_race.h"

namespace lupa::searchd {

class SocketDeadlines {
 public:
  using Clock = std::chrono::steady_clock;

  SocketDeadlines() : thread_([this] { watch(); }) {}
  ~SocketDeadlines() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  SocketDeadlines(const SocketDeadlines&) = delete;
  SocketDeadlines& operator=(const SocketDeadlines&) = delete;

  /// While it lives, `socket` is shut down when `deadline` passes; but when `race` (which must
  /// outlive the guard) is still computing then, `late_answer` is sent first, and the socket
  /// is shut for sending only. `late_answer` must fit an empty send buffer: it is sent without
  /// waiting, so a client that does not read cannot hold the watchdog.
  class Guard {
   public:
    Guard(SocketDeadlines& owner, const Poco::Net::StreamSocket& socket, Clock::time_point deadline,
          AnswerRace* race = nullptr, std::string late_answer = {})
        : owner_(owner) {
      std::lock_guard lock(owner_.mutex_);
      id_ = owner_.next_id_++;
      owner_.watched_.emplace(id_, Watched{deadline, socket, race, std::move(late_answer)});
      // Every request takes a guard: wake the watchdog only when it would sleep past this one.
      if (deadline < owner_.sleeping_until_) owner_.changed_.notify_all();
    }
    ~Guard() {
      std::lock_guard lock(owner_.mutex_);
      owner_.watched_.erase(id_);
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    SocketDeadlines& owner_;
    std::uint64_t id_ = 0;
  };

 private:
  struct Watched {
    Clock::time_point deadline;
    Poco::Net::StreamSocket socket;
    AnswerRace* race = nullptr;
    std::string late_answer;
    bool fired = false;
  };

  static void fire(Watched& watched) {
    try {
      if (watched.race && watched.race->time_out()) {
        const int fd = watched.socket.impl()->sockfd();
        [[maybe_unused]] const auto sent =
            ::send(fd, watched.late_answer.data(), watched.late_answer.size(),
                   MSG_NOSIGNAL | MSG_DONTWAIT);
        // Sending side only: the worker still owns the socket, and closing it with the
        // client's bytes unread would reset the connection under the answer.
        ::shutdown(fd, SHUT_WR);
      } else {
        watched.socket.shutdown();
      }
    } catch (const Poco::Exception&) {
      // the client closed it already
    }
  }

  void watch() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      // At most one entry per worker thread, so a scan is cheap.
      auto next = Clock::time_point::max();
      const auto now = Clock::now();
      for (auto& [id, watched] : watched_) {
        if (watched.fired) continue;
        if (watched.deadline <= now) {
          watched.fired = true;
          fire(watched);
        } else {
          next = std::min(next, watched.deadline);
        }
      }
      sleeping_until_ = next;
      if (next == Clock::time_point::max())
        changed_.wait(lock);
      else
        changed_.wait_until(lock, next);
      sleeping_until_ = Clock::time_point::min();  // awake: a new guard needs no wake-up
    }
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::uint64_t, Watched> watched_;
  std::uint64_t next_id_ = 0;
  Clock::time_point sleeping_until_ = Clock::time_point::min();
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the members it uses exist
};

}  // namespace lupa::searchd
