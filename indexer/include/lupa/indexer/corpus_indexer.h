// One indexer run: walks the corpus folders, re-reads what changed, and commits once.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
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
  /// Called after each file; may be empty.
  std::function<void(const IndexProgress&)> on_progress;
};

struct FileReport {
  std::string path;
  std::string message;
};

struct IndexSummary {
  std::size_t files_seen = 0;       ///< supported documents found
  std::size_t files_indexed = 0;    ///< new or changed, (re)indexed
  std::size_t files_unchanged = 0;  ///< same content and metadata as last run
  std::size_t files_removed = 0;    ///< gone from the corpus, passages deleted
  std::size_t files_failed = 0;
  std::size_t passages_written = 0;
  std::size_t passages_in_index = 0;
  std::uint64_t bytes_read = 0;
  double seconds = 0;
  std::size_t pages_text_layer = 0;  ///< PDF pages read from their text layer
  std::size_t pages_recognised = 0;  ///< page images recognised with Tesseract in this run
  std::size_t pages_from_cache = 0;  ///< page images whose text came from the OCR cache
  std::size_t links = 0;             ///< commitment passages whose cross-document links changed
  /// Symbolic links out of the corpus folders, not followed (each one is in `skipped` too).
  std::size_t symlinks_not_followed = 0;
  std::vector<FileReport> errors;    ///< files that could not be indexed, and why
  std::vector<FileReport> skipped;   ///< files left alone, and why (unsupported type, ...)
  std::vector<FileReport> inferred;  ///< metadata the indexer guessed, per file
  std::vector<FileReport> notes;     ///< other things worth knowing (header lines dropped, ...)
};

/// Runs the indexer. Per-file problems are reported in the summary and the run goes on;
/// problems with the database or the folders themselves throw (std::runtime_error,
/// Xapian::Error), and then nothing of the run is committed.
IndexSummary index_corpus(const IndexerOptions& options);

}  // namespace lupa::indexer
