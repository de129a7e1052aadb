// Threads that take one half of a query's match while the thread serving the request runs the
// other, so that one query uses two cores when the machine has one idle. A partner is only
// borrowed when it is idle: under load every request runs whole on its own thread, and no
// request waits for another's half.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace lupa::searchd {

class MatchPartners {
 public:
  /// Starts `threads` partner threads (none: try_run() always declines).
  explicit MatchPartners(std::size_t threads);
  /// Lets the tasks started finish, then joins every thread.
  ~MatchPartners();
  MatchPartners(const MatchPartners&) = delete;
  MatchPartners& operator=(const MatchPartners&) = delete;

  /// Runs `task` on an idle partner thread and returns a future ready when it is done (an
  /// exception `task` throws is rethrown by the future's get()), by which time the partner
  /// counts as idle again; nullopt, and `task` is not run, when every partner is busy.
  std::optional<std::future<void>> try_run(std::function<void()> task);

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
  std::size_t idle_ = 0;  ///< partners neither running nor promised a task
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace lupa::searchd
