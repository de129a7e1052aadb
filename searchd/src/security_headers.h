// Headers every answer of the daemon carries, so that a browser never guesses a type, leaks a
// search to another site through the referrer, or runs anything but Lupa's own stylesheet.
#pragma once

#include <Poco/Net/HTTPResponse.h>

namespace lupa::searchd {

/// The page and passage views use only /static/lupa.css: no script, no inline style.
inline constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'";

inline void add_security_headers(Poco::Net::HTTPResponse& response) {
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "same-origin");
  response.set("Content-Security-Policy", kContentSecurityPolicy);
}

}  // namespace lupa::searchd
