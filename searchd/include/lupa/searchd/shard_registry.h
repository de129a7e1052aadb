// What a shard server must know to run Lupa's queries: Xapian's remote backend carries match
// spies and posting sources by name and runs them on the server, which builds them from this
// registry (Xapian's built-in ones are in every registry).
#pragma once

#include <xapian.h>

namespace lupa::searchd {

/// Xapian's defaults plus FacetCounter, MatchCounter and the agency signal's posting source.
Xapian::Registry shard_registry();

}  // namespace lupa::searchd
