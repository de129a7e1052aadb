#include "lupa/indexer/manifest.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace lupa::indexer {
namespace {

using lupa::testing::TempDir;

TEST(Manifest, CorpusManifestGivesFiveEntriesWithTheirPlans) {
  const auto entries = load_manifest(lupa::testing::corpus_dir() / kManifestFileName);
  ASSERT_EQ(entries.size(), 5u);
  using Plans = std::vector<std::string>;
  const std::pair<const char*, Plans> expected[] = {
      {"mx-2011-action-plan-es-en.txt", {"mx-2011-2013"}},
      {"mx-2012-self-assessment-report.txt", {"mx-2011-2013"}},
      {"mx-2015-balance-ogp-mexico.txt", {"mx-2013-2015"}},
      {"mx-2019-2021-action-plan-summary.txt", {"mx-2019-2021"}},
      {"mx-ogp-member-page.txt", {"mx-2011-2013", "mx-2013-2015", "mx-2016-2018", "mx-2019-2021"}}};
  for (const auto& [file, plans] : expected) {
    ASSERT_TRUE(entries.contains(file)) << file;
    EXPECT_EQ(entries.at(file).plans, plans) << file;
    EXPECT_EQ(entries.at(file).country, "mx") << file;
  }
  const DocumentMetadata& plan2011 = entries.at("mx-2011-action-plan-es-en.txt");
  EXPECT_EQ(plan2011.type, "action-plan");
  EXPECT_EQ(plan2011.languages, (std::vector<std::string>{"es", "en"}));
  EXPECT_EQ(plan2011.date, "2011-09-20");
  EXPECT_EQ(plan2011.year(), 2011);
  EXPECT_TRUE(plan2011.title.value_or("").starts_with("Alianza para el Gobierno Abierto"));
  EXPECT_TRUE(plan2011.source.has_value());
  EXPECT_EQ(entries.at("mx-2012-self-assessment-report.txt").type, "self-assessment");
  EXPECT_EQ(entries.at("mx-ogp-member-page.txt").date, "2021");
}

TEST(Manifest, AnyWellFormedPlanOfAMemberIsAccepted) {
  // Kenya has no row in plans.tsv: its plans are still plans.
  TempDir dir;
  const auto path = dir.write(
      "corpus/manifest.json",
      R"({"documents": [{"file": "ke.txt", "country": "ke", "plans": ["ke-2023-2027"]}]})");
  const auto entries = load_manifest(path);
  EXPECT_EQ(entries.at("ke.txt").plans, std::vector<std::string>{"ke-2023-2027"});
}

TEST(Manifest, OptionalFieldsMayBeMissingOrNull) {
  TempDir dir;
  const auto path = dir.write(
      "manifest.json",
      R"({"documents": [{"file": "a.txt"}, {"file": "b.txt", "title": null, "plans": null}]})");
  const auto entries = load_manifest(path);
  ASSERT_EQ(entries.size(), 2u);
  for (const char* file : {"a.txt", "b.txt"}) {
    const DocumentMetadata& entry = entries.at(file);
    EXPECT_FALSE(entry.title.has_value());
    EXPECT_TRUE(entry.plans.empty());
    EXPECT_FALSE(entry.type.has_value());
    EXPECT_TRUE(entry.languages.empty());
    EXPECT_FALSE(entry.date.has_value());
  }
}

TEST(Manifest, AcceptsEveryIsoDatePrecision) {
  TempDir dir;
  const auto path = dir.write("manifest.json", R"({"documents": [
      {"file": "y.txt", "date": "2019"}, {"file": "m.txt", "date": "2019-12"},
      {"file": "d.txt", "date": "2019-12-14"}]})");
  const auto entries = load_manifest(path);
  EXPECT_EQ(entries.at("y.txt").date, "2019");
  EXPECT_EQ(entries.at("m.txt").date, "2019-12");
  EXPECT_EQ(entries.at("d.txt").date, "2019-12-14");
}

// One manifest with one problem: what is reported, and what the indexer is left with.
struct ManifestCase {
  const char* name;
  std::string json;
  ManifestProblem::Severity severity;
  // Every one of these must be in the problem's description.
  std::vector<std::string> mentions;
  // What the entry of a.txt holds afterwards, printed as `described` prints it; "absent" when
  // the entry is ignored, "unreadable" when the whole manifest is.
  std::string left;
  friend void PrintTo(const ManifestCase& c, std::ostream* out) { *out << c.name; }
};

std::string described(const DocumentMetadata& entry) {
  std::string text = "country=" + entry.country.value_or("") + " plans=";
  for (const std::string& plan : entry.plans) text += plan + ",";
  text += " type=" + entry.type.value_or("") + " languages=";
  for (const std::string& language : entry.languages) text += language + ",";
  return text + " date=" + entry.date.value_or("") + " title=" + entry.title.value_or("");
}

class ManifestProblems : public ::testing::TestWithParam<ManifestCase> {};

TEST_P(ManifestProblems, AreReportedWithTheEntryAndFieldAndCostOnlyTheFieldOrEntry) {
  TempDir dir;
  const auto path = dir.write("corpus/manifest.json", GetParam().json);
  const Manifest manifest = read_manifest(path);
  ASSERT_EQ(manifest.problems.size(), 1u) << GetParam().name;
  const ManifestProblem& problem = manifest.problems.front();
  EXPECT_EQ(problem.severity, GetParam().severity);
  const std::string message = problem.describe();
  for (const std::string& part : GetParam().mentions)
    EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' not in: " << message;
  if (GetParam().left == "unreadable") {
    EXPECT_FALSE(manifest.readable);
    EXPECT_TRUE(manifest.entries.empty());
  } else if (GetParam().left == "absent") {
    EXPECT_TRUE(manifest.readable);
    EXPECT_FALSE(manifest.entries.contains("a.txt")) << message;
  } else {
    ASSERT_TRUE(manifest.entries.contains("a.txt")) << message;
    EXPECT_EQ(described(manifest.entries.at("a.txt")), GetParam().left);
  }
}

using Severity = ManifestProblem::Severity;

INSTANTIATE_TEST_SUITE_P(
    Manifests, ManifestProblems,
    ::testing::Values(
        ManifestCase{"invalid_json",
                     R"({"documents": [{"file": "a.txt",]})",
                     Severity::kError,
                     {"invalid JSON"},
                     "unreadable"},
        ManifestCase{
            "not_an_object", R"(["a.txt"])", Severity::kError, {"JSON object"}, "unreadable"},
        ManifestCase{"no_documents_list",
                     R"({"files": []})",
                     Severity::kError,
                     {"\"documents\""},
                     "unreadable"},
        ManifestCase{"entry_not_an_object",
                     R"({"documents": ["a.txt"]})",
                     Severity::kError,
                     {"documents[0]", "entry ignored"},
                     "absent"},
        ManifestCase{"missing_file",
                     R"({"documents": [{"title": "Sin archivo"}]})",
                     Severity::kError,
                     {"documents[0]", "\"file\"", "entry ignored"},
                     "absent"},
        ManifestCase{"empty_file",
                     R"({"documents": [{"file": ""}]})",
                     Severity::kError,
                     {"documents[0]", "\"file\""},
                     "absent"},
        // Well-formed values the data files do not know: kept, the operator knows better.
        ManifestCase{"plan_of_no_member",
                     R"({"documents": [{"file": "a.txt", "plans": ["zz-2020-2022"]}]})",
                     Severity::kWarning,
                     {"documents[0] (a.txt)", "plan 'zz-2020-2022'", "kept as given"},
                     "country= plans=zz-2020-2022, type= languages= date= title="},
        ManifestCase{"plan_of_years_no_plan_has",
                     R"({"documents": [{"file": "a.txt", "plans": ["ke-2011-2035"]}]})",
                     Severity::kWarning,
                     {"documents[0] (a.txt)", "plan 'ke-2011-2035'", "years"},
                     "country= plans=ke-2011-2035, type= languages= date= title="},
        ManifestCase{"plan_before_ogp",
                     R"({"documents": [{"file": "a.txt", "plans": ["mx-1999-2000"]}]})",
                     Severity::kWarning,
                     {"documents[0] (a.txt)", "plan 'mx-1999-2000'"},
                     "country= plans=mx-1999-2000, type= languages= date= title="},
        ManifestCase{"plan_of_a_local_member",
                     R"({"documents": [{"file": "a.txt", "plans": ["mx-jal-2019-2021"]}]})",
                     Severity::kWarning,
                     {"plan 'mx-jal-2019-2021'", "local member 'mx-jal'"},
                     "country= plans=mx-jal-2019-2021, type= languages= date= title="},
        ManifestCase{"country_not_listed",
                     R"({"documents": [{"file": "a.txt", "country": "zz", "title": "T"}]})",
                     Severity::kWarning,
                     {"documents[0] (a.txt)", "country 'zz'", "countries.tsv", "kept as given"},
                     "country=zz plans= type= languages= date= title=T"},
        ManifestCase{"unknown_field",
                     R"({"documents": [{"file": "a.txt", "titel": "T", "date": "2020"}]})",
                     Severity::kWarning,
                     {"documents[0] (a.txt)", "unknown field 'titel'"},
                     "country= plans= type= languages= date=2020 title="},
        // Malformed values: the field is ignored (inferred), the rest of the entry kept.
        ManifestCase{"malformed_plan",
                     R"({"documents": [{"file": "a.txt", "plans": ["mx-2011-2013", "zz-1999"]},
                                       {"file": "b.txt"}]})",
                     Severity::kError,
                     {"documents[0] (a.txt)", "plans 'zz-1999' is not", "ignored"},
                     "country= plans= type= languages= date= title="},
        ManifestCase{"unknown_type",
                     R"({"documents": [{"file": "a.txt", "type": "novel", "date": "2011"}]})",
                     Severity::kError,
                     {"documents[0] (a.txt)", "type 'novel'", "ignored"},
                     "country= plans= type= languages= date=2011 title="},
        ManifestCase{"country_in_capitals",
                     R"({"documents": [{"file": "a.txt", "country": "MX"}]})",
                     Severity::kError,
                     {"documents[0] (a.txt)", "country 'MX'", "lower-case"},
                     "country= plans= type= languages= date= title="},
        ManifestCase{"date_not_iso",
                     R"({"documents": [{"file": "a.txt", "date": "20/09/2011"}]})",
                     Severity::kError,
                     {"documents[0] (a.txt)", "date '20/09/2011'"},
                     "country= plans= type= languages= date= title="},
        ManifestCase{"unknown_report_stage",
                     R"({"documents": [{"file": "a.txt", "report_stage": "final"}]})",
                     Severity::kError,
                     {"documents[0] (a.txt)", "report_stage 'final'"},
                     "country= plans= type= languages= date= title="},
        ManifestCase{"month_thirteen",
                     R"({"documents": [{"file": "a.txt", "date": "2019-13"}]})",
                     Severity::kError,
                     {"date '2019-13'"},
                     "country= plans= type= languages= date= title="},
        ManifestCase{"unknown_language",
                     R"({"documents": [{"file": "a.txt", "languages": ["es", "fr"]}]})",
                     Severity::kError,
                     {"documents[0] (a.txt)", "languages 'fr'", "ignored"},
                     "country= plans= type= languages= date= title="},
        ManifestCase{"title_not_a_string",
                     R"({"documents": [{"file": "a.txt", "title": 7, "country": "mx"}]})",
                     Severity::kError,
                     {"documents[0] (a.txt)", "title must be a string"},
                     "country=mx plans= type= languages= date= title="},
        ManifestCase{"plans_not_a_list",
                     R"({"documents": [{"file": "a.txt", "plans": "mx-2011-2013"}]})",
                     Severity::kError,
                     {"documents[0] (a.txt)", "plans must be a list"},
                     "country= plans= type= languages= date= title="},
        ManifestCase{"a_bare_value", R"(5)", Severity::kError, {"invalid JSON"}, "unreadable"},
        ManifestCase{"documents_only_inside_another_field",
                     R"({"meta": {"documents": [{"file": "a.txt"}]}})",
                     Severity::kError,
                     {"\"documents\""},
                     "unreadable"},
        ManifestCase{"documents_given_again_not_as_a_list",
                     R"({"documents": [{"file": "a.txt"}], "documents": {"file": "a.txt"}})",
                     Severity::kError,
                     {"\"documents\""},
                     "unreadable"},
        ManifestCase{"title_an_object",
                     R"({"documents": [{"file": "a.txt", "title": {"es": "T"}, "date": "2019"}]})",
                     Severity::kError,
                     {"documents[0] (a.txt)", "title must be a string"},
                     "country= plans= type= languages= date=2019 title="},
        ManifestCase{"plans_a_list_of_lists",
                     R"({"documents": [{"file": "a.txt", "plans": [["mx-2011-2013"]]}]})",
                     Severity::kError,
                     {"documents[0] (a.txt)", "plans must be a list of strings"},
                     "country= plans= type= languages= date= title="},
        ManifestCase{"file_not_a_string",
                     R"({"documents": [{"file": ["a.txt"]}]})",
                     Severity::kError,
                     {"documents[0]", "\"file\"", "entry ignored"},
                     "absent"},
        ManifestCase{"language_not_a_string",
                     R"({"documents": [{"file": "a.txt", "languages": [1]}]})",
                     Severity::kError,
                     {"documents[0] (a.txt)", "languages must be a list of strings"},
                     "country= plans= type= languages= date= title="}),
    [](const ::testing::TestParamInfo<ManifestCase>& case_info) {
      return std::string(case_info.param.name);
    });

TEST(Manifest, AReportStageOfReportStagesTsvIsKept) {
  TempDir dir;
  const auto path =
      dir.write("manifest.json", R"({"documents": [{"file": "a.txt", "report_stage": "design"}]})");
  const Manifest manifest = read_manifest(path);
  EXPECT_TRUE(manifest.problems.empty());
  EXPECT_EQ(manifest.entries.at("a.txt").report_stage, "design");
}

TEST(Manifest, AFileListedTwiceKeepsItsFirstEntry) {
  TempDir dir;
  const auto path = dir.write("manifest.json", R"({"documents": [
      {"file": "a.txt", "date": "2011"}, {"file": "b.txt"}, {"file": "a.txt", "date": "2012"}]})");
  const Manifest manifest = read_manifest(path);
  ASSERT_EQ(manifest.problems.size(), 1u);
  EXPECT_EQ(manifest.problems[0].describe(),
            "documents[2] (a.txt): file 'a.txt' is listed twice (first as documents[0]); entry "
            "ignored");
  EXPECT_EQ(manifest.entries.at("a.txt").date, "2011");
  EXPECT_EQ(manifest.positions.at("b.txt"), 1u);
}

TEST(Manifest, AKeyGivenTwiceTakesItsLastValue) {
  // As a JSON object read into a map keeps it.
  TempDir dir;
  const auto path = dir.write("manifest.json", R"({"documents": [
      {"file": "a.txt", "date": "someday", "date": "2012", "plans": 3, "plans": ["mx-2011-2013"]}]})");
  const Manifest manifest = read_manifest(path);
  EXPECT_TRUE(manifest.problems.empty());
  EXPECT_EQ(manifest.entries.at("a.txt").date, "2012");
  EXPECT_EQ(manifest.entries.at("a.txt").plans, std::vector<std::string>{"mx-2011-2013"});
}

TEST(Manifest, TheLastDocumentsListIsTheOneRead) {
  TempDir dir;
  const auto path = dir.write("manifest.json", R"({"documents": [{"file": "a.txt", "date": "x"}],
      "format": "lupa-manifest/1", "documents": [{"file": "b.txt"}]})");
  const Manifest manifest = read_manifest(path);
  EXPECT_TRUE(manifest.problems.empty());  // nor the problems of the first
  ASSERT_EQ(manifest.entries.size(), 1u);
  EXPECT_EQ(manifest.positions.at("b.txt"), 0u);
}

TEST(Manifest, UnknownFieldsAreReportedInNameOrderEachOnce) {
  TempDir dir;
  const auto path = dir.write("manifest.json", R"({"documents": [
      {"zeta": 1, "file": "a.txt", "alpha": [{"file": "b.txt"}], "zeta": 2}, "a.txt"]})");
  const Manifest manifest = read_manifest(path);
  std::vector<std::string> described;
  for (const ManifestProblem& problem : manifest.problems) described.push_back(problem.describe());
  EXPECT_EQ(described,
            (std::vector<std::string>{
                "documents[0] (a.txt): unknown field 'alpha'; ignored (docs/corpus-manifest.md "
                "lists them)",
                "documents[0] (a.txt): unknown field 'zeta'; ignored (docs/corpus-manifest.md "
                "lists them)",
                "documents[1]: not an object {\"file\": ...}; entry ignored"}));
  EXPECT_EQ(manifest.entries.size(), 1u);  // nothing from inside the unknown field
}

TEST(Manifest, PlansAndDatesAreCheckedCharacterByCharacter) {
  TempDir dir;
  const auto path = dir.write("manifest.json", R"({"documents": [
      {"file": "a.txt", "plans": ["br-sp-sao-paulo-2019-2021", "mx-2019-2021-2022-2023"],
       "date": "2020-02-29"},
      {"file": "b.txt", "plans": ["mx--2019-2021"]}, {"file": "c.txt", "plans": ["mx-jal-2019-202"]},
      {"file": "d.txt", "plans": ["Mx-2019-2021"]}, {"file": "e.txt", "plans": ["mx-ja_l-2019-2021"]},
      {"file": "f.txt", "date": "2019-02-29"}, {"file": "g.txt", "date": "2019-1-01"},
      {"file": "h.txt", "date": "2019-12-1x"}]})");
  const Manifest manifest = read_manifest(path);
  std::vector<std::string> at_fault;
  for (const ManifestProblem& problem : manifest.problems)
    if (problem.is_error()) at_fault.push_back(problem.file + " " + problem.field);
  EXPECT_EQ(at_fault,
            (std::vector<std::string>{"b.txt plans", "c.txt plans", "d.txt plans", "e.txt plans",
                                      "f.txt date", "g.txt date", "h.txt date"}));
  EXPECT_EQ(manifest.entries.at("a.txt").plans.size(), 2u);
  EXPECT_EQ(manifest.entries.at("a.txt").date, "2020-02-29");
}

TEST(Manifest, EveryProblemIsReportedInOneReadEachNamingItsEntryAndField) {
  TempDir dir;
  const auto path = dir.write("manifest.json", R"({"documents": [
      {"file": "ke.txt", "country": "zz", "plans": ["zz-2020-2022"]},
      {"file": "mx.txt", "country": "mx", "date": "20/09/2011", "type": "novel"}]})");
  const Manifest manifest = read_manifest(path);
  std::vector<std::string> described;
  for (const ManifestProblem& problem : manifest.problems)
    described.push_back(std::string(problem.is_error() ? "error: " : "warning: ") +
                        problem.describe());
  EXPECT_EQ(described,
            (std::vector<std::string>{
                "warning: documents[0] (ke.txt): country 'zz' is not in countries.tsv; kept as "
                "given",
                "warning: documents[0] (ke.txt): plan 'zz-2020-2022' is of 'zz', which "
                "countries.tsv does not list; kept as given",
                "error: documents[1] (mx.txt): type 'novel' is not in document-types.tsv; "
                "ignored, inferred from the content instead",
                "error: documents[1] (mx.txt): date '20/09/2011' is not YYYY, YYYY-MM or "
                "YYYY-MM-DD; ignored, inferred from the content instead"}));
  EXPECT_TRUE(manifest.has_errors());
  EXPECT_EQ(manifest.entries.at("mx.txt").country, "mx");  // what was right is kept
  EXPECT_EQ(manifest.entries.at("ke.txt").plans, std::vector<std::string>{"zz-2020-2022"});
}

TEST(Manifest, LoadManifestRefusesAManifestWithErrorsListingEachOne) {
  TempDir dir;
  const auto path = dir.write("manifest.json", R"({"documents": [
      {"file": "a.txt", "date": "someday"}, {"file": "b.txt", "type": "novel"}]})");
  try {
    load_manifest(path);
    FAIL() << "no ManifestError";
  } catch (const ManifestError& error) {
    EXPECT_EQ(std::string(error.what()),
              path.string() +
                  ": documents[0] (a.txt): date 'someday' is not YYYY, YYYY-MM or YYYY-MM-DD; "
                  "ignored, inferred from the content instead\n" +
                  path.string() +
                  ": documents[1] (b.txt): type 'novel' is not in document-types.tsv; ignored, "
                  "inferred from the content instead");
  }
}

TEST(Manifest, LoadManifestAcceptsWarnings) {
  TempDir dir;
  const auto path = dir.write("manifest.json",
                              R"({"documents": [{"file": "a.txt", "plans": ["zz-2020-2022"]}]})");
  EXPECT_EQ(load_manifest(path).at("a.txt").plans, std::vector<std::string>{"zz-2020-2022"});
}

TEST(Manifest, AMissingManifestIsUnreadable) {
  TempDir dir;
  const Manifest manifest = read_manifest(dir / "manifest.json");
  EXPECT_FALSE(manifest.readable);
  ASSERT_EQ(manifest.problems.size(), 1u);
  EXPECT_EQ(manifest.problems[0].describe(), "cannot be read");
}

TEST(Manifest, MissingFileIsAManifestErrorNamingIt) {
  TempDir dir;
  const auto path = dir / "manifest.json";
  try {
    load_manifest(path);
    FAIL() << "no ManifestError";
  } catch (const ManifestError& error) {
    EXPECT_NE(std::string(error.what()).find(path.string()), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace lupa::indexer
