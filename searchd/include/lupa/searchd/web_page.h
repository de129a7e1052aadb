// The search page for citizens and researchers, rendered on the server: plain HTML forms and
// links, so that searching, filtering and paging work with JavaScript off, and the whole state
// (query, filters, page, interface language) lives in the URL for bookmarks, sharing and the
// back button.
#pragma once

#include <string>

#include "lupa/analyzers/schema.h"
#include "lupa/searchd/search_request.h"
#include "lupa/searchd/search_service.h"

namespace lupa::searchd {

enum class UiLanguage { kSpanish, kEnglish };

/// `ui=es|en` when given, else the first of Spanish or English in Accept-Language, else Spanish.
UiLanguage choose_ui_language(const std::string& ui_parameter, const std::string& accept_language);

/// The search page for `request` and its `result`; `parameters` are the URL's, to build links.
/// A panel per `shown` facet of `table`, in its order.
std::string render_search_page(const SearchRequest& request, const SearchResult& result,
                               const QueryParameters& parameters, UiLanguage ui,
                               schema::FacetTable table = schema::standard_facets());

/// A passage with its document's metadata (a line per `shown` facet of `table` with a stored
/// field) and its neighbours.
std::string render_passage_page(const PassageView& view, UiLanguage ui,
                                schema::FacetTable table = schema::standard_facets());

/// A body's page: its commitments grouped by plan, each with its role, number, title, status
/// and IRM ratings, linked to its passages.
std::string render_agency_page(const AgencyPage& page, UiLanguage ui);

}  // namespace lupa::searchd
