#include "lupa/analyzers/schema.h"

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace lupa::schema {
namespace {

// Xapian's limit on the length of a term.
constexpr std::size_t kXapianMaxTermBytes = 245;

std::vector<std::string_view> all_prefixes() {
  std::vector<std::string_view> prefixes{kIdPrefix, kFilePrefix, kStemPrefix};
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
  // The facet values share one slot; it must not be one of the other two.
  const std::set<Xapian::valueno> slots{kSlotIndexedAt, kSlotOrdinal, kSlotFacetValues};
  EXPECT_EQ(slots.size(), 3u);
  EXPECT_EQ(kSlotIndexedAt, 0u);
  EXPECT_EQ(kSlotOrdinal, 1u);
  EXPECT_EQ(kSlotFacetValues, 2u);
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
    EXPECT_EQ(facet_index_of_code(code), i) << kFacets[i].name;
  }
  // A byte that is no facet's code reads as no facet.
  EXPECT_GE(facet_index_of_code(kValueSeparator), kFacets.size());
}

TEST(Schema, IdsOfCommitmentsAreFilterableButNotCounted) {
  // Counting thousands of distinct OGP ids would only bloat every answer.
  EXPECT_FALSE(find_facet("commitment")->counted);
  for (const char* name : {"plan", "challenge", "theme", "agency", "responsible", "organization",
                           "status", "kind", "type", "lang", "year", "country"}) {
    const auto facet = find_facet(name);
    ASSERT_TRUE(facet.has_value()) << name;
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
    const auto found = find_facet(facet.name);
    ASSERT_TRUE(found.has_value()) << facet.name;
    EXPECT_EQ(found->prefix, facet.prefix);
    EXPECT_EQ(found->counted, facet.counted);
  }
  EXPECT_EQ(find_facet("plan")->prefix, "XP");
  EXPECT_EQ(find_facet("lang")->prefix, "XL");
  for (const char* unknown : {"", "Plan", "plans", "q", "page"})
    EXPECT_FALSE(find_facet(unknown).has_value()) << unknown;
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
  const auto facet = find_facet(GetParam().facet);
  ASSERT_TRUE(facet.has_value()) << GetParam().facet;
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
        // A value that names nothing known stays as given and then matches nothing.
        CanonicalCase{"agency", "Ministry of Magic", "Ministry of Magic"},
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

TEST(Schema, DocumentationMentionsEveryFacetAndPrefix) {
  const auto doc = lupa::testing::source_dir() / "docs" / "schema.md";
  if (!std::filesystem::exists(doc)) GTEST_SKIP() << doc << " does not exist (yet)";
  const std::string text = lupa::testing::read_file(doc);
  // A word of its own: "XP" must not be found only inside "XPA".
  auto mentions = [&](std::string_view word) {
    for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
      const bool starts = at == 0 || !std::isalnum(static_cast<unsigned char>(text[at - 1]));
      const std::size_t end = at + word.size();
      const bool ends = end == text.size() || !std::isalnum(static_cast<unsigned char>(text[end]));
      if (starts && ends) return true;
    }
    return false;
  };
  for (const Facet& facet : kFacets) {
    EXPECT_TRUE(mentions(facet.name)) << "docs/schema.md does not mention facet " << facet.name;
    EXPECT_TRUE(mentions(facet.prefix))
        << "docs/schema.md does not mention prefix " << facet.prefix;
  }
  EXPECT_TRUE(mentions(kFilePrefix)) << "docs/schema.md does not mention prefix " << kFilePrefix;
  EXPECT_TRUE(mentions(kIdPrefix)) << "docs/schema.md does not mention prefix " << kIdPrefix;
  EXPECT_TRUE(mentions(kStemPrefix)) << "docs/schema.md does not mention prefix " << kStemPrefix;
}

}  // namespace
}  // namespace lupa::schema
