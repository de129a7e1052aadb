#include "lupa/indexer/metadata_inference.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <ostream>
#include <regex>
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

// find_first_date tries its expression only where a date may be; over the whole text it must
// find the same date. The reference below is the plain scan, on texts built from pieces of dates
// (lower-case ASCII, which folding leaves as it is).
std::optional<std::string> first_date_scanning_everything(const std::string& text) {
  static const std::regex kDate(R"((?:^|\D)(\d{1,2})\s+de\s+([a-z]+)\s+(?:de|del)\s+(\d{4}))"
                                R"(|(?:^|\D)(\d{1,2})\s+([a-z]+)\s+(\d{4}))"
                                R"(|([a-z]+)\s+(\d{1,2}),?\s+(\d{4}))"
                                R"(|(\d{4})-(\d{2})-(\d{2}))");
  const auto month = [](const std::string& name) {
    return name == "septiembre"              ? 9
           : name == "december"              ? 12
           : name == "mayo" || name == "may" ? 5
                                             : 0;
  };
  for (std::sregex_iterator it(text.begin(), text.end(), kDate), end; it != end; ++it) {
    const std::smatch& m = *it;
    int day = 0, month_number = 0, year = 0;
    if (m[1].matched) {
      day = std::stoi(m[1]), month_number = month(m[2]), year = std::stoi(m[3]);
    } else if (m[4].matched) {
      day = std::stoi(m[4]), month_number = month(m[5]), year = std::stoi(m[6]);
    } else if (m[7].matched) {
      month_number = month(m[7]), day = std::stoi(m[8]), year = std::stoi(m[9]);
    } else {
      year = std::stoi(m[10]), month_number = std::stoi(m[11]), day = std::stoi(m[12]);
    }
    if (month_number >= 1 && month_number <= 12 && day >= 1 && day <= 31 && year >= 1990 &&
        year <= 2100) {
      char iso[16];
      std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", year, month_number, day);
      return iso;
    }
  }
  return std::nullopt;
}

TEST(FindFirstDateScan, FindsWhatAScanOfTheWholeTextFinds) {
  const std::vector<std::string> pieces = {
      "20",  "3", "14", "32", "12", "2011",       "2012",       "1850",       "20110",    "-",
      ",",   " ", "  ", "\n", "\t", " de ",       " del ",      "septiembre", "december", "mayo",
      "may", "x", "(",  ".",  "/",  "2012-12-14", "2013-13-01", "plan"};
  std::uint32_t state = 12345;
  const auto next = [&state] { return (state = state * 1103515245u + 12345u) >> 16; };
  for (int text_number = 0; text_number < 3000; ++text_number) {
    std::string text;
    const std::uint32_t length = 1 + next() % 14;
    for (std::uint32_t i = 0; i < length; ++i) text += pieces[next() % pieces.size()];
    SCOPED_TRACE(text);
    EXPECT_EQ(find_first_date(text), first_date_scanning_everything(text));
  }
}

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

// What a manifest-less document of each shape gets: the opening lines are the shapes real OGP
// documents have, with the debris they were found with.
struct DocumentCase {
  std::string name;
  std::string text;
  std::optional<std::string> source_title;
  std::string title;
  std::string type;
  std::optional<std::string> stage;
  std::optional<std::string> country;
  std::vector<std::string> plans;
  friend void PrintTo(const DocumentCase& c, std::ostream* out) { *out << c.name; }
};

class InferredMetadata : public ::testing::TestWithParam<DocumentCase> {};

TEST_P(InferredMetadata, TitleTypeStageCountryAndPlanAreThoseAReaderWouldGive) {
  const DocumentCase& c = GetParam();
  std::vector<std::string> inferred;
  const DocumentMetadata metadata =
      complete_metadata(DocumentMetadata{}, c.text, c.source_title, {}, inferred);
  EXPECT_EQ(metadata.title, c.title);
  EXPECT_EQ(metadata.type, c.type);
  EXPECT_EQ(metadata.report_stage, c.stage);
  EXPECT_EQ(metadata.country, c.country);
  EXPECT_EQ(metadata.plans, c.plans);
  if (c.stage) {
    EXPECT_THAT(inferred, ::testing::Contains("report_stage=" + *c.stage));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, InferredMetadata,
    ::testing::Values(
        // A mirror site's printout: its page counter, its date stamp and its skip link come
        // before the title (text cleanup removes the chrome; the date is never a title).
        DocumentCase{"MirrorPrintout",
                     "12/03/2023\n\nInforme de Autoevaluación de Fin de Término, IV Plan de "
                     "Acción de Gobierno Abierto 2019–2022\n\nCosta Rica\nAlianza para el "
                     "Gobierno Abierto\n\nCosta Rica se incorporó a la Alianza en 2012.\n",
                     std::nullopt,
                     "Informe de Autoevaluación de Fin de Término, IV Plan de Acción de "
                     "Gobierno Abierto 2019–2022",
                     "self-assessment",
                     "end-of-term",
                     "cr",
                     {"cr-2019-2022"}},
        // A cover page: the issuing republic, then the plan's own title.
        DocumentCase{"IssuerThenTitle",
                     "REPUBLIC OF KENYA\n\nKenya Fifth National Action Plan 2023–2027\n\nOpen "
                     "Government Partnership\nNairobi, December 2023\n",
                     std::nullopt,
                     "Kenya Fifth National Action Plan 2023–2027",
                     "action-plan",
                     std::nullopt,
                     "ke",
                     {"ke-2023-2027"}},
        // A series and the report of it on two lines: one title.
        DocumentCase{"TwoLineTitleBlock",
                     "1\n\nIndependent Reporting Mechanism (IRM)\nAction Plan Review: Kenya "
                     "2023–2027\n\nTable of Contents\n",
                     std::nullopt,
                     "Independent Reporting Mechanism (IRM): Action Plan Review: Kenya 2023–2027",
                     "irm-report",
                     "action-plan-review",
                     "ke",
                     {"ke-2023-2027"}},
        // An OGP commitment page: the site's name is not the title, the commitment id gives
        // the country (OGP's UK is ISO's gb), the At-a-Glance box the plan.
        DocumentCase{"OgpCommitmentPage",
                     "United Kingdom\n# Transparency of Lobbying and Ministerial Meetings "
                     "(UK0120)\n## Overview\nAction Plan: United Kingdom Action Plan 2021-2023\n"
                     "Action Plan Cycle: 2021\nLead Institution: Cabinet Office\n",
                     std::string("Transparency of Lobbying and Ministerial Meetings (UK0120) | "
                                 "Open Government Partnership"),
                     "Transparency of Lobbying and Ministerial Meetings (UK0120)",
                     "ogp-web-page",
                     std::nullopt,
                     "gb",
                     {"gb-2021-2023"}},
        // The same page saved as text, without its HTML title: its labels tell what it is.
        DocumentCase{"OgpCommitmentPageAsText",
                     "Improve the Transparency Portal (ES0041)\nAt-a-Glance\nAction Plan: Spain "
                     "Action Plan 2020-2024\nAction Plan Cycle: 2020\nLead Institution: Ministry "
                     "of Finance\nPolicy Areas\nAccess to Information\nIRM Review\n",
                     std::nullopt,
                     "Improve the Transparency Portal (ES0041)",
                     "ogp-web-page",
                     std::nullopt,
                     "es",
                     {"es-2020-2024"}},
        // A Spanish IRM report whose title names only the country and the plan: the
        // mechanism and its ratings in the text tell the type, the cover the stage.
        DocumentCase{"SpanishIrmReportByItsText",
                     "Colombia 2020-2022\n\nResumen ejecutivo\n\nEl Mecanismo de Revisión "
                     "Independiente (MRI) evaluó el plan. El MRI recomienda publicar los datos.\n"
                     "Compromiso 1\tImpacto potencial: Moderado\n\nInforme de Resultados\n",
                     std::nullopt,
                     "Colombia 2020-2022",
                     "irm-report",
                     "results",
                     "co",
                     {"co-2020-2022"}},
        // An action plan titled by its number only: OGP's commitment template tells the type,
        // the numeral and plans.tsv the plan.
        DocumentCase{"ActionPlanByItsTemplate",
                     "IV Plan de Colombia\n\nCompromiso 1: Datos abiertos\nFecha de inicio y "
                     "término: septiembre de 2020 – agosto de 2022\nInstitución o actor "
                     "responsable de la implementación: Secretaría de Transparencia\n¿Cuál es la "
                     "problemática que el compromiso aborda?\nLa corrupción en Colombia.\n",
                     std::nullopt,
                     "IV Plan de Colombia",
                     "action-plan",
                     std::nullopt,
                     "co",
                     {"co-2020-2022"}},
        // A report that mentions the plan, the IRM and co-creation is none of those.
        DocumentCase{"ReportAboutOgp",
                     "Balance de la Alianza para el Gobierno Abierto en México\n\n[Plan de Acción "
                     "Nacional](#)\n\nEl Mecanismo de Revisión Independiente evaluó la "
                     "cocreación del Plan de Acción 2013-2015 de México.\n",
                     std::nullopt,
                     "Balance de la Alianza para el Gobierno Abierto en México",
                     "other-report",
                     std::nullopt,
                     "mx",
                     {"mx-2013-2015"}}));

TEST(MetadataInference, ChromeNumbersDatesAndLinksAreNeverTheTitle) {
  for (const std::string opening :
       {"Skip Navigation\n", "Saltar navegación\n", "Seite 1 von 88\n", "Page 1 of 88\n",
        "Página 2 de 14\n", "12\n", "- 3 -\n", "12/03/2023\n", "14 December 2012\n",
        "Abuja, October 2022\n", "https://www.opengovpartnership.org/members/kenya/\n",
        "Table of Contents\n", "Índice\n", "Contenido\n", "iv\n", "March 14, 2023\n",
        "Published on 14 March 2023\n", "News\n", "Noticias\n"}) {
    EXPECT_EQ(infer_title(opening + "\nNigeria National Action Plan 2019-2022\n", std::nullopt),
              "Nigeria National Action Plan 2019-2022")
        << opening;
  }
  // A list item, a table row, a label, a table of contents' entry, a sentence: not titles.
  EXPECT_EQ(infer_title("- Member Since 2011\nCompromiso\tAvance\nDiseño:\nIntroducción ...... 3\n"
                        "Kenya was among the first African members of the partnership.\nMexico\n",
                        std::nullopt),
            "Mexico");
  EXPECT_EQ(infer_title("", std::nullopt), "");
  // A heading, then the first line of its paragraph, wrapped: the heading alone, although the
  // paragraph names a kind of document.
  EXPECT_EQ(infer_title("III. Significant cases\n\nIn addition to submitting the self-assessment "
                        "report of the Extended Action\nPlan in quantitative terms, it is\n",
                        std::nullopt),
            "III. Significant cases");
}

TEST(MetadataInference, SiteNamesAreCutFromHtmlTitles) {
  EXPECT_EQ(infer_title("", std::string("Kenya | Open Government Partnership")), "Kenya");
  EXPECT_EQ(infer_title("", std::string("Open Government Partnership | Mexico Action Plan")),
            "Mexico Action Plan");
  EXPECT_EQ(infer_title("", std::string("Plan de Acción 2019 - 2021 – Alianza para el Gobierno "
                                        "Abierto")),
            "Plan de Acción 2019 - 2021");
  // A title that is nothing but the site's name leaves the title to the text.
  EXPECT_EQ(infer_title("Plan de Acción de Chile\n", std::string("Open Government Partnership")),
            "Plan de Acción de Chile");
}

TEST(MetadataInference, CountryIsWhatTheDocumentIsAboutNotWhereItsPublisherIs) {
  // An IRM report's licence notice carries OGP's postal address: it names the United States
  // more often than the opening names Kenya.
  const std::string text =
      "Action Plan Review 2023-2027\n\n"
      "This work is licensed under the Creative Commons Attribution 4.0 International License.\n"
      "Open Government Partnership, 1110 Vermont Ave NW, Suite 500, Washington, DC 20005,\n"
      "United States. The United States and the United States again.\n\n"
      "The Kenyan government co-created the plan with civil society.\n";
  EXPECT_EQ(infer_document_country("Action Plan Review 2023-2027", text), "ke");
  // The same address alone on its lines, and a copyright line.
  EXPECT_EQ(infer_document_country("Report",
                                   "© 2023 Open Government Partnership, Washington, "
                                   "United States\n\nLa sociedad civil colombiana.\n"),
            "co");
}

TEST(MetadataInference, CountryFromTheTitleThenCommitmentIdsThenTheMostNamed) {
  // The title wins over the text.
  EXPECT_EQ(infer_document_country("Informe de Resultados de Colombia", "Chile, Chile, Chile"),
            "co");
  // OGP writes the United Kingdom's ids with UK, Kenya's with KE.
  EXPECT_EQ(infer_document_country("Open data (UK0120)", "Kenya and Kenya\nUK0120\n"), "gb");
  EXPECT_EQ(infer_document_country("Commitment", "KE0023, KE0024, ES0041\nSpain, Spain"), "ke");
  // Demonyms count, in both languages.
  EXPECT_EQ(infer_document_country("Informe", "El gobierno colombiano y la sociedad colombiana"),
            "co");
  EXPECT_EQ(infer_document_country("Report", "The Kenyan government"), "ke");
  EXPECT_EQ(infer_document_country("Report", "Open Government Partnership"), std::nullopt);
}

TEST(MetadataInference, PlanPeriodsInTitlesWithDashesNumeralsAndTwoDigitYears) {
  std::vector<std::string> inferred;
  const auto plan_of = [&](const std::string& text) {
    inferred.clear();
    return complete_metadata(DocumentMetadata{}, text, std::nullopt, {}, inferred).plans;
  };
  using Plans = std::vector<std::string>;
  EXPECT_EQ(plan_of("Nigeria National Action Plan 2016–2018\n"), Plans{"ng-2016-2018"});
  EXPECT_EQ(plan_of("Nigeria National Action Plan 2016—2018\n"), Plans{"ng-2016-2018"});
  EXPECT_EQ(plan_of("IV Plan de Gobierno Abierto de España 2020-2024\n"), Plans{"es-2020-2024"});
  EXPECT_EQ(plan_of("Plan de Acción de Chile 2018 al 2020\n"), Plans{"cl-2018-2020"});
  EXPECT_EQ(plan_of("Philippines Progress Report 2019–22\n"), Plans{"ph-2019-2022"});
  // The period of the title is the plan a report assesses, whatever its text mentions.
  EXPECT_EQ(plan_of("Kenya End of Commitment Report 2020-2022\n\nThe next plan, 2023-2027, ...\n"),
            Plans{"ke-2020-2022"});
  // No period: a numeral and plans.tsv give the plan.
  EXPECT_EQ(plan_of("IV Plan de Acción de Colombia\n"), Plans{"co-2020-2022"});
  EXPECT_EQ(plan_of("Colombia: cuarto plan de acción\n"), Plans{"co-2020-2022"});
  // A period in a sentence that names no plan is not one; a date is no period.
  EXPECT_EQ(plan_of("Informe de Kenya\n\nBetween 2015 and 2018 the ministry grew.\n"), Plans{});
  EXPECT_EQ(plan_of("Kenya report\n2019-12-14\n"), Plans{});
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
