// A small HTTP client for end-to-end tests against a daemon on 127.0.0.1.
#pragma once

#include <Poco/JSON/Object.h>

#include <map>
#include <string>

namespace lupa::testing {

struct HttpReply {
  int status = 0;
  std::string content_type;
  std::string body;
  std::map<std::string, std::string> headers;  ///< the last of each name, as sent
  /// The body parsed as a JSON object; fails the test when it is not one.
  Poco::JSON::Object::Ptr json() const;
};

/// GET `target` (path and query, already URL-encoded) from 127.0.0.1:`port`.
HttpReply http_get(unsigned short port, const std::string& target);

/// URL-encodes a query-string value ("á b" -> "%C3%A1+b").
std::string url_encode(const std::string& value);

}  // namespace lupa::testing
