// Fills in the metadata a manifest did not give: title, languages, date, country, type, plan.
// Each guess is recorded so the indexer's summary can say what it inferred.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lupa/indexer/document.h"

namespace lupa::indexer {

/// The first date written in `text` as ISO 8601 (YYYY-MM-DD), in Spanish ("20 de septiembre
/// de 2011"), English ("14 December 2012", "December 14, 2012") or ISO form.
std::optional<std::string> find_first_date(std::string_view text);

/// Completes `given` from the document's text, its source title and its passages (with their
/// languages set). Appends "field=value" to `inferred` for each field it filled.
DocumentMetadata complete_metadata(DocumentMetadata given, std::string_view text,
                                   const std::optional<std::string>& source_title,
                                   const std::vector<Passage>& passages,
                                   std::vector<std::string>& inferred);

}  // namespace lupa::indexer
