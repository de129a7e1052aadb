// How stored passages were read before PassageRecord::parse read its JSON as the parser went:
// through Poco's Dynamic::Var tree of the whole object. Kept as the reference the reader of
// today is compared with, record by record and error by error.
#pragma once

#include <string_view>

#include "lupa/analyzers/passage_record.h"

namespace lupa::schema::testing {

/// PassageRecord::parse as it read records through Poco's ParseHandler.
PassageRecord parse_through_var_tree(std::string_view data);

}  // namespace lupa::schema::testing
