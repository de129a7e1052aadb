// End to end: what an operator adds without rebuilding. Rows of a data folder (--data-dir,
// LUPA_DATA_DIR) used by the real lupa-indexer and lupa-searchd; manifests that are wrong in
// places, reported in full and costing only what is wrong; names of institutions the data
// files do not know, stored in the index and shown by the real daemon as labels.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "lupa/indexer/document_builder.h"
#include "lupa/indexer/index_writer.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/search_api.h"
#include "support/temp_dir.h"

namespace lupa::testing {
namespace {

namespace fs = std::filesystem;

// A Kenyan action plan naming a body agencies.tsv does not list: the Kenya Space Agency.
constexpr const char* kKenyanPlan =
    "Kenya Open Government National Action Plan 2023-2027\n\n"
    "1. The Kenya Space Agency (KSA) will publish the satellite imagery of land use so that "
    "citizens can monitor deforestation in their counties.\n";

constexpr const char* kKenyanManifest = R"({"documents": [{"file": "ke.txt", "country": "ke",
    "plans": ["ke-2023-2027"], "type": "action-plan", "languages": ["en"]}]})";

constexpr const char* kAgencyRow =
    "ke-ksa\tke\tKSA\tAgencia Espacial de Kenia\tKenya Space Agency\t\n";
constexpr const char* kPlanRow =
    "ke-2023-2027\tke\t5\t2023\t2027\tKenya 2023-2027 (fifth action plan)\t"
    "Kenia 2023-2027 (quinto plan de acción)\n";

// value -> {label, label_es} of one facet of a search answer.
std::map<std::string, std::pair<std::string, std::string>> facet_labels(
    const Poco::JSON::Object::Ptr& result, const std::string& facet) {
  std::map<std::string, std::pair<std::string, std::string>> labels;
  const auto values = result->getObject("facets")->getArray(facet);
  for (unsigned i = 0; values && i < values->size(); ++i) {
    const auto value = values->getObject(i);
    labels[value->getValue<std::string>("value")] = {value->getValue<std::string>("label"),
                                                     value->getValue<std::string>("label_es")};
  }
  return labels;
}

// The daemon's log once it holds `text`, or after two seconds (its stderr is read apart).
std::string log_with(const SearchDaemon& daemon, const std::string& text) {
  for (int i = 0; i < 40 && daemon.log().find(text) == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  return daemon.log();
}

class OperatorDataE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    corpus_ = dir_.path() / "docs";
    data_ = dir_.path() / "data";
    database_ = dir_.path() / "index";
    fs::create_directories(data_);
  }

  RunResult index(const std::vector<std::string>& extra,
                  const std::map<std::string, std::string>& environment = {}) {
    std::vector<std::string> arguments{"--db", database_.string(), "--quiet"};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    arguments.push_back(corpus_.string());
    return run_program(program("lupa-indexer"), arguments, environment);
  }

  TempDir dir_;
  fs::path corpus_;
  fs::path data_;
  fs::path database_;
};

TEST_F(OperatorDataE2E, AnAgencyAndAPlanAddedInADataFolderAreUsedWithoutRebuilding) {
  dir_.write("docs/ke.txt", kKenyanPlan);
  dir_.write("docs/manifest.json", kKenyanManifest);
  dir_.write("data/agencies.tsv", std::string("# Kenyan bodies\n") + kAgencyRow);
  dir_.write("data/plans.tsv", kPlanRow);

  const RunResult run = index({"--data-dir", data_.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("data files: built in; from " + data_.string() +
                         ": agencies.tsv (+1 row), plans.tsv (+1 row)\n"),
            std::string::npos)
      << run.out;

  SearchDaemon daemon(database_, {"--data-dir", data_.string()});
  const auto result = http_get(daemon.port(), "/api/search?q=satellite").json();
  ASSERT_EQ(result->getValue<int>("total"), 1);
  EXPECT_EQ(string_list(hit(result, 0), "agencies"), std::vector<std::string>{"ke-ksa"});
  const auto agencies = facet_labels(result, "agency");
  ASSERT_TRUE(agencies.contains("ke-ksa"));
  EXPECT_EQ(agencies.at("ke-ksa").first, "Kenya Space Agency (KSA)");
  EXPECT_EQ(agencies.at("ke-ksa").second, "Agencia Espacial de Kenia (KSA)");
  const auto plans = facet_labels(result, "plan");
  ASSERT_TRUE(plans.contains("ke-2023-2027"));
  EXPECT_EQ(plans.at("ke-2023-2027").first, "Kenya 2023-2027 (fifth action plan)");
  EXPECT_EQ(plans.at("ke-2023-2027").second, "Kenia 2023-2027 (quinto plan de acción)");
  // A filter names the new agency by its acronym as by its id.
  EXPECT_EQ(
      http_get(daemon.port(), "/api/search?q=satellite&agency=KSA").json()->getValue<int>("total"),
      1);
  EXPECT_NE(log_with(daemon, "data files:")
                .find("data files: built in; from " + data_.string() +
                      ": agencies.tsv (+1 row), plans.tsv (+1 row)"),
            std::string::npos)
      << daemon.log();
}

TEST_F(OperatorDataE2E, WithoutTheFolderTheAgencyIsUnknownAndRowsAddedLaterReindex) {
  dir_.write("docs/ke.txt", kKenyanPlan);
  dir_.write("docs/manifest.json", kKenyanManifest);
  const RunResult run = index({});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("data files: built in\n"), std::string::npos) << run.out;
  SearchDaemon daemon(database_);
  const auto before = http_get(daemon.port(), "/api/search?q=satellite").json();
  ASSERT_EQ(before->getValue<int>("total"), 1);
  EXPECT_FALSE(facet_labels(before, "agency").contains("ke-ksa"));
  EXPECT_EQ(facet_labels(before, "plan").at("ke-2023-2027").first, "Kenya 2023-2027 (action plan)");

  // The document did not change, the rows it is read with did: it is indexed again.
  dir_.write("data/agencies.tsv", kAgencyRow);
  const RunResult again = index({"--data-dir", data_.string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("1 files (1 indexed, 0 unchanged"), std::string::npos) << again.out;
  const auto after = http_get(daemon.port(), "/api/search?q=satellite").json();
  EXPECT_TRUE(facet_labels(after, "agency").contains("ke-ksa"));
}

TEST_F(OperatorDataE2E, TheEnvironmentNamesTheFolderAndTheOptionWins) {
  dir_.write("docs/ke.txt", kKenyanPlan);
  dir_.write("data/agencies.tsv", kAgencyRow);
  const RunResult from_environment = index({}, {{"LUPA_DATA_DIR", data_.string()}});
  ASSERT_EQ(from_environment.exit_code, 0) << from_environment.err;
  EXPECT_NE(from_environment.out.find("from " + data_.string() + ": agencies.tsv (+1 row)"),
            std::string::npos)
      << from_environment.out;
  const RunResult option_wins = index({"--data-dir", data_.string()},
                                      {{"LUPA_DATA_DIR", (dir_.path() / "nowhere").string()}});
  EXPECT_EQ(option_wins.exit_code, 0) << option_wins.err;
}

TEST_F(OperatorDataE2E, ABadRowStopsTheIndexerAndTheDaemonNamingFileAndLine) {
  dir_.write("docs/ke.txt", kKenyanPlan);
  ASSERT_EQ(index({}).exit_code, 0);
  dir_.write("data/plans.tsv", "# Kenya\n\nke-2023-2027\tke\t5\t2023\t2027\n");
  const std::string expected = "lupa-indexer: " + (data_ / "plans.tsv").string() +
                               ": line 3: 5 tab-separated columns, plans.tsv rows have 7 (its "
                               "header lists them)\n";
  const RunResult run = index({"--data-dir", data_.string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, expected);

  const RunResult daemon =
      run_program(program("lupa-searchd"),
                  {"--db", database_.string(), "--port", "0", "--data-dir", data_.string()});
  EXPECT_EQ(daemon.exit_code, 2);
  EXPECT_NE(daemon.err.find((data_ / "plans.tsv").string() + ": line 3: 5 tab-separated columns"),
            std::string::npos)
      << daemon.err;
  EXPECT_EQ(daemon.out.find("serving"), std::string::npos) << daemon.out;
}

TEST_F(OperatorDataE2E, AFileNamingNoDataFileIsAWarningAndIgnored) {
  dir_.write("docs/ke.txt", kKenyanPlan);
  dir_.write("data/agency.tsv", kAgencyRow);
  const RunResult run = index({"--data-dir", data_.string()});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("warning: " + (data_ / "agency.tsv").string() +
                         ": names no data file (a typo?); ignored"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.out.find("data files: built in; from " + data_.string() + ": no data files"),
            std::string::npos)
      << run.out;
}

TEST_F(OperatorDataE2E, AManifestWrongInPlacesIsReportedInFullAndCostsOnlyWhatIsWrong) {
  dir_.write("docs/unknown.txt",
             "Informe de gobierno abierto\n\n1. Se publicarán los datos de las zanahorias.\n");
  dir_.write("docs/malformed.txt",
             "Informe de gobierno abierto\n\n1. Se publicarán los datos de los pepinos.\n");
  dir_.write("docs/manifest.json", R"({"documents": [
      {"file": "unknown.txt", "country": "zz", "plans": ["ke-2011-2035"], "languages": ["es"]},
      {"file": "malformed.txt", "date": "20/09/2011", "languages": ["fr"], "country": "mx"}]})");
  const RunResult run = index({});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const std::string manifest = corpus_.filename().string() + "/manifest.json";
  for (const std::string& line :
       {"warning: " + manifest +
            ": documents[0] (unknown.txt): country 'zz' is not in countries.tsv; kept as given\n",
        "warning: " + manifest +
            ": documents[0] (unknown.txt): plan 'ke-2011-2035' has years no OGP plan has (from "
            "2011, at most ten years apart) and no row in plans.tsv; kept as given\n",
        "error: " + manifest +
            ": documents[1] (malformed.txt): languages 'fr' is not a language code Lupa reads "
            "(es, en); ignored, inferred from the content instead\n",
        "error: " + manifest +
            ": documents[1] (malformed.txt): date '20/09/2011' is not YYYY, YYYY-MM or "
            "YYYY-MM-DD; ignored, inferred from the content instead\n"})
    EXPECT_NE(run.err.find(line), std::string::npos) << line << "\nnot in:\n" << run.err;
  EXPECT_NE(run.out.find("2 files (2 indexed"), std::string::npos) << run.out;

  SearchDaemon daemon(database_);
  const auto unknown = http_get(daemon.port(), "/api/search?q=zanahorias").json();
  ASSERT_EQ(unknown->getValue<int>("total"), 1);
  EXPECT_EQ(hit(unknown, 0)->getValue<std::string>("country"), "zz");
  EXPECT_EQ(string_list(hit(unknown, 0), "plans"), std::vector<std::string>{"ke-2011-2035"});
  const auto malformed = http_get(daemon.port(), "/api/search?q=pepinos").json();
  ASSERT_EQ(malformed->getValue<int>("total"), 1);
  EXPECT_EQ(hit(malformed, 0)->getValue<std::string>("country"), "mx");  // kept: it was right
  EXPECT_EQ(hit(malformed, 0)->getValue<std::string>("lang"), "es");     // inferred
}

TEST_F(OperatorDataE2E, AnUnreadableManifestKeepsIndexedDocumentsAndIndexesNewOnes) {
  dir_.write("docs/ke.txt", kKenyanPlan);
  dir_.write("docs/manifest.json", kKenyanManifest);
  ASSERT_EQ(index({}).exit_code, 0);
  dir_.write("docs/manifest.json", R"({"documents": [{"file": "ke.txt",]})");
  dir_.write("docs/ke.txt", "Kenya\n\n1. Nothing about satellites any more, only rainfall.\n");
  dir_.write("docs/new.txt", "Informe\n\n1. Se publicarán los datos de las berenjenas.\n");
  const RunResult run = index({});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("error: docs/manifest.json: invalid JSON"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("skipped: docs/ke.txt: left as indexed before: its folder's manifest "
                         "cannot be read"),
            std::string::npos)
      << run.out;
  SearchDaemon daemon(database_);
  EXPECT_EQ(http_get(daemon.port(), "/api/search?q=satellite").json()->getValue<int>("total"), 1);
  EXPECT_EQ(http_get(daemon.port(), "/api/search?q=rainfall").json()->getValue<int>("total"), 0);
  EXPECT_EQ(http_get(daemon.port(), "/api/search?q=berenjenas").json()->getValue<int>("total"), 1);
}

TEST_F(OperatorDataE2E, InstitutionsTheDataFilesDoNotKnowAreListedAndLabelledByName) {
  dir_.write("docs/ke.txt",
             "Kenya Open Government National Action Plan 2023-2027\n\n"
             "Commitment 3: Open contracting in public procurement\n\n"
             "Lead institution: Kenya School of Government\n\n"
             "The government will publish procurement contracts for citizens to monitor.\n");
  dir_.write("docs/manifest.json", kKenyanManifest);
  const RunResult run = index({});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("discovered institutions (not in agencies.tsv; add rows to name them):\n"
                         "  ke-kenya-school-of-government \"Kenya School of Government\" — "
                         "docs/ke.txt\n"),
            std::string::npos)
      << run.out;
  SearchDaemon daemon(database_);
  const auto result = http_get(daemon.port(), "/api/search?q=procurement").json();
  ASSERT_EQ(result->getValue<int>("total"), 1);
  const auto responsible = facet_labels(result, "responsible");
  ASSERT_TRUE(responsible.contains("ke-kenya-school-of-government")) << run.out;
  EXPECT_EQ(responsible.at("ke-kenya-school-of-government").first, "Kenya School of Government");
  EXPECT_EQ(responsible.at("ke-kenya-school-of-government").second, "Kenya School of Government");
}

// The recogniser's part (a passage with `discovered` set) is stood in for: the indexer's own
// builder and writer put such a passage into a real database, as the indexer does.
void write_discovered(const fs::path& database, const std::string& file, const std::string& word,
                      const indexer::DiscoveredInstitution& institution) {
  indexer::DocumentMetadata metadata;
  metadata.country = "ke";
  metadata.title = "Kenya action plan";
  indexer::Passage passage;
  passage.ordinal = 1;
  passage.language = "en";
  passage.text = "The " + institution.name + " will train officers on " + word + ".";
  passage.responsible = passage.agencies = {institution.id};
  passage.discovered = {institution};
  indexer::DocumentBuilder builder;
  indexer::IndexWriter writer(database);
  indexer::FileState state;
  state.path = file;
  state.passages = 1;
  writer.replace_file(state, {builder.build(file, metadata, passage, 0)});
  writer.label_value("agencies", institution.id, institution.name);
  writer.commit();
}

TEST_F(OperatorDataE2E, TheDaemonLabelsAnInstitutionWithTheNameTheIndexHolds) {
  write_discovered(database_, "docs/a.txt", "procurement",
                   {"ke-kenya-school-of-government", "Kenya School of Government"});
  SearchDaemon daemon(database_);
  const auto first = http_get(daemon.port(), "/api/search?q=procurement").json();
  ASSERT_EQ(first->getValue<int>("total"), 1);
  for (const char* facet : {"agency", "responsible"}) {
    const auto labels = facet_labels(first, facet);
    ASSERT_TRUE(labels.contains("ke-kenya-school-of-government")) << facet;
    EXPECT_EQ(labels.at("ke-kenya-school-of-government"),
              std::make_pair(std::string("Kenya School of Government"),
                             std::string("Kenya School of Government")))
        << facet;
  }
  // A new revision with a new institution: its label is read, without a restart.
  write_discovered(database_, "docs/b.txt", "budgets",
                   {"ke-kenya-institute-of-supplies", "Kenya Institute of Supplies"});
  const auto second = http_get(daemon.port(), "/api/facets").json();
  const auto agencies = facet_labels(second, "agency");
  ASSERT_TRUE(agencies.contains("ke-kenya-institute-of-supplies"));
  EXPECT_EQ(agencies.at("ke-kenya-institute-of-supplies").first, "Kenya Institute of Supplies");
  EXPECT_EQ(agencies.at("ke-kenya-school-of-government").first, "Kenya School of Government");
}

}  // namespace
}  // namespace lupa::testing
