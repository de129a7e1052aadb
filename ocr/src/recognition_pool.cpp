#include "recognition_pool.h"

namespace lupa::ocr {

RecognitionPool::RecognitionPool(RecognizerSettings settings, unsigned threads)
    : settings_(std::move(settings)) {
  if (threads == 0) threads = 1;
  threads_.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

RecognitionPool::~RecognitionPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

std::future<PageText> RecognitionPool::submit(Job job) {
  std::future<PageText> result = job.get_future();
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
  return result;
}

void RecognitionPool::run() {
  std::optional<PageRecognizer> engine;
  EngineAccess access(engine, settings_);
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job(access);  // exceptions land in the job's future
  }
}

}  // namespace lupa::ocr
