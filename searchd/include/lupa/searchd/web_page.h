// The search page for citizens and researchers, rendered on the server: plain HTML forms and
// links, so that searching, filtering and paging work with JavaScript off, and the whole state
// (query, filters, page, interface language) lives in the URL for bookmarks, sharing and the
// back button.
#pragma once

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

#include "lupa/searchd/search_request.h"
#include "lupa/searchd/search_service.h"

namespace lupa::searchd {

enum class UiLanguage { kSpanish, kEnglish };

/// `ui=es|en` when given, else the first of Spanish or English in Accept-Language, else Spanish.
UiLanguage choose_ui_language(const std::string& ui_parameter, const std::string& accept_language);

/// The search page for `request` and its `result`; `parameters` are the URL's, to build links.
std::string render_search_page(const SearchRequest& request, const SearchResult& result,
                               const QueryParameters& parameters, UiLanguage ui);

struct PassageView {
  Poco::JSON::Object::Ptr passage;
  Poco::JSON::Object::Ptr previous;     ///< the passage before it in its document, if any
  Poco::JSON::Object::Ptr next;         ///< the one after it
  Poco::JSON::Object::Ptr translation;  ///< its translation, if any
  std::vector<Poco::JSON::Object::Ptr> same_commitment;  ///< in other documents (by OGP id)
  std::optional<SearchResult> similar;                   ///< similar commitments
};

/// A passage with its document's metadata and its neighbours.
std::string render_passage_page(const PassageView& view, UiLanguage ui);

}  // namespace lupa::searchd
