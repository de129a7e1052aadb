// Threads that take parts of a query's match while the thread serving the request runs its
// own part, so that one query uses the cores the machine has idle. Partners are only borrowed
// when idle: under load every request runs whole on its own thread, and no request waits for
// another's part.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace lupa::searchd {

class MatchPartners {
 public:
  /// Starts `threads` partner threads (none: borrow() always lends none).
  explicit MatchPartners(std::size_t threads);
  /// Lets the tasks started finish, then joins every thread.
  ~MatchPartners();
  MatchPartners(const MatchPartners&) = delete;
  MatchPartners& operator=(const MatchPartners&) = delete;

  /// Idle partners lent to one request: each runs one task. Those given no task are idle
  /// again when the lease ends.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    /// Partners lent and not yet given a task.
    std::size_t size() const { return lent_; }
    /// Runs `task` on one of the partners lent (size() must be above 0) and returns a future
    /// ready when it is done (an exception `task` throws is rethrown by its get()), by which
    /// time the partner counts as idle again.
    std::future<void> run(std::function<void()> task);

   private:
    friend class MatchPartners;
    Lease(MatchPartners* partners, std::size_t lent) : partners_(partners), lent_(lent) {}
    MatchPartners* partners_;
    std::size_t lent_;
  };

  /// Lends up to `most` idle partners (none when every partner is busy).
  Lease borrow(std::size_t most);

  std::size_t threads() const { return threads_.size(); }

 private:
  void serve();

  std::mutex mutex_;
  std::condition_variable task_given_;
  struct Task {
    std::function<void()> work;
    std::promise<void> done;
  };
  std::deque<Task> tasks_;
  std::size_t idle_ = 0;  ///< partners neither running, promised nor lent a task
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace lupa::searchd
