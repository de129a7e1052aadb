// Groups near-duplicate passages across documents, over the whole index, at the end of every
// run: the same text read from a scan and from its text file, two copies of one web page, a
// report republished under another name. searchd shows each group once.
//
// A passage's fingerprint is a MinHash signature over the 3-word shingles of its normalised
// text (case and accents folded, words split by ICU, a word hyphenated across a line joined),
// so OCR misreadings, spacing and hyphenation cost only the few shingles they touch. Two
// passages of different documents whose estimated Jaccard similarity of shingles is at least
// kDuplicateSimilarity are duplicates; duplicates of duplicates join the group. Candidates are
// found by LSH banding (passages sharing one band of their signature), so the run compares the
// pairs sharing a band, not every pair: two passages are joined when they share a band and are
// duplicates, and a group is a component of that graph, whatever else shares their bands. (On
// text written from templates a band's bucket can hold hundreds of passages that are not
// duplicates; their pairs are compared, at 128 values each, once.)
// docs/architecture.md shows the measurements the threshold was chosen from.
//
// A group never holds two passages of one document: a document's repeated boilerplate is the
// document's own, and what searchd collapses must be different sources of one text. A component
// that would is split, by its passages alone, in passage id order.
#pragma once

#include <xapian.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "lupa/indexer/index_writer.h"

namespace lupa::indexer {

/// Hash functions of a signature: the estimate's standard error is about 0.04 near the
/// threshold.
inline constexpr std::size_t kFingerprintHashes = 128;
/// Words per shingle.
inline constexpr std::size_t kShingleWords = 3;
/// Passages of fewer words (headings, table cells, "Anexo 1") are not grouped: short texts
/// are shared by passages that are not copies of each other.
inline constexpr std::size_t kMinWordsToGroup = 10;
/// Estimated Jaccard similarity of shingle sets at or over which two passages are duplicates.
inline constexpr double kDuplicateSimilarity = 0.8;
/// Passages shorter than this are duplicates only when their shingles are all the same: in a
/// short passage one changed word is a different statement ("Potential for results:
/// Substantial" and "... Modest" on two commitment pages), not a misreading.
inline constexpr std::size_t kMinWordsForNearDuplicates = 25;

/// A passage's MinHash signature; `usable` is false for a text too short to group.
struct Fingerprint {
  std::array<std::uint64_t, kFingerprintHashes> minimums{};
  bool usable = false;
  std::size_t words = 0;
};

/// The fingerprint of `text` (UTF-8).
Fingerprint fingerprint(std::string_view text);

/// Estimated Jaccard similarity of the shingle sets of the two texts, 0 to 1; 0 when either
/// is not usable.
double estimated_similarity(const Fingerprint& a, const Fingerprint& b);

/// Whether passages of these fingerprints are duplicates: estimated similarity at least
/// kDuplicateSimilarity, or all shingles alike when either is under kMinWordsForNearDuplicates.
bool are_duplicates(const Fingerprint& a, const Fingerprint& b);

/// What the grouper keeps of a passage in schema::kSlotDuplicateSignature, made on the worker
/// threads with the passage's document so that grouping never parses document data or segments
/// text again: a zero byte, and when `text` is long enough to group, its word count and the low
/// 16 bits of each value of fingerprint(text). Two different values agree in their low 16 bits
/// once in 65,536 (b-bit MinHash), which moves an estimated similarity by less than 0.0001. The
/// passage id, which the grouper needs beside it, is read from schema::kSlotPassageId: stored
/// here too, it cost every passage some 50 bytes more to write, and as much of the memory Xapian
/// keeps of a transaction's values.
std::string duplicate_signature(std::string_view text);

/// A passage's id (schema::kSlotPassageId) and its kSlotDuplicateSignature value as one string,
/// the id first, as the grouper reads them and RunChanges::deleted_signatures holds them (a
/// value an index before lupa-analysis/12 wrote held the id itself, and is returned as it is).
std::string signature_with_id(std::string_view passage_id, std::string_view signature);
std::string signature_with_id(const Xapian::Document& passage);

/// Adds to a passage built with its kSlotDuplicateSignature a term per band of its signature it
/// is bucketed by (schema::kDuplicateBandPrefix, the band, part of its key): 8 bands, or the first
/// alone for a passage under kMinWordsForNearDuplicates, whose duplicates share every band. By
/// them a run that changes a few passages finds their duplicates without reading every passage's
/// signature. None for a passage too short to group.
void add_band_terms(Xapian::Document& document);

struct DuplicateGrouping {
  std::size_t passages_changed = 0;  ///< passages whose groups changed in this call
  std::size_t passages_read = 0;     ///< passages whose groups were computed again
  bool everything = false;           ///< every passage's (changes too many, or none given)
  std::size_t groups = 0;            ///< duplicate groups in the index
  std::size_t grouped = 0;           ///< passages in them
};

/// Recomputes the duplicate group (schema::kSlotDuplicateGroup and its term) and the shown-once
/// group (schema::kSlotShownOnce: a passage, its translation and their duplicates) of every
/// passage in `database`, rewriting only the passages whose groups changed. Idempotent, and the
/// same whatever the docids: `database` may combine shards (shard_layout.h). `rewritten`, when
/// given, is called with the docid of each passage rewritten.
///
/// With `changes` (what the run wrote and deleted; not too_many), only the passages they can
/// touch are read and grouped again: the groups of the passages written and of the duplicates of
/// those deleted, found duplicate by duplicate through their band terms, and for shown-once
/// groups their translation groups and duplicate group terms. The result is the same as grouping
/// every passage, at a cost that follows the changes and their duplicates, not the index nor what
/// merely shares a band with them. That needs every passage's band terms (add_band_terms).
DuplicateGrouping group_duplicates(Xapian::WritableDatabase& database,
                                   const std::function<void(Xapian::docid)>& rewritten = {},
                                   const RunChanges* changes = nullptr);

}  // namespace lupa::indexer
