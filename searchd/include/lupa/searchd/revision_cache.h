// Answers computed from one revision of the index, kept until the index changes: what every
// request would otherwise compute again over the whole index (browse counts, the facet
// listing).
//
// Thread safety: every member may be called from any thread. The mutex is held only to look
// up or store a pointer, never while a value is computed, so requests are not serialised:
// two threads missing the same key both compute it, and the second store wins (both values
// are of the same revision, hence equal).
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace lupa::searchd {

template <typename Value>
class RevisionCache {
 public:
  /// Holds at most `capacity` values (at least one); the oldest stored goes first.
  explicit RevisionCache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  /// The value stored for `key` at `revision`, or null. A value of another revision is never
  /// returned.
  std::shared_ptr<const Value> find(const std::string& revision, const std::string& key) const {
    std::lock_guard lock(mutex_);
    if (revision != revision_) return nullptr;
    const auto found = values_.find(key);
    return found == values_.end() ? nullptr : found->second;
  }

  /// Stores `value` for `key` at `revision`. A revision other than the one held drops every
  /// value held: the index moved on (a request still reading an older revision empties the
  /// cache too, which costs a recomputation but never serves a stale value).
  void store(const std::string& revision, const std::string& key,
             std::shared_ptr<const Value> value) {
    std::lock_guard lock(mutex_);
    if (revision != revision_) {
      values_.clear();
      order_.clear();
      revision_ = revision;
    }
    if (!values_.insert_or_assign(key, std::move(value)).second) return;
    order_.push_back(key);
    while (values_.size() > capacity_) {
      values_.erase(order_.front());
      order_.pop_front();
    }
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return values_.size();
  }

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::string revision_;
  std::map<std::string, std::shared_ptr<const Value>> values_;
  std::deque<std::string> order_;  // keys, oldest stored first
};

}  // namespace lupa::searchd
