// Questions about a government body: which body, what topic is left, and how the ranking
// signal orders its passages.
#include "lupa/analyzers/agency_question.h"

#include <gtest/gtest.h>

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "lupa/analyzers/passage_record.h"
#include "lupa/analyzers/schema.h"

namespace lupa::analyzers {
namespace {

// An index that holds nothing: shared names go to the first row (in file order).
Xapian::doccount no_passages(const std::string&) {
  return 0;
}

struct QuestionCase {
  std::string text;
  std::string agency;
  std::string topic;
  friend void PrintTo(const QuestionCase& c, std::ostream* out) { *out << '"' << c.text << '"'; }
};

class AgencyQuestions : public ::testing::TestWithParam<QuestionCase> {};

TEST_P(AgencyQuestions, NameTheBodyAndKeepOnlyTheTopic) {
  const QuestionCase& c = GetParam();
  const auto question = read_agency_question(c.text, no_passages);
  ASSERT_TRUE(question);
  ASSERT_FALSE(question->agencies.empty());
  EXPECT_EQ(question->agencies.front(), c.agency);
  EXPECT_EQ(question->topic, c.topic);
  EXPECT_TRUE(question->plain);
}

INSTANTIATE_TEST_SUITE_P(
    BothLanguages, AgencyQuestions,
    ::testing::Values(
        // Spanish framing, acronyms, full names, short forms, old names.
        QuestionCase{"compromisos del INAI", "mx-inai", ""},
        QuestionCase{"Secretaría de Gobernación compromisos", "mx-segob", ""},
        QuestionCase{"obligaciones de la Secretaría de la Función Pública", "mx-sfp", ""},
        QuestionCase{"qué se comprometió la SFP", "mx-sfp", ""},
        QuestionCase{"¿Qué se comprometió la SFP?", "mx-sfp", ""},
        QuestionCase{"la Función Pública", "mx-sfp", ""},
        QuestionCase{"compromisos del IFAI", "mx-inai", ""},
        QuestionCase{"SECRETARIA DE LA FUNCION PUBLICA compromisos", "mx-sfp", ""},
        QuestionCase{"INAI datos personales", "mx-inai", "datos personales"},
        QuestionCase{"qué hizo la SFP en contrataciones abiertas", "mx-sfp",
                     "contrataciones abiertas"},
        // English framing.
        QuestionCase{"what did the Ministry of Finance promise", "mx-shcp", ""},
        QuestionCase{"commitments of the Ministry of the Interior", "mx-segob", ""},
        QuestionCase{"what has the South African National Treasury done", "za-treasury", ""},
        QuestionCase{"National Treasury South Africa commitments", "za-treasury", ""},
        // A country in the query scopes a name many countries' bodies share, and goes too.
        QuestionCase{"Kenya Ministry of Finance commitments", "ke-treasury", ""},
        QuestionCase{"what did the Ministry of Finance of Ghana promise", "gh-mof", ""},
        QuestionCase{"compromisos del Ministerio de Hacienda de Chile", "cl-hacienda", ""},
        QuestionCase{"Ministerio de Hacienda España contratación", "es-hacienda", "contratación"}));

TEST(AgencyQuestion, AQueryNamingNoBodyIsNoQuestion) {
  EXPECT_FALSE(read_agency_question("transparencia presupuestaria", no_passages));
  EXPECT_FALSE(read_agency_question("what did Mexico promise on open data", no_passages));
  // "Función Pública" is a name only when capitalised; in lower case it is a topic.
  EXPECT_FALSE(read_agency_question("la función pública", no_passages));
}

TEST(AgencyQuestion, AmbiguousNameWithoutCountryMeansTheBodyTheIndexHoldsMostAbout) {
  const std::map<std::string, Xapian::doccount> counts{{"gh-mof", 40}, {"mx-shcp", 3}};
  const auto question =
      read_agency_question("Ministry of Finance commitments", [&](const std::string& id) {
        const auto found = counts.find(id);
        return found == counts.end() ? Xapian::doccount{0} : found->second;
      });
  ASSERT_TRUE(question);
  EXPECT_EQ(question->agencies, std::vector<std::string>{"gh-mof"});
}

TEST(AgencyQuestion, QuerySyntaxIsKeptWhole) {
  const auto question = read_agency_question("\"datos personales\" INAI", no_passages);
  ASSERT_TRUE(question);
  EXPECT_EQ(question->agencies, std::vector<std::string>{"mx-inai"});
  EXPECT_FALSE(question->plain);
  EXPECT_FALSE(read_agency_question("INAI -datos", no_passages)->plain);
}

TEST(AgencyQuestion, EveryBodyNamedIsKeptInOrder) {
  const auto question = read_agency_question("SFP y SHCP compromisos", no_passages);
  ASSERT_TRUE(question);
  EXPECT_EQ(question->agencies, (std::vector<std::string>{"mx-sfp", "mx-shcp"}));
}

// The counted-values slot of a passage with these facet values.
std::string slot(const std::map<std::string, std::vector<std::string>>& values) {
  schema::FacetValuesEncoder encoder;
  for (const auto& [name, list] : values)
    for (const std::string& value : list)
      encoder.add(schema::facet_index(*schema::find_facet(name)), value);
  return encoder.slot();
}

double weight(const std::map<std::string, std::vector<std::string>>& values) {
  return agency_signal_weight(slot(values), {"mx-sfp"}, schema::standard_facets());
}

TEST(AgencySignal, LeadAboveSupportingAboveNamedAndCommitmentsAboveOtherPassages) {
  const double lead =
      weight({{"agency", {"mx-sfp"}}, {"responsible", {"mx-sfp"}}, {"kind", {"commitment"}}});
  const double supporting = weight({{"agency", {"mx-sfp", "mx-shcp"}},
                                    {"responsible", {"mx-shcp"}},
                                    {"supporting", {"mx-sfp"}},
                                    {"kind", {"commitment"}}});
  const double named_commitment = weight({{"agency", {"mx-sfp"}}, {"kind", {"commitment"}}});
  const double named_paragraph = weight({{"agency", {"mx-sfp"}}, {"kind", {"paragraph"}}});
  const double other_body = weight({{"agency", {"mx-shcp"}}, {"kind", {"commitment"}}});
  EXPECT_GT(lead, supporting);
  EXPECT_GT(supporting, named_commitment);
  EXPECT_GT(named_commitment, named_paragraph);
  EXPECT_GT(named_paragraph, 0);
  EXPECT_EQ(other_body, 0);
}

TEST(AgencySignal, APassageListingManyBodiesWeighsLessThanOneAboutTheBody) {
  std::vector<std::string> directory{"mx-sfp"};
  for (const char* other : {"mx-shcp", "mx-segob", "mx-inai", "mx-sre", "mx-sep", "mx-ssa",
                            "mx-sener", "mx-semarnat", "mx-sedena", "mx-semar", "mx-stps"})
    directory.emplace_back(other);
  const double listed = weight({{"agency", directory}, {"kind", {"paragraph"}}});
  const double about = weight({{"agency", {"mx-sfp", "mx-shcp"}}, {"kind", {"paragraph"}}});
  EXPECT_LT(listed, about / 2);
  EXPECT_GT(listed, 0);
}

}  // namespace
}  // namespace lupa::analyzers
