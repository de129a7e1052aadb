// lupa-searchd: serves the search API over HTTP until SIGINT or SIGTERM.
// Exit status: 0 after a clean stop, 2 when it cannot start (no index, port in use, a data
// folder or file that cannot be used), 78 (EX_CONFIG, from Poco) for options it cannot read.
#include <Poco/Exception.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>
#include <sys/resource.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "lupa/analyzers/data_directory.h"
#include "lupa/analyzers/spell_checker.h"
#include "lupa/searchd/http_server.h"

namespace {

using Poco::Util::Option;
using Poco::Util::OptionSet;

class SearchDaemon final : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(OptionSet& options) override {
    ServerApplication::defineOptions(options);
    options.addOption(
        Option("db", "d",
               "Xapian database folder, stub file, or shard server tcp://HOST:PORT "
               "(lupa-shardd); repeat to search several shards as one")
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
    options.addOption(Option("threads", "t", "worker threads that run requests, default 4 per core")
                          .argument("N")
                          .binding("threads"));
    options.addOption(Option("max-queued", "",
                             "whole requests waiting for a worker before new ones get 503, "
                             "default 256 per core")
                          .argument("N")
                          .binding("max-queued"));
    options.addOption(Option("max-connections", "",
                             "open connections, idle ones included, before new ones get 503; "
                             "default the file descriptor limit less 128, at most 16384")
                          .argument("N")
                          .binding("max-connections"));
    options.addOption(Option("idle-timeout", "",
                             "seconds a connection may wait before its (next) request, default 5")
                          .argument("S")
                          .binding("idle-timeout"));
    options.addOption(Option("request-timeout", "",
                             "seconds a request head may take to arrive, default 10 (then 408)")
                          .argument("S")
                          .binding("request-timeout"));
    options.addOption(Option("send-timeout", "",
                             "seconds an answer may take, computed and sent, default 10 (then 503 "
                             "if not begun, else the connection is cut)")
                          .argument("S")
                          .binding("send-timeout"));
    options.addOption(Option("keep-alive-requests", "",
                             "requests one connection may carry before it is closed, default 1000")
                          .argument("N")
                          .binding("keep-alive-requests"));
    options.addOption(Option("stream-time-limit", "",
                             "seconds an export or feed may run, default 60 (then 503 if not "
                             "begun, else it is cut)")
                          .argument("S")
                          .binding("stream-time-limit"));
    options.addOption(Option("max-streams", "",
                             "exports and feeds running at once before new ones get 503, "
                             "default half the worker threads")
                          .argument("N")
                          .binding("max-streams"));
    options.addOption(Option("split-match-from", "",
                             "passages an index must hold for one query's match to be split "
                             "across the cores that are idle; 0 never splits; default 20000")
                          .argument("N")
                          .binding("split-match-from"));
    options.addOption(Option("public-url", "",
                             "base URL of the links in feeds, e.g. https://lupa.example.org; "
                             "default http://<bind>:<port>")
                          .argument("URL")
                          .binding("public-url"));
    options.addOption(
        Option("corpus", "",
               "a corpus folder the index was built from (as given to lupa-indexer); repeat for "
               "each: /files/{id} then serves passages' original files from them, read-only")
            .repeatable(true)
            .argument("DIR")
            .callback(Poco::Util::OptionCallback<SearchDaemon>(this, &SearchDaemon::add_corpus)));
    options.addOption(Option("data-dir", "",
                             "folder of data files adding rows to the built-in ones (agencies.tsv, "
                             "plans.tsv, ...; docs/data-files.md), as the indexer's; default "
                             "$LUPA_DATA_DIR")
                          .argument("DIR")
                          .binding("data-dir"));
    options.addOption(Option("dictionaries", "",
                             "folder of the Hunspell dictionaries es_MX and en_US (.aff and .dic) "
                             "that \"did you mean\" checks words against; default "
                             "/usr/share/hunspell")
                          .argument("DIR")
                          .binding("dictionaries"));
    options.addOption(Option("shard-connect-timeout", "",
                             "seconds to wait for a shard server to accept a connection before "
                             "the request gets 503 (or, with --shard-down=degrade, goes without "
                             "it), default 2")
                          .argument("SECONDS")
                          .binding("shard-connect-timeout"));
    options.addOption(Option("shard-timeout", "",
                             "seconds to wait for each answer of a shard server before the "
                             "request gets 503, default 10")
                          .argument("SECONDS")
                          .binding("shard-timeout"));
    options.addOption(Option("shard-down", "",
                             "what a request gets when a shard server cannot be reached: fail "
                             "(503 naming it; the default) or degrade (an answer from the "
                             "shards that answer, saying which are missing in `shards`)")
                          .argument("fail|degrade")
                          .binding("shard-down"));
    options.addOption(Option("shard-retry", "",
                             "seconds before a shard server that could not be reached is tried "
                             "again; meanwhile requests go without it (or get 503) at once; "
                             "default 5, 0 tries it on every request")
                          .argument("SECONDS")
                          .binding("shard-retry"));
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
  void add_corpus(const std::string&, const std::string& value) {
    corpus_folders_.emplace_back(value);
  }

  // Every connection is a file descriptor, and the usual soft limit (1024) is far below what
  // the system allows a process (the hard limit): take what is allowed, as servers do.
  static void raise_file_limit() {
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) != 0 || files.rlim_cur >= files.rlim_max) return;
    files.rlim_cur = std::min<rlim_t>(files.rlim_max, 65536);
    ::setrlimit(RLIMIT_NOFILE, &files);
  }

  int bounded_int(const std::string& name, int fallback, int low, int high) {
    const int value = config().getInt(name, fallback);
    if (value < low || value > high)
      throw Poco::InvalidArgumentException("--" + name + " must be " + std::to_string(low) + "-" +
                                           std::to_string(high));
    return value;
  }

  std::chrono::milliseconds seconds_option(const std::string& name,
                                           std::chrono::milliseconds fallback) {
    const double seconds = config().getDouble(name, static_cast<double>(fallback.count()) / 1000);
    if (!(seconds >= 0.1 && seconds <= 3600))
      throw Poco::InvalidArgumentException("--" + name + " must be 0.1-3600 seconds");
    return std::chrono::milliseconds(static_cast<long>(seconds * 1000));
  }

  void show_help(const std::string&, const std::string&) {
    Poco::Util::HelpFormatter help(options());
    help.setCommand(commandName());
    help.setUsage("--db DIR [--port N] [--bind ADDR] [--threads N] [--public-url URL] ...");
    help.setHeader(
        "Serves Lupa's search page and API (routes below; docs/http-api.md). Limits and "
        "timeouts: docs/operations.md.");
    help.format(std::cout);
    // The server's route table itself, so that this list cannot miss a route.
    const auto routes = lupa::searchd::http_routes();
    std::size_t width = 0;
    for (const auto& route : routes) width = std::max(width, route.path.size());
    std::cout << "\nroutes (GET and HEAD):\n";
    for (const auto& route : routes)
      std::cout << "  " << route.path << std::string(width + 2 - route.path.size(), ' ')
                << route.summary << "\n";
    help_shown_ = true;
    stopOptionsProcessing();
  }

  int main(const std::vector<std::string>&) override {
    if (help_shown_) return EXIT_OK;
    Poco::Logger& log = logger();
    try {
      // First: labels, filters and queries all read the data files, once, with the folder.
      std::optional<std::filesystem::path> data_directory;
      if (config().hasProperty("data-dir")) data_directory = config().getString("data-dir");
      const auto data_files = lupa::analyzers::configure_data_directory(data_directory);
      log.information("data files: " + data_files.description);
      for (const std::string& warning : data_files.warnings) log.warning("warning: " + warning);
      lupa::searchd::HttpServerOptions options;
      options.bind_address = config().getString("bind", "127.0.0.1");
      const int port = config().getInt("port", 8080);
      if (port < 0 || port > 65535) throw Poco::InvalidArgumentException("--port must be 0-65535");
      options.port = static_cast<unsigned short>(port);
      raise_file_limit();
      lupa::searchd::ConnectionLimits& limits = options.limits;
      limits = lupa::searchd::ConnectionLimits::for_this_machine();
      limits.workers = bounded_int("threads", limits.workers, 1, 1024);
      limits.max_queued = bounded_int("max-queued", limits.max_queued, 1, 1 << 20);
      limits.max_connections = bounded_int("max-connections", limits.max_connections, 1, 1 << 20);
      limits.idle_timeout = seconds_option("idle-timeout", limits.idle_timeout);
      limits.request_timeout = seconds_option("request-timeout", limits.request_timeout);
      limits.send_timeout = seconds_option("send-timeout", limits.send_timeout);
      limits.keep_alive_requests =
          bounded_int("keep-alive-requests", limits.keep_alive_requests, 1, 1 << 20);
      options.stream_time_limit = std::chrono::seconds(bounded_int(
          "stream-time-limit", static_cast<int>(options.stream_time_limit.count()), 1, 24 * 3600));
      options.max_streams =
          bounded_int("max-streams", std::max(1, limits.workers / 2), 1, limits.workers);
      options.public_url = config().getString("public-url", "");
      options.corpus_folders = corpus_folders_;
      if (!options.public_url.empty() && !options.public_url.starts_with("http://") &&
          !options.public_url.starts_with("https://"))
        throw Poco::InvalidArgumentException("--public-url must start with http:// or https://");

      lupa::searchd::RankingOptions ranking = config().hasProperty("baseline-ranking")
                                                  ? lupa::searchd::RankingOptions::baseline()
                                                  : lupa::searchd::RankingOptions{};
      ranking.bm25_k1 = config().getDouble("bm25-k1", ranking.bm25_k1);
      ranking.bm25_b = config().getDouble("bm25-b", ranking.bm25_b);
      if (ranking.bm25_k1 < 0 || ranking.bm25_b < 0 || ranking.bm25_b > 1)
        throw Poco::InvalidArgumentException("--bm25-k1 must be >= 0 and --bm25-b 0-1");
      // Loaded once, now: a missing dictionary stops the start, naming the file.
      if (ranking.query.spelling)
        ranking.query.spell_checker =
            std::make_shared<const lupa::analyzers::SpellChecker>(config().getString(
                "dictionaries", std::string(lupa::analyzers::SpellChecker::kDefaultDirectory)));
      lupa::searchd::ShardOptions shards;
      shards.connect_timeout = seconds_option("shard-connect-timeout", shards.connect_timeout);
      shards.io_timeout = seconds_option("shard-timeout", shards.io_timeout);
      shards.when_down =
          lupa::searchd::parse_shard_down_policy(config().getString("shard-down", "fail"));
      const double retry = config().getDouble("shard-retry", 5);
      if (!(retry >= 0 && retry <= 3600))
        throw Poco::InvalidArgumentException("--shard-retry must be 0-3600 seconds");
      shards.retry_after = std::chrono::milliseconds(static_cast<long>(retry * 1000));
      lupa::searchd::SplitMatchOptions split;
      split.from_passages = static_cast<Xapian::doccount>(
          bounded_int("split-match-from", static_cast<int>(split.from_passages), 0, 1000000000));
      const lupa::searchd::SearchService service(databases_, ranking,
                                                 lupa::schema::standard_facets(), shards, split);
      service.prepare();
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
  std::vector<std::filesystem::path> corpus_folders_;
  bool help_shown_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  SearchDaemon daemon;
  // Handles SIGINT/SIGTERM; an option error is logged on stderr and exits with EX_CONFIG (78).
  return daemon.run(argc, argv);
}
