#include "lupa/searchd/match_partners.h"

#include <exception>
#include <utility>

namespace lupa::searchd {

MatchPartners::MatchPartners(std::size_t threads) : idle_(threads) {
  threads_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { serve(); });
}

MatchPartners::~MatchPartners() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  task_given_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

std::optional<std::future<void>> MatchPartners::try_run(std::function<void()> task) {
  Task given{std::move(task), {}};
  std::future<void> done = given.done.get_future();
  {
    std::lock_guard lock(mutex_);
    // A partner counts as busy from the moment it is promised a task, before it takes it: a
    // second request is declined rather than queued behind the first.
    if (idle_ == 0) return std::nullopt;
    --idle_;
    tasks_.push_back(std::move(given));
  }
  task_given_.notify_one();
  return done;
}

void MatchPartners::serve() {
  std::unique_lock lock(mutex_);
  for (;;) {
    task_given_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
    if (tasks_.empty()) return;  // stopping, nothing left to run
    Task task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    std::exception_ptr failed;
    try {
      task.work();
    } catch (...) {
      failed = std::current_exception();
    }
    lock.lock();
    // Idle again before the requester hears it is done: its next match may have this partner.
    ++idle_;
    lock.unlock();
    if (failed)
      task.done.set_exception(failed);
    else
      task.done.set_value();
    lock.lock();
  }
}

}  // namespace lupa::searchd
