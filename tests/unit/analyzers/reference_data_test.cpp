#include "lupa/analyzers/reference_data.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "lupa/analyzers/text_normalizer.h"

namespace lupa::analyzers {
namespace {

const ReferenceData& data() {
  return ReferenceData::instance();
}

struct TitleCase {
  std::string title;
  std::string type;
  friend void PrintTo(const TitleCase& c, std::ostream* out) { *out << '"' << c.title << '"'; }
};

class InferDocumentType : public ::testing::TestWithParam<TitleCase> {};

TEST_P(InferDocumentType, ClassifiesATitle) {
  EXPECT_EQ(data().infer_document_type(GetParam().title), GetParam().type) << GetParam().title;
}

INSTANTIATE_TEST_SUITE_P(
    Titles, InferDocumentType,
    ::testing::Values(
        TitleCase{"Informe de autoevaluación del Plan de Acción 2013-2015", "self-assessment"},
        TitleCase{"Open Government Partnership Self-Assessment Report, Mexico", "self-assessment"},
        TitleCase{"Mexico End-of-Term Self-Assessment Report 2016-2018", "self-assessment"},
        // An IRM report often says "action plan" too: the more specific type wins.
        TitleCase{"Independent Reporting Mechanism progress report", "irm-report"},
        TitleCase{"Mecanismo de Revisión Independiente: Informe de avance del plan de acción",
                  "irm-report"},
        TitleCase{"Mexico Design Report 2019-2021", "irm-report"},
        TitleCase{"Plan de Acción Nacional 2019-2021", "action-plan"},
        TitleCase{"PLAN DE ACCIÓN DE MÉXICO", "action-plan"},
        TitleCase{"Mexico Action Plan 2019-2021 (action plan 4): summary and commitments",
                  "action-plan"},
        TitleCase{"Mexico | Open Government Partnership (member page)", "ogp-web-page"},
        TitleCase{"Balance de la Alianza para el Gobierno Abierto en México", "other-report"},
        TitleCase{"", "other-report"}));

// Titles of the documents of OGP's members, in both languages and in the IRM's old and new
// vocabulary.
INSTANTIATE_TEST_SUITE_P(
    Members, InferDocumentType,
    ::testing::Values(
        TitleCase{"Kenya Action Plan Review 2023-2027", "irm-report"},
        TitleCase{"Philippines Progress Report 2019-2022", "irm-report"},
        TitleCase{"Informe de Resultados de Colombia 2020-2022", "irm-report"},
        TitleCase{"Informe de Diseño de Chile 2018-2020", "irm-report"},
        TitleCase{"Kenya End of Commitment Report 2020-2022", "irm-report"},
        TitleCase{"Revisión del Plan de Acción: Costa Rica 2023-2027", "irm-report"},
        TitleCase{"Sri Lanka End-of-Term Report 2016-2018", "irm-report"},
        TitleCase{"End-of-Term Self-Assessment Report, Nigeria", "self-assessment"},
        TitleCase{"Informe de Autoevaluación de Fin de Término", "self-assessment"},
        TitleCase{"Mid-Term Self-Assessment Report", "self-assessment"},
        TitleCase{"IV Plan de Gobierno Abierto 2020-2024", "action-plan"},
        TitleCase{"IV Plan de Acción Nacional de Estado Abierto 2020-2022", "action-plan"},
        TitleCase{"Kenya Fifth National Action Plan 2023-2027", "action-plan"},
        TitleCase{"Improve the Transparency Portal (ES0041) | Open Government Partnership",
                  "ogp-web-page"}));

// The text tells the type when the title does not: the markers of document-type-markers.tsv.
TEST(ReferenceData, DocumentTypeFromTheMarkersOfTheOpening) {
  EXPECT_EQ(data().infer_document_type(
                "Kenya 2023-2027",
                "Independent Reporting Mechanism\nIRM product: Action Plan Review\nPotential "
                "for results: Substantial"),
            "irm-report");
  EXPECT_EQ(data().infer_document_type(
                "Colombia 2020-2022",
                "El Mecanismo de Revisión Independiente (MRI) evaluó el plan. El MRI recomienda."),
            "irm-report");
  EXPECT_EQ(data().infer_document_type("Nigeria 2019-2022",
                                       "This self-assessment reviews the plan at the end of its "
                                       "term."),
            "self-assessment");
  EXPECT_EQ(data().infer_document_type("Informe 2022", "Informe de autoevaluación del gobierno"),
            "self-assessment");
  EXPECT_EQ(data().infer_document_type(
                "Kenya 2023-2027",
                "Commitment 1\nLead implementing agency/actor: Treasury\nWhat is the public "
                "problem?"),
            "action-plan");
  EXPECT_EQ(data().infer_document_type(
                "Colombia 2020",
                "Fecha de inicio y término: 2020\n¿Cuál es la problemática que el compromiso "
                "aborda?"),
            "action-plan");
  EXPECT_EQ(data().infer_document_type(
                "Improve the Transparency Portal (ES0041)",
                "At-a-Glance\nAction Plan: Spain Action Plan 2020-2024\nAction Plan Cycle: "
                "2020\nIRM Review\nIRM Report: Spain Action Plan Review 2020-2024\nVerifiable: "
                "Yes\nPotential for Results: Modest"),
            "ogp-web-page");
  // Mentions are not markers enough: a report on OGP names plans and the IRM.
  EXPECT_EQ(data().infer_document_type(
                "Balance de la Alianza",
                "el Plan de Acción Nacional y el Mecanismo de Revisión Independiente (MRI)"),
            "other-report");
  // "irm" is no acronym in lower case.
  EXPECT_EQ(data().document_type_from_markers("irm mri irm"), std::nullopt);
  // The title decides when it names a type.
  EXPECT_EQ(data().infer_document_type("Plan de Acción",
                                       "Informe de resultados del Mecanismo de "
                                       "Revisión Independiente. El MRI "
                                       "recomienda"),
            "action-plan");
}

struct StageCase {
  std::string text;
  std::optional<std::string> stage;
  friend void PrintTo(const StageCase& c, std::ostream* out) { *out << '"' << c.text << '"'; }
};

class ReportStage : public ::testing::TestWithParam<StageCase> {};

TEST_P(ReportStage, IsTheStageATitleNames) {
  EXPECT_EQ(data().report_stage_named_in(GetParam().text), GetParam().stage);
}

INSTANTIATE_TEST_SUITE_P(
    Titles, ReportStage,
    ::testing::Values(
        StageCase{"Mecanismo de Revisión Independiente (MRI): Informe de Diseño de Chile",
                  "design"},
        StageCase{"Chile Design Report 2018-2020", "design"},
        StageCase{"Independent Reporting Mechanism (IRM) Action Plan Review: Kenya",
                  "action-plan-review"},
        StageCase{"Revisión del Plan de Acción de Costa Rica", "action-plan-review"},
        StageCase{"Philippines Progress Report 2019-2022", "progress"},
        StageCase{"Informe de Avance de México 2013-2015", "progress"},
        StageCase{"Netherlands Mid-Term Report 2016-2018", "progress"},
        StageCase{"Informe de Resultados de Colombia 2020-2022", "results"},
        StageCase{"Jamaica Results Report 2021-2023", "results"},
        StageCase{"Kenya End of Commitment Report 2020-2022", "end-of-commitment"},
        StageCase{"Mid-Term Self-Assessment Report, Ghana", "mid-term"},
        StageCase{"Informe de Autoevaluación de Medio Término", "mid-term"},
        StageCase{"End-of-Term Self-Assessment Report, Nigeria", "end-of-term"},
        StageCase{"Informe de Autoevaluación de Fin de Término, IV Plan de Acción", "end-of-term"},
        StageCase{"Kenya Fifth National Action Plan 2023-2027", std::nullopt},
        StageCase{"", std::nullopt}));

TEST(ReferenceData, OnlyReportsAndSelfAssessmentsHaveStages) {
  EXPECT_TRUE(data().type_has_stage("irm-report"));
  EXPECT_TRUE(data().type_has_stage("self-assessment"));
  EXPECT_FALSE(data().type_has_stage("action-plan"));
  EXPECT_FALSE(data().type_has_stage("ogp-web-page"));
  EXPECT_FALSE(data().type_has_stage("other-report"));
  // The stages are a facet's vocabulary: labels in both languages, names resolved.
  EXPECT_EQ(data().label("report-stages", "action-plan-review")->es, "Revisión del plan de acción");
  EXPECT_EQ(data().resolve("report-stages", "Informe de Resultados"), "results");
  EXPECT_EQ(data().resolve("report-stages", "end-of-term"), "end-of-term");
}

struct LineCase {
  std::string line;
  bool chrome = false;
  bool never_title = false;
  friend void PrintTo(const LineCase& c, std::ostream* out) { *out << '"' << c.line << '"'; }
};

class PageChromeLine : public ::testing::TestWithParam<LineCase> {};

TEST_P(PageChromeLine, IsChromeOrNoTitleAsPageChromeTsvSays) {
  EXPECT_EQ(data().is_page_chrome(GetParam().line), GetParam().chrome);
  EXPECT_EQ(data().is_never_title(GetParam().line), GetParam().never_title);
}

INSTANTIATE_TEST_SUITE_P(
    Lines, PageChromeLine,
    ::testing::Values(
        LineCase{"Skip Navigation", true, true}, LineCase{"  Saltar navegación ", true, true},
        LineCase{"Ir al contenido", true, true}, LineCase{"Compartir", true, true},
        LineCase{"Home › Members › Kenya", true, true}, LineCase{"Seite 1 von 88", true, true},
        LineCase{"Página 1 de 88", true, true}, LineCase{"Page 1 sur 88", true, true},
        LineCase{"Page 3 of 12", true, true}, LineCase{"We use cookies on this site.", true, true},
        // Kept in the text, never a title.
        LineCase{"88", false, true}, LineCase{"12/03/2023", false, true},
        LineCase{"2023-03-12", false, true}, LineCase{"14 de diciembre de 2012", false, true},
        LineCase{"Nairobi, December 2023", false, true}, LineCase{"www.gob.mx", false, true},
        LineCase{"Table of Contents", false, true}, LineCase{"ÍNDICE", false, true},
        LineCase{"", false, true},
        // Titles.
        LineCase{"Kenya Fifth National Action Plan 2023-2027", false, false},
        LineCase{"Plan de Acción", false, false}, LineCase{"Mexico", false, false},
        LineCase{"Share of the budget", false, false}));

TEST(ReferenceData, ImprintLinesSayWhoPublishedNotWhatItIsAbout) {
  for (const char* line :
       {"This work is licensed under the Creative Commons Attribution 4.0 International License.",
        "Open Government Partnership, 1110 Vermont Ave NW, Suite 500",
        "Washington, DC 20005, United States", "© 2023 Open Government Partnership",
        "Copyright 2021 OGP", "Published by the Ministry of Justice",
        "Obra bajo una licencia Creative Commons", "Todos los derechos reservados",
        "Impreso en Colombia", "London SW1A 2AS"})
    EXPECT_TRUE(data().is_imprint(line)) << line;
  for (const char* line :
       {"The Kenyan government co-created the plan.", "Companies hold mining and oil licences.",
        "Washington State joined in 2016? No: the G20 2nd summit", "NEITI published audits."})
    EXPECT_FALSE(data().is_imprint(line)) << line;
}

TEST(ReferenceData, SiteNamesAreCutFromTitles) {
  EXPECT_EQ(data().without_site_name("Improve the Transparency Portal (ES0041) | Open Government "
                                     "Partnership"),
            "Improve the Transparency Portal (ES0041)");
  EXPECT_EQ(data().without_site_name("Kenya – Open Government Partnership"), "Kenya");
  EXPECT_EQ(data().without_site_name("OGP | Kenya Action Plan Review 2023-2027"),
            "Kenya Action Plan Review 2023-2027");
  EXPECT_EQ(data().without_site_name("Plan de Acción 2019 - 2021"), "Plan de Acción 2019 - 2021");
  EXPECT_EQ(data().without_site_name("Open Government Partnership"), "");
}

TEST(ReferenceData, CommitmentIdsNameTheirMember) {
  EXPECT_EQ(data().country_of_ogp_code("KE"), "ke");
  EXPECT_EQ(data().country_of_ogp_code("MX"), "mx");
  // OGP writes UK; ISO 3166 says gb.
  EXPECT_EQ(data().country_of_ogp_code("UK"), "gb");
  EXPECT_EQ(data().country_of_ogp_code("GB"), std::nullopt);
  EXPECT_EQ(data().country_of_ogp_code("XX"), std::nullopt);
  EXPECT_EQ(data().country_of_commitment_ids("Lobbying (UK0120)"), "gb");
  EXPECT_EQ(data().country_of_commitment_ids("KE0031, KE0032 and ES0041"), "ke");
  EXPECT_EQ(data().country_of_commitment_ids("ES0041 then KE0031"), "es") << "a tie: the first";
  // Not ids: lower case, too many digits, a word around them, a code no member has.
  EXPECT_EQ(data().country_of_commitment_ids("ke0031 KE00312 AKE0031 ZZ0001"), std::nullopt);
}

TEST(ReferenceData, PlanPeriodsWrittenInText) {
  using Ids = std::vector<std::string>;
  EXPECT_EQ(data().plans_written_in("ke", "Kenya 2023-2027"), Ids{"ke-2023-2027"});
  EXPECT_EQ(data().plans_written_in("ke", "Kenya 2023–2027"), Ids{"ke-2023-2027"});
  EXPECT_EQ(data().plans_written_in("ng", "Plan 2016—2018 and 2019 to 2022"),
            (Ids{"ng-2016-2018", "ng-2019-2022"}));
  EXPECT_EQ(data().plans_written_in("ph", "Progress Report 2019–22"), Ids{"ph-2019-2022"});
  EXPECT_EQ(data().plans_written_in("ar", "plan 2022 al 2024"), Ids{"ar-2022-2024"});
  // Dates, long spans, years before OGP, an unknown member: no plans.
  EXPECT_EQ(data().plans_written_in("ke", "2019-12-14, 2019/12/01, 2019-12"), Ids{});
  EXPECT_EQ(data().plans_written_in("ke", "2010-2012 and 2011-2030"), Ids{});
  EXPECT_EQ(data().plans_written_in("ke", "en 2019 a 20 personas"), Ids{});
  EXPECT_EQ(data().plans_written_in("zz", "2019-2021"), Ids{});
}

TEST(ReferenceData, PlanNumberedInATitle) {
  EXPECT_EQ(data().plan_numbered_in("co", "IV Plan de Acción Nacional de Estado Abierto"),
            "co-2020-2022");
  EXPECT_EQ(data().plan_numbered_in("mx", "Cuarto Plan de Acción"), "mx-2019-2021");
  EXPECT_EQ(data().plan_numbered_in("mx", "Mexico's Third National Action Plan"), "mx-2016-2018");
  EXPECT_EQ(data().plan_numbered_in("cl", "Chile National Action Plan II"), "cl-2014-2016");
  EXPECT_EQ(data().plan_numbered_in("mx", "2nd Action Plan"), "mx-2013-2015");
  // A number plans.tsv does not know, a member without rows, no number.
  EXPECT_EQ(data().plan_numbered_in("mx", "IX Plan de Acción"), std::nullopt);
  EXPECT_EQ(data().plan_numbered_in("ke", "Fifth National Action Plan"), std::nullopt);
  EXPECT_EQ(data().plan_numbered_in("mx", "Plan de Acción de México"), std::nullopt);
}

TEST(ReferenceData, InferPlanFromPeriodInText) {
  EXPECT_EQ(data().infer_plan("mx", "Plan de Acción 2019-2021", std::nullopt), "mx-2019-2021");
  EXPECT_EQ(data().infer_plan("mx", "Plan de Acción 2013–2015", std::nullopt), "mx-2013-2015");
  EXPECT_EQ(data().infer_plan("mx", "plan de acción 2016 al 2018", std::nullopt), "mx-2016-2018");
  EXPECT_EQ(data().infer_plan("cl", "Plan de Acción 2014-2016", std::nullopt), "cl-2014-2016");
}

TEST(ReferenceData, InferPlanPrefersKnownPlansAndTakesAnyWellFormedPeriod) {
  // A period plans.tsv knows wins over one it does not know, written first.
  EXPECT_EQ(data().infer_plan("mx", "Plan 2014-2016; Plan de Acción 2013-2015", std::nullopt),
            "mx-2013-2015");
  // A member's plan needs no row: any well-formed period is one (ReferenceData::plan).
  EXPECT_EQ(data().infer_plan("ke", "Kenya Action Plan Review 2023–2027", std::nullopt),
            "ke-2023-2027");
  // Not periods of a plan: before OGP, an unknown member.
  EXPECT_EQ(data().infer_plan("mx", "Plan Nacional de Desarrollo 2007-2012", std::nullopt),
            std::nullopt);
  EXPECT_EQ(data().infer_plan("zz", "Plan de Acción 2019-2021", 2020), std::nullopt);
}

TEST(ReferenceData, InferPlanByYear) {
  EXPECT_EQ(data().infer_plan("mx", "", 2012), "mx-2011-2013");
  EXPECT_EQ(data().infer_plan("mx", "no period here", 2017), "mx-2016-2018");
  // Overlapping periods: a report dated in a plan's last year usually assesses that plan,
  // so the latest plan containing the year wins.
  EXPECT_EQ(data().infer_plan("mx", "", 2013), "mx-2013-2015");
  EXPECT_EQ(data().infer_plan("mx", "", 2021), "mx-2021-2024");
  EXPECT_EQ(data().infer_plan("mx", "", 2005), std::nullopt);
  EXPECT_EQ(data().infer_plan("mx", "", std::nullopt), std::nullopt);
}

TEST(ReferenceData, PeriodInTextWinsOverYear) {
  EXPECT_EQ(data().infer_plan("mx", "Informe del plan 2011-2013", 2015), "mx-2011-2013");
}

struct CountryCase {
  std::string text;
  std::optional<std::string> country;
  friend void PrintTo(const CountryCase& c, std::ostream* out) { *out << '"' << c.text << '"'; }
};

class InferCountry : public ::testing::TestWithParam<CountryCase> {};

TEST_P(InferCountry, NamesTheCountryMentionedMostOften) {
  EXPECT_EQ(data().infer_country(GetParam().text), GetParam().country) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Texts, InferCountry,
    ::testing::Values(
        CountryCase{"Alianza para el Gobierno Abierto: Plan de Acción de México", "mx"},
        CountryCase{"El gobierno mexicano presenta su plan", "mx"},
        CountryCase{"Mexico's OGP Action Plan", "mx"},
        CountryCase{"Open Government Partnership Self-Assessment Report MEXICO", "mx"},
        CountryCase{"Plan de acción de Chile: Chile y Chile, con una mención de Mexico", "cl"},
        CountryCase{"The Colombian government and Colombia's civil society", "co"},
        CountryCase{"República Dominicana", "do"}, CountryCase{"Perú", "pe"},
        // Whole words only.
        CountryCase{"Open Government Partnership", std::nullopt},
        CountryCase{"texmexicolandia", std::nullopt}, CountryCase{"", std::nullopt}));

// Openings written in the shapes OGP's reports, governments' plans and OGP's pages use, in
// both languages, for members of every region.
INSTANTIATE_TEST_SUITE_P(
    Members, InferCountry,
    ::testing::Values(
        // Africa and the Middle East.
        CountryCase{"Kenya Action Plan Review 2023-2027", "ke"},
        CountryCase{"Nigeria's National Action Plan 2019-2022", "ng"},
        CountryCase{"Morocco Results Report 2021-2023", "ma"},
        CountryCase{"Côte d’Ivoire Action Plan Review 2022-2024", "ci"},
        CountryCase{"Plan d'action national de la Côte d'Ivoire 2020-2022", "ci"},
        CountryCase{"Informe de diseño de Costa de Marfil", "ci"},
        CountryCase{"Informe de resultados de Túnez 2021-2023", "tn"},
        CountryCase{"Cabo Verde Action Plan Review 2023-2025", "cv"},
        CountryCase{"South Africa's fourth National Action Plan", "za"},
        // Asia and the Pacific.
        CountryCase{"Philippines Open Government Partnership National Action Plan 2019-2022", "ph"},
        CountryCase{"Republic of Korea Action Plan Review 2023-2025", "kr"},
        CountryCase{"Plan de acción de Corea del Sur", "kr"},
        CountryCase{"Sri Lanka End-of-Term Report 2016-2018", "lk"},
        CountryCase{"Papua New Guinea Action Plan 2018-2020", "pg"},
        CountryCase{"Australia's first Open Government National Action Plan", "au"},
        CountryCase{"Mongolia Action Plan Review 2023–2027", "mn"},
        CountryCase{"Kyrgyz Republic Design Report 2018-2020", "kg"},
        // Europe.
        CountryCase{"Ukraine Design Report 2018-2020", "ua"},
        CountryCase{"Plan de Acción de Gobierno Abierto de España 2020-2024", "es"},
        CountryCase{"Slovakia Design Report 2019-2021", "sk"},
        CountryCase{"Germany: Second National Action Plan 2019-2021", "de"},
        CountryCase{"The Dutch Ministry of the Interior: Netherlands Mid-Term Report", "nl"},
        CountryCase{"IV Plan de Gobierno Abierto de los Países Bajos", "nl"},
        CountryCase{"Macedonia National Action Plan 2014-2016", "mk"},
        CountryCase{"Georgia Action Plan 2022-2023", "ge"},
        // The Americas.
        CountryCase{"Informe de Resultados: Colombia 2020-2022", "co"},
        CountryCase{"Plan de Acción Nacional del Paraguay", "py"},
        CountryCase{"Plan de Acción de Estado Abierto de Argentina 2022-2024", "ar"},
        CountryCase{"Plan de Acción Nacional de Gobierno Abierto de Panamá", "pa"},
        CountryCase{"Jamaica Results Report 2021-2023", "jm"},
        CountryCase{"Trinidad and Tobago Progress Report 2014-2015", "tt"},
        CountryCase{"Canada's National Action Plan on Open Government", "ca"},
        // Mexico still wins its own documents, however many members they mention.
        CountryCase{"Plan de Acción 2019-2021 de México: el gobierno mexicano con Sudáfrica, "
                    "Estados Unidos, Filipinas y Noruega, fundadores de la Alianza, y "
                    "nuevamente México",
                    "mx"},
        CountryCase{"Estados Unidos Mexicanos", "mx"}));

// Words that are also names of members are left out of countries.tsv: language names, given
// names, image formats.
INSTANTIATE_TEST_SUITE_P(
    OrdinaryWords, InferCountry,
    ::testing::Values(
        CountryCase{"Spanish original with its English translation", std::nullopt},
        CountryCase{"Disponible en español, inglés, francés y portugués", std::nullopt},
        CountryCase{"Available in English, French, German and Portuguese", std::nullopt},
        CountryCase{"Germán Martínez y Trinidad Hernández, de la Secretaría", std::nullopt},
        CountryCase{"la cooperación norteamericana; figura scan-300dpi.png", std::nullopt},
        CountryCase{"Latin American civil society tells us what it wants", std::nullopt}));

// A country whose Spanish name differs from its English one only by accents ("México" /
// "Mexico", "Perú" / "Peru") has each mention counted once, not once per name.
TEST(ReferenceData, CountsAMentionOnceWhenBothNamesFoldAlike) {
  EXPECT_EQ(data().infer_country("Chile, Chile y Chile; una vez México y otra México"), "cl");
  EXPECT_EQ(data().infer_country("Chile, Chile y Chile; una vez Perú y otra Peru"), "cl");
}

TEST(ReferenceData, LabelsInBothLanguages) {
  const Label plan = *data().label("plans", "mx-2019-2021");
  EXPECT_EQ(plan.en, "Mexico 2019-2021 (action plan 4)");
  EXPECT_EQ(plan.es, "México 2019-2021 (plan de acción 4)");
  const Label lang = *data().label("languages", "es");
  EXPECT_EQ(lang.en, "Spanish");
  EXPECT_EQ(lang.es, "Español");
  const Label type = *data().label("document-types", "self-assessment");
  EXPECT_EQ(type.en, "Self-assessment report");
  EXPECT_EQ(type.es, "Informe de autoevaluación");
  const Label country = *data().label("countries", "mx");
  EXPECT_EQ(country.en, "Mexico");
  EXPECT_EQ(country.es, "México");
  const Label kind = *data().label("passage-kinds", "paragraph");
  EXPECT_EQ(kind.en, "Paragraph");
  EXPECT_EQ(kind.es, "Párrafo");
}

TEST(ReferenceData, LabelsOfRecognisedValues) {
  const Label agency = *data().label("agencies", "mx-sfp");
  EXPECT_EQ(agency.es, "Secretaría de la Función Pública (SFP)");
  EXPECT_EQ(agency.en, "Ministry of Public Administration (SFP)");
  EXPECT_EQ(data().label("challenges", "public-integrity")->en, "Increasing public integrity");
  EXPECT_EQ(data().label("challenges", "public-integrity")->es, "Aumento de la integridad pública");
  EXPECT_EQ(data().label("themes", "fiscal-openness")->en, "Fiscal Openness");
  EXPECT_EQ(data().label("themes", "fiscal-openness")->es, "Apertura fiscal");
  EXPECT_EQ(data().label("compliance-status", "total")->en, "Total compliance");
  EXPECT_EQ(data().label("compliance-status", "total")->es, "Cumplimiento total");
  EXPECT_EQ(data().label("passage-kinds", "commitment")->es, "Compromiso");
  EXPECT_EQ(data().label("passage-kinds", "section")->en, "Section");
  EXPECT_EQ(data().label("organizations", "org-fundar")->es,
            "Fundar, Centro de Análisis e Investigación");
}

TEST(ReferenceData, UnknownValuesAndVocabulariesHaveNoLabel) {
  for (const auto& [vocabulary, value] :
       {std::pair{"plans", "xx-1999-2000"}, std::pair{"languages", "fr"},
        std::pair{"document-types", "novel"}, std::pair{"novocabulary", "value"},
        std::pair{"agencies", "xx-none"}, std::pair{"compliance-status", "unknown"},
        std::pair{"challenges", "world-peace"}, std::pair{"passage-kinds", "chapter"},
        std::pair{"", "2019"}})
    EXPECT_EQ(data().label(vocabulary, value), std::nullopt) << vocabulary << ":" << value;
}

TEST(ReferenceData, AnyWellFormedPlanOfAMemberIsAPlan) {
  const auto listed = data().plan("mx-2019-2021");
  ASSERT_TRUE(listed.has_value());
  EXPECT_EQ(listed->number, 4);
  EXPECT_EQ(listed->label.en, "Mexico 2019-2021 (action plan 4)");
  const auto kenya = data().plan("ke-2023-2027");
  ASSERT_TRUE(kenya.has_value());
  EXPECT_EQ(kenya->country, "ke");
  EXPECT_EQ(kenya->number, 0);
  EXPECT_EQ(kenya->first_year, 2023);
  EXPECT_EQ(kenya->last_year, 2027);
  EXPECT_EQ(kenya->label.en, "Kenya 2023-2027 (action plan)");
  EXPECT_EQ(kenya->label.es, "Kenia 2023-2027 (plan de acción)");
  EXPECT_EQ(data().label("plans", "ke-2023-2027")->es, "Kenia 2023-2027 (plan de acción)");
  EXPECT_EQ(data().resolve("plans", "KE-2023-2027"), "ke-2023-2027");
  for (const char* malformed : {"zz-2020-2022", "ke-2009-2011", "ke-2023-2021", "ke-2020-2040",
                                "ke-2023-202", "ke_2023_2027", "ke-20x3-2027", "kenya-2023-2027"})
    EXPECT_FALSE(data().plan(malformed).has_value()) << malformed;
}

TEST(ReferenceData, ResolvesWhatAUserMayWriteToAnId) {
  EXPECT_EQ(data().resolve("agencies", "Función Pública"), "mx-sfp");
  EXPECT_EQ(data().resolve("plans", "MX-2019-2021"), "mx-2019-2021");
  EXPECT_EQ(data().resolve("countries", "MX"), "mx");
  // Countries by their names in either language and their OGP code too, as the page labels
  // them and as people write them; languages and document types by their labels.
  EXPECT_EQ(data().resolve("countries", "México"), "mx");
  EXPECT_EQ(data().resolve("countries", "mexico"), "mx");
  EXPECT_EQ(data().resolve("countries", "Kenya"), "ke");
  EXPECT_EQ(data().resolve("countries", "UK"), "gb");
  EXPECT_EQ(data().resolve("countries", "Narnia"), std::nullopt);
  EXPECT_EQ(data().resolve("languages", "Spanish"), "es");
  EXPECT_EQ(data().resolve("languages", "inglés"), "en");
  // Passage kinds are named by their ids only.
  EXPECT_EQ(data().resolve("passage-kinds", "Compromiso"), std::nullopt);
  EXPECT_EQ(data().resolve("languages", "ES"), "es");
  EXPECT_EQ(data().resolve("document-types", "IRM-Report"), "irm-report");
  EXPECT_EQ(data().resolve("compliance-status", "TC"), "total");
  EXPECT_EQ(data().resolve("passage-kinds", "Commitment"), "commitment");
  EXPECT_EQ(data().resolve("challenges", "public integrity"), "public-integrity");
  EXPECT_EQ(data().resolve("agencies", "Ministry of Magic"), std::nullopt);
  EXPECT_EQ(data().resolve("novocabulary", "x"), std::nullopt);
}

TEST(ReferenceData, TablesAreConsistent) {
  std::set<std::string> country_codes;
  for (const Country& country : data().countries()) {
    EXPECT_TRUE(country_codes.insert(country.code).second) << country.code;
    EXPECT_TRUE(std::regex_match(country.code, std::regex("[a-z]{2}"))) << country.code;
  }
  std::set<std::string> plan_ids;
  for (const ActionPlan& plan : data().plans()) {
    EXPECT_TRUE(plan_ids.insert(plan.id).second) << plan.id;
    EXPECT_TRUE(country_codes.contains(plan.country)) << plan.id;
    EXPECT_LE(plan.first_year, plan.last_year) << plan.id;
    EXPECT_EQ(plan.id, plan.country + "-" + std::to_string(plan.first_year) + "-" +
                           std::to_string(plan.last_year));
  }
  ASSERT_NE(data().find_plan("mx-2011-2013"), nullptr);
  EXPECT_EQ(data().find_plan("mx-2011-2013")->number, 1);
  EXPECT_EQ(data().find_plan("mx-2012-2013"), nullptr);
  ASSERT_FALSE(data().document_types().empty());
  EXPECT_EQ(data().document_types().back().id, "other-report") << "the catch-all comes last";
}

// countries.tsv lists every OGP national member (about 75, and a few former members).
TEST(ReferenceData, CountriesListTheWholePartnership) {
  EXPECT_GE(data().countries().size(), 70u);
  for (const char* member : {"mx", "ar", "br", "ca", "us", "gb", "es", "fr", "de", "it", "nl",
                             "ua", "ge", "ke", "ng", "za", "ma", "tn", "ci", "ph", "id", "kr",
                             "au", "nz", "mn", "lk", "kg", "pg", "jm", "tt", "zm", "bj"})
    EXPECT_TRUE(data().label("countries", member)) << member;
  // Every row has both labels and at least one other name (a demonym at least).
  for (const Country& country : data().countries()) {
    EXPECT_FALSE(country.name.en.empty()) << country.code;
    EXPECT_FALSE(country.name.es.empty()) << country.code;
    EXPECT_FALSE(country.other_names.empty()) << country.code;
  }
  EXPECT_EQ(data().label("countries", "pe")->es, "Perú");
  EXPECT_EQ(data().label("countries", "tn")->es, "Túnez");
  EXPECT_EQ(data().label("countries", "nl")->es, "Países Bajos");
  EXPECT_EQ(data().label("countries", "ci")->en, "Côte d'Ivoire");
  EXPECT_EQ(data().label("countries", "ci")->es, "Costa de Marfil");
}

// A name counts for one country only: otherwise a mention would count for two.
TEST(ReferenceData, EachCountryNameNamesOneCountry) {
  std::map<std::string, std::string> owner;
  for (const Country& country : data().countries()) {
    std::set<std::string> names = {fold_for_matching(country.name.en),
                                   fold_for_matching(country.name.es)};
    for (const std::string& name : country.other_names) names.insert(fold_for_matching(name));
    for (const std::string& name : names) {
      const auto [at, inserted] = owner.emplace(name, country.code);
      EXPECT_TRUE(inserted) << "\"" << name << "\" names " << at->second << " and " << country.code;
    }
  }
}

TEST(ReferenceData, VocabulariesAreLoaded) {
  EXPECT_NE(data().agencies().find("mx-sfp"), nullptr);
  EXPECT_NE(data().agencies().find("cl-cplt"), nullptr) << "bodies of other countries too";
  EXPECT_NE(data().organizations().find("org-fundar"), nullptr);
  EXPECT_EQ(data().challenges().entries().size(), 5u) << "OGP has five grand challenges";
  for (const VocabularyEntry& challenge : data().challenges().entries()) {
    EXPECT_GE(challenge.number, 1) << challenge.id;
    EXPECT_LE(challenge.number, 5) << challenge.id;
  }
  EXPECT_EQ(data().challenges().find("public-integrity")->number, 2);
  EXPECT_NE(data().themes().find("open-data"), nullptr);
  EXPECT_NE(data().themes().find("anti-corruption"), nullptr);
}

TEST(ReferenceData, VocabularyIdsAreUniqueAcrossAgenciesAndOrganizations) {
  // The agency and organization facets are filtered by id; one id must mean one body.
  std::set<std::string> ids;
  for (const Vocabulary* vocabulary : {&data().agencies(), &data().organizations()})
    for (const VocabularyEntry& entry : vocabulary->entries())
      EXPECT_TRUE(ids.insert(entry.id).second) << entry.id;
}

struct StatusCase {
  std::string written;
  std::optional<std::string> id;
  friend void PrintTo(const StatusCase& c, std::ostream* out) { *out << '"' << c.written << '"'; }
};

class FindStatus : public ::testing::TestWithParam<StatusCase> {};

TEST_P(FindStatus, ReadsTableMarksAndFacetValues) {
  const ComplianceStatus* status = data().find_status(GetParam().written);
  if (!GetParam().id) {
    EXPECT_EQ(status, nullptr) << GetParam().written;
    return;
  }
  ASSERT_NE(status, nullptr) << GetParam().written;
  EXPECT_EQ(status->id, *GetParam().id);
}

INSTANTIATE_TEST_SUITE_P(
    Marks, FindStatus,
    ::testing::Values(StatusCase{"TC", "total"}, StatusCase{"PC", "partial"},
                      StatusCase{"NC", "none"}, StatusCase{"total", "total"},
                      StatusCase{"partial", "partial"}, StatusCase{"Substantial", "substantial"},
                      StatusCase{"Not started", "not-started"},
                      StatusCase{"not-started", "not-started"}, StatusCase{"Complete", "complete"},
                      StatusCase{"XX", std::nullopt}, StatusCase{"", std::nullopt}));

struct FieldCase {
  std::string label;
  std::optional<std::string> field;
  friend void PrintTo(const FieldCase& c, std::ostream* out) { *out << '"' << c.label << '"'; }
};

class FindField : public ::testing::TestWithParam<FieldCase> {};

TEST_P(FindField, NamesTheFieldALabelIntroduces) {
  const auto found = data().find_field(GetParam().label);
  EXPECT_EQ(found ? std::optional<std::string>(found->field) : std::nullopt, GetParam().field)
      << GetParam().label;
}

INSTANTIATE_TEST_SUITE_P(
    Labels, FindField,
    ::testing::Values(FieldCase{"Responsible authority", "responsible"},
                      FieldCase{"RESPONSIBLE AUTHORITY", "responsible"},
                      FieldCase{"Institución responsable", "responsible"},
                      FieldCase{"Institucion responsable", "responsible"},
                      FieldCase{"Organización", "organization"},
                      FieldCase{"Civil society organization", "organization"},
                      FieldCase{"Fecha de cumplimiento", "compliance_date"},
                      FieldCase{"Paragraph of the Original Action Plan", "original_paragraph"},
                      // "End date" is when the work ends, not a deadline.
                      FieldCase{"End date", "end_date"}, FieldCase{"Fecha de término", "end_date"},
                      FieldCase{"Evaluación global", "status"}, FieldCase{"Nota", "note"},
                      // Labels match as a whole.
                      FieldCase{"Responsible authority of the plan", std::nullopt},
                      FieldCase{"Objetivo", std::nullopt}, FieldCase{"", std::nullopt}));

TEST(ReferenceData, FieldLabelsSayHowTheValueIsRead) {
  EXPECT_EQ(data().find_field("Responsible authority")->role, FieldRole::kAgencyResponsible);
  EXPECT_EQ(data().find_field("Organización")->role, FieldRole::kOrganization);
  EXPECT_EQ(data().find_field("Fecha de cumplimiento")->role, FieldRole::kDate);
  EXPECT_EQ(data().find_field("Paragraph of the Original Action Plan")->role,
            FieldRole::kParagraphReference);
  EXPECT_EQ(data().find_field("Periodo de implementación")->role, FieldRole::kDateRange);
  EXPECT_EQ(data().find_field("Evaluación global")->role, FieldRole::kStatus);
  EXPECT_EQ(data().find_field("Nota")->role, FieldRole::kText);
}

TEST(ReferenceData, EachFieldHasOneRole) {
  EXPECT_EQ(data().field_role("responsible"), FieldRole::kAgencyResponsible);
  EXPECT_EQ(data().field_role("organization"), FieldRole::kOrganization);
  EXPECT_EQ(data().field_role("status"), FieldRole::kStatus);
  EXPECT_EQ(data().field_role("original_paragraph"), FieldRole::kParagraphReference);
  EXPECT_EQ(data().field_role("compliance_date"), FieldRole::kDate);
  EXPECT_EQ(data().field_role("period"), FieldRole::kDateRange);
  EXPECT_EQ(data().field_role("contact"), FieldRole::kPerson);
  EXPECT_EQ(data().field_role("supporting"), FieldRole::kAgencySupporting);
  EXPECT_EQ(data().field_role("ogp_id"), FieldRole::kOgpId);
  EXPECT_EQ(data().field_role("completion"), FieldRole::kIrmRating);
  // Fields no label introduces: a table's original number, an OGP entry's year.
  EXPECT_EQ(data().field_role("original_number"), std::nullopt);
  EXPECT_EQ(data().field_role("year"), std::nullopt);
  EXPECT_EQ(data().field_role(""), std::nullopt);
}

TEST(ReferenceData, RolesAreReadFromTheirNamesInTheDataFiles) {
  EXPECT_EQ(field_role_from_string("agency-responsible"), FieldRole::kAgencyResponsible);
  EXPECT_EQ(field_role_from_string("organization"), FieldRole::kOrganization);
  EXPECT_EQ(field_role_from_string("date"), FieldRole::kDate);
  EXPECT_EQ(field_role_from_string("date-range"), FieldRole::kDateRange);
  EXPECT_EQ(field_role_from_string("paragraph-reference"), FieldRole::kParagraphReference);
  EXPECT_EQ(field_role_from_string("status"), FieldRole::kStatus);
  EXPECT_EQ(field_role_from_string("text"), FieldRole::kText);
  for (const char* unknown : {"", "agency", "Text", "responsible", "number"})
    EXPECT_EQ(field_role_from_string(unknown), std::nullopt) << unknown;

  EXPECT_EQ(table_role_from_string("number"), TableRole::kNumber);
  EXPECT_EQ(table_role_from_string("original_number"), TableRole::kOriginalNumber);
  EXPECT_EQ(table_role_from_string("title"), TableRole::kTitle);
  EXPECT_EQ(table_role_from_string("challenge"), TableRole::kChallenge);
  EXPECT_EQ(table_role_from_string("status"), TableRole::kStatus);
  for (const char* unknown : {"", "original-number", "Number", "text", "date"})
    EXPECT_EQ(table_role_from_string(unknown), std::nullopt) << unknown;
}

struct ColumnCase {
  std::string header;
  std::optional<TableRole> role;
  friend void PrintTo(const ColumnCase& c, std::ostream* out) { *out << '"' << c.header << '"'; }
};

class TableColumnRole : public ::testing::TestWithParam<ColumnCase> {};

TEST_P(TableColumnRole, ReadsAHeaderCell) {
  EXPECT_EQ(data().table_column_role(GetParam().header), GetParam().role) << GetParam().header;
}

INSTANTIATE_TEST_SUITE_P(
    Headers, TableColumnRole,
    ::testing::Values(ColumnCase{"Número en el plan", TableRole::kNumber},
                      ColumnCase{"Action plan number", TableRole::kNumber},
                      ColumnCase{"No.", TableRole::kNumber},
                      ColumnCase{"Palabras clave", TableRole::kTitle},
                      ColumnCase{"Key words", TableRole::kTitle},
                      ColumnCase{"Reto AGA", TableRole::kChallenge},
                      ColumnCase{"OGP challenge", TableRole::kChallenge},
                      ColumnCase{"Evaluación global", TableRole::kStatus},
                      ColumnCase{"Global evaluation", TableRole::kStatus},
                      // The longest header text wins: "commitment number" is not "commitment".
                      ColumnCase{"Commitment number", TableRole::kOriginalNumber},
                      ColumnCase{"Commitment", TableRole::kTitle},
                      // A cell may start with a header text followed by more words.
                      ColumnCase{"Reto AGA (número)", TableRole::kChallenge},
                      ColumnCase{"Responsable", std::nullopt}, ColumnCase{"", std::nullopt}));

TEST(ReferenceData, RulesAreCompiledAndUnknownRulesThrow) {
  for (const char* name : {"commitments-section", "roman-heading", "commitment-start", "ogp-entry",
                           "section-heading", "challenge-legend", "paragraph-reference"})
    EXPECT_NO_THROW(data().rule(name)) << name;
  EXPECT_THROW(data().rule("no-such-rule"), std::logic_error);
  // Rules are matched against folded lines.
  EXPECT_TRUE(
      std::regex_search(std::string("iii. compromisos"), data().rule("commitments-section")));
  EXPECT_TRUE(
      std::regex_search(std::string("mx0075, 2019, fiscal openness"), data().rule("ogp-entry")));
  EXPECT_FALSE(std::regex_search(std::string("the plan includes 13 commitments"),
                                 data().rule("commitments-section")));
}

TEST(ReferenceData, PlanStartingInAYear) {
  EXPECT_EQ(data().plan_starting("mx", 2011), "mx-2011-2013");
  EXPECT_EQ(data().plan_starting("mx", 2013), "mx-2013-2015");
  EXPECT_EQ(data().plan_starting("mx", 2016), "mx-2016-2018");
  EXPECT_EQ(data().plan_starting("mx", 2019), "mx-2019-2021");
  EXPECT_EQ(data().plan_starting("cl", 2016), "cl-2016-2018");
  // No plan starts in 2017: the latest plan whose years contain it.
  EXPECT_EQ(data().plan_starting("mx", 2017), "mx-2016-2018");
  EXPECT_EQ(data().plan_starting("mx", 1999), std::nullopt);
  EXPECT_EQ(data().plan_starting("zz", 2019), std::nullopt);
}

// match_rule rejects most lines with a cheap test before the rule's pattern; a test that said
// no where the pattern says yes would lose a commitment or a heading. Every line of the
// fixtures, and lines shaped like each rule, must get the pattern's answer.
TEST(MatchRule, QuickTestsNeverRejectALineThePatternMatches) {
  const std::vector<std::string> rules = {
      "commitments-section", "roman-heading",    "commitment-start", "ogp-entry",
      "section-heading",     "challenge-legend", "toc-heading",      "toc-entry"};
  std::vector<std::string> lines = {"III. Compromisos",
                                    "Commitments",
                                    "The commitments of the plan:",
                                    "iv. Next steps",
                                    "Commitment No. 14: To develop",
                                    "COMPROMISO 3. Publicar datos",
                                    "MX0075, 2019, Fiscal Openness",
                                    "ke0031, 2020 Access",
                                    "3.a—Impulso",
                                    "II. Esfuerzos",
                                    "4.2 Promoviendo",
                                    "2.- Increasing public integrity",
                                    "5 Open data\tX",
                                    "Índice",
                                    "Tabla de contenidos:",
                                    "Contents",
                                    "Introduction .......... 3",
                                    "Acrónimos … iv",
                                    "Resumen . . . 12",
                                    "Capítulo\t.\t.\t.\tiv",
                                    "",
                                    "x",
                                    "1",
                                    "Compromiso",
                                    "Commitment 1"};
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(LUPA_SOURCE_DIR) / "tests/data/ogp-world")) {
    std::ifstream file(entry.path());
    for (std::string line; std::getline(file, line);) lines.push_back(line);
  }
  std::size_t matched = 0;
  for (const std::string& rule : rules) {
    EXPECT_TRUE(data().rule_has_quick_test(rule)) << rule << " lost its quick test";
    for (const std::string& line : lines) {
      std::string subject = line.substr(0, 300);
      while (subject.size() < line.size() &&
             (static_cast<unsigned char>(line[subject.size()]) & 0xC0) == 0x80)
        subject += line[subject.size()];
      const bool by_pattern = std::regex_search(fold_for_matching(subject), data().rule(rule));
      EXPECT_EQ(data().match_rule(rule, line).has_value(), by_pattern) << rule << ": " << line;
      matched += by_pattern;
    }
  }
  EXPECT_GT(matched, 100u);  // the fixtures hold headings, entries and commitments of each kind
}

TEST(MatchRule, TheSameLineCutShorterIsMatchedAsCut) {
  // Folded lines are remembered: a line tried whole and then cut must not be read whole again.
  const std::string line = "Compromiso 3. Publicar datos abiertos de contratación";
  const auto whole = data().match_rule("commitment-start", line);
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(whole->back(), "publicar datos abiertos de contratacion");
  const auto cut = data().match_rule("commitment-start", line, 22);
  ASSERT_TRUE(cut.has_value());
  EXPECT_EQ(cut->back(), "publicar");
  EXPECT_EQ(data().match_rule("commitment-start", line)->back(), whole->back());
}

}  // namespace
}  // namespace lupa::analyzers
