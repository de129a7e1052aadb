// The bundled corpus indexed once per test process and served by a real lupa-searchd, with
// helpers to query it over HTTP.
#pragma once

#include <Poco/JSON/Object.h>

#include <map>
#include <memory>
#include <string>

#include "support/process.h"

namespace lupa::testing {

/// Indexes corpus/ with the real lupa-indexer into a temporary folder and starts the real
/// daemon on it (with --corpus corpus/), on first use; both live until the process ends.
class CorpusServer {
 public:
  static CorpusServer& instance();

  unsigned short port() const;
  const RunResult& indexer_run() const;
  bool daemon_running() const;

  /// GET /api/search?<query_string>; expects 200 and returns the parsed body.
  Poco::JSON::Object::Ptr search(const std::string& query_string) const;
  /// search() with q=<url-encoded q> followed by `more` ("&plan=...").
  Poco::JSON::Object::Ptr search_q(const std::string& q, const std::string& more = "") const;
  /// Every hit of a search, across all its pages.
  std::vector<Poco::JSON::Object::Ptr> all_hits(const std::string& query_string) const;

 private:
  CorpusServer();
  struct State;
  struct StateDeleter {
    void operator()(State* state) const;
  };
  std::unique_ptr<State, StateDeleter> state_;  // destroyed at exit: stops the daemon
};

Poco::JSON::Object::Ptr hit(const Poco::JSON::Object::Ptr& result, unsigned index);
int total(const Poco::JSON::Object::Ptr& result);
/// value -> count of one facet of a search or /api/facets answer.
std::map<std::string, int> facet_counts(const Poco::JSON::Object::Ptr& result,
                                        const std::string& facet);
/// The strings of a JSON array field of a hit.
std::vector<std::string> string_list(const Poco::JSON::Object::Ptr& object,
                                     const std::string& field);

}  // namespace lupa::testing
