#include "lupa/indexer/shard_layout.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

namespace lupa::indexer {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kShardPrefix = "shard-";

std::string reshard_advice(const fs::path& directory) {
  return "to change it, index into a new folder (lupa-indexer --db NEW_DIR --shards N ...), point "
         "the searcher at it, then remove " +
         directory.string() + " (docs/scale-out.md)";
}

// The shard count of a stub file lupa-indexer wrote: "auto shard-0" ... in order.
std::size_t read_stub(const fs::path& stub) {
  std::ifstream in(stub);
  if (!in) throw LayoutError(stub.string() + ": cannot be read");
  std::string line;
  std::size_t shards = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line != "auto " + std::string(kShardPrefix) + std::to_string(shards) ||
        shards == kMaxShards)
      throw LayoutError(stub.string() +
                        ": not a stub file lupa-indexer wrote (it lists 'auto shard-0', 'auto "
                        "shard-1', ... only); lupa-indexer writes its own layouts, not others'");
    ++shards;
  }
  if (shards < 2) throw LayoutError(stub.string() + ": names fewer than two shards");
  return shards;
}

void write_file_atomically(const fs::path& path, const std::string& content) {
  const fs::path temporary = path.string() + ".new";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << content;
    out.flush();
    if (!out) throw std::runtime_error(temporary.string() + ": cannot be written");
  }
  // On disk before the rename makes it the stub: a crash leaves the old name or the whole file.
  if (const int fd = ::open(temporary.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  fs::rename(temporary, path);
}

// What may wait in a writer thread's queue: with the workers' read-ahead, the documents of a
// run stay within a few tens of megabytes of its files.
constexpr std::uint64_t kQueuedBytesPerWriter = std::uint64_t{16} << 20;

// Partial database `k` of a single database built from nothing, in its build folder.
fs::path partial_path(const fs::path& build_folder, std::size_t k) {
  return build_folder / ("partial-" + std::to_string(k));
}

// The same layout in another folder (a first run's build folder).
ShardLayout relocated(ShardLayout layout, fs::path directory) {
  layout.directory = std::move(directory);
  return layout;
}

}  // namespace

std::uint64_t shard_hash(std::string_view path_in_folder) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a, 64 bits
  for (unsigned char c : path_in_folder) hash = (hash ^ c) * 0x100000001b3ULL;
  hash += 0x9e3779b97f4a7c15ULL;  // SplitMix64's finaliser
  hash = (hash ^ (hash >> 30)) * 0xbf58476d1ce4e5b9ULL;
  hash = (hash ^ (hash >> 27)) * 0x94d049bb133111ebULL;
  return hash ^ (hash >> 31);
}

std::size_t shard_of(std::string_view path_in_folder, std::size_t shard_count) {
  if (shard_count <= 1) return 0;
  return static_cast<std::size_t>(shard_hash(path_in_folder) % shard_count);
}

bool passage_id_before(std::string_view a, std::string_view b) {
  const std::size_t dot_a = a.rfind('.');
  const std::size_t dot_b = b.rfind('.');
  const std::string_view document_a = a.substr(0, dot_a);
  const std::string_view document_b = b.substr(0, dot_b);
  if (document_a != document_b) return document_a < document_b;
  // Ordinals are zero-padded to four digits, longer past 9999: the shorter is the smaller.
  const std::string_view ordinal_a = dot_a == std::string_view::npos ? "" : a.substr(dot_a);
  const std::string_view ordinal_b = dot_b == std::string_view::npos ? "" : b.substr(dot_b);
  if (ordinal_a.size() != ordinal_b.size()) return ordinal_a.size() < ordinal_b.size();
  return ordinal_a < ordinal_b;
}

std::string_view path_in_corpus_folder(std::string_view document_path) {
  const std::size_t slash = document_path.find('/');
  return slash == std::string_view::npos ? document_path : document_path.substr(slash + 1);
}

fs::path ShardLayout::shard_path(std::size_t index) const {
  if (!sharded()) return directory;
  return directory / (std::string(kShardPrefix) + std::to_string(index));
}

std::string ShardLayout::stub_text() const {
  std::ostringstream out;
  out << "# Lupa index of " << shards
      << " shards, written by lupa-indexer --shards; a file's passages are in shard "
         "shard_of(its path in its corpus folder) (docs/scale-out.md)\n";
  for (std::size_t k = 0; k < shards; ++k) out << "auto " << kShardPrefix << k << "\n";
  return out.str();
}

ShardLayout resolve_layout(const fs::path& directory, std::optional<std::size_t> requested) {
  if (requested && (*requested < 1 || *requested > kMaxShards))
    throw LayoutError("--shards wants a number from 1 to " + std::to_string(kMaxShards));
  ShardLayout layout{directory, requested.value_or(1)};
  std::error_code error;
  if (fs::exists(directory / kStubFileName, error)) {
    const std::size_t existing = read_stub(directory / kStubFileName);
    if (requested && *requested != existing)
      throw LayoutError(directory.string() + " holds " + std::to_string(existing) +
                        " shards; --shards " + std::to_string(*requested) +
                        " would move files between shards: " + reshard_advice(directory));
    layout.shards = existing;
    for (std::size_t k = 0; k < existing; ++k)
      if (!fs::exists(layout.shard_path(k) / "iamglass", error))
        throw LayoutError(layout.shard_path(k).string() +
                          ": shard listed in XAPIANDB is missing; restore it (from a replica or "
                          "a backup) or re-index into a new folder");
    return layout;
  }
  if (fs::exists(directory / "iamglass", error)) {
    if (requested && *requested > 1)
      throw LayoutError(directory.string() + " is a single database; --shards " +
                        std::to_string(*requested) +
                        " cannot shard it in place: " + reshard_advice(directory));
    return layout;
  }
  // A new layout: the folder may be missing, empty, or hold what killed first runs left.
  std::optional<std::string> foreign;
  if (fs::exists(directory, error)) {
    if (!fs::is_directory(directory, error))
      throw LayoutError(directory.string() + ": not a folder");
    for (const auto& entry : fs::directory_iterator(directory)) {
      const std::string name = entry.path().filename().string();
      if (!left_by_unfinished_first_run(name)) {
        foreign = name;
        break;
      }
    }
  }
  // A single database among other files is made in place, in a transaction, as Xapian would.
  if (foreign && layout.sharded())
    throw LayoutError(directory.string() + ": holds '" + *foreign +
                      "', which is no shard of a new " + std::to_string(layout.shards) +
                      "-shard layout; give an empty or new folder");
  layout.built_from_nothing = !foreign;
  return layout;
}

ShardedWriter::ShardedWriter(ShardLayout layout, std::size_t partials)
    : layout_(std::move(layout)) {
  auto isolation = RunIsolation::kTransaction;
  if (layout_.built_from_nothing) {
    new_folder_ = std::make_unique<NewIndexFolder>(layout_.directory);
    isolation = RunIsolation::kUnpublishedFolder;
  }
  merge_when_committed_ = new_folder_ && !layout_.sharded() && partials > 1;
  const ShardLayout written = new_folder_ ? relocated(layout_, new_folder_->path()) : layout_;
  if (written.sharded()) fs::create_directories(written.directory);
  if (merge_when_committed_) {
    for (std::size_t k = 0; k < std::min(partials, kMaxShards); ++k)
      writers_.push_back(
          std::make_unique<IndexWriter>(partial_path(written.directory, k), isolation));
  } else {
    for (std::size_t k = 0; k < written.shards; ++k)
      writers_.push_back(std::make_unique<IndexWriter>(written.shard_path(k), isolation));
  }
  for (const auto& writer : writers_) combined_.add_database(writer->database());
  // A combined Xapian database reads user metadata from its first shard only. Partials keep
  // theirs out of their own databases: which of several values of a key compaction keeps is
  // not one to rely on.
  for (std::size_t k = 0; k < writers_.size() && writers_.size() > 1; ++k)
    writers_[k]->keep_accented_forms(/*also_store_here=*/k > 0 && !merge_when_committed_);
  threads_ = std::make_unique<WriterThreads>(writers_.size(), kQueuedBytesPerWriter);
  if (!written.sharded()) return;
  if (!fs::exists(written.stub_file()))
    write_file_atomically(written.stub_file(), written.stub_text());
  previous_commit_interrupted_ = fs::exists(written.directory / kCommitMarkerName);
}

ShardedWriter::~ShardedWriter() = default;

void ShardedWriter::write(std::string_view document_path, std::uint64_t weight,
                          std::function<void(IndexWriter&)> change) {
  const std::size_t k = shard_of(path_in_corpus_folder(document_path), writers_.size());
  IndexWriter* writer = writers_[k].get();
  threads_->post(k, weight, [writer, number = ++files_written_, change = std::move(change)] {
    writer->set_file_number(number);
    change(*writer);
  });
}

void ShardedWriter::finish_writes() {
  threads_->wait_for_all();
  if (writers_.size() < 2) return;
  std::vector<AccentedForm> forms;
  for (const auto& writer : writers_) {
    std::vector<AccentedForm> kept = writer->take_kept_accented_forms();
    forms.insert(forms.end(), std::make_move_iterator(kept.begin()),
                 std::make_move_iterator(kept.end()));
  }
  // Each writer's are in its files' order already: a stable sort by file keeps a file's own.
  std::stable_sort(forms.begin(), forms.end(), [](const AccentedForm& a, const AccentedForm& b) {
    return a.file_number < b.file_number;
  });
  writers_.front()->store_accented_forms(forms);
}

IndexWriter& ShardedWriter::writer_for(std::string_view document_path) {
  return *writers_[shard_of(path_in_corpus_folder(document_path), writers_.size())];
}

std::optional<FileState> ShardedWriter::file_state(const std::string& document_path) const {
  return writers_[shard_of(path_in_corpus_folder(document_path), writers_.size())]->file_state(
      document_path);
}

std::vector<std::string> ShardedWriter::indexed_files() const {
  std::vector<std::string> paths;
  for (const auto& writer : writers_) {
    std::vector<std::string> in_shard = writer->indexed_files();
    paths.insert(paths.end(), std::make_move_iterator(in_shard.begin()),
                 std::make_move_iterator(in_shard.end()));
  }
  return paths;
}

IndexedFiles ShardedWriter::indexed_file_states() const {
  IndexedFiles files;
  std::vector<std::size_t> shard_ends;
  for (const auto& writer : writers_) {
    std::vector<FileState> in_shard = writer->file_states();
    files.states_.insert(files.states_.end(), std::make_move_iterator(in_shard.begin()),
                         std::make_move_iterator(in_shard.end()));
    shard_ends.push_back(files.states_.size());
  }
  // Made once every state is in place: it points into them.
  std::size_t shard = 0;
  for (std::size_t i = 0; i < files.states_.size(); ++i) {
    while (i == shard_ends[shard]) ++shard;
    const FileState& state = files.states_[i];
    if (shard_of(path_in_corpus_folder(state.path), writers_.size()) == shard)
      files.in_own_shard_.emplace(state.path, &state);
  }
  return files;
}

const FileState* IndexedFiles::state_of(std::string_view document_path) const {
  const auto found = in_own_shard_.find(document_path);
  return found == in_own_shard_.end() ? nullptr : found->second;
}

void ShardedWriter::remove_file(const std::string& document_path) {
  for (const auto& writer : writers_)
    if (writer->file_state(document_path)) writer->remove_file(document_path);
}

void ShardedWriter::label_value(std::string_view document_path, std::string_view vocabulary,
                                std::string_view id, std::string_view label) {
  // Shard 0 holds every label, given in corpus order as a single database would be: searchd
  // takes the first shard's label of a value. Partials: the first alone, which makes the
  // merged database's.
  if (!merge_when_committed_) writer_for(document_path).label_value(vocabulary, id, label);
  if (writers_.size() > 1) writers_.front()->label_value(vocabulary, id, label);
}

void ShardedWriter::commit() {
  finish_writes();
  if (new_folder_) {
    published_passages_ = passage_count();
    for (const auto& writer : writers_) writer->commit();
    for (const auto& writer : writers_) writer->close();
    // Built by commits every few thousand passages, a database's blocks are part empty: Xapian's
    // compaction writes it again full, a third smaller, in a second or so for 60,000 passages.
    const ShardLayout built = relocated(layout_, new_folder_->path());
    const ShardLayout compacted = relocated(layout_, new_folder_->path() / "compacted");
    fs::create_directories(compacted.directory);
    if (merge_when_committed_) {
      // Renumbered: the second partial's passages follow the first's, and so on. The spelling
      // tables are added together. No two partials hold one metadata key but the commit id,
      // random in each: labels and accented forms are the first partial's alone.
      Xapian::Database partials;
      for (std::size_t k = 0; k < writers_.size(); ++k)
        partials.add_database(Xapian::Database(partial_path(built.directory, k).string()));
      partials.compact(compacted.shard_path(0).string());
    } else {
      for (std::size_t k = 0; k < layout_.shards; ++k)
        Xapian::Database(built.shard_path(k).string())
            .compact(compacted.shard_path(k).string(), Xapian::DBCOMPACT_NO_RENUMBER);
    }
    if (layout_.sharded()) write_file_atomically(compacted.stub_file(), compacted.stub_text());
    new_folder_->publish(compacted.directory,
                         layout_.sharded() ? std::string(kStubFileName) : "iamglass");
    return;
  }
  if (!layout_.sharded()) {
    writers_.front()->commit();
    return;
  }
  const fs::path marker = layout_.directory / kCommitMarkerName;
  write_file_atomically(marker, "lupa-indexer is committing its shards one after the other\n");
  // For tests of an interrupted commit: dies as a kill would, after the first shard's commit.
  const bool kill_between = std::getenv("LUPA_INDEXER_TEST_KILL_BETWEEN_SHARD_COMMITS") != nullptr;
  for (const auto& writer : writers_) {
    writer->commit();
    if (kill_between) std::raise(SIGKILL);
  }
  fs::remove(marker);
}

void ShardedWriter::note_rewritten(Xapian::docid docid) {
  // Xapian interleaves the shards' docids in a combined database.
  writers_[(docid - 1) % writers_.size()]->note_rewritten();
}

void ShardedWriter::hold_commitments_up_to(std::size_t bytes) {
  for (const auto& writer : writers_) writer->hold_commitments_up_to(bytes / writers_.size());
}

std::vector<HeldCommitment*> ShardedWriter::held_commitments() {
  std::vector<HeldCommitment*> held;
  for (const auto& writer : writers_)
    for (HeldCommitment& commitment : writer->held_commitments()) held.push_back(&commitment);
  return held;
}

void ShardedWriter::write_held_commitments() {
  // Each writer's own, side by side: at tens of thousands of commitments this is seconds.
  for (std::size_t k = 0; k < writers_.size(); ++k)
    threads_->post(k, 0, [writer = writers_[k].get()] { writer->write_held_commitments(); });
  threads_->wait_for_all();
}

RunChanges ShardedWriter::changes() const {
  RunChanges changes;
  for (const auto& writer : writers_) changes.merge(writer->changes());
  return changes;
}

Xapian::doccount ShardedWriter::passage_count() const {
  if (published_passages_) return *published_passages_;
  Xapian::doccount count = 0;
  for (const auto& writer : writers_) count += writer->passage_count();
  return count;
}

}  // namespace lupa::indexer
