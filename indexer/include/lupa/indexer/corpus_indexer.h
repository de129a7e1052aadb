// One indexer run: walks the corpus folders, re-reads what changed, and commits once.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace lupa::indexer {

struct IndexProgress {
  std::size_t files_done = 0;
  std::size_t files_total = 0;
  std::uint64_t bytes_read = 0;
  double seconds = 0;
};

struct IndexerOptions {
  std::filesystem::path database;
  /// Shards to write (shard_layout.h); nothing: whatever `database` already is, else one.
  std::optional<std::size_t> shards;
  std::vector<std::filesystem::path> corpus_folders;
  /// Where recognised page texts are kept between runs; empty: beside the database, in
  /// `<database's parent>/ocr-cache`, so that rebuilding the database reuses them.
  std::filesystem::path ocr_cache;
  bool clear_ocr_cache = false;  ///< empty the cache before the run
  /// Follow symbolic links to files outside the corpus folders (by default they are reported
  /// and skipped: a link could make any file the indexer can read searchable).
  bool follow_external_symlinks = false;
  /// How long one image or PDF may take to read; past it the file is reported and skipped.
  std::chrono::seconds file_time_limit{3600};
  /// Memory for the commitment passages held until the run's linking, so that each is written
  /// once, with its links (index_writer.h, HeldCommitment): about 400 bytes each, and a million
  /// passages have about 150,000 commitments. Past it they are written at once and rewritten
  /// by the linker (slower: bench/README.md, "Linking before writing"). 0: none held.
  std::size_t held_commitment_bytes = std::size_t{128} << 20;
  /// A single database built from nothing is written as this many partial databases side by
  /// side, merged when the run commits (shard_layout.h); 0: one per core, at most 4.
  std::size_t partial_databases = 0;
  /// Called after each file; may be empty.
  std::function<void(const IndexProgress&)> on_progress;
};

struct FileReport {
  std::string path;
  std::string message;
};

/// An institution the recogniser found named that agencies.tsv does not know, with the first
/// file of the run that named it: a row to add (docs/data-files.md).
struct DiscoveredInstitutionReport {
  std::string id;    ///< its facet value, "ke-kenya-school-of-government"
  std::string name;  ///< as the file wrote it
  std::string path;  ///< the first document of the run that named it
};

/// What the end of a run that changed passages did (links, duplicate groups, the commit).
struct EndOfRun {
  bool done = false;                   ///< links and groups were computed again (passages changed)
  bool everything = false;             ///< over every passage, not only those the changes touch
  std::size_t commitments_read = 0;    ///< commitment passages linked again
  std::size_t commitments_held = 0;    ///< of those, written only once linked
  std::size_t passages_regrouped = 0;  ///< passages grouped again
  std::size_t passages_rewritten = 0;  ///< passages rewritten with new links or groups
  double linking_seconds = 0;
  double grouping_seconds = 0;
  double commit_seconds = 0;
};

struct IndexSummary {
  std::size_t files_seen = 0;       ///< supported documents found
  std::size_t files_indexed = 0;    ///< new or changed, (re)indexed
  std::size_t files_unchanged = 0;  ///< same content and metadata as last run
  std::size_t files_removed = 0;    ///< gone from the corpus, passages deleted
  std::size_t files_failed = 0;     ///< files that could not be indexed (each one is in `errors`)
  std::size_t passages_written = 0;
  std::size_t passages_in_index = 0;
  std::uint64_t bytes_read = 0;
  double seconds = 0;
  std::size_t pages_text_layer = 0;  ///< PDF pages read from their text layer
  std::size_t pages_recognised = 0;  ///< page images recognised with Tesseract in this run
  std::size_t pages_from_cache = 0;  ///< page images whose text came from the OCR cache
  std::size_t links = 0;             ///< commitment passages whose cross-document links changed
  /// Near-duplicate groups in the index and the passages in them, after a run that changed
  /// passages (both 0 after a run that changed none).
  std::size_t duplicate_groups = 0;
  std::size_t duplicate_passages = 0;
  EndOfRun end_of_run;
  /// Symbolic links out of the corpus folders, not followed (each one is in `skipped` too).
  std::size_t symlinks_not_followed = 0;
  /// Files that could not be indexed and manifest errors (a field or entry ignored, a manifest
  /// that cannot be read), and why; any of them makes the run's exit status 1.
  std::vector<FileReport> errors;
  /// Problems that cost nothing but deserve a look: a manifest's unknown country or plan (kept
  /// as given), an unknown field, an entry that names no document.
  std::vector<FileReport> warnings;
  std::vector<FileReport> skipped;   ///< files left alone, and why (unsupported type, ...)
  std::vector<FileReport> inferred;  ///< metadata the indexer guessed, per file
  std::vector<FileReport> notes;     ///< other things worth knowing (header lines dropped, ...)
  /// Institutions of the passages written in this run that agencies.tsv does not know, each
  /// once, in corpus order; their names are stored in the index as their labels.
  std::vector<DiscoveredInstitutionReport> discovered;
};

/// Runs the indexer. Per-file and manifest problems are reported in the summary and the run
/// goes on; problems with the database or the folders themselves throw (std::runtime_error,
/// Xapian::Error), and then nothing of the run is committed.
///
/// A manifest is read leniently (manifest.h): a field at fault is inferred instead, an entry at
/// fault is ignored. A manifest that cannot be read at all leaves the documents of its folder
/// that the index has as they are, and indexes the others with inferred metadata.
IndexSummary index_corpus(const IndexerOptions& options);

}  // namespace lupa::indexer
