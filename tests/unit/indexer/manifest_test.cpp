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

struct BadManifest {
  const char* name;
  std::string json;
  // Every one of these must be in the message, besides the manifest's path.
  std::vector<std::string> mentions;
  friend void PrintTo(const BadManifest& c, std::ostream* out) { *out << c.name; }
};

class ManifestErrors : public ::testing::TestWithParam<BadManifest> {};

TEST_P(ManifestErrors, NameTheFileTheEntryAndTheField) {
  TempDir dir;
  const auto path = dir.write("corpus/manifest.json", GetParam().json);
  try {
    load_manifest(path);
    FAIL() << "no ManifestError for " << GetParam().name;
  } catch (const ManifestError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    for (const std::string& part : GetParam().mentions)
      EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' not in: " << message;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Manifests, ManifestErrors,
    ::testing::Values(
        BadManifest{"invalid_json", R"({"documents": [{"file": "a.txt",]})", {"invalid JSON"}},
        BadManifest{"not_an_object", R"(["a.txt"])", {"JSON object"}},
        BadManifest{"no_documents_list", R"({"files": []})", {"\"documents\""}},
        BadManifest{"entry_not_an_object", R"({"documents": ["a.txt"]})", {"documents[0]"}},
        BadManifest{"unknown_plan",
                    R"({"documents": [{"file": "a.txt", "plans": ["mx-2011-2013"]},
                                      {"file": "b.txt", "plans": ["mx-1999-2000"]}]})",
                    {"documents[1]", "b.txt", "plan", "'mx-1999-2000'"}},
        BadManifest{"plan_of_no_member",
                    R"({"documents": [{"file": "a.txt", "plans": ["zz-2020-2022"]}]})",
                    {"documents[0]", "a.txt", "plan", "'zz-2020-2022'"}},
        BadManifest{"unknown_type",
                    R"({"documents": [{"file": "a.txt", "type": "novel"}]})",
                    {"documents[0]", "a.txt", "type", "'novel'"}},
        BadManifest{"unknown_country",
                    R"({"documents": [{"file": "a.txt", "country": "MX"}]})",
                    {"documents[0]", "a.txt", "country", "'MX'"}},
        BadManifest{"bad_date",
                    R"({"documents": [{"file": "a.txt", "date": "20/09/2011"}]})",
                    {"documents[0]", "a.txt", "date", "'20/09/2011'"}},
        BadManifest{"unknown_language",
                    R"({"documents": [{"file": "a.txt", "languages": ["es", "fr"]}]})",
                    {"documents[0]", "a.txt", "'fr'"}},
        BadManifest{"duplicate_file",
                    R"({"documents": [{"file": "a.txt"}, {"file": "b.txt"}, {"file": "a.txt"}]})",
                    {"documents[2]", "'a.txt'", "twice"}},
        BadManifest{"missing_file",
                    R"({"documents": [{"title": "Sin archivo"}]})",
                    {"documents[0]", "\"file\""}},
        BadManifest{"empty_file", R"({"documents": [{"file": ""}]})", {"documents[0]", "\"file\""}},
        BadManifest{"title_not_a_string",
                    R"({"documents": [{"file": "a.txt", "title": 7}]})",
                    {"documents[0]", "a.txt", "'title'", "string"}},
        BadManifest{"plans_not_a_list",
                    R"({"documents": [{"file": "a.txt", "plans": "mx-2011-2013"}]})",
                    {"documents[0]", "a.txt", "'plans'", "list"}},
        BadManifest{"language_not_a_string",
                    R"({"documents": [{"file": "a.txt", "languages": [1]}]})",
                    {"documents[0]", "a.txt", "'languages'"}}),
    [](const ::testing::TestParamInfo<BadManifest>& case_info) {
      return std::string(case_info.param.name);
    });

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
