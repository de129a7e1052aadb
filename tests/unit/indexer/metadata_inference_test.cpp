#include "lupa/indexer/metadata_inference.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace lupa::indexer {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

struct DateCase {
  std::string text;
  std::optional<std::string> date;
  friend void PrintTo(const DateCase& c, std::ostream* out) { *out << '"' << c.text << '"'; }
};

class FindFirstDate : public ::testing::TestWithParam<DateCase> {};

TEST_P(FindFirstDate, ReadsSpanishEnglishAndIsoDates) {
  EXPECT_EQ(find_first_date(GetParam().text), GetParam().date);
}

INSTANTIATE_TEST_SUITE_P(
    Dates, FindFirstDate,
    ::testing::Values(DateCase{"20 de septiembre de 2011", "2011-09-20"},
                      DateCase{"Nueva York\n\n20 de septiembre de 2011\n", "2011-09-20"},
                      DateCase{"1 de enero del 2020", "2020-01-01"},
                      DateCase{"5 de Setiembre de 2013", "2013-09-05"},
                      DateCase{"30 DE OCTUBRE DE 2015", "2015-10-30"},
                      DateCase{"14 December 2012", "2012-12-14"},
                      DateCase{"Self-Assessment Report MEXICO 14 December 2012", "2012-12-14"},
                      DateCase{"December 14, 2012", "2012-12-14"},
                      DateCase{"May 2 2019", "2019-05-02"}, DateCase{"2012-12-14", "2012-12-14"},
                      // The first valid date wins; impossible ones are skipped.
                      DateCase{"del 32 de enero de 2011 al 2 de febrero de 2011", "2011-02-02"},
                      DateCase{"14 December 2012, revised 2013-01-05", "2012-12-14"},
                      DateCase{"2013-13-01 then 3 March 2014", "2014-03-03"},
                      // Periods, counts and bare years are not dates.
                      DateCase{"Plan de Acción 2019-2021", std::nullopt},
                      DateCase{"13 commitments 2019", std::nullopt},
                      DateCase{"Member since 2011", std::nullopt},
                      DateCase{"14 December 1850", std::nullopt}, DateCase{"", std::nullopt}));

Passage passage(const std::string& text, const std::string& language) {
  Passage p;
  p.text = text;
  p.language = language;
  return p;
}

TEST(MetadataInference, CompletesADocumentWithoutManifestEntryAndRecordsEachGuess) {
  const std::string text =
      "# Plan de Acción de México 2019-2021\n"
      "Ciudad de México, 14 de diciembre de 2019\n"
      "El gobierno mexicano presenta su cuarto plan de acción.\n";
  const std::vector<Passage> passages = {passage(std::string(700, 'e'), "es"),
                                         passage(std::string(300, 'i'), "en")};
  std::vector<std::string> inferred;
  const DocumentMetadata metadata =
      complete_metadata(DocumentMetadata{}, text, std::nullopt, passages, inferred);

  EXPECT_EQ(metadata.title, "Plan de Acción de México 2019-2021");
  EXPECT_EQ(metadata.languages, (std::vector<std::string>{"es", "en"}));
  EXPECT_EQ(metadata.date, "2019-12-14");
  EXPECT_EQ(metadata.year(), 2019);
  EXPECT_EQ(metadata.country, "mx");
  EXPECT_EQ(metadata.type, "action-plan");
  EXPECT_EQ(metadata.plans, (std::vector<std::string>{"mx-2019-2021"}));
  EXPECT_FALSE(metadata.source.has_value());
  EXPECT_THAT(inferred, UnorderedElementsAre("title=Plan de Acción de México 2019-2021",
                                             "languages=es,en", "date=2019-12-14", "country=mx",
                                             "type=action-plan", "plan=mx-2019-2021"));
}

TEST(MetadataInference, MinorLanguagesBelowFifteenPercentAreNotDocumentLanguages) {
  const std::vector<Passage> passages = {passage(std::string(900, 'e'), "en"),
                                         passage(std::string(100, 'e'), "es")};
  std::vector<std::string> inferred;
  const auto metadata =
      complete_metadata(DocumentMetadata{}, "Report", std::nullopt, passages, inferred);
  EXPECT_EQ(metadata.languages, (std::vector<std::string>{"en"}));
  EXPECT_THAT(inferred, ::testing::Contains("languages=en"));
}

TEST(MetadataInference, SourceTitleIsPreferredToTheFirstLine) {
  // An HTML page's <title> says more than its first line of text (navigation, usually).
  std::vector<std::string> inferred;
  const auto metadata =
      complete_metadata(DocumentMetadata{}, "Skip Navigation\nInicio\n",
                        std::string("Plan de Acción de México 2013-2015"), {}, inferred);
  EXPECT_EQ(metadata.title, "Plan de Acción de México 2013-2015");
  EXPECT_EQ(metadata.type, "action-plan");
  EXPECT_EQ(metadata.country, "mx");
  EXPECT_EQ(metadata.plans, (std::vector<std::string>{"mx-2013-2015"}));
  EXPECT_THAT(inferred, ::testing::Contains("title=Plan de Acción de México 2013-2015"));
}

TEST(MetadataInference, PlanFromTheDocumentYearWhenNoPeriodIsWritten) {
  std::vector<std::string> inferred;
  const auto metadata = complete_metadata(
      DocumentMetadata{}, "Informe de autoevaluación de México\n14 de diciembre de 2012\n",
      std::nullopt, {}, inferred);
  EXPECT_EQ(metadata.type, "self-assessment");
  EXPECT_EQ(metadata.plans, (std::vector<std::string>{"mx-2011-2013"}));
  EXPECT_THAT(inferred, ::testing::Contains("plan=mx-2011-2013"));
}

TEST(MetadataInference, NoCountryMeansNoPlanAndNothingRecordedForIt) {
  std::vector<std::string> inferred;
  const auto metadata =
      complete_metadata(DocumentMetadata{}, "Action plan 2019-2021\n", std::nullopt, {}, inferred);
  EXPECT_FALSE(metadata.country.has_value());
  EXPECT_TRUE(metadata.plans.empty());
  EXPECT_FALSE(metadata.date.has_value());
  for (const std::string& entry : inferred) {
    EXPECT_FALSE(entry.starts_with("plan=")) << entry;
    EXPECT_FALSE(entry.starts_with("country=")) << entry;
    EXPECT_FALSE(entry.starts_with("date=")) << entry;
  }
}

TEST(MetadataInference, KeepsWhatTheManifestGave) {
  DocumentMetadata given;
  given.title = "Informe de Chile";
  given.country = "cl";
  given.plans = {"cl-2014-2016"};
  given.type = "other-report";
  given.languages = {"es"};
  given.date = "2015-10";
  given.source = "a source";
  // The text says otherwise on every count; the manifest wins.
  const std::string text = "Mexico Action Plan 2019-2021\n14 December 2019\n";
  const std::vector<Passage> passages = {passage(text, "en")};
  std::vector<std::string> inferred;
  const auto metadata =
      complete_metadata(given, text, std::string("HTML title"), passages, inferred);
  EXPECT_THAT(inferred, IsEmpty());
  EXPECT_EQ(metadata.title, given.title);
  EXPECT_EQ(metadata.country, given.country);
  EXPECT_EQ(metadata.plans, given.plans);
  EXPECT_EQ(metadata.type, given.type);
  EXPECT_EQ(metadata.languages, given.languages);
  EXPECT_EQ(metadata.date, given.date);
  EXPECT_EQ(metadata.source, given.source);
}

TEST(MetadataInference, FillsOnlyTheMissingFields) {
  DocumentMetadata given;
  given.title = "Balance de la Alianza para el Gobierno Abierto en México";
  given.languages = {"es"};
  std::vector<std::string> inferred;
  const auto metadata = complete_metadata(given, "Texto del 2 de octubre de 2015 en México.\n",
                                          std::nullopt, {}, inferred);
  EXPECT_EQ(metadata.title, given.title);
  EXPECT_THAT(inferred, ElementsAre("date=2015-10-02", "country=mx", "type=other-report",
                                    "plan=mx-2013-2015"));
}

TEST(MetadataInference, YearOfIsoDates) {
  DocumentMetadata metadata;
  EXPECT_EQ(metadata.year(), std::nullopt);
  for (const char* date : {"2019", "2019-12", "2019-12-14"}) {
    metadata.date = date;
    EXPECT_EQ(metadata.year(), 2019) << date;
  }
}

}  // namespace
}  // namespace lupa::indexer
