#include "lupa/searchd/match_partners.h"

#include <algorithm>
#include <exception>
#include <stdexcept>
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

MatchPartners::Lease MatchPartners::borrow(std::size_t most) {
  std::lock_guard lock(mutex_);
  // Lent partners count as busy from now, before they are given a task: a second request is
  // lent others or none, never queued behind the first.
  const std::size_t lent = std::min(most, idle_);
  idle_ -= lent;
  return Lease(this, lent);
}

MatchPartners::Lease::Lease(Lease&& other) noexcept
    : partners_(other.partners_), lent_(std::exchange(other.lent_, 0)) {}

MatchPartners::Lease::~Lease() {
  if (lent_ == 0) return;
  std::lock_guard lock(partners_->mutex_);
  partners_->idle_ += lent_;
}

std::future<void> MatchPartners::Lease::run(std::function<void()> task) {
  if (lent_ == 0) throw std::logic_error("no partner left on this lease");
  Task given{std::move(task), {}};
  std::future<void> done = given.done.get_future();
  {
    std::lock_guard lock(partners_->mutex_);
    partners_->tasks_.push_back(std::move(given));
  }
  --lent_;
  partners_->task_given_.notify_one();
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
