// One thread per database writer, each running the writes given to it in the order given.
//
// Xapian's writer is single-threaded, and at tens of thousands of passages it was a run's
// limit: the workers waited on one thread writing every database. A run writes N databases
// (shards, or the partial databases of a run from nothing: shard_layout.h), and these
// threads write them side by side. Each database is only ever touched by its own thread while
// writes are in flight; the caller waits for them all (wait_for_all) before it reads or writes
// any database itself.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace lupa::indexer {

class WriterThreads {
 public:
  /// `threads` threads (at least one). A thread's queue holds at most `queued_weight` of work
  /// (see post), so that what waits to be written stays bounded in memory.
  WriterThreads(std::size_t threads, std::uint64_t queued_weight);
  /// Drops the writes not begun, waits for those running, and joins: after a failure, the
  /// caller's unwinding must not wait for the rest of the run to be written.
  ~WriterThreads();
  WriterThreads(const WriterThreads&) = delete;
  WriterThreads& operator=(const WriterThreads&) = delete;

  std::size_t size() const { return queues_.size(); }

  /// Queues `write` on thread `thread`, after the writes queued there before. Waits while
  /// that queue holds `queued_weight` or more, unless it is empty (a heavier write goes alone).
  /// Rethrows, here and at once, the first exception a write threw, and nothing runs after it.
  void post(std::size_t thread, std::uint64_t weight, std::function<void()> write);

  /// Waits until every write queued ran; then rethrows the first exception one threw.
  void wait_for_all();

 private:
  struct Queue {
    std::deque<std::pair<std::uint64_t, std::function<void()>>> writes;
    std::uint64_t weight = 0;  ///< of the writes queued, and of the one running
    bool running = false;
  };
  void run(std::size_t thread);

  const std::uint64_t queued_weight_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Queue> queues_;
  std::exception_ptr failure_;
  bool stopping_ = false;
  std::vector<std::jthread> threads_;  // last: joined before the members they use go
};

}  // namespace lupa::indexer
