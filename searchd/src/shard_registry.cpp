#include "lupa/searchd/shard_registry.h"

#include "lupa/analyzers/agency_question.h"
#include "lupa/analyzers/quantised_bm25.h"
#include "lupa/analyzers/term_boost.h"
#include "lupa/searchd/facet_counter.h"

namespace lupa::searchd {

Xapian::Registry shard_registry() {
  Xapian::Registry registry;
  registry.register_match_spy(FacetCounter(schema::standard_facets(), {}));
  registry.register_match_spy(MatchCounter());
  analyzers::register_agency_signal(registry);
  analyzers::register_term_boost(registry);
  analyzers::register_quantised_bm25(registry);
  return registry;
}

}  // namespace lupa::searchd
