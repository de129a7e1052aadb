// Links commitments across documents, over the whole index, at the end of every run:
// - the OGP website's entries of a plan and the commitments of that plan's own document are
//   the same commitments when both number them 1..N with the same N (they share a group key,
//   `group`, and its term, and the plan's commitment takes the entry's OGP id as
//   `linked_ogp_id`);
// - a commitment that cites "Paragraph of the Original Action Plan: 21 y 22" is linked to the
//   commitments numbered 21 and 22 in the action plan of its own plan (`original`).
// Running over the whole index, not one file, lets a new report link to plans indexed before.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <functional>
#include <span>
#include <string>

#include "lupa/analyzers/passage_record.h"
#include "lupa/indexer/index_writer.h"

namespace lupa::indexer {

/// What the linker reads of a commitment passage (schema::kSlotCommitmentLinks): the fields
/// it links by, its title's words, and a digest of its stored links, so that a run never parses
/// every commitment's document data, nor segments its title, again. Empty for other passages.
std::string commitment_link_value(const schema::PassageRecord& record);

/// Updates the links of every commitment passage in `database`; returns how many passages
/// changed. Idempotent: a second call with nothing new changes nothing. The same whatever the
/// docids: `database` may combine shards (shard_layout.h). `rewritten`, when given, is called
/// with the docid of each passage rewritten.
std::size_t link_commitments(Xapian::WritableDatabase& database,
                             const std::function<void(Xapian::docid)>& rewritten = {});

struct CommitmentLinking {
  std::size_t changed = 0;           ///< commitment passages given new links
  std::size_t rewritten = 0;         ///< of those, passages rewritten in the database
  std::size_t commitments_read = 0;  ///< commitment passages linked again
};

/// link_commitments, and with `changes` (what the run wrote and deleted; not too_many) only for
/// the commitments they can touch: those of the plans and OGP ids of the commitments written or
/// deleted (found by their facet terms), and so on. The links are the same as linking every
/// commitment, at a cost that follows the plans changed, not the index.
/// `held`: commitments of the run not written yet (IndexWriter::held_commitments), linked with
/// those of `database` as if they were in it, and given their links in place.
CommitmentLinking link_commitments(Xapian::WritableDatabase& database,
                                   const std::function<void(Xapian::docid)>& rewritten,
                                   const RunChanges* changes,
                                   std::span<HeldCommitment* const> held = {});

}  // namespace lupa::indexer
