// Who answers a request whose time is up: the worker computing it, or the listener's watchdog.
//
// A request's time limit starts when it is routed, so it covers computing the answer as well
// as sending it. When the computation outlasts it, the client must still get an answer (a 503
// naming the limit), at the deadline rather than whenever the computation ends, and the late
// answer must then never be written after it. Both sides claim the connection once, by
// compare-and-swap, so exactly one of them writes a status line:
//   computing -> writing    the worker, before its first byte;
//   computing -> timed_out  the watchdog, at the deadline; the worker drops its answer.
// Once writing, the deadline bounds the sending (a slow-reading client) as before: the
// watchdog shuts the connection down under the write.
//
// Thread safety: any member from any thread.
#pragma once

#include <atomic>

namespace lupa::searchd {

class AnswerRace {
 public:
  /// The worker, before it writes: true when its answer may be sent (again true on every later
  /// call), false once the watchdog has answered in its stead.
  bool begin_writing() {
    Phase expected = Phase::kComputing;
    return phase_.compare_exchange_strong(expected, Phase::kWriting) || expected == Phase::kWriting;
  }

  /// The watchdog, at the deadline: true when nothing of the answer was written yet, and the
  /// watchdog must answer instead (true once only: one answer); false when the worker is
  /// writing already.
  bool time_out() {
    Phase expected = Phase::kComputing;
    return phase_.compare_exchange_strong(expected, Phase::kTimedOut);
  }

  bool timed_out() const { return phase_.load() == Phase::kTimedOut; }

 private:
  enum class Phase { kComputing, kWriting, kTimedOut };
  std::atomic<Phase> phase_{Phase::kComputing};
};

}  // namespace lupa::searchd
