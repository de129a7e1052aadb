// Where an index lives: one Xapian database, or N shards under one folder.
//
// `lupa-indexer --db DIR --shards N` (N > 1) writes DIR/shard-0 ... DIR/shard-<N-1>, each a
// plain Xapian database, and DIR/XAPIANDB, a Xapian stub file naming them, so that
// Xapian::Database("DIR") opens them all as one. A file's passages go to the shard shard_of
// gives for its path inside its corpus folder, so a changed or deleted file touches one shard.
// The number of shards is fixed when the layout is made: a file would otherwise move to
// another shard, and its old passages stay behind in the first one. docs/scale-out.md.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lupa/indexer/index_writer.h"
#include "lupa/indexer/new_index_folder.h"
#include "lupa/indexer/writer_threads.h"

namespace lupa::indexer {

/// The most shards a layout may have.
inline constexpr std::size_t kMaxShards = 256;
/// The stub file of a sharded layout (the name Xapian looks for in a folder).
inline constexpr std::string_view kStubFileName = "XAPIANDB";
/// Present while a run commits its shards one after the other: a run that finds it knows the
/// previous one was killed between two commits, and regroups and relinks every shard.
inline constexpr std::string_view kCommitMarkerName = "commit-in-progress";

/// A fixed function, the same on every compiler and machine: FNV-1a (64 bits) of the bytes of
/// `path_in_folder`, then SplitMix64's finaliser (FNV-1a's low bits alone spread poorly), modulo
/// `shard_count`. Not std::hash, which may change between standard libraries.
std::uint64_t shard_hash(std::string_view path_in_folder);
std::size_t shard_of(std::string_view path_in_folder, std::size_t shard_count);

/// The order the passes over the whole index (duplicate groups, commitment links) take passages
/// in: by document id, then ordinal, read from passage ids (schema::passage_id). Docids would
/// depend on the order files were indexed in and on the shard each is in; results must not.
bool passage_id_before(std::string_view a, std::string_view b);

/// The path of a document inside its corpus folder: "corpus/plans/a.txt" -> "plans/a.txt".
std::string_view path_in_corpus_folder(std::string_view document_path);

/// An index folder that cannot be used as asked: names the folder, says what to do.
class LayoutError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ShardLayout {
  std::filesystem::path directory;
  std::size_t shards = 1;  ///< 1: a single database at `directory`, no stub
  /// Nothing is there yet but what killed first runs left (left_by_unfinished_first_run): a
  /// run builds it out of sight and publishes it whole (new_index_folder.h).
  bool built_from_nothing = false;

  bool sharded() const { return shards > 1; }
  /// The database of shard `index`: `directory` itself when not sharded.
  std::filesystem::path shard_path(std::size_t index) const;
  std::filesystem::path stub_file() const { return directory / kStubFileName; }
  /// What the stub file holds: a comment, then "auto shard-<k>" per shard, relative to it.
  std::string stub_text() const;
};

/// The layout at `directory`, checked against the shard count asked for (nothing asked: the
/// layout already there, a single database when there is none). Throws LayoutError to change
/// the count of an existing layout, to shard a single database or the reverse, for a stub file
/// that is not one lupa-indexer wrote, or for a shard the stub names that is missing.
ShardLayout resolve_layout(const std::filesystem::path& directory,
                           std::optional<std::size_t> requested_shards);

/// The state of every file of an index as a run found it, read in one pass over each shard's
/// states: what ShardedWriter::file_state and indexed_files give, without a search of the
/// database per file.
class IndexedFiles {
 public:
  IndexedFiles() = default;
  IndexedFiles(IndexedFiles&&) = default;
  IndexedFiles& operator=(IndexedFiles&&) = default;
  IndexedFiles(const IndexedFiles&) = delete;  // the look-up points into `states_`
  IndexedFiles& operator=(const IndexedFiles&) = delete;

  /// The state ShardedWriter::file_state gives (the one in the shard the path goes to), or null.
  const FileState* state_of(std::string_view document_path) const;
  /// Every state, shard after shard, each in the order of its keys: as indexed_files() lists
  /// the files.
  const std::vector<FileState>& all() const { return states_; }

 private:
  friend class ShardedWriter;
  std::vector<FileState> states_;
  std::unordered_map<std::string_view, const FileState*> in_own_shard_;
};

/// The run's writers, one per shard, each in its own transaction (index_writer.h); or, for a
/// layout built from nothing, each in an unpublished folder, the layout published whole when
/// committed. Each writer writes on a thread of its own (writer_threads.h).
///
/// A single database built from nothing is written as `partials` partial databases side by
/// side, which the compaction that ends the run merges into one (bench/README.md, "Writing on
/// both cores"). A file goes to the partial shard_of gives its path, as it would to a shard.
class ShardedWriter {
 public:
  /// Opens or creates every shard, then writes the stub file when it is missing: before any
  /// shard holds a committed passage, so a layout with passages always has its stub.
  /// Throws std::runtime_error naming the folder when another run is building it from nothing.
  explicit ShardedWriter(ShardLayout layout, std::size_t partials = 1);
  ~ShardedWriter();
  ShardedWriter(const ShardedWriter&) = delete;
  ShardedWriter& operator=(const ShardedWriter&) = delete;

  const ShardLayout& layout() const { return layout_; }
  /// Databases written: the shards, or the partial databases of a run from nothing.
  std::size_t writer_count() const { return writers_.size(); }

  /// Runs `change` on the writer of the database the document goes to, on that writer's
  /// thread, after the changes given it before; waits while that thread has `weight` (about
  /// the bytes the change holds) or more queued. Rethrows, here, the first exception a change
  /// threw. Until finish_writes, nothing else may be asked of this object.
  void write(std::string_view document_path, std::uint64_t weight,
             std::function<void(IndexWriter&)> change);
  /// Waits for every change given to write(), rethrowing the first exception one threw; then
  /// gives the first database the accented spelling forms every writer met, in the order of
  /// their files (IndexWriter::keep_accented_forms).
  void finish_writes();

  /// The writer of the shard a document goes to.
  IndexWriter& writer_for(std::string_view document_path);
  std::optional<FileState> file_state(const std::string& document_path) const;
  /// Paths of every file some shard has passages or state of.
  std::vector<std::string> indexed_files() const;
  /// The state of every file of every shard, as it is now.
  IndexedFiles indexed_file_states() const;
  /// Removes the file from whichever shard has it.
  void remove_file(const std::string& document_path);
  /// IndexWriter::label_value in the document's shard and in shard 0 (see the .cpp).
  void label_value(std::string_view document_path, std::string_view vocabulary, std::string_view id,
                   std::string_view label);
  /// Every shard as one database, inside the run's transactions, for the passes over the whole
  /// index (duplicate groups, commitment links): a docid of it names a shard and its docid.
  Xapian::WritableDatabase& combined() { return combined_; }
  /// Notes that a pass rewrote document `docid` of combined(): its shard gets a new commit id.
  void note_rewritten(Xapian::docid docid);
  /// Holds commitments (IndexWriter::hold_commitments_up_to), about `bytes` over every shard.
  void hold_commitments_up_to(std::size_t bytes);
  /// Every shard's held commitments.
  std::vector<HeldCommitment*> held_commitments();
  void write_held_commitments();
  /// The passages every shard's writer wrote and deleted so far in this run.
  RunChanges changes() const;
  /// A previous run was killed between two shards' commits: groups and links may disagree.
  bool previous_commit_interrupted() const { return previous_commit_interrupted_; }
  /// Commits every shard, one after the other (each whole; see kCommitMarkerName); a layout
  /// built from nothing is then closed and published, and passage_count() is what it was.
  void commit();
  Xapian::doccount passage_count() const;

 private:
  ShardLayout layout_;
  /// Before writers_: removed, when unpublished, after they closed their databases in it.
  std::unique_ptr<NewIndexFolder> new_folder_;
  std::vector<std::unique_ptr<IndexWriter>> writers_;
  /// The writers are partial databases of one, merged when committed.
  bool merge_when_committed_ = false;
  std::uint64_t files_written_ = 0;  ///< by write(), numbering them in the run's order
  Xapian::WritableDatabase combined_;
  bool previous_commit_interrupted_ = false;
  std::optional<Xapian::doccount> published_passages_;
  /// After writers_: joined before the writers its threads use go.
  std::unique_ptr<WriterThreads> threads_;
};

}  // namespace lupa::indexer
