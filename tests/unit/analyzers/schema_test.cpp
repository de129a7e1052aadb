#include "lupa/analyzers/schema.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/temp_dir.h"

namespace lupa::schema {
namespace {

// Xapian's limit on the length of a term.
constexpr std::size_t kXapianMaxTermBytes = 245;

std::vector<std::string_view> all_prefixes() {
  std::vector<std::string_view> prefixes{
      kIdPrefix,     kFilePrefix, kStemPrefix, kDuplicateGroupPrefix, kCommitmentGroupPrefix,
      kConceptPrefix};
  for (const Facet& facet : kFacets) prefixes.push_back(facet.prefix);
  return prefixes;
}

TEST(Schema, PrefixesAreUniqueAndNoneStartsAnother) {
  const auto prefixes = all_prefixes();
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    EXPECT_FALSE(prefixes[i].empty());
    for (std::size_t j = 0; j < prefixes.size(); ++j) {
      if (i == j) continue;
      EXPECT_FALSE(prefixes[j].starts_with(prefixes[i]))
          << "'" << prefixes[i] << "' is the start of '" << prefixes[j] << "'";
    }
  }
}

TEST(Schema, NoFacetPrefixStartsWithTheSingleLetterPrefixes) {
  // Q (ids) and Z (stems) are one letter: any facet prefix starting with them would make
  // facet terms look like ids or stems.
  for (const Facet& facet : kFacets) {
    EXPECT_FALSE(facet.prefix.starts_with(kIdPrefix)) << facet.name;
    EXPECT_FALSE(facet.prefix.starts_with(kStemPrefix)) << facet.name;
  }
  EXPECT_FALSE(kFilePrefix.starts_with(kIdPrefix));
  EXPECT_FALSE(kFilePrefix.starts_with(kStemPrefix));
}

TEST(Schema, PrefixesAreUpperCaseSoTheyCannotCollideWithWords) {
  // Indexed words are lower case; Xapian's convention is upper-case prefixes.
  for (std::string_view prefix : all_prefixes())
    for (char c : prefix)
      EXPECT_TRUE(std::isupper(static_cast<unsigned char>(c))) << "prefix '" << prefix << "'";
}

TEST(Schema, ValueSlotsAreUnique) {
  const std::vector<Xapian::valueno> slots{
      kSlotIndexedAt,       kSlotFacetValues,    kSlotLanguage,    kSlotTranslationGroup,
      kSlotPassageDate,     kSlotDuplicateGroup, kSlotShownOnce,   kSlotDuplicateSignature,
      kSlotCommitmentLinks, kSlotOldestFirst,    kSlotNewestFirst, kSlotPassageId};
  EXPECT_EQ(std::set<Xapian::valueno>(slots.begin(), slots.end()).size(), slots.size());
  EXPECT_EQ(kSlotIndexedAt, 0u);
  EXPECT_EQ(kSlotFacetValues, 2u);
  // Slot 1 held the ordinal until lupa-analysis/12; none takes its number.
  EXPECT_EQ(std::count(slots.begin(), slots.end(), Xapian::valueno{1}), 0);
}

// The sorts by date order by these keys alone (Xapian sorts values as bytes): newest first
// descending, oldest first ascending; passages of one date in passage id order either way,
// undated passages last either way.
TEST(Schema, DateSortKeysOrderByDateThenPassageIdWithUndatedLast) {
  struct Passage {
    std::optional<int> day;
    std::string id;
  };
  const std::vector<Passage> passages = {
      {20190101, "b.0002"}, {std::nullopt, "a.0001"}, {20210615, "c.10000"}, {20210615, "c.1000"},
      {20190101, "a.0009"}, {std::nullopt, "a.0000"}, {20210615, "a.0003"},  {19991231, "z.0001"}};
  std::vector<std::pair<std::string, std::string>> newest;
  std::vector<std::pair<std::string, std::string>> oldest;
  for (const Passage& passage : passages) {
    const DateSortKeys keys = passage_date_sort_keys(passage.day, passage.id);
    newest.emplace_back(keys.newest, passage.id);
    oldest.emplace_back(keys.oldest, passage.id);
  }
  std::sort(newest.begin(), newest.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  std::sort(oldest.begin(), oldest.end());
  std::vector<std::string> newest_ids;
  for (const auto& [key, id] : newest) newest_ids.push_back(id);
  std::vector<std::string> oldest_ids;
  for (const auto& [key, id] : oldest) oldest_ids.push_back(id);
  EXPECT_EQ(newest_ids, (std::vector<std::string>{"a.0003", "c.1000", "c.10000", "a.0009", "b.0002",
                                                  "z.0001", "a.0000", "a.0001"}));
  EXPECT_EQ(oldest_ids, (std::vector<std::string>{"z.0001", "a.0009", "b.0002", "a.0003", "c.1000",
                                                  "c.10000", "a.0000", "a.0001"}));
}

TEST(Schema, FacetIndexIsThePositionInTheSchema) {
  for (std::size_t i = 0; i < kFacets.size(); ++i) EXPECT_EQ(facet_index(kFacets[i]), i);
  EXPECT_EQ(facet_index(*find_facet("plan")), 0u);
}

TEST(Schema, FacetCodesAreDistinctPrintableAndNeverTheSeparator) {
  // Each counted value in kSlotFacetValues starts with its facet's one-byte code.
  std::set<char> codes;
  for (std::size_t i = 0; i < kFacets.size(); ++i) {
    const char code = facet_code(i);
    EXPECT_NE(code, kValueSeparator) << kFacets[i].name;
    EXPECT_TRUE(std::isprint(static_cast<unsigned char>(code))) << kFacets[i].name;
    EXPECT_TRUE(codes.insert(code).second) << kFacets[i].name;
    // The decoder reads the code back as the facet's position.
    std::vector<std::size_t> decoded;
    decode_facet_values(std::string(1, code) + "value\n",
                        [&](std::size_t index, std::string_view) { decoded.push_back(index); });
    EXPECT_EQ(decoded, std::vector<std::size_t>{i}) << kFacets[i].name;
  }
}

TEST(Schema, FacetIndexOfAFacetNotInTheTableIsALogicError) {
  const std::vector<Facet> first_two(kFacets.begin(), kFacets.begin() + 2);
  EXPECT_EQ(facet_index(kFacets[1], first_two), 1u);
  EXPECT_THROW(facet_index(kFacets[2], first_two), std::logic_error);
  EXPECT_EQ(find_facet(kFacets[2].name, first_two), nullptr);
  EXPECT_EQ(find_facet(kFacets[1].name, first_two), &first_two[1]) << "a pointer into the table";
}

TEST(Schema, IdsOfCommitmentsAreFilterableButNotCounted) {
  // Counting thousands of distinct OGP ids would only bloat every answer.
  EXPECT_FALSE(find_facet("commitment")->counted);
  for (const char* name : {"plan", "challenge", "theme", "agency", "responsible", "organization",
                           "status", "kind", "type", "lang", "year", "country"}) {
    const Facet* facet = find_facet(name);
    ASSERT_NE(facet, nullptr) << name;
    EXPECT_TRUE(facet->counted) << name;
  }
}

TEST(Schema, FacetNamesAreUniqueAndDescribed) {
  std::set<std::string_view> names;
  for (const Facet& facet : kFacets) {
    EXPECT_TRUE(names.insert(facet.name).second) << facet.name;
    EXPECT_FALSE(facet.description.empty()) << facet.name;
  }
  // The facets the API documents from the start.
  for (const char* name : {"plan", "type", "lang", "kind", "country", "year", "challenge", "theme",
                           "agency", "responsible", "organization", "status", "commitment"})
    EXPECT_TRUE(names.contains(name)) << name;
}

TEST(Schema, FindFacetByName) {
  for (const Facet& facet : kFacets) {
    const Facet* found = find_facet(facet.name);
    ASSERT_NE(found, nullptr) << facet.name;
    EXPECT_EQ(found, &facet) << "the table's own entry";
  }
  EXPECT_EQ(find_facet("plan")->prefix, "XP");
  EXPECT_EQ(find_facet("lang")->prefix, "XL");
  for (const char* unknown : {"", "Plan", "plans", "q", "page"})
    EXPECT_EQ(find_facet(unknown), nullptr) << unknown;
}

struct CanonicalCase {
  const char* facet;
  std::string value;
  std::string canonical;
  friend void PrintTo(const CanonicalCase& c, std::ostream* out) {
    *out << c.facet << ":" << c.value;
  }
};

class CanonicalValue : public ::testing::TestWithParam<CanonicalCase> {};

TEST_P(CanonicalValue, ResolvesWhatAUserOrAFilterMayWrite) {
  const Facet* facet = find_facet(GetParam().facet);
  ASSERT_NE(facet, nullptr) << GetParam().facet;
  EXPECT_EQ(canonical_value(*facet, GetParam().value), GetParam().canonical);
}

INSTANTIATE_TEST_SUITE_P(
    Values, CanonicalValue,
    ::testing::Values(
        // Bodies by acronym, name or id, in any case and with or without accents.
        CanonicalCase{"agency", "SFP", "mx-sfp"}, CanonicalCase{"agency", "sfp", "mx-sfp"},
        CanonicalCase{"agency", "mx-sfp", "mx-sfp"},
        CanonicalCase{"agency", "Función Pública", "mx-sfp"},
        CanonicalCase{"agency", "Secretaria de la Funcion Publica", "mx-sfp"},
        CanonicalCase{"responsible", "SHCP", "mx-shcp"},
        CanonicalCase{"responsible", "PGR", "mx-fgr"},
        CanonicalCase{"organization", "Fundar", "org-fundar"},
        // Challenges and themes by id or label.
        CanonicalCase{"challenge", "public integrity", "public-integrity"},
        CanonicalCase{"challenge", "Public Integrity", "public-integrity"},
        CanonicalCase{"challenge", "integridad pública", "public-integrity"},
        CanonicalCase{"challenge", "public-integrity", "public-integrity"},
        CanonicalCase{"theme", "Fiscal Openness", "fiscal-openness"},
        CanonicalCase{"theme", "anti-corruption", "anti-corruption"},
        // Status marks as written in tables.
        CanonicalCase{"status", "TC", "total"}, CanonicalCase{"status", "PC", "partial"},
        CanonicalCase{"status", "NC", "none"}, CanonicalCase{"status", "total", "total"},
        // Commitment ids are upper case, other facets lower case.
        CanonicalCase{"commitment", "mx0085", "MX0085"},
        CanonicalCase{"commitment", "MX0085", "MX0085"},
        CanonicalCase{"plan", "MX-2019-2021", "mx-2019-2021"}, CanonicalCase{"lang", "ES", "es"},
        CanonicalCase{"country", "MX", "mx"}, CanonicalCase{"kind", "Commitment", "commitment"},
        // Marks and ids of a vocabulary in any case.
        CanonicalCase{"status", "TOTAL", "total"}, CanonicalCase{"lang", "EN", "en"},
        // A value that names nothing known is written in the facet's case and then matches
        // nothing.
        CanonicalCase{"agency", "Ministry of Magic", "Ministry of Magic"},
        CanonicalCase{"commitment", "xx9999", "XX9999"},
        CanonicalCase{"challenge", "world peace", "world peace"}));

TEST(Schema, TermsArePrefixPlusValue) {
  EXPECT_EQ(facet_term(*find_facet("plan"), "mx-2019-2021"), "XPmx-2019-2021");
  EXPECT_EQ(facet_term(*find_facet("lang"), "es"), "XLes");
  EXPECT_EQ(id_term("corpus.mx-plan.0025"), "Qcorpus.mx-plan.0025");
  EXPECT_EQ(file_term("corpus/mx-plan.txt"), "XFcorpus/mx-plan.txt");
}

TEST(Schema, LongKeysFitXapiansTermLimit) {
  for (std::size_t length : {200u, 239u, 240u, 241u, 245u, 300u, 5000u}) {
    const std::string key(length, 'a');
    EXPECT_LE(id_term(key).size(), kXapianMaxTermBytes) << length;
    EXPECT_LE(file_term(key).size(), kXapianMaxTermBytes) << length;
    EXPECT_LE(facet_term(kFacets[0], key).size(), kXapianMaxTermBytes) << length;
    EXPECT_TRUE(id_term(key).starts_with(kIdPrefix));
    EXPECT_TRUE(file_term(key).starts_with(kFilePrefix));
  }
}

TEST(Schema, LongKeysDifferingOnlyAtTheEndGiveDifferentTerms) {
  const std::string stem = "corpus/" + std::string(400, 'x');
  EXPECT_NE(id_term(stem + ".0001"), id_term(stem + ".0002"));
  EXPECT_NE(file_term(stem + "/a.txt"), file_term(stem + "/b.txt"));
  // The same key always gives the same term (ids must be stable across runs).
  EXPECT_EQ(id_term(stem + ".0001"), id_term(stem + ".0001"));
}

TEST(Schema, ShortKeysAreKeptReadable) {
  const std::string key(200, 'k');
  EXPECT_EQ(file_term(key), std::string(kFilePrefix) + key);
}

TEST(Schema, MetadataKeysFitXapiansKeyLimitAndShortOnesStayWhole) {
  EXPECT_EQ(metadata_key("lupa:state:", "XFcorpus/a.txt"), "lupa:state:XFcorpus/a.txt");
  const std::string longest_whole(kMaxMetadataKeyBytes - 14, 'p');
  EXPECT_EQ(metadata_key("lupa:spelling:", longest_whole), "lupa:spelling:" + longest_whole);
  for (std::size_t length : {240u, 241u, 245u, 1000u}) {
    const std::string key = metadata_key("lupa:spelling:", std::string(length, 'k'));
    EXPECT_LE(key.size(), kMaxMetadataKeyBytes) << length;
    EXPECT_TRUE(key.starts_with("lupa:spelling:kkk"));
  }
  EXPECT_NE(metadata_key("p:", std::string(300, 'k') + "a"),
            metadata_key("p:", std::string(300, 'k') + "b"));
  EXPECT_LE(accented_spelling_key(std::string(400, 'a')).size(), kMaxMetadataKeyBytes);
}

// docs/schema.md, which must exist: it is the schema's documentation.
std::string schema_documentation() {
  const auto doc = lupa::testing::source_dir() / "docs" / "schema.md";
  EXPECT_TRUE(std::filesystem::exists(doc)) << doc << " is missing";
  return std::filesystem::exists(doc) ? lupa::testing::read_file(doc) : std::string();
}

// True when `word` occurs in `text` as a word of its own: "XP" must not be found only inside
// "XPA".
bool mentions(const std::string& text, std::string_view word) {
  for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const bool starts = at == 0 || !std::isalnum(static_cast<unsigned char>(text[at - 1]));
    const std::size_t end = at + word.size();
    const bool ends = end == text.size() || !std::isalnum(static_cast<unsigned char>(text[end]));
    if (starts && ends) return true;
  }
  return false;
}

// One row of the facet table of docs/schema.md: | `name` | `prefix` | yes/no | values |.
struct DocumentedFacet {
  std::string prefix;
  std::string counted;
  std::string values;
};

std::string unquoted(std::string cell) {
  while (!cell.empty() && (cell.front() == ' ' || cell.front() == '`')) cell.erase(0, 1);
  while (!cell.empty() && (cell.back() == ' ' || cell.back() == '`')) cell.pop_back();
  return cell;
}

// The rows of the table whose header is "| facet | prefix | counted | values |", by name.
std::map<std::string, DocumentedFacet> documented_facets(const std::string& text) {
  std::map<std::string, DocumentedFacet> facets;
  std::istringstream lines(text);
  std::string line;
  bool in_table = false;
  while (std::getline(lines, line)) {
    if (line.starts_with("| facet | prefix | counted |")) {
      in_table = true;
      continue;
    }
    if (!in_table) continue;
    if (!line.starts_with("|")) break;
    if (line.starts_with("|---")) continue;
    std::vector<std::string> cells;
    std::size_t start = 1;
    for (std::size_t bar = line.find('|', start); bar != std::string::npos;
         bar = line.find('|', start)) {
      cells.push_back(unquoted(line.substr(start, bar - start)));
      start = bar + 1;
    }
    EXPECT_GE(cells.size(), 4u) << "docs/schema.md, facet table row: " << line;
    if (cells.size() < 4) continue;
    EXPECT_TRUE(facets.emplace(cells[0], DocumentedFacet{cells[1], cells[2], cells[3]}).second)
        << "docs/schema.md lists facet " << cells[0] << " twice";
  }
  return facets;
}

TEST(Schema, DocumentationListsEveryFacetWithItsPrefixAndWhetherItIsCounted) {
  const std::string text = schema_documentation();
  const auto documented = documented_facets(text);
  EXPECT_EQ(documented.size(), kFacets.size()) << "docs/schema.md's facet table";
  for (const Facet& facet : kFacets) {
    const auto row = documented.find(std::string(facet.name));
    if (row == documented.end()) {
      ADD_FAILURE() << "docs/schema.md's facet table has no row for facet " << facet.name;
      continue;
    }
    EXPECT_EQ(row->second.prefix, facet.prefix) << "docs/schema.md, facet " << facet.name;
    EXPECT_EQ(row->second.counted, facet.counted ? "yes" : "no")
        << "docs/schema.md, facet " << facet.name;
    // The stored field that holds the values is documented too.
    if (!facet.field.empty()) {
      EXPECT_NE(text.find("`" + std::string(facet.field) + "`"), std::string::npos)
          << "docs/schema.md does not mention stored field " << facet.field;
    }
  }
  for (const auto& [name, row] : documented)
    EXPECT_NE(find_facet(name), nullptr)
        << "docs/schema.md documents facet " << name << ", which kFacets does not have";
  // Every passage kind is a value of the kind facet.
  if (documented.contains("kind")) {
    for (PassageKind kind :
         {PassageKind::kParagraph, PassageKind::kSection, PassageKind::kCommitment})
      EXPECT_TRUE(mentions(documented.at("kind").values, to_string(kind))) << to_string(kind);
  }
  for (TextSource source : {TextSource::kText, TextSource::kTextLayer, TextSource::kOcr})
    EXPECT_NE(text.find("`" + std::string(to_string(source)) + "`"), std::string::npos)
        << "docs/schema.md does not mention text source " << to_string(source);
}

TEST(Schema, DocumentationMentionsEveryPrefix) {
  const std::string text = schema_documentation();
  for (const Facet& facet : kFacets)
    EXPECT_TRUE(mentions(text, facet.prefix))
        << "docs/schema.md does not mention prefix " << facet.prefix;
  EXPECT_TRUE(mentions(text, kFilePrefix))
      << "docs/schema.md does not mention prefix " << kFilePrefix;
  EXPECT_TRUE(mentions(text, kDuplicateGroupPrefix))
      << "docs/schema.md does not mention prefix " << kDuplicateGroupPrefix;
  EXPECT_TRUE(mentions(text, kCommitmentGroupPrefix))
      << "docs/schema.md does not mention prefix " << kCommitmentGroupPrefix;
  EXPECT_TRUE(mentions(text, kIdPrefix)) << "docs/schema.md does not mention prefix " << kIdPrefix;
  EXPECT_TRUE(mentions(text, kStemPrefix))
      << "docs/schema.md does not mention prefix " << kStemPrefix;
}

TEST(PassageId, IsThePathWithItsExtensionMadeUrlSafe) {
  struct {
    const char* path;
    int ordinal;
    const char* id;
  } const cases[] = {
      {"corpus/mx-plan.txt", 25, "corpus.mx-plan-txt.0025"},
      {"corpus/mx-2011-action-plan-es-en.txt", 1, "corpus.mx-2011-action-plan-es-en-txt.0001"},
      {"corpus/sub/Informe Final.TXT", 3, "corpus.sub.Informe-Final-TXT.0003"},
      {"corpus/no-extension", 7, "corpus.no-extension.0007"},
      {"corpus.v2/plan.md", 12345, "corpus-v2.plan-md.12345"},
      {"corpus/a_b.txt", 1, "corpus.a_b-txt.0001"},
  };
  for (const auto& c : cases) EXPECT_EQ(passage_id(c.path, c.ordinal), c.id) << c.path;
}

TEST(PassageId, IsStable) {
  EXPECT_EQ(passage_id("corpus/a.txt", 2), passage_id("corpus/a.txt", 2));
  EXPECT_NE(passage_id("corpus/a.txt", 2), passage_id("corpus/a.txt", 3));
  EXPECT_NE(passage_id("corpus/a.txt", 2), passage_id("other/a.txt", 2));
}

TEST(PassageId, DifferentDocumentsGetDifferentPassageIds) {
  // The same report saved as .txt and .html in one folder is two documents.
  const std::pair<const char*, const char*> pairs[] = {
      {"corpus/informe.txt", "corpus/informe.html"},
      {"corpus/informe.md", "corpus/informe.htm"},
      {"corpus/a_b.txt", "corpus/a-b.txt"},
      {"corpus/informe.txt", "corpus/informe"},
      {"corpus/a.txt", "corpus/A.txt"},
  };
  for (const auto& [a, b] : pairs) EXPECT_NE(passage_id(a, 1), passage_id(b, 1)) << a << " / " << b;
}

TEST(PassageId, IsUrlSafe) {
  for (const char* path : {"corpus/Plan de Acción 2019.txt", "c/a&b?c=d#e.txt", "c/a\tb.txt"}) {
    const std::string id = passage_id(path, 1);
    for (char c : id)
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_')
          << path << " -> " << id;
  }
}

TEST(NeighbourId, IsThePassageBeforeOrAfterInTheSameDocument) {
  EXPECT_EQ(neighbour_id("corpus.plan-txt.0025", -1), "corpus.plan-txt.0024");
  EXPECT_EQ(neighbour_id("corpus.plan-txt.0025", +1), "corpus.plan-txt.0026");
  EXPECT_EQ(neighbour_id("corpus.plan-txt.9999", +1), "corpus.plan-txt.10000");
  EXPECT_EQ(neighbour_id("corpus.plan-txt.10000", -1), "corpus.plan-txt.9999");
  EXPECT_EQ(neighbour_id(passage_id("corpus/a.txt", 7), +1), passage_id("corpus/a.txt", 8));
}

TEST(NeighbourId, IsNothingBeforeTheFirstOrForWhatIsNoPassageId) {
  EXPECT_EQ(neighbour_id("corpus.plan-txt.0001", -1), std::nullopt);
  for (const char* id : {"", "corpus", "corpus.plan-txt.", "corpus.plan-txt.12a", ".x",
                         "corpus.plan-txt.1234567890"})
    EXPECT_EQ(neighbour_id(id, +1), std::nullopt) << id;
}

}  // namespace
}  // namespace lupa::schema

namespace lupa::schema {
namespace {

std::vector<Facet> standard_copy() {
  return {kFacets.begin(), kFacets.end()};
}

TEST(FacetTable, TheStandardTableWithFacetsAppendedIsAccepted) {
  EXPECT_NO_THROW(check_facet_table(standard_facets()));
  std::vector<Facet> longer = standard_copy();
  Facet extra = longer.front();
  extra.name = "extra";
  extra.prefix = "XE";
  longer.push_back(extra);
  EXPECT_NO_THROW(check_facet_table(longer));
}

TEST(FacetTable, ATableThatMovesAStandardFacetIsRefused) {
  // A facet's position is its code in the counted-values slot of every index already built:
  // a table without `year` would count the countries' values as years.
  std::vector<Facet> without_year = standard_copy();
  std::erase_if(without_year, [](const Facet& facet) { return facet.name == "year"; });
  EXPECT_THROW(check_facet_table(without_year), std::invalid_argument);
  std::vector<Facet> swapped = standard_copy();
  std::swap(swapped[0], swapped[1]);
  EXPECT_THROW(check_facet_table(swapped), std::invalid_argument);
  std::vector<Facet> twice = standard_copy();
  twice.push_back(twice.front());
  EXPECT_THROW(check_facet_table(twice), std::invalid_argument);
  std::vector<Facet> too_many = standard_copy();
  while (too_many.size() <= kMaxFacets) too_many.push_back(too_many.front());
  EXPECT_THROW(check_facet_table(too_many), std::invalid_argument);
}

std::vector<std::string> section_values(const PassageRecord& record) {
  return record.section ? std::vector<std::string>{*record.section} : std::vector<std::string>{};
}

TEST(FacetTerms, ReplacingTouchesOnlyTheFacetsWhoseValuesChanged) {
  // Built with one more counted facet than the table the linker rewrites it with.
  std::vector<Facet> longer = standard_copy();
  Facet section = longer.front();
  section.name = "section";
  section.prefix = "XE";
  section.values = &section_values;
  longer.push_back(section);
  PassageRecord before;
  before.kind = PassageKind::kCommitment;
  before.lang = "es";
  before.plans = {"mx-2011-2013"};
  before.section = "3.a";
  before.commitment.emplace();
  before.commitment->number = 4;
  before.commitment->title = "Compromiso";
  Xapian::Document document;
  add_facet_terms(before, document, longer);
  PassageRecord after = before;
  after.links.emplace();
  after.links->linked_ogp_id = "MX0042";
  replace_facet_terms(before, after, document);

  std::set<std::string> terms(document.termlist_begin(), document.termlist_end());
  EXPECT_TRUE(terms.contains("XMMX0042"));
  EXPECT_TRUE(terms.contains("XE3.a"));
  EXPECT_TRUE(terms.contains("XPmx-2011-2013"));
  std::map<std::size_t, std::vector<std::string>> slot;
  decode_facet_values(
      document.get_value(kSlotFacetValues),
      [&](std::size_t index, std::string_view value) { slot[index].emplace_back(value); });
  EXPECT_EQ(slot[longer.size() - 1], std::vector<std::string>{"3.a"});
  EXPECT_EQ(slot[facet_index(*find_facet("plan"))], std::vector<std::string>{"mx-2011-2013"});

  // A counted facet that changes is rewritten in the slot; the extra facet's value stays.
  PassageRecord moved = after;
  moved.plans = {"mx-2013-2015"};
  replace_facet_terms(after, moved, document);
  terms = {document.termlist_begin(), document.termlist_end()};
  EXPECT_FALSE(terms.contains("XPmx-2011-2013"));
  EXPECT_TRUE(terms.contains("XPmx-2013-2015"));
  slot.clear();
  decode_facet_values(
      document.get_value(kSlotFacetValues),
      [&](std::size_t index, std::string_view value) { slot[index].emplace_back(value); });
  EXPECT_EQ(slot[facet_index(*find_facet("plan"))], std::vector<std::string>{"mx-2013-2015"});
  EXPECT_EQ(slot[longer.size() - 1], std::vector<std::string>{"3.a"});
  EXPECT_EQ(slot[facet_index(*find_facet("lang"))], std::vector<std::string>{"es"});
}

}  // namespace
}  // namespace lupa::schema
