#include "support/shards.h"

#include <Poco/PipeStream.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <chrono>
#include <cstdint>
#include <regex>
#include <stdexcept>
#include <thread>

#include "lupa/analyzers/schema.h"
#include "support/temp_dir.h"

namespace lupa::testing {

std::size_t shard_of(const std::string& document_path, std::size_t shards) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : document_path) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return static_cast<std::size_t>(hash % shards);
}

std::vector<unsigned> split_by_path(const std::filesystem::path& one,
                                    const std::vector<std::filesystem::path>& shards) {
  const Xapian::Database source(one.string());
  std::vector<Xapian::WritableDatabase> targets;
  for (const auto& path : shards)
    targets.emplace_back(path.string(), Xapian::DB_CREATE_OR_OVERWRITE);
  std::vector<unsigned> passages(shards.size());
  const std::string file_prefix(schema::kFilePrefix);
  for (auto id = source.postlist_begin(""); id != source.postlist_end(""); ++id) {
    const Xapian::Document from = source.get_document(*id);
    Xapian::Document to;
    to.set_data(from.get_data());
    for (auto value = from.values_begin(); value != from.values_end(); ++value)
      to.add_value(value.get_valueno(), *value);
    std::string document_path;
    for (auto term = from.termlist_begin(); term != from.termlist_end(); ++term) {
      const std::string name = *term;
      if (name.starts_with(file_prefix) && document_path.empty()) document_path = name;
      Xapian::termcount positions = 0;
      for (auto position = term.positionlist_begin(); position != term.positionlist_end();
           ++position, ++positions)
        to.add_posting(name, *position);
      const Xapian::termcount wdf = term.get_wdf();
      if (wdf > positions)
        to.add_term(name, wdf - positions);
      else if (positions == 0)
        to.add_boolean_term(name);
    }
    if (document_path.empty()) throw std::runtime_error("a passage without a file term");
    const std::size_t shard = shard_of(document_path, shards.size());
    targets[shard].add_document(to);
    ++passages[shard];
  }
  for (Xapian::WritableDatabase& target : targets) {
    for (auto key = source.metadata_keys_begin(); key != source.metadata_keys_end(); ++key)
      target.set_metadata(*key, source.get_metadata(*key));
    for (auto word = source.spellings_begin(); word != source.spellings_end(); ++word)
      target.add_spelling(*word, word.get_termfreq());
    target.commit();
  }
  return passages;
}

ShardServer::ShardServer(const std::filesystem::path& database, unsigned short port) {
  Poco::Pipe out_pipe;
  const std::vector<std::string> arguments{"--db", database.string(), "--port",
                                           std::to_string(port)};
  handle_ = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(
      program("lupa-shardd").string(), arguments, nullptr, &out_pipe, nullptr));
  Poco::PipeInputStream out(out_pipe);
  std::string line;
  static const std::regex kServing(R"(on 127\.0\.0\.1:(\d+))");
  while (std::getline(out, line)) {
    std::smatch match;
    if (std::regex_search(line, match, kServing)) {
      port_ = static_cast<unsigned short>(std::stoi(match[1]));
      break;
    }
  }
  if (port_ == 0) throw std::runtime_error("lupa-shardd did not start on " + database.string());
  std::thread([out = std::move(out_pipe)]() mutable {
    Poco::PipeInputStream rest(out);
    std::string ignored;
    while (std::getline(rest, ignored)) {
    }
  }).detach();
}

void ShardServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  const pid_t pid = static_cast<pid_t>(handle_->id());
  ::kill(pid, SIGTERM);
  for (int i = 0; i < 50; ++i) {
    if (::waitpid(pid, nullptr, WNOHANG) == pid) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

ShardServer::~ShardServer() {
  stop();
}

SilentShard::SilentShard(unsigned short port) : listener_(::socket(AF_INET, SOCK_STREAM, 0)) {
  if (listener_ < 0) throw std::runtime_error("no socket for a silent shard");
  const int yes = 1;
  ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  socklen_t length = sizeof address;
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::listen(listener_, 64) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(listener_);
    throw std::runtime_error("a silent shard cannot listen on port " + std::to_string(port));
  }
  port_ = ntohs(address.sin_port);
  accepting_ = std::thread([this] {
    while (!stopping_) {
      pollfd ready{listener_, POLLIN, 0};
      if (::poll(&ready, 1, 50) <= 0) continue;
      const int connection = ::accept(listener_, nullptr, nullptr);
      if (connection < 0) continue;
      accepted_.push_back(connection);  // held open, never written to
      ++connections_;
    }
  });
}

SilentShard::~SilentShard() {
  stopping_ = true;
  accepting_.join();
  for (const int connection : accepted_) ::close(connection);
  ::close(listener_);
}

}  // namespace lupa::testing
