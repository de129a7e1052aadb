#include "lupa/analyzers/passage_record.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Handler.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SharedPtr.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "enum_names.h"
#include "lupa/analyzers/json_writer.h"

namespace lupa::schema {
namespace {

constexpr analyzers::EnumNames<PassageKind, 3> kKindNames = {{
    {PassageKind::kParagraph, "paragraph"},
    {PassageKind::kSection, "section"},
    {PassageKind::kCommitment, "commitment"},
}};

constexpr analyzers::EnumNames<TextSource, 3> kSourceNames = {{
    {TextSource::kText, "text"},
    {TextSource::kTextLayer, "text-layer"},
    {TextSource::kOcr, "ocr"},
}};

// --- Writing -----------------------------------------------------------------------------

using analyzers::JsonWriter;

// The members of a stored object, each its key and what writes its value, written in the
// order they are given or sorted by key: records the linker rewrote were, until this type
// existed, parsed with Poco's default handler, which keeps keys in a sorted map, and written
// back so, and those keep that form. Written directly, in the bytes Poco's stringifier gave:
// building Poco objects for each passage cost the indexer more than its analysis, and the
// linker, which rewrites every commitment of a run, more than its linking.
class StoredObject {
 public:
  using Write = std::function<void(JsonWriter&)>;

  explicit StoredObject(bool sorted) : sorted_(sorted) {}

  void add(std::string_view key, Write value) { members_.push_back({key, std::move(value)}); }
  // A key given again keeps its first place and takes the later value, as in a Poco object.
  void set(std::string_view key, Write value) {
    for (Member& member : members_)
      if (member.key == key) {
        member.value = std::move(value);
        return;
      }
    add(key, std::move(value));
  }

  void write(JsonWriter& json) {
    if (sorted_)
      std::sort(members_.begin(), members_.end(),
                [](const Member& a, const Member& b) { return a.key < b.key; });
    json.begin_object();
    for (const Member& member : members_) {
      json.key(member.key);
      member.value(json);
    }
    json.end_object();
  }

 private:
  struct Member {
    std::string_view key;
    Write value;
  };

  bool sorted_;
  std::vector<Member> members_;
};

void write_ratings(JsonWriter& json, const IrmRatings& irm, bool sorted) {
  StoredObject object(sorted);
  if (irm.specificity)
    object.add("specificity", [&](JsonWriter& out) { out.text(*irm.specificity); });
  if (!irm.ogp_values.empty())
    object.add("ogp_values", [&](JsonWriter& out) { out.texts(irm.ogp_values); });
  if (irm.potential_impact)
    object.add("potential_impact", [&](JsonWriter& out) { out.text(*irm.potential_impact); });
  if (irm.potential_results)
    object.add("potential_results", [&](JsonWriter& out) { out.text(*irm.potential_results); });
  if (irm.completion) object.add("completion", [&](JsonWriter& out) { out.text(*irm.completion); });
  if (irm.opened_government)
    object.add("opened_government", [&](JsonWriter& out) { out.text(*irm.opened_government); });
  if (irm.starred) object.add("starred", [&](JsonWriter& out) { out.boolean(*irm.starred); });
  object.write(json);
}

void write_commitment(JsonWriter& json, const CommitmentRecord& commitment, bool sorted) {
  StoredObject object(sorted);
  if (commitment.number)
    object.add("number", [&](JsonWriter& out) { out.integer(*commitment.number); });
  if (!commitment.ogp_id.empty())
    object.add("ogp_id", [&](JsonWriter& out) { out.text(commitment.ogp_id); });
  object.add("title", [&](JsonWriter& out) { out.text(commitment.title); });
  object.add("fields", [&](JsonWriter& out) {
    StoredObject fields(sorted);
    for (const auto& field : commitment.fields)
      fields.set(field.first, [&field](JsonWriter& value) { value.text(field.second); });
    fields.write(out);
  });
  object.add("original_paragraphs", [&](JsonWriter& out) {
    out.begin_array();
    for (const int paragraph : commitment.original_paragraphs) out.integer(paragraph);
    out.end_array();
  });
  object.write(json);
}

// --- Reading -----------------------------------------------------------------------------
//
// A record is read as Poco's parser goes through its JSON, each value kept where reading the
// record takes it from, without building the object as Poco::Dynamic::Var values first: that
// tree was most of what reading a record cost, for every hit listed and every commitment the
// linker rewrites. What it accepts, the value it takes of a key given twice (the last, at the
// key's first place), and which error it reports first are those reading the tree gave.

[[noreturn]] void fail(std::string_view key, std::string_view why) {
  throw RecordError("stored passage: key `" + std::string(key) + "` " + std::string(why));
}

[[noreturn]] void fail(std::string_view context, std::string_view key, std::string_view why) {
  fail(std::string(context).append(key), why);
}

// A value as the parser reported it, typed as a Poco::Dynamic::Var holding it was, which is
// what records were read through: true and false are whole numbers and numbers too (1 and 0).
enum class JsonType : std::uint8_t {
  kAbsent,
  kNull,
  kString,
  kWhole,
  kNumber,
  kBoolean,
  kList,
  kObject
};

struct Scalar {
  JsonType type = JsonType::kAbsent;
  const std::string* text = nullptr;  // kString
  std::int64_t whole = 0;             // kWhole, kBoolean
  bool beyond_whole = false;          // kWhole above int64's range (a Var of it cannot convert)
  double number = 0;                  // kWhole, kNumber, kBoolean
};

// A value of a key reading looks at, kept as far as reading looks at it.
struct JsonValue {
  JsonType type = JsonType::kAbsent;
  std::string text;
  std::int64_t whole = 0;
  bool beyond_whole = false;
  double number = 0;
  // A list's items that are strings, and whether all are.
  std::vector<std::string> texts;
  bool only_texts = true;
  // A list's items that are whole numbers within int's range, until the first that is not;
  // for that one, why.
  std::vector<int> small_wholes;
  std::string_view wholes_problem;

  bool present() const { return type != JsonType::kAbsent && type != JsonType::kNull; }
  bool is_whole() const { return type == JsonType::kWhole || type == JsonType::kBoolean; }

  // A key given again replaces what it held.
  void set(const Scalar& value) {
    if (type != JsonType::kAbsent) *this = JsonValue{};
    type = value.type;
    if (value.text) text = *value.text;
    whole = value.whole;
    beyond_whole = value.beyond_whole;
    number = value.number;
  }

  void add_item(const Scalar& item) {
    if (item.type == JsonType::kString)
      texts.push_back(*item.text);
    else
      only_texts = false;
    if (!wholes_problem.empty()) return;
    if (item.type != JsonType::kWhole && item.type != JsonType::kBoolean)
      wholes_problem = "holds an item that is not a whole number";
    else if (item.beyond_whole || item.whole < INT32_MIN || item.whole > INT32_MAX)
      wholes_problem = "is out of range";
    else
      small_wholes.push_back(static_cast<int>(item.whole));
  }
};

// The keys reading looks at, of the stored object in the order serialise() writes them, and of
// the objects in it.
constexpr std::array<std::string_view, 37> kRecordKeys = {"id",
                                                          "doc",
                                                          "title",
                                                          "heading",
                                                          "kind",
                                                          "ordinal",
                                                          "paragraph",
                                                          "page",
                                                          "source",
                                                          "confidence",
                                                          "lang",
                                                          "plans",
                                                          "type",
                                                          "country",
                                                          "date",
                                                          "passage_date",
                                                          "publisher",
                                                          "doc_languages",
                                                          "indexed_at",
                                                          "section",
                                                          "challenge",
                                                          "themes",
                                                          "agencies",
                                                          "responsible",
                                                          "organizations",
                                                          "status",
                                                          "translation_id",
                                                          "supporting",
                                                          "report_stage",
                                                          "irm",
                                                          "commitment",
                                                          "text",
                                                          "commitment_group",
                                                          "original",
                                                          "linked_ogp_id",
                                                          "linked_irm",
                                                          "rated_by"};
constexpr std::array<std::string_view, 7> kIrmKeys = {
    "specificity", "ogp_values",        "potential_impact", "potential_results",
    "completion",  "opened_government", "starred"};
constexpr std::array<std::string_view, 5> kCommitmentKeys = {"number", "ogp_id", "title", "fields",
                                                             "original_paragraphs"};

// A key of `Names`, by its name: a name that is none does not compile.
template <const auto& Names>
struct KeyOf {
  // Implicit, so that reading says read.text("id"), as std::format_string is built.
  consteval KeyOf(const char* name) : index(position(name)) {}
  std::size_t index;

 private:
  static consteval std::size_t position(std::string_view name) {
    for (std::size_t i = 0; i < Names.size(); ++i)
      if (Names[i] == name) return i;
    throw std::invalid_argument("no such key");
  }
};

// The values of an object's keys named in `Names`.
template <const auto& Names>
class JsonObject {
 public:
  using Key = KeyOf<Names>;

  // The value of the key `name`; nullptr for a key reading does not look at. Looked for from
  // the key after the last one found: a record's keys come in one of two fixed orders.
  JsonValue* find(std::string_view name) {
    constexpr std::size_t kKeys = Names.size();
    for (std::size_t tried = 0, at = next_; tried < kKeys;
         ++tried, at = at + 1 < kKeys ? at + 1 : 0) {
      if (Names[at] != name) continue;
      next_ = at + 1 < kKeys ? at + 1 : 0;
      return &values_[at];
    }
    return nullptr;
  }
  JsonValue& operator[](Key key) { return values_[key.index]; }
  static std::string_view name(Key key) { return Names[key.index]; }
  void clear() {
    values_ = {};
    next_ = 0;
  }

 private:
  std::array<JsonValue, Names.size()> values_;
  std::size_t next_ = 0;
};

using RecordObject = JsonObject<kRecordKeys>;
using IrmObject = JsonObject<kIrmKeys>;
using CommitmentObject = JsonObject<kCommitmentKeys>;

// What reading a record looks at of its JSON.
struct StoredRecord {
  RecordObject record;
  IrmObject irm;
  IrmObject linked_irm;
  CommitmentObject commitment;
  // commitment.fields: each key at the place it first came, with the last value given.
  std::vector<std::pair<std::string, JsonValue>> fields;

  JsonValue& field(const std::string& name) {
    for (auto& [key, value] : fields)
      if (key == name) return value;
    return fields.emplace_back(name, JsonValue{}).second;
  }
};

// Fills a StoredRecord as the parser goes: values of keys reading looks at are kept, anything
// else is only counted through (`skipped_`).
class RecordHandler final : public Poco::JSON::Handler {
 public:
  bool root_is_object() const { return root_is_object_; }
  StoredRecord& stored() { return stored_; }

  void reset() override {
    stored_ = StoredRecord{};
    open_ = 0;
    skipped_ = 0;
    pending_ = nullptr;
    root_is_object_ = false;
  }
  void startObject() override { open(JsonType::kObject); }
  void startArray() override { open(JsonType::kList); }
  void endObject() override { close(); }
  void endArray() override { close(); }

  void key(const std::string& name) override {
    if (skipped_ > 0) return;
    switch (frames_[open_ - 1].frame) {
      case Frame::kRecord:
        pending_ = stored_.record.find(name);
        break;
      case Frame::kIrm:
        pending_ = stored_.irm.find(name);
        break;
      case Frame::kLinkedIrm:
        pending_ = stored_.linked_irm.find(name);
        break;
      case Frame::kCommitment:
        pending_ = stored_.commitment.find(name);
        break;
      case Frame::kFields:
        pending_ = &stored_.field(name);
        break;
      case Frame::kList:  // a list has no keys
        break;
    }
  }

  void null() override { scalar({.type = JsonType::kNull}); }
  void value(int number) override { whole(number); }
  void value(unsigned number) override { whole(number); }
  void value(Poco::Int64 number) override { whole(number); }
  void value(Poco::UInt64 number) override {
    if (number <= static_cast<Poco::UInt64>(INT64_MAX))
      return whole(static_cast<Poco::Int64>(number));
    scalar({.type = JsonType::kWhole, .beyond_whole = true, .number = static_cast<double>(number)});
  }
  void value(double number) override { scalar({.type = JsonType::kNumber, .number = number}); }
  void value(bool truth) override {
    scalar({.type = JsonType::kBoolean, .whole = truth ? 1 : 0, .number = truth ? 1.0 : 0.0});
  }
  void value(const std::string& text) override {
    scalar({.type = JsonType::kString, .text = &text});
  }

 private:
  enum class Frame : std::uint8_t { kRecord, kIrm, kLinkedIrm, kCommitment, kFields, kList };
  struct Open {
    Frame frame = Frame::kRecord;
    JsonValue* list = nullptr;  // kList: the value whose items it holds
  };

  void whole(std::int64_t number) {
    scalar({.type = JsonType::kWhole, .whole = number, .number = static_cast<double>(number)});
  }

  void scalar(const Scalar& value) {
    if (skipped_ > 0) return;
    // As Poco's own handler does: a bare value is not a document it takes.
    if (open_ == 0) throw Poco::JSON::JSONException("Attempt to set value on an empty stack");
    const Open& top = frames_[open_ - 1];
    if (top.frame == Frame::kList)
      top.list->add_item(value);
    else if (JsonValue* target = std::exchange(pending_, nullptr))
      target->set(value);
  }

  void open(JsonType type) {
    if (skipped_ > 0) {
      ++skipped_;
      return;
    }
    if (open_ == 0) {
      root_is_object_ = type == JsonType::kObject;
      if (root_is_object_)
        push({Frame::kRecord});
      else
        ++skipped_;
      return;
    }
    const Open& top = frames_[open_ - 1];
    if (top.frame == Frame::kList) {  // an item that is neither a string nor a number
      top.list->add_item({.type = type});
      ++skipped_;
      return;
    }
    JsonValue* target = std::exchange(pending_, nullptr);
    if (target == nullptr) {
      ++skipped_;
      return;
    }
    const bool given_before = target->type != JsonType::kAbsent;
    target->set({.type = type});
    if (top.frame == Frame::kFields) {  // a field is read as a string, nothing else
      ++skipped_;
    } else if (type == JsonType::kList) {
      push({Frame::kList, target});
    } else if (const auto object = object_in(top.frame, target)) {
      if (given_before) clear(*object);
      push({*object});
    } else {
      ++skipped_;
    }
  }

  void close() {
    if (skipped_ > 0)
      --skipped_;
    else
      --open_;
  }

  // Which object reading looks into `value` is, in an object `frame`.
  std::optional<Frame> object_in(Frame frame, const JsonValue* value) {
    if (frame == Frame::kRecord) {
      if (value == &stored_.record["irm"]) return Frame::kIrm;
      if (value == &stored_.record["linked_irm"]) return Frame::kLinkedIrm;
      if (value == &stored_.record["commitment"]) return Frame::kCommitment;
    } else if (frame == Frame::kCommitment) {
      if (value == &stored_.commitment["fields"]) return Frame::kFields;
    }
    return std::nullopt;
  }

  // An object given again replaces the one before, keys and all.
  void clear(Frame object) {
    switch (object) {
      case Frame::kIrm:
        stored_.irm.clear();
        break;
      case Frame::kLinkedIrm:
        stored_.linked_irm.clear();
        break;
      case Frame::kCommitment:
        stored_.commitment.clear();
        stored_.fields.clear();
        break;
      case Frame::kFields:
        stored_.fields.clear();
        break;
      case Frame::kRecord:
      case Frame::kList:
        break;
    }
  }

  void push(Open frame) { frames_[open_++] = frame; }

  StoredRecord stored_;
  // What is open and read into: the record, an object in it (irm, linked_irm, commitment), one
  // in that (commitment.fields) or a list in either; containers anywhere else are skipped.
  std::array<Open, 3> frames_;
  std::size_t open_ = 0;
  std::size_t skipped_ = 0;       // containers open inside one reading does not look into
  JsonValue* pending_ = nullptr;  // the value of the last key, nullptr when not looked at
  bool root_is_object_ = false;
};

// The string `value` holds, taken; nullopt when it holds none (null or absent). Errors name
// the key `key` after `context`.
std::optional<std::string> take_text(JsonValue& value, std::string_view context,
                                     std::string_view key) {
  if (!value.present()) return std::nullopt;
  if (value.type != JsonType::kString) fail(context, key, "is not a string");
  return std::move(value.text);
}

// Reads the values of a JsonObject as a record's fields, taking them: each key is read once.
// Errors name the key after `context` ("commitment.").
template <const auto& Names>
class Reader {
 public:
  using Key = KeyOf<Names>;

  Reader(JsonObject<Names>& object, std::string_view context)
      : object_(object), context_(context) {}

  std::string text(Key key) {
    auto value = optional_text(key);
    if (!value) fail(key, "is missing");
    return std::move(*value);
  }

  std::optional<std::string> optional_text(Key key) {
    return take_text(object_[key], context_, object_.name(key));
  }

  std::optional<std::int64_t> optional_integer(Key key) {
    const JsonValue& value = object_[key];
    if (!value.present()) return std::nullopt;
    if (!value.is_whole()) fail(key, "is not a whole number");
    if (value.beyond_whole) fail(key, "is out of range");
    return value.whole;
  }

  int int_value(Key key) {
    const auto value = optional_int(key);
    if (!value) fail(key, "is missing");
    return *value;
  }

  std::optional<int> optional_int(Key key) {
    const auto value = optional_integer(key);
    if (!value) return std::nullopt;
    if (*value < INT32_MIN || *value > INT32_MAX) fail(key, "is out of range");
    return static_cast<int>(*value);
  }

  std::optional<double> optional_number(Key key) {
    const JsonValue& value = object_[key];
    if (!value.present()) return std::nullopt;
    if (!value.is_whole() && value.type != JsonType::kNumber) fail(key, "is not a number");
    return value.number;
  }

  std::vector<std::string> texts(Key key) {
    JsonValue& value = list(key);
    if (!value.only_texts) fail(key, "holds an item that is not a string");
    return std::move(value.texts);
  }

  std::vector<std::string> optional_texts(Key key) {
    return object_[key].present() ? texts(key) : std::vector<std::string>{};
  }

  std::vector<int> ints(Key key) {
    JsonValue& value = list(key);
    if (!value.wholes_problem.empty()) fail(key, value.wholes_problem);
    return std::move(value.small_wholes);
  }

  std::optional<bool> optional_bool(Key key) {
    const JsonValue& value = object_[key];
    if (!value.present()) return std::nullopt;
    if (value.type != JsonType::kBoolean) fail(key, "is not true or false");
    return value.whole != 0;
  }

  // Whether the object is there to read (`key` holds one).
  bool object(Key key) {
    const JsonValue& value = object_[key];
    if (!value.present()) return false;
    if (value.type != JsonType::kObject) fail(key, "is not an object");
    return true;
  }

  bool has(Key key) { return object_[key].type != JsonType::kAbsent; }

 private:
  [[noreturn]] void fail(Key key, std::string_view why) const {
    schema::fail(context_, object_.name(key), why);
  }

  JsonValue& list(Key key) {
    JsonValue& value = object_[key];
    if (!value.present()) fail(key, "is missing");
    if (value.type != JsonType::kList) fail(key, "is not a list");
    return value;
  }

  JsonObject<Names>& object_;
  std::string_view context_;
};

CommitmentRecord read_commitment(StoredRecord& stored) {
  Reader read(stored.commitment, "commitment.");
  CommitmentRecord commitment;
  commitment.number = read.optional_int("number");
  commitment.ogp_id = read.optional_text("ogp_id").value_or("");
  commitment.title = read.text("title");
  if (read.object("fields")) {
    // In key order as stored: the order the description wrote them in.
    for (auto& [name, value] : stored.fields) {
      auto text = take_text(value, "commitment.fields.", name);
      if (!text) fail("commitment.fields.", name, "is missing");
      commitment.fields.emplace_back(name, std::move(*text));
    }
  }
  if (read.has("original_paragraphs"))
    commitment.original_paragraphs = read.ints("original_paragraphs");
  return commitment;
}

IrmRatings read_irm(IrmObject& object) {
  Reader read(object, "irm.");
  IrmRatings irm;
  irm.specificity = read.optional_text("specificity");
  irm.ogp_values = read.optional_texts("ogp_values");
  irm.potential_impact = read.optional_text("potential_impact");
  irm.potential_results = read.optional_text("potential_results");
  irm.completion = read.optional_text("completion");
  irm.opened_government = read.optional_text("opened_government");
  irm.starred = read.optional_bool("starred");
  return irm;
}

}  // namespace

void IrmRatings::complete_from(const IrmRatings& other) {
  if (!specificity) specificity = other.specificity;
  if (ogp_values.empty()) ogp_values = other.ogp_values;
  if (!potential_impact) potential_impact = other.potential_impact;
  if (!potential_results) potential_results = other.potential_results;
  if (!completion) completion = other.completion;
  if (!opened_government) opened_government = other.opened_government;
  if (!starred) starred = other.starred;
}

std::string_view to_string(PassageKind kind) {
  return analyzers::name_of(kKindNames, kind);
}

std::optional<PassageKind> passage_kind_from_string(std::string_view name) {
  return analyzers::value_named(kKindNames, name);
}

std::string_view to_string(TextSource source) {
  return analyzers::name_of(kSourceNames, source);
}

std::optional<TextSource> text_source_from_string(std::string_view name) {
  return analyzers::value_named(kSourceNames, name);
}

std::optional<int> year_of(std::string_view date) {
  if (date.size() < 4) return std::nullopt;
  int year = 0;
  for (const char c : date.substr(0, 4)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    year = year * 10 + (c - '0');
  }
  return year;
}

std::optional<int> PassageRecord::year() const {
  if (passage_date) return passage_date->start_year();
  return date ? year_of(*date) : std::nullopt;
}

IrmRatings PassageRecord::ratings() const {
  IrmRatings all = irm;
  if (links) all.complete_from(links->ratings);
  return all;
}

std::vector<std::string> PassageRecord::ogp_ids() const {
  if (commitment && !commitment->ogp_id.empty()) return {commitment->ogp_id};
  if (links && !links->linked_ogp_id.empty()) return {links->linked_ogp_id};
  return {};
}

std::string PassageRecord::serialise() const {
  const bool sorted = links.has_value();
  StoredObject stored(sorted);
  stored.add("id", [&](JsonWriter& json) { json.text(id); });
  stored.add("doc", [&](JsonWriter& json) { json.text(doc); });
  stored.add("title", [&](JsonWriter& json) { json.text(title); });
  stored.add("heading", [&](JsonWriter& json) { json.text(heading); });
  stored.add("kind", [&](JsonWriter& json) { json.text(to_string(kind)); });
  stored.add("ordinal", [&](JsonWriter& json) { json.integer(ordinal); });
  if (paragraph) stored.add("paragraph", [&](JsonWriter& json) { json.integer(*paragraph); });
  if (page) stored.add("page", [&](JsonWriter& json) { json.integer(*page); });
  stored.add("source", [&](JsonWriter& json) { json.text(to_string(source)); });
  if (confidence) stored.add("confidence", [&](JsonWriter& json) { json.number(*confidence); });
  stored.add("lang", [&](JsonWriter& json) { json.text(lang); });
  stored.add("plans", [&](JsonWriter& json) { json.texts(plans); });
  if (type) stored.add("type", [&](JsonWriter& json) { json.text(*type); });
  if (country) stored.add("country", [&](JsonWriter& json) { json.text(*country); });
  if (date) stored.add("date", [&](JsonWriter& json) { json.text(*date); });
  if (passage_date)
    stored.add("passage_date", [&](JsonWriter& json) { json.text(passage_date->to_string()); });
  if (publisher) stored.add("publisher", [&](JsonWriter& json) { json.text(*publisher); });
  stored.add("doc_languages", [&](JsonWriter& json) { json.texts(doc_languages); });
  stored.add("indexed_at", [&](JsonWriter& json) { json.integer(indexed_at); });
  if (section) stored.add("section", [&](JsonWriter& json) { json.text(*section); });
  stored.add("challenge", [&](JsonWriter& json) { json.texts(challenges); });
  stored.add("themes", [&](JsonWriter& json) { json.texts(themes); });
  stored.add("agencies", [&](JsonWriter& json) { json.texts(agencies); });
  stored.add("responsible", [&](JsonWriter& json) { json.texts(responsible); });
  stored.add("organizations", [&](JsonWriter& json) { json.texts(organizations); });
  if (status) stored.add("status", [&](JsonWriter& json) { json.text(*status); });
  if (translation_id)
    stored.add("translation_id", [&](JsonWriter& json) { json.text(*translation_id); });
  if (!supporting.empty())
    stored.add("supporting", [&](JsonWriter& json) { json.texts(supporting); });
  if (report_stage) stored.add("report_stage", [&](JsonWriter& json) { json.text(*report_stage); });
  if (!irm.empty()) stored.add("irm", [&](JsonWriter& json) { write_ratings(json, irm, sorted); });
  if (commitment)
    stored.add("commitment",
               [&](JsonWriter& json) { write_commitment(json, *commitment, sorted); });
  stored.add("text", [&](JsonWriter& json) { json.text(text); });
  if (links) {
    if (!links->group.empty())
      stored.add("commitment_group", [&](JsonWriter& json) { json.text(links->group); });
    stored.add("original", [&](JsonWriter& json) { json.texts(links->original); });
    if (!links->linked_ogp_id.empty())
      stored.add("linked_ogp_id", [&](JsonWriter& json) { json.text(links->linked_ogp_id); });
    if (!links->ratings.empty())
      stored.add("linked_irm",
                 [&](JsonWriter& json) { write_ratings(json, links->ratings, sorted); });
    if (!links->rated_by.empty())
      stored.add("rated_by", [&](JsonWriter& json) { json.texts(links->rated_by); });
  }
  JsonWriter json;
  stored.write(json);
  return std::move(json).finish();
}

PassageRecord PassageRecord::parse(std::string_view data) {
  Poco::SharedPtr<RecordHandler> handler = new RecordHandler;
  try {
    Poco::JSON::Parser(handler).parse(std::string(data));
  } catch (const Poco::Exception& error) {
    throw RecordError("stored passage: not JSON: " + error.message());
  }
  if (!handler->root_is_object()) throw RecordError("stored passage: not an object");
  StoredRecord& stored = handler->stored();
  Reader read(stored.record, "");
  PassageRecord record;
  record.id = read.text("id");
  record.doc = read.text("doc");
  record.title = read.text("title");
  record.heading = read.optional_text("heading").value_or("");
  const std::string kind = read.text("kind");
  const auto parsed_kind = passage_kind_from_string(kind);
  if (!parsed_kind) fail("kind", "is no passage kind: " + kind);
  record.kind = *parsed_kind;
  record.ordinal = read.int_value("ordinal");
  record.paragraph = read.optional_int("paragraph");
  record.page = read.optional_int("page");
  const std::string source = read.optional_text("source").value_or("text");
  const auto parsed_source = text_source_from_string(source);
  if (!parsed_source) fail("source", "is no text source: " + source);
  record.source = *parsed_source;
  record.confidence = read.optional_number("confidence");
  record.lang = read.text("lang");
  record.plans = read.optional_texts("plans");
  record.type = read.optional_text("type");
  record.country = read.optional_text("country");
  record.date = read.optional_text("date");
  if (const auto about = read.optional_text("passage_date")) {
    record.passage_date = PassageDate::parse(*about);
    if (!record.passage_date) fail("passage_date", "is no date nor period: " + *about);
  }
  record.publisher = read.optional_text("publisher");
  record.doc_languages = read.optional_texts("doc_languages");
  record.indexed_at = read.optional_integer("indexed_at").value_or(0);
  record.section = read.optional_text("section");
  record.challenges = read.optional_texts("challenge");
  record.themes = read.optional_texts("themes");
  record.agencies = read.optional_texts("agencies");
  record.responsible = read.optional_texts("responsible");
  record.organizations = read.optional_texts("organizations");
  record.status = read.optional_text("status");
  record.translation_id = read.optional_text("translation_id");
  record.supporting = read.optional_texts("supporting");
  record.report_stage = read.optional_text("report_stage");
  if (read.object("irm")) record.irm = read_irm(stored.irm);
  if (read.object("commitment")) record.commitment = read_commitment(stored);
  record.text = read.text("text");
  // The linker writes `original` into every record it links, even when it is empty.
  if (read.has("original")) {
    CommitmentLinks links;
    links.group = read.optional_text("commitment_group").value_or("");
    links.original = read.texts("original");
    links.linked_ogp_id = read.optional_text("linked_ogp_id").value_or("");
    if (read.object("linked_irm")) links.ratings = read_irm(stored.linked_irm);
    links.rated_by = read.optional_texts("rated_by");
    record.links = std::move(links);
  }
  return record;
}

void FacetValuesEncoder::add(std::size_t index, std::string_view value) {
  if (value.empty() || value.find(kValueSeparator) != std::string_view::npos) return;
  slot_ += facet_code(index);
  slot_ += value;
  slot_ += kValueSeparator;
}

}  // namespace lupa::schema
