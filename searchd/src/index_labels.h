// Labels the index holds for facet values the reference data cannot label (institutions the
// indexer found that agencies.tsv does not list: analyzers/index_labels.h), read once per
// revision of the databases and shared by every request thread.
//
// Thread safety: current() may be called from any thread, with that thread's own handles; the
// mutex is held only to compare and swap the table, never while the labels are read.
#pragma once

#include <xapian.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/vocabulary.h"

namespace lupa::searchd {

/// The labels of one revision of the databases, by metadata key (index_label_key).
class LabelTable {
 public:
  LabelTable() = default;
  LabelTable(std::string revision, std::unordered_map<std::string, std::string> labels)
      : revision_(std::move(revision)), labels_(std::move(labels)) {}

  const std::string& revision() const { return revision_; }
  std::size_t size() const { return labels_.size(); }

  /// The label `value` of `facet` is shown with: the reference data's; else the index's
  /// (the name as written, in both languages); else the value itself.
  analyzers::Label label(const schema::Facet& facet, std::string_view value) const;

  /// Labels of vocabulary values label() remembers, at most: a table lives for one revision,
  /// whose values are far fewer, so only a client asking for values the index lacks fills it.
  static constexpr std::size_t kMaxRemembered = 16384;

 private:
  // Hashes std::string keys and std::string_view look-ups alike.
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  template <typename Value>
  using ByString = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

  analyzers::Label look_up(std::string_view vocabulary, std::string_view value) const;

  std::string revision_;  // each shard's uuid and revision
  std::unordered_map<std::string, std::string> labels_;
  // By vocabulary, then value: every answer labels its facets' values again, and a look-up in
  // the reference data (a vocabulary named by string, a key built per value) costs several
  // times this one. Request threads share the table, hence the lock.
  mutable std::shared_mutex remembered_mutex_;
  mutable ByString<ByString<analyzers::Label>> remembered_;
  mutable std::size_t remembered_count_ = 0;
};

class IndexLabels {
 public:
  IndexLabels() : table_(std::make_shared<const LabelTable>()) {}

  /// The labels of `shards` (the calling thread's handles, one per database, at `revision`:
  /// each shard's uuid and revision): read again only when the revision is not the one last
  /// read. When the labels cannot be read (the indexer committed twice during the read),
  /// those of the last read. A shard `remote` (a shard server) cannot list its metadata keys
  /// (Xapian's remote backend lists none): its labels are read by key, one per value of each
  /// facet of `facets` with a vocabulary that the reference data does not label.
  std::shared_ptr<const LabelTable> current(const std::vector<Xapian::Database>& shards,
                                            const std::vector<bool>& remote,
                                            schema::FacetTable facets,
                                            const std::string& revision) const;

 private:
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const LabelTable> table_;
};

}  // namespace lupa::searchd
