// Xapian 1.4's TCP server for its remote backend (RemoteTcpServer, which xapian-tcpsrv runs):
// exported by libxapian but not declared by its installed headers. These declarations follow
// Xapian 1.4's net/tcpserver.h and net/remotetcpserver.h; the members are those of its layout,
// which lupa-shardd checks at start-up (RemoteTcpServerHandle) before relying on it, since a
// different layout would make set_registry() write elsewhere.
#pragma once

#include <xapian.h>

#include <string>
#include <vector>

class TcpServer {
 public:
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;
  virtual ~TcpServer();
  virtual void handle_one_connection(int socket) = 0;
  /// Accepts connections for ever, each served by a child process (fork).
  void run();

  int listen_socket_;
  bool verbose_;
};

class RemoteTcpServer : public TcpServer {
 public:
  /// Binds `host`:`port` and listens; opens `paths` anew for each connection.
  RemoteTcpServer(const std::vector<std::string>& paths, const std::string& host, int port,
                  double active_timeout, double idle_timeout, bool writable, bool verbose);
  void set_registry(const Xapian::Registry& registry) { registry_ = registry; }
  void handle_one_connection(int socket) override;

  const std::vector<std::string> paths_;
  bool writable_;
  double active_timeout_;
  double idle_timeout_;
  Xapian::Registry registry_;
};
