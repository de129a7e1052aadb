#include "lupa/indexer/writer_threads.h"

#include <algorithm>
#include <utility>

namespace lupa::indexer {

WriterThreads::WriterThreads(std::size_t threads, std::uint64_t queued_weight)
    : queued_weight_(queued_weight), queues_(std::max<std::size_t>(threads, 1)) {
  threads_.reserve(queues_.size());
  for (std::size_t thread = 0; thread < queues_.size(); ++thread)
    threads_.emplace_back([this, thread] { run(thread); });
}

WriterThreads::~WriterThreads() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (Queue& queue : queues_) queue.writes.clear();
  }
  changed_.notify_all();
}  // jthreads join here

void WriterThreads::post(std::size_t thread, std::uint64_t weight, std::function<void()> write) {
  std::unique_lock lock(mutex_);
  Queue& queue = queues_.at(thread);
  changed_.wait(lock, [&] {
    return failure_ || queue.weight == 0 || queue.weight + weight <= queued_weight_;
  });
  if (failure_) std::rethrow_exception(failure_);
  queue.writes.emplace_back(weight, std::move(write));
  queue.weight += weight;
  lock.unlock();
  changed_.notify_all();
}

void WriterThreads::wait_for_all() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] {
    return std::all_of(queues_.begin(), queues_.end(),
                       [](const Queue& queue) { return queue.writes.empty() && !queue.running; });
  });
  if (failure_) std::rethrow_exception(failure_);
}

void WriterThreads::run(std::size_t thread) {
  Queue& queue = queues_[thread];
  for (;;) {
    std::pair<std::uint64_t, std::function<void()>> next;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || !queue.writes.empty(); });
      if (stopping_) return;
      next = std::move(queue.writes.front());
      queue.writes.pop_front();
      queue.running = true;
    }
    std::exception_ptr failure;
    try {
      next.second();
    } catch (...) {
      failure = std::current_exception();
    }
    next.second = nullptr;  // what the write held goes before its weight is given back
    {
      std::lock_guard lock(mutex_);
      queue.running = false;
      queue.weight -= next.first;
      if (failure && !failure_) {
        failure_ = failure;
        // Nothing runs after a failure: the run is over, and its transaction with it.
        for (Queue& other : queues_) {
          for (const auto& dropped : other.writes) other.weight -= dropped.first;
          other.writes.clear();
        }
      }
    }
    changed_.notify_all();
  }
}

}  // namespace lupa::indexer
