#include "lupa/searchd/http_server.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>

#include <map>

#include "lupa/analyzers/query_analyzer.h"
#include "lupa/searchd/json_response.h"

namespace lupa::searchd {
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

void send_json(HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
               const Poco::JSON::Object::Ptr& body) {
  const std::string text = to_string(body);
  response.setStatusAndReason(status);
  response.setContentType("application/json; charset=utf-8");
  response.set("Cache-Control", "no-store");
  response.setContentLength(static_cast<std::streamsize>(text.size()));
  response.send() << text;
}

// One handler object per request; routes are plain functions of (request) -> JSON.
class ApiHandler final : public HTTPRequestHandler {
 public:
  using Route = Poco::JSON::Object::Ptr (*)(const SearchService&, const Poco::URI&);
  ApiHandler(const SearchService& service, Poco::Logger& logger, Route route)
      : service_(service), logger_(logger), route_(route) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    try {
      if (request.getMethod() != "GET" && request.getMethod() != "HEAD")
        throw HttpError(HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "Only GET is supported");
      Poco::URI uri;
      try {
        uri = Poco::URI(request.getURI());
        uri.getQueryParameters();  // reject bad %-escapes here, as a 400
      } catch (const Poco::SyntaxException& error) {
        throw BadRequest("Malformed URL: " + error.message());
      }
      send_json(response, HTTPResponse::HTTP_OK, call_with_retry(uri));
    } catch (const HttpError& error) {
      send_json(response, error.status, error_json(error.what()));
    } catch (const BadRequest& error) {
      send_json(response, HTTPResponse::HTTP_BAD_REQUEST, error_json(error.what()));
    } catch (const analyzers::QuerySyntaxError& error) {
      send_json(response, HTTPResponse::HTTP_BAD_REQUEST,
                error_json(std::string("Parameter `q`: ") + error.what()));
    } catch (const Xapian::Error& error) {
      logger_.error("index error on %s: %s", request.getURI(), error.get_description());
      send_json(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                error_json("The index cannot be read right now; try again shortly"));
    } catch (const std::exception& error) {
      logger_.error("unexpected error on %s: %s", request.getURI(), std::string(error.what()));
      send_json(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, error_json("Internal error"));
    }
  }

 private:
  // The indexer may commit twice while a request reads an old revision; reading again
  // from the newest one is always right.
  Poco::JSON::Object::Ptr call_with_retry(const Poco::URI& uri) {
    try {
      return route_(service_, uri);
    } catch (const Xapian::DatabaseModifiedError&) {
      return route_(service_, uri);
    }
  }

  const SearchService& service_;
  Poco::Logger& logger_;
  Route route_;
};

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
  Router(const SearchService& service, Poco::Logger& logger) : service_(service), logger_(logger) {}

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
    ApiHandler::Route route = &not_found;
    if (const auto found = kRoutes.find(path); found != kRoutes.end())
      route = found->second;
    else if (path.starts_with(kPassagesPath))
      route = &get_passage;
    else if (path.starts_with(kSimilarPath))
      route = &get_similar;
    return new ApiHandler(service_, logger_, route);
  }

 private:
  const SearchService& service_;
  Poco::Logger& logger_;
};

}  // namespace

HttpServer::HttpServer(const SearchService& service, const HttpServerOptions& options,
                       Poco::Logger& logger)
    : pool_("http", 2, options.threads + 1) {  // +1: the server's own dispatcher thread
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(options.threads);
  params->setMaxQueued(options.max_queued);
  params->setKeepAlive(true);
  // Idle keep-alive connections hold a request thread each: let them go quickly.
  params->setKeepAliveTimeout(Poco::Timespan(2, 0));
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(options.bind_address, options.port));
  server_ =
      std::make_unique<Poco::Net::HTTPServer>(new Router(service, logger), pool_, socket, params);
}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::start() {
  server_->start();
}

void HttpServer::stop() {
  if (server_) server_->stopAll(true);
  pool_.joinAll();
}

unsigned short HttpServer::port() const {
  return server_->port();
}

}  // namespace lupa::searchd
