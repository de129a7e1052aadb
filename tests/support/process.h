// Runs the real programs for end-to-end tests.
#pragma once

#include <Poco/Pipe.h>
#include <Poco/Process.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lupa::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs `program` with `arguments` to completion, capturing its output.
RunResult run_program(const std::filesystem::path& program,
                      const std::vector<std::string>& arguments,
                      const std::map<std::string, std::string>& environment = {});

/// Runs lupa-indexer --db `database` over `folders`.
RunResult run_indexer(const std::filesystem::path& database,
                      const std::vector<std::filesystem::path>& folders,
                      const std::map<std::string, std::string>& environment = {});

/// lupa-searchd on a free loopback port, stopped (SIGTERM, then SIGKILL) on destruction.
class SearchDaemon {
 public:
  /// `extra_arguments` follow --db, --port 0 and --threads 4 (unless they give --threads).
  explicit SearchDaemon(const std::filesystem::path& database,
                        const std::vector<std::string>& extra_arguments = {});
  ~SearchDaemon();
  SearchDaemon(const SearchDaemon&) = delete;
  SearchDaemon& operator=(const SearchDaemon&) = delete;

  unsigned short port() const { return port_; }
  long pid() const;
  /// True while the process has not exited.
  bool running() const;
  /// What the daemon has written to stderr (its log) so far.
  std::string log() const;

 private:
  std::unique_ptr<Poco::ProcessHandle> handle_;
  unsigned short port_ = 0;
  mutable bool reaped_ = false;
  struct Log;
  std::shared_ptr<Log> log_;  // shared with the thread that reads stderr
};

}  // namespace lupa::testing
