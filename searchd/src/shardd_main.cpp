// lupa-shardd: serves Lupa databases, read-only, to lupa-searchd over Xapian's remote protocol,
// with Lupa's match spies and posting sources registered (shard_registry), so that facet counts
// and the agency signal are computed on the shard and merged exactly by the searcher.
// Exit status: 0 after --help, 2 when it cannot start (options it cannot read, a database that
// cannot be opened, an address that cannot be bound, a Xapian whose server layout is not the
// one expected). It serves until killed (SIGTERM).
#include <Poco/Exception.h>
#include <Poco/Util/Application.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xapian.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "lupa/searchd/shard_registry.h"
#include "xapian_tcp_server.h"

namespace {

using Poco::Util::Option;
using Poco::Util::OptionSet;

// The server, built by libxapian's constructor in storage larger than the declared class, and
// checked against what it was given before anything relies on the declared layout.
class RemoteTcpServerHandle {
 public:
  RemoteTcpServerHandle(const std::vector<std::string>& paths, const std::string& host, int port,
                        double active_timeout, double idle_timeout) {
    server_ = new (storage_) RemoteTcpServer(paths, host, port, active_timeout, idle_timeout,
                                             /*writable=*/false, /*verbose=*/false);
    if (server_->writable_ || server_->active_timeout_ != active_timeout ||
        server_->idle_timeout_ != idle_timeout || server_->paths_ != paths ||
        !is_listening(server_->listen_socket_))
      throw std::runtime_error(
          "this libxapian's RemoteTcpServer is not laid out as Xapian 1.4's; rebuild "
          "lupa-shardd against the Xapian it runs with");
    server_->set_registry(lupa::searchd::shard_registry());
  }
  // Never destroyed: the process serves until it is killed.
  RemoteTcpServer& server() { return *server_; }

  unsigned short port() const {
    sockaddr_storage address{};
    socklen_t size = sizeof address;
    if (::getsockname(server_->listen_socket_, reinterpret_cast<sockaddr*>(&address), &size) != 0)
      return 0;
    if (address.ss_family == AF_INET6)
      return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
    return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
  }

 private:
  static bool is_listening(int socket) {
    int listening = 0;
    socklen_t size = sizeof listening;
    return ::getsockopt(socket, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) == 0 && listening;
  }
  alignas(std::max_align_t) unsigned char storage_[1024];
  RemoteTcpServer* server_ = nullptr;
};

class ShardServer final : public Poco::Util::Application {
 protected:
  void defineOptions(OptionSet& options) override {
    Application::defineOptions(options);
    options.addOption(
        Option("db", "d",
               "Lupa database folder (or stub file) to serve, read-only; repeat to serve several "
               "as one shard")
            .required(true)
            .repeatable(true)
            .argument("DIR")
            .callback(Poco::Util::OptionCallback<ShardServer>(this, &ShardServer::add_db)));
    options.addOption(Option("address", "a", "address to listen on, default 127.0.0.1 (loopback)")
                          .argument("ADDR")
                          .binding("address"));
    options.addOption(Option("port", "p", "TCP port (0: any free port, printed), default 7331")
                          .argument("N")
                          .binding("port"));
    options.addOption(Option("active-timeout", "",
                             "seconds a searcher may take between the messages of one "
                             "operation before its connection is closed, default 30")
                          .argument("SECONDS")
                          .binding("active-timeout"));
    options.addOption(Option("idle-timeout", "",
                             "seconds a searcher's connection may stay idle between operations, "
                             "default 600")
                          .argument("SECONDS")
                          .binding("idle-timeout"));
    options.addOption(Option("max-connections", "",
                             "connections served at once (one thread each); more are closed at "
                             "once, default 64")
                          .argument("N")
                          .binding("max-connections"));
    options.addOption(
        Option("help", "h", "show this help")
            .callback(Poco::Util::OptionCallback<ShardServer>(this, &ShardServer::show_help)));
  }

  void add_db(const std::string&, const std::string& value) { databases_.push_back(value); }

  void show_help(const std::string&, const std::string&) {
    Poco::Util::HelpFormatter help(options());
    help.setCommand(commandName());
    help.setUsage("--db DIR [--db DIR ...] [--address ADDR] [--port N] ...");
    help.setHeader(
        "Serves Lupa databases read-only over Xapian's remote protocol, with Lupa's facet "
        "counters and posting sources registered, for lupa-searchd --db tcp://HOST:PORT "
        "(docs/scale-out.md).");
    help.format(std::cout);
    help_shown_ = true;
    stopOptionsProcessing();
  }

  double seconds(const std::string& name, double fallback) {
    const double value = config().getDouble(name, fallback);
    if (!(value >= 0.1 && value <= 86400))
      throw Poco::InvalidArgumentException("--" + name + " must be 0.1-86400 seconds");
    return value;
  }

  int main(const std::vector<std::string>&) override {
    if (help_shown_) return EXIT_OK;
    try {
      const std::string address = config().getString("address", "127.0.0.1");
      const int port = config().getInt("port", 7331);
      if (port < 0 || port > 65535) throw Poco::InvalidArgumentException("--port must be 0-65535");
      const int max_connections = config().getInt("max-connections", 64);
      if (max_connections < 1 || max_connections > 4096)
        throw Poco::InvalidArgumentException("--max-connections must be 1-4096");
      const double active_timeout = seconds("active-timeout", 30);
      const double idle_timeout = seconds("idle-timeout", 600);
      // Each database opened once now, so that a wrong path stops the start, naming it.
      for (const std::string& path : databases_) try {
          Xapian::Database(path).get_doccount();
        } catch (const Xapian::Error& error) {
          throw std::runtime_error("cannot open --db " + path + ": " + error.get_description());
        }
      auto handle = std::make_unique<RemoteTcpServerHandle>(databases_, address, port,
                                                            active_timeout, idle_timeout);
      std::cout << "lupa-shardd: serving " << databases_.size() << " database(s) on " << address
                << ":" << handle->port() << std::endl;
      serve(handle->server(), max_connections);
    } catch (const Xapian::Error& error) {
      std::cerr << "lupa-shardd: " << error.get_description() << "\n";
    } catch (const Poco::Exception& error) {
      std::cerr << "lupa-shardd: " << error.displayText() << "\n";
    } catch (const std::exception& error) {
      std::cerr << "lupa-shardd: " << error.what() << "\n";
    }
    return 2;
  }

 private:
  // A thread per connection (Xapian's handle_one_connection may be called by several threads
  // at once; each opens the databases afresh, so a new connection sees the newest revision),
  // rather than TcpServer::run()'s process per connection: a stopped server leaves no child
  // serving on, and connections are bounded.
  [[noreturn]] static void serve(RemoteTcpServer& server, int max_connections) {
    std::atomic<int> serving{0};
    for (;;) {
      const int connection = ::accept(server.listen_socket_, nullptr, nullptr);
      if (connection < 0) {
        if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE) {
          if (errno == EMFILE || errno == ENFILE) std::this_thread::sleep_for(kBackOff);
          continue;
        }
        throw std::runtime_error(std::string("accept failed: ") + std::strerror(errno));
      }
      if (serving.load() >= max_connections) {
        ::close(connection);
        continue;
      }
      ++serving;
      std::thread([&server, &serving, connection] {
        try {
          server.handle_one_connection(connection);
        } catch (...) {
          // Xapian's server reports what went wrong to its client; the connection ends here.
        }
        ::close(connection);
        --serving;
      }).detach();
    }
  }

  static constexpr std::chrono::milliseconds kBackOff{100};
  std::vector<std::string> databases_;
  bool help_shown_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  ShardServer server;
  try {
    server.init(argc, argv);
  } catch (const Poco::Exception& error) {
    std::cerr << "lupa-shardd: " << error.displayText() << " (see --help)\n";
    return 2;
  }
  return server.run();
}
