// Fills in the metadata a manifest did not give: title, languages, date, country, type, report
// stage, plan. Each guess is recorded so the indexer's summary can say what it inferred.
//
// The rules, each over the text as extracted (page chrome already removed, text_cleanup.h):
// - title: the HTML title without the site's name; else the first line that is a title (not
//   chrome, a number, a date, a link, a list item, a sentence, "Índice"); a line of a few words
//   that names no kind of document ("REPUBLIC OF KENYA") gives way to a next line that does,
//   and one that names a kind of document but no country nor year ("Independent Reporting
//   Mechanism (IRM)") is joined to a next line that does.
// - type: the first type of document-types.tsv the title names; else the markers of
//   document-type-markers.tsv in the title and the opening (the first kOpeningBytes).
// - report stage: for types that have stages, the stage the title names, else the opening.
// - country: the member the title names; else the one its OGP commitment ids (KE0023) belong
//   to; else the one the text names most, paragraphs of imprint (licence, copyright, postal
//   address) left out.
// - plan: a period of the title ("2019–2022"); a plan number of the title ("IV Plan"); a
//   period of the opening that plans.tsv knows; a period on an opening line that names a plan
//   or a report ("Action Plan: Spain Action Plan 2020-2024"); a plan number of the opening;
//   the plan of plans.tsv whose years hold the document's year.
// All data comes from analyzers/data (docs/data-files.md). Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lupa/indexer/document.h"

namespace lupa::indexer {

/// How much of a document's start is read for its date, type, stage and plan.
inline constexpr std::size_t kOpeningBytes = 6000;
/// How much of it is read for the country it names most.
inline constexpr std::size_t kCountryBytes = 20000;

/// The first date written in `text` as ISO 8601 (YYYY-MM-DD), in Spanish ("20 de septiembre
/// de 2011"), English ("14 December 2012", "December 14, 2012") or ISO form.
std::optional<std::string> find_first_date(std::string_view text);

/// The title of a document: `source_title` (an HTML <title>) without the site's name, else
/// the title lines at the start of `text` (see above); empty when there is none.
std::string infer_title(std::string_view text, const std::optional<std::string>& source_title);

/// The member `text` is about, given its `title` (see above).
std::optional<std::string> infer_document_country(std::string_view title, std::string_view text);

/// Completes `given` from the document's text, its source title and its passages (with their
/// languages set). Appends "field=value" to `inferred` for each field it filled.
DocumentMetadata complete_metadata(DocumentMetadata given, std::string_view text,
                                   const std::optional<std::string>& source_title,
                                   const std::vector<Passage>& passages,
                                   std::vector<std::string>& inferred);

}  // namespace lupa::indexer
