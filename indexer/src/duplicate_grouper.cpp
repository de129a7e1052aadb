#include "lupa/indexer/duplicate_grouper.h"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "lupa/analyzers/passage_record.h"
#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/text_normalizer.h"
#include "lupa/indexer/shard_layout.h"

namespace lupa::indexer {
namespace {

// Bands of the signature compared whole for candidates: a pair at similarity s shares at least
// one band with probability 1 - (1 - s^4)^32: over 0.9999 at 0.8, 0.05 at 0.2.
constexpr std::size_t kBands = 32;
constexpr std::size_t kRowsPerBand = kFingerprintHashes / kBands;
static_assert(kBands * kRowsPerBand == kFingerprintHashes);
// Bits of a band key in its term (band_term). Fewer make fewer distinct terms, a smaller index
// and a cheaper write; but more passages to read for each band looked up. bench/README.md,
// "Adding one report", shows the measurements it was chosen from.
constexpr int kBandTermBits = 16;
static_assert(kBandTermBits % 4 == 0);

// SplitMix64's finaliser: a cheap 64-bit mix, so that hash i of a shingle is mix(h ^ seed_i),
// one hash of the shingle's words rather than kFingerprintHashes.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t hash = 0xcbf29ce484222325ULL) {
  for (unsigned char c : bytes) hash = (hash ^ c) * 0x100000001b3ULL;
  return hash;
}

const std::array<std::uint64_t, kFingerprintHashes>& seeds() {
  static const auto kSeeds = [] {
    std::array<std::uint64_t, kFingerprintHashes> values{};
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = mix(i + 1);
    return values;
  }();
  return kSeeds;
}

// A word broken across a line ("transpa-\nrencia") is one word, as its text file has it.
std::string join_hyphenated_words(std::string_view text) {
  const auto is_blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  std::string joined;
  joined.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '-' && i > 0 && !is_blank(text[i - 1]) && text[i - 1] != '\n') {
      std::size_t next = i + 1;
      while (next < text.size() && is_blank(text[next])) ++next;
      if (next < text.size() && text[next] == '\n') {
        ++next;
        while (next < text.size() && is_blank(text[next])) ++next;
        i = next - 1;
        continue;
      }
    }
    joined += text[i];
  }
  return joined;
}

// Union-find over passages; a join that would put two passages of one document in a group is
// refused (see the header).
class Groups {
 public:
  explicit Groups(const std::vector<std::size_t>& documents)
      : parent_(documents.size()), documents_(documents.size()) {
    std::iota(parent_.begin(), parent_.end(), std::size_t{0});
    for (std::size_t i = 0; i < documents.size(); ++i) documents_[i].push_back(documents[i]);
  }
  void join(std::size_t a, std::size_t b) {
    a = root(a);
    b = root(b);
    if (a == b) return;
    if (documents_[a].size() > documents_[b].size()) std::swap(a, b);
    for (std::size_t doc : documents_[a])
      if (std::find(documents_[b].begin(), documents_[b].end(), doc) != documents_[b].end()) return;
    parent_[a] = b;
    documents_[b].insert(documents_[b].end(), documents_[a].begin(), documents_[a].end());
    std::vector<std::size_t>().swap(documents_[a]);
  }
  std::size_t root(std::size_t a) {
    while (parent_[a] != a) a = parent_[a] = parent_[parent_[a]];
    return a;
  }

 private:
  std::vector<std::size_t> parent_;
  std::vector<std::vector<std::size_t>> documents_;  // per root: its passages' documents
};

// Plain union-find, for the shown-once groups: a translation is in its own document.
class Components {
 public:
  explicit Components(std::size_t size) : parent_(size) {
    std::iota(parent_.begin(), parent_.end(), std::size_t{0});
  }
  void join(std::size_t a, std::size_t b) { parent_[root(a)] = root(b); }
  std::size_t root(std::size_t a) {
    while (parent_[a] != a) a = parent_[a] = parent_[parent_[a]];
    return a;
  }

 private:
  std::vector<std::size_t> parent_;
};

// A signature as stored: the low 16 bits of each MinHash value.
using StoredRows = std::array<std::uint16_t, kFingerprintHashes>;
constexpr std::size_t kNoSignature = ~std::size_t{0};

// What grouping reads of a passage.
struct Candidate {
  Xapian::docid docid = 0;
  std::string id;
  std::size_t document = 0;              // its document, numbered in reading order
  std::string translation_group;         // kSlotTranslationGroup
  std::string duplicate_group;           // as stored
  std::string shown_once;                // as stored
  std::size_t signature = kNoSignature;  // index in Passages::signatures; none if too short
  std::uint32_t words = 0;
  bool regroup = true;  // false: read for its shown-once group only; its duplicate group stands
};

struct Passages {
  std::vector<Candidate> candidates;
  std::vector<StoredRows> signatures;
  std::unordered_map<std::string, std::size_t> documents;  // id without its ordinal -> number
};

void put_u16(std::string& out, std::uint16_t value) {
  out += static_cast<char>(value & 0xFF);
  out += static_cast<char>(value >> 8);
}

std::uint32_t get_u32(std::string_view in, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i)
    value |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[at + i])) << (8 * i);
  return value;
}

// Reads a kSlotDuplicateSignature value: the passage id, and when it has a signature, its word
// count and rows. False when the value is not one.
bool parse_signature(std::string_view value, std::string& id, std::uint32_t& words,
                     std::optional<StoredRows>& rows) {
  const std::size_t end_of_id = value.find('\0');
  if (end_of_id == std::string_view::npos || end_of_id == 0) return false;
  id = std::string(value.substr(0, end_of_id));
  rows.reset();
  const std::string_view rest = value.substr(end_of_id + 1);
  if (rest.empty()) return true;
  if (rest.size() != 4 + 2 * kFingerprintHashes) return false;
  words = get_u32(rest, 0);
  StoredRows& stored = rows.emplace();
  for (std::size_t i = 0; i < kFingerprintHashes; ++i)
    stored[i] = static_cast<std::uint16_t>(static_cast<unsigned char>(rest[4 + 2 * i]) |
                                           static_cast<unsigned char>(rest[5 + 2 * i]) << 8);
  return true;
}

// Reads a kSlotDuplicateSignature value into `passage` (and `passages.signatures`); false when
// the value is not one.
bool read_signature(std::string_view value, Candidate& passage, Passages& passages) {
  std::optional<StoredRows> rows;
  if (!parse_signature(value, passage.id, passage.words, rows)) return false;
  if (rows) {
    passages.signatures.push_back(*rows);
    passage.signature = passages.signatures.size() - 1;
  }
  return true;
}

// The key of band `band` of a signature: passages with the same key are candidates.
std::uint64_t band_key(const StoredRows& rows, std::size_t band) {
  std::uint64_t key = mix(band);
  for (std::size_t row = band * kRowsPerBand; row < (band + 1) * kRowsPerBand; ++row)
    key = mix(key ^ rows[row]);
  return key;
}

// The term of a band key: the band, then the key's low kBandTermBits bits, in hex. Passages
// whose keys differ share it (a million passages in 65,536 terms a band): what it finds is
// checked against the key.
std::string band_term(std::size_t band, std::uint64_t key) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string term(schema::kDuplicateBandPrefix);
  term += kHex[(band >> 4) & 15];
  term += kHex[band & 15];
  for (int shift = kBandTermBits - 4; shift >= 0; shift -= 4) term += kHex[(key >> shift) & 15];
  return term;
}

// Walks one value slot in docid order; `at` is asked for increasing docids.
class SlotReader {
 public:
  SlotReader(const Xapian::Database& database, Xapian::valueno slot)
      : value_(database.valuestream_begin(slot)), end_(database.valuestream_end(slot)) {}
  std::string at(Xapian::docid docid) {
    if (value_ != end_ && value_.get_docid() < docid) value_.skip_to(docid);
    if (value_ != end_ && value_.get_docid() == docid) return *value_;
    return {};
  }

 private:
  Xapian::ValueIterator value_;
  Xapian::ValueIterator end_;
};

// In passage id order, not docid order: docids depend on the order files were indexed in
// and, across shards, on the shard a file is in; groups must not.
void order_passages(Passages& passages) {
  std::sort(passages.candidates.begin(), passages.candidates.end(),
            [](const Candidate& a, const Candidate& b) { return passage_id_before(a.id, b.id); });
  for (Candidate& passage : passages.candidates) {
    // A passage id is its document's, made URL-safe, then '.' and the ordinal; the indexer
    // refuses two documents whose ids would be alike.
    const std::string_view document = std::string_view(passage.id).substr(0, passage.id.rfind('.'));
    passage.document =
        passages.documents.try_emplace(std::string(document), passages.documents.size())
            .first->second;
  }
}

// Every passage, from the value slots; a passage written before kSlotDuplicateSignature
// existed is read from its document data, as it was then.
Passages read_passages(const Xapian::Database& database) {
  Passages passages;
  passages.candidates.reserve(database.get_doccount());
  SlotReader signatures(database, schema::kSlotDuplicateSignature);
  SlotReader translation_groups(database, schema::kSlotTranslationGroup);
  SlotReader duplicate_groups(database, schema::kSlotDuplicateGroup);
  SlotReader shown_once(database, schema::kSlotShownOnce);
  for (auto posting = database.postlist_begin(""); posting != database.postlist_end("");
       ++posting) {
    Candidate passage;
    passage.docid = *posting;
    if (!read_signature(signatures.at(passage.docid), passage, passages)) {
      const schema::PassageRecord record =
          schema::PassageRecord::parse(database.get_document(passage.docid).get_data());
      read_signature(duplicate_signature(record.id, record.text), passage, passages);
    }
    passage.translation_group = translation_groups.at(passage.docid);
    passage.duplicate_group = duplicate_groups.at(passage.docid);
    passage.shown_once = shown_once.at(passage.docid);
    passages.candidates.push_back(std::move(passage));
  }
  order_passages(passages);
  return passages;
}

// The passages a run's changes can touch, and only them: those written; those sharing a band
// key with one of them, or with a passage deleted, or with any passage taken in; those sharing
// a translation group or a stored duplicate group with any passage taken in, or the group of
// a passage deleted. Every band's bucket and every translation group holding one of them is
// then taken whole, and grouping them alone gives them what grouping every passage would:
// two passages outside it are never compared with one inside, and a join decides only between
// passages it holds (buckets are taken in the order of their keys, members in passage id
// order, whatever else the index holds).
std::optional<Passages> read_touched_passages(const Xapian::Database& database,
                                              const RunChanges& changes) {
  struct Loaded {
    Candidate candidate;
    std::optional<StoredRows> rows;
    bool groups_read = false;  // the slots but the signature
    bool taken = false;
    bool regrouped = false;
  };
  // A passage looked at is read for its signature only: most of those a band term finds are
  // not in the band (the term holds part of the key).
  std::unordered_map<Xapian::docid, Loaded> loaded;  // references stay valid as it grows
  const auto load = [&](Xapian::docid docid) -> Loaded& {
    auto [found, added] = loaded.try_emplace(docid);
    if (!added) return found->second;
    Loaded& passage = found->second;
    passage.candidate.docid = docid;
    if (!parse_signature(database.get_document(docid, Xapian::DOC_ASSUME_VALID)
                             .get_value(schema::kSlotDuplicateSignature),
                         passage.candidate.id, passage.candidate.words, passage.rows)) {
      const schema::PassageRecord record =
          schema::PassageRecord::parse(database.get_document(docid).get_data());
      parse_signature(duplicate_signature(record.id, record.text), passage.candidate.id,
                      passage.candidate.words, passage.rows);
    }
    return passage;
  };
  const auto read_groups = [&](Loaded& passage) {
    if (passage.groups_read) return;
    passage.groups_read = true;
    const Xapian::Document document =
        database.get_document(passage.candidate.docid, Xapian::DOC_ASSUME_VALID);
    passage.candidate.translation_group = document.get_value(schema::kSlotTranslationGroup);
    passage.candidate.duplicate_group = document.get_value(schema::kSlotDuplicateGroup);
    passage.candidate.shown_once = document.get_value(schema::kSlotShownOnce);
  };
  std::vector<Xapian::docid> queue;
  const auto take = [&](Xapian::docid docid) {
    Loaded& passage = load(docid);
    if (passage.taken) return;
    passage.taken = true;
    read_groups(passage);
    queue.push_back(docid);
  };
  const auto take_all = [&](const std::string& term) {
    for (auto posting = database.postlist_begin(term); posting != database.postlist_end(term);
         ++posting)
      take(*posting);
  };
  const auto take_bands = [&](const StoredRows& rows) {
    for (std::size_t band = 0; band < kBands; ++band) {
      const std::uint64_t key = band_key(rows, band);
      const std::string term = band_term(band, key);
      for (auto posting = database.postlist_begin(term); posting != database.postlist_end(term);
           ++posting) {
        const Loaded& other = load(*posting);
        if (other.rows && band_key(*other.rows, band) == key) take(*posting);
      }
    }
  };
  // Per document file, its passages by translation group, read once.
  std::unordered_map<std::string, std::unordered_map<std::string, std::vector<Xapian::docid>>>
      translations_by_file;
  const auto take_translations = [&](const std::string& group) {
    const std::string path = group.substr(0, group.rfind('#'));
    auto [file, added] = translations_by_file.try_emplace(path);
    if (added) {
      const std::string term = schema::file_term(path);
      for (auto posting = database.postlist_begin(term); posting != database.postlist_end(term);
           ++posting) {
        Loaded& passage = load(*posting);
        read_groups(passage);
        if (!passage.candidate.translation_group.empty())
          file->second[passage.candidate.translation_group].push_back(*posting);
      }
    }
    if (auto found = file->second.find(group); found != file->second.end())
      for (Xapian::docid docid : found->second) take(docid);
  };

  // First the passages whose duplicate groups may change: those the changes reach through
  // shared band keys, again and again. Each costs 32 posting list look-ups and reads at random
  // places: past a 32nd of the index (or 2,000), reading every passage in one pass costs less
  // (bench/README.md, "Adding one report").
  const std::size_t most = std::max<std::size_t>(2000, database.get_doccount() / 32);
  for (const std::string& id : changes.written)
    if (!id.empty()) take_all(schema::id_term(id));
  for (const std::string& value : changes.deleted_signatures) {
    std::string id;
    std::uint32_t words = 0;
    std::optional<StoredRows> rows;
    if (parse_signature(value, id, words, rows) && rows) take_bands(*rows);
  }
  for (const std::string& group : changes.deleted_duplicate_groups)
    if (!group.empty()) take_all(schema::duplicate_group_term(group));
  std::vector<Xapian::docid> regrouped;
  while (!queue.empty()) {
    if (loaded.size() > most) return std::nullopt;
    const Xapian::docid docid = queue.back();
    queue.pop_back();
    regrouped.push_back(docid);
    const Loaded& passage = loaded.at(docid);
    if (passage.rows) take_bands(*passage.rows);
  }
  // Then, for their shown-once groups, the passages sharing a translation group or a duplicate
  // group with them, again and again; these keep their duplicate groups (no band key of theirs
  // is any of the first ones': their buckets are the same as before).
  for (const Xapian::docid docid : regrouped) queue.push_back(docid);
  while (!queue.empty()) {
    if (loaded.size() > most) return std::nullopt;
    const Xapian::docid docid = queue.back();
    queue.pop_back();
    const Loaded& passage = loaded.at(docid);
    if (!passage.candidate.translation_group.empty())
      take_translations(passage.candidate.translation_group);
    if (!passage.candidate.duplicate_group.empty())
      take_all(schema::duplicate_group_term(passage.candidate.duplicate_group));
  }
  for (const Xapian::docid docid : regrouped) loaded.at(docid).regrouped = true;

  Passages passages;
  for (auto& [docid, passage] : loaded) {
    if (!passage.taken) continue;
    passage.candidate.regroup = passage.regrouped;
    if (passage.rows) {
      passages.signatures.push_back(*passage.rows);
      passage.candidate.signature = passages.signatures.size() - 1;
    }
    passages.candidates.push_back(std::move(passage.candidate));
  }
  order_passages(passages);
  return passages;
}

bool stored_duplicates(const Candidate& a, const Candidate& b, const Passages& passages) {
  const StoredRows& rows_a = passages.signatures[a.signature];
  const StoredRows& rows_b = passages.signatures[b.signature];
  std::size_t equal = 0;
  for (std::size_t i = 0; i < kFingerprintHashes; ++i) equal += rows_a[i] == rows_b[i];
  const double similarity = static_cast<double>(equal) / static_cast<double>(kFingerprintHashes);
  if (std::min(a.words, b.words) < kMinWordsForNearDuplicates) return similarity == 1.0;
  return similarity >= kDuplicateSimilarity;
}

// Per passage, the smallest passage id of its group in `groups`; empty for a passage alone.
template <typename Union>
std::vector<std::string> group_keys(const std::vector<Candidate>& passages, Union& groups) {
  std::unordered_map<std::size_t, std::pair<std::size_t, std::string>> by_root;
  for (std::size_t i = 0; i < passages.size(); ++i) {
    auto [found, added] = by_root.try_emplace(groups.root(i), 0, passages[i].id);
    ++found->second.first;
    if (passages[i].id < found->second.second) found->second.second = passages[i].id;
  }
  std::vector<std::string> keys(passages.size());
  for (std::size_t i = 0; i < passages.size(); ++i) {
    const auto& [size, key] = by_root.at(groups.root(i));
    if (size > 1) keys[i] = key;
  }
  return keys;
}

}  // namespace

Fingerprint fingerprint(std::string_view text) {
  Fingerprint result;
  const std::vector<std::string> words =
      analyzers::segment_words(analyzers::fold_diacritics(join_hyphenated_words(text)));
  if (words.size() < kMinWordsToGroup) return result;
  result.minimums.fill(~std::uint64_t{0});
  const auto& seed = seeds();
  for (std::size_t start = 0; start + kShingleWords <= words.size(); ++start) {
    std::uint64_t shingle = 0xcbf29ce484222325ULL;
    for (std::size_t w = start; w < start + kShingleWords; ++w)
      shingle = fnv1a(words[w], fnv1a("\x1f", shingle));
    for (std::size_t i = 0; i < kFingerprintHashes; ++i)
      result.minimums[i] = std::min(result.minimums[i], mix(shingle ^ seed[i]));
  }
  result.usable = true;
  result.words = words.size();
  return result;
}

double estimated_similarity(const Fingerprint& a, const Fingerprint& b) {
  if (!a.usable || !b.usable) return 0;
  std::size_t equal = 0;
  for (std::size_t i = 0; i < kFingerprintHashes; ++i) equal += a.minimums[i] == b.minimums[i];
  return static_cast<double>(equal) / static_cast<double>(kFingerprintHashes);
}

bool are_duplicates(const Fingerprint& a, const Fingerprint& b) {
  const double similarity = estimated_similarity(a, b);
  if (std::min(a.words, b.words) < kMinWordsForNearDuplicates) return similarity == 1.0;
  return similarity >= kDuplicateSimilarity;
}

std::string duplicate_signature(std::string_view passage_id, std::string_view text) {
  std::string value(passage_id);
  value += '\0';
  const Fingerprint print = fingerprint(text);
  if (!print.usable) return value;
  const auto words = static_cast<std::uint32_t>(std::min<std::size_t>(print.words, UINT32_MAX));
  for (std::size_t i = 0; i < 4; ++i) value += static_cast<char>((words >> (8 * i)) & 0xFF);
  for (std::uint64_t minimum : print.minimums) put_u16(value, static_cast<std::uint16_t>(minimum));
  return value;
}

void add_band_terms(Xapian::Document& document) {
  std::string id;
  std::uint32_t words = 0;
  std::optional<StoredRows> rows;
  if (!parse_signature(document.get_value(schema::kSlotDuplicateSignature), id, words, rows) ||
      !rows)
    return;
  for (std::size_t band = 0; band < kBands; ++band)
    document.add_boolean_term(band_term(band, band_key(*rows, band)));
}

DuplicateGrouping group_duplicates(Xapian::WritableDatabase& database,
                                   const std::function<void(Xapian::docid)>& rewritten,
                                   const RunChanges* changes) {
  std::optional<Passages> touched;
  if (changes != nullptr && !changes->too_many) touched = read_touched_passages(database, *changes);
  const bool everything = !touched;
  Passages read = everything ? read_passages(database) : std::move(*touched);
  const std::vector<Candidate>& passages = read.candidates;
  std::vector<std::size_t> documents;
  documents.reserve(passages.size());
  for (const Candidate& passage : passages) documents.push_back(passage.document);

  // Passages sharing a band are candidates. Each is compared with the first of its bucket and
  // with the one before it, not with every other: a boilerplate paragraph in a thousand
  // documents costs a thousand comparisons, not half a million, and still forms one group.
  // Buckets are taken in the order of their keys: a join refused or not can depend on the
  // joins before it, and this order is the same whatever else the index holds.
  Groups duplicates(documents);
  std::vector<std::pair<std::uint64_t, std::size_t>> keyed;
  for (std::size_t band = 0; band < kBands; ++band) {
    keyed.clear();
    for (std::size_t i = 0; i < passages.size(); ++i)
      if (passages[i].signature != kNoSignature && passages[i].regroup)
        keyed.emplace_back(band_key(read.signatures[passages[i].signature], band), i);
    std::sort(keyed.begin(), keyed.end());
    for (std::size_t first = 0; first < keyed.size();) {
      std::size_t end = first + 1;
      while (end < keyed.size() && keyed[end].first == keyed[first].first) ++end;
      for (std::size_t m = first + 1; m < end; ++m)
        for (std::size_t other : {keyed[first].second, keyed[m - 1].second}) {
          const std::size_t i = keyed[m].second;
          if (documents[i] != documents[other] &&
              stored_duplicates(passages[i], passages[other], read))
            duplicates.join(i, other);
        }
      first = end;
    }
  }
  std::vector<std::string> duplicate_keys = group_keys(passages, duplicates);
  for (std::size_t i = 0; i < passages.size(); ++i)
    if (!passages[i].regroup) duplicate_keys[i] = passages[i].duplicate_group;

  Components shown_once(passages.size());
  std::unordered_map<std::string, std::size_t> first_of_translation_group;
  std::unordered_map<std::string, std::size_t> first_of_duplicate_group;
  for (std::size_t i = 0; i < passages.size(); ++i) {
    if (!passages[i].translation_group.empty()) {
      auto [found, added] = first_of_translation_group.emplace(passages[i].translation_group, i);
      if (!added) shown_once.join(i, found->second);
    }
    if (!duplicate_keys[i].empty()) {
      auto [found, added] = first_of_duplicate_group.emplace(duplicate_keys[i], i);
      if (!added) shown_once.join(i, found->second);
    }
  }
  // A passage and its translation alone keep the key the document builder gave them (their
  // translation group): only groups with duplicates are rewritten.
  std::vector<std::string> shown_once_keys = group_keys(passages, shown_once);
  std::unordered_map<std::size_t, bool> has_duplicates;
  for (std::size_t i = 0; i < passages.size(); ++i)
    if (!duplicate_keys[i].empty()) has_duplicates[shown_once.root(i)] = true;
  for (std::size_t i = 0; i < passages.size(); ++i)
    if (!has_duplicates.contains(shown_once.root(i)))
      shown_once_keys[i] = passages[i].translation_group;

  DuplicateGrouping grouping;
  grouping.groups = first_of_duplicate_group.size();
  grouping.everything = everything;
  grouping.passages_read = static_cast<std::size_t>(std::count_if(
      passages.begin(), passages.end(), [](const Candidate& c) { return c.regroup; }));
  for (std::size_t i = 0; i < passages.size(); ++i) {
    const Candidate& passage = passages[i];
    if (!duplicate_keys[i].empty()) ++grouping.grouped;
    if (passage.duplicate_group == duplicate_keys[i] && passage.shown_once == shown_once_keys[i])
      continue;
    Xapian::Document document = database.get_document(passage.docid);
    if (!passage.duplicate_group.empty()) {
      try {
        document.remove_term(schema::duplicate_group_term(passage.duplicate_group));
      } catch (const Xapian::InvalidArgumentError&) {
        // Not there: nothing to remove.
      }
    }
    // An empty value is no value (Xapian removes it).
    document.add_value(schema::kSlotDuplicateGroup, duplicate_keys[i]);
    if (!duplicate_keys[i].empty())
      document.add_boolean_term(schema::duplicate_group_term(duplicate_keys[i]));
    document.add_value(schema::kSlotShownOnce, shown_once_keys[i]);
    database.replace_document(passage.docid, document);
    if (rewritten) rewritten(passage.docid);
    ++grouping.passages_changed;
  }
  if (!everything) {
    // Only some passages were read: the groups of the index are counted from their terms.
    grouping.groups = 0;
    grouping.grouped = 0;
    const std::string prefix(schema::kDuplicateGroupPrefix);
    for (auto term = database.allterms_begin(prefix); term != database.allterms_end(prefix);
         ++term) {
      if (term.get_termfreq() == 0) continue;
      ++grouping.groups;
      grouping.grouped += term.get_termfreq();
    }
  }
  return grouping;
}

}  // namespace lupa::indexer
