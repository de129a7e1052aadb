#include "lupa/indexer/index_writer.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

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

std::string join_values(const std::vector<std::string>& values) {
  std::string joined;
  for (const std::string& value : values) {
    if (!joined.empty()) joined += schema::kValueSeparator;
    joined += value;
  }
  return joined;
}

void add_facet(Xapian::Document& document, std::string_view facet_name,
               const std::vector<std::string>& values) {
  const auto facet = schema::find_facet(facet_name);
  if (!facet) throw std::logic_error("no facet " + std::string(facet_name) + " in the schema");
  for (const std::string& value : values)
    document.add_boolean_term(schema::facet_term(*facet, value));
  if (!values.empty()) document.add_value(facet->slot, join_values(values));
}

Poco::JSON::Array::Ptr json_list(const std::vector<std::string>& values) {
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (const std::string& value : values) list->add(value);
  return list;
}

Poco::JSON::Object::Ptr commitment_json(const Commitment& commitment) {
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  if (commitment.number) json->set("number", *commitment.number);
  if (!commitment.ogp_id.empty()) json->set("ogp_id", commitment.ogp_id);
  json->set("title", commitment.title);
  Poco::JSON::Object::Ptr fields = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [name, value] : commitment.fields) fields->set(name, value);
  json->set("fields", fields);
  Poco::JSON::Array::Ptr references = new Poco::JSON::Array;
  for (int number : commitment.original_paragraphs) references->add(number);
  json->set("original_paragraphs", references);
  return json;
}

}  // namespace

std::string FileState::serialise() const {
  std::ostringstream out;
  out << path << '\t' << size << '\t' << mtime_ns << '\t' << content_hash << '\t' << fingerprint
      << '\t' << passages;
  return out.str();
}

std::optional<FileState> FileState::parse(const std::string& serialised) {
  std::istringstream in(serialised);
  FileState state;
  std::string size, mtime, passages;
  if (!std::getline(in, state.path, '\t') || !std::getline(in, size, '\t') ||
      !std::getline(in, mtime, '\t') || !std::getline(in, state.content_hash, '\t') ||
      !std::getline(in, state.fingerprint, '\t') || !std::getline(in, passages))
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

std::string passage_id(const std::string& document_path, int ordinal) {
  std::string stem = document_path;
  if (const auto slash = stem.rfind('/'), dot = stem.rfind('.');
      dot != std::string::npos && (slash == std::string::npos || dot > slash))
    stem.erase(dot);
  std::string id;
  for (unsigned char c : stem) {
    if (std::isalnum(c))
      id += static_cast<char>(std::tolower(c));
    else if (c == '/')
      id += '.';
    else if (!id.empty() && id.back() != '-' && id.back() != '.')
      id += '-';
  }
  char number[16];
  std::snprintf(number, sizeof number, ".%04d", ordinal);
  return id + number;
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

Xapian::Document IndexWriter::make_document(const std::string& document_path,
                                            const DocumentMetadata& metadata,
                                            const Passage& passage, double indexed_at) {
  const std::string id = passage_id(document_path, passage.ordinal);
  const auto language = analyzers::language_from_code(passage.language);

  Xapian::Document document;
  analyzer_.start_document();
  // A heading names what its passages are about: weighted like a title field.
  if (!passage.heading.empty()) analyzer_.add_text(document, passage.heading, language, 3);
  if (passage.commitment && !passage.commitment->title.empty())
    analyzer_.add_text(document, passage.commitment->title, language, 3);
  analyzer_.add_text(document, passage.text, language);

  document.add_boolean_term(schema::id_term(id));
  document.add_boolean_term(schema::file_term(document_path));
  const std::vector<std::string>& plans = passage.plans.empty() ? metadata.plans : passage.plans;
  add_facet(document, "plan", plans);
  add_facet(document, "challenge", passage.challenges);
  add_facet(document, "theme", passage.themes);
  add_facet(document, "agency", passage.agencies);
  add_facet(document, "responsible", passage.responsible);
  add_facet(document, "organization", passage.organizations);
  if (passage.status) add_facet(document, "status", {*passage.status});
  if (passage.commitment && !passage.commitment->ogp_id.empty())
    add_facet(document, "commitment", {passage.commitment->ogp_id});
  if (metadata.type) add_facet(document, "type", {*metadata.type});
  add_facet(document, "lang", {passage.language});
  add_facet(document, "kind", {passage.kind});
  if (metadata.country) add_facet(document, "country", {*metadata.country});
  if (auto year = metadata.year()) add_facet(document, "year", {std::to_string(*year)});
  document.add_value(schema::kSlotIndexedAt, Xapian::sortable_serialise(indexed_at));
  document.add_value(schema::kSlotOrdinal, Xapian::sortable_serialise(passage.ordinal));

  Poco::JSON::Object stored(Poco::JSON_PRESERVE_KEY_ORDER);
  stored.set("id", id);
  stored.set("doc", document_path);
  stored.set("title", metadata.title.value_or(document_path));
  stored.set("heading", passage.heading);
  stored.set("kind", passage.kind);
  stored.set("ordinal", passage.ordinal);
  if (passage.number) stored.set("paragraph", *passage.number);
  if (passage.page) stored.set("page", *passage.page);
  stored.set("lang", passage.language);
  stored.set("plans", json_list(plans));
  if (metadata.type) stored.set("type", *metadata.type);
  if (metadata.country) stored.set("country", *metadata.country);
  if (metadata.date) stored.set("date", *metadata.date);
  if (metadata.source) stored.set("source", *metadata.source);
  stored.set("doc_languages", json_list(metadata.languages));
  stored.set("indexed_at", static_cast<std::int64_t>(indexed_at));
  if (!passage.section_number.empty()) stored.set("section", passage.section_number);
  stored.set("challenge", json_list(passage.challenges));
  stored.set("themes", json_list(passage.themes));
  stored.set("agencies", json_list(passage.agencies));
  stored.set("responsible", json_list(passage.responsible));
  stored.set("organizations", json_list(passage.organizations));
  if (passage.status) stored.set("status", *passage.status);
  if (passage.translation_ordinal > 0)
    stored.set("translation_id", passage_id(document_path, passage.translation_ordinal));
  if (passage.commitment) stored.set("commitment", commitment_json(*passage.commitment));
  stored.set("text", passage.text);
  std::ostringstream data;
  stored.stringify(data);
  document.set_data(data.str());
  return document;
}

void IndexWriter::replace_file(const FileState& state, const DocumentMetadata& metadata,
                               const std::vector<Passage>& passages) {
  database_.delete_document(schema::file_term(state.path));
  const double now = static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
  for (const Passage& passage : passages)
    database_.add_document(make_document(state.path, metadata, passage, now));
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
