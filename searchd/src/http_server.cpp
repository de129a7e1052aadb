#include "lupa/searchd/http_server.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "http_listener.h"
#include "lupa/analyzers/query_analyzer.h"
#include "lupa/analyzers/text_normalizer.h"
#include "lupa/searchd/json_response.h"
#include "lupa/searchd/original_files.h"
#include "lupa/searchd/result_export.h"
#include "lupa/searchd/web_page.h"
#include "security_headers.h"

namespace lupa::searchd {
namespace detail {
std::string_view embedded_file(std::string_view file_name);  // generated
}
namespace {

using Poco::Net::HTTPRequestHandler;
using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

struct HttpError : std::runtime_error {
  HttpError(HTTPResponse::HTTPStatus code, const std::string& message)
      : std::runtime_error(message), status(code) {}
  HTTPResponse::HTTPStatus status;
};

// A streamed answer that cannot end well (the client left, its time ran out) after its status
// was sent: the connection is closed without the closing chunk, so the client sees an
// incomplete answer rather than a short one it might take for whole.
struct AnswerCutShort : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What every route may read besides the request: the service and the server's settings.
struct RouteContext {
  const SearchService& service;
  const HttpServerOptions& options;
  std::atomic<int>& streams_in_progress;
  const OriginalFiles& originals;
};

// One of the exports, feeds and original files being sent at once, of at most --max-streams:
// each may hold a worker for up to --stream-time-limit, so they may not take every worker.
class StreamSlot {
 public:
  explicit StreamSlot(const RouteContext& context) : count_(context.streams_in_progress) {
    if (++count_ > context.options.max_streams) {
      --count_;
      throw HttpError(HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                      "Too many exports, feeds and files at once; try again shortly");
    }
  }
  ~StreamSlot() { --count_; }
  StreamSlot(const StreamSlot&) = delete;
  StreamSlot& operator=(const StreamSlot&) = delete;

 private:
  std::atomic<int>& count_;
};

bool is_head(const HTTPServerRequest& request) {
  return request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD;
}

void send_json(HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
               const std::string& body) {
  response.setStatusAndReason(status);
  response.setContentType("application/json; charset=utf-8");
  response.set("Cache-Control", "no-store");
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.send() << body;
}

// A JSON answer over shard servers says which shards it was computed from.
AnsweredBy answered_by(const SearchService& service) {
  if (!service.remote()) return std::nullopt;
  return service.shards_answered();
}

// Every route writes its own answer: a JSON body or a page built first, or, for answers too
// large to build first (exports), written as they are read.
using RouteHandler = void (*)(const RouteContext&, const HTTPServerRequest&, const Poco::URI&,
                              HTTPServerResponse&);

// One handler object per request.
class ApiHandler final : public TimedRequestHandler {
 public:
  ApiHandler(const RouteContext& context, Poco::Logger& logger, RouteHandler route,
             bool long_running, bool reads_index)
      : context_(context),
        logger_(logger),
        route_(route),
        long_running_(long_running),
        reads_index_(reads_index) {}

  std::chrono::milliseconds answer_time_limit() const override {
    if (long_running_) return context_.options.stream_time_limit;
    return context_.options.limits.send_timeout;
  }
  std::string answer_time_limit_option() const override {
    return long_running_ ? "--stream-time-limit" : "--send-timeout";
  }

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    try {
      if (request.getMethod() != "GET" && request.getMethod() != "HEAD") {
        response.set("Allow", "GET, HEAD");
        throw HttpError(
            HTTPResponse::HTTP_METHOD_NOT_ALLOWED,
            "Method " + request.getMethod().substr(0, 20) + " is not allowed; use GET or HEAD");
      }
      Poco::URI uri;
      try {
        uri = Poco::URI(request.getURI());
        uri.getQueryParameters();  // reject bad %-escapes here, as a 400
      } catch (const Poco::SyntaxException& error) {
        throw BadRequest("Malformed URL: " + error.message());
      }
      call_with_retry(request, uri, response);
    } catch (const HttpError& error) {
      fail(request, response, error.status, error.what());
    } catch (const BadRequest& error) {
      fail(request, response, HTTPResponse::HTTP_BAD_REQUEST, error.what());
    } catch (const analyzers::QuerySyntaxError& error) {
      fail(request, response, HTTPResponse::HTTP_BAD_REQUEST,
           std::string("Parameter `q`: ") + error.what());
    } catch (const AnswerCutShort& error) {
      logger_.warning("answer to %s cut short: %s", request.getURI(), std::string(error.what()));
      fail(request, response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, error.what());
    } catch (const ShardUnavailable& error) {
      logger_.error("shard down on %s: %s", request.getURI(), std::string(error.what()));
      fail(request, response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, error.what());
    } catch (const Xapian::NetworkError& error) {
      // A shard server went away during the request; the next one connects afresh.
      logger_.error("shard error on %s: %s", request.getURI(), error.get_description());
      fail(request, response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
           "A shard is not answering: " + error.get_description());
    } catch (const Xapian::Error& error) {
      logger_.error("index error on %s: %s", request.getURI(), error.get_description());
      fail(request, response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
           "The index cannot be read right now; try again shortly");
    } catch (const std::exception& error) {
      logger_.error("unexpected error on %s: %s", request.getURI(), std::string(error.what()));
      fail(request, response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "Internal error");
    }
  }

 private:
  // Every route, page, export or feed alike: the indexer may commit twice while a request
  // reads an old revision (Xapian::DatabaseModifiedError); reading again from the newest one
  // is always right, as long as nothing of the answer has been sent.
  // With --shard-down=degrade, a shard failing during the request (Xapian::NetworkError) is
  // likewise read around: the request begins again on a handle that connects to each shard
  // afresh, each bounded by the connect timeout, and leaves out those that do not answer.
  void call_with_retry(HTTPServerRequest& request, const Poco::URI& uri,
                       HTTPServerResponse& response) {
    const SearchService::Serving serving = context_.service.serving();
    try {
      call_over_shards(request, uri, response);
    } catch (const Xapian::DatabaseModifiedError&) {
      if (response.sent()) throw;
      call_over_shards(request, uri, response);
    } catch (const Xapian::NetworkError&) {
      if (response.sent() || context_.service.shard_down_policy() != ShardDownPolicy::kDegrade)
        throw;
      call_over_shards(request, uri, response);
    }
  }

  // Over shard servers, the request reads the shards that answered when it began, and its
  // answer says which (headers; JSON answers also in `shards`).
  void call_over_shards(HTTPServerRequest& request, const Poco::URI& uri,
                        HTTPServerResponse& response) {
    const SearchService& service = context_.service;
    if (!service.remote() || !reads_index_) {
      route_(context_, request, uri, response);
      return;
    }
    const ShardsAnswered shards = service.begin_request();
    try {
      response.set("Lupa-Shards-Total", std::to_string(shards.total));
      response.set("Lupa-Shards-Answered", std::to_string(shards.answered()));
      std::string missing;
      for (const auto& shard : shards.missing) missing += (missing.empty() ? "" : " ") + shard;
      if (missing.empty()) {
        response.erase("Lupa-Shards-Missing");
      } else {
        response.set("Lupa-Shards-Missing", missing);
      }
      route_(context_, request, uri, response);
    } catch (const Xapian::NetworkError&) {
      service.end_request(/*shard_failed=*/true);
      throw;
    } catch (...) {
      service.end_request();
      throw;
    }
    service.end_request();
  }

  // A streamed answer that fails half way has sent its status already: the connection is
  // closed under it, and the log says why.
  void fail(HTTPServerRequest& request, HTTPServerResponse& response,
            HTTPResponse::HTTPStatus status, const std::string& message) {
    if (response.sent()) {
      if (auto* connection = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request)) {
        try {
          connection->socket().shutdown();
        } catch (const Poco::Exception&) {
          // already closed by the client
        }
      }
      return;
    }
    if (status == HTTPResponse::HTTP_SERVICE_UNAVAILABLE) response.set("Retry-After", "1");
    send_json(response, status, error_json(message));
  }

  const RouteContext& context_;
  Poco::Logger& logger_;
  RouteHandler route_;
  bool long_running_;
  bool reads_index_;
};

// The search parameters of a URL without `name`, and the value `name` had (or `fallback`).
std::string take_parameter(Poco::URI::QueryParameters& parameters, const std::string& name,
                           const std::string& fallback) {
  std::string value = fallback;
  std::erase_if(parameters, [&](const auto& parameter) {
    if (parameter.first != name) return false;
    value = parameter.second;
    return true;
  });
  return value;
}

SearchRequest search_request(const SearchService& service,
                             const Poco::URI::QueryParameters& parameters) {
  return parse_search_request(parameters, service.facets_table());
}

using Clock = std::chrono::steady_clock;
constexpr auto kDeadlineSlack = std::chrono::milliseconds(100);

void get_export(const RouteContext& context, const HTTPServerRequest& http_request,
                const Poco::URI& uri, HTTPServerResponse& response) {
  const SearchService& service = context.service;
  Poco::URI::QueryParameters parameters = uri.getQueryParameters();
  const std::string format = take_parameter(parameters, "format", "csv");
  if (format != "csv" && format != "json")
    throw BadRequest("Parameter `format`: csv or json, not '" + format + "'");
  const SearchRequest request = search_request(service, parameters);
  // The listener shuts the connection down at the same deadline, should a write be blocked.
  const auto deadline = Clock::now() + context.options.stream_time_limit;
  const StreamSlot slot(context);
  // Nothing is sent until the query has run and its first passage is read: a query the
  // analyzer refuses is a 400 and a revision the indexer replaced meanwhile is read again
  // (call_with_retry), as for a search.
  std::ostream* out = nullptr;
  std::unique_ptr<ResultWriter> writer;
  auto send_headers = [&] {
    response.setChunkedTransferEncoding(true);
    response.setContentType(format == "csv" ? "text/csv; charset=utf-8"
                                            : "application/json; charset=utf-8");
    response.set("Content-Disposition", "attachment; filename=\"lupa-export." + format + "\"");
    response.set("Cache-Control", "no-store");
    if (is_head(http_request)) {
      response.send();
      return false;
    }
    out = &response.send();
    if (format == "csv")
      writer = std::make_unique<CsvWriter>(*out, service.facets_table());
    else
      writer = std::make_unique<JsonLinesArrayWriter>(*out, service.facets_table());
    writer->begin();
    return true;
  };
  std::string stopped_because;
  int rows = 0;
  service.for_each_match(
      request,
      [&](const schema::PassageRecord& record) {
        writer->passage(record);
        // A write to a client that left fails inside the stream, which only marks itself bad;
        // so does a write the listener cut at the deadline (which it may reach a moment
        // before us).
        if ((!out->good() || ++rows % 100 == 0) && Clock::now() + kDeadlineSlack >= deadline)
          stopped_because = "the export took longer than " +
                            std::to_string(context.options.stream_time_limit.count()) + " s";
        else if (!out->good())
          stopped_because = "the client closed the connection";
        return stopped_because.empty();
      },
      send_headers);
  if (!writer) return;  // HEAD
  if (!stopped_because.empty()) throw AnswerCutShort(stopped_because);
  writer->end();
}

void send_html(HTTPServerResponse& response, const std::string& html) {
  response.setContentType("text/html; charset=utf-8");
  response.set("Cache-Control", "no-store");
  response.setContentLength(static_cast<std::streamsize>(html.size()));
  response.send() << html;
}

UiLanguage ui_of(const HTTPServerRequest& request, const Poco::URI& uri) {
  std::string ui;
  for (const auto& [name, value] : uri.getQueryParameters())
    if (name == "ui") ui = value;
  return choose_ui_language(ui, request.get("Accept-Language", ""));
}

void get_page(const RouteContext& context, const HTTPServerRequest& http_request,
              const Poco::URI& uri, HTTPServerResponse& response) {
  const SearchService& service = context.service;
  const Poco::URI::QueryParameters parameters = uri.getQueryParameters();
  const SearchRequest request = search_request(service, parameters);
  send_html(response, render_search_page(request, service.search(request), parameters,
                                         ui_of(http_request, uri), service.facets_table()));
}

// The passage id at the end of a path that starts with `prefix`; empty when it is missing or
// too long to be one.
std::string id_after(const Poco::URI& uri, std::string_view prefix) {
  const std::string id = uri.getPath().substr(prefix.size());
  return id.size() > 512 ? std::string() : id;
}

constexpr std::string_view kPassagePagePath = "/passages/";

void get_passage_page(const RouteContext& context, const HTTPServerRequest& http_request,
                      const Poco::URI& uri, HTTPServerResponse& response) {
  const SearchService& service = context.service;
  const std::string id = id_after(uri, kPassagePagePath);
  const std::optional<PassageView> view = id.empty() ? std::nullopt : service.passage_view(id);
  if (!view)
    throw HttpError(HTTPResponse::HTTP_NOT_FOUND,
                    "No passage with id '" + uri.getPath().substr(kPassagePagePath.size()) + "'");
  // Reached from results, it carries their search: checked as a search is, its words marked.
  PassagePageContext page;
  page.search = uri.getQueryParameters();
  const SearchRequest search = search_request(service, page.search);
  if (!search.query.empty()) {
    page.text_html = service.mark_query_words(view->passage.text, search.query);
    if (view->translation)
      page.translation_html = service.mark_query_words(view->translation->text, search.query);
  }
  std::string encoded_id;
  Poco::URI::encode(view->passage.id, "?#/", encoded_id);
  page.permanent_url = context.options.public_url + std::string(kPassagePagePath) + encoded_id;
  page.original_served = context.originals.find(view->passage.doc).has_value();
  send_html(response,
            render_passage_page(*view, ui_of(http_request, uri), service.facets_table(), page));
}

constexpr std::string_view kFilesPath = "/files/";

// The original file of a passage's document, as the index records it; never any other file.
void get_original_file(const RouteContext& context, const HTTPServerRequest& http_request,
                       const Poco::URI& uri, HTTPServerResponse& response) {
  const std::string id = id_after(uri, kFilesPath);
  if (id.empty()) throw BadRequest("Passage id is missing or too long");
  if (!context.originals.enabled())
    throw HttpError(HTTPResponse::HTTP_NOT_FOUND,
                    "This server serves no original files (lupa-searchd --corpus)");
  const auto passage = context.service.passage(id);
  if (!passage) throw HttpError(HTTPResponse::HTTP_NOT_FOUND, "No passage with id '" + id + "'");
  // A file may take up to --stream-time-limit to send: it counts among the streams.
  const StreamSlot slot(context);
  const auto file = context.originals.find(passage->doc);
  std::ifstream in;
  if (file) in.open(file->path, std::ios::binary);
  if (!file || !in)
    throw HttpError(HTTPResponse::HTTP_NOT_FOUND,
                    "The file of '" + passage->doc + "' is not available");
  response.setContentType(file->content_type);
  response.setContentLength64(static_cast<Poco::Int64>(file->size));
  response.set("Cache-Control", "no-cache");
  // The listener's policy (no script, nothing from elsewhere) holds; an HTML document of the
  // corpus is sandboxed too, so that it never acts as this site.
  if (file->content_type.starts_with("text/html"))
    response.set("Content-Security-Policy", std::string(kContentSecurityPolicy) + "; sandbox");
  std::string name = file->path.filename().string();
  for (char& c : name)
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '_';
  response.set("Content-Disposition", "inline; filename=\"" + name + "\"");
  if (is_head(http_request)) {
    response.send();
    return;
  }
  std::ostream& out = response.send();
  // Exactly the size announced: a file that grew since is cut there, one that shrank is an
  // answer cut short.
  std::array<char, 64 * 1024> buffer{};
  std::uintmax_t left = file->size;
  while (left > 0 && out.good()) {
    in.read(buffer.data(),
            static_cast<std::streamsize>(std::min<std::uintmax_t>(left, buffer.size())));
    const std::streamsize got = in.gcount();
    if (got <= 0) throw AnswerCutShort("the file of '" + passage->doc + "' changed while sent");
    out.write(buffer.data(), got);
    left -= static_cast<std::uintmax_t>(got);
  }
  if (!out.good()) throw AnswerCutShort("the client closed the connection");
}

void get_stylesheet(const RouteContext&, const HTTPServerRequest&, const Poco::URI&,
                    HTTPServerResponse& response) {
  const std::string_view css = detail::embedded_file("lupa.css");
  response.setContentType("text/css; charset=utf-8");
  response.set("Cache-Control", "max-age=3600");
  response.setContentLength(static_cast<std::streamsize>(css.size()));
  response.send() << css;
}

// Entries in a feed: a reader polls it, so the newest are enough.
constexpr int kFeedEntries = 50;

void get_feed(const RouteContext& context, const HTTPServerRequest& http_request,
              const Poco::URI& uri, HTTPServerResponse& response) {
  const SearchRequest request = search_request(context.service, uri.getQueryParameters());
  const StreamSlot slot(context);
  FeedDescription feed;
  feed.title = "Lupa: " + (request.query.empty() ? std::string("every passage") : request.query);
  for (const auto& [name, values] : request.filters)
    for (const std::string& value : values) feed.title += " \xC2\xB7 " + name + " " + value;
  feed.site_url = context.options.public_url;
  feed.self_url = feed.site_url + uri.getPathAndQuery();
  const auto passages = context.service.newest(request, kFeedEntries);
  std::ostringstream body;
  write_atom_feed(body, feed, passages);
  const std::string text = body.str();
  response.setContentType("application/atom+xml; charset=utf-8");
  response.setContentLength(static_cast<std::streamsize>(text.size()));
  if (is_head(http_request))
    response.send();
  else
    response.send() << text;
}

void get_search(const RouteContext& context, const HTTPServerRequest&, const Poco::URI& uri,
                HTTPServerResponse& response) {
  const SearchService& service = context.service;
  const SearchResult result = service.search(search_request(service, uri.getQueryParameters()));
  send_json(response, HTTPResponse::HTTP_OK,
            search_json(result, service.facets_table(), answered_by(service)));
}

void get_facets(const RouteContext& context, const HTTPServerRequest&, const Poco::URI&,
                HTTPServerResponse& response) {
  send_json(response, HTTPResponse::HTTP_OK,
            facets_json(context.service.facets(), answered_by(context.service)));
}

void get_health(const RouteContext& context, const HTTPServerRequest&, const Poco::URI&,
                HTTPServerResponse& response) {
  send_json(response, HTTPResponse::HTTP_OK, health_json(context.service.health()));
}

constexpr std::string_view kPassagesPath = "/api/passages/";

void get_passage(const RouteContext& context, const HTTPServerRequest&, const Poco::URI& uri,
                 HTTPServerResponse& response) {
  const std::string id = id_after(uri, kPassagesPath);
  if (id.empty()) throw BadRequest("Passage id is missing or too long");
  const auto passage = context.service.linked_passage(id);
  if (!passage) throw HttpError(HTTPResponse::HTTP_NOT_FOUND, "No passage with id '" + id + "'");
  send_json(response, HTTPResponse::HTTP_OK,
            passage_json(*passage, context.service.facets_table(), answered_by(context.service)));
}

constexpr std::string_view kSimilarPath = "/api/similar/";

void get_similar(const RouteContext& context, const HTTPServerRequest&, const Poco::URI& uri,
                 HTTPServerResponse& response) {
  const SearchService& service = context.service;
  const std::string id = id_after(uri, kSimilarPath);
  if (id.empty()) throw BadRequest("Passage id is missing or too long");
  const auto similar = service.similar(id, search_request(service, uri.getQueryParameters()));
  if (!similar) throw HttpError(HTTPResponse::HTTP_NOT_FOUND, "No passage with id '" + id + "'");
  send_json(response, HTTPResponse::HTTP_OK,
            search_json(*similar, service.facets_table(), answered_by(service)));
}

constexpr std::string_view kAgencyPagePath = "/agencies/";
constexpr std::string_view kAgenciesPath = "/api/agencies/";
// Agency facet values are ids ("mx-sfp") or, for a body agencies.tsv does not list, its name.
constexpr std::size_t kMaxAgencyIdBytes = 200;

// The body's id in a path starting with `prefix`; BadRequest when it cannot be one.
std::string agency_id_after(const Poco::URI& uri, std::string_view prefix) {
  const std::string id = uri.getPath().substr(prefix.size());
  if (id.empty() || id.size() > kMaxAgencyIdBytes || !analyzers::is_valid_utf8(id) ||
      std::any_of(id.begin(), id.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == '/'; }))
    throw BadRequest("Agency id in the path: 1 to " + std::to_string(kMaxAgencyIdBytes) +
                     " bytes of UTF-8, no control characters or '/' (e.g. mx-sfp)");
  return id;
}

AgencyPage agency_or_404(const SearchService& service, const std::string& id) {
  std::optional<AgencyPage> page = service.agency(id);
  if (!page) throw HttpError(HTTPResponse::HTTP_NOT_FOUND, "No agency with id '" + id + "'");
  return std::move(*page);
}

void get_agency(const RouteContext& context, const HTTPServerRequest&, const Poco::URI& uri,
                HTTPServerResponse& response) {
  const AgencyPage page = agency_or_404(context.service, agency_id_after(uri, kAgenciesPath));
  send_json(response, HTTPResponse::HTTP_OK, agency_json(page, answered_by(context.service)));
}

void get_agency_page(const RouteContext& context, const HTTPServerRequest& http_request,
                     const Poco::URI& uri, HTTPServerResponse& response) {
  const AgencyPage page = agency_or_404(context.service, agency_id_after(uri, kAgencyPagePath));
  send_html(response, render_agency_page(page, ui_of(http_request, uri)));
}

void not_found(const RouteContext&, const HTTPServerRequest&, const Poco::URI& uri,
               HTTPServerResponse&) {
  throw HttpError(HTTPResponse::HTTP_NOT_FOUND, "No such endpoint: " + uri.getPath());
}

// The route table: the one list of what the server answers, which the router reads and
// `--help` prints.
struct Route {
  std::string_view path;  ///< the whole path, or, with `takes_id`, what precedes the id
  bool takes_id;          ///< the path ends in an id (a passage's, a body's)
  RouteHandler handler;
  bool long_running;  ///< exports and feeds: --stream-time-limit rather than --send-timeout
  std::string_view summary;
  /// Reads the index: over shard servers, it reads the shards that answer and says which.
  bool reads_index = true;
};

constexpr Route kRoutes[] = {
    {"/", false, &get_page, false, "the search page (HTML)"},
    {kPassagePagePath, true, &get_passage_page, false,
     "a passage's page (HTML), its neighbours and translation"},
    {kFilesPath, true, &get_original_file, true,
     "the original file of a passage's document (--corpus), read-only"},
    {kAgencyPagePath, true, &get_agency_page, false,
     "a body's page (HTML): its commitments across plans"},
    {"/static/lupa.css", false, &get_stylesheet, false, "the pages' stylesheet", false},
    {"/api/search", false, &get_search, false, "search: hits, total, exact facet counts"},
    {"/api/facets", false, &get_facets, false, "every facet's values and counts"},
    {kPassagesPath, true, &get_passage, false, "every stored field of a passage"},
    {kSimilarPath, true, &get_similar, false, "commitments like a passage, across plans"},
    {kAgenciesPath, true, &get_agency, false,
     "a body's commitments, grouped by plan, with status and IRM ratings"},
    {"/api/export", false, &get_export, true, "every match of a search, format=csv or json"},
    {"/api/feed", false, &get_feed, true, "an Atom feed of a search's newest matches"},
    {"/healthz", false, &get_health, false,
     "passages in the index, its revision, each shard's state"},
};

const Route* find_route(std::string_view path) {
  for (const Route& route : kRoutes)
    if (route.takes_id ? path.starts_with(route.path) : path == route.path) return &route;
  return nullptr;
}

class Router final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Router(const RouteContext& context, Poco::Logger& logger) : context_(context), logger_(logger) {}

  HTTPRequestHandler* createRequestHandler(const HTTPServerRequest& request) override {
    std::string path;
    try {
      path = Poco::URI(request.getURI()).getPath();
    } catch (const Poco::SyntaxException&) {
      path.clear();  // the handler parses the URL first and answers 400
    }
    const Route* route = find_route(path);
    if (!route) return new ApiHandler(context_, logger_, &not_found, false, false);
    return new ApiHandler(context_, logger_, route->handler, route->long_running,
                          route->reads_index);
  }

 private:
  const RouteContext& context_;
  Poco::Logger& logger_;
};

}  // namespace

std::vector<RouteDescription> http_routes() {
  std::vector<RouteDescription> routes;
  for (const Route& route : kRoutes)
    routes.push_back(
        {std::string(route.path) + (route.takes_id ? "{id}" : ""), std::string(route.summary)});
  return routes;
}

ConnectionLimits ConnectionLimits::for_this_machine() {
  ConnectionLimits limits;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  limits.workers = 4 * cores;
  limits.max_queued = 256 * cores;
  // Each connection is a file descriptor. Kept apart: refused and closing connections that
  // linger (up to 1024), each worker's database handles (a few files per shard), the logs.
  rlimit files{};
  long descriptors = 1024;
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0)
    descriptors = files.rlim_cur == RLIM_INFINITY ? 1 << 20 : static_cast<long>(files.rlim_cur);
  const long reserve = 1024 + 16L * limits.workers + 64;
  limits.max_connections = static_cast<int>(std::clamp(descriptors - reserve, 16L, 16384L));
  return limits;
}

class HttpServer::Impl {
 public:
  Impl(const SearchService& service, const HttpServerOptions& options, Poco::Logger& logger)
      : options_(options),
        socket_(Poco::Net::SocketAddress(options.bind_address, options.port)),
        originals_(options.corpus_folders),
        context_{service, options_, streams_in_progress_, originals_} {
    if (options_.public_url.empty()) options_.public_url = "http://" + socket_.address().toString();
    while (options_.public_url.ends_with('/')) options_.public_url.pop_back();
    listener_ = std::make_unique<HttpListener>(socket_, options_.limits,
                                               new Router(context_, logger), logger);
  }

  void start() { listener_->start(); }
  void stop() { listener_->stop(); }
  unsigned short port() const { return socket_.address().port(); }

 private:
  HttpServerOptions options_;
  Poco::Net::ServerSocket socket_;
  std::atomic<int> streams_in_progress_ = 0;
  OriginalFiles originals_;
  RouteContext context_;
  std::unique_ptr<HttpListener> listener_;
};

HttpServer::HttpServer(const SearchService& service, const HttpServerOptions& options,
                       Poco::Logger& logger)
    : impl_(std::make_unique<Impl>(service, options, logger)) {}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::start() {
  impl_->start();
}

void HttpServer::stop() {
  impl_->stop();
}

unsigned short HttpServer::port() const {
  return impl_->port();
}

}  // namespace lupa::searchd
