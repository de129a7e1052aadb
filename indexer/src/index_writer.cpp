#include "lupa/indexer/index_writer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>

#include "lupa/analyzers/language.h"
#include "lupa/analyzers/schema.h"

namespace lupa::indexer {
namespace {

constexpr std::string_view kStateKeyPrefix = "lupa:state:";

std::string state_key(const std::string& document_path) {
  return std::string(kStateKeyPrefix) + schema::file_term(document_path);
}

}  // namespace

std::string FileState::serialise() const {
  std::ostringstream out;
  // The path goes last: it is the one field that may itself hold a tab.
  out << size << '\t' << mtime_ns << '\t' << content_hash << '\t' << fingerprint << '\t' << passages
      << '\t' << path;
  return out.str();
}

std::optional<FileState> FileState::parse(const std::string& serialised) {
  std::istringstream in(serialised);
  FileState state;
  std::string size, mtime, passages;
  if (!std::getline(in, size, '\t') || !std::getline(in, mtime, '\t') ||
      !std::getline(in, state.content_hash, '\t') || !std::getline(in, state.fingerprint, '\t') ||
      !std::getline(in, passages, '\t') || !std::getline(in, state.path, '\0') ||
      state.path.empty())
    return std::nullopt;
  try {
    state.size = std::stoull(size);
    state.mtime_ns = std::stoll(mtime);
    state.passages = std::stoi(passages);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return state;
}

IndexWriter::IndexWriter(const std::filesystem::path& directory)
    : database_(directory.string(), Xapian::DB_CREATE_OR_OPEN) {
  database_.begin_transaction(true);
}

IndexWriter::~IndexWriter() {
  if (committed_) return;
  try {
    database_.cancel_transaction();
  } catch (const Xapian::Error&) {
    // Nothing to undo on disk: an uncommitted transaction never reaches readers.
  }
}

std::optional<FileState> IndexWriter::file_state(const std::string& document_path) const {
  const std::string serialised = database_.get_metadata(state_key(document_path));
  if (serialised.empty()) return std::nullopt;
  return FileState::parse(serialised);
}

std::vector<std::string> IndexWriter::indexed_files() const {
  std::vector<std::string> paths;
  const std::string prefix(kStateKeyPrefix);
  for (auto key = database_.metadata_keys_begin(prefix); key != database_.metadata_keys_end(prefix);
       ++key)
    if (auto state = FileState::parse(database_.get_metadata(*key))) paths.push_back(state->path);
  return paths;
}

void IndexWriter::replace_file(const FileState& state,
                               const std::vector<Xapian::Document>& documents) {
  database_.delete_document(schema::file_term(state.path));
  for (const Xapian::Document& document : documents) database_.add_document(document);
  database_.set_metadata(state_key(state.path), state.serialise());
}

void IndexWriter::update_state(const FileState& state) {
  database_.set_metadata(state_key(state.path), state.serialise());
}

void IndexWriter::remove_file(const std::string& document_path) {
  database_.delete_document(schema::file_term(document_path));
  database_.set_metadata(state_key(document_path), "");
}

void IndexWriter::commit() {
  database_.commit_transaction();
  committed_ = true;
}

}  // namespace lupa::indexer
