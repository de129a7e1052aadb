#include "lupa/searchd/facet_counter.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "lupa/analyzers/schema.h"
#include "lupa/indexer/document_builder.h"
#include "lupa/searchd/facet_codes.h"
#include "lupa/searchd/shard_registry.h"
#include "support/decade_facet.h"

namespace lupa::searchd {
namespace {

using Counts = std::map<std::string, Xapian::doccount>;
using Which = std::vector<bool>;
// One passage's facet values: (facet name, value) pairs, in slot order.
using Values = std::vector<std::pair<std::string, std::string>>;

std::size_t index_of(const std::string& name) {
  return schema::facet_index(*schema::find_facet(name));
}

// kSlotFacetValues as the indexer writes it: facet code, value, separator.
std::string slot(const Values& values) {
  std::string encoded;
  for (const auto& [facet, value] : values) {
    encoded += schema::facet_code(index_of(facet));
    encoded += value;
    encoded += schema::kValueSeparator;
  }
  return encoded;
}

Which only(std::initializer_list<const char*> names) {
  Which which(schema::kFacets.size());
  for (const char* name : names) which[index_of(name)] = true;
  return which;
}

Which every_counted_facet() {
  Which which(schema::kFacets.size());
  for (std::size_t i = 0; i < schema::kFacets.size(); ++i) which[i] = schema::kFacets[i].counted;
  return which;
}

using AllCounts = std::vector<Counts>;

// What a FacetCounter counting `which` finds over documents whose facet slots are `slots`.
AllCounts count(const std::vector<std::string>& slots, const Which& which) {
  Xapian::WritableDatabase database(std::string(), Xapian::DB_BACKEND_INMEMORY);
  for (const std::string& value : slots) {
    Xapian::Document document;
    document.add_boolean_term("Tall");
    if (!value.empty()) document.add_value(schema::kSlotFacetValues, value);
    document.add_value(schema::kSlotFacetValues + 1, slot({{"plan", "other slot ignored"}}));
    database.add_document(document);
  }
  Xapian::Enquire enquire(database);
  enquire.set_query(Xapian::Query("Tall"));
  FacetCounter counter(schema::standard_facets(), which);
  enquire.add_matchspy(&counter);
  enquire.get_mset(0, 0, database.get_doccount());
  AllCounts counts(schema::kFacets.size());
  for (std::size_t i = 0; i < counts.size(); ++i) counts[i] = counter.counts(i);
  return counts;
}

Counts counts_of(const std::vector<Values>& passages, const std::string& facet) {
  std::vector<std::string> slots;
  for (const Values& values : passages) slots.push_back(slot(values));
  return count(slots, every_counted_facet())[index_of(facet)];
}

TEST(FacetCounter, CountsEachValueOfAMultiValuedFacet) {
  const std::vector<Values> passages = {{{"plan", "mx-2011-2013"}, {"plan", "mx-2013-2015"}},
                                        {{"plan", "mx-2011-2013"}},
                                        {{"plan", "mx-2019-2021"}, {"plan", "mx-2013-2015"}},
                                        {{"plan", "mx-2011-2013"}}};
  EXPECT_EQ(counts_of(passages, "plan"),
            (Counts{{"mx-2011-2013", 3}, {"mx-2013-2015", 2}, {"mx-2019-2021", 1}}));
}

TEST(FacetCounter, KeepsTheFacetsOfOneSlotApart) {
  const std::vector<Values> passages = {
      {{"plan", "mx-2011-2013"}, {"agency", "mx-sfp"}, {"responsible", "mx-sfp"}, {"lang", "es"}},
      {{"agency", "mx-sfp"}, {"agency", "mx-shcp"}, {"lang", "en"}},
      {{"lang", "es"}, {"status", "total"}}};
  EXPECT_EQ(counts_of(passages, "plan"), (Counts{{"mx-2011-2013", 1}}));
  EXPECT_EQ(counts_of(passages, "agency"), (Counts{{"mx-sfp", 2}, {"mx-shcp", 1}}));
  EXPECT_EQ(counts_of(passages, "responsible"), (Counts{{"mx-sfp", 1}}));
  EXPECT_EQ(counts_of(passages, "lang"), (Counts{{"es", 2}, {"en", 1}}));
  EXPECT_EQ(counts_of(passages, "status"), (Counts{{"total", 1}}));
  EXPECT_TRUE(counts_of(passages, "theme").empty());
}

// Every counted facet, whatever its position in kFacets, comes back out of the shared slot
// (the "year" facet, at position 10, once had the separator '\n' as its index byte).
class EveryFacet : public ::testing::TestWithParam<std::size_t> {};

TEST_P(EveryFacet, IsCountedFromTheSharedSlot) {
  const std::string name(schema::kFacets[GetParam()].name);
  const std::string other = name == "lang" ? "kind" : "lang";
  const std::vector<Values> passages = {{{other, "es"}, {name, "2011"}, {other, "en"}},
                                        {{name, "2011"}, {name, "other"}},
                                        {{other, "es"}}};
  EXPECT_EQ(counts_of(passages, name), (Counts{{"2011", 2}, {"other", 1}})) << name;
  EXPECT_EQ(counts_of(passages, other), (Counts{{"es", 2}, {"en", 1}})) << other;
}

std::vector<std::size_t> counted_facets() {
  std::vector<std::size_t> indices;
  for (std::size_t i = 0; i < schema::kFacets.size(); ++i)
    if (schema::kFacets[i].counted) indices.push_back(i);
  return indices;
}

INSTANTIATE_TEST_SUITE_P(Facets, EveryFacet, ::testing::ValuesIn(counted_facets()),
                         [](const ::testing::TestParamInfo<std::size_t>& param_info) {
                           return std::string(schema::kFacets[param_info.param].name);
                         });

TEST(FacetCounter, CountsOnlyTheFacetsItWasAskedFor) {
  const std::vector<std::string> slots = {
      slot({{"plan", "mx-2011-2013"}, {"lang", "es"}, {"kind", "paragraph"}})};
  const AllCounts counts = count(slots, only({"lang"}));
  EXPECT_EQ(counts[index_of("lang")], (Counts{{"es", 1}}));
  EXPECT_TRUE(counts[index_of("plan")].empty());
  EXPECT_TRUE(counts[index_of("kind")].empty());
}

TEST(FacetCounter, PassagesWithoutValuesCountForNothing) {
  EXPECT_EQ(count({"", slot({{"lang", "es"}}), ""}, every_counted_facet())[index_of("lang")],
            (Counts{{"es", 1}}));
  for (const Counts& counts : count({"", ""}, every_counted_facet())) EXPECT_TRUE(counts.empty());
}

TEST(FacetCounter, EntriesOfNoKnownFacetAndEmptyValuesAreIgnored) {
  std::string slot_value = "~not a facet\n";
  slot_value += schema::facet_code(index_of("plan"));  // a facet code without a value
  slot_value += schema::kValueSeparator;
  slot_value += slot({{"lang", "es"}});
  const AllCounts counts = count({slot_value}, every_counted_facet());
  EXPECT_EQ(counts[index_of("lang")], (Counts{{"es", 1}}));
  EXPECT_TRUE(counts[index_of("plan")].empty());
}

TEST(FacetCounter, ValuesAreCountedWholeNotByPrefix) {
  EXPECT_EQ(counts_of({{{"plan", "mx-2011-2013"}}, {{"plan", "mx-2011-2013-extra"}}}, "plan"),
            (Counts{{"mx-2011-2013", 1}, {"mx-2011-2013-extra", 1}}));
}

TEST(FacetCounter, ValuesWithSpacesAndAccentsAreKeptWhole) {
  EXPECT_EQ(counts_of({{{"agency", "Secretaría de la Función Pública"}}}, "agency"),
            (Counts{{"Secretaría de la Función Pública", 1}}));
}

TEST(FacetCounter, CountsOnlyTheDocumentsTheQueryMatches) {
  Xapian::WritableDatabase database(std::string(), Xapian::DB_BACKEND_INMEMORY);
  for (const char* value : {"es", "es", "en"}) {
    Xapian::Document document;
    document.add_boolean_term(std::string("XL") + value);
    document.add_value(schema::kSlotFacetValues, slot({{"lang", value}}));
    database.add_document(document);
  }
  Xapian::Enquire enquire(database);
  enquire.set_query(Xapian::Query("XLes"));
  FacetCounter counter(schema::standard_facets(), only({"lang"}));
  enquire.add_matchspy(&counter);
  enquire.get_mset(0, 10, database.get_doccount());
  EXPECT_EQ(counter.counts(index_of("lang")), (Counts{{"es", 2}}));
}

// A passage of translation group `group` (empty: none) with facet values `values`.
Xapian::Document passage_in_group(const Values& values, const std::string& group) {
  Xapian::Document document;
  document.add_value(schema::kSlotFacetValues, slot(values));
  if (!group.empty()) document.add_value(schema::kSlotTranslationGroup, group);
  return document;
}

TEST(FacetCounter, CollapsedTranslationsCountOnceExceptInTheFacetThatTellsThemApart) {
  FacetCounter counter(schema::standard_facets(), every_counted_facet(),
                       schema::kSlotTranslationGroup);
  // A paragraph and its translation (the Spanish one ranked higher), and a passage alone.
  counter(passage_in_group({{"lang", "en"}, {"theme", "open-data"}}, "plan.txt#25"), 1.0);
  counter(passage_in_group({{"lang", "es"}, {"theme", "fiscal-openness"}}, "plan.txt#25"), 2.0);
  counter(passage_in_group({{"lang", "es"}, {"theme", "open-data"}}, ""), 1.5);
  EXPECT_EQ(counter.counts(index_of("theme")), (Counts{{"fiscal-openness", 1}, {"open-data", 1}}));
  EXPECT_EQ(counter.counts(index_of("lang")), (Counts{{"es", 2}, {"en", 1}}));
}

TEST(FacetCounter, NearDuplicatesCountOnceEvenInTheFacetThatTellsTranslationsApart) {
  // A paragraph, its translation and a scan of the paragraph: one shown-once group.
  const auto passage = [](const std::string& lang, const std::string& duplicates) {
    Xapian::Document document;
    document.add_value(schema::kSlotFacetValues, slot({{"lang", lang}}));
    document.add_value(schema::kSlotShownOnce, "plan.txt.0025");
    if (!duplicates.empty()) document.add_value(schema::kSlotDuplicateGroup, duplicates);
    return document;
  };
  FacetCounter counter(schema::standard_facets(), only({"lang"}), schema::kSlotShownOnce);
  counter(passage("es", "plan.txt.0025"), 2.0);
  counter(passage("es", "plan.txt.0025"), 1.9);  // the scan
  counter(passage("en", ""), 1.0);
  // What lang=es gives (duplicates collapsed) and what lang=en gives.
  EXPECT_EQ(counter.counts(index_of("lang")), (Counts{{"es", 1}, {"en", 1}}));
}

TEST(FacetCounter, CountsEveryFacetOfTheTableItIsGiven) {
  const std::vector<schema::Facet> table = lupa::testing::facets_with_decade();
  const std::size_t decade = table.size() - 1;
  schema::FacetValuesEncoder first, second;
  first.add(decade, "2010s");
  first.add(index_of("lang"), "es");
  second.add(decade, "2010s");
  FacetCounter counter(table, std::vector<bool>(table.size(), true));
  for (const schema::FacetValuesEncoder* encoder : {&first, &second}) {
    Xapian::Document document;
    document.add_value(schema::kSlotFacetValues, encoder->slot());
    counter(document, 1.0);
  }
  EXPECT_EQ(counter.counts(decade), (Counts{{"2010s", 2}}));
  EXPECT_EQ(counter.counts(index_of("lang")), (Counts{{"es", 1}}));
  // The standard table has no such facet: its code counts for nothing there.
  FacetCounter standard(schema::standard_facets(), every_counted_facet());
  Xapian::Document document;
  document.add_value(schema::kSlotFacetValues, first.slot());
  standard(document, 1.0);
  EXPECT_TRUE(standard.counts(decade).empty());
  EXPECT_EQ(standard.counts(index_of("lang")), (Counts{{"es", 1}}));
}

TEST(FacetCounter, RefusesATableThatIsNotTheStandardOneWithEntriesAppended) {
  // A facet's position is its code in the slot: a reordered or shortened table would count
  // one facet's values as another's.
  std::vector<schema::Facet> reordered(schema::kFacets.begin(), schema::kFacets.end());
  std::swap(reordered[0], reordered[1]);
  EXPECT_THROW(FacetCounter(reordered, std::vector<bool>(reordered.size(), true)),
               std::invalid_argument);
  const std::vector<schema::Facet> shortened(schema::kFacets.begin(), schema::kFacets.end() - 1);
  EXPECT_THROW(FacetCounter(shortened, std::vector<bool>(shortened.size(), true)),
               std::invalid_argument);
}

TEST(FacetCounter, TheFacetsThatTellTranslationsApartAreTheTables) {
  // A table in which the document type, not the language, tells a passage from its
  // translation: collapsing follows the table, not the facet's name.
  std::vector<schema::Facet> table(schema::kFacets.begin(), schema::kFacets.end());
  for (schema::Facet& facet : table) facet.tells_translations_apart = facet.name == "type";
  FacetCounter counter(table, std::vector<bool>(table.size(), true), schema::kSlotTranslationGroup);
  counter(passage_in_group({{"lang", "en"}, {"type", "a"}}, "g"), 1.0);
  counter(passage_in_group({{"lang", "es"}, {"type", "b"}}, "g"), 2.0);
  EXPECT_EQ(counter.counts(index_of("lang")), (Counts{{"es", 1}}));
  EXPECT_EQ(counter.counts(index_of("type")), (Counts{{"a", 1}, {"b", 1}}));
}

TEST(FacetCounter, CountsWhatTheDocumentBuilderWrites) {
  // The two halves of the slot format: the indexer's writer and the daemon's reader.
  indexer::DocumentMetadata metadata;
  metadata.country = "mx";
  metadata.plans = {"mx-2011-2013"};
  metadata.type = "action-plan";
  metadata.date = "2011-09-20";
  indexer::Passage passage;
  passage.ordinal = 1;
  passage.text = "La Secretaría de la Función Pública publica datos.";
  passage.language = "es";
  passage.agencies = {"mx-sfp"};
  Xapian::WritableDatabase database(std::string(), Xapian::DB_BACKEND_INMEMORY);
  indexer::DocumentBuilder builder;
  database.add_document(builder.build("corpus/a.txt", metadata, passage, 0));
  Xapian::Enquire enquire(database);
  enquire.set_query(Xapian::Query::MatchAll);
  FacetCounter counter(schema::standard_facets(), every_counted_facet());
  enquire.add_matchspy(&counter);
  enquire.get_mset(0, 0, 1);
  const std::pair<const char*, const char*> expected[] = {
      {"plan", "mx-2011-2013"}, {"agency", "mx-sfp"}, {"kind", "paragraph"},
      {"type", "action-plan"},  {"lang", "es"},       {"year", "2011"},
      {"country", "mx"}};
  for (const auto& [facet, value] : expected)
    EXPECT_EQ(counter.counts(index_of(facet)), (Counts{{value, 1}})) << facet;
}

// A passage as the indexer writes it, for the tests of coded counting: facet values, shown-once
// group (empty: none) and near-duplicate group (empty: none).
Xapian::Document passage(const Values& values, const std::string& shown_once = "",
                         const std::string& duplicates = "", const std::string& id = "") {
  Xapian::Document document;
  document.add_boolean_term("Tall");
  if (!values.empty()) document.add_value(schema::kSlotFacetValues, slot(values));
  if (!shown_once.empty()) document.add_value(schema::kSlotShownOnce, shown_once);
  if (!duplicates.empty()) document.add_value(schema::kSlotDuplicateGroup, duplicates);
  if (!id.empty()) document.add_value(schema::kSlotPassageId, id);
  return document;
}

// Every facet's counts over every passage of `database`, collapsing on kSlotShownOnce when
// `collapse`, with `codes` (null: from the slot).
AllCounts count_all(const Xapian::Database& database, bool collapse,
                    std::shared_ptr<const FacetCodes> codes) {
  Xapian::Enquire enquire(database);
  enquire.set_query(Xapian::Query("Tall"));
  const std::optional<Xapian::valueno> slot =
      collapse ? std::optional<Xapian::valueno>(schema::kSlotShownOnce) : std::nullopt;
  if (slot) enquire.set_collapse_key(*slot);
  FacetCounter counter(schema::standard_facets(), every_counted_facet(), slot, {},
                       std::move(codes));
  enquire.add_matchspy(&counter);
  enquire.get_mset(0, 10, database.get_doccount());
  AllCounts counts(schema::kFacets.size());
  for (std::size_t i = 0; i < counts.size(); ++i) counts[i] = counter.counts(i);
  return counts;
}

// The (facet, value) pairs of `codes` of `table`.
Values decoded(const FacetCodes& table, std::span<const FacetCodes::Code> codes) {
  Values values;
  for (const FacetCodes::Code code : codes)
    values.emplace_back(schema::kFacets[table.facet(code)].name, table.value(code));
  return values;
}

Values sorted(Values values) {
  std::sort(values.begin(), values.end());
  return values;
}

TEST(FacetCodes, GiveEachPassageTheCodesOfItsValues) {
  Xapian::WritableDatabase database(std::string(), Xapian::DB_BACKEND_INMEMORY);
  database.add_document(passage({{"plan", "mx-2011-2013"}, {"lang", "es"}}));
  database.add_document(passage({}));
  database.add_document(passage({{"lang", "es"}, {"theme", "open-data"}, {"plan", "es"}}));
  const std::shared_ptr<const FacetCodes> codes = FacetCodes::build(database);
  ASSERT_TRUE(codes);
  EXPECT_FALSE(codes->covers(0));
  EXPECT_TRUE(codes->covers(3));
  EXPECT_FALSE(codes->covers(4));
  // Three passages cannot share a combination (FacetCodes::kPassagesPerCombination).
  EXPECT_EQ(codes->combinations(), 1U);
  EXPECT_EQ(decoded(*codes, codes->of(1).others),
            (Values{{"plan", "mx-2011-2013"}, {"lang", "es"}}));
  EXPECT_TRUE(decoded(*codes, codes->of(2).others).empty());
  EXPECT_EQ(decoded(*codes, codes->of(3).others),
            (Values{{"lang", "es"}, {"theme", "open-data"}, {"plan", "es"}}));
  // "es" of the language and "es" of the plan are two values; the language's is shared.
  EXPECT_EQ(codes->size(), 4U);
  EXPECT_EQ(codes->of(1).others[1], codes->of(3).others[0]);
}

// `prefix` followed by `number`.
std::string numbered(std::string prefix, int number) {
  prefix += std::to_string(number);
  return prefix;
}

// `passages` passages, the values of passage `i` (from 0) given by `values_of`; passage 2k and
// 2k + 1 share shown-once group k for the first `groups` groups.
Xapian::WritableDatabase passages(int count, const std::function<Values(int)>& values_of,
                                  int groups = 0) {
  Xapian::WritableDatabase database(std::string(), Xapian::DB_BACKEND_INMEMORY);
  for (int i = 0; i < count; ++i)
    database.add_document(passage(values_of(i), i / 2 < groups ? numbered("g", i / 2) : "", "",
                                  numbered("p.", 1000 + i)));
  return database;
}

// Counted from codes as from the slot, collapsed and not.
void expect_counts_as_from_the_slot(const Xapian::Database& database,
                                    const std::shared_ptr<const FacetCodes>& codes) {
  for (const bool collapse : {false, true})
    EXPECT_EQ(count_all(database, collapse, codes), count_all(database, collapse, nullptr))
        << collapse;
}

TEST(FacetCodes, CombineTheFacetsWhoseValuesRepeatAndKeepTheOthersPerPassage) {
  // 48 passages: one language, two plans, a theme of their own (too many to combine).
  const Xapian::WritableDatabase database = passages(
      48,
      [](int i) {
        return Values{{"lang", "es"},
                      {"theme", numbered("t", i)},
                      {"plan", i < 24 ? "mx-2011-2013" : "mx-2013-2015"}};
      },
      12);
  const std::shared_ptr<const FacetCodes> codes = FacetCodes::build(database);
  ASSERT_TRUE(codes);
  EXPECT_EQ(codes->combinations(), 2U);
  const auto combination_of = [&](Xapian::docid docid) {
    return sorted(decoded(*codes, codes->combination(codes->of(docid).combination)));
  };
  EXPECT_EQ(combination_of(1), (Values{{"lang", "es"}, {"plan", "mx-2011-2013"}}));
  EXPECT_EQ(combination_of(48), (Values{{"lang", "es"}, {"plan", "mx-2013-2015"}}));
  EXPECT_EQ(codes->of(24).combination, codes->of(1).combination);
  EXPECT_EQ(decoded(*codes, codes->of(1).others), (Values{{"theme", "t0"}}));
  EXPECT_EQ(decoded(*codes, codes->of(48).others), (Values{{"theme", "t47"}}));
  expect_counts_as_from_the_slot(database, codes);
  const AllCounts all = count_all(database, false, codes);
  EXPECT_EQ(all[index_of("plan")], (Counts{{"mx-2011-2013", 24}, {"mx-2013-2015", 24}}));
  EXPECT_EQ(all[index_of("lang")], (Counts{{"es", 48}}));
  EXPECT_EQ(all[index_of("theme")].at("t5"), 1U);
  // Collapsed: 12 pairs of the first plan count once each.
  const AllCounts collapsed = count_all(database, true, codes);
  EXPECT_EQ(collapsed[index_of("plan")], (Counts{{"mx-2011-2013", 12}, {"mx-2013-2015", 24}}));
  EXPECT_EQ(collapsed[index_of("lang")], (Counts{{"es", 48}}));  // it tells translations apart
  EXPECT_EQ(collapsed[index_of("theme")].size(), 36U);
}

TEST(FacetCodes, LeaveOutAFacetThatWouldMakeTooManyCombinations) {
  // 64 passages: at most 4 combinations. Two languages, three plans: 6 together.
  const Xapian::WritableDatabase database = passages(64, [](int i) {
    return Values{{"lang", i % 2 == 0 ? "es" : "en"}, {"plan", numbered("p", i / 22)}};
  });
  const std::shared_ptr<const FacetCodes> codes = FacetCodes::build(database);
  ASSERT_TRUE(codes);
  // The language has fewer sets of values: it is combined, the plan is not.
  EXPECT_EQ(codes->combinations(), 2U);
  EXPECT_EQ(decoded(*codes, codes->combination(codes->of(2).combination)),
            (Values{{"lang", "en"}}));
  EXPECT_EQ(decoded(*codes, codes->of(2).others), (Values{{"plan", "p0"}}));
  expect_counts_as_from_the_slot(database, codes);
  EXPECT_EQ(count_all(database, false, codes)[index_of("plan")],
            (Counts{{"p0", 22}, {"p1", 22}, {"p2", 20}}));
}

TEST(FacetCodes, CombineNothingWhenNoFacetsValuesRepeat) {
  // Every passage has a plan and themes of its own: one combination, of no value; each
  // passage's codes are its own, and counting is as before.
  const Xapian::WritableDatabase database = passages(
      40,
      [](int i) {
        return Values{
            {"plan", numbered("p", i)}, {"theme", numbered("a", i)}, {"theme", numbered("b", i)}};
      },
      5);
  const std::shared_ptr<const FacetCodes> codes = FacetCodes::build(database);
  ASSERT_TRUE(codes);
  EXPECT_EQ(codes->combinations(), 1U);
  EXPECT_TRUE(codes->combination(0).empty());
  EXPECT_EQ(codes->of(7).combination, 0U);
  EXPECT_EQ(decoded(*codes, codes->of(7).others),
            (Values{{"plan", "p6"}, {"theme", "a6"}, {"theme", "b6"}}));
  expect_counts_as_from_the_slot(database, codes);
  EXPECT_EQ(count_all(database, true, codes)[index_of("plan")].size(), 35U);
}

TEST(FacetCodes, AreNotBuiltForDocumentIdsFarSparserThanThePassages) {
  Xapian::WritableDatabase database(std::string(), Xapian::DB_BACKEND_INMEMORY);
  database.replace_document(70'000, passage({{"lang", "es"}}));
  EXPECT_FALSE(FacetCodes::build(database));
  // The counter then reads the slot, as it does for passages a table does not cover.
  EXPECT_EQ(count_all(database, false, nullptr)[index_of("lang")], (Counts{{"es", 1}}));
}

TEST(FacetCodes, RankPassageIdsInByteOrderWhateverTheDocumentIds) {
  Xapian::WritableDatabase database(std::string(), Xapian::DB_BACKEND_INMEMORY);
  database.add_document(passage({}, "", "", "b.0002"));
  database.add_document(passage({}, "", "", "b.0001"));
  database.add_document(passage({}));  // no id: first, as its empty value sorts
  database.add_document(passage({}, "", "", "a.0010"));
  database.add_document(passage({}, "", "", "\xC3\xA1.0001"));  // "á": after every ASCII byte
  const std::shared_ptr<const FacetCodes> codes = FacetCodes::build(database);
  ASSERT_TRUE(codes);
  std::vector<std::pair<std::string, Xapian::docid>> by_key;
  for (Xapian::docid docid = 1; docid <= 5; ++docid)
    by_key.emplace_back(FacetCodes::order_key(*codes->rank(schema::kSlotPassageId, docid)), docid);
  std::sort(by_key.begin(), by_key.end());
  std::vector<Xapian::docid> order;
  for (const auto& [key, docid] : by_key) order.push_back(docid);
  EXPECT_EQ(order, (std::vector<Xapian::docid>{3, 4, 2, 1, 5}));
  EXPECT_EQ(codes->rank(schema::kSlotPassageId, 3), 0U);
  EXPECT_FALSE(codes->rank(schema::kSlotPassageId, 6));  // not covered
  EXPECT_FALSE(codes->rank(schema::kSlotLanguage, 1));   // a slot it does not rank
  EXPECT_TRUE(codes->covers_every_passage_of(database));
  database.add_document(passage({}, "", "", "c.0001"));
  EXPECT_FALSE(codes->covers_every_passage_of(database));
}

TEST(FacetCounter, AGroupTiedOnWeightCountsAsItsSmallestPassageIdFromCodesAsFromTheSlot) {
  // Every passage weighs the same here; document ids run against passage ids.
  Xapian::WritableDatabase database(std::string(), Xapian::DB_BACKEND_INMEMORY);
  database.add_document(passage({{"lang", "es"}, {"theme", "water"}}, "g", "", "c.0001"));
  database.add_document(passage({{"lang", "en"}, {"theme", "health"}}, "g", "", "b.0001"));
  database.add_document(passage({{"lang", "es"}, {"theme", "gender"}}, "g", "", "b.0002"));
  database.add_document(passage({{"lang", "en"}, {"theme", "open-data"}}, "", "", "a.0001"));
  const AllCounts from_slots = count_all(database, true, nullptr);
  EXPECT_EQ(from_slots[index_of("theme")], (Counts{{"health", 1}, {"open-data", 1}}));
  EXPECT_EQ(count_all(database, true, FacetCodes::build(database)), from_slots);
}

TEST(FacetCounter, CountsTheSameFromCodesAsFromTheSlot) {
  Xapian::WritableDatabase database(std::string(), Xapian::DB_BACKEND_INMEMORY);
  // A passage, its translation and a near-duplicate scan of it (one shown-once group), a
  // second pair, and passages alone.
  database.add_document(passage({{"lang", "es"}, {"theme", "open-data"}}, "a.0001", "a.0001"));
  database.add_document(passage({{"lang", "en"}, {"theme", "gender"}}, "a.0001"));
  database.add_document(passage({{"lang", "es"}, {"theme", "open-data"}}, "a.0001", "a.0001"));
  database.add_document(passage({{"lang", "en"}, {"plan", "mx-2011-2013"}}, "b.0002"));
  database.add_document(passage({{"lang", "es"}, {"plan", "mx-2011-2013"}}, "b.0002"));
  database.add_document(passage({{"lang", "es"}, {"theme", "gender"}, {"theme", "open-data"}}));
  database.add_document(passage({}));
  const std::shared_ptr<const FacetCodes> codes = FacetCodes::build(database);
  ASSERT_TRUE(codes);
  // Passages added since are counted from their slot.
  database.add_document(passage({{"lang", "fr"}, {"theme", "gender"}}, "b.0002"));
  database.add_document(passage({{"lang", "en"}, {"theme", "health"}}));
  database.commit();
  for (const bool collapse : {false, true}) {
    const AllCounts from_slots = count_all(database, collapse, nullptr);
    EXPECT_EQ(count_all(database, collapse, codes), from_slots) << collapse;
    EXPECT_EQ(count_all(database, collapse, FacetCodes::build(database)), from_slots) << collapse;
  }
  EXPECT_EQ(count_all(database, false, codes)[index_of("lang")],
            (Counts{{"es", 4}, {"en", 3}, {"fr", 1}}));
  // Collapsed: group a (es kept: open-data), group b (en, es, fr; one kept), two alone.
  const AllCounts collapsed = count_all(database, true, codes);
  EXPECT_EQ(collapsed[index_of("lang")], (Counts{{"es", 3}, {"en", 3}, {"fr", 1}}));
  EXPECT_EQ(collapsed[index_of("theme")].at("health"), 1U);
}

}  // namespace
}  // namespace lupa::searchd

namespace lupa::searchd {
namespace {

// Passages of every kind a collapsed count meets: alone, translations, near-duplicates of
// different languages and facets, ties of weight broken by passage id (slot 12).
std::vector<std::pair<Xapian::Document, double>> mixed_passages() {
  std::vector<std::pair<Xapian::Document, double>> passages;
  const auto add = [&](const Values& values, const std::string& shown_once,
                       const std::string& duplicates, const std::string& id, double weight,
                       const std::string& date = "") {
    Xapian::Document document;
    document.add_value(schema::kSlotFacetValues, slot(values));
    if (!shown_once.empty()) document.add_value(schema::kSlotShownOnce, shown_once);
    if (!duplicates.empty()) document.add_value(schema::kSlotDuplicateGroup, duplicates);
    if (!date.empty()) document.add_value(schema::kSlotPassageDate, date);
    document.add_value(schema::kSlotPassageId, id);
    passages.emplace_back(document, weight);
  };
  add({{"lang", "es"}, {"theme", "open-data"}}, "", "", "a.0001", 1.0);
  add({{"lang", "en"}, {"theme", "open-data"}}, "a.txt#2", "", "a.0002", 1.0, "2019");
  add({{"lang", "es"}, {"theme", "fiscal-openness"}}, "a.txt#2", "", "a.0003", 2.0, "2018");
  add({{"lang", "es"}, {"theme", "procurement"}}, "b.0001", "b.0001", "b.0001", 3.0, "2017");
  add({{"lang", "en"}, {"theme", "health"}}, "b.0001", "b.0001", "c.0001", 3.0);  // a tie
  add({{"lang", "es"}, {"theme", "water"}}, "b.0001", "b.0001", "d.0005", 0.5, "2020");
  add({{"lang", "en"}, {"theme", "water"}}, "e.0001", "", "e.0001", 0.7);
  add({{"lang", "en"}, {"theme", "health"}}, "e.0001", "", "e.0002", 0.7);  // a tie
  return passages;
}

AllCounts counted(FacetCounter& counter) {
  AllCounts counts(schema::kFacets.size());
  for (std::size_t i = 0; i < counts.size(); ++i) counts[i] = counter.counts(i);
  return counts;
}

// Counted by one counter over every passage, and by two (one per shard, each built from the
// first's serialisation as a shard server builds it) merged; `split` says which shard each
// passage is on.
void expect_merged_equals_whole(const FacetCounter& prototype, const std::vector<int>& split) {
  const auto passages = mixed_passages();
  std::unique_ptr<Xapian::MatchSpy> whole(prototype.clone());
  for (const auto& [document, weight] : passages) (*whole)(document, weight);
  const Xapian::Registry registry;
  std::unique_ptr<Xapian::MatchSpy> merged(prototype.clone());
  std::vector<std::unique_ptr<Xapian::MatchSpy>> shards;
  for (int i = 0; i < 2; ++i)
    shards.emplace_back(prototype.unserialise(prototype.serialise(), registry));
  for (std::size_t i = 0; i < passages.size(); ++i)
    (*shards[static_cast<std::size_t>(split[i])])(passages[i].first, passages[i].second);
  for (const auto& shard : shards) merged->merge_results(shard->serialise_results());
  EXPECT_EQ(counted(dynamic_cast<FacetCounter&>(*merged)),
            counted(dynamic_cast<FacetCounter&>(*whole)));
}

TEST(FacetCounterMerge, TwoShardsMergedCountAsOneDatabaseWhateverTheSplit) {
  const FacetCounter by_weight(schema::standard_facets(), every_counted_facet(),
                               schema::kSlotShownOnce);
  const FacetCounter oldest(schema::standard_facets(), every_counted_facet(),
                            schema::kSlotShownOnce, CollapseOrder{true, false});
  const FacetCounter newest(schema::standard_facets(), every_counted_facet(),
                            schema::kSlotDuplicateGroup, CollapseOrder{true, true});
  const FacetCounter uncollapsed(schema::standard_facets(), every_counted_facet());
  // Every way of putting the eight passages on two shards.
  for (unsigned mask = 0; mask < 256; ++mask) {
    std::vector<int> split;
    for (int bit = 0; bit < 8; ++bit) split.push_back((mask >> bit) & 1);
    SCOPED_TRACE("split " + std::to_string(mask));
    expect_merged_equals_whole(by_weight, split);
    expect_merged_equals_whole(oldest, split);
    expect_merged_equals_whole(newest, split);
    expect_merged_equals_whole(uncollapsed, split);
  }
}

TEST(FacetCounterMerge, AGroupCountsAsItsBestPassageAcrossShards) {
  const FacetCounter prototype(schema::standard_facets(), only({"theme"}), schema::kSlotShownOnce);
  const auto passages = mixed_passages();
  const Xapian::Registry registry;
  std::unique_ptr<Xapian::MatchSpy> first(prototype.unserialise(prototype.serialise(), registry));
  std::unique_ptr<Xapian::MatchSpy> second(prototype.unserialise(prototype.serialise(), registry));
  // Group b.0001: weight 3.0 on both shards, the tie going to the smaller id, b.0001.
  (*first)(passages[4].first, passages[4].second);
  (*second)(passages[3].first, passages[3].second);
  std::unique_ptr<Xapian::MatchSpy> merged(prototype.clone());
  merged->merge_results(first->serialise_results());
  merged->merge_results(second->serialise_results());
  EXPECT_EQ(dynamic_cast<FacetCounter&>(*merged).counts(index_of("theme")),
            (Counts{{"procurement", 1}}));
}

TEST(FacetCounterMerge, RefusesBytesItDidNotWrite) {
  FacetCounter counter(schema::standard_facets(), every_counted_facet(), schema::kSlotShownOnce);
  const Xapian::Registry registry;
  EXPECT_THROW(counter.merge_results("\x05garbage"), Xapian::SerialisationError);
  EXPECT_THROW(std::unique_ptr<Xapian::MatchSpy>(counter.unserialise("\xff\xff", registry)),
               Xapian::SerialisationError);
  std::string results = counter.serialise_results();
  EXPECT_THROW(counter.merge_results(results + "x"), Xapian::SerialisationError);
}

TEST(MatchCounterMerge, CollapsedTotalAcrossShardsCountsEachKeyOnce) {
  const MatchCounter prototype(schema::kSlotShownOnce);
  const auto passages = mixed_passages();
  const Xapian::Registry registry;
  std::unique_ptr<Xapian::MatchSpy> whole(prototype.clone());
  std::unique_ptr<Xapian::MatchSpy> first(prototype.unserialise(prototype.serialise(), registry));
  std::unique_ptr<Xapian::MatchSpy> second(prototype.unserialise(prototype.serialise(), registry));
  for (std::size_t i = 0; i < passages.size(); ++i) {
    (*whole)(passages[i].first, passages[i].second);
    (*(i % 2 ? first : second))(passages[i].first, passages[i].second);
  }
  std::unique_ptr<Xapian::MatchSpy> merged(prototype.clone());
  merged->merge_results(first->serialise_results());
  merged->merge_results(second->serialise_results());
  // One passage alone, groups a.txt#2, b.0001 and e.0001.
  EXPECT_EQ(dynamic_cast<MatchCounter&>(*whole).collapsed_total(), 4U);
  EXPECT_EQ(dynamic_cast<MatchCounter&>(*merged).collapsed_total(), 4U);
  EXPECT_EQ(dynamic_cast<MatchCounter&>(*merged).seen(), 8U);
}

TEST(ShardRegistry, KnowsLupasSpiesAndPostingSource) {
  const Xapian::Registry registry = shard_registry();
  EXPECT_NE(registry.get_match_spy("lupa.FacetCounter"), nullptr);
  EXPECT_NE(registry.get_match_spy("lupa.MatchCounter"), nullptr);
  EXPECT_NE(registry.get_posting_source("lupa.AgencySignalSource"), nullptr);
}

}  // namespace
}  // namespace lupa::searchd
