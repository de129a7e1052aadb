#include "lupa/searchd/revision_cache.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace lupa::searchd {
namespace {

std::shared_ptr<const int> value(int number) {
  return std::make_shared<const int>(number);
}

// The value held, or -1 when none.
int held(const RevisionCache<int>& cache, const std::string& revision, const std::string& key) {
  const std::shared_ptr<const int> found = cache.find(revision, key);
  return found ? *found : -1;
}

TEST(RevisionCache, ReturnsWhatWasStoredForTheSameRevisionAndKey) {
  RevisionCache<int> cache(4);
  EXPECT_FALSE(cache.find("r1", "lang=es"));
  cache.store("r1", "lang=es", value(7));
  EXPECT_EQ(held(cache, "r1", "lang=es"), 7);
  EXPECT_FALSE(cache.find("r1", "lang=en"));
}

TEST(RevisionCache, NeverServesAValueOfAnotherRevision) {
  RevisionCache<int> cache(4);
  cache.store("r1", "", value(100));
  EXPECT_FALSE(cache.find("r2", ""));
  // Storing at a newer revision drops everything of the old one.
  cache.store("r2", "lang=es", value(60));
  EXPECT_EQ(cache.size(), 1U);
  EXPECT_FALSE(cache.find("r1", ""));
  EXPECT_FALSE(cache.find("r2", ""));
  EXPECT_EQ(held(cache, "r2", "lang=es"), 60);
}

TEST(RevisionCache, HoldsAtMostItsCapacityDroppingTheOldestFirst) {
  RevisionCache<int> cache(2);
  cache.store("r1", "a", value(1));
  cache.store("r1", "b", value(2));
  cache.store("r1", "a", value(3));  // replaced, not added: "a" stays the oldest
  cache.store("r1", "c", value(4));
  EXPECT_EQ(cache.size(), 2U);
  EXPECT_FALSE(cache.find("r1", "a"));
  EXPECT_EQ(held(cache, "r1", "b"), 2);
  EXPECT_EQ(held(cache, "r1", "c"), 4);
}

TEST(RevisionCache, AValueHandedOutOutlivesItsEviction) {
  RevisionCache<int> cache(1);
  cache.store("r1", "a", value(1));
  const std::shared_ptr<const int> kept = cache.find("r1", "a");
  ASSERT_TRUE(kept);
  cache.store("r2", "a", value(2));
  EXPECT_EQ(*kept, 1);
  EXPECT_EQ(held(cache, "r2", "a"), 2);
}

TEST(RevisionCache, ThreadsStoringAndFindingSeeOnlyTheirRevisionsValues) {
  RevisionCache<int> cache(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&cache, t] {
      const std::string revision = t % 2 == 0 ? "r0" : "r1";
      for (int i = 0; i < 2000; ++i) {
        const std::string key = std::to_string(i % 16);
        cache.store(revision, key, value((t % 2) * 1000 + i % 16));
        const int found = held(cache, revision, key);
        EXPECT_TRUE(found == -1 || found == (t % 2) * 1000 + i % 16);
      }
    });
  for (std::thread& thread : threads) thread.join();
  EXPECT_LE(cache.size(), 8U);
}

}  // namespace
}  // namespace lupa::searchd
