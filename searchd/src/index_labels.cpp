#include "index_labels.h"

#include "lupa/analyzers/index_labels.h"
#include "lupa/analyzers/reference_data.h"

namespace lupa::searchd {

analyzers::Label LabelTable::label(const schema::Facet& facet, std::string_view value) const {
  if (!facet.vocabulary.empty()) {
    if (auto known = analyzers::ReferenceData::instance().label(facet.vocabulary, value))
      return std::move(*known);
    if (const auto found = labels_.find(analyzers::index_label_key(facet.vocabulary, value));
        found != labels_.end())
      return {found->second, found->second};
  }
  return {std::string(value), std::string(value)};
}

IndexLabels::IndexLabels(const std::vector<std::filesystem::path>& databases)
    : table_(std::make_shared<const LabelTable>()) {
  for (const auto& path : databases) shards_.emplace_back(path.string());
}

std::shared_ptr<const LabelTable> IndexLabels::current() const {
  std::lock_guard lock(mutex_);
  try {
    // Reopening costs a read of each shard's version file; the labels are read only when it
    // changed. A combined handle has no revision of its own, hence one handle per shard.
    std::string revision;
    for (Xapian::Database& shard : shards_) {
      shard.reopen();
      revision += shard.get_uuid() + ":" + std::to_string(shard.get_revision()) + ",";
    }
    if (revision == table_->revision()) return table_;
    std::unordered_map<std::string, std::string> labels;
    const std::string prefix(analyzers::kIndexLabelKeyPrefix);
    for (const Xapian::Database& shard : shards_)
      for (auto key = shard.metadata_keys_begin(prefix); key != shard.metadata_keys_end(prefix);
           ++key)
        labels.try_emplace(*key, shard.get_metadata(*key));  // the first shard's wins
    table_ = std::make_shared<const LabelTable>(std::move(revision), std::move(labels));
  } catch (const Xapian::DatabaseModifiedError&) {
    // Moved on twice while being read: the last labels serve until the next request.
  }
  return table_;
}

}  // namespace lupa::searchd
