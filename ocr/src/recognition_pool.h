// Recognition threads, each owning one Tesseract engine, shared by every document being read.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "lupa/ocr/page_recognizer.h"

namespace lupa::ocr {

/// Gives a job its thread's engine, loading the models on first use so that pages found in the
/// cache never pay for it.
class EngineAccess {
 public:
  explicit EngineAccess(std::optional<PageRecognizer>& engine, const RecognizerSettings& settings)
      : engine_(engine), settings_(settings) {}
  PageRecognizer& engine() {
    if (!engine_) engine_.emplace(settings_);
    return *engine_;
  }

 private:
  std::optional<PageRecognizer>& engine_;
  const RecognizerSettings& settings_;
};

class RecognitionPool {
 public:
  using Job = std::packaged_task<PageText(EngineAccess&)>;

  RecognitionPool(RecognizerSettings settings, unsigned threads);
  ~RecognitionPool();
  RecognitionPool(const RecognitionPool&) = delete;
  RecognitionPool& operator=(const RecognitionPool&) = delete;

  std::future<PageText> submit(Job job);
  unsigned size() const { return static_cast<unsigned>(threads_.size()); }

 private:
  void run();

  RecognizerSettings settings_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace lupa::ocr
