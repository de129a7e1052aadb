#include "index_labels.h"

#include "lupa/analyzers/index_labels.h"
#include "lupa/analyzers/reference_data.h"

namespace lupa::searchd {

analyzers::Label LabelTable::label(const schema::Facet& facet, std::string_view value) const {
  if (facet.vocabulary.empty()) return {std::string(value), std::string(value)};
  {
    std::shared_lock lock(remembered_mutex_);
    if (const auto vocabulary = remembered_.find(facet.vocabulary); vocabulary != remembered_.end())
      if (const auto known = vocabulary->second.find(value); known != vocabulary->second.end())
        return known->second;
  }
  analyzers::Label found = look_up(facet.vocabulary, value);
  std::lock_guard lock(remembered_mutex_);
  if (remembered_count_ < kMaxRemembered &&
      remembered_.try_emplace(std::string(facet.vocabulary))
          .first->second.try_emplace(std::string(value), found)
          .second)
    ++remembered_count_;
  return found;
}

analyzers::Label LabelTable::look_up(std::string_view vocabulary, std::string_view value) const {
  if (auto known = analyzers::ReferenceData::instance().label(vocabulary, value))
    return std::move(*known);
  if (const auto found = labels_.find(analyzers::index_label_key(vocabulary, value));
      found != labels_.end())
    return {found->second, found->second};
  return {std::string(value), std::string(value)};
}

std::shared_ptr<const LabelTable> IndexLabels::current(const std::vector<Xapian::Database>& shards,
                                                       const std::vector<bool>& remote,
                                                       schema::FacetTable facets,
                                                       const std::string& revision) const {
  {
    std::lock_guard lock(mutex_);
    if (table_->revision() == revision) return table_;
  }
  try {
    std::unordered_map<std::string, std::string> labels;
    const std::string prefix(analyzers::kIndexLabelKeyPrefix);
    // A combined handle has no metadata of its own, hence a read per shard.
    for (std::size_t i = 0; i < shards.size(); ++i) {
      const Xapian::Database& shard = shards[i];
      if (!remote[i]) {
        for (auto key = shard.metadata_keys_begin(prefix); key != shard.metadata_keys_end(prefix);
             ++key)
          labels.try_emplace(*key, shard.get_metadata(*key));  // the first shard's wins
        continue;
      }
      const analyzers::ReferenceData& reference = analyzers::ReferenceData::instance();
      for (const schema::Facet& facet : facets) {
        if (facet.vocabulary.empty()) continue;
        const std::string term_prefix = schema::facet_term(facet, "");
        for (auto term = shard.allterms_begin(term_prefix); term != shard.allterms_end(term_prefix);
             ++term) {
          const std::string value = (*term).substr(term_prefix.size());
          if (reference.label(facet.vocabulary, value)) continue;
          const std::string key = analyzers::index_label_key(facet.vocabulary, value);
          if (labels.contains(key)) continue;
          if (std::string label = shard.get_metadata(key); !label.empty())
            labels.emplace(key, std::move(label));
        }
      }
    }
    auto table = std::make_shared<const LabelTable>(revision, std::move(labels));
    std::lock_guard lock(mutex_);
    table_ = table;
    return table;
  } catch (const Xapian::DatabaseModifiedError&) {
    // Moved on twice while being read: the last labels serve until the next request.
    std::lock_guard lock(mutex_);
    return table_;
  }
}

}  // namespace lupa::searchd
