#include "support/process.h"

#include <Poco/PipeStream.h>
#include <Poco/StreamCopier.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <thread>

#include "support/temp_dir.h"

namespace lupa::testing {

RunResult run_program(const std::filesystem::path& program,
                      const std::vector<std::string>& arguments,
                      const std::map<std::string, std::string>& environment) {
  Poco::Pipe out_pipe, err_pipe;
  Poco::Process::Env env(environment.begin(), environment.end());
  Poco::ProcessHandle handle =
      Poco::Process::launch(program.string(), arguments, ".", nullptr, &out_pipe, &err_pipe, env);
  RunResult result;
  // Read stderr on another thread: a full pipe would otherwise block the child.
  std::thread err_reader([&] {
    Poco::PipeInputStream err_stream(err_pipe);
    Poco::StreamCopier::copyToString(err_stream, result.err);
  });
  Poco::PipeInputStream out_stream(out_pipe);
  Poco::StreamCopier::copyToString(out_stream, result.out);
  err_reader.join();
  result.exit_code = handle.wait();
  return result;
}

RunResult run_indexer(const std::filesystem::path& database,
                      const std::vector<std::filesystem::path>& folders,
                      const std::map<std::string, std::string>& environment) {
  std::vector<std::string> arguments{"--quiet", "--db", database.string()};
  for (const auto& folder : folders) arguments.push_back(folder.string());
  return run_program(program("lupa-indexer"), arguments, environment);
}

struct SearchDaemon::Log {
  std::mutex mutex;
  std::string text;
};

SearchDaemon::SearchDaemon(const std::filesystem::path& database,
                           const std::vector<std::string>& extra_arguments)
    : log_(std::make_shared<Log>()) {
  Poco::Pipe out_pipe, err_pipe;
  std::vector<std::string> arguments{"--db", database.string(), "--port", "0"};
  if (std::find(extra_arguments.begin(), extra_arguments.end(), "--threads") ==
      extra_arguments.end())
    arguments.insert(arguments.end(), {"--threads", "4"});
  arguments.insert(arguments.end(), extra_arguments.begin(), extra_arguments.end());
  handle_ = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(
      program("lupa-searchd").string(), arguments, nullptr, &out_pipe, &err_pipe));
  // Keep draining stderr so the daemon never blocks on a full pipe; tests may read it.
  std::thread([err = std::move(err_pipe), log = log_]() mutable {
    Poco::PipeInputStream stream(err);
    std::string line;
    while (std::getline(stream, line)) {
      std::lock_guard lock(log->mutex);
      log->text += line + "\n";
    }
  }).detach();
  // The daemon prints its URL once it listens; that line gives the port it was given.
  Poco::PipeInputStream out_stream(out_pipe);
  std::string line;
  static const std::regex kServing(R"(on http://127\.0\.0\.1:(\d+)/)");
  while (std::getline(out_stream, line)) {
    std::smatch match;
    if (std::regex_search(line, match, kServing)) {
      port_ = static_cast<unsigned short>(std::stoi(match[1]));
      break;
    }
  }
  if (port_ == 0) throw std::runtime_error("lupa-searchd did not start: " + log());
  // Keep draining stdout so the daemon never blocks on a full pipe.
  std::thread([out = std::move(out_pipe)]() mutable {
    Poco::PipeInputStream rest(out);
    std::string ignored;
    while (std::getline(rest, ignored)) {
    }
  }).detach();
}

long SearchDaemon::pid() const {
  return handle_->id();
}

std::string SearchDaemon::log() const {
  std::lock_guard lock(log_->mutex);
  return log_->text;
}

SearchDaemon::~SearchDaemon() {
  const pid_t pid = handle_->id();
  ::kill(pid, SIGTERM);
  for (int i = 0; i < 50 && running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  if (running()) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
}

// Poco::Process::isRunning() says yes for an exited child not yet reaped; waitpid knows.
bool SearchDaemon::running() const {
  if (reaped_) return false;
  int status = 0;
  reaped_ = ::waitpid(handle_->id(), &status, WNOHANG) == handle_->id();
  return !reaped_;
}

}  // namespace lupa::testing
