#include "support/http_client.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

namespace lupa::testing {

Poco::JSON::Object::Ptr HttpReply::json() const {
  try {
    return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception& error) {
    ADD_FAILURE() << "body is not a JSON object: " << body.substr(0, 200);
    return new Poco::JSON::Object;
  }
}

HttpReply http_get(unsigned short port, const std::string& target) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, target,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& body = session.receiveResponse(response);
  HttpReply reply;
  reply.status = static_cast<int>(response.getStatus());
  reply.content_type = response.getContentType();
  for (const auto& [name, value] : response) reply.headers.emplace(name, value);
  Poco::StreamCopier::copyToString(body, reply.body);
  return reply;
}

std::string url_encode(const std::string& value) {
  std::string encoded;
  Poco::URI::encode(value, "+&=?#%/", encoded);
  return encoded;
}

}  // namespace lupa::testing
