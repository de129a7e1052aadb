// The user metadata key that tells one commit of a database from the next, shared by the
// indexer, which writes it, and the searcher, which reads it over shard servers.
#pragma once

#include <string_view>

namespace lupa::schema {

/// User metadata key holding an id the indexer draws anew (128 random bits, 32 hex digits)
/// for every commit that changes the database. Xapian's remote backend does not give a
/// database's revision; this key it does give, so a searcher over shard servers sees any
/// change, even one that rewrites documents in place and leaves their count and last id as
/// they were. Absent from an index no run has changed since it was introduced.
inline constexpr std::string_view kCommitIdKey = "lupa:commit";

}  // namespace lupa::schema
