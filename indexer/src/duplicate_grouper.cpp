#include "lupa/indexer/duplicate_grouper.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <iterator>
#include <numeric>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lupa/analyzers/passage_record.h"
#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/text_normalizer.h"
#include "lupa/indexer/shard_layout.h"

namespace lupa::indexer {
namespace {

// Bands of the signature compared whole for candidates: kBands bands of kRowsPerBand values,
// the first kBands * kRowsPerBand of the 128. Two passages with m of the 128 values equal share
// a given band with probability C(m,4)/C(128,4), so they share none of the 8 with probability:
// at the threshold (103 equal) 0.014, at 0.85 0.003, at 0.9 0.0002, identical never. The
// estimate itself has a standard error of 0.035 at the threshold, so a pair that close is a
// coin toss already; 32 bands (0.00000004) cost the indexer 4 times the terms for that.
// bench/README.md, "Adding one report", shows the measurements.
constexpr std::size_t kBands = 8;
constexpr std::size_t kRowsPerBand = 4;
static_assert(kBands * kRowsPerBand <= kFingerprintHashes);
// Bits of a band key in its term (band_term). Fewer make fewer distinct terms, a smaller index
// and a cheaper write; but more passages to read for each band looked up.
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

// Lowers each of `minimums` to hash i of `shingle` where that is smaller. This loop is most of a
// passage's fingerprint, 128 64-bit multiplications a word; it is compiled twice, and where the
// processor has AVX-512 (x86-64-v4: its 64-bit multiplication) the clone does eight at a time. The
// arithmetic, and so every value, is the same in both. Not under ThreadSanitizer: it instruments
// the resolver that picks a clone, which runs before its runtime is up, and the program crashes
// at start.
#if defined(__SANITIZE_THREAD__)
#define LUPA_FINGERPRINT_CLONES
#else
#define LUPA_FINGERPRINT_CLONES __attribute__((target_clones("arch=x86-64-v4", "default")))
#endif
LUPA_FINGERPRINT_CLONES void lower_minimums(
    std::array<std::uint64_t, kFingerprintHashes>& minimums, std::uint64_t shingle,
    const std::array<std::uint64_t, kFingerprintHashes>& seed) {
  for (std::size_t i = 0; i < kFingerprintHashes; ++i)
    minimums[i] = std::min(minimums[i], mix(shingle ^ seed[i]));
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

// Plain union-find: for the near-duplicate graph's components, and for the shown-once groups (a
// translation is in its own document).
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

// Reads a passage's signature as signature_with_id gives it (or a kSlotDuplicateSignature value
// of an index before lupa-analysis/12, which held the id itself): the passage id, and when it
// has a signature, its word count and rows. False when the value is not one.
bool parse_signature(std::string_view value, std::string& id, std::uint32_t& words,
                     std::optional<StoredRows>& rows) {
  const std::size_t end_of_id = value.find('\0');
  if (end_of_id == std::string_view::npos) return false;
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

// Bands a passage of `words` words is bucketed by. A passage under kMinWordsForNearDuplicates
// is a duplicate only of a passage with all its values alike, which then shares every band
// with it: the first band finds every duplicate it may have, and the other bands' terms would
// only cost the index.
std::size_t bands_of(std::uint32_t words) {
  return words < kMinWordsForNearDuplicates ? 1 : kBands;
}

// Whether two stored signatures are duplicates (are_duplicates, on the low 16 bits). Stops at
// the first value too many that differs: most pairs a bucket holds are not duplicates.
bool duplicate_rows(const StoredRows& a, std::uint32_t words_a, const StoredRows& b,
                    std::uint32_t words_b) {
  static constexpr auto kMostDiffering = static_cast<std::size_t>(
      kFingerprintHashes - kDuplicateSimilarity * static_cast<double>(kFingerprintHashes));
  const std::size_t most =
      std::min(words_a, words_b) < kMinWordsForNearDuplicates ? 0 : kMostDiffering;
  std::size_t differing = 0;
  for (std::size_t i = 0; i < kFingerprintHashes; ++i)
    if (a[i] != b[i] && ++differing > most) return false;
  return true;
}

// The keys of the bands a passage is bucketed by (bands_of); 0 for the others.
using BandKeys = std::array<std::uint64_t, kBands>;
BandKeys band_keys(const StoredRows& rows, std::uint32_t words) {
  BandKeys keys{};
  for (std::size_t band = 0; band < bands_of(words); ++band) keys[band] = band_key(rows, band);
  return keys;
}

// A passage's signature as grouping compares it.
struct Signed {
  const StoredRows& rows;
  std::uint32_t words;
  const BandKeys& keys;
};

// Whether two passages of different documents are joined in the near-duplicate graph: they share
// the key of a band both are bucketed by, and are duplicates. It depends on the two alone, never
// on what else shares their buckets, so a run's changes reach only their own duplicates, and
// theirs (read_touched_passages), and a component is grouped alike whatever else the index holds.
bool joined(const Signed& a, const Signed& b) {
  bool shared = false;
  for (std::size_t band = 0; band < std::min(bands_of(a.words), bands_of(b.words)) && !shared;
       ++band)
    shared = a.keys[band] == b.keys[band];
  return shared && duplicate_rows(a.rows, a.words, b.rows, b.words);
}

// A passage id's document: its id without the ordinal.
std::string_view document_of(std::string_view passage_id) {
  return passage_id.substr(0, passage_id.rfind('.'));
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
    const std::string_view document = document_of(passage.id);
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
  SlotReader ids(database, schema::kSlotPassageId);
  SlotReader translation_groups(database, schema::kSlotTranslationGroup);
  SlotReader duplicate_groups(database, schema::kSlotDuplicateGroup);
  SlotReader shown_once(database, schema::kSlotShownOnce);
  for (auto posting = database.postlist_begin(""); posting != database.postlist_end("");
       ++posting) {
    Candidate passage;
    passage.docid = *posting;
    if (!read_signature(signature_with_id(ids.at(passage.docid), signatures.at(passage.docid)),
                        passage, passages)) {
      const schema::PassageRecord record =
          schema::PassageRecord::parse(database.get_document(passage.docid).get_data());
      read_signature(signature_with_id(record.id, duplicate_signature(record.text)), passage,
                     passages);
    }
    passage.translation_group = translation_groups.at(passage.docid);
    passage.duplicate_group = duplicate_groups.at(passage.docid);
    passage.shown_once = shown_once.at(passage.docid);
    passages.candidates.push_back(std::move(passage));
  }
  order_passages(passages);
  return passages;
}

// The passages a run's changes can touch, and only them: those written, and the neighbours of a
// passage deleted, with every passage joined to them in the near-duplicate graph (joined), again
// and again; then those sharing a translation group or a stored duplicate group with any passage
// taken in. Whole components of the graph are then taken, and grouping them alone gives them what
// grouping every passage would: a passage outside is joined to none inside, and how a component
// is split into groups depends on its passages alone (split_component).
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
    if (!parse_signature(signature_with_id(database.get_document(docid, Xapian::DOC_ASSUME_VALID)),
                         passage.candidate.id, passage.candidate.words, passage.rows)) {
      const schema::PassageRecord record =
          schema::PassageRecord::parse(database.get_document(docid).get_data());
      parse_signature(signature_with_id(record.id, duplicate_signature(record.text)),
                      passage.candidate.id, passage.candidate.words, passage.rows);
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
  // A passage's neighbours in the near-duplicate graph (joined), through its band terms; a
  // term also holds passages of other keys, and passages sharing a key that are not duplicates.
  const auto take_joined = [&](std::string_view id, std::uint32_t words, const StoredRows& rows) {
    const BandKeys keys = band_keys(rows, words);
    for (std::size_t band = 0; band < bands_of(words); ++band) {
      const std::string term = band_term(band, keys[band]);
      for (auto posting = database.postlist_begin(term); posting != database.postlist_end(term);
           ++posting) {
        const Loaded& other = load(*posting);
        if (!other.rows || band_key(*other.rows, band) != keys[band] ||
            document_of(other.candidate.id) == document_of(id))
          continue;
        const BandKeys other_keys = band_keys(*other.rows, other.candidate.words);
        if (joined({rows, words, keys}, {*other.rows, other.candidate.words, other_keys}))
          take(*posting);
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

  // First the passages whose duplicate groups may change: the components of the near-duplicate
  // graph holding a passage written, or a neighbour of a passage deleted (every passage of its
  // old component is joined to one of these by passages still there), found neighbour by
  // neighbour. Each costs a posting list look-up per band and reads at random places: past a
  // 32nd of the index (or 2,000), reading every passage in one pass costs less (bench/README.md,
  // "Adding one report").
  const std::size_t most = std::max<std::size_t>(2000, database.get_doccount() / 32);
  for (const std::string& id : changes.written)
    if (!id.empty()) take_all(schema::id_term(id));
  for (const std::string& value : changes.deleted_signatures) {
    std::string id;
    std::uint32_t words = 0;
    std::optional<StoredRows> rows;
    if (parse_signature(value, id, words, rows) && rows) take_joined(id, words, *rows);
  }
  // Their old groups are in those components too; taken here, they need no look-up.
  for (const std::string& group : changes.deleted_duplicate_groups)
    if (!group.empty()) take_all(schema::duplicate_group_term(group));
  std::vector<Xapian::docid> regrouped;
  while (!queue.empty()) {
    if (loaded.size() > most) return std::nullopt;
    const Xapian::docid docid = queue.back();
    queue.pop_back();
    regrouped.push_back(docid);
    const Loaded& passage = loaded.at(docid);
    if (passage.rows) take_joined(passage.candidate.id, passage.candidate.words, *passage.rows);
  }
  // Then, for their shown-once groups, the passages sharing a translation group or a duplicate
  // group with them, again and again; these keep their duplicate groups (none is joined to a
  // passage taken first: their components are the same as before).
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

// How a component of the near-duplicate graph holding two passages of one document is split into
// groups, none holding two (see the header): its passages are taken in passage id order, each
// joins the first group, in the order they were begun, holding a passage it is joined to and
// none of its document, and every later group that also does then merges into that one. For a
// component without two passages of one document that is the whole component. `members` are in
// passage id order; returns, per member, the first member of its group.
std::vector<std::size_t> split_component(
    const std::vector<std::size_t>& members, const std::vector<std::size_t>& documents,
    const std::function<bool(std::size_t, std::size_t)>& joined_at) {
  struct Part {
    std::vector<std::size_t> members;    // positions in `members`, ascending
    std::vector<std::size_t> documents;  // sorted
  };
  const auto disjoint = [](const std::vector<std::size_t>& a, const std::vector<std::size_t>& b) {
    for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
      if (a[i] == b[j]) return false;
      a[i] < b[j] ? ++i : ++j;
    }
    return true;
  };
  std::vector<Part> parts;  // in the order begun; one merged into another is left empty
  for (std::size_t at = 0; at < members.size(); ++at) {
    const std::vector<std::size_t> own{documents[members[at]]};
    Part* into = nullptr;
    for (Part& part : parts) {
      if (part.members.empty() || !disjoint(part.documents, into ? into->documents : own) ||
          std::none_of(part.members.begin(), part.members.end(),
                       [&](std::size_t other) { return joined_at(members[other], members[at]); }))
        continue;
      if (into == nullptr) {
        into = &part;
        part.members.push_back(at);
        part.documents.insert(
            std::upper_bound(part.documents.begin(), part.documents.end(), own.front()),
            own.front());
        continue;
      }
      std::vector<std::size_t> merged;
      std::merge(into->members.begin(), into->members.end(), part.members.begin(),
                 part.members.end(), std::back_inserter(merged));
      into->members = std::move(merged);
      std::vector<std::size_t> documents_merged;
      std::merge(into->documents.begin(), into->documents.end(), part.documents.begin(),
                 part.documents.end(), std::back_inserter(documents_merged));
      into->documents = std::move(documents_merged);
      part = Part{};
    }
    if (into == nullptr) parts.push_back({{at}, own});
  }
  std::vector<std::size_t> first(members.size());
  for (const Part& part : parts)
    for (std::size_t at : part.members) first[at] = members[part.members.front()];
  return first;
}

// Per passage, a number its group's members share: the near-duplicate groups of the passages to
// regroup (each alone otherwise), from the components of the near-duplicate graph (joined).
std::vector<std::size_t> duplicate_groups(const Passages& read) {
  const std::vector<Candidate>& passages = read.candidates;
  const auto grouped = [&](std::size_t i) {
    return passages[i].signature != kNoSignature && passages[i].regroup;
  };
  const auto rows = [&](std::size_t i) -> const StoredRows& {
    return read.signatures[passages[i].signature];
  };
  std::vector<BandKeys> keys(passages.size());
  for (std::size_t i = 0; i < passages.size(); ++i)
    if (grouped(i)) keys[i] = band_keys(rows(i), passages[i].words);

  // Components: every pair sharing a bucket is compared, but a pair already in one component or
  // already compared in an earlier band, so that the components are exact whatever the order of
  // the comparisons. A boilerplate paragraph in a thousand documents then costs a thousand
  // comparisons (and half a million look-ups of a component), not half a million comparisons.
  Components components(passages.size());
  std::vector<std::pair<std::uint64_t, std::size_t>> keyed;
  for (std::size_t band = 0; band < kBands; ++band) {
    keyed.clear();
    for (std::size_t i = 0; i < passages.size(); ++i)
      if (grouped(i) && band < bands_of(passages[i].words)) keyed.emplace_back(keys[i][band], i);
    std::sort(keyed.begin(), keyed.end());
    for (std::size_t first = 0; first < keyed.size();) {
      std::size_t end = first + 1;
      while (end < keyed.size() && keyed[end].first == keyed[first].first) ++end;
      for (std::size_t m = first + 1; m < end; ++m)
        for (std::size_t k = first; k < m; ++k) {
          const std::size_t i = keyed[m].second;
          const std::size_t j = keyed[k].second;
          if (passages[i].document == passages[j].document ||
              components.root(i) == components.root(j))
            continue;
          // Past the first band both are bucketed by every band (bands_of), so a pair sharing an
          // earlier band's key was in one bucket there.
          bool compared = false;
          for (std::size_t earlier = 0; earlier < band && !compared; ++earlier)
            compared = keys[i][earlier] == keys[j][earlier];
          if (!compared && duplicate_rows(rows(i), passages[i].words, rows(j), passages[j].words))
            components.join(i, j);
        }
      first = end;
    }
  }

  std::vector<std::size_t> group(passages.size());
  std::vector<std::pair<std::size_t, std::size_t>> by_component;  // (root, passage)
  for (std::size_t i = 0; i < passages.size(); ++i) {
    group[i] = i;
    if (grouped(i)) by_component.emplace_back(components.root(i), i);
  }
  std::sort(by_component.begin(), by_component.end());
  std::vector<std::size_t> documents(passages.size());
  for (std::size_t i = 0; i < passages.size(); ++i) documents[i] = passages[i].document;
  std::vector<std::size_t> members;
  for (std::size_t first = 0; first < by_component.size();) {
    std::size_t end = first + 1;
    while (end < by_component.size() && by_component[end].first == by_component[first].first) ++end;
    members.clear();
    for (std::size_t at = first; at < end; ++at) members.push_back(by_component[at].second);
    first = end;
    if (members.size() < 2) continue;
    std::vector<std::size_t> seen;
    for (std::size_t member : members) seen.push_back(documents[member]);
    std::sort(seen.begin(), seen.end());
    if (std::adjacent_find(seen.begin(), seen.end()) == seen.end()) {
      for (std::size_t member : members) group[member] = members.front();
      continue;
    }
    const std::vector<std::size_t> split =
        split_component(members, documents, [&](std::size_t a, std::size_t b) {
          return documents[a] != documents[b] && joined({rows(a), passages[a].words, keys[a]},
                                                        {rows(b), passages[b].words, keys[b]});
        });
    for (std::size_t at = 0; at < members.size(); ++at) group[members[at]] = split[at];
  }
  return group;
}

// Per passage, the smallest passage id of its group (`group`: a number its members share); empty
// for a passage alone.
std::vector<std::string> group_keys(const std::vector<Candidate>& passages,
                                    const std::vector<std::size_t>& group) {
  std::unordered_map<std::size_t, std::pair<std::size_t, std::string>> by_group;
  for (std::size_t i = 0; i < passages.size(); ++i) {
    auto [found, added] = by_group.try_emplace(group[i], 0, passages[i].id);
    ++found->second.first;
    if (passages[i].id < found->second.second) found->second.second = passages[i].id;
  }
  std::vector<std::string> keys(passages.size());
  for (std::size_t i = 0; i < passages.size(); ++i) {
    const auto& [size, key] = by_group.at(group[i]);
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
    lower_minimums(result.minimums, shingle, seed);
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

std::string duplicate_signature(std::string_view text) {
  // The zero byte stands where the passage id stood until lupa-analysis/12: a passage too short
  // to group still has a value, so that only a passage written before the slot existed is read
  // from its document data.
  std::string value(1, '\0');
  const Fingerprint print = fingerprint(text);
  if (!print.usable) return value;
  const auto words = static_cast<std::uint32_t>(std::min<std::size_t>(print.words, UINT32_MAX));
  for (std::size_t i = 0; i < 4; ++i) value += static_cast<char>((words >> (8 * i)) & 0xFF);
  for (std::uint64_t minimum : print.minimums) put_u16(value, static_cast<std::uint16_t>(minimum));
  return value;
}

std::string signature_with_id(std::string_view passage_id, std::string_view signature) {
  // A value of an index before lupa-analysis/12 starts with the id itself.
  if (signature.empty() || signature.front() != '\0') return std::string(signature);
  std::string value(passage_id);
  value += signature;
  return value;
}

std::string signature_with_id(const Xapian::Document& passage) {
  return signature_with_id(passage.get_value(schema::kSlotPassageId),
                           passage.get_value(schema::kSlotDuplicateSignature));
}

void add_band_terms(Xapian::Document& document) {
  std::string id;
  std::uint32_t words = 0;
  std::optional<StoredRows> rows;
  if (!parse_signature(document.get_value(schema::kSlotDuplicateSignature), id, words, rows) ||
      !rows)
    return;
  for (std::size_t band = 0; band < bands_of(words); ++band)
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
  std::vector<std::string> duplicate_keys = group_keys(passages, duplicate_groups(read));
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
  std::vector<std::size_t> shown_once_roots(passages.size());
  for (std::size_t i = 0; i < passages.size(); ++i) shown_once_roots[i] = shown_once.root(i);
  std::vector<std::string> shown_once_keys = group_keys(passages, shown_once_roots);
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
