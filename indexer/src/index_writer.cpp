#include "lupa/indexer/index_writer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>
#include <unordered_map>

#include "lupa/analyzers/index_commit.h"
#include "lupa/analyzers/index_labels.h"
#include "lupa/analyzers/language.h"
#include "lupa/analyzers/passage_analyzer.h"
#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/text_normalizer.h"

namespace lupa::indexer {
namespace {

constexpr std::string_view kStateKeyPrefix = "lupa:state:";

constexpr std::string_view kSpellingKeyPrefix = "lupa:spelling:";
constexpr std::size_t kMinSpellingBytes = 4;

std::string state_key(const std::string& document_path) {
  return schema::metadata_key(kStateKeyPrefix, schema::file_term(document_path));
}

std::string spelling_key(const std::string& document_path) {
  return schema::metadata_key(kSpellingKeyPrefix, schema::file_term(document_path));
}

std::string shown_start(std::string_view text) {
  std::string start(text.substr(0, 40));
  while (!start.empty() && (static_cast<unsigned char>(start.back()) & 0xC0) == 0x80)
    start.pop_back();
  return start + "...";
}

// fold_diacritics of a word, remembered: ICU's normalisers cost far more than a lookup, and
// a corpus's accented words are few and repeat. Per thread, bounded.
const std::string& without_accents(const std::string& word) {
  constexpr std::size_t kMaxRemembered = 100'000;
  thread_local std::unordered_map<std::string, std::string> folded;
  if (auto found = folded.find(word); found != folded.end()) return found->second;
  if (folded.size() >= kMaxRemembered) folded.clear();
  return folded.emplace(word, analyzers::fold_diacritics(word)).first->second;
}

// 128 random bits in hex: distinct across runs, machines and restored backups, which a
// counter or a clock would not be.
std::string new_commit_id() {
  std::random_device random;
  std::string id;
  for (int i = 0; i < 4; ++i) {
    char word[9];
    std::snprintf(word, sizeof word, "%08x", static_cast<unsigned>(random()));
    id += word;
  }
  return id;
}

}  // namespace

void collect_spelling_words(std::string_view text, SpellingWords& words) {
  collect_spelling_words(analyzers::segment_words(text), words);
}

void collect_spelling_words(std::span<const std::string> text_words, SpellingWords& words) {
  for (const std::string& word : text_words) {
    if (word.size() < kMinSpellingBytes || word.size() > analyzers::kMaxIndexedWordBytes) continue;
    if (std::any_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    if (analyzers::is_stop_word(word)) continue;
    const std::string& accentless = without_accents(word);
    SpellingWord& entry = words[accentless];
    ++entry.count;
    if (entry.written.empty() && accentless != word) entry.written = word;
  }
}

std::optional<std::string> unwritable_reason(const std::vector<Xapian::Document>& documents,
                                             const SpellingWords& spelling) {
  for (const Xapian::Document& document : documents)
    for (auto term = document.termlist_begin(); term != document.termlist_end(); ++term)
      if ((*term).size() > schema::kMaxTermBytes)
        return "a term is longer than Xapian's " + std::to_string(schema::kMaxTermBytes) +
               "-byte limit: " + shown_start(*term);
  for (const auto& [word, entry] : spelling) {
    if (word.empty() || word.size() > schema::kMaxSpellingWordBytes)
      return "a spelling word is longer than Xapian's " +
             std::to_string(schema::kMaxSpellingWordBytes) + "-byte limit: " + shown_start(word);
    if (word.find_first_of("\t\n") != std::string::npos)
      return "a spelling word holds a tab or a line end: " + shown_start(word);
  }
  return std::nullopt;
}

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
                               const std::vector<Xapian::Document>& documents,
                               const SpellingWords& spelling) {
  start_file(state.path);
  for (const Xapian::Document& document : documents) add_passage(document);
  finish_file(state, spelling);
}

void RunChanges::merge(const RunChanges& other) {
  passages += other.passages;
  too_many = too_many || other.too_many || passages > kMostPassages;
  if (too_many) {
    forget();
    return;
  }
  written.insert(written.end(), other.written.begin(), other.written.end());
  deleted_signatures.insert(deleted_signatures.end(), other.deleted_signatures.begin(),
                            other.deleted_signatures.end());
  deleted_duplicate_groups.insert(deleted_duplicate_groups.end(),
                                  other.deleted_duplicate_groups.begin(),
                                  other.deleted_duplicate_groups.end());
  deleted_link_values.insert(deleted_link_values.end(), other.deleted_link_values.begin(),
                             other.deleted_link_values.end());
}

bool RunChanges::count_one() {
  ++passages;
  if (!too_many && passages > kMostPassages) {
    too_many = true;
    forget();
  }
  return !too_many;
}

void RunChanges::forget() {
  std::vector<std::string>().swap(written);
  std::vector<std::string>().swap(deleted_signatures);
  std::vector<std::string>().swap(deleted_duplicate_groups);
  std::vector<std::string>().swap(deleted_link_values);
}

void IndexWriter::note_deleted(const std::string& document_path) {
  const std::string term = schema::file_term(document_path);
  for (auto posting = database_.postlist_begin(term); posting != database_.postlist_end(term);
       ++posting) {
    if (!changes_.count_one()) return;
    const Xapian::Document document = database_.get_document(*posting, Xapian::DOC_ASSUME_VALID);
    changes_.deleted_signatures.push_back(document.get_value(schema::kSlotDuplicateSignature));
    changes_.deleted_duplicate_groups.push_back(document.get_value(schema::kSlotDuplicateGroup));
    changes_.deleted_link_values.push_back(document.get_value(schema::kSlotCommitmentLinks));
  }
}

void IndexWriter::start_file(const std::string& document_path) {
  changed_ = true;
  note_deleted(document_path);
  database_.delete_document(schema::file_term(document_path));
}

void IndexWriter::add_passage(const Xapian::Document& document) {
  changed_ = true;
  database_.add_document(document);
  if (!changes_.count_one()) return;
  // The signature slot starts with the passage's id (duplicate_grouper.h).
  const std::string signature = document.get_value(schema::kSlotDuplicateSignature);
  changes_.written.push_back(signature.substr(0, signature.find('\0')));
}

void IndexWriter::finish_file(const FileState& state, const SpellingWords& spelling) {
  changed_ = true;
  forget_spelling(state.path);
  std::string listed;
  for (const auto& [word, entry] : spelling) {
    database_.add_spelling(word, entry.count);
    listed += word + '\t' + std::to_string(entry.count) + '\n';
    if (entry.written.empty()) continue;
    note_accented_form(word, entry.written);
    if (accented_mirror_) accented_mirror_->note_accented_form(word, entry.written);
  }
  database_.set_metadata(spelling_key(state.path), listed);
  database_.set_metadata(state_key(state.path), state.serialise());
}

void IndexWriter::note_accented_form(const std::string& word, const std::string& written) {
  // Never removed: it is read only for words the dictionary offers.
  if (!accented_known_.insert(word).second) return;
  const std::string key = schema::accented_spelling_key(word);
  if (!database_.get_metadata(key).empty()) return;
  database_.set_metadata(key, written);
  changed_ = true;
}

void IndexWriter::forget_spelling(const std::string& document_path) {
  const std::string listed = database_.get_metadata(spelling_key(document_path));
  std::istringstream lines(listed);
  std::string word;
  Xapian::termcount count = 0;
  while (std::getline(lines, word, '\t') && lines >> count) {
    lines.ignore(1);  // the newline
    database_.remove_spelling(word, count);
  }
  database_.set_metadata(spelling_key(document_path), "");
}

void IndexWriter::update_state(const FileState& state) {
  changed_ = true;
  database_.set_metadata(state_key(state.path), state.serialise());
}

void IndexWriter::label_value(std::string_view vocabulary, std::string_view id,
                              std::string_view label) {
  if (label.empty()) return;  // Xapian would take an empty value as "delete the key"
  const std::string key = analyzers::index_label_key(vocabulary, id);
  if (!database_.get_metadata(key).empty()) return;
  database_.set_metadata(key, std::string(label));
  changed_ = true;
}

void IndexWriter::remove_file(const std::string& document_path) {
  changed_ = true;
  note_deleted(document_path);
  database_.delete_document(schema::file_term(document_path));
  forget_spelling(document_path);
  database_.set_metadata(state_key(document_path), "");
}

void IndexWriter::commit() {
  // Only when something changed: an untouched database keeps its revision (and replicas
  // have nothing to copy).
  if (changed_) database_.set_metadata(std::string(schema::kCommitIdKey), new_commit_id());
  database_.commit_transaction();
  committed_ = true;
}

}  // namespace lupa::indexer
