#include "lupa/indexer/index_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>
#include <system_error>
#include <unordered_map>

#include "lupa/analyzers/index_commit.h"
#include "lupa/analyzers/index_labels.h"
#include "lupa/analyzers/language.h"
#include "lupa/analyzers/passage_analyzer.h"
#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/text_normalizer.h"
#include "lupa/indexer/duplicate_grouper.h"

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

// What the spelling dictionary needs to know of a word.
struct SpellingForm {
  std::string accentless;  // fold_diacritics of the word
  bool stop_word = false;
};

// A word's SpellingForm, remembered: ICU's normalisers cost far more than a lookup (the
// stop-word test folds the word too), and a corpus's words repeat. Per thread, bounded.
const SpellingForm& spelling_form(const std::string& word) {
  constexpr std::size_t kMaxRemembered = 100'000;
  thread_local std::unordered_map<std::string, SpellingForm> forms;
  if (auto found = forms.find(word); found != forms.end()) return found->second;
  if (forms.size() >= kMaxRemembered) forms.clear();
  SpellingForm form{analyzers::fold_diacritics(word), analyzers::is_stop_word(word)};
  return forms.emplace(word, std::move(form)).first->second;
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

// What the linker reads of a held commitment, kept in memory.
std::size_t held_bytes(const HeldCommitment& held) {
  return sizeof(HeldCommitment) + held.file_term.size() + held.link_value.size();
}

}  // namespace

SpillFile::SpillFile(const std::filesystem::path& folder)
    : descriptor_(::open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) {
  if (descriptor_ < 0)
    throw std::system_error(errno, std::generic_category(),
                            "cannot make a temporary file in " + folder.string());
}

SpillFile::~SpillFile() {
  ::close(descriptor_);
}

std::uint64_t SpillFile::append(std::string_view bytes) {
  const std::uint64_t start = end_;
  while (!bytes.empty()) {
    const ssize_t written =
        ::pwrite(descriptor_, bytes.data(), bytes.size(), static_cast<off_t>(end_));
    if (written < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "cannot write a temporary file");
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
    end_ += static_cast<std::uint64_t>(written);
  }
  return start;
}

std::string SpillFile::read(std::uint64_t offset, std::size_t size) const {
  std::string bytes(size, '\0');
  std::size_t done = 0;
  while (done < size) {
    const ssize_t got =
        ::pread(descriptor_, bytes.data() + done, size - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0)
      throw std::system_error(got < 0 ? errno : EIO, std::generic_category(),
                              "cannot read a temporary file back");
    done += static_cast<std::size_t>(got);
  }
  return bytes;
}

Xapian::Document HeldCommitment::document() const {
  return Xapian::Document::unserialise(file->read(offset, size));
}

void HeldCommitment::replace(const Xapian::Document& document) {
  replace_serialised(document.serialise(), document.get_value(schema::kSlotCommitmentLinks));
}

void HeldCommitment::replace_serialised(std::string_view serialised, std::string new_link_value) {
  offset = file->append(serialised);
  size = serialised.size();
  link_value = std::move(new_link_value);
}

void collect_spelling_words(std::string_view text, SpellingWords& words) {
  collect_spelling_words(analyzers::segment_words(text), words);
}

void collect_spelling_words(std::span<const std::string> text_words, SpellingWords& words) {
  for (const std::string& word : text_words) {
    if (word.size() < kMinSpellingBytes || word.size() > analyzers::kMaxIndexedWordBytes) continue;
    if (std::any_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    const SpellingForm& form = spelling_form(word);
    if (form.stop_word) continue;
    const std::string& accentless = form.accentless;
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
  // Five tab-ended fields, then the path up to the end (or a NUL); read without a stream, as
  // a run reads every file's state.
  std::array<std::string_view, 5> fields;
  std::string_view rest = serialised;
  for (std::string_view& field : fields) {
    const std::size_t tab = rest.find('\t');
    if (tab == std::string_view::npos) return std::nullopt;
    field = rest.substr(0, tab);
    rest.remove_prefix(tab + 1);
  }
  FileState state;
  state.path = std::string(rest.substr(0, rest.find('\0')));
  if (state.path.empty()) return std::nullopt;
  state.content_hash = fields[2];
  state.fingerprint = fields[3];
  try {
    state.size = std::stoull(std::string(fields[0]));
    state.mtime_ns = std::stoll(std::string(fields[1]));
    state.passages = std::stoi(std::string(fields[4]));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return state;
}

IndexWriter::IndexWriter(const std::filesystem::path& directory, RunIsolation isolation)
    : directory_(directory),
      isolation_(isolation),
      database_(directory.string(), isolation == RunIsolation::kTransaction
                                        ? Xapian::DB_CREATE_OR_OPEN
                                        : Xapian::DB_CREATE | Xapian::DB_NO_SYNC) {
  if (isolation_ == RunIsolation::kTransaction) database_.begin_transaction(true);
}

IndexWriter::~IndexWriter() {
  // An unpublished folder is removed whole by its owner.
  if (committed_ || isolation_ == RunIsolation::kUnpublishedFolder) return;
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

std::vector<FileState> IndexWriter::file_states() const {
  std::vector<FileState> states;
  const std::string prefix(kStateKeyPrefix);
  for (auto key = database_.metadata_keys_begin(prefix); key != database_.metadata_keys_end(prefix);
       ++key)
    if (auto state = FileState::parse(database_.get_metadata(*key)))
      states.push_back(std::move(*state));
  return states;
}

std::vector<std::string> IndexWriter::indexed_files() const {
  std::vector<std::string> paths;
  for (FileState& state : file_states()) paths.push_back(std::move(state.path));
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
    changes_.deleted_signatures.push_back(signature_with_id(document));
    changes_.deleted_duplicate_groups.push_back(document.get_value(schema::kSlotDuplicateGroup));
    changes_.deleted_link_values.push_back(document.get_value(schema::kSlotCommitmentLinks));
  }
}

void IndexWriter::start_file(const std::string& document_path) {
  changed_ = true;
  file_term_ = schema::file_term(document_path);
  drop_held(file_term_);
  note_deleted(document_path);
  database_.delete_document(file_term_);
}

void IndexWriter::add_passage(const Xapian::Document& document) {
  changed_ = true;
  if (!hold(document)) database_.add_document(document);
  if (!changes_.count_one()) return;
  changes_.written.push_back(document.get_value(schema::kSlotPassageId));
}

bool IndexWriter::hold(const Xapian::Document& document) {
  if (hold_budget_ == 0 || file_term_.empty() || held_file_failed_) return false;
  std::string link_value = document.get_value(schema::kSlotCommitmentLinks);
  if (link_value.empty()) return false;
  HeldCommitment held{.file_term = file_term_, .link_value = std::move(link_value)};
  const std::size_t bytes = held_bytes(held);
  if (held_bytes_ + bytes > hold_budget_) return false;
  if (!held_file_) {
    try {
      held_file_ = std::make_unique<SpillFile>(directory_);
    } catch (const std::system_error&) {
      held_file_failed_ = true;  // a file system without O_TMPFILE: written, then linked
      return false;
    }
  }
  held.file = held_file_.get();
  const std::string serialised = document.serialise();
  held.offset = held_file_->append(serialised);
  held.size = serialised.size();
  held_bytes_ += bytes;
  held_.push_back(std::move(held));
  held_files_.insert(file_term_);
  return true;
}

void IndexWriter::drop_held(const std::string& file_term) {
  if (!held_files_.erase(file_term)) return;
  std::erase_if(held_, [&](const HeldCommitment& held) { return held.file_term == file_term; });
  held_bytes_ = 0;
  for (const HeldCommitment& held : held_) held_bytes_ += held_bytes(held);
}

void IndexWriter::write_held_commitments() {
  for (const HeldCommitment& held : held_) database_.add_document(held.document());
  std::vector<HeldCommitment>().swap(held_);
  held_file_.reset();
  held_files_.clear();
  held_bytes_ = 0;
  hold_budget_ = 0;
}

void IndexWriter::finish_file(const FileState& state, const SpellingWords& spelling) {
  changed_ = true;
  file_term_.clear();
  forget_spelling(state.path);
  std::string listed;
  for (const auto& [word, entry] : spelling) {
    database_.add_spelling(word, entry.count);
    listed += word + '\t' + std::to_string(entry.count) + '\n';
    if (entry.written.empty()) continue;
    note_accented_form(word, entry.written);
  }
  database_.set_metadata(spelling_key(state.path), listed);
  database_.set_metadata(state_key(state.path), state.serialise());
}

void IndexWriter::note_accented_form(const std::string& word, const std::string& written) {
  // Never removed: it is read only for words the dictionary offers.
  if (!accented_known_.insert(word).second) return;
  if (keep_accented_) {
    kept_accented_.push_back({file_number_, word, written});
    if (!store_accented_here_) return;
  }
  store_accented_form(word, written);
}

void IndexWriter::store_accented_form(const std::string& word, const std::string& written) {
  const std::string key = schema::accented_spelling_key(word);
  if (!database_.get_metadata(key).empty()) return;
  database_.set_metadata(key, written);
  changed_ = true;
}

void IndexWriter::store_accented_forms(const std::vector<AccentedForm>& forms) {
  for (const AccentedForm& form : forms) store_accented_form(form.word, form.written);
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
  drop_held(schema::file_term(document_path));
  note_deleted(document_path);
  database_.delete_document(schema::file_term(document_path));
  forget_spelling(document_path);
  database_.set_metadata(state_key(document_path), "");
}

void IndexWriter::commit() {
  // Only when something changed: an untouched database keeps its revision (and replicas
  // have nothing to copy).
  if (changed_) database_.set_metadata(std::string(schema::kCommitIdKey), new_commit_id());
  if (isolation_ == RunIsolation::kTransaction)
    database_.commit_transaction();
  else
    database_.commit();
  committed_ = true;
}

}  // namespace lupa::indexer
