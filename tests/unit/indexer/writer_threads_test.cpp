#include "lupa/indexer/writer_threads.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace lupa::indexer {
namespace {

TEST(WriterThreads, EachThreadRunsItsWritesInTheOrderGivenAndOnItsOwnThread) {
  std::mutex mutex;
  std::vector<std::vector<int>> done(2);
  std::vector<std::set<std::thread::id>> ran_on(2);
  {
    WriterThreads threads(2, 1000);
    for (int i = 0; i < 50; ++i)
      threads.post(static_cast<std::size_t>(i % 2), 1, [&, i] {
        std::lock_guard lock(mutex);
        done[static_cast<std::size_t>(i % 2)].push_back(i);
        ran_on[static_cast<std::size_t>(i % 2)].insert(std::this_thread::get_id());
      });
    threads.wait_for_all();
    ASSERT_EQ(done[0].size(), 25u);
    ASSERT_EQ(done[1].size(), 25u);
  }
  for (std::size_t thread = 0; thread < 2; ++thread) {
    EXPECT_TRUE(std::is_sorted(done[thread].begin(), done[thread].end()));
    EXPECT_EQ(ran_on[thread].size(), 1u);
    EXPECT_FALSE(ran_on[thread].contains(std::this_thread::get_id()));
  }
  EXPECT_NE(*ran_on[0].begin(), *ran_on[1].begin());
}

TEST(WriterThreads, TheTwoThreadsWriteAtTheSameTime) {
  WriterThreads threads(2, 1000);
  std::promise<void> first_started, second_started;
  std::shared_future<void> first = first_started.get_future().share();
  std::shared_future<void> second = second_started.get_future().share();
  std::atomic<bool> both_seen{true};
  // Each waits for the other to have begun: one thread running both would wait for ever.
  threads.post(0, 1, [&] {
    first_started.set_value();
    if (second.wait_for(std::chrono::seconds(20)) != std::future_status::ready) both_seen = false;
  });
  threads.post(1, 1, [&] {
    second_started.set_value();
    if (first.wait_for(std::chrono::seconds(20)) != std::future_status::ready) both_seen = false;
  });
  threads.wait_for_all();
  EXPECT_TRUE(both_seen);
}

TEST(WriterThreads, AFullQueueMakesTheCallerWaitButAHeavyWriteGoesAlone) {
  WriterThreads threads(1, 10);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> done{0};
  threads.post(0, 100, [&] {  // heavier than the bound, into an empty queue: accepted
    released.wait();
    ++done;
  });
  // The queue holds 100: this post waits until the first write is over.
  auto second = std::async(std::launch::async, [&] { threads.post(0, 1, [&] { ++done; }); });
  EXPECT_EQ(second.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  release.set_value();
  second.get();
  threads.wait_for_all();
  EXPECT_EQ(done, 2);
}

TEST(WriterThreads, AFailureIsRethrownToTheCallerAndNothingRunsAfterIt) {
  WriterThreads threads(2, 1000);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> ran_after{0};
  threads.post(0, 1, [&] {
    released.wait();
    throw std::runtime_error("disk full");
  });
  for (int i = 0; i < 5; ++i) threads.post(0, 1, [&] { ++ran_after; });
  release.set_value();
  try {
    threads.wait_for_all();
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "disk full");
  }
  EXPECT_EQ(ran_after, 0);
  // Later writes, to any thread, are refused with the same failure.
  try {
    threads.post(1, 1, [&] { ++ran_after; });
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "disk full");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(ran_after, 0);
}

TEST(WriterThreads, DestroyedWithWritesQueuedItDropsThoseNotBegun) {
  std::atomic<int> ran{0};
  std::promise<void> started;
  {
    WriterThreads threads(1, 1000);
    threads.post(0, 1, [&] {
      started.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      ++ran;
    });
    for (int i = 0; i < 10; ++i) threads.post(0, 1, [&] { ++ran; });
    started.get_future().wait();
  }  // as after a failure elsewhere: the running write ends, the rest are dropped
  EXPECT_EQ(ran, 1);
}

}  // namespace
}  // namespace lupa::indexer
