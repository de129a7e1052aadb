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
#include <atomic>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include "http_listener.h"
#include "lupa/analyzers/query_analyzer.h"
#include "lupa/searchd/json_response.h"
#include "lupa/searchd/result_export.h"
#include "lupa/searchd/web_page.h"

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
};

// One of the exports and feeds running at once, of at most --max-streams: each may hold a
// worker for up to --stream-time-limit, so they may not take every worker.
class StreamSlot {
 public:
  explicit StreamSlot(const RouteContext& context) : count_(context.streams_in_progress) {
    if (++count_ > context.options.max_streams) {
      --count_;
      throw HttpError(HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                      "Too many exports and feeds at once; try again shortly");
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
               const Poco::JSON::Object::Ptr& body) {
  const std::string text = to_string(body);
  response.setStatusAndReason(status);
  response.setContentType("application/json; charset=utf-8");
  response.set("Cache-Control", "no-store");
  response.setContentLength(static_cast<std::streamsize>(text.size()));
  response.send() << text;
}

// One handler object per request; routes are plain functions of (request) -> JSON, or, for
// answers too large to build first (exports, feeds), functions that write the response.
class ApiHandler final : public TimedRequestHandler {
 public:
  using Route = Poco::JSON::Object::Ptr (*)(const SearchService&, const Poco::URI&);
  using Stream = void (*)(const RouteContext&, const HTTPServerRequest&, const Poco::URI&,
                          HTTPServerResponse&);
  ApiHandler(const RouteContext& context, Poco::Logger& logger, Route route)
      : context_(context), logger_(logger), route_(route) {}
  ApiHandler(const RouteContext& context, Poco::Logger& logger, Stream stream,
             bool long_running = false)
      : context_(context), logger_(logger), stream_(stream), long_running_(long_running) {}

  std::chrono::milliseconds answer_time_limit() const override {
    if (long_running_) return context_.options.stream_time_limit;
    return context_.options.limits.send_timeout;
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
      if (stream_)
        stream_(context_, request, uri, response);
      else
        send_json(response, HTTPResponse::HTTP_OK, call_with_retry(uri));
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
  // The indexer may commit twice while a request reads an old revision; reading again
  // from the newest one is always right.
  Poco::JSON::Object::Ptr call_with_retry(const Poco::URI& uri) {
    try {
      return route_(context_.service, uri);
    } catch (const Xapian::DatabaseModifiedError&) {
      return route_(context_.service, uri);
    }
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
  Route route_ = nullptr;
  Stream stream_ = nullptr;
  bool long_running_ = false;
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

using Clock = std::chrono::steady_clock;
constexpr auto kDeadlineSlack = std::chrono::milliseconds(100);

void get_export(const RouteContext& context, const HTTPServerRequest& http_request,
                const Poco::URI& uri, HTTPServerResponse& response) {
  Poco::URI::QueryParameters parameters = uri.getQueryParameters();
  const std::string format = take_parameter(parameters, "format", "csv");
  if (format != "csv" && format != "json")
    throw BadRequest("Parameter `format`: csv or json, not '" + format + "'");
  const SearchRequest request = parse_search_request(parameters);
  // The listener shuts the connection down at the same deadline, should a write be blocked.
  const auto deadline = Clock::now() + context.options.stream_time_limit;
  const StreamSlot slot(context);
  response.setChunkedTransferEncoding(true);
  response.setContentType(format == "csv" ? "text/csv; charset=utf-8"
                                          : "application/json; charset=utf-8");
  response.set("Content-Disposition", "attachment; filename=\"lupa-export." + format + "\"");
  response.set("Cache-Control", "no-store");
  if (is_head(http_request)) {
    response.send();
    return;
  }
  std::ostream& out = response.send();
  CsvWriter csv(out);
  JsonLinesArrayWriter json(out);
  ResultWriter& writer = format == "csv" ? static_cast<ResultWriter&>(csv) : json;
  writer.begin();
  std::string stopped_because;
  int rows = 0;
  context.service.for_each_match(request, [&](const Poco::JSON::Object::Ptr& stored) {
    writer.passage(stored);
    // A write to a client that left fails inside the stream, which only marks itself bad; so
    // does a write the listener cut at the deadline (which it may reach a moment before us).
    if ((!out.good() || ++rows % 100 == 0) && Clock::now() + kDeadlineSlack >= deadline)
      stopped_because = "the export took longer than " +
                        std::to_string(context.options.stream_time_limit.count()) + " s";
    else if (!out.good())
      stopped_because = "the client closed the connection";
    return stopped_because.empty();
  });
  if (!stopped_because.empty()) throw AnswerCutShort(stopped_because);
  writer.end();
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
  const SearchRequest request = parse_search_request(parameters);
  send_html(response, render_search_page(request, service.search(request), parameters,
                                         ui_of(http_request, uri)));
}

constexpr std::string_view kPassagePagePath = "/passages/";

// "corpus.plan-txt.0025" -> "corpus.plan-txt.0024" (delta -1), keeping the number's width.
std::string neighbour_id(const std::string& id, int delta) {
  const auto dot = id.rfind('.');
  if (dot == std::string::npos) return "";
  const std::string digits = id.substr(dot + 1);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return "";
  const long ordinal = std::stol(digits) + delta;
  if (ordinal < 1) return "";
  std::string number = std::to_string(ordinal);
  if (number.size() < digits.size()) number.insert(0, digits.size() - number.size(), '0');
  return id.substr(0, dot + 1) + number;
}

void get_passage_page(const RouteContext& context, const HTTPServerRequest& http_request,
                      const Poco::URI& uri, HTTPServerResponse& response) {
  const SearchService& service = context.service;
  const std::string id = uri.getPath().substr(kPassagePagePath.size());
  PassageView view;
  view.passage = id.empty() || id.size() > 512 ? nullptr : service.passage(id);
  if (!view.passage)
    throw HttpError(HTTPResponse::HTTP_NOT_FOUND, "No passage with id '" + id + "'");
  view.previous = service.passage(neighbour_id(id, -1));
  view.next = service.passage(neighbour_id(id, +1));
  const std::string translation = view.passage->optValue<std::string>("translation_id", "");
  if (!translation.empty()) view.translation = service.passage(translation);
  if (const auto same = view.passage->getArray("same_as"))
    for (std::size_t i = 0; i < same->size(); ++i)
      if (auto other = service.passage(same->getElement<std::string>(static_cast<unsigned>(i))))
        view.same_commitment.push_back(other);
  if (view.passage->optValue<std::string>("kind", "") == "commitment")
    view.similar = service.similar(id, 1, 5);
  send_html(response, render_passage_page(view, ui_of(http_request, uri)));
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
  const SearchRequest request = parse_search_request(uri.getQueryParameters());
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

Poco::JSON::Object::Ptr get_search(const SearchService& service, const Poco::URI& uri) {
  return search_json(service.search(parse_search_request(uri.getQueryParameters())));
}

Poco::JSON::Object::Ptr get_facets(const SearchService& service, const Poco::URI&) {
  return facets_json(service.facets());
}

Poco::JSON::Object::Ptr get_health(const SearchService& service, const Poco::URI&) {
  return health_json(service.health());
}

constexpr std::string_view kPassagesPath = "/api/passages/";

Poco::JSON::Object::Ptr get_passage(const SearchService& service, const Poco::URI& uri) {
  const std::string id = uri.getPath().substr(kPassagesPath.size());
  if (id.empty() || id.size() > 512) throw BadRequest("Passage id is missing or too long");
  auto passage = service.passage(id);
  if (!passage) throw HttpError(HTTPResponse::HTTP_NOT_FOUND, "No passage with id '" + id + "'");
  return passage;
}

constexpr std::string_view kSimilarPath = "/api/similar/";

Poco::JSON::Object::Ptr get_similar(const SearchService& service, const Poco::URI& uri) {
  const std::string id = uri.getPath().substr(kSimilarPath.size());
  if (id.empty() || id.size() > 512) throw BadRequest("Passage id is missing or too long");
  const SearchRequest paging = parse_search_request(uri.getQueryParameters());
  auto similar = service.similar(id, paging.page, paging.per_page);
  if (!similar) throw HttpError(HTTPResponse::HTTP_NOT_FOUND, "No passage with id '" + id + "'");
  return search_json(*similar);
}

Poco::JSON::Object::Ptr not_found(const SearchService&, const Poco::URI& uri) {
  throw HttpError(HTTPResponse::HTTP_NOT_FOUND, "No such endpoint: " + uri.getPath());
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
    // One route table: exact paths, then the prefixes of paths that end in a passage id.
    static const std::map<std::string, ApiHandler::Route, std::less<>> kRoutes = {
        {"/api/search", &get_search},
        {"/api/facets", &get_facets},
        {"/healthz", &get_health},
    };
    static const std::map<std::string, ApiHandler::Stream, std::less<>> kStreams = {
        {"/api/export", &get_export},
        {"/api/feed", &get_feed},
        {"/", &get_page},
        {"/static/lupa.css", &get_stylesheet},
    };
    if (const auto found = kStreams.find(path); found != kStreams.end())
      return new ApiHandler(context_, logger_, found->second,
                            found->second == &get_export || found->second == &get_feed);
    if (path.starts_with(kPassagePagePath))
      return new ApiHandler(context_, logger_, &get_passage_page);
    ApiHandler::Route route = &not_found;
    if (const auto found = kRoutes.find(path); found != kRoutes.end())
      route = found->second;
    else if (path.starts_with(kPassagesPath))
      route = &get_passage;
    else if (path.starts_with(kSimilarPath))
      route = &get_similar;
    return new ApiHandler(context_, logger_, route);
  }

 private:
  const RouteContext& context_;
  Poco::Logger& logger_;
};

}  // namespace

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
        context_{service, options_, streams_in_progress_} {
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
