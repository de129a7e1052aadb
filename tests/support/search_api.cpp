#include "support/search_api.h"

#include <gtest/gtest.h>

#include "support/http_client.h"
#include "support/temp_dir.h"

namespace lupa::testing {

struct CorpusServer::State {
  TempDir dir;
  RunResult indexer_run;
  std::unique_ptr<SearchDaemon> daemon;
};

CorpusServer& CorpusServer::instance() {
  static CorpusServer server;  // lives until exit, then stops the daemon and removes the index
  return server;
}

void CorpusServer::StateDeleter::operator()(State* state) const {
  delete state;
}

CorpusServer::CorpusServer() : state_(new State) {
  // Every test process indexes the corpus; the scans are recognised once, by the first, and
  // read from a cache in the build folder by the others.
  state_->indexer_run =
      run_program(std::filesystem::path(LUPA_BIN_DIR) / "lupa-indexer",
                  {"--quiet", "--ocr-cache", LUPA_TEST_OCR_CACHE, "--db",
                   (state_->dir.path() / "index").string(), corpus_dir().string()});
  if (state_->indexer_run.exit_code != 0)
    throw std::runtime_error("indexing the corpus failed: " + state_->indexer_run.err);
  // It serves the corpus's own files too (/files/{id}), as a deployment would.
  state_->daemon = std::make_unique<SearchDaemon>(
      state_->dir.path() / "index", std::vector<std::string>{"--corpus", corpus_dir().string()});
}

unsigned short CorpusServer::port() const {
  return state_->daemon->port();
}
const RunResult& CorpusServer::indexer_run() const {
  return state_->indexer_run;
}
bool CorpusServer::daemon_running() const {
  return state_->daemon->running();
}

Poco::JSON::Object::Ptr CorpusServer::search(const std::string& query_string) const {
  const HttpReply reply = http_get(port(), "/api/search?" + query_string);
  EXPECT_EQ(reply.status, 200) << query_string << ": " << reply.body;
  EXPECT_EQ(reply.content_type, "application/json; charset=utf-8");
  return reply.json();
}

Poco::JSON::Object::Ptr CorpusServer::search_q(const std::string& q,
                                               const std::string& more) const {
  return search("q=" + url_encode(q) + more);
}

std::vector<Poco::JSON::Object::Ptr> CorpusServer::all_hits(const std::string& query_string) const {
  std::vector<Poco::JSON::Object::Ptr> hits;
  for (int page = 1;; ++page) {
    const auto result = search(query_string + "&per_page=100&page=" + std::to_string(page));
    const auto page_hits = result->getArray("hits");
    for (unsigned i = 0; i < page_hits->size(); ++i) hits.push_back(page_hits->getObject(i));
    if (page * 100 >= total(result)) return hits;
  }
}

Poco::JSON::Object::Ptr hit(const Poco::JSON::Object::Ptr& result, unsigned index) {
  const auto hits = result->getArray("hits");
  if (index >= hits->size()) {
    ADD_FAILURE() << "no hit number " << index + 1;
    return new Poco::JSON::Object;
  }
  return hits->getObject(index);
}

int total(const Poco::JSON::Object::Ptr& result) {
  return result->getValue<int>("total");
}

std::map<std::string, int> facet_counts(const Poco::JSON::Object::Ptr& result,
                                        const std::string& facet) {
  std::map<std::string, int> counts;
  const auto values = result->getObject("facets")->getArray(facet);
  if (!values) {
    ADD_FAILURE() << "no facet " << facet;
    return counts;
  }
  for (unsigned i = 0; i < values->size(); ++i)
    counts[values->getObject(i)->getValue<std::string>("value")] =
        values->getObject(i)->getValue<int>("count");
  return counts;
}

std::vector<std::string> string_list(const Poco::JSON::Object::Ptr& object,
                                     const std::string& field) {
  std::vector<std::string> values;
  const auto array = object->getArray(field);
  if (array)
    for (unsigned i = 0; i < array->size(); ++i)
      values.push_back(array->getElement<std::string>(i));
  return values;
}

}  // namespace lupa::testing
