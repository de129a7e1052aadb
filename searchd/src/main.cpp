// lupa-searchd: serves the search API over HTTP until SIGINT or SIGTERM.
// Exit status: 0 after a clean stop, 2 when it cannot start (no index, port in use), 78
// (EX_CONFIG, from Poco) for options it cannot read.
#include <Poco/Exception.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>
#include <xapian.h>

#include <iostream>

#include "lupa/searchd/http_server.h"

namespace {

using Poco::Util::Option;
using Poco::Util::OptionSet;

class SearchDaemon final : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(OptionSet& options) override {
    ServerApplication::defineOptions(options);
    options.addOption(
        Option("db", "d", "Xapian database folder; repeat to search several shards")
            .required(true)
            .repeatable(true)
            .argument("DIR")
            .callback(Poco::Util::OptionCallback<SearchDaemon>(this, &SearchDaemon::add_db)));
    options.addOption(Option("port", "p", "TCP port (0: any free port), default 8080")
                          .argument("N")
                          .binding("port"));
    options.addOption(Option("bind", "b", "address to listen on, default 127.0.0.1")
                          .argument("ADDR")
                          .binding("bind"));
    options.addOption(
        Option("threads", "t", "request threads, default 8").argument("N").binding("threads"));
    options.addOption(Option("baseline-ranking", "",
                             "plain ranking for comparisons: one stemmer, no glossary, no "
                             "spelling, no language preference, no collapsing of translations")
                          .binding("baseline-ranking"));
    options.addOption(Option("bm25-k1", "", "BM25 term frequency saturation (default 1.2)")
                          .argument("K1")
                          .binding("bm25-k1"));
    options.addOption(Option("bm25-b", "", "BM25 length normalisation, 0-1 (default 0.3)")
                          .argument("B")
                          .binding("bm25-b"));
    options.addOption(
        Option("help", "h", "show this help")
            .callback(Poco::Util::OptionCallback<SearchDaemon>(this, &SearchDaemon::show_help)));
  }

  void add_db(const std::string&, const std::string& value) { databases_.emplace_back(value); }

  void show_help(const std::string&, const std::string&) {
    Poco::Util::HelpFormatter help(options());
    help.setCommand(commandName());
    help.setUsage("--db DIR [--port N] [--bind ADDR] [--threads N]");
    help.setHeader(
        "Serves Lupa's search API (GET /api/search, /api/facets, /api/passages/{id}, /healthz).");
    help.format(std::cout);
    help_shown_ = true;
    stopOptionsProcessing();
  }

  int main(const std::vector<std::string>&) override {
    if (help_shown_) return EXIT_OK;
    Poco::Logger& log = logger();
    try {
      lupa::searchd::HttpServerOptions options;
      options.bind_address = config().getString("bind", "127.0.0.1");
      const int port = config().getInt("port", 8080);
      options.threads = config().getInt("threads", 8);
      if (port < 0 || port > 65535) throw Poco::InvalidArgumentException("--port must be 0-65535");
      if (options.threads < 1 || options.threads > 256)
        throw Poco::InvalidArgumentException("--threads must be 1-256");
      options.port = static_cast<unsigned short>(port);

      lupa::searchd::RankingOptions ranking = config().hasProperty("baseline-ranking")
                                                  ? lupa::searchd::RankingOptions::baseline()
                                                  : lupa::searchd::RankingOptions{};
      ranking.bm25_k1 = config().getDouble("bm25-k1", ranking.bm25_k1);
      ranking.bm25_b = config().getDouble("bm25-b", ranking.bm25_b);
      if (ranking.bm25_k1 < 0 || ranking.bm25_b < 0 || ranking.bm25_b > 1)
        throw Poco::InvalidArgumentException("--bm25-k1 must be >= 0 and --bm25-b 0-1");
      const lupa::searchd::SearchService service(databases_, ranking);
      lupa::searchd::HttpServer server(service, options, log);
      server.start();
      const std::string url =
          "http://" + options.bind_address + ":" + std::to_string(server.port());
      std::cout << "lupa-searchd: serving " << service.health().passages << " passages on " << url
                << "/\n  try: curl '" << url << "/api/search?q=transparencia+presupuestaria'"
                << std::endl;
      waitForTerminationRequest();
      server.stop();
      return EXIT_OK;
    } catch (const Xapian::Error& error) {
      std::cerr << "lupa-searchd: cannot open the index: " << error.get_description() << "\n";
    } catch (const Poco::Exception& error) {
      std::cerr << "lupa-searchd: " << error.displayText() << "\n";
    } catch (const std::exception& error) {
      std::cerr << "lupa-searchd: " << error.what() << "\n";
    }
    return 2;
  }

 private:
  std::vector<std::filesystem::path> databases_;
  bool help_shown_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  SearchDaemon daemon;
  // Handles SIGINT/SIGTERM; an option error is logged on stderr and exits with EX_CONFIG (78).
  return daemon.run(argc, argv);
}
