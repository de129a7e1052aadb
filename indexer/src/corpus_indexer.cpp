#include "lupa/indexer/corpus_indexer.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>
#include <libxml/parser.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <deque>
#include <exception>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "lupa/analyzers/language.h"
#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/text_normalizer.h"
#include "lupa/indexer/commitment_linker.h"
#include "lupa/indexer/commitment_recognizer.h"
#include "lupa/indexer/document_builder.h"
#include "lupa/indexer/extractor.h"
#include "lupa/indexer/index_writer.h"
#include "lupa/indexer/manifest.h"
#include "lupa/indexer/metadata_inference.h"
#include "lupa/indexer/segmenter.h"
#include "lupa/ocr/document_reader.h"

namespace lupa::indexer {
namespace fs = std::filesystem;
namespace {

// Text documents larger than this are not reports but dumps; refusing them bounds memory.
constexpr std::streamoff kMaxFileBytes = std::streamoff{256} << 20;

struct CorpusFile {
  fs::path file;
  std::string document_path;  // "<folder name>/<relative path>", as users see it
  const DocumentMetadata* manifest_entry = nullptr;
  std::string fingerprint;
};

struct CorpusListing {
  std::vector<CorpusFile> documents;
  std::vector<FileReport> skipped;
  std::vector<FileReport> errors;
  std::set<std::string> frozen;  // documents under a broken manifest: keep as they are
  std::vector<std::string> roots;
};

std::string hex_sha1(const std::string& content) {
  Poco::SHA1Engine engine;
  engine.update(content.data(), content.size());
  return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string metadata_fingerprint(const DocumentMetadata* metadata) {
  std::ostringstream out;
  out << schema::kAnalysisVersion;
  if (!metadata) return out.str() + "|inferred";
  auto field = [&](const std::optional<std::string>& value) { out << '|' << value.value_or(""); };
  auto list = [&](const std::vector<std::string>& values) {
    out << '|';
    for (const auto& value : values) out << value << ',';
  };
  field(metadata->title), field(metadata->country), list(metadata->plans), field(metadata->type);
  list(metadata->languages), field(metadata->date), field(metadata->source);
  // Hashed: the file state is tab-separated, and a title may hold a tab.
  return std::string(schema::kAnalysisVersion) + "|" + hex_sha1(out.str());
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ExtractionError("cannot be opened for reading");
  std::string content;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw ExtractionError("size cannot be read");
  if (size > kMaxFileBytes)
    throw ExtractionError("larger than " + std::to_string(kMaxFileBytes >> 20) + " MB");
  content.resize(static_cast<std::size_t>(size));
  in.seekg(0);
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  if (!in) throw ExtractionError("read error");
  return content;
}

bool is_hidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name[0] == '.';
}

CorpusListing list_corpus(const std::vector<fs::path>& folders,
                          std::deque<std::map<std::string, DocumentMetadata>>& manifests) {
  CorpusListing listing;
  std::set<std::string> seen_paths;
  std::map<std::string, std::string> id_owners;  // id of a document's passage 0 -> its path
  for (const fs::path& folder : folders) {
    if (!fs::is_directory(folder)) throw std::runtime_error(folder.string() + ": not a folder");
    const std::string root = fs::canonical(folder).filename().string();
    listing.roots.push_back(root);
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(folder,
                                                    fs::directory_options::skip_permission_denied);
         it != fs::recursive_directory_iterator(); ++it) {
      if (is_hidden(it->path())) {
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file()) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());

    // Manifests first: each covers the files of its own folder.
    std::map<fs::path, const std::map<std::string, DocumentMetadata>*> manifest_of_folder;
    std::set<fs::path> broken_manifest_folders;
    for (const fs::path& file : files) {
      if (file.filename() != kManifestFileName) continue;
      try {
        manifests.push_back(load_manifest(file));
        manifest_of_folder[file.parent_path()] = &manifests.back();
      } catch (const ManifestError& error) {
        listing.errors.push_back({file.string(), error.what()});
        broken_manifest_folders.insert(file.parent_path());
      }
    }
    for (const fs::path& file : files) {
      if (file.filename() == kManifestFileName) continue;
      const std::string document_path = root + "/" + fs::relative(file, folder).generic_string();
      if (!is_supported_document(file)) {
        const std::string extension = file.extension().string();
        listing.skipped.push_back(
            {document_path, "no reader for '" +
                                (extension.empty() ? file.filename().string() : extension) +
                                "' files"});
        continue;
      }
      if (!seen_paths.insert(document_path).second) {
        listing.errors.push_back({document_path, "two corpus folders give the same document path"});
        continue;
      }
      // Ids are made URL-safe, so "a b.txt" and "a-b.txt" would share them: refuse the second.
      const auto [other, fresh] = id_owners.emplace(passage_id(document_path, 0), document_path);
      if (!fresh) {
        listing.errors.push_back({document_path, "its passage ids would be those of " +
                                                     other->second +
                                                     "; rename one of the two files"});
        continue;
      }
      if (broken_manifest_folders.contains(file.parent_path())) {
        listing.frozen.insert(document_path);
        listing.skipped.push_back(
            {document_path, "left as indexed before: its folder's manifest is invalid"});
        continue;
      }
      CorpusFile entry{file, document_path, nullptr, ""};
      if (auto manifest = manifest_of_folder.find(file.parent_path());
          manifest != manifest_of_folder.end()) {
        const std::string name = file.filename().string();
        if (auto found = manifest->second->find(name); found != manifest->second->end())
          entry.manifest_entry = &found->second;
      }
      entry.fingerprint = metadata_fingerprint(entry.manifest_entry);
      listing.documents.push_back(std::move(entry));
    }
  }
  return listing;
}

std::int64_t mtime_ns(const fs::path& file) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             fs::last_write_time(file).time_since_epoch())
      .count();
}

void assign_languages(std::vector<Passage>& passages, analyzers::Language document_language) {
  analyzers::Language previous = document_language;
  for (Passage& passage : passages) {
    // Short passages give little evidence: they take the language of the text around them.
    previous = analyzers::identify_language(passage.heading + "\n" + passage.text, previous);
    passage.language = std::string(analyzers::language_code(previous));
  }
}

// For tests of crash safety: dies as a kill would, after this many files were written.
int crash_after_files() {
  const char* value = std::getenv("LUPA_INDEXER_TEST_KILL_AFTER_FILES");
  return value ? std::atoi(value) : -1;
}

// Runs `work(0..count-1)` on worker threads that stay a bounded distance ahead of the
// consumer, which takes the results in order. Workers live as long as the object, so their
// thread-local caches (analysis, ICU break iterators) stay warm across files.
template <typename Result>
class OrderedWorkers {
 public:
  OrderedWorkers(std::size_t count, std::function<Result(std::size_t)> work)
      : work_(std::move(work)), results_(count), failures_(count) {
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
    changed_.notify_all();
    return result;
  }

 private:
  void run() {
    for (;;) {
      std::size_t index;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(
            lock, [&] { return stopping_ || next_ >= results_.size() || next_ < taken_ + ahead_; });
        if (stopping_ || next_ >= results_.size()) return;
        index = next_++;
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
  std::uint64_t bytes_read = 0;
  std::string error;
  std::vector<FileReport> inferred;
  std::vector<FileReport> notes;
  std::vector<PageOrigin> pages;
  SpellingWords spelling;
};

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

PreparedFile prepare_file(const CorpusFile& entry, const std::optional<FileState>& previous,
                          double now, const ocr::DocumentReader& page_reader) {
  thread_local DocumentBuilder builder;
  PreparedFile prepared;
  FileState& state = prepared.state;
  try {
    state = FileState{entry.document_path,  fs::file_size(entry.file),
                      mtime_ns(entry.file), "",
                      entry.fingerprint,    0};
    const bool same_stat = previous && previous->size == state.size &&
                           previous->mtime_ns == state.mtime_ns &&
                           previous->fingerprint == state.fingerprint;
    if (same_stat) return prepared;
    const std::string content = read_file(entry.file);
    prepared.bytes_read = content.size();
    state.content_hash = hex_sha1(content);
    if (previous && previous->content_hash == state.content_hash &&
        previous->fingerprint == state.fingerprint) {
      state.passages = previous->passages;
      prepared.outcome = PreparedFile::Outcome::kTouched;
      return prepared;
    }
    ExtractedText extracted = extract_text(entry.file, content, &page_reader);
    SegmentedText segmented = segment_text(extracted.text);
    mark_text_sources(segmented.passages, extracted.pages);
    prepared.pages = extracted.pages;
    const DocumentMetadata given =
        entry.manifest_entry ? *entry.manifest_entry : DocumentMetadata{};
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
      assign_languages(segmented.passages, document_language);
    }
    std::vector<std::string> inferred;
    const DocumentMetadata metadata =
        complete_metadata(given, extracted.text, extracted.title, segmented.passages, inferred);
    if (segmented.passages.empty()) throw ExtractionError("no text to index");
    recognize_commitments(segmented.passages, metadata);
    tag_passages(segmented.passages);
    for (const Passage& passage : segmented.passages) {
      prepared.documents.push_back(builder.build(entry.document_path, metadata, passage, now));
      collect_spelling_words(passage.text, prepared.spelling);
    }
    state.passages = static_cast<int>(segmented.passages.size());
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

}  // namespace

IndexSummary index_corpus(const IndexerOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  IndexSummary summary;
  std::deque<std::map<std::string, DocumentMetadata>> manifests;  // entries are pointed to
  CorpusListing listing = list_corpus(options.corpus_folders, manifests);
  summary.files_seen = listing.documents.size();
  summary.skipped = std::move(listing.skipped);
  summary.errors = std::move(listing.errors);
  summary.files_failed = summary.errors.size();

  IndexWriter writer(options.database);
  ocr::ReaderOptions reader_options;
  reader_options.cache_directory = options.ocr_cache.empty()
                                       ? fs::absolute(options.database).parent_path() / "ocr-cache"
                                       : options.ocr_cache;
  const ocr::DocumentReader page_reader(reader_options);
  if (options.clear_ocr_cache) page_reader.clear_cache();
  // libxml2 wants its global state set up once, on one thread, before others parse.
  xmlInitParser();
  const int kill_after = crash_after_files();
  std::set<std::string> present(listing.frozen.begin(), listing.frozen.end());
  IndexProgress progress{0, listing.documents.size(), 0, 0};
  const double now = static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());

  // Reading and analysis run on worker threads, a few files ahead; the Xapian writer, which
  // is single-threaded, applies their results in corpus order, so runs are deterministic.
  std::vector<std::optional<FileState>> previous_states;
  for (const CorpusFile& entry : listing.documents)
    previous_states.push_back(writer.file_state(entry.document_path));
  OrderedWorkers<PreparedFile> workers(listing.documents.size(), [&](std::size_t index) {
    return prepare_file(listing.documents[index], previous_states[index], now, page_reader);
  });
  for (std::size_t index = 0; index < listing.documents.size(); ++index) {
    const CorpusFile& entry = listing.documents[index];
    PreparedFile prepared = workers.take(index);
    present.insert(entry.document_path);
    summary.bytes_read += prepared.bytes_read;
    switch (prepared.outcome) {
      case PreparedFile::Outcome::kUnchanged:
        ++summary.files_unchanged;
        break;
      case PreparedFile::Outcome::kTouched:
        writer.update_state(prepared.state);
        ++summary.files_unchanged;
        break;
      case PreparedFile::Outcome::kIndexed:
        writer.replace_file(prepared.state, prepared.documents, prepared.spelling);
        ++summary.files_indexed;
        summary.passages_written += prepared.documents.size();
        break;
      case PreparedFile::Outcome::kFailed:
        // The file keeps the passages it had: nothing is lost to a bad read.
        summary.errors.push_back({entry.document_path, prepared.error});
        ++summary.files_failed;
        break;
    }
    for (auto& report : prepared.inferred) summary.inferred.push_back(std::move(report));
    for (auto& report : prepared.notes) summary.notes.push_back(std::move(report));
    for (const PageOrigin& page : prepared.pages) {
      if (page.source != "ocr")
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

  for (const std::string& indexed : writer.indexed_files()) {
    const std::string root = indexed.substr(0, indexed.find('/'));
    const bool in_this_run =
        std::find(listing.roots.begin(), listing.roots.end(), root) != listing.roots.end();
    if (in_this_run && !present.contains(indexed)) {
      writer.remove_file(indexed);
      ++summary.files_removed;
    }
  }
  // Links can only change when passages did.
  if (summary.files_indexed > 0 || summary.files_removed > 0)
    summary.links = link_commitments(writer.database());
  writer.commit();
  summary.passages_in_index = writer.passage_count();
  summary.seconds = elapsed();
  return summary;
}

}  // namespace lupa::indexer
