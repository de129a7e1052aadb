#include "lupa/searchd/answer_race.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace lupa::searchd {
namespace {

TEST(AnswerRace, AWorkerThatWritesFirstKeepsItsAnswerAndTheWatchdogOnlyCutsTheSending) {
  AnswerRace race;
  EXPECT_TRUE(race.begin_writing());
  EXPECT_TRUE(race.begin_writing()) << "every later write of the same answer";
  EXPECT_FALSE(race.time_out());
  EXPECT_FALSE(race.timed_out());
  EXPECT_TRUE(race.begin_writing());
}

TEST(AnswerRace, AWatchdogThatTimesOutFirstAnswersOnceAndTheWorkerMayNeverWrite) {
  AnswerRace race;
  EXPECT_TRUE(race.time_out());
  EXPECT_TRUE(race.timed_out());
  EXPECT_FALSE(race.time_out()) << "a second 503 on the same connection";
  EXPECT_FALSE(race.begin_writing());
  EXPECT_FALSE(race.begin_writing());
  EXPECT_TRUE(race.timed_out());
}

// Worker and watchdog on two threads, started together many times: exactly one of them wins,
// and the loser sees it.
TEST(AnswerRace, ExactlyOneSideWinsWhenBothClaimAtOnce) {
  for (int round = 0; round < 2000; ++round) {
    AnswerRace race;
    std::atomic<bool> go = false;
    bool worker_wrote = false;
    bool watchdog_answered = false;
    std::thread worker([&] {
      while (!go) std::this_thread::yield();
      worker_wrote = race.begin_writing();
    });
    std::thread watchdog([&] {
      while (!go) std::this_thread::yield();
      watchdog_answered = race.time_out();
    });
    go = true;
    worker.join();
    watchdog.join();
    ASSERT_NE(worker_wrote, watchdog_answered) << "round " << round;
    ASSERT_EQ(race.timed_out(), watchdog_answered) << "round " << round;
  }
}

}  // namespace
}  // namespace lupa::searchd
