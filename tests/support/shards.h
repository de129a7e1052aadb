// Shards for end-to-end tests: one database's passages split by document path, and the real
// lupa-shardd serving a shard on a loopback port.
#pragma once

#include <Poco/Process.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace lupa::testing {

/// Copies every passage of database `one` (its data, values, terms with their wdf and
/// positions), in document id order, into shard `hash(document path) % shards.size()`, and
/// every metadata entry and spelling word into each shard: the same passages as `one`, split
/// as a sharded index is (by file, never by document id). Returns the passages per shard.
std::vector<unsigned> split_by_path(const std::filesystem::path& one,
                                    const std::vector<std::filesystem::path>& shards);

/// The shard `document_path`'s passages go to among `shards` (FNV-1a of the path).
std::size_t shard_of(const std::string& document_path, std::size_t shards);

/// lupa-shardd serving `database` on a free loopback port, or on `port` when given (a shard
/// server restarted where it was); stopped on destruction or stop().
class ShardServer {
 public:
  explicit ShardServer(const std::filesystem::path& database, unsigned short port = 0);
  ~ShardServer();
  ShardServer(const ShardServer&) = delete;
  ShardServer& operator=(const ShardServer&) = delete;

  unsigned short port() const { return port_; }
  std::string url() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
  /// SIGTERM, then SIGKILL if it lingers; waits until it has exited.
  void stop();

 private:
  std::unique_ptr<Poco::ProcessHandle> handle_;
  unsigned short port_ = 0;
  bool stopped_ = false;
};

/// A "shard server" that takes every connection on a loopback port and never says a word: what
/// a searcher sees of a server that hangs (a stopped process, a full disk, a lost route).
/// Counts the connections it took; closes them all on destruction.
class SilentShard {
 public:
  /// On a free loopback port, or on `port` (where a shard server was).
  explicit SilentShard(unsigned short port = 0);
  ~SilentShard();
  SilentShard(const SilentShard&) = delete;
  SilentShard& operator=(const SilentShard&) = delete;

  unsigned short port() const { return port_; }
  std::string url() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
  /// Connections taken so far.
  int connections() const { return connections_.load(); }

 private:
  int listener_ = -1;
  unsigned short port_ = 0;
  std::atomic<int> connections_{0};
  std::atomic<bool> stopping_{false};
  std::vector<int> accepted_;  // only touched by the accepting thread until it is joined
  std::thread accepting_;
};

}  // namespace lupa::testing
