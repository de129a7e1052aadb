// End to end: bilingual search on the real daemon. Cross-language queries, spelling help,
// translations shown once, similar commitments; and the ranking measured against the judged
// queries of tests/relevance/judgments.tsv, guarded a few points below the level reached
// (bench/relevance.py reports the same figures beside a plain baseline).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/http_client.h"
#include "support/process.h"
#include "support/search_api.h"
#include "support/temp_dir.h"

namespace lupa::testing {
namespace {

namespace fs = std::filesystem;
using Poco::JSON::Object;

CorpusServer& server() {
  return CorpusServer::instance();
}

std::vector<std::string> ids_of(const Object::Ptr& result) {
  std::vector<std::string> ids;
  const auto hits = result->getArray("hits");
  for (unsigned i = 0; i < hits->size(); ++i)
    ids.push_back(hits->getObject(i)->getValue<std::string>("id"));
  return ids;
}

std::vector<std::string> expanded(const Object::Ptr& result) {
  return string_list(result, "expanded");
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST(BilingualSearch, ASpanishQueryFindsTheEnglishBeneficialOwnershipCommitment) {
  const auto result = server().search_q("beneficiarios finales");
  EXPECT_TRUE(contains(expanded(result), "beneficial-ownership"));
  ASSERT_GT(total(result), 0);
  EXPECT_EQ(hit(result, 0)->getValue<std::string>("lang"), "en");
  EXPECT_NE(hit(result, 0)->getValue<std::string>("snippet").find("<mark>"), std::string::npos);
  // Without the glossary the Spanish words alone find nothing in English.
  EXPECT_EQ(total(server().search_q("\"beneficiarios finales\"")), 0);
}

TEST(BilingualSearch, AnEnglishQueryFindsSpanishPassagesToo) {
  const auto counts = facet_counts(server().search_q("corruption"), "lang");
  EXPECT_GT(counts.at("es"), 10);
  EXPECT_GT(counts.at("en"), 5);
  // The lang filter still restricts.
  const auto english = server().search_q("corruption", "&lang=en&per_page=100");
  EXPECT_EQ(total(english), counts.at("en"));
  const auto hits = english->getArray("hits");
  for (unsigned i = 0; i < hits->size(); ++i)
    EXPECT_EQ(hits->getObject(i)->getValue<std::string>("lang"), "en");
}

TEST(BilingualSearch, PassagesInTheQueryLanguageComeFirstAndTranslationsCollapse) {
  const auto spanish = server().search_q("información socialmente útil");
  EXPECT_EQ(spanish->getValue<std::string>("language"), "es");
  const auto first = hit(spanish, 0);
  EXPECT_EQ(first->getValue<std::string>("lang"), "es");
  const std::string twin = first->getValue<std::string>("translation_id");
  ASSERT_FALSE(twin.empty());
  // The English twin is not a separate hit...
  const auto all = server().all_hits("q=" + url_encode("información socialmente útil"));
  for (const auto& other : all) EXPECT_NE(other->getValue<std::string>("id"), twin);
  // ...unless the user asks for English, and an English query puts it first.
  EXPECT_TRUE(
      contains(ids_of(server().search_q("información socialmente útil", "&lang=en")), twin));
  const auto english = server().search_q("socially useful information");
  EXPECT_EQ(english->getValue<std::string>("language"), "en");
  EXPECT_EQ(hit(english, 0)->getValue<std::string>("lang"), "en");
}

// Rows beyond the original vocabulary: OGP process words, both directions.
TEST(BilingualSearch, GrownGlossaryRowsFindTheOtherLanguage) {
  const auto pilot = server().search_q("proyecto piloto");
  EXPECT_EQ(expanded(pilot), (std::vector<std::string>{"pilot-project"}));
  bool english_pilot_project = false;
  for (unsigned i = 0; i < pilot->getArray("hits")->size(); ++i) {
    const auto passage = hit(pilot, i);
    english_pilot_project |= passage->getValue<std::string>("lang") == "en" &&
                             passage->getValue<std::string>("snippet").find(
                                 "<mark>pilot project</mark>") != std::string::npos;
  }
  EXPECT_TRUE(english_pilot_project);

  // Before the row, "technical assistance" found no passage with both words and was relaxed
  // to any word (and corrected to "technical resistance"); now it finds the Spanish "apoyo
  // técnico" passages without relaxing.
  const auto assistance = server().search_q("technical assistance");
  EXPECT_EQ(expanded(assistance), (std::vector<std::string>{"technical-assistance"}));
  EXPECT_FALSE(assistance->getValue<bool>("relaxed"));
  ASSERT_GT(total(assistance), 0);
  bool spanish_support = false;
  for (unsigned i = 0; i < assistance->getArray("hits")->size(); ++i)
    spanish_support |=
        hit(assistance, i)->getValue<std::string>("snippet").find("<mark>Apoyo técnico</mark>") !=
        std::string::npos;
  EXPECT_TRUE(spanish_support);
}

TEST(SpellingHelp, AMisspeltWordGetsADidYouMean) {
  const auto result = server().search_q("transparancy");
  EXPECT_EQ(result->getValue<std::string>("corrected"), "transparency");
  // Its English stem is transparency's, but a misspelt word does not match by chance.
  EXPECT_TRUE(result->getValue<bool>("corrected_applied"));
}

TEST(SpellingHelp, WhenNothingMatchesTheCorrectedQueryIsRun) {
  const auto result = server().search_q("corupcion");
  EXPECT_EQ(result->getValue<std::string>("corrected"), "corrupción");
  EXPECT_TRUE(result->getValue<bool>("corrected_applied"));
  ASSERT_GT(total(result), 10);
  EXPECT_EQ(total(result), total(server().search_q("corrupción")));
}

TEST(SpellingHelp, AnInflectionIsNotAMisspelling) {
  EXPECT_TRUE(server().search_q("beneficiarios finales")->isNull("corrected"));
  EXPECT_TRUE(server().search_q("rendicion de cuentas")->isNull("corrected"));
}

TEST(SpellingHelp, AQuestionWhoseWordsNeverMeetIsRelaxed) {
  const auto result = server().search_q("qué se comprometió México en hospitales y datos abiertos");
  EXPECT_TRUE(result->getValue<bool>("relaxed"));
  ASSERT_GT(total(result), 0);
}

TEST(SpellingHelp, AQuestionAboutABodyNeedsNoRelaxing) {
  // Its framing words are not required: the body's passages answer it, SFP's own first
  // (tests/e2e/agency_e2e_test.cpp has the rest).
  const auto result = server().search_q("obligaciones de la Secretaría de la Función Pública");
  EXPECT_FALSE(result->getValue<bool>("relaxed"));
  ASSERT_GT(total(result), 0);
  EXPECT_TRUE(contains(string_list(hit(result, 0), "responsible"), "mx-sfp"));
}

TEST(SimilarCommitments, TheCareServicesCommitmentFindsTheNationalCareSystem) {
  const HttpReply reply =
      http_get(server().port(), "/api/similar/corpus.mx-2019-2021-action-plan-summary-txt.0012");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto result = reply.json();
  const auto top = ids_of(result);
  ASSERT_GE(top.size(), 3u);
  EXPECT_FALSE(contains(top, "corpus.mx-2019-2021-action-plan-summary-txt.0012"));
  const std::vector<std::string> first_three(top.begin(), top.begin() + 3);
  EXPECT_TRUE(contains(first_three, "corpus.mx-ogp-member-page-txt.0021"));  // 2016-2018 plan
  for (const auto& id : top) {
    const HttpReply passage = http_get(server().port(), "/api/passages/" + id);
    EXPECT_EQ(passage.json()->getValue<std::string>("kind"), "commitment") << id;
  }
}

TEST(SimilarCommitments, AnUnknownPassageIs404) {
  const HttpReply reply = http_get(server().port(), "/api/similar/corpus.nothing.0001");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.json()->getValue<std::string>("error"),
            "No passage with id 'corpus.nothing.0001'");
}

// --- ranking against the judged queries ---------------------------------------------------

struct Judged {
  std::string kind, query;
  std::map<std::string, int> grades;
};

std::vector<Judged> read_judgments() {
  std::vector<Judged> judged;
  std::istringstream lines(read_file(source_dir() / "tests/relevance/judgments.tsv"));
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto tab1 = line.find('\t'), tab2 = line.find('\t', tab1 + 1);
    Judged entry{line.substr(0, tab1), line.substr(tab1 + 1, tab2 - tab1 - 1), {}};
    std::istringstream items(line.substr(tab2 + 1));
    for (std::string item; items >> item;)
      entry.grades[item.substr(0, item.rfind(':'))] = std::stoi(item.substr(item.rfind(':') + 1));
    judged.push_back(std::move(entry));
  }
  return judged;
}

// nDCG@10 as bench/relevance.py computes it: a passage and its translation form one group,
// graded by the better of the two, counted once.
double ndcg_at_10(const std::vector<std::string>& hits, const std::map<std::string, int>& grades,
                  const std::map<std::string, std::string>& translations) {
  auto group = [&](const std::string& id) {
    const auto other = translations.find(id);
    return other == translations.end() ? id : std::min(id, other->second);
  };
  std::map<std::string, int> group_grade;
  for (const auto& [id, grade] : grades)
    group_grade[group(id)] = std::max(group_grade[group(id)], grade);
  double dcg = 0;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < hits.size() && i < 10; ++i) {
    const std::string g = group(hits[i]);
    const int grade = seen.insert(g).second && group_grade.contains(g) ? group_grade[g] : 0;
    dcg += (std::pow(2.0, grade) - 1) / std::log2(static_cast<double>(i) + 2);
  }
  std::vector<int> ideal;
  for (const auto& [g, grade] : group_grade) ideal.push_back(grade);
  std::sort(ideal.rbegin(), ideal.rend());
  double best = 0;
  for (std::size_t i = 0; i < ideal.size() && i < 10; ++i)
    best += (std::pow(2.0, ideal[i]) - 1) / std::log2(static_cast<double>(i) + 2);
  return best > 0 ? dcg / best : 0;
}

// Mean nDCG@10 per kind of query and over all queries ("all"), each query weighing the same.
std::map<std::string, double> mean_ndcg_by_kind(
    const SearchDaemon& daemon, const std::vector<Judged>& judged,
    const std::map<std::string, std::string>& translations) {
  std::map<std::string, std::pair<double, int>> sums;
  for (const Judged& entry : judged) {
    const HttpReply reply = http_get(
        daemon.port(), "/api/search?facets=false&per_page=10&q=" + url_encode(entry.query));
    EXPECT_EQ(reply.status, 200) << entry.query;
    const double score = ndcg_at_10(ids_of(reply.json()), entry.grades, translations);
    for (const std::string& kind : {entry.kind, std::string("all")}) {
      sums[kind].first += score;
      ++sums[kind].second;
    }
  }
  std::map<std::string, double> means;
  for (const auto& [kind, sum] : sums) means[kind] = sum.first / sum.second;
  return means;
}

TEST(Ranking, JudgedQueriesStayAboveTheirGuardAndAbovePlainRanking) {
  // The judged ids are those of the bundled corpus's text documents (the scans copy their
  // text) and of the other members' fixtures, indexed together as `corpus` and `ogp-world`.
  TempDir dir;
  fs::create_directories(dir.path() / "corpus");
  for (const auto& entry : fs::directory_iterator(source_dir() / "corpus"))
    if (entry.is_regular_file())
      fs::copy_file(entry.path(), dir.path() / "corpus" / entry.path().filename());
  fs::create_directories(dir.path() / "ogp-world");
  for (const auto& entry : fs::directory_iterator(source_dir() / "tests/data/ogp-world"))
    if (entry.is_regular_file() && entry.path().filename() != "truth.json")
      fs::copy_file(entry.path(), dir.path() / "ogp-world" / entry.path().filename());
  ASSERT_EQ(run_indexer(dir.path() / "index", {dir.path() / "corpus", dir.path() / "ogp-world"})
                .exit_code,
            0);
  SearchDaemon daemon(dir.path() / "index");

  const std::vector<Judged> judged = read_judgments();
  ASSERT_GE(judged.size(), 85u);
  std::map<std::string, std::string> translations;
  for (const Judged& entry : judged)
    for (const auto& [id, grade] : entry.grades) {
      const HttpReply passage = http_get(daemon.port(), "/api/passages/" + id);
      ASSERT_EQ(passage.status, 200) << entry.query << ": judged passage " << id;
      const auto stored = passage.json();
      if (stored->has("translation_id")) {
        translations[id] = stored->getValue<std::string>("translation_id");
        translations[translations[id]] = id;
      }
    }
  const std::map<std::string, double> lupa = mean_ndcg_by_kind(daemon, judged, translations);
  // Measured (tests/relevance/README.md, "after" of issue 13): es 0.80, en 0.84, cross 0.82,
  // agency 0.86, agency-question 0.77, question 0.49, world 0.71, id 0.59, accentless 0.88,
  // misspelled 0.86, 0.76 overall; each guard sits 5 to 8 points below, rounded down.
  const std::map<std::string, double> guard = {{"es", 0.74},
                                               {"en", 0.78},
                                               {"cross", 0.76},
                                               {"agency", 0.78},
                                               {"agency-question", 0.70},
                                               {"question", 0.42},
                                               {"world", 0.63},
                                               {"id", 0.54},
                                               {"accentless", 0.79},
                                               {"misspelled", 0.81},
                                               {"all", 0.68}};
  for (const auto& [kind, floor] : guard) {
    ASSERT_TRUE(lupa.contains(kind)) << kind;
    EXPECT_GE(lupa.at(kind), floor) << kind << " nDCG@10 " << lupa.at(kind);
  }
  for (const auto& [kind, mean] : lupa)
    EXPECT_TRUE(guard.contains(kind)) << "kind '" << kind << "' has no guard";

  // Lupa's ranking is worth its machinery: far above the plain baseline (Spanish stemmer
  // alone, measured at 0.29 overall).
  SearchDaemon baseline(dir.path() / "index", {"--baseline-ranking"});
  const std::map<std::string, double> plain = mean_ndcg_by_kind(baseline, judged, translations);
  EXPECT_GE(lupa.at("all"), plain.at("all") + 0.25)
      << "lupa " << lupa.at("all") << ", baseline " << plain.at("all");
}

}  // namespace
}  // namespace lupa::testing
