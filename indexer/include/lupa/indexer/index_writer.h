// Writes passages into the Xapian database, one transaction per indexer run.
//
// The database is only ever changed inside a transaction that commit() ends, so a crash or a
// kill at any moment leaves readers the previous revision, whole. The state of every indexed
// file (size, mtime, content hash, analysis fingerprint) lives in the database's user
// metadata, so it changes atomically with the passages it describes.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "lupa/indexer/document.h"

namespace lupa::indexer {

/// What the indexer remembers about a file to decide whether it changed.
struct FileState {
  std::string path;  ///< document path as shown to users ("corpus/plan.txt")
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::string content_hash;  ///< hex digest of the file's bytes
  std::string fingerprint;   ///< analysis version and manifest entry it was indexed with
  int passages = 0;

  std::string serialise() const;
  static std::optional<FileState> parse(const std::string& serialised);
};

/// A word of the spelling dictionary, kept without accents: the search ignores them, and an
/// accentless query word ("corupcion") is then one edit from its correction, not two.
struct SpellingWord {
  Xapian::termcount count = 0;
  std::string written;  ///< the form with accents, when it has any ("corrupción")
};
/// Words of a file for the spelling dictionary, by accentless form.
using SpellingWords = std::map<std::string, SpellingWord>;

/// The words of `text` worth offering as spelling corrections: lower case, four letters or
/// more but no longer than an indexed word, no digits, not stop words.
void collect_spelling_words(std::string_view text, SpellingWords& words);
/// The same from a text's words as segment_words gives them.
void collect_spelling_words(std::span<const std::string> text_words, SpellingWords& words);

/// Why Xapian would refuse to write `documents` and `spelling` (a term or a spelling word
/// over its limits), or nothing. Checked before the writer sees them: a refusal inside the
/// run's transaction, after a file's old passages were deleted, cannot be undone for that
/// file alone, and a spelling word is refused only when the whole run commits.
std::optional<std::string> unwritable_reason(const std::vector<Xapian::Document>& documents,
                                             const SpellingWords& spelling);

/// How a spelling word met in a run is written, and the number of the file that met it.
struct AccentedForm {
  std::uint64_t file_number = 0;
  std::string word;     ///< accentless
  std::string written;  ///< with its accents
};

/// What a run changed, for the passes at its end over the index (duplicate_grouper.h,
/// commitment_linker.h), so that they redo only what the changed passages touch: the ids of the
/// passages written, and what those passes read of the passages deleted, which are gone by then.
struct RunChanges {
  /// Past this many passages written or deleted the passes go over the whole index: that is
  /// then cheaper than finding what the changes touch, and it keeps the memory kept here small.
  static constexpr std::size_t kMostPassages = 20'000;

  bool too_many = false;  ///< more than kMostPassages: nothing below is kept
  std::size_t passages = 0;
  std::vector<std::string> written;  ///< ids of the passages written
  /// Of each passage deleted: its id and schema::kSlotDuplicateSignature (signature_with_id),
  /// kSlotDuplicateGroup and, for a commitment, kSlotCommitmentLinks (empty when it has none).
  std::vector<std::string> deleted_signatures;
  std::vector<std::string> deleted_duplicate_groups;
  std::vector<std::string> deleted_link_values;

  bool empty() const { return !too_many && passages == 0; }
  void merge(const RunChanges& other);
  /// Counts one passage more; false when past kMostPassages (and then forgets what it kept).
  bool count_one();

 private:
  void forget();
};

/// An unnamed temporary file in a folder (Linux's O_TMPFILE): it never has a name, and is gone
/// when closed or when the process dies, killed or not.
class SpillFile {
 public:
  /// Throws std::system_error when the folder's file system cannot make one.
  explicit SpillFile(const std::filesystem::path& folder);
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  /// Writes `bytes` at the end; returns where they start.
  std::uint64_t append(std::string_view bytes);
  std::string read(std::uint64_t offset, std::size_t size) const;

 private:
  int descriptor_ = -1;
  std::uint64_t end_ = 0;
};

/// A commitment passage the writer keeps out of the database until the run's commitments are
/// linked (commitment_linker.h), so that it is written once, with its links. Rewriting a
/// passage's terms in Xapian reads every position of the passage back first: linking the
/// commitments of a run from nothing cost more than writing them had. The document waits in a
/// SpillFile beside the database (Xapian::Document::serialise); what the linker reads of it,
/// in memory.
struct HeldCommitment {
  std::string file_term;   ///< schema::file_term of its file
  std::string link_value;  ///< its schema::kSlotCommitmentLinks value
  SpillFile* file = nullptr;
  std::uint64_t offset = 0;
  std::size_t size = 0;

  Xapian::Document document() const;
  /// Keeps `document` instead (the linker's links given).
  void replace(const Xapian::Document& document);
  /// The same, from the document serialised and its kSlotCommitmentLinks value.
  void replace_serialised(std::string_view serialised, std::string new_link_value);
};

/// How a run's changes stay unseen until it commits.
enum class RunIsolation {
  /// One Xapian transaction for the whole run, in a database readers may have open.
  kTransaction,
  /// A new database in a folder no reader opens until it is published (new_index_folder.h):
  /// Xapian commits as it goes, unsynced, which keeps the run's memory bounded; the folder is
  /// synced once before it is published.
  kUnpublishedFolder,
};

class IndexWriter {
 public:
  /// Opens or creates the database in `directory` and begins the run's transaction; with
  /// kUnpublishedFolder, creates a database there, which must not exist yet.
  /// Throws Xapian::Error (e.g. DatabaseLockError when another indexer runs).
  explicit IndexWriter(const std::filesystem::path& directory,
                       RunIsolation isolation = RunIsolation::kTransaction);
  /// Cancels the transaction unless commit() was called: nothing of this run is kept.
  ~IndexWriter();
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  std::optional<FileState> file_state(const std::string& document_path) const;
  /// Paths of every file that has passages or state in the database.
  std::vector<std::string> indexed_files() const;
  /// The state of every file in the database, in the order of their keys: one pass, each
  /// state read once (a look-up by path per file costs a search of the table each).
  std::vector<FileState> file_states() const;

  /// Replaces the file's passages (if any) by `documents` (see DocumentBuilder), and its
  /// words in the spelling dictionary by `spelling`.
  void replace_file(const FileState& state, const std::vector<Xapian::Document>& documents,
                    const SpellingWords& spelling = {});
  /// replace_file in three steps, for a file whose documents are built while it is written:
  /// start_file, add_passage for each document, finish_file.
  void start_file(const std::string& document_path);
  /// Writes `document`, or holds it (HeldCommitment) when it is a commitment and the held
  /// ones stay within hold_commitments_up_to's bound.
  void add_passage(const Xapian::Document& document);
  void finish_file(const FileState& state, const SpellingWords& spelling);
  /// Records a new size or mtime for a file whose content did not change.
  void update_state(const FileState& state);
  /// Stores `label` as the label of value `id` of `vocabulary` (analyzers/index_labels.h),
  /// for a value the reference data cannot label: an institution agencies.tsv does not know.
  /// A value keeps the label it was first given: later documents may write the name
  /// differently, and a label should not change with the order files are re-indexed in.
  void label_value(std::string_view vocabulary, std::string_view id, std::string_view label);
  void remove_file(const std::string& document_path);

  /// For a run that writes several databases (shard_layout.h): keeps the accented forms of the
  /// spelling words this run meets, each with the number of the file that met it
  /// (set_file_number), for the first database, the one whose user metadata a combined Xapian
  /// database reads. The first database's own writer then stores none as it goes: it takes
  /// every writer's in corpus order once all are written (store_accented_forms), so that the
  /// first form met in the corpus is kept, as one writer would.
  void keep_accented_forms(bool also_store_here) {
    keep_accented_ = true;
    store_accented_here_ = also_store_here;
  }
  /// The number, in the run's order, of the file being written (see keep_accented_forms).
  void set_file_number(std::uint64_t number) { file_number_ = number; }
  /// The forms kept so far, in the order met; the list is emptied.
  std::vector<AccentedForm> take_kept_accented_forms() { return std::exchange(kept_accented_, {}); }
  /// Stores each form of `forms`, in order, unless its word has one stored already.
  void store_accented_forms(const std::vector<AccentedForm>& forms);

  /// Notes that a pass over the whole index rewrote a document of this database through
  /// database() (or a combined database it is part of): commit() then gives it a new commit id.
  void note_rewritten() { changed_ = true; }

  /// Commits every change of the run at once; a run that changed anything also stores a new
  /// commit id (schema::kCommitIdKey), in the same commit.
  void commit();
  /// Closes the database once committed, releasing its lock and files.
  void close() { database_.close(); }

  /// Passages in the database and held.
  Xapian::doccount passage_count() const {
    return database_.get_doccount() + static_cast<Xapian::doccount>(held_.size());
  }

  /// Holds commitment passages, with about `bytes` of memory at most for what the linker reads
  /// of them (0, the default: none held). Past the bound, or where no SpillFile can be made,
  /// they are written at once, and linking rewrites them.
  void hold_commitments_up_to(std::size_t bytes) { hold_budget_ = bytes; }
  /// The commitments held so far, for the linker to give them their links in place.
  std::vector<HeldCommitment>& held_commitments() { return held_; }
  /// Writes the commitments held, as they are now, and holds no more of them.
  void write_held_commitments();

  /// The database inside the run's transaction, for passes over the whole index (linking).
  Xapian::WritableDatabase& database() { return database_; }

  /// The passages this run wrote and deleted so far.
  const RunChanges& changes() const { return changes_; }

 private:
  /// Notes how the accentless dictionary word `word` is written, unless known already.
  void note_accented_form(const std::string& word, const std::string& written);
  /// Stores it, unless the database has a form of `word` already.
  void store_accented_form(const std::string& word, const std::string& written);
  /// Takes the file's words out of the spelling dictionary (kept per file in metadata, so
  /// that a word disappears when the last file using it does).
  void forget_spelling(const std::string& document_path);
  /// Notes in changes_ the passages of the file about to be deleted.
  void note_deleted(const std::string& document_path);

  /// Holds `document` if it is a commitment within the bound; false: write it.
  bool hold(const Xapian::Document& document);
  /// Forgets the held passages of a file being written again or removed.
  void drop_held(const std::string& file_term);

  std::filesystem::path directory_;
  RunIsolation isolation_;
  Xapian::WritableDatabase database_;
  bool committed_ = false;
  bool changed_ = false;  ///< this run wrote something: the commit gets a new commit id
  /// Accentless words whose accented form this run found in the index or stored: each is
  /// looked up once per run, not once per file that uses it.
  std::unordered_set<std::string> accented_known_;
  bool keep_accented_ = false;
  bool store_accented_here_ = true;
  std::uint64_t file_number_ = 0;
  std::vector<AccentedForm> kept_accented_;
  RunChanges changes_;
  std::string file_term_;  ///< of the file being written, between start_file and finish_file
  std::unique_ptr<SpillFile> held_file_;
  bool held_file_failed_ = false;
  std::vector<HeldCommitment> held_;
  std::unordered_set<std::string> held_files_;  ///< file terms of held_
  std::size_t held_bytes_ = 0;                  ///< estimated, see hold()
  std::size_t hold_budget_ = 0;
};

}  // namespace lupa::indexer
