// End to end: OGP documents from nine countries other than Mexico (tests/data/ogp-world, no
// manifest) indexed by the real lupa-indexer and served by the real lupa-searchd. What is
// expected is read from the fixtures' truth file (truth.json), not written here.
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "support/http_client.h"
#include "support/process.h"
#include "support/search_api.h"
#include "support/temp_dir.h"

namespace lupa::testing {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::filesystem::path fixtures() {
  return source_dir() / "tests" / "data" / "ogp-world";
}

Object::Ptr truth_of(const std::string& file) {
  const auto truth =
      Poco::JSON::Parser().parse(read_file(fixtures() / "truth.json")).extract<Object::Ptr>();
  const Array::Ptr documents = truth->getArray("documents");
  for (unsigned i = 0; i < documents->size(); ++i)
    if (documents->getObject(i)->getValue<std::string>("file") == file)
      return documents->getObject(i);
  ADD_FAILURE() << file << " is not in truth.json";
  return new Object;
}

// Numbers of the truth's commitments of `file` whose rating `rating` is `value`.
std::set<int> numbers_rated(const std::string& file, const std::string& rating,
                            const std::string& value) {
  std::set<int> numbers;
  const Array::Ptr commitments = truth_of(file)->getArray("commitments");
  for (unsigned i = 0; i < commitments->size(); ++i) {
    const Object::Ptr commitment = commitments->getObject(i);
    const Object::Ptr ratings = commitment->getObject("ratings");
    // Ratings are strings, but "starred" is true or false.
    if (ratings && ratings->has(rating) && ratings->get(rating).toString() == value)
      numbers.insert(commitment->getValue<int>("number"));
  }
  return numbers;
}

class OgpWorldE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    // Copied without truth.json: the indexer sees the documents only.
    const auto corpus = dir_->path() / "ogp-world";
    std::filesystem::create_directories(corpus);
    for (const auto& entry : std::filesystem::directory_iterator(fixtures()))
      if (entry.path().filename() != "truth.json")
        std::filesystem::copy_file(entry.path(), corpus / entry.path().filename());
    indexing_ = new RunResult(run_indexer(dir_->path() / "index", {corpus}));
    ASSERT_EQ(indexing_->exit_code, 0) << indexing_->err;
    daemon_ = new SearchDaemon(dir_->path() / "index");
  }
  static void TearDownTestSuite() {
    delete daemon_;
    delete indexing_;
    delete dir_;
  }

  static Object::Ptr search(const std::string& query_string) {
    const HttpReply reply = http_get(daemon_->port(), "/api/search?" + query_string);
    EXPECT_EQ(reply.status, 200) << query_string << "\n" << reply.body;
    return reply.json();
  }

  // The commitment numbers of every hit of a search (a commitment an IRM report rates in its
  // section and in its summary table counts once).
  static std::set<int> commitment_numbers(const std::string& query_string) {
    std::set<int> numbers;
    const Object::Ptr result = search(query_string + "&page_size=100");
    const Array::Ptr hits = result->getArray("hits");
    for (unsigned i = 0; i < hits->size(); ++i)
      if (hits->getObject(i)->has("commitment_number"))
        numbers.insert(hits->getObject(i)->getValue<int>("commitment_number"));
    return numbers;
  }

  static TempDir* dir_;
  static RunResult* indexing_;
  static SearchDaemon* daemon_;
};

TempDir* OgpWorldE2E::dir_ = nullptr;
RunResult* OgpWorldE2E::indexing_ = nullptr;
SearchDaemon* OgpWorldE2E::daemon_ = nullptr;

TEST_F(OgpWorldE2E, AnIrmReportsCommitmentsAreFilteredByCompletionAndByLeadInstitution) {
  const std::string report = "ph-2019-2022-irm-progress-report.txt";
  const std::string in_report = "q=&kind=commitment&country=ph&type=irm-report";
  const std::set<int> substantial = numbers_rated(report, "completion", "substantial");
  ASSERT_EQ(substantial.size(), 2u) << "the fixture rates two commitments substantial";
  EXPECT_EQ(commitment_numbers(in_report + "&completion=substantial"), substantial);
  EXPECT_EQ(commitment_numbers(in_report + "&completion=complete"),
            numbers_rated(report, "completion", "complete"));
  // The lead institution, by its gazetteer id and by its acronym.
  EXPECT_EQ(commitment_numbers(in_report + "&responsible=ph-dbm"), std::set<int>{1});
  EXPECT_EQ(commitment_numbers(in_report + "&responsible=DBM"), std::set<int>{1});
  // The counts say the same.
  const auto counts =
      facet_counts(search(in_report + "&completion=substantial&page_size=0"), "completion");
  EXPECT_GT(counts.at("substantial"), 0);
  EXPECT_EQ(counts.count("limited"), 1u) << "disjunctive: the other values stay counted";
}

TEST_F(OgpWorldE2E, AnIrmRatingReachesTheLinkedPlanCommitment) {
  const std::set<int> complete =
      numbers_rated("co-2020-2022-irm-informe-de-resultados.txt", "completion", "complete");
  ASSERT_FALSE(complete.empty());
  // The plan itself rates nothing: what the filter finds there, the IRM's report rated.
  const std::string in_plan = "q=&kind=commitment&country=co&type=action-plan";
  EXPECT_EQ(commitment_numbers(in_plan + "&completion=complete"), complete);
  EXPECT_EQ(commitment_numbers(in_plan + "&starred=yes"),
            numbers_rated("co-2020-2022-irm-informe-de-resultados.txt", "starred", "true"));

  // The plan's commitment 5 names the report's commitment 5 as the same commitment, and says
  // where its ratings come from.
  const Object::Ptr hits =
      search(in_plan + "&q=" + url_encode("SECOP") + "&completion=complete&page_size=1");
  ASSERT_GT(hits->getArray("hits")->size(), 0u);
  const std::string id = hits->getArray("hits")->getObject(0)->getValue<std::string>("id");
  const HttpReply reply = http_get(daemon_->port(), "/api/passages/" + id);
  ASSERT_EQ(reply.status, 200);
  const Object::Ptr passage = reply.json();
  bool names_the_report = false;
  for (const std::string& other : string_list(passage, "same_as"))
    names_the_report |= other.find("irm-informe-de-resultados") != std::string::npos;
  EXPECT_TRUE(names_the_report) << reply.body;
  EXPECT_EQ(passage->getValue<std::string>("completion"), "complete") << reply.body;
}

TEST_F(OgpWorldE2E, AForeignMinistryNeverBecomesAnotherCountrysBody) {
  // Spain's "Ministerio de Hacienda y Función Pública" is Spain's, not Mexico's SHCP or SFP;
  // Costa Rica's "Instituto Nacional de las Mujeres" is INAMU, not Mexico's INMUJERES.
  for (const std::string country : {"es", "cr", "co", "ke", "ph", "ng", "ar", "cl", "gb"}) {
    const Object::Ptr result = search("q=&country=" + country + "&page_size=0");
    for (const std::string facet : {"agency", "responsible", "supporting"})
      for (const auto& [value, count] : facet_counts(result, facet))
        EXPECT_EQ(value.substr(0, 3), country + "-")
            << facet << " " << value << " (" << count << " passages) in documents of " << country;
  }
  const auto spain =
      facet_counts(search("q=&country=es&kind=commitment&page_size=0"), "responsible");
  EXPECT_GT(spain.count("es-hacienda"), 0u);
  const auto costa_rica =
      facet_counts(search("q=&country=cr&kind=commitment&page_size=0"), "responsible");
  EXPECT_GT(costa_rica.count("cr-inamu"), 0u);
}

TEST_F(OgpWorldE2E, MetadataComesFromTheDocumentsThemselves) {
  // No manifest: type, country and plan are read from each document's content.
  const auto plans = facet_counts(search("q=&page_size=0"), "plan");
  for (const std::string plan : {"ke-2023-2027", "co-2020-2022", "es-2020-2024", "cr-2019-2022",
                                 "ph-2019-2022", "ng-2019-2022", "ar-2022-2024"})
    EXPECT_GT(plans.count(plan), 0u) << plan;
  const auto stages = facet_counts(search("q=&type=irm-report&page_size=0"), "report_stage");
  for (const std::string stage :
       {"action-plan-review", "results", "progress", "end-of-commitment", "design"})
    EXPECT_GT(stages.count(stage), 0u) << stage;
}

TEST_F(OgpWorldE2E, AnUnknownInstitutionIsKeptAndListedForTheOperator) {
  // "Federación Española de Municipios y Provincias" is in no gazetteer row: it is kept as a
  // value of its own, labelled with its name, and the summary lists it.
  EXPECT_NE(indexing_->out.find("Federación Española de Municipios y Provincias"),
            std::string::npos)
      << indexing_->out;
  const auto supporting =
      facet_counts(search("q=&country=es&kind=commitment&page_size=0"), "supporting");
  EXPECT_GT(supporting.count("es-federacion-espanola-de-municipios-y-provincias"), 0u);
}

}  // namespace
}  // namespace lupa::testing
