// How stored passages were read and written through Poco's objects: read through the
// Dynamic::Var tree of the whole object, before PassageRecord::parse read its JSON as the parser
// went; written through Poco's Object and its stringifier, before PassageRecord::serialise wrote
// every record directly. Kept as the references today's reader and writer are compared with,
// record by record, error by error and byte by byte.
#pragma once

#include <string>
#include <string_view>

#include "lupa/analyzers/passage_record.h"

namespace lupa::schema::testing {

/// PassageRecord::parse as it read records through Poco's ParseHandler.
PassageRecord parse_through_var_tree(std::string_view data);

/// PassageRecord::serialise as Poco's objects write every record.
std::string serialise_through_poco(const PassageRecord& record);

}  // namespace lupa::schema::testing
