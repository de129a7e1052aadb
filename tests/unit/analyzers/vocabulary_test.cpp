// The vocabularies as shipped (analyzers/data/*.tsv): the names users and documents write.
#include "lupa/analyzers/vocabulary.h"

#include <gtest/gtest.h>

#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "lupa/analyzers/reference_data.h"
#include "lupa/analyzers/text_normalizer.h"

namespace lupa::analyzers {
namespace {

using Ids = std::vector<std::string>;

const Vocabulary& agencies() {
  return ReferenceData::instance().agencies();
}
const Vocabulary& organizations() {
  return ReferenceData::instance().organizations();
}
const Vocabulary& challenges() {
  return ReferenceData::instance().challenges();
}
const Vocabulary& themes() {
  return ReferenceData::instance().themes();
}

struct FindInCase {
  std::string text;
  Ids agencies;
  friend void PrintTo(const FindInCase& c, std::ostream* out) { *out << '"' << c.text << '"'; }
};

class AgenciesFindIn : public ::testing::TestWithParam<FindInCase> {};

TEST_P(AgenciesFindIn, NamesTheBodiesATextMentions) {
  EXPECT_EQ(agencies().find_in(GetParam().text), GetParam().agencies) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Texts, AgenciesFindIn,
    ::testing::Values(
        // Acronyms match as written: "SEP" is the ministry, "sep" and "Sep" the month.
        FindInCase{"La SEP publicará los datos", {"mx-sep"}},
        FindInCase{"el 30 de sep de 2019", {}}, FindInCase{"Sep. 2019", {}},
        FindInCase{"(SFP)", {"mx-sfp"}}, FindInCase{"la sfp", {}},
        // A ^ alias is a name only when written as listed.
        FindInCase{"la Función Pública coordinará", {"mx-sfp"}},
        FindInCase{"la función pública coordinará", {}},
        // Names are case- and accent-insensitive.
        FindInCase{"Secretaría de la Función Pública", {"mx-sfp"}},
        FindInCase{"SECRETARIA DE LA FUNCION PUBLICA", {"mx-sfp"}},
        FindInCase{"the Ministry of Public Administration", {"mx-sfp"}},
        // Old names and acronyms of renamed bodies give today's id.
        FindInCase{"Procuraduría General de la República (PGR)", {"mx-fgr"}},
        FindInCase{"el IFAI", {"mx-inai"}},
        // The longest name wins: "Secretaría de Hacienda" is inside the full name.
        FindInCase{"Secretaría de Hacienda y Crédito Público", {"mx-shcp"}},
        // Every body once, in order of first mention.
        FindInCase{"SHCP, SFP y la Secretaría de Hacienda y Crédito Público",
                   {"mx-shcp", "mx-sfp"}},
        // Bodies of other countries too.
        FindInCase{"el Consejo para la Transparencia (CPLT) de Chile", {"cl-cplt"}},
        FindInCase{"", {}}));

TEST(Vocabulary, OrganizationsWithCommonWordNamesMatchOnlyCapitalised) {
  EXPECT_EQ(organizations().find_in("Organización: Fundar"), (Ids{"org-fundar"}));
  EXPECT_EQ(organizations().find_in("FUNDAR"), (Ids{"org-fundar"}));
  EXPECT_EQ(organizations().find_in("fundar una nueva institución"), (Ids{}));
  EXPECT_EQ(organizations().find_in("Fundar, Centro de Análisis e Investigación"),
            (Ids{"org-fundar"}));
}

TEST(Vocabulary, ChallengesAndThemesMatchTheirPhrasesInEitherLanguage) {
  EXPECT_EQ(challenges().find_in("Aumentar la integridad pública"), (Ids{"public-integrity"}));
  EXPECT_EQ(challenges().find_in("INCREASING PUBLIC INTEGRITY"), (Ids{"public-integrity"}));
  EXPECT_EQ(challenges().find_in("Mejora de los servicios públicos"), (Ids{"public-services"}));
  EXPECT_EQ(themes().find_in("Transparencia presupuestaria y compras públicas"),
            (Ids{"fiscal-openness", "open-contracting"}));
  EXPECT_EQ(themes().find_in("el gobierno publicó información"), (Ids{}))
      << "words every OGP text uses name no policy area";
}

struct ResolveCase {
  const Vocabulary& (*vocabulary)();
  std::string value;
  const char* id;  // nullptr: resolves to nothing
  friend void PrintTo(const ResolveCase& c, std::ostream* out) { *out << '"' << c.value << '"'; }
};

class Resolve : public ::testing::TestWithParam<ResolveCase> {};

TEST_P(Resolve, ReadsAValueAUserOrATableCellWrites) {
  const VocabularyEntry* entry = GetParam().vocabulary().resolve(GetParam().value);
  if (!GetParam().id) {
    EXPECT_EQ(entry, nullptr) << GetParam().value << " resolved to " << entry->id;
    return;
  }
  ASSERT_NE(entry, nullptr) << GetParam().value;
  EXPECT_EQ(entry->id, GetParam().id) << GetParam().value;
}

INSTANTIATE_TEST_SUITE_P(
    Values, Resolve,
    ::testing::Values(
        // By id.
        ResolveCase{agencies, "mx-sfp", "mx-sfp"}, ResolveCase{agencies, "MX-SFP", "mx-sfp"},
        // By acronym, in any case (a user typing a filter is not held to capitals).
        ResolveCase{agencies, "SFP", "mx-sfp"}, ResolveCase{agencies, "sfp", "mx-sfp"},
        ResolveCase{agencies, "Sfp", "mx-sfp"}, ResolveCase{agencies, "sep", "mx-sep"},
        ResolveCase{agencies, "secodam", "mx-sfp"}, ResolveCase{agencies, "pgr", "mx-fgr"},
        // By name or alias, with or without accents.
        ResolveCase{agencies, "Secretaría de la Función Pública", "mx-sfp"},
        ResolveCase{agencies, "secretaria de la funcion publica", "mx-sfp"},
        ResolveCase{agencies, "función pública", "mx-sfp"},
        ResolveCase{agencies, "Ministry of Public Administration", "mx-sfp"},
        ResolveCase{organizations, "fundar", "org-fundar"},
        ResolveCase{challenges, "public integrity", "public-integrity"},
        ResolveCase{challenges, "Increasing public integrity", "public-integrity"},
        ResolveCase{challenges, "integridad publica", "public-integrity"},
        ResolveCase{themes, "Fiscal Openness", "fiscal-openness"},
        ResolveCase{themes, "open-data", "open-data"},
        // Part of a name, or a name with more words, is not the name.
        ResolveCase{agencies, "Secretaría de la", nullptr},
        ResolveCase{agencies, "la SFP", nullptr},
        ResolveCase{agencies, "Ministry of Magic", nullptr}, ResolveCase{agencies, "", nullptr},
        ResolveCase{challenges, "integrity", nullptr}));

TEST(Vocabulary, FindByIdOnly) {
  ASSERT_NE(agencies().find("mx-sfp"), nullptr);
  EXPECT_EQ(agencies().find("SFP"), nullptr) << "find takes ids; resolve reads names";
  EXPECT_EQ(agencies().find(""), nullptr);
}

TEST(Vocabulary, BodiesAreLabelledWithTheirFirstAcronym) {
  const VocabularyEntry* sfp = agencies().find("mx-sfp");
  ASSERT_NE(sfp, nullptr);
  EXPECT_EQ(sfp->label.es, "Secretaría de la Función Pública (SFP)");
  EXPECT_EQ(sfp->label.en, "Ministry of Public Administration (SFP)");
  EXPECT_EQ(sfp->country, "mx");
  EXPECT_EQ(sfp->acronyms, (std::vector<std::string>{"SFP", "SABG", "SECODAM"}));
  // Without an acronym, the name alone.
  const VocabularyEntry* fundar = organizations().find("org-fundar");
  ASSERT_NE(fundar, nullptr);
  EXPECT_EQ(fundar->label.es, "Fundar, Centro de Análisis e Investigación");
}

TEST(Vocabulary, ChallengesCarryOgpsNumbers) {
  const std::pair<const char*, int> expected[] = {{"public-services", 1},
                                                  {"public-integrity", 2},
                                                  {"public-resources", 3},
                                                  {"safer-communities", 4},
                                                  {"corporate-accountability", 5}};
  for (const auto& [id, number] : expected) {
    const VocabularyEntry* entry = challenges().find(id);
    ASSERT_NE(entry, nullptr) << id;
    EXPECT_EQ(entry->number, number) << id;
  }
}

// What `text` names in a document of `country`.
Ids found_in(const Vocabulary& vocabulary, const std::string& text, const std::string& country) {
  const auto words = segment_words_keeping_case(text);
  const auto folded = PhraseMatcher::fold_words(words);
  return vocabulary.find_in(words, folded, {country, nullptr});
}

TEST(Vocabulary, EveryAcronymAndNameNamesItsOwnEntryInItsCountry) {
  // agencies.tsv: "within one country, every acronym, name and alias belongs to one id only".
  for (const Vocabulary* vocabulary : {&agencies(), &organizations()}) {
    for (const VocabularyEntry& entry : vocabulary->entries()) {
      for (const std::string& acronym : entry.acronyms)
        EXPECT_EQ(found_in(*vocabulary, acronym, entry.country), (Ids{entry.id})) << acronym;
      for (const std::string* name : {&entry.label.es, &entry.label.en}) {
        const Ids found = found_in(*vocabulary, *name, entry.country);
        ASSERT_FALSE(found.empty()) << *name;
        EXPECT_EQ(found.front(), entry.id) << *name;
      }
    }
  }
}

TEST(Vocabulary, ABodyIsNamedOnlyInItsCountryOrNextToItsCountrysName) {
  // Spain's and Mexico's finance ministries share words; Costa Rica's and Mexico's women's
  // institutes share a name.
  EXPECT_EQ(found_in(agencies(), "Ministerio de Hacienda y Función Pública", "es"),
            (Ids{"es-hacienda"}));
  EXPECT_EQ(found_in(agencies(), "Instituto Nacional de las Mujeres", "cr"), (Ids{"cr-inamu"}));
  EXPECT_EQ(found_in(agencies(), "Instituto Nacional de las Mujeres", "mx"), (Ids{"mx-inmujeres"}));
  EXPECT_EQ(found_in(agencies(), "la SFP y la SEP", "ke"), Ids{}) << "Mexican acronyms";

  // A Kenyan text that cites Mexico's ministry by its full name, next to "Mexico".
  const std::string text =
      "Kenya learnt from Mexico, where the Secretaría de la Función Pública "
      "ran a similar register; the SFP also ...";
  const auto words = segment_words_keeping_case(text);
  const auto folded = PhraseMatcher::fold_words(words);
  const auto mentions = ReferenceData::instance().country_mentions(words, folded);
  EXPECT_EQ(agencies().find_in(words, folded, {"ke", &mentions}), (Ids{"mx-sfp"}))
      << "the full name near Mexico's, not the bare acronym";
}

TEST(Vocabulary, LoadingTheSameFileGivesTheSameVocabulary) {
  const Vocabulary loaded = Vocabulary::load_bodies("agencies.tsv");
  ASSERT_EQ(loaded.entries().size(), agencies().entries().size());
  EXPECT_EQ(loaded.find_in("la SFP y la SEP"), (Ids{"mx-sfp", "mx-sep"}));
  const Vocabulary phrases = Vocabulary::load_phrases("challenges.tsv", true);
  EXPECT_EQ(phrases.entries().size(), 5u);
  EXPECT_THROW(Vocabulary::load_bodies("no-such-file.tsv"), std::logic_error);
}

}  // namespace
}  // namespace lupa::analyzers
