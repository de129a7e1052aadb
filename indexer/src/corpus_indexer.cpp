#include "lupa/indexer/corpus_indexer.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>
#include <dirent.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <deque>
#include <exception>
#include <fstream>
#include <functional>
#include <future>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "lupa/analyzers/data_directory.h"
#include "lupa/analyzers/glossary.h"
#include "lupa/analyzers/language.h"
#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/text_normalizer.h"
#include "lupa/indexer/commitment_linker.h"
#include "lupa/indexer/commitment_recognizer.h"
#include "lupa/indexer/document_builder.h"
#include "lupa/indexer/duplicate_grouper.h"
#include "lupa/indexer/extractor.h"
#include "lupa/indexer/index_writer.h"
#include "lupa/indexer/manifest.h"
#include "lupa/indexer/metadata_inference.h"
#include "lupa/indexer/segmenter.h"
#include "lupa/indexer/shard_layout.h"
#include "lupa/ocr/document_reader.h"

namespace lupa::indexer {
namespace fs = std::filesystem;
namespace {

// Past this many bytes of files read ahead of the writer, workers wait: a few huge files
// prepared at once would otherwise hold several times their size in memory together.
constexpr std::uint64_t kReadAheadBytes = std::uint64_t{64} << 20;

// A file whose passages hold more text than this has its Xapian documents built as the
// writer takes them, a batch at a time: built all at once they take ten times the text.
constexpr std::size_t kBuildAheadTextBytes = std::size_t{8} << 20;
constexpr std::size_t kPassagesPerBatch = 256;

// Files the writer refused after the run had begun changing them; each costs a rerun.
constexpr std::size_t kMaxRefusedFiles = 5;

struct CorpusFile {
  std::string file;
  std::string read_from;      // `file`, or where the symbolic link `file` leads
  std::string document_path;  // "<folder name>/<relative path>", as users see it
  const DocumentMetadata* manifest_entry = nullptr;
  std::string fingerprint;
  // Its size and modification time when listed (one stat): an unchanged file is told from them
  // and never looked at again. Not `listed` when that stat failed: then it is tried as a file
  // that changed, and fails or is read as such.
  bool listed = false;
  std::uint64_t listed_size = 0;
  std::int64_t listed_mtime_ns = 0;
  // Its folder's manifest cannot be read: indexed with inferred metadata if the index does not
  // have it yet, else left as it was indexed.
  bool under_unreadable_manifest = false;
};

struct CorpusListing {
  std::vector<CorpusFile> documents;
  std::vector<FileReport> skipped;
  std::vector<FileReport> errors;
  std::size_t manifest_errors = 0;  // of `errors`; the others are files that failed
  std::vector<FileReport> warnings;
  std::vector<std::string> roots;
  std::size_t external_links = 0;  // symbolic links out of the corpus folders, not followed
};

// Xapian refused what the writer gave it for this file, or building its documents on the
// writer's thread failed (out of memory), after the run had begun changing the database: the
// run is abandoned and done again without the file.
struct RefusedFile {
  std::string document_path;
  std::string reason;  // "Xapian refused it (...)", "writing it failed (...)"
};

std::string hex_sha1(const std::string& content) {
  Poco::SHA1Engine engine;
  engine.update(content.data(), content.size());
  return Poco::DigestEngine::digestToHex(engine.digest());
}

// What every file's fingerprint starts with; the same for every file of a run, so made once.
const std::string& fingerprint_start() {
  static const std::string start = [] {
    std::ostringstream out;
    out << schema::kAnalysisVersion;
    // The concept terms passages carry follow the glossary: a new glossary re-indexes.
    out << "|glossary:" << analyzers::Glossary::bundled().fingerprint();
    // An operator's data rows may change what any passage is tagged with: a new folder
    // re-indexes.
    if (const std::string& data = analyzers::data_directory_digest(); !data.empty())
      out << "|data:" << data;
    return out.str();
  }();
  return start;
}

std::string metadata_fingerprint(const DocumentMetadata* metadata) {
  if (!metadata) {
    // Most files of a large corpus have no manifest entry: theirs is the same string.
    static const std::string inferred = fingerprint_start() + "|inferred";
    return inferred;
  }
  std::string out = fingerprint_start();
  auto field = [&](const std::optional<std::string>& value) {
    out += '|';
    if (value) out += *value;
  };
  auto list = [&](const std::vector<std::string>& values) {
    out += '|';
    for (const auto& value : values) out.append(value).append(1, ',');
  };
  field(metadata->title), field(metadata->country), list(metadata->plans), field(metadata->type);
  list(metadata->languages), field(metadata->date), field(metadata->source);
  // Only when given, so that the fingerprints of entries without it stay as they were.
  if (metadata->report_stage) out.append("|stage:").append(*metadata->report_stage);
  // Hashed: the file state is tab-separated, and a title may hold a tab.
  return std::string(schema::kAnalysisVersion) + "|" + hex_sha1(out);
}

// A folder's manifest with the fingerprint each of its entries gives a file, by the entry's
// ordinal in `manifest.entries`: made where the manifest is read, on the thread that reads it.
struct ReadManifest {
  Manifest manifest;
  std::vector<std::string> fingerprints;
};

ReadManifest read_with_fingerprints(const std::string& path) {
  ReadManifest read{read_manifest(path), {}};
  read.fingerprints.reserve(read.manifest.entries.size());
  for (const auto& [name, metadata] : read.manifest.entries)
    read.fingerprints.push_back(metadata_fingerprint(&metadata));
  return read;
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Reads the file the listing saw, unless it is too large (extractor.h) for what its name says.
// O_NOFOLLOW: a file replaced by a symbolic link since the listing is not followed; O_NONBLOCK: one
// replaced by a FIFO does not hang the run.
std::string read_file(const fs::path& path, const fs::path& named) {
  const FileDescriptor file(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (file.get() < 0) {
    if (errno == ELOOP) throw ExtractionError("became a symbolic link since it was listed");
    throw ExtractionError("cannot be opened for reading: " +
                          std::generic_category().message(errno));
  }
  struct stat status {};
  if (::fstat(file.get(), &status) != 0) throw ExtractionError("size cannot be read");
  if (!S_ISREG(status.st_mode)) throw ExtractionError("not a regular file");
  if (auto reason = too_large_reason(named, static_cast<std::uint64_t>(status.st_size)))
    throw ExtractionError(*reason);
  std::string content(static_cast<std::size_t>(status.st_size), '\0');
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t got = ::read(file.get(), content.data() + done, content.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw ExtractionError("read error: " + std::generic_category().message(errno));
    if (got == 0) break;  // shortened meanwhile
    done += static_cast<std::size_t>(got);
  }
  content.resize(done);
  return content;
}

std::int64_t mtime_ns(const struct stat& status) {
  // As std::filesystem::last_write_time counts it (the file clock's own epoch), which the file
  // states of existing indexes hold.
  const std::chrono::sys_time<std::chrono::nanoseconds> modified{
      std::chrono::seconds(status.st_mtim.tv_sec) +
      std::chrono::nanoseconds(status.st_mtim.tv_nsec)};
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::file_clock::from_sys(modified).time_since_epoch())
      .count();
}

std::int64_t mtime_ns(const fs::path& file) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             fs::last_write_time(file).time_since_epoch())
      .count();
}

bool is_within(const fs::path& path, const fs::path& folder) {
  auto [in_folder, in_path] = std::mismatch(folder.begin(), folder.end(), path.begin(), path.end());
  return in_folder == folder.end();
}

struct DirectoryCloser {
  void operator()(DIR* directory) const { ::closedir(directory); }
};
using DirectoryStream = std::unique_ptr<DIR, DirectoryCloser>;

// A file found in a corpus folder, with the one stat that tells whether it changed.
struct ListedFile {
  std::string path;                   // the corpus folder's path as given, then the file's below it
  std::string relative;               // below the corpus folder, '/'-separated ("sub/plan.txt")
  std::size_t folder{};               // its folder's index in CorpusWalk::folders
  std::string read_from;              // `path`, or where the symbolic link `path` leads
  std::optional<struct stat> status;  // of `read_from`; none when that stat failed

  std::string_view name() const {
    return std::string_view(relative).substr(relative.rfind('/') + 1);
  }
};

// Lists a corpus folder's files in the order of their paths as std::filesystem::path
// compares them (name by name, each name's bytes), by going through each folder's entries in
// the order of their names. A listing per folder through its descriptor: the type of an entry
// comes with its name, and each file's stat is taken relative to its folder, not by its whole
// path. (A recursive_directory_iterator, a path object per file and a sort of those paths cost
// several times what the stats did, at tens of thousands of files.)
class CorpusWalk {
 public:
  CorpusWalk(const fs::path& folder, std::string root,
             const std::vector<fs::path>& canonical_folders, bool follow_external_symlinks,
             CorpusListing& listing)
      : root_(std::move(root)),
        canonical_folders_(canonical_folders),
        follow_external_symlinks_(follow_external_symlinks),
        listing_(listing) {
    std::string path = folder.string();
    if (!path.empty() && path.back() != '/') path += '/';
    walk(AT_FDCWD, folder.c_str(), path, "", true);
  }

  // The path users see: the corpus folder's name, then the path below it.
  std::string shown(std::string_view relative) const { return root_ + "/" + std::string(relative); }

  std::vector<ListedFile> files;
  std::vector<std::string> folders;  // below the corpus folder ("" for itself), in walk order

  // The manifest `file` holds, read while the walk went on when it could be.
  ReadManifest take_manifest(const ListedFile& file) {
    const auto started = manifest_reads_.find(file.path);
    if (started == manifest_reads_.end()) return read_with_fingerprints(file.read_from);
    return started->second.get();
  }

 private:
  // Lists the folder `name` of the folder open as `parent` (`name` a path when `parent` is
  // AT_FDCWD); `path` and `relative` end with '/' unless empty.
  void walk(int parent, const char* name, const std::string& path, const std::string& relative,
            bool corpus_folder) {
    // Folder links are never followed (they could loop, or bring a folder in twice); a link
    // given as the corpus folder is.
    const int descriptor = ::openat(
        parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (corpus_folder ? 0 : O_NOFOLLOW));
    if (descriptor < 0) {
      if (errno == EACCES) return;  // skipped, as a folder we may not read always was
      throw fs::filesystem_error("cannot list the folder", path,
                                 std::error_code(errno, std::generic_category()));
    }
    const DirectoryStream folder(::fdopendir(descriptor));
    if (!folder) {
      ::close(descriptor);
      throw fs::filesystem_error("cannot list the folder", path,
                                 std::error_code(errno, std::generic_category()));
    }
    std::vector<std::pair<std::string, unsigned char>> entries;  // name, type
    for (errno = 0; const dirent* entry = ::readdir(folder.get()); errno = 0) {
      const std::string_view entry_name = entry->d_name;
      // Hidden files and folders are left out, and so is all a hidden folder holds.
      if (entry_name.empty() || entry_name[0] == '.') continue;
      entries.emplace_back(entry_name, entry->d_type);
    }
    if (errno != 0)
      throw fs::filesystem_error("cannot list the folder", path,
                                 std::error_code(errno, std::generic_category()));
    std::sort(entries.begin(), entries.end());
    // A big manifest costs as much to read as the stats of its folder's files: it is read on
    // another thread meanwhile, one manifest at a time (a corpus of many small folders must not
    // start a thread per folder); the others are read when they are met, and so is a link
    // named so, as it may lead out.
    for (const auto& [entry_name, type] : entries)
      if (entry_name == kManifestFileName && type == DT_REG && !reading_a_manifest())
        start_reading_manifest(path + entry_name);

    const std::size_t folder_index = folders.size();
    folders.push_back(relative);
    const int at = ::dirfd(folder.get());
    for (auto& [entry_name, type] : entries) {
      if (type == DT_UNKNOWN) {  // file systems that do not say: ask
        struct stat status {};
        if (::fstatat(at, entry_name.c_str(), &status, AT_SYMLINK_NOFOLLOW) != 0) continue;
        type = S_ISDIR(status.st_mode)   ? DT_DIR
               : S_ISREG(status.st_mode) ? DT_REG
               : S_ISLNK(status.st_mode) ? DT_LNK
                                         : DT_UNKNOWN;
      }
      if (type == DT_DIR) {
        walk(at, entry_name.c_str(), path + entry_name + "/", relative + entry_name + "/", false);
      } else if (type == DT_REG) {
        ListedFile file{path + entry_name, relative + entry_name, folder_index, {}, {}};
        file.read_from = file.path;
        if (struct stat status{}; ::fstatat(at, entry_name.c_str(), &status, 0) == 0)
          file.status = status;
        files.push_back(std::move(file));
      } else if (type == DT_LNK) {
        add_link(path + entry_name, relative + entry_name, folder_index);
      }
    }
  }

  bool reading_a_manifest() const {
    return std::any_of(manifest_reads_.begin(), manifest_reads_.end(), [](const auto& read) {
      return read.second.wait_for(std::chrono::seconds(0)) != std::future_status::ready;
    });
  }

  void start_reading_manifest(const std::string& path) {
    try {
      manifest_reads_.emplace(path, std::async(std::launch::async, read_with_fingerprints, path));
    } catch (const std::system_error&) {
      // No thread to be had: it is read when it is met.
    }
  }

  // File links are followed when they stay inside the corpus folders, outside only when asked.
  void add_link(std::string path, std::string relative, std::size_t folder_index) {
    std::error_code error;
    const fs::path target = fs::canonical(path, error);
    if (error == std::errc::too_many_symbolic_link_levels) {
      listing_.errors.push_back({shown(relative), "symbolic link loop: not followed"});
    } else if (error) {
      listing_.skipped.push_back(
          {shown(relative), "symbolic link to nothing (" + error.message() + ")"});
    } else if (fs::is_directory(target, error)) {
      listing_.skipped.push_back({shown(relative), "symbolic link to a folder: not followed"});
    } else if (!follow_external_symlinks_ &&
               std::none_of(canonical_folders_.begin(), canonical_folders_.end(),
                            [&](const fs::path& inside) { return is_within(target, inside); })) {
      ++listing_.external_links;
      listing_.skipped.push_back({shown(relative), "symbolic link to " + target.string() +
                                                       ", outside the corpus folders: not followed "
                                                       "(--follow-external-symlinks follows it)"});
    } else if (fs::is_regular_file(target, error)) {
      ListedFile file{std::move(path), std::move(relative), folder_index, target.string(), {}};
      if (struct stat status{}; ::stat(file.read_from.c_str(), &status) == 0) file.status = status;
      files.push_back(std::move(file));
    } else {
      listing_.skipped.push_back({shown(relative), "symbolic link to something not a file"});
    }
  }

  std::map<std::string, std::future<ReadManifest>> manifest_reads_;  // by the manifest's path
  std::string root_;
  const std::vector<fs::path>& canonical_folders_;
  bool follow_external_symlinks_;
  CorpusListing& listing_;
};

// Reports every problem of the manifest `shown` (its path as users see it).
void report_manifest_problems(const Manifest& manifest, const std::string& shown,
                              CorpusListing& listing) {
  for (const ManifestProblem& problem : manifest.problems) {
    if (problem.is_error()) {
      listing.errors.push_back({shown, problem.describe()});
      ++listing.manifest_errors;
    } else {
      listing.warnings.push_back({shown, problem.describe()});
    }
  }
  if (!manifest.readable)
    listing.errors.back().message +=
        "; documents of its folder already indexed are left as they are, new ones are indexed "
        "with inferred metadata";
}

// A folder's manifest, and which of its entries the folder's files use. The files of a folder
// come in the order of their names, as the manifest's entries are kept: each is found by going
// on from where the previous one was.
class FolderManifest {
 public:
  explicit FolderManifest(const ReadManifest& read)
      : read_(read), next_(read.manifest.entries.begin()), used_(read.manifest.entries.size()) {}

  const Manifest& manifest() const { return read_.manifest; }

  // The entry of the file `name` and the fingerprint it gives, noted as used; nothing when the
  // manifest has none. Names must come in increasing order.
  std::optional<std::pair<const DocumentMetadata*, const std::string*>> use(std::string_view name) {
    const auto end = read_.manifest.entries.end();
    while (next_ != end && next_->first < name) ++next_, ++next_ordinal_;
    if (next_ == end || next_->first != name) return std::nullopt;
    used_[next_ordinal_] = true;
    return std::pair(&next_->second, &read_.fingerprints[next_ordinal_]);
  }

  // The entries no file used, by their position in the manifest.
  std::map<std::size_t, std::string> unused() const {
    std::map<std::size_t, std::string> unused;
    // `entries` and `positions` hold the same names (read_manifest adds both or neither).
    auto listed_at = read_.manifest.positions.begin();
    std::size_t ordinal = 0;
    for (const auto& entry : read_.manifest.entries) {
      if (!used_[ordinal++]) unused.emplace(listed_at->second, entry.first);
      ++listed_at;
    }
    return unused;
  }

 private:
  const ReadManifest& read_;
  std::map<std::string, DocumentMetadata>::const_iterator next_;
  std::size_t next_ordinal_ = 0;
  std::vector<bool> used_;  // by ordinal in `entries`
};

CorpusListing list_corpus(const std::vector<fs::path>& folders, bool follow_external_symlinks,
                          std::deque<ReadManifest>& manifests) {
  CorpusListing listing;
  // Document paths are told apart within a corpus folder by its files' own paths; only two
  // folders can give one twice.
  std::unordered_set<std::string> paths_of_other_folders;
  // Which document took the id of each passage 0: an index into listing.documents.
  std::unordered_map<std::string, std::size_t> id_owners;
  std::vector<fs::path> canonical_folders;
  for (const fs::path& folder : folders) {
    if (!fs::is_directory(folder)) throw std::runtime_error(folder.string() + ": not a folder");
    canonical_folders.push_back(fs::canonical(folder));
  }
  for (std::size_t folder_index = 0; folder_index < folders.size(); ++folder_index) {
    const std::string root = canonical_folders[folder_index].filename().string();
    listing.roots.push_back(root);
    CorpusWalk walk(folders[folder_index], root, canonical_folders, follow_external_symlinks,
                    listing);
    id_owners.reserve(id_owners.size() + walk.files.size());
    listing.documents.reserve(listing.documents.size() + walk.files.size());

    // The documents, while a manifest the walk found is still being read: what is reported of
    // them is kept aside, to come after the manifests' problems.
    std::vector<FileReport> file_errors, file_skipped;
    std::vector<std::string> paths_of_this_folder;  // of its supported files
    const std::size_t first_document = listing.documents.size();
    std::vector<const ListedFile*> listed_as;  // of each document from first_document on
    for (const ListedFile& file : walk.files) {
      const std::string_view name = file.name();
      if (name == kManifestFileName) continue;
      std::string document_path = walk.shown(file.relative);
      if (!is_supported_document(fs::path(name))) {
        const std::string extension = fs::path(name).extension().string();
        file_skipped.push_back(
            {std::move(document_path),
             "no reader for '" + (extension.empty() ? std::string(name) : extension) + "' files"});
        continue;
      }
      if (paths_of_other_folders.contains(document_path)) {
        file_errors.push_back({document_path, "two corpus folders give the same document path"});
        continue;
      }
      if (folders.size() > 1) paths_of_this_folder.push_back(document_path);
      // Ids are made URL-safe, so "a b.txt" and "a-b.txt" would share them: refuse the second.
      const auto [other, fresh] =
          id_owners.emplace(schema::passage_id(document_path, 0), listing.documents.size());
      if (!fresh) {
        file_errors.push_back({document_path, "its passage ids would be those of " +
                                                  listing.documents[other->second].document_path +
                                                  "; rename one of the two files"});
        continue;
      }
      CorpusFile entry;
      entry.file = file.path;
      entry.read_from = file.read_from;
      entry.document_path = std::move(document_path);
      if (file.status) {
        entry.listed = true;
        entry.listed_size = static_cast<std::uint64_t>(file.status->st_size);
        entry.listed_mtime_ns = mtime_ns(*file.status);
      }
      listing.documents.push_back(std::move(entry));
      listed_as.push_back(&file);
    }

    // Manifests first: each covers the files of its own folder.
    std::vector<std::optional<FolderManifest>> manifest_of_folder(walk.folders.size());
    for (const ListedFile& file : walk.files) {
      if (file.name() != kManifestFileName) continue;
      manifests.push_back(walk.take_manifest(file));
      report_manifest_problems(manifests.back().manifest, walk.shown(file.relative), listing);
      manifest_of_folder[file.folder].emplace(manifests.back());
    }
    std::move(file_errors.begin(), file_errors.end(), std::back_inserter(listing.errors));
    std::move(file_skipped.begin(), file_skipped.end(), std::back_inserter(listing.skipped));
    for (std::size_t i = 0; i < listed_as.size(); ++i) {
      CorpusFile& entry = listing.documents[first_document + i];
      const ListedFile& file = *listed_as[i];
      const std::string* fingerprint = nullptr;
      if (auto& manifest = manifest_of_folder[file.folder]) {
        entry.under_unreadable_manifest = !manifest->manifest().readable;
        if (const auto used = manifest->use(file.name()))
          std::tie(entry.manifest_entry, fingerprint) = *used;
      }
      entry.fingerprint = fingerprint ? *fingerprint : metadata_fingerprint(nullptr);
    }
    for (std::string& path : paths_of_this_folder) paths_of_other_folders.insert(std::move(path));
    // An entry no document uses is most likely a misspelt file name.
    for (std::size_t folder = 0; folder < walk.folders.size(); ++folder) {
      if (!manifest_of_folder[folder]) continue;
      for (const auto& [position, name] : manifest_of_folder[folder]->unused())
        listing.warnings.push_back(
            {walk.shown(walk.folders[folder] + kManifestFileName),
             ManifestProblem{ManifestProblem::Severity::kWarning, position, name, "file",
                             "no document of this folder is named so; entry not used"}
                 .describe()});
    }
  }
  return listing;
}

// Passages' words (segment_words of their text), by text: segmented once for the language and
// kept for the spelling dictionary and the document. The recognisers split and join some
// passages after, whose new texts are not here and are segmented anew.
using WordsByText = std::unordered_map<std::string, std::vector<std::string>>;

// Sets each passage's language; keeps their words in `words_by_text` unless it is null.
void assign_languages(std::vector<Passage>& passages, analyzers::Language document_language,
                      WordsByText* words_by_text) {
  analyzers::Language previous = document_language;
  const std::string* last_heading = nullptr;
  std::vector<std::string> heading_words;
  std::vector<std::string> text_words;
  std::vector<std::string> words;
  for (Passage& passage : passages) {
    // A line end always parts two words and two normalisation segments, so the words of
    // heading + "\n" + text are the heading's then the text's; passages share headings.
    if (!last_heading || *last_heading != passage.heading) {
      heading_words = analyzers::segment_words(passage.heading);
      last_heading = &passage.heading;
    }
    const std::vector<std::string>* kept = &text_words;
    if (words_by_text) {
      auto [found, added] = words_by_text->try_emplace(passage.text);
      if (added) found->second = analyzers::segment_words(passage.text);
      kept = &found->second;
    } else {
      text_words = analyzers::segment_words(passage.text);
    }
    words = heading_words;
    words.insert(words.end(), kept->begin(), kept->end());
    // Short passages give little evidence: they take the language of the text around them.
    previous = analyzers::identify_language(words, previous);
    passage.language = std::string(analyzers::language_code(previous));
  }
}

// segment_words(text), taken from `words_by_text` when it holds them.
std::vector<std::string> words_of(const std::string& text, WordsByText& words_by_text) {
  const auto found = words_by_text.find(text);
  if (found == words_by_text.end()) return analyzers::segment_words(text);
  std::vector<std::string> words = std::move(found->second);
  words_by_text.erase(found);  // a second passage of the same text segments it anew
  return words;
}

// For tests of crash safety: dies as a kill would, after this many files were written.
int crash_after_files() {
  const char* value = std::getenv("LUPA_INDEXER_TEST_KILL_AFTER_FILES");
  return value ? std::atoi(value) : -1;
}

// For tests of the rerun without a refused file: the document path whose writing fails, once
// the writer has replaced its passages in the run's transaction, as an exception thrown there
// (std::bad_alloc) would. Read once, before the worker threads start.
const std::string& file_to_refuse() {
  static const std::string path = [] {
    const char* value = std::getenv("LUPA_INDEXER_TEST_REFUSE_FILE");
    return std::string(value ? value : "");
  }();
  return path;
}

// Runs `work(0..count-1)` on worker threads that stay a bounded distance ahead of the
// consumer, which takes the results in order: at most a few items, and at most `budget` of
// their `weights` together unless the item is the very next one taken. Workers live as long
// as the object, so their thread-local caches (analysis, ICU break iterators) stay warm.
template <typename Result>
class OrderedWorkers {
 public:
  OrderedWorkers(std::size_t count, std::function<Result(std::size_t)> work,
                 std::vector<std::uint64_t> weights, std::uint64_t budget)
      : work_(std::move(work)),
        results_(count),
        failures_(count),
        weights_(std::move(weights)),
        budget_(budget) {
    weights_.resize(count);
    const unsigned threads = std::max(2u, std::thread::hardware_concurrency());
    ahead_ = threads * 2;
    for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
  }
  ~OrderedWorkers() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
  }  // jthreads join here

  Result take(std::size_t index) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return results_[index].has_value() || failures_[index]; });
    if (failures_[index]) std::rethrow_exception(failures_[index]);
    Result result = std::move(*results_[index]);
    results_[index].reset();
    taken_ = index + 1;
    in_flight_ -= weights_[index];
    changed_.notify_all();
    return result;
  }

 private:
  void run() {
    for (;;) {
      std::size_t index;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] {
          return stopping_ || next_ >= results_.size() ||
                 (next_ < taken_ + ahead_ &&
                  (next_ == taken_ || in_flight_ + weights_[next_] <= budget_));
        });
        if (stopping_ || next_ >= results_.size()) return;
        index = next_++;
        in_flight_ += weights_[index];
      }
      try {
        Result result = work_(index);
        std::lock_guard lock(mutex_);
        results_[index] = std::move(result);
      } catch (...) {
        std::lock_guard lock(mutex_);
        failures_[index] = std::current_exception();
      }
      changed_.notify_all();
    }
  }

  std::function<Result(std::size_t)> work_;
  std::vector<std::optional<Result>> results_;
  std::vector<std::exception_ptr> failures_;  // rethrown to the consumer by take()
  std::vector<std::uint64_t> weights_;
  std::uint64_t budget_;
  std::uint64_t in_flight_ = 0;  // weights of the items started and not yet taken
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t next_ = 0;
  std::size_t taken_ = 0;
  std::size_t ahead_ = 4;
  bool stopping_ = false;
  std::vector<std::jthread> threads_;  // last: joined before the members they use go
};

// What a worker thread makes of one file, for the writer to apply in corpus order.
struct PreparedFile {
  enum class Outcome { kUnchanged, kTouched, kIndexed, kFailed } outcome = Outcome::kUnchanged;
  FileState state;
  std::vector<Xapian::Document> documents;
  // For a file too big to build all its documents ahead: the writer builds them in batches.
  std::vector<Passage> passages_to_build;
  DocumentMetadata metadata;
  std::uint64_t bytes_read = 0;
  std::string error;
  std::vector<FileReport> inferred;
  std::vector<FileReport> notes;
  std::vector<PageOrigin> pages;
  SpellingWords spelling;
  // Institutions its passages name that agencies.tsv does not know, each once.
  std::vector<DiscoveredInstitution> discovered;
};

// What a writer's thread takes of a PreparedFile to write it.
struct FileToWrite {
  FileState state;
  std::vector<Xapian::Document> documents;
  std::vector<Passage> passages_to_build;  // for a file too big to build ahead
  DocumentMetadata metadata;
  SpellingWords spelling;
};

// The vocabulary of the facets discovered institutions are values of (agency, responsible,
// supporting): their labels are stored under it.
constexpr std::string_view kInstitutionVocabulary = "agencies";

std::vector<DiscoveredInstitution> discovered_institutions(const std::vector<Passage>& passages) {
  std::vector<DiscoveredInstitution> discovered;
  std::set<std::string> seen;
  for (const Passage& passage : passages)
    for (const DiscoveredInstitution& institution : passage.discovered)
      if (!institution.id.empty() && !institution.name.empty() &&
          seen.insert(institution.id).second)
        discovered.push_back(institution);
  return discovered;
}

// Passages inherit where their page's text came from.
void mark_text_sources(std::vector<Passage>& passages, const std::vector<PageOrigin>& pages) {
  if (pages.empty()) return;
  for (Passage& passage : passages) {
    if (!passage.page && pages.size() == 1) passage.page = 1;  // no form feed to number it
    if (!passage.page || *passage.page < 1 || *passage.page > static_cast<int>(pages.size()))
      continue;
    const PageOrigin& origin = pages[static_cast<std::size_t>(*passage.page - 1)];
    passage.text_source = origin.source;
    passage.ocr_confidence = origin.confidence;
  }
}

// Whether the file's size, modification time and fingerprint when listed are those of its state
// in the index: then it is unchanged, and is not opened.
bool same_stat(const CorpusFile& entry, const FileState* previous) {
  return entry.listed && previous && previous->size == entry.listed_size &&
         previous->mtime_ns == entry.listed_mtime_ns && previous->fingerprint == entry.fingerprint;
}

PreparedFile prepare_file(const CorpusFile& entry, const FileState* previous, double now,
                          const ocr::DocumentReader& page_reader) {
  thread_local DocumentBuilder builder;
  PreparedFile prepared;
  FileState& state = prepared.state;
  try {
    // Files whose stat matched their state were never given to a worker (same_stat).
    const fs::path file(entry.file), read_from(entry.read_from);
    state = entry.listed ? FileState{entry.document_path,   entry.listed_size,
                                     entry.listed_mtime_ns, "",
                                     entry.fingerprint,     0}
                         : FileState{entry.document_path, fs::file_size(read_from),
                                     mtime_ns(read_from), "",
                                     entry.fingerprint,   0};
    std::string content = read_file(read_from, file);
    prepared.bytes_read = content.size();
    state.content_hash = hex_sha1(content);
    if (previous && previous->content_hash == state.content_hash &&
        previous->fingerprint == state.fingerprint) {
      state.passages = previous->passages;
      prepared.outcome = PreparedFile::Outcome::kTouched;
      return prepared;
    }
    ExtractedText extracted =
        extract_text(file, std::move(content), &page_reader, entry.document_path);
    SegmentedText segmented = segment_text(extracted.text);
    mark_text_sources(segmented.passages, extracted.pages);
    prepared.pages = extracted.pages;
    const DocumentMetadata given =
        entry.manifest_entry ? *entry.manifest_entry : DocumentMetadata{};
    WordsByText words_by_text;
    // A document declared to be in one language is in that language throughout: short
    // passages such as "MX0081, 2019, Civic Space" give identification nothing to go on.
    if (given.languages.size() == 1) {
      for (Passage& passage : segmented.passages) passage.language = given.languages.front();
    } else {
      const auto document_language =
          given.languages.empty()
              ? analyzers::identify_language(std::string_view(extracted.text).substr(0, 5000),
                                             analyzers::Language::kSpanish)
              : analyzers::language_from_code(given.languages.front());
      // A text too big to build ahead is too big to hold twice.
      const bool keep_words = extracted.text.size() <= kBuildAheadTextBytes;
      assign_languages(segmented.passages, document_language,
                       keep_words ? &words_by_text : nullptr);
    }
    std::vector<std::string> inferred;
    const DocumentMetadata metadata =
        complete_metadata(given, extracted.text, extracted.title, segmented.passages, inferred);
    std::string().swap(extracted.text);  // the passages hold it now
    if (segmented.passages.empty()) throw ExtractionError("no text to index");
    recognize_commitments(segmented.passages, metadata);
    tag_passages(segmented.passages, metadata);
    prepared.discovered = discovered_institutions(segmented.passages);
    std::size_t text_bytes = 0;
    for (const Passage& passage : segmented.passages) text_bytes += passage.text.size();
    const bool build_here = text_bytes <= kBuildAheadTextBytes;
    for (const Passage& passage : segmented.passages) {
      // Segmented once for both its spelling words and its terms.
      const std::vector<std::string> words = words_of(passage.text, words_by_text);
      collect_spelling_words(words, prepared.spelling);
      if (build_here) {
        prepared.documents.push_back(
            builder.build(entry.document_path, metadata, passage, words, now));
        add_band_terms(prepared.documents.back());
      }
    }
    state.passages = static_cast<int>(segmented.passages.size());
    if (!build_here) {
      prepared.passages_to_build = std::move(segmented.passages);
      prepared.metadata = metadata;
    }
    // Xapian would refuse these inside the run's transaction, after the file's old passages
    // were gone: refused here, the file fails alone and keeps what it had.
    if (auto reason = unwritable_reason(prepared.documents, prepared.spelling))
      throw ExtractionError(*reason);
    prepared.outcome = PreparedFile::Outcome::kIndexed;

    std::string guessed;
    for (const auto& field : inferred) guessed += (guessed.empty() ? "" : "; ") + field;
    if (!guessed.empty()) prepared.inferred.push_back({entry.document_path, guessed});
    for (const auto& note : extracted.notes) prepared.notes.push_back({entry.document_path, note});
    if (segmented.header_lines_dropped > 0)
      prepared.notes.push_back(
          {entry.document_path, "running page header dropped (" +
                                    std::to_string(segmented.header_lines_dropped) +
                                    " lines): " + segmented.running_header.front()});
  } catch (const ExtractionError& error) {
    prepared.outcome = PreparedFile::Outcome::kFailed;
    prepared.error = error.what();
  } catch (const fs::filesystem_error& error) {
    prepared.outcome = PreparedFile::Outcome::kFailed;
    prepared.error = error.code().message();
  } catch (const Xapian::Error& error) {
    prepared.outcome = PreparedFile::Outcome::kFailed;
    prepared.error = error.get_description();
  } catch (const std::exception& error) {
    // A defect of ours on this file's content must cost the file, not the run.
    prepared.outcome = PreparedFile::Outcome::kFailed;
    prepared.error = std::string("could not be processed: ") + error.what();
  }
  return prepared;
}

// Builds and writes, a batch at a time, the documents of a file too big to build ahead.
std::size_t write_in_batches(IndexWriter& writer, FileToWrite& prepared, double now) {
  DocumentBuilder builder;
  std::vector<Passage>& passages = prepared.passages_to_build;
  writer.start_file(prepared.state.path);
  std::vector<Xapian::Document> batch;
  for (std::size_t from = 0; from < passages.size(); from += kPassagesPerBatch) {
    batch.clear();
    const std::size_t to = std::min(passages.size(), from + kPassagesPerBatch);
    for (std::size_t i = from; i < to; ++i) {
      batch.push_back(builder.build(prepared.state.path, prepared.metadata, passages[i], now));
      add_band_terms(batch.back());
      std::string().swap(passages[i].text);  // in the document now; assigning keeps capacity
    }
    if (auto reason = unwritable_reason(batch, {}))
      throw RefusedFile{prepared.state.path, "Xapian refused it (" + *reason + ")"};
    for (const Xapian::Document& document : batch) writer.add_passage(document);
  }
  writer.finish_file(prepared.state, prepared.spelling);
  return passages.size();
}

// Runs `change`, the writing of a file, and says what went wrong in terms of the file. Past
// this point an error cannot be undone for the file alone: the transaction holds the run's
// other files too. Refused input, or a failure building a big file's documents on the writer's
// thread (out of memory), costs a rerun without the file; a database error (a full disk) ends
// the run, and the previous index stays as it was.
template <typename Change>
void write_file(const std::string& document_path, bool refuse_after_writing, Change&& change) {
  try {
    change();
    if (refuse_after_writing)
      throw std::runtime_error("refused for a test (LUPA_INDEXER_TEST_REFUSE_FILE)");
  } catch (const Xapian::InvalidArgumentError& error) {
    throw RefusedFile{document_path, "Xapian refused it (" + error.get_description() + ")"};
  } catch (const Xapian::Error& error) {
    throw std::runtime_error(document_path + ": " + error.get_description() +
                             " (while writing it; nothing of this run was committed)");
  } catch (const std::exception& error) {
    throw RefusedFile{document_path, std::string("writing it failed (") + error.what() + ")"};
  }
}

// A label for a discovered institution, written once every file is (writer_threads.h).
struct PendingLabel {
  std::string document_path;
  std::string id;
  std::string name;
};

// One attempt at the run; files in `refused` are failed without being read.
IndexSummary run_once(const IndexerOptions& options, const std::vector<RefusedFile>& refused) {
  const auto started = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  IndexSummary summary;
  std::deque<ReadManifest> manifests;  // their entries are pointed to
  CorpusListing listing =
      list_corpus(options.corpus_folders, options.follow_external_symlinks, manifests);
  summary.errors = std::move(listing.errors);
  summary.files_failed = summary.errors.size() - listing.manifest_errors;
  summary.warnings = std::move(listing.warnings);
  summary.symlinks_not_followed = listing.external_links;
  auto refusal = [&](const std::string& document_path) -> const RefusedFile* {
    for (const RefusedFile& file : refused)
      if (file.document_path == document_path) return &file;
    return nullptr;
  };

  ShardedWriter writer(resolve_layout(options.database, options.shards),
                       options.partial_databases > 0
                           ? options.partial_databases
                           : std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4));
  writer.hold_commitments_up_to(options.held_commitment_bytes);
  // Under a manifest that cannot be read, what the index has stays as it is: its metadata may
  // have come from that manifest. What it does not have yet is indexed with inferred metadata.
  // Every file's state as the run begins, read at once: a look-up per file cost more.
  const IndexedFiles indexed = writer.indexed_file_states();
  std::unordered_set<std::string> present;
  std::erase_if(listing.documents, [&](const CorpusFile& entry) {
    if (!entry.under_unreadable_manifest || !indexed.state_of(entry.document_path)) return false;
    present.insert(entry.document_path);
    listing.skipped.push_back(
        {entry.document_path, "left as indexed before: its folder's manifest cannot be read"});
    return true;
  });
  summary.files_seen = listing.documents.size();
  summary.skipped = std::move(listing.skipped);
  ocr::ReaderOptions reader_options;
  reader_options.cache_directory = options.ocr_cache.empty()
                                       ? fs::absolute(options.database).parent_path() / "ocr-cache"
                                       : options.ocr_cache;
  reader_options.file_time_limit = options.file_time_limit;
  const ocr::DocumentReader page_reader(reader_options);
  if (options.clear_ocr_cache) page_reader.clear_cache();
  // libxml2 wants its global state set up once, on one thread, before others parse.
  xmlInitParser();
  const int kill_after = crash_after_files();
  const std::string& refuse_for_test = file_to_refuse();
  std::set<std::string> seen_institutions;
  std::vector<PendingLabel> labels;
  IndexProgress progress{0, listing.documents.size(), 0, 0};
  const double now = static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());

  // Reading and analysis run on worker threads, a few files ahead; this thread takes their
  // results in corpus order and hands each file to the thread of the database it goes to
  // (writer_threads.h), which writes its files in that order: runs are deterministic.
  std::vector<const FileState*> previous_states;  // null for a file the index does not have
  previous_states.reserve(listing.documents.size());
  for (const CorpusFile& entry : listing.documents)
    previous_states.push_back(indexed.state_of(entry.document_path));
  // Only files that may have changed go to the workers: an unchanged one is told by its listing's
  // stat on this thread, at no cost but that stat and its state's look-up (a corpus of 35,000
  // files re-run with nothing changed handed each to a worker and back).
  std::vector<std::size_t> to_prepare;  // indexes into listing.documents, in corpus order
  std::vector<std::uint64_t> file_sizes;
  for (std::size_t index = 0; index < listing.documents.size(); ++index) {
    const CorpusFile& entry = listing.documents[index];
    if (!refusal(entry.document_path) && same_stat(entry, previous_states[index])) continue;
    to_prepare.push_back(index);
    file_sizes.push_back(entry.listed_size);
  }
  OrderedWorkers<PreparedFile> workers(
      to_prepare.size(),
      [&](std::size_t nth) {
        const std::size_t index = to_prepare[nth];
        const CorpusFile& entry = listing.documents[index];
        if (const RefusedFile* file = refusal(entry.document_path)) {
          PreparedFile failed;
          failed.outcome = PreparedFile::Outcome::kFailed;
          failed.error = file->reason + "; the run was done again without it";
          return failed;
        }
        return prepare_file(entry, previous_states[index], now, page_reader);
      },
      std::move(file_sizes), kReadAheadBytes);
  std::size_t prepared_next = 0;  // of to_prepare
  for (std::size_t index = 0; index < listing.documents.size(); ++index) {
    const CorpusFile& entry = listing.documents[index];
    PreparedFile prepared;  // kUnchanged
    if (prepared_next < to_prepare.size() && to_prepare[prepared_next] == index)
      prepared = workers.take(prepared_next++);
    present.insert(entry.document_path);
    summary.bytes_read += prepared.bytes_read;
    const bool refuse_after_writing = !refuse_for_test.empty() &&
                                      refuse_for_test == entry.document_path &&
                                      prepared.outcome == PreparedFile::Outcome::kIndexed;
    switch (prepared.outcome) {
      case PreparedFile::Outcome::kUnchanged:
        ++summary.files_unchanged;
        break;
      case PreparedFile::Outcome::kTouched:
        writer.write(entry.document_path, 0,
                     [state = std::move(prepared.state)](IndexWriter& target) {
                       write_file(state.path, false, [&] { target.update_state(state); });
                     });
        ++summary.files_unchanged;
        break;
      case PreparedFile::Outcome::kIndexed: {
        summary.passages_written += prepared.passages_to_build.empty()
                                        ? prepared.documents.size()
                                        : prepared.passages_to_build.size();
        ++summary.files_indexed;
        // In the transaction of the passages that name them, once every file is written, in
        // corpus order: searchd shows these names as labels, and a value keeps its first.
        for (const DiscoveredInstitution& institution : prepared.discovered)
          labels.push_back({entry.document_path, institution.id, institution.name});
        for (DiscoveredInstitution& institution : prepared.discovered)
          if (seen_institutions.insert(institution.id).second)
            summary.discovered.push_back(
                {std::move(institution.id), std::move(institution.name), entry.document_path});
        auto file = std::make_shared<FileToWrite>(
            FileToWrite{std::move(prepared.state), std::move(prepared.documents),
                        std::move(prepared.passages_to_build), std::move(prepared.metadata),
                        std::move(prepared.spelling)});
        writer.write(entry.document_path, std::max<std::uint64_t>(prepared.bytes_read, 1),
                     [file, refuse_after_writing, now](IndexWriter& target) {
                       write_file(file->state.path, refuse_after_writing, [&] {
                         if (file->passages_to_build.empty())
                           target.replace_file(file->state, file->documents, file->spelling);
                         else
                           write_in_batches(target, *file, now);
                       });
                     });
        break;
      }
      case PreparedFile::Outcome::kFailed:
        // The file keeps the passages it had: nothing is lost to a bad read.
        summary.errors.push_back({entry.document_path, prepared.error});
        ++summary.files_failed;
        break;
    }
    for (auto& report : prepared.inferred) summary.inferred.push_back(std::move(report));
    for (auto& report : prepared.notes) summary.notes.push_back(std::move(report));
    for (const PageOrigin& page : prepared.pages) {
      if (page.source != schema::TextSource::kOcr)
        ++summary.pages_text_layer;
      else if (page.from_cache)
        ++summary.pages_from_cache;
      else
        ++summary.pages_recognised;
    }
    ++progress.files_done;
    progress.bytes_read = summary.bytes_read;
    progress.seconds = elapsed();
    if (options.on_progress) options.on_progress(progress);
    if (kill_after >= 0 && static_cast<int>(progress.files_done) >= kill_after) std::raise(SIGKILL);
  }

  writer.finish_writes();
  for (const PendingLabel& label : labels)
    write_file(label.document_path, false, [&] {
      writer.label_value(label.document_path, kInstitutionVocabulary, label.id, label.name);
    });

  // The files the index had when the run began: those it wrote since are present.
  for (const FileState& state : indexed.all()) {
    const std::string root = state.path.substr(0, state.path.find('/'));
    const bool in_this_run =
        std::find(listing.roots.begin(), listing.roots.end(), root) != listing.roots.end();
    if (in_this_run && !present.contains(state.path)) {
      writer.remove_file(state.path);
      ++summary.files_removed;
    }
  }
  // Links and duplicate groups can only change when passages did, or when a run was killed
  // between two shards' commits. They are computed over every shard at once, so that a file's
  // groups and links do not depend on the shard it is in. Only what the run's passages touch is
  // computed again, unless they are many or a run was killed between two shards' commits: then
  // every passage is, as the groups and links of a shard may not agree with the others'.
  if (summary.files_indexed > 0 || summary.files_removed > 0 ||
      writer.previous_commit_interrupted()) {
    const RunChanges changes = writer.changes();
    // A run from nothing reads every passage anyway, in one pass over the value slots.
    const bool from_nothing = !changes.too_many && changes.deleted_signatures.empty() &&
                              changes.written.size() == writer.passage_count();
    const RunChanges* only =
        writer.previous_commit_interrupted() || from_nothing ? nullptr : &changes;
    const auto rewritten = [&writer](Xapian::docid docid) { writer.note_rewritten(docid); };
    auto phase_started = std::chrono::steady_clock::now();
    const auto phase_seconds = [&phase_started] {
      const auto phase_ended = std::chrono::steady_clock::now();
      const double seconds = std::chrono::duration<double>(phase_ended - phase_started).count();
      phase_started = phase_ended;
      return seconds;
    };
    const CommitmentLinking links =
        link_commitments(writer.combined(), rewritten, only, writer.held_commitments());
    summary.end_of_run.commitments_held = writer.held_commitments().size();
    writer.write_held_commitments();
    summary.links = links.changed;
    summary.end_of_run.commitments_read = links.commitments_read;
    summary.end_of_run.linking_seconds = phase_seconds();
    const DuplicateGrouping duplicates = group_duplicates(writer.combined(), rewritten, only);
    summary.duplicate_groups = duplicates.groups;
    summary.duplicate_passages = duplicates.grouped;
    summary.end_of_run.passages_regrouped = duplicates.passages_read;
    summary.end_of_run.passages_rewritten = links.rewritten + duplicates.passages_changed;
    summary.end_of_run.grouping_seconds = phase_seconds();
    summary.end_of_run.everything = only == nullptr || changes.too_many || duplicates.everything;
    summary.end_of_run.done = true;
  }
  writer.write_held_commitments();  // none left when the passes ran
  const auto commit_started = std::chrono::steady_clock::now();
  writer.commit();
  summary.end_of_run.commit_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - commit_started).count();
  summary.passages_in_index = writer.passage_count();
  summary.seconds = elapsed();
  return summary;
}

}  // namespace

IndexSummary index_corpus(const IndexerOptions& options) {
  std::vector<RefusedFile> refused;
  for (;;) {
    try {
      return run_once(options, refused);
    } catch (RefusedFile& file) {
      // The attempt's transaction was cancelled as its writer went: nothing of it remains.
      if (refused.size() >= kMaxRefusedFiles)
        throw std::runtime_error(file.document_path + ": " + file.reason + " (" +
                                 std::to_string(refused.size() + 1) +
                                 " files refused; nothing of this run was committed)");
      refused.push_back(std::move(file));
    }
  }
}

}  // namespace lupa::indexer
