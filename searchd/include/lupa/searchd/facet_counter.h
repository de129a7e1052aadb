// Counts facet values over every match of a query, for exact facet counts, on a local database
// or on the shard servers of a sharded one (Xapian's remote backend runs spies on the server
// and merges their results on the client).
#pragma once

#include <xapian.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lupa/analyzers/schema.h"
#include "lupa/searchd/facet_codes.h"

namespace lupa::searchd {

/// The order a match keeps the first passage of a collapsed group by, when it is not by
/// weight alone: by date (schema::kSlotPassageDate; `newest_first` or oldest first, undated
/// passages last either way), then by weight. Ties of both go to the smaller stable key
/// (schema::kSlotPassageId, the passage id), as the match breaks
/// them (SearchService sorts by relevance then that value), so that the passage kept does not
/// depend on document ids, which differ between one database and shards.
struct CollapseOrder {
  bool by_date = false;
  bool newest_first = false;
};

/// A MatchSpy reading schema::kSlotFacetValues, which holds every counted facet value of a
/// passage, so each match costs one value read whatever the number of facets. Xapian's own
/// ValueCountMatchSpy counts one value per slot, which is wrong for multi-valued facets and
/// would need a slot read per facet.
///
/// Serialisable (name(), serialise(), serialise_results(), merge_results()) so that a shard
/// server counts its own matches and the searcher merges them: merged counts equal the counts
/// of one database holding every shard's passages, since what is merged is each collapsed
/// group's best passage so far and each near-duplicate group's values, not counts of them.
class FacetCounter final : public Xapian::MatchSpy {
 public:
  /// Counts the facets of `table` whose position is set in `which` (positions past its end
  /// count nothing). With `collapse_slot`, passages sharing a non-empty value there count once,
  /// as the one the match keeps (of highest weight, or first in `order`): the match collapses them
  /// the same way (Enquire::set_collapse_key) but shows its spies every candidate. Facets that tell
  /// translations apart (the language) still count both, but near-duplicates (a shared
  /// schema::kSlotDuplicateGroup) once, with the values of the one whose facet values come
  /// first (byte order: independent of the order passages are seen in): their values are what
  /// a filter on them, which collapses near-duplicates only, would give. Throws
  /// std::invalid_argument unless `table` is the standard table with entries appended
  /// (schema::check_facet_table): a facet's position is its code in the slot.
  /// `codes`: the values of the (local) database the match runs on, read once (FacetCodes); a
  /// passage it does not cover, or every passage without it, is counted from its slot. Copies
  /// made by clone() and unserialise() have none: a shard server counts from the slot.
  using Order = CollapseOrder;
  FacetCounter(schema::FacetTable table, std::vector<bool> which,
               std::optional<Xapian::valueno> collapse_slot = std::nullopt, Order order = {},
               std::shared_ptr<const FacetCodes> codes = nullptr);
  void operator()(const Xapian::Document& document, double weight) override;

  /// Passages seen per value of the facet at `index` in the table.
  const std::map<std::string, Xapian::doccount>& counts(std::size_t index);

  /// Counts only what shard servers send (merge_results), never a document the match shows
  /// it: over remote shards, Xapian 1.4 also shows the searcher's spies some of the shards'
  /// top documents, which the shards have counted already. Copies made by clone() and
  /// unserialise() (the shards' own) count every document.
  void count_merged_only() { merged_only_ = true; }

  /// Adds what `other` counted over other documents of the same database: the counts of one
  /// counter that saw both's documents. Both count the same facets from the same codes, and
  /// neither has been asked for counts yet; throws std::logic_error otherwise. For a match run
  /// in parts on several threads (each part's counter holds no document once its match is done).
  void absorb(FacetCounter&& other);

  std::string name() const override;
  Xapian::MatchSpy* clone() const override;
  std::string serialise() const override;
  /// Throws Xapian::SerialisationError on bytes serialise() did not write.
  Xapian::MatchSpy* unserialise(const std::string& serialised,
                                const Xapian::Registry& context) const override;
  std::string serialise_results() const override;
  /// Throws Xapian::SerialisationError on bytes serialise_results() did not write.
  void merge_results(const std::string& serialised) override;
  std::string get_description() const override { return "Lupa facet counter"; }

 private:
  struct Settings {
    std::vector<bool> which;
    std::vector<bool> tells_translations_apart;
    std::optional<Xapian::valueno> collapse_slot;
    Order order;
  };
  explicit FacetCounter(Settings settings);

  /// Counts the facets that follow collapsing when `collapsed_facets`, and those that tell
  /// translations apart when `translation_facets`.
  void count(std::string_view values, bool collapsed_facets, bool translation_facets);
  /// Which facets a coded passage counts for: every one, those that follow collapsing, or those
  /// that tell translations apart (as the flags of count() above).
  enum class Part : std::uint8_t { kAll, kCollapsed, kTranslations };
  void count(Xapian::docid docid, Part part);
  bool counts_in(std::size_t facet, Part part) const;
  /// Counts what the groups kept stand for; once.
  void settle();

  struct Kept {
    std::string key;  ///< the order's key; empty without one
    double weight;
    std::string values;
    /// The stable key that breaks ties (schema::kSlotPassageId): read from `document`
    /// while the match holds it, for the passage kept (and a candidate on a tie).
    mutable std::optional<std::string> stable_key;
    Xapian::Document document;
    /// The passage's document id when `codes_` covers it (its values are counted from there,
    /// and `values` is empty); else 0.
    Xapian::docid coded = 0;
    /// The rank of its stable key in `codes_` when covered (FacetCodes::rank): ties are then
    /// broken without reading the key.
    std::optional<std::uint32_t> rank;
    const std::string& tie_key() const;
  };
  /// Whether `candidate` comes before `kept` of equal order key and weight, as the match
  /// orders them (by stable key).
  static bool before_on_tie(const Kept& candidate, const Kept& kept);
  /// Keeps `candidate` for its group when the match would show it rather than the one kept.
  void keep(std::string group, Kept candidate);
  /// Keeps `values` for near-duplicate group `duplicates` when they come first.
  void keep_duplicate(std::string_view duplicates, std::string_view values);
  std::string date_key(const Xapian::Document& document) const;

  Settings settings_;
  std::shared_ptr<const FacetCodes> codes_;
  /// Per Part, per code of codes_: the passages counted, besides those of combined_.
  std::array<std::vector<Xapian::doccount>, 3> coded_;
  /// Per Part, per combination of codes_ (FacetCodes::combination): the passages counted,
  /// added to coded_ on settling.
  std::array<std::vector<Xapian::doccount>, 3> combined_;
  std::unordered_map<std::string, Kept> best_of_group_;
  /// Near-duplicate group -> the facet values it counts as in facets telling translations apart.
  std::unordered_map<std::string, std::string> duplicate_values_;
  std::vector<std::map<std::string, Xapian::doccount>> counts_;
  bool settled_ = false;
  bool merged_only_ = false;
};

/// Counts every match, collapsed or not (spies see every candidate), and the collapsed
/// total: passages without a collapse key plus distinct keys. Xapian's own collapsed count
/// is exact on one database when every match is checked, but not across shards, where a
/// group may have passages on several. Serialisable like FacetCounter.
class MatchCounter final : public Xapian::MatchSpy {
 public:
  /// With `codes` (a single local database's), collapse keys are read from them.
  explicit MatchCounter(std::optional<Xapian::valueno> collapse_slot = std::nullopt,
                        std::shared_ptr<const FacetCodes> codes = nullptr)
      : collapse_slot_(collapse_slot), codes_(std::move(codes)) {}
  void operator()(const Xapian::Document& document, double weight) override;
  Xapian::doccount seen() const { return seen_; }
  /// Matches once collapsed: without a collapse slot, every match.
  Xapian::doccount collapsed_total() const;
  /// Matches sharing collapse key `key`, less the one shown: what collapsing hid behind it.
  Xapian::doccount collapsed_into(const std::string& key) const;
  /// As FacetCounter::count_merged_only().
  void count_merged_only() { merged_only_ = true; }
  /// Adds what `other` counted over other documents (FacetCounter::absorb()).
  void absorb(const MatchCounter& other);

  std::string name() const override;
  Xapian::MatchSpy* clone() const override { return new MatchCounter(collapse_slot_, codes_); }
  std::string serialise() const override;
  Xapian::MatchSpy* unserialise(const std::string& serialised,
                                const Xapian::Registry& context) const override;
  std::string serialise_results() const override;
  void merge_results(const std::string& serialised) override;
  std::string get_description() const override { return "Lupa match counter"; }

 private:
  std::optional<Xapian::valueno> collapse_slot_;
  std::shared_ptr<const FacetCodes> codes_;
  bool merged_only_ = false;
  Xapian::doccount seen_ = 0;
  Xapian::doccount without_key_ = 0;
  std::unordered_map<std::string, Xapian::doccount> keys_;
};

}  // namespace lupa::searchd
