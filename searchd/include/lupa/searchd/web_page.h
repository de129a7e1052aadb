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

/// What the passage page shows beyond the passage view, from the request and the server.
struct PassagePageContext {
  /// The URL's parameters: the search the passage was reached from (q, filters, page, ...),
  /// kept in every link of the page so that "back to results" returns to exactly that search.
  QueryParameters search;
  /// The passage's and its translation's text as HTML with the query's words marked
  /// (SearchService::mark_query_words); empty: the text is shown as it is.
  std::string text_html;
  std::string translation_html;
  std::string permanent_url;     ///< the passage's link for citations (the server's public URL)
  bool original_served = false;  ///< /files/{id} serves its document's file
};

/// A passage with its document's metadata (a line per facet of `table` with a stored field
/// and a value, the commitment's number and title, the text's source), its translation side
/// by side, a citation line, the link to the original file and its neighbours.
std::string render_passage_page(const PassageView& view, UiLanguage ui,
                                schema::FacetTable table = schema::standard_facets(),
                                const PassagePageContext& context = {});

/// A body's page: its commitments grouped by plan, each with its role, number, title, status
/// and IRM ratings, linked to its passages.
std::string render_agency_page(const AgencyPage& page, UiLanguage ui);

}  // namespace lupa::searchd
