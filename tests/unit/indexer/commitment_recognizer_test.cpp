// The commitment recogniser on small invented documents, one per shape it reads, mostly from
// countries other than Mexico (the rules are meant to be general), and on the real corpus.
#include "lupa/indexer/commitment_recognizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "lupa/analyzers/language.h"
#include "lupa/indexer/extractor.h"
#include "lupa/indexer/manifest.h"
#include "lupa/indexer/segmenter.h"
#include "support/temp_dir.h"

namespace lupa::indexer {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

// Sets passage languages as the indexer does: one declared language throughout, otherwise
// identified passage by passage, short passages taking the language of the text before them.
void assign_languages(std::vector<Passage>& passages, const DocumentMetadata& metadata) {
  if (metadata.languages.size() == 1) {
    for (Passage& passage : passages) passage.language = metadata.languages.front();
    return;
  }
  auto previous = metadata.languages.empty()
                      ? analyzers::Language::kSpanish
                      : analyzers::language_from_code(metadata.languages.front());
  for (Passage& passage : passages) {
    previous = analyzers::identify_language(passage.heading + "\n" + passage.text, previous);
    passage.language = std::string(analyzers::language_code(previous));
  }
}

// Segments `text`, sets languages, recognises commitments and tags the passages.
std::vector<Passage> recognize(const std::string& text, const DocumentMetadata& metadata,
                               bool tag = true) {
  std::vector<Passage> passages = segment_text(text).passages;
  assign_languages(passages, metadata);
  recognize_commitments(passages, metadata);
  if (tag) tag_passages(passages, metadata);
  return passages;
}

DocumentMetadata metadata(const std::string& type, const std::string& country,
                          std::vector<std::string> plans, std::vector<std::string> languages) {
  DocumentMetadata result;
  result.type = type;
  result.country = country;
  result.plans = std::move(plans);
  result.languages = std::move(languages);
  return result;
}

std::string describe(const Passage& passage) {
  std::ostringstream out;
  out << "passage " << passage.ordinal << " [" << schema::to_string(passage.kind) << ", "
      << passage.language;
  if (passage.number) out << ", paragraph " << *passage.number;
  if (passage.commitment) {
    out << ", commitment";
    if (passage.commitment->number) out << " " << *passage.commitment->number;
    if (!passage.commitment->ogp_id.empty()) out << " " << passage.commitment->ogp_id;
  }
  if (!passage.section_number.empty()) out << ", section " << passage.section_number;
  out << "] heading '" << passage.heading << "': " << passage.text.substr(0, 100);
  return out.str();
}

std::string describe(const std::vector<Passage>& passages) {
  std::string all;
  for (const Passage& passage : passages) all += describe(passage) + "\n";
  return all;
}

std::vector<const Passage*> commitments(const std::vector<Passage>& passages) {
  std::vector<const Passage*> found;
  for (const Passage& passage : passages)
    if (passage.kind == schema::PassageKind::kCommitment) found.push_back(&passage);
  return found;
}

std::vector<int> commitment_numbers(const std::vector<Passage>& passages) {
  std::vector<int> numbers;
  for (const Passage* passage : commitments(passages)) {
    EXPECT_TRUE(passage->commitment.has_value()) << describe(*passage);
    if (passage->commitment) numbers.push_back(passage->commitment->number.value_or(-1));
  }
  return numbers;
}

const Passage* find_passage(const std::vector<Passage>& passages, const std::string& part) {
  for (const Passage& passage : passages)
    if (passage.text.find(part) != std::string::npos) return &passage;
  return nullptr;
}

const Passage* by_ordinal(const std::vector<Passage>& passages, int ordinal) {
  for (const Passage& passage : passages)
    if (passage.ordinal == ordinal) return &passage;
  return nullptr;
}

std::optional<std::string> field(const Passage& passage, const std::string& name) {
  if (!passage.commitment) return std::nullopt;
  for (const auto& [field_name, value] : passage.commitment->fields)
    if (field_name == name) return value;
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// (1) An action plan: numbered paragraphs under a "Compromisos" heading are commitments, the
// challenge headings between them give their challenge, and the next roman-numbered heading
// ends the list.

constexpr const char* kChileanPlan =
    "Tercer Plan de Acción de Gobierno Abierto de Chile\n"
    "\n"
    "I. Introducción\n"
    "\n"
    "El Gobierno de Chile presenta su tercer plan de acción ante la Alianza para el Gobierno "
    "Abierto, elaborado junto con la sociedad civil durante el año 2016.\n"
    "\n"
    "III. Compromisos\n"
    "\n"
    "Aumentar la integridad pública\n"
    "\n"
    "1. Publicar las declaraciones de patrimonio de las autoridades municipales en un portal "
    "único. Las declaraciones estarán disponibles en formatos reutilizables y se actualizarán "
    "cada año, con un buscador por nombre, cargo y municipio.\n"
    "\n"
    "2. Crear un registro de las audiencias que conceden los alcaldes y concejales. El registro "
    "indicará quién pidió la audiencia, a quién representa, la fecha y los temas tratados, y se "
    "publicará cada mes en el sitio de cada municipio.\n"
    "\n"
    "Mejorar los servicios públicos\n"
    "\n"
    "3. Simplificar los trámites municipales con una ventanilla única en línea. Los vecinos "
    "podrán pedir permisos, pagar derechos y seguir el estado de sus solicitudes sin acudir a "
    "las oficinas municipales ni presentar documentos en papel.\n"
    "\n"
    "IV. Seguimiento\n"
    "\n"
    "1. El Consejo para la Transparencia revisará el avance de cada compromiso cada seis "
    "meses.\n"
    "\n"
    "2. Las organizaciones de la sociedad civil participarán en la mesa de seguimiento.\n";

DocumentMetadata chilean_plan_metadata() {
  return metadata("action-plan", "cl", {"cl-2016-2018"}, {"es"});
}

TEST(RecognizeCommitments, NumberedParagraphsUnderTheCommitmentsHeadingAreCommitments) {
  const auto passages = recognize(kChileanPlan, chilean_plan_metadata());
  EXPECT_EQ(commitment_numbers(passages), (std::vector<int>{1, 2, 3})) << describe(passages);
  const Passage* first = find_passage(passages, "declaraciones de patrimonio");
  ASSERT_NE(first, nullptr) << describe(passages);
  ASSERT_TRUE(first->commitment.has_value()) << describe(*first);
  // A long paragraph is named by its first sentence.
  EXPECT_EQ(first->commitment->title,
            "Publicar las declaraciones de patrimonio de las autoridades municipales en un "
            "portal único.");
  EXPECT_TRUE(first->commitment->ogp_id.empty());
}

TEST(RecognizeCommitments, ChallengeHeadingsGiveTheCommitmentsTheirChallenge) {
  const auto passages = recognize(kChileanPlan, chilean_plan_metadata());
  const auto found = commitments(passages);
  ASSERT_EQ(found.size(), 3u) << describe(passages);
  EXPECT_THAT(found[0]->challenges, ElementsAre("public-integrity")) << describe(*found[0]);
  EXPECT_THAT(found[1]->challenges, ElementsAre("public-integrity")) << describe(*found[1]);
  EXPECT_THAT(found[2]->challenges, ElementsAre("public-services")) << describe(*found[2]);
}

TEST(RecognizeCommitments, ARomanNumberedHeadingEndsTheCommitments) {
  const auto passages = recognize(kChileanPlan, chilean_plan_metadata());
  for (const char* part : {"El Consejo para la Transparencia revisará", "mesa de seguimiento"}) {
    const Passage* passage = find_passage(passages, part);
    ASSERT_NE(passage, nullptr) << part << "\n" << describe(passages);
    EXPECT_EQ(passage->kind, schema::PassageKind::kParagraph) << describe(*passage);
    EXPECT_FALSE(passage->commitment.has_value()) << describe(*passage);
    EXPECT_TRUE(passage->number.has_value()) << "still a numbered paragraph";
  }
  // The body the follow-up paragraph names is tagged although it is no commitment.
  EXPECT_THAT(find_passage(passages, "El Consejo para la Transparencia")->agencies,
              ElementsAre("cl-cplt"));
}

// Plans often give commitments as short titles; the challenge heading after one and the roman
// heading that ends the list must still count as headings.
TEST(RecognizeCommitments, HeadingsAfterShortCommitmentTitlesStillCount) {
  const auto passages = recognize(
      "III. Compromisos\n"
      "\n"
      "Aumentar la integridad pública\n"
      "\n"
      "1. Declaraciones de patrimonio en línea\n"
      "\n"
      "Mejorar los servicios públicos\n"
      "\n"
      "2. Ventanilla única municipal\n"
      "\n"
      "IV. Seguimiento\n"
      "\n"
      "1. El Consejo para la Transparencia revisará el avance de cada compromiso cada seis "
      "meses.\n",
      chilean_plan_metadata());
  EXPECT_EQ(commitment_numbers(passages), (std::vector<int>{1, 2})) << describe(passages);
  const Passage* second = find_passage(passages, "Ventanilla única municipal");
  ASSERT_NE(second, nullptr) << describe(passages);
  EXPECT_THAT(second->challenges, ElementsAre("public-services")) << describe(*second);
  const Passage* first = find_passage(passages, "Declaraciones de patrimonio");
  ASSERT_NE(first, nullptr) << describe(passages);
  EXPECT_EQ(first->text.find("Mejorar"), std::string::npos) << describe(*first);
}

TEST(RecognizeCommitments, NumberedParagraphsOutsideAnActionPlanAreNotCommitments) {
  // The same text as a report: only action plans number their commitments this way.
  const auto passages =
      recognize(kChileanPlan, metadata("other-report", "cl", {"cl-2016-2018"}, {"es"}));
  EXPECT_THAT(commitments(passages), IsEmpty()) << describe(passages);
}

TEST(RecognizeCommitments, OrdinalsAreRenumberedFromOne) {
  const auto passages = recognize(kChileanPlan, chilean_plan_metadata());
  for (std::size_t i = 0; i < passages.size(); ++i)
    EXPECT_EQ(passages[i].ordinal, static_cast<int>(i) + 1) << describe(passages[i]);
}

// ---------------------------------------------------------------------------------------------
// (2) A bilingual plan: the same numbered commitments in Spanish, then in English.

constexpr const char* kBilingualPlan =
    "Plan de Acción de Colombia 2017-2019\n"
    "\n"
    "Compromisos\n"
    "\n"
    "1. Publicar en datos abiertos los contratos de obra pública de los municipios del país.\n"
    "\n"
    "2. Crear un observatorio ciudadano del gasto en educación con las universidades.\n"
    "\n"
    "Commitments\n"
    "\n"
    "1. Publish the public works contracts of the municipalities as open data.\n"
    "\n"
    "2. Create a citizen observatory of the spending on education with the universities.\n";

TEST(RecognizeCommitments, TranslationsOfACommitmentAreLinkedPairwise) {
  const auto passages =
      recognize(kBilingualPlan, metadata("action-plan", "co", {"co-2017-2019"}, {"es", "en"}));
  const auto found = commitments(passages);
  ASSERT_EQ(found.size(), 4u) << describe(passages);
  EXPECT_EQ(commitment_numbers(passages), (std::vector<int>{1, 2, 1, 2}));
  const std::string languages[] = {"es", "es", "en", "en"};
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_EQ(found[i]->language, languages[i]) << describe(*found[i]);
  // Spanish n <-> English n, both ways.
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(found[i]->translation_ordinal, found[i + 2]->ordinal) << describe(*found[i]);
    EXPECT_EQ(found[i + 2]->translation_ordinal, found[i]->ordinal) << describe(*found[i + 2]);
  }
}

TEST(RecognizeCommitments, AMonolingualPlanHasNoTranslations) {
  const auto passages = recognize(kChileanPlan, chilean_plan_metadata());
  for (const Passage& passage : passages)
    EXPECT_EQ(passage.translation_ordinal, 0) << describe(passage);
}

// ---------------------------------------------------------------------------------------------
// (3) "Compromiso No. 4: title" with labelled field lines and the text after them.

constexpr const char* kOutcomeReport =
    "Informe de resultados del plan de acción\n"
    "\n"
    "Compromiso No. 4: Publicar los contratos de obra pública en formato abierto\n"
    "Institución responsable: Secretaría de Hacienda y Crédito Público (SHCP)\n"
    "Organización: Fundar\n"
    "Fecha de cumplimiento: junio 2020\n"
    "\n"
    "La dependencia publicó en su portal los contratos de los últimos cinco años, con sus montos, "
    "sus fechas y sus proveedores, en un formato que permite reutilizarlos sin pedir permiso a "
    "nadie y sin registrarse.\n"
    "\n"
    "Las organizaciones revisaron la calidad de los datos publicados y propusieron mejoras que "
    "fueron atendidas antes de la fecha comprometida, según consta en las minutas de las "
    "reuniones de seguimiento del comité.\n"
    "\n"
    "Compromiso No. 5: Crear un registro de beneficiarios finales de las empresas\n"
    "Institución responsable: Secretaría de la Función Pública (SFP)\n"
    "\n"
    "El registro se encuentra en desarrollo.\n";

DocumentMetadata outcome_report_metadata() {
  return metadata("self-assessment", "mx", {"mx-2019-2021"}, {"es"});
}

TEST(RecognizeCommitments, LabelledCommitmentKeepsItsNumberTitleAndFields) {
  const auto passages = recognize(kOutcomeReport, outcome_report_metadata());
  const auto found = commitments(passages);
  ASSERT_EQ(found.size(), 2u) << describe(passages);
  const Passage& fourth = *found[0];
  ASSERT_TRUE(fourth.commitment.has_value());
  EXPECT_EQ(fourth.commitment->number, 4);
  EXPECT_EQ(fourth.commitment->title, "Publicar los contratos de obra pública en formato abierto");
  EXPECT_EQ(field(fourth, "responsible"), "Secretaría de Hacienda y Crédito Público (SHCP)");
  EXPECT_EQ(field(fourth, "organization"), "Fundar");
  EXPECT_EQ(field(fourth, "compliance_date"), "junio 2020");
}

TEST(RecognizeCommitments, LabelledCommitmentIsTaggedFromItsFields) {
  const auto passages = recognize(kOutcomeReport, outcome_report_metadata());
  const auto found = commitments(passages);
  ASSERT_EQ(found.size(), 2u) << describe(passages);
  EXPECT_THAT(found[0]->responsible, ElementsAre("mx-shcp"));
  EXPECT_THAT(found[0]->agencies, Contains("mx-shcp"));
  EXPECT_THAT(found[0]->organizations, ElementsAre("org-fundar"));
  EXPECT_THAT(found[1]->responsible, ElementsAre("mx-sfp"));
}

TEST(RecognizeCommitments, TextAfterTheFieldsBelongsToTheCommitmentUntilTheNextOne) {
  const auto passages = recognize(kOutcomeReport, outcome_report_metadata());
  const auto found = commitments(passages);
  ASSERT_EQ(found.size(), 2u) << describe(passages);
  const std::string& text = found[0]->text;
  EXPECT_NE(text.find("contratos de los últimos cinco años"), std::string::npos) << text;
  EXPECT_NE(text.find("reuniones de seguimiento del comité"), std::string::npos) << text;
  EXPECT_EQ(text.find("beneficiarios finales"), std::string::npos) << text;
  EXPECT_NE(found[1]->text.find("El registro se encuentra en desarrollo."), std::string::npos)
      << found[1]->text;
  // Nothing is left over as a passage of its own: a heading and two commitments.
  for (const Passage& passage : passages) {
    if (passage.kind == schema::PassageKind::kCommitment) continue;
    EXPECT_EQ(passage.text.find("cinco años"), std::string::npos) << describe(passage);
  }
}

TEST(RecognizeCommitments, EnglishLabelledCommitment) {
  const auto passages = recognize(
      "Results\n\nCommitment No. 9: Open the budget of the ministry\nResponsible authority: "
      "Consejo para la Transparencia (CPLT)\nStatus: Complete\n",
      metadata("irm-report", "cl", {"cl-2014-2016"}, {"en"}));
  const auto found = commitments(passages);
  ASSERT_EQ(found.size(), 1u) << describe(passages);
  EXPECT_EQ(found[0]->commitment->number, 9);
  EXPECT_EQ(found[0]->commitment->title, "Open the budget of the ministry");
  EXPECT_THAT(found[0]->responsible, ElementsAre("cl-cplt"));
  EXPECT_EQ(found[0]->status, "complete");
}

TEST(RecognizeCommitments, CitedParagraphsOfTheOriginalPlanAreRead) {
  const auto passages = recognize(
      "Results\n\nCommitment No. 3: Publish the budget\nParagraph of the Original Action Plan: "
      "21 y 22\nResponsible authority: Ministry of Public Administration (SFP)\n",
      metadata("self-assessment", "mx", {"mx-2011-2013"}, {"en"}));
  const auto found = commitments(passages);
  ASSERT_EQ(found.size(), 1u) << describe(passages);
  EXPECT_EQ(field(*found[0], "original_paragraph"), "21 y 22");
  EXPECT_EQ(found[0]->commitment->original_paragraphs, (std::vector<int>{21, 22}));
  EXPECT_THAT(found[0]->responsible, ElementsAre("mx-sfp"));
}

TEST(RecognizeCommitments, APassageWithAResponsibleFieldIsACommitment) {
  // An outcome report: the commitment starts at the line before its first field.
  const auto passages = recognize(
      "Outcomes\n\n"
      "The government pledged to publish every public works contract of the ministry as open "
      "data within the first year of the plan, with the amounts and the suppliers.\n"
      "Responsible authority: Ministry of Public Administration (SFP)\n"
      "Status: Substantial\n",
      metadata("irm-report", "mx", {"mx-2016-2018"}, {"en"}));
  const auto found = commitments(passages);
  ASSERT_EQ(found.size(), 1u) << describe(passages);
  EXPECT_FALSE(found[0]->commitment->number.has_value());
  EXPECT_TRUE(found[0]->commitment->title.starts_with("The government pledged"))
      << found[0]->commitment->title;
  EXPECT_THAT(found[0]->responsible, ElementsAre("mx-sfp"));
  EXPECT_EQ(found[0]->status, "substantial");
}

// ---------------------------------------------------------------------------------------------
// (4) OGP website entries: "1. Title" followed by "CL0012, 2016, Open Data".

constexpr const char* kOgpPage =
    "Chile\n"
    "\n"
    "Commitments\n"
    "\n"
    "1. Some title\n"
    "\n"
    "CL0012, 2016, Open Data\n"
    "\n"
    "2. Another title\n"
    "\n"
    "CL0004, 2014, Fiscal Openness\n"
    "\n"
    "3. A third title\n"
    "\n"
    "CL0013, 2016, Anti-Corruption\n";

TEST(RecognizeCommitments, OgpEntriesCarryTheirIdPlanAndPolicyArea) {
  const auto passages =
      recognize(kOgpPage, metadata("ogp-web-page", "cl", {"cl-2014-2016", "cl-2016-2018"}, {"en"}));
  const auto found = commitments(passages);
  ASSERT_EQ(found.size(), 3u) << describe(passages);
  struct Expected {
    const char* ogp_id;
    const char* plan;
    const char* theme;
    const char* title;
    int number;  // within its plan
  } const expected[] = {{"CL0012", "cl-2016-2018", "open-data", "Some title", 1},
                        {"CL0004", "cl-2014-2016", "fiscal-openness", "Another title", 1},
                        {"CL0013", "cl-2016-2018", "anti-corruption", "A third title", 2}};
  for (std::size_t i = 0; i < 3; ++i) {
    const Passage& passage = *found[i];
    ASSERT_TRUE(passage.commitment.has_value()) << describe(passage);
    EXPECT_EQ(passage.commitment->ogp_id, expected[i].ogp_id) << describe(passage);
    EXPECT_THAT(passage.plans, ElementsAre(expected[i].plan)) << describe(passage);
    EXPECT_THAT(passage.themes, Contains(expected[i].theme)) << describe(passage);
    EXPECT_EQ(passage.commitment->title, expected[i].title) << describe(passage);
    EXPECT_EQ(passage.commitment->number, expected[i].number) << describe(passage);
  }
}

TEST(RecognizeCommitments, OgpEntriesAreNotTranslationsOfEachOther) {
  const auto passages =
      recognize(kOgpPage, metadata("ogp-web-page", "cl", {"cl-2016-2018"}, {"es", "en"}));
  for (const Passage& passage : passages)
    EXPECT_EQ(passage.translation_ordinal, 0) << describe(passage);
}

// ---------------------------------------------------------------------------------------------
// (5) A compliance table: one commitment per row.

constexpr const char* kComplianceTable =
    "Cumplimiento de los compromisos\n"
    "\n"
    "Número en el plan\tPalabras clave\tReto AGA\tEvaluación global\n"
    "1\tDatos abiertos de compras\t3\tTC\n"
    "2\tDeclaraciones patrimoniales\t2\tPC\n"
    "3\tAtención ciudadana en línea\t1\tNC\n";

TEST(RecognizeCommitments, EveryTableRowIsACommitmentWithStatusAndChallenge) {
  const auto passages = recognize(kComplianceTable, metadata("self-assessment", "pe", {}, {"es"}));
  const auto found = commitments(passages);
  ASSERT_EQ(found.size(), 3u) << describe(passages);
  struct Expected {
    int number;
    const char* title;
    const char* status;
    const char* challenge;
  } const expected[] = {{1, "Datos abiertos de compras", "total", "public-resources"},
                        {2, "Declaraciones patrimoniales", "partial", "public-integrity"},
                        {3, "Atención ciudadana en línea", "none", "public-services"}};
  for (std::size_t i = 0; i < 3; ++i) {
    const Passage& passage = *found[i];
    ASSERT_TRUE(passage.commitment.has_value()) << describe(passage);
    EXPECT_EQ(passage.commitment->number, expected[i].number) << describe(passage);
    EXPECT_EQ(passage.commitment->title, expected[i].title) << describe(passage);
    EXPECT_EQ(passage.status, expected[i].status) << describe(passage);
    EXPECT_THAT(passage.challenges, Contains(expected[i].challenge)) << describe(passage);
    // The row is searchable with its column names.
    EXPECT_NE(passage.text.find("Palabras clave: "), std::string::npos) << passage.text;
  }
  // The header stays a passage of its own, before the rows.
  ASSERT_FALSE(passages.empty());
  EXPECT_EQ(passages.front().kind, schema::PassageKind::kParagraph) << describe(passages);
  EXPECT_NE(passages.front().text.find("Número en el plan"), std::string::npos);
}

TEST(RecognizeCommitments, ATableWithoutNumberAndTitleColumnsIsLeftAlone) {
  const auto passages =
      recognize("Presupuesto\n\nAño\tMonto\tFuente\n2019\t100\tHacienda\n2020\t120\tHacienda\n",
                metadata("other-report", "pe", {}, {"es"}));
  EXPECT_THAT(commitments(passages), IsEmpty()) << describe(passages);
}

// ---------------------------------------------------------------------------------------------
// (6) Numbered section headings.

TEST(RecognizeCommitments, TextUnderANumberedSectionHeadingIsASection) {
  const auto passages = recognize(
      "2.a—Resultados\n"
      "\n"
      "El portal recibió más de diez mil visitas durante el primer año y se publicaron veinte "
      "conjuntos de datos.\n"
      "\n"
      "2.b—Retos\n"
      "\n"
      "Falta capacitar a los funcionarios municipales en el uso de la plataforma.\n",
      metadata("irm-report", "cl", {"cl-2016-2018"}, {"es"}));
  const Passage* results = find_passage(passages, "diez mil visitas");
  const Passage* challenges = find_passage(passages, "capacitar a los funcionarios");
  ASSERT_NE(results, nullptr) << describe(passages);
  ASSERT_NE(challenges, nullptr) << describe(passages);
  EXPECT_EQ(results->kind, schema::PassageKind::kSection) << describe(*results);
  EXPECT_EQ(results->section_number, "2.a") << describe(*results);
  EXPECT_EQ(challenges->kind, schema::PassageKind::kSection) << describe(*challenges);
  EXPECT_EQ(challenges->section_number, "2.b") << describe(*challenges);
}

struct SectionCase {
  const char* heading;
  const char* number;
  friend void PrintTo(const SectionCase& c, std::ostream* out) { *out << c.heading; }
};

class SectionHeading : public ::testing::TestWithParam<SectionCase> {};

// A heading may write its number with a spaced dash ("2.a — Resultados"); heading levels are
// joined with " › ", so the dash stays part of the heading.
TEST_P(SectionHeading, GivesTheSectionNumber) {
  const auto passages = recognize(std::string(GetParam().heading) +
                                      "\n\nEl portal recibió más de diez mil visitas durante "
                                      "el primer año de operación.\n",
                                  metadata("irm-report", "cl", {"cl-2016-2018"}, {"es"}));
  const Passage* passage = find_passage(passages, "diez mil visitas");
  ASSERT_NE(passage, nullptr) << describe(passages);
  EXPECT_EQ(passage->kind, schema::PassageKind::kSection) << describe(*passage);
  EXPECT_EQ(passage->section_number, GetParam().number) << describe(*passage);
}

INSTANTIATE_TEST_SUITE_P(Headings, SectionHeading,
                         ::testing::Values(SectionCase{"2.a—Resultados", "2.a"},
                                           SectionCase{"2.a \xE2\x80\x94 Resultados", "2.a"},
                                           SectionCase{"3.a - Impulso a la transparencia", "3.a"},
                                           SectionCase{"4.2 Promoviendo la participación", "4.2"},
                                           SectionCase{"1 - ¿Qué es el plan?", "1"}));

TEST(RecognizeCommitments, TextUnderAPlainHeadingIsAParagraph) {
  const auto passages =
      recognize("Resultados\n\nEl portal recibió más de diez mil visitas durante el primer año.\n",
                metadata("irm-report", "cl", {"cl-2016-2018"}, {"es"}));
  ASSERT_EQ(passages.size(), 1u) << describe(passages);
  EXPECT_EQ(passages[0].kind, schema::PassageKind::kParagraph);
  EXPECT_TRUE(passages[0].section_number.empty());
}

// ---------------------------------------------------------------------------------------------
// (7) A report paragraph that names a body is tagged, but is no commitment.

TEST(TagPassages, APlainMentionOfABodyIsAnAgencyNotAResponsibleOne) {
  const auto passages = recognize(
      "Antecedentes\n\n"
      "En 2018 la Secretaría de la Función Pública presentó un informe sobre el avance de los "
      "compromisos del plan de acción ante el comité coordinador.\n",
      metadata("other-report", "mx", {"mx-2016-2018"}, {"es"}));
  ASSERT_EQ(passages.size(), 1u) << describe(passages);
  EXPECT_EQ(passages[0].kind, schema::PassageKind::kParagraph);
  EXPECT_FALSE(passages[0].commitment.has_value());
  EXPECT_THAT(passages[0].agencies, ElementsAre("mx-sfp"));
  EXPECT_THAT(passages[0].responsible, IsEmpty());
}

DocumentMetadata mexican() {
  DocumentMetadata metadata;
  metadata.country = "mx";
  return metadata;
}

TEST(TagPassages, ThemesAndChallengesComeFromHeadingAndText) {
  std::vector<Passage> passages(1);
  passages[0].heading = "Aumentar la integridad pública";
  passages[0].text = "Se publicará el presupuesto en datos abiertos.";
  passages[0].language = "es";
  tag_passages(passages, mexican());
  EXPECT_THAT(passages[0].challenges, ElementsAre("public-integrity"));
  EXPECT_THAT(passages[0].themes, Contains("fiscal-openness"));
  EXPECT_THAT(passages[0].themes, Contains("open-data"));
}

TEST(TagPassages, EachValueIsListedOnce) {
  std::vector<Passage> passages(1);
  passages[0].text = "La SFP, la Secretaría de la Función Pública y otra vez la SFP.";
  passages[0].language = "es";
  tag_passages(passages, mexican());
  tag_passages(passages, mexican());  // running twice adds nothing
  EXPECT_THAT(passages[0].agencies, ElementsAre("mx-sfp"));
}

TEST(TagPassages, AcronymsAreCaseSensitive) {
  std::vector<Passage> passages(1);
  passages[0].text = "Informe publicado el 30 de sep de 2019.";
  passages[0].language = "es";
  tag_passages(passages, mexican());
  EXPECT_THAT(passages[0].agencies, IsEmpty()) << "\"sep\" is a month, not the SEP";
}

// ---------------------------------------------------------------------------------------------
// OGP's templates and IRM reports, from any member.

// An action plan in OGP's template: a contents page, two commitments with their fields,
// questions and milestone tables.
const std::string kTemplatePlan =
    "Kenya National Action Plan 2023-2027\n\n"
    "Table of Contents\n\n"
    "Commitment 1: Open Contracting ........................ 10\n"
    "Commitment 2: Beneficial Ownership .................... 12\n\n"
    "Commitment 1: Open Contracting\n\n"
    "Lead implementing agency/actor: Public Procurement Regulatory Authority\n"
    "Contact: Jane Wanjiru, Director of Procurement, jane@example.go.ke\n"
    "Other actors involved: Government: Kenya School of Government; Civil society: Open "
    "Contracting Partnership\n\n"
    "What is the public problem?\n"
    "Tenders are published late and in formats nobody can reuse.\n\n"
    "Milestone activity\tStart date\tEnd date\n"
    "1.\tPublish every tender in the open contracting standard\tJan 2024\tDec 2024\n"
    "2.\tTrain county procurement officers\tJan 2025\tJun 2025\n\n"
    "Commitment 2: Beneficial Ownership\n\n"
    "Lead implementing agency/actor\n"
    "Business Registration Service\n\n"
    "What is the commitment?\n"
    "Open the register of beneficial owners to the public.\n";

TEST(OgpTemplate, CommitmentsKeepTheirMilestonesAndTheContentsPageIsNoPassage) {
  const auto passages = recognize(kTemplatePlan, metadata("action-plan", "ke", {}, {"en"}));
  EXPECT_EQ(commitment_numbers(passages), (std::vector<int>{1, 2})) << describe(passages);
  EXPECT_EQ(find_passage(passages, "....."), nullptr) << "the contents page is not indexed";
  const Passage* first = find_passage(passages, "Commitment 1: Open Contracting");
  ASSERT_NE(first, nullptr);
  for (const char* inside : {"What is the public problem?", "Tenders are published late",
                             "Train county procurement officers"})
    EXPECT_NE(first->text.find(inside), std::string::npos) << inside << "\n" << first->text;
}

TEST(OgpTemplate, LeadSupportingAndUnknownBodiesAreKeptAndAContactIsNoInstitution) {
  const auto passages = recognize(kTemplatePlan, metadata("action-plan", "ke", {}, {"en"}));
  const Passage* first = find_passage(passages, "Commitment 1: Open Contracting");
  ASSERT_NE(first, nullptr);
  EXPECT_THAT(first->responsible, ElementsAre("ke-ppra"));
  // Not in agencies.tsv: kept under an id of its own; the civil-society part is not a body.
  EXPECT_THAT(first->supporting, ElementsAre("ke-kenya-school-of-government"));
  ASSERT_EQ(first->discovered.size(), 1u);
  EXPECT_EQ(first->discovered[0].name, "Kenya School of Government");
  for (const std::string& value : first->agencies)
    EXPECT_EQ(value.find("jane"), std::string::npos) << "a contact person is no body";
  // A label alone on its line, its value on the next.
  const Passage* second = find_passage(passages, "Commitment 2: Beneficial Ownership");
  ASSERT_NE(second, nullptr);
  EXPECT_THAT(second->responsible, ElementsAre(::testing::StartsWith("ke-")));
}

TEST(OgpTemplate, AResponsibleLineNamingAPersonIsNotACommitment) {
  const auto passages =
      recognize("Contacto\n\nResponsable: Ana María López, Directora de Datos Abiertos\n",
                metadata("action-plan", "ar", {}, {"es"}));
  EXPECT_THAT(commitment_numbers(passages), IsEmpty()) << describe(passages);
}

TEST(IrmReport, RatingsComeFromTheSectionAndFromTheSummaryTableInBothLanguages) {
  const std::string report =
      "Informe de Resultados\n\n"
      "Tabla 1. Resumen de los compromisos\n\n"
      "Compromiso\tImpacto potencial\tNivel de cumplimiento\tCompromiso estelar\n"
      "1. Datos abiertos\tModerado\tSustancial\tNo\n"
      "2. Contratación abierta\tTransformador\tCompleto\tSí\n\n"
      "Compromiso 2: Contratación abierta\n"
      "Institución responsable: Colombia Compra Eficiente\n"
      "Relevancia frente a los valores de OGP: Acceso a la información, Rendición de cuentas\n"
      "¿Contribuyó a abrir el gobierno? Sobresaliente\n";
  const auto passages = recognize(report, metadata("irm-report", "co", {}, {"es"}));
  const Passage* section = find_passage(passages, "Compromiso 2: Contratación abierta");
  ASSERT_NE(section, nullptr) << describe(passages);
  EXPECT_EQ(section->irm.opened_government, "outstanding");
  EXPECT_THAT(section->irm.ogp_values,
              ElementsAre("access-to-information", "public-accountability"));
  // What only the table says reaches the section's commitment.
  EXPECT_EQ(section->irm.potential_impact, "transformative");
  EXPECT_EQ(section->irm.completion, "complete");
  EXPECT_EQ(section->irm.starred, true);
  EXPECT_EQ(section->status, "complete") << "completion is the commitment's compliance";
  const Passage* row = find_passage(passages, "1. Datos abiertos");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->irm.completion, "substantial");
  EXPECT_EQ(row->irm.starred, false);
  EXPECT_EQ(row->commitment->title, "Datos abiertos") << "not the last column, which also "
                                                         "starts with \"Compromiso\"";
}

TEST(OgpCommitmentPage, ThePageIsOneCommitmentWithItsIdTitleAndRatings) {
  DocumentMetadata page = metadata("ogp-web-page", "gb", {}, {"en"});
  page.title = "Transparency of Lobbying (UK0120)";
  const auto passages = recognize(
      "Transparency of Lobbying (UK0120)\n\nInstitutions\n\nLead Institution: Cabinet Office\n\n"
      "Design\n\nPotential for Results: Modest\n",
      page);
  ASSERT_EQ(commitments(passages).size(), 1u) << describe(passages);
  const Passage& commitment = *commitments(passages).front();
  EXPECT_EQ(commitment.commitment->ogp_id, "UK0120");
  EXPECT_EQ(commitment.commitment->title, "Transparency of Lobbying");
  EXPECT_EQ(commitment.irm.potential_results, "modest");
  EXPECT_THAT(commitment.responsible, ElementsAre("gb-cabinet-office"));
}

// ---------------------------------------------------------------------------------------------
// The real corpus, with the manifest's metadata, as the indexer reads it.

class CorpusDocument : public ::testing::Test {
 protected:
  static std::vector<Passage> recognize_corpus_file(const std::string& name) {
    const auto path = lupa::testing::corpus_dir() / name;
    const auto manifest = load_manifest(lupa::testing::corpus_dir() / kManifestFileName);
    EXPECT_TRUE(manifest.contains(name)) << name;
    const DocumentMetadata& given = manifest.at(name);
    const std::string text = extract_text(path, lupa::testing::read_file(path)).text;
    std::vector<Passage> passages = segment_text(text).passages;
    assign_languages(passages, given);
    recognize_commitments(passages, given);
    tag_passages(passages, given);
    return passages;
  }
};

TEST_F(CorpusDocument, Summary2019HasThirteenNumberedCommitments) {
  const auto passages = recognize_corpus_file("mx-2019-2021-action-plan-summary.txt");
  std::vector<int> expected;
  for (int n = 1; n <= 13; ++n) expected.push_back(n);
  EXPECT_EQ(commitment_numbers(passages), expected) << describe(passages);
  const auto found = commitments(passages);
  ASSERT_EQ(found.size(), 13u);
  EXPECT_EQ(found[0]->commitment->title, "Open and responsible spending on social programs");
  EXPECT_EQ(found[10]->commitment->title, "Towards the disclosure of beneficial ownership");
  EXPECT_THAT(found[10]->themes, Contains("beneficial-ownership"));
  for (const Passage* passage : found) EXPECT_TRUE(passage->plans.empty()) << describe(*passage);
}

TEST_F(CorpusDocument, OgpPageListsEightySevenCommitmentsWithTheirPlans) {
  const auto passages = recognize_corpus_file("mx-ogp-member-page.txt");
  const auto found = commitments(passages);
  EXPECT_EQ(found.size(), 87u) << describe(passages);
  const std::map<std::string, std::string> plan_of_year = {{"2011", "mx-2011-2013"},
                                                           {"2013", "mx-2013-2015"},
                                                           {"2016", "mx-2016-2018"},
                                                           {"2019", "mx-2019-2021"}};
  std::set<std::string> ids;
  std::map<std::string, int> per_plan;
  for (const Passage* passage : found) {
    ASSERT_TRUE(passage->commitment.has_value()) << describe(*passage);
    const std::string& id = passage->commitment->ogp_id;
    EXPECT_TRUE(id.size() == 6 && id.starts_with("MX")) << describe(*passage);
    EXPECT_TRUE(ids.insert(id).second) << "twice: " << id;
    const auto year = field(*passage, "year");
    ASSERT_TRUE(year.has_value()) << describe(*passage);
    ASSERT_TRUE(plan_of_year.contains(*year)) << *year << ": " << describe(*passage);
    EXPECT_THAT(passage->plans, ElementsAre(plan_of_year.at(*year))) << describe(*passage);
    ++per_plan[passage->plans.front()];
  }
  EXPECT_EQ(ids.size(), 87u);
  // The website lists 13 commitments of the 2019-2021 plan, numbered 1..13 there.
  EXPECT_EQ(per_plan["mx-2019-2021"], 13);
  const Passage* first = find_passage(passages, "MX0075");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->commitment->title, "Citizen Oversight of Social Program Spending");
  EXPECT_EQ(first->commitment->number, 1);
  EXPECT_THAT(first->themes, Contains("fiscal-openness"));
}

TEST_F(CorpusDocument, ActionPlan2011HasCommitments21To38InBothLanguagesLinkedPairwise) {
  const auto passages = recognize_corpus_file("mx-2011-action-plan-es-en.txt");
  const auto found = commitments(passages);
  ASSERT_EQ(found.size(), 36u) << describe(passages);
  std::vector<int> expected;
  for (int round = 0; round < 2; ++round)
    for (int n = 21; n <= 38; ++n) expected.push_back(n);
  EXPECT_EQ(commitment_numbers(passages), expected);
  for (std::size_t i = 0; i < 18; ++i) {
    const Passage& spanish = *found[i];
    const Passage& english = *found[i + 18];
    EXPECT_EQ(spanish.language, "es") << describe(spanish);
    EXPECT_EQ(english.language, "en") << describe(english);
    EXPECT_EQ(spanish.translation_ordinal, english.ordinal) << describe(spanish);
    EXPECT_EQ(english.translation_ordinal, spanish.ordinal) << describe(english);
    const Passage* translation = by_ordinal(passages, spanish.translation_ordinal);
    ASSERT_NE(translation, nullptr);
    EXPECT_EQ(translation->commitment->number, spanish.commitment->number);
  }
  // Paragraphs before the commitments heading are not commitments.
  const Passage* introduction = find_passage(passages, "Los compromisos planteados aquí");
  ASSERT_NE(introduction, nullptr);
  EXPECT_EQ(introduction->kind, schema::PassageKind::kParagraph);
}

TEST_F(CorpusDocument, SelfAssessmentTableGivesThirtyEightRowsWithAStatus) {
  const auto passages = recognize_corpus_file("mx-2012-self-assessment-report.txt");
  std::vector<const Passage*> rows;
  for (const Passage* passage : commitments(passages))
    if (field(*passage, "original_number")) rows.push_back(passage);
  EXPECT_EQ(rows.size(), 38u) << describe(passages);
  for (const Passage* row : rows) {
    EXPECT_TRUE(row->status.has_value()) << describe(*row);
    EXPECT_EQ(row->challenges.size(), 1u) << describe(*row);
  }
  const Passage* first = find_passage(passages, "Public servants");
  ASSERT_NE(first, nullptr);
  ASSERT_TRUE(first->commitment.has_value()) << describe(*first);
  EXPECT_EQ(first->commitment->number, 1);
  EXPECT_EQ(first->status, "total");
  // The report numbers the challenges its own way (its legend swaps 4 and 5).
  EXPECT_THAT(first->challenges, ElementsAre("public-services"));
  const Passage* bribery = find_passage(passages, "Transnational bribery");
  ASSERT_NE(bribery, nullptr);
  EXPECT_EQ(bribery->status, "partial");
  EXPECT_THAT(bribery->challenges, ElementsAre("corporate-accountability"));
}

TEST_F(CorpusDocument, SelfAssessmentCommitment14NamesTheAttorneyGeneralAsResponsible) {
  const auto passages = recognize_corpus_file("mx-2012-self-assessment-report.txt");
  const Passage* passage = find_passage(passages, "Commitment No. 14");
  ASSERT_NE(passage, nullptr);
  EXPECT_EQ(passage->kind, schema::PassageKind::kCommitment) << describe(*passage);
  ASSERT_TRUE(passage->commitment.has_value());
  EXPECT_EQ(passage->commitment->number, 14);
  EXPECT_TRUE(passage->commitment->title.starts_with("To develop a program"))
      << passage->commitment->title;
  EXPECT_EQ(field(*passage, "responsible"), "Attorney General's Office (PGR)");
  EXPECT_EQ(field(*passage, "compliance_date"), "September 2012");
  EXPECT_THAT(passage->responsible, ElementsAre("mx-fgr"));
  EXPECT_THAT(passage->organizations, Contains("org-article19"));
  // Its description runs until the next commitment.
  EXPECT_NE(passage->text.find("The proposal made to the PGR was fulfilled"), std::string::npos);
  EXPECT_EQ(passage->text.find("Commitment No. 23"), std::string::npos);
}

}  // namespace
}  // namespace lupa::indexer
