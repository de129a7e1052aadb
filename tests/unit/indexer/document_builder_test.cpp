#include "lupa/indexer/document_builder.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lupa/analyzers/passage_record.h"
#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/stemming.h"

namespace lupa::indexer {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using FacetValues = std::map<std::string, std::vector<std::string>>;

// The counted facet values of a document, decoded from kSlotFacetValues, by facet name.
FacetValues counted_values(const Xapian::Document& document,
                           schema::FacetTable table = schema::standard_facets()) {
  FacetValues values;
  schema::decode_facet_values(document.get_value(schema::kSlotFacetValues),
                              [&](std::size_t index, std::string_view value) {
                                if (index >= table.size()) {
                                  ADD_FAILURE() << "no facet has code index " << index;
                                  return;
                                }
                                values[std::string(table[index].name)].emplace_back(value);
                              });
  return values;
}

std::set<std::string> terms_of(const Xapian::Document& document) {
  return {document.termlist_begin(), document.termlist_end()};
}

Poco::JSON::Object::Ptr stored_of(const Xapian::Document& document) {
  return Poco::JSON::Parser().parse(document.get_data()).extract<Poco::JSON::Object::Ptr>();
}

std::vector<std::string> strings(const Poco::JSON::Array::Ptr& array) {
  std::vector<std::string> values;
  if (!array) return values;
  for (unsigned i = 0; i < array->size(); ++i) values.push_back(array->getElement<std::string>(i));
  return values;
}

DocumentMetadata plan_metadata() {
  DocumentMetadata metadata;
  metadata.title = "Plan de Acción";
  metadata.country = "mx";
  metadata.plans = {"mx-2011-2013", "mx-2013-2015"};
  metadata.type = "action-plan";
  metadata.languages = {"es", "en"};
  metadata.date = "2011-09-20";
  metadata.source = "Government of Mexico";
  return metadata;
}

Passage numbered_paragraph() {
  Passage passage;
  passage.ordinal = 1;
  passage.heading = "Aumentar la Integridad Pública";
  passage.number = 25;
  passage.page = 5;
  passage.text = "25. Este compromiso consiste en profundizar la publicación de información.";
  passage.language = "es";
  return passage;
}

Passage commitment_passage() {
  Passage passage;
  passage.ordinal = 7;
  passage.kind = schema::PassageKind::kCommitment;
  passage.heading = "Commitments";
  passage.text = "Commitment No. 14: Publish the procurement data.\nResponsible authority: SFP";
  passage.language = "en";
  passage.section_number = "3.a";
  passage.translation_ordinal = 3;
  passage.plans = {"mx-2013-2015"};
  passage.agencies = {"mx-sfp", "mx-shcp"};
  passage.responsible = {"mx-sfp"};
  passage.organizations = {"org-fundar"};
  passage.challenges = {"public-integrity"};
  passage.themes = {"open-contracting", "anti-corruption"};
  passage.status = "total";
  Commitment commitment;
  commitment.number = 14;
  commitment.ogp_id = "MX0031";
  commitment.title = "Publish the procurement data.";
  commitment.fields = {{"responsible", "SFP"}, {"compliance_date", "June 2013"}};
  commitment.original_paragraphs = {21, 22};
  passage.commitment = commitment;
  return passage;
}

TEST(DocumentBuilder, ParagraphCarriesIdFileStemAndFacetTerms) {
  DocumentBuilder builder;
  const Xapian::Document document =
      builder.build("corpus/plan.txt", plan_metadata(), numbered_paragraph(), 1'700'000'000);
  const auto terms = terms_of(document);
  for (const char* term :
       {"Qcorpus.plan-txt.0001", "XFcorpus/plan.txt", "XPmx-2011-2013", "XPmx-2013-2015",
        "XTaction-plan", "XLes", "XKparagraph", "XNmx", "XY2011", "Zinform"})
    EXPECT_TRUE(terms.contains(term)) << term;
  // The heading is searchable too.
  EXPECT_TRUE(terms.contains(
      std::string("Z").append(analyzers::index_stem("integridad", analyzers::Language::kSpanish))));
  // Words are indexed as stems only (see passage_analyzer.h).
  EXPECT_FALSE(terms.contains("informacion"));
  // A paragraph names no commitment.
  for (const std::string& term : terms) EXPECT_FALSE(term.starts_with("XM")) << term;
}

TEST(DocumentBuilder, CountedFacetValuesShareOneSlot) {
  DocumentBuilder builder;
  const Xapian::Document document =
      builder.build("corpus/plan.txt", plan_metadata(), numbered_paragraph(), 1'700'000'000);
  EXPECT_EQ(counted_values(document), (FacetValues{{"plan", {"mx-2011-2013", "mx-2013-2015"}},
                                                   {"type", {"action-plan"}},
                                                   {"lang", {"es"}},
                                                   {"kind", {"paragraph"}},
                                                   {"country", {"mx"}},
                                                   {"year", {"2011"}}}));
}

TEST(DocumentBuilder, IndexedAtIsASortableValueAndTheOrdinalIsInTheDataAlone) {
  DocumentBuilder builder;
  Passage passage = numbered_paragraph();
  passage.ordinal = 42;
  const Xapian::Document document =
      builder.build("corpus/plan.txt", plan_metadata(), passage, 1'700'000'123);
  EXPECT_EQ(Xapian::sortable_unserialise(document.get_value(schema::kSlotIndexedAt)),
            1'700'000'123.0);
  EXPECT_EQ(schema::PassageRecord::parse(document.get_data()).ordinal, 42);
  // Slot 1 held the ordinal until lupa-analysis/12: nothing read it.
  EXPECT_TRUE(document.get_value(1).empty());
}

TEST(DocumentBuilder, ARepeatedValueIsWrittenOnce) {
  // A manifest may list a plan twice and a recogniser may find a body twice: each value is
  // written once per passage, so a facet count never exceeds the passages that match.
  DocumentMetadata metadata = plan_metadata();
  metadata.plans = {"mx-2011-2013", "mx-2011-2013"};
  Passage passage = commitment_passage();
  passage.plans.clear();
  passage.agencies = {"mx-sfp", "mx-sfp", "mx-shcp", "mx-sfp"};
  passage.themes = {"anti-corruption", "anti-corruption"};
  DocumentBuilder builder;
  const FacetValues values =
      counted_values(builder.build("corpus/plan.txt", metadata, passage, 1'700'000'000));
  EXPECT_EQ(values.at("plan"), (std::vector<std::string>{"mx-2011-2013"}));
  EXPECT_EQ(values.at("agency"), (std::vector<std::string>{"mx-sfp", "mx-shcp"}));
  EXPECT_EQ(values.at("theme"), (std::vector<std::string>{"anti-corruption"}));
  for (const auto& [facet, list] : values)
    EXPECT_EQ(std::set<std::string>(list.begin(), list.end()).size(), list.size()) << facet;
}

TEST(DocumentBuilder, CommitmentCarriesItsRecognisedFacets) {
  DocumentBuilder builder;
  const Xapian::Document document =
      builder.build("corpus/report.txt", plan_metadata(), commitment_passage(), 1'700'000'000);
  const auto terms = terms_of(document);
  for (const char* term :
       {"Qcorpus.report-txt.0007", "XKcommitment", "XPmx-2013-2015", "XAmx-sfp", "XAmx-shcp",
        "XRmx-sfp", "XOorg-fundar", "XCpublic-integrity", "XHopen-contracting", "XHanti-corruption",
        "XStotal", "XMMX0031", "XLen"})
    EXPECT_TRUE(terms.contains(term)) << term;
  // The passage's own plans override the document's.
  EXPECT_FALSE(terms.contains("XPmx-2011-2013"));

  const FacetValues values = counted_values(document);
  EXPECT_EQ(values.at("plan"), (std::vector<std::string>{"mx-2013-2015"}));
  EXPECT_EQ(values.at("agency"), (std::vector<std::string>{"mx-sfp", "mx-shcp"}));
  EXPECT_EQ(values.at("responsible"), (std::vector<std::string>{"mx-sfp"}));
  EXPECT_EQ(values.at("organization"), (std::vector<std::string>{"org-fundar"}));
  EXPECT_EQ(values.at("challenge"), (std::vector<std::string>{"public-integrity"}));
  EXPECT_EQ(values.at("theme"), (std::vector<std::string>{"open-contracting", "anti-corruption"}));
  EXPECT_EQ(values.at("status"), (std::vector<std::string>{"total"}));
  EXPECT_EQ(values.at("kind"), (std::vector<std::string>{"commitment"}));
  // OGP ids are filterable but not counted.
  EXPECT_FALSE(values.contains("commitment"));
}

TEST(DocumentBuilder, CommitmentTitleIsSearchable) {
  Passage passage = commitment_passage();
  passage.text = "Responsible authority: SFP";
  passage.commitment->title = "Publish the procurement data";
  DocumentBuilder builder;
  const auto terms =
      terms_of(builder.build("corpus/report.txt", plan_metadata(), passage, 1'700'000'000));
  EXPECT_TRUE(terms.contains(std::string("Z").append(
      analyzers::index_stem("procurement", analyzers::Language::kEnglish))));
}

TEST(DocumentBuilder, StoredFieldsOfAParagraph) {
  DocumentBuilder builder;
  const auto stored = stored_of(
      builder.build("corpus/plan.txt", plan_metadata(), numbered_paragraph(), 1'700'000'000));
  EXPECT_EQ(stored->getValue<std::string>("id"), "corpus.plan-txt.0001");
  EXPECT_EQ(stored->getValue<std::string>("doc"), "corpus/plan.txt");
  EXPECT_EQ(stored->getValue<std::string>("title"), "Plan de Acción");
  EXPECT_EQ(stored->getValue<std::string>("heading"), "Aumentar la Integridad Pública");
  EXPECT_EQ(stored->getValue<std::string>("kind"), "paragraph");
  EXPECT_EQ(stored->getValue<int>("ordinal"), 1);
  EXPECT_EQ(stored->getValue<int>("paragraph"), 25);
  EXPECT_EQ(stored->getValue<int>("page"), 5);
  EXPECT_EQ(stored->getValue<std::string>("lang"), "es");
  EXPECT_EQ(stored->getValue<std::string>("type"), "action-plan");
  EXPECT_EQ(stored->getValue<std::string>("country"), "mx");
  EXPECT_EQ(stored->getValue<std::string>("date"), "2011-09-20");
  EXPECT_EQ(stored->getValue<std::string>("publisher"), "Government of Mexico");
  EXPECT_EQ(stored->getValue<std::string>("source"), "text");
  EXPECT_FALSE(stored->has("confidence"));
  EXPECT_EQ(stored->getValue<std::int64_t>("indexed_at"), 1'700'000'000);
  EXPECT_EQ(stored->getValue<std::string>("text"), numbered_paragraph().text);
  EXPECT_THAT(strings(stored->getArray("plans")), ElementsAre("mx-2011-2013", "mx-2013-2015"));
  EXPECT_THAT(strings(stored->getArray("doc_languages")), ElementsAre("es", "en"));
  for (const char* list : {"challenge", "themes", "agencies", "responsible", "organizations"})
    EXPECT_THAT(strings(stored->getArray(list)), IsEmpty()) << list;
  for (const char* absent : {"section", "status", "translation_id", "commitment"})
    EXPECT_FALSE(stored->has(absent)) << absent;
}

TEST(DocumentBuilder, StoredFieldsOfACommitment) {
  DocumentBuilder builder;
  const auto stored = stored_of(
      builder.build("corpus/report.txt", plan_metadata(), commitment_passage(), 1'700'000'000));
  EXPECT_EQ(stored->getValue<std::string>("kind"), "commitment");
  EXPECT_EQ(stored->getValue<std::string>("section"), "3.a");
  EXPECT_EQ(stored->getValue<std::string>("status"), "total");
  EXPECT_EQ(stored->getValue<std::string>("translation_id"), "corpus.report-txt.0003");
  EXPECT_THAT(strings(stored->getArray("plans")), ElementsAre("mx-2013-2015"));
  EXPECT_THAT(strings(stored->getArray("agencies")), ElementsAre("mx-sfp", "mx-shcp"));
  EXPECT_THAT(strings(stored->getArray("responsible")), ElementsAre("mx-sfp"));
  EXPECT_THAT(strings(stored->getArray("organizations")), ElementsAre("org-fundar"));
  EXPECT_THAT(strings(stored->getArray("challenge")), ElementsAre("public-integrity"));
  EXPECT_THAT(strings(stored->getArray("themes")),
              ElementsAre("open-contracting", "anti-corruption"));
  const auto commitment = stored->getObject("commitment");
  ASSERT_TRUE(commitment);
  EXPECT_EQ(commitment->getValue<int>("number"), 14);
  EXPECT_EQ(commitment->getValue<std::string>("ogp_id"), "MX0031");
  EXPECT_EQ(commitment->getValue<std::string>("title"), "Publish the procurement data.");
  const auto fields = commitment->getObject("fields");
  ASSERT_TRUE(fields);
  EXPECT_EQ(fields->getValue<std::string>("responsible"), "SFP");
  EXPECT_EQ(fields->getValue<std::string>("compliance_date"), "June 2013");
  const auto paragraphs = commitment->getArray("original_paragraphs");
  ASSERT_TRUE(paragraphs);
  ASSERT_EQ(paragraphs->size(), 2u);
  EXPECT_EQ(paragraphs->getElement<int>(0), 21);
  EXPECT_EQ(paragraphs->getElement<int>(1), 22);
}

TEST(DocumentBuilder, MissingMetadataLeavesItsFieldsAndFacetsOut) {
  DocumentMetadata metadata;
  Passage passage = numbered_paragraph();
  passage.number.reset();
  passage.page.reset();
  DocumentBuilder builder;
  const Xapian::Document document = builder.build("c/x.txt", metadata, passage, 0);
  EXPECT_EQ(counted_values(document), (FacetValues{{"lang", {"es"}}, {"kind", {"paragraph"}}}));
  const auto stored = stored_of(document);
  EXPECT_EQ(stored->getValue<std::string>("title"), "c/x.txt") << "the path stands in for a title";
  for (const char* absent : {"paragraph", "page", "type", "country", "date", "publisher"})
    EXPECT_FALSE(stored->has(absent)) << absent;
}

TEST(DocumentBuilder, UnknownLanguageIsRejected) {
  Passage passage = numbered_paragraph();
  passage.language = "fr";
  DocumentBuilder builder;
  EXPECT_THROW(builder.build("c/x.txt", plan_metadata(), passage, 0), std::invalid_argument);
}

TEST(DocumentBuilder, StoresTheRecordOfThePassage) {
  DocumentBuilder builder;
  for (const Passage& passage : {numbered_paragraph(), commitment_passage()}) {
    const Xapian::Document document =
        builder.build("corpus/plan.txt", plan_metadata(), passage, 1'700'000'000);
    const schema::PassageRecord record =
        make_passage_record("corpus/plan.txt", plan_metadata(), passage, 1'700'000'000);
    EXPECT_EQ(document.get_data(), record.serialise());
    EXPECT_EQ(schema::PassageRecord::parse(document.get_data()), record);
  }
}

TEST(MakePassageRecord, TypesEveryFieldOfAParagraph) {
  const schema::PassageRecord record =
      make_passage_record("corpus/plan.txt", plan_metadata(), numbered_paragraph(), 1.7e9 + 0.9);
  EXPECT_EQ(record.id, "corpus.plan-txt.0001");
  EXPECT_EQ(record.doc, "corpus/plan.txt");
  EXPECT_EQ(record.title, "Plan de Acción");
  EXPECT_EQ(record.heading, "Aumentar la Integridad Pública");
  EXPECT_EQ(record.kind, schema::PassageKind::kParagraph);
  EXPECT_EQ(record.ordinal, 1);
  EXPECT_EQ(record.paragraph, 25);
  EXPECT_EQ(record.page, 5);
  EXPECT_EQ(record.source, schema::TextSource::kText);
  EXPECT_EQ(record.confidence, std::nullopt);
  EXPECT_EQ(record.lang, "es");
  EXPECT_THAT(record.plans, ElementsAre("mx-2011-2013", "mx-2013-2015"));
  EXPECT_EQ(record.type, "action-plan");
  EXPECT_EQ(record.country, "mx");
  EXPECT_EQ(record.date, "2011-09-20");
  EXPECT_EQ(record.year(), 2011);
  EXPECT_EQ(record.publisher, "Government of Mexico");
  EXPECT_THAT(record.doc_languages, ElementsAre("es", "en"));
  EXPECT_EQ(record.indexed_at, 1'700'000'000) << "whole seconds";
  EXPECT_EQ(record.section, std::nullopt) << "no section number, no section";
  EXPECT_EQ(record.status, std::nullopt);
  EXPECT_EQ(record.translation_id, std::nullopt);
  EXPECT_EQ(record.commitment, std::nullopt);
  EXPECT_EQ(record.links, std::nullopt) << "only the linker links";
  EXPECT_EQ(record.text, numbered_paragraph().text);
}

TEST(MakePassageRecord, TypesEveryFieldOfACommitment) {
  const schema::PassageRecord record =
      make_passage_record("corpus/report.txt", plan_metadata(), commitment_passage(), 0);
  EXPECT_EQ(record.kind, schema::PassageKind::kCommitment);
  EXPECT_THAT(record.plans, ElementsAre("mx-2013-2015")) << "the passage's own plans";
  EXPECT_EQ(record.section, "3.a");
  EXPECT_EQ(record.status, "total");
  EXPECT_EQ(record.translation_id, "corpus.report-txt.0003");
  EXPECT_THAT(record.agencies, ElementsAre("mx-sfp", "mx-shcp"));
  EXPECT_THAT(record.responsible, ElementsAre("mx-sfp"));
  EXPECT_THAT(record.organizations, ElementsAre("org-fundar"));
  EXPECT_THAT(record.challenges, ElementsAre("public-integrity"));
  EXPECT_THAT(record.themes, ElementsAre("open-contracting", "anti-corruption"));
  ASSERT_TRUE(record.commitment.has_value());
  EXPECT_EQ(record.commitment->number, 14);
  EXPECT_EQ(record.commitment->ogp_id, "MX0031");
  EXPECT_EQ(record.commitment->title, "Publish the procurement data.");
  EXPECT_EQ(record.commitment->fields,
            (std::vector<std::pair<std::string, std::string>>{{"responsible", "SFP"},
                                                              {"compliance_date", "June 2013"}}));
  EXPECT_THAT(record.commitment->original_paragraphs, ElementsAre(21, 22));
  EXPECT_THAT(record.ogp_ids(), ElementsAre("MX0031"));
}

TEST(MakePassageRecord, ARecognisedPassageKeepsItsSourceAndARoundedConfidence) {
  Passage passage = numbered_paragraph();
  passage.text_source = schema::TextSource::kOcr;
  passage.ocr_confidence = 87.6;
  DocumentMetadata metadata;
  const schema::PassageRecord record = make_passage_record("scans/a.png", metadata, passage, 0);
  EXPECT_EQ(record.source, schema::TextSource::kOcr);
  EXPECT_EQ(record.confidence, 88.0);
  EXPECT_EQ(record.title, "scans/a.png") << "the path stands in for a title";
  EXPECT_EQ(record.type, std::nullopt);
  EXPECT_EQ(record.year(), std::nullopt);

  DocumentBuilder builder;
  const auto stored = stored_of(builder.build("scans/a.png", metadata, passage, 0));
  EXPECT_EQ(stored->getValue<std::string>("source"), "ocr");
  EXPECT_EQ(stored->getValue<double>("confidence"), 88.0);
}

// A facet no part of Lupa knows: whether the passage's document has a publisher.
std::vector<std::string> published_by(const schema::PassageRecord& record) {
  return record.publisher ? std::vector<std::string>{"known"} : std::vector<std::string>{};
}

TEST(DocumentBuilder, IndexesTheFacetsOfTheTableItIsGiven) {
  std::vector<schema::Facet> table(schema::kFacets.begin(), schema::kFacets.end());
  table.push_back(schema::Facet{.name = "publisher",
                                .prefix = "XW",
                                .field = "publisher",
                                .values = &published_by,
                                .single = true,
                                .vocabulary = "",
                                .value_case = schema::ValueCase::kLower,
                                .counted = true,
                                .shown = false,
                                .tells_translations_apart = false,
                                .title = {"Publisher", "Editor"},
                                .description = "whether the publisher is known"});
  DocumentBuilder builder(table);
  const Xapian::Document document =
      builder.build("corpus/plan.txt", plan_metadata(), numbered_paragraph(), 1'700'000'000);
  EXPECT_TRUE(terms_of(document).contains("XWknown"));
  const FacetValues values = counted_values(document, table);
  EXPECT_EQ(values.at("publisher"), (std::vector<std::string>{"known"}));
  EXPECT_EQ(values.at("plan"), (std::vector<std::string>{"mx-2011-2013", "mx-2013-2015"}));
  // The stored record is the same whatever the table.
  EXPECT_EQ(document.get_data(),
            DocumentBuilder()
                .build("corpus/plan.txt", plan_metadata(), numbered_paragraph(), 1'700'000'000)
                .get_data());
  EXPECT_FALSE(terms_of(DocumentBuilder().build("corpus/plan.txt", plan_metadata(),
                                                numbered_paragraph(), 1'700'000'000))
                   .contains("XWknown"));
}

// The OGP member page of 2021 lists every commitment of the country's plans; the recogniser
// gives each the plan that starts in the year its entry names.
DocumentMetadata member_page_metadata() {
  DocumentMetadata metadata;
  metadata.country = "mx";
  metadata.plans = {"mx-2011-2013", "mx-2013-2015", "mx-2016-2018", "mx-2019-2021"};
  metadata.type = "ogp-web-page";
  metadata.date = "2021";
  return metadata;
}

Passage listed_commitment(std::vector<std::string> plans, std::string year) {
  Passage passage;
  passage.ordinal = 51;
  passage.kind = schema::PassageKind::kCommitment;
  passage.text = "51. Public Service Website\nMX0001, 2011, Public Service Delivery";
  passage.language = "en";
  passage.plans = std::move(plans);
  Commitment commitment;
  commitment.ogp_id = "MX0001";
  commitment.title = "Public Service Website";
  commitment.fields = {{"year", std::move(year)}};
  passage.commitment = commitment;
  return passage;
}

TEST(PassageDate, ACommitmentOfA2011PlanListedOnA2021PageIsAboutThePlansPeriod) {
  const Passage passage = listed_commitment({"mx-2011-2013"}, "2011");
  const schema::PassageRecord record =
      make_passage_record("corpus/member-page.txt", member_page_metadata(), passage, 0);
  EXPECT_EQ(record.passage_date, (schema::PassageDate{"2011", "2013"}));
  EXPECT_EQ(record.date, "2021") << "the document's own date is kept";
  EXPECT_EQ(record.year(), 2011);

  DocumentBuilder builder;
  const Xapian::Document document =
      builder.build("corpus/member-page.txt", member_page_metadata(), passage, 0);
  const auto terms = terms_of(document);
  EXPECT_TRUE(terms.contains("XY2011"));
  EXPECT_FALSE(terms.contains("XY2021"));
  EXPECT_EQ(document.get_value(schema::kSlotPassageDate), Xapian::sortable_serialise(20110101));
  EXPECT_EQ(stored_of(document)->getValue<std::string>("passage_date"), "2011/2013");
}

TEST(PassageDate, ACommitmentOfNoSinglePlanIsAboutTheYearItsEntryNames) {
  // Its year started no plan the reference data knows: the document's four plans remain.
  const Passage passage = listed_commitment({}, "2016");
  const schema::PassageRecord record =
      make_passage_record("corpus/member-page.txt", member_page_metadata(), passage, 0);
  EXPECT_EQ(record.passage_date, schema::PassageDate::on("2016"));
  EXPECT_EQ(record.year(), 2016);
}

TEST(PassageDate, ACommitmentOfItsDocumentsOnlyPlanIsAboutThatPlansPeriod) {
  DocumentMetadata metadata = plan_metadata();
  metadata.plans = {"mx-2019-2021"};
  metadata.date = "2019-12";
  Passage passage = commitment_passage();
  passage.plans.clear();
  EXPECT_EQ(make_passage_record("corpus/plan.txt", metadata, passage, 0).passage_date,
            (schema::PassageDate{"2019", "2021"}));
}

TEST(PassageDate, APassageWithoutAPlanOfItsOwnIsAboutItsDocumentsDate) {
  const schema::PassageRecord paragraph =
      make_passage_record("corpus/plan.txt", plan_metadata(), numbered_paragraph(), 0);
  EXPECT_EQ(paragraph.passage_date, schema::PassageDate::on("2011-09-20"));
  // A commitment of a document of two plans that names no year of its own.
  Passage commitment = commitment_passage();
  commitment.plans.clear();
  EXPECT_EQ(make_passage_record("corpus/plan.txt", plan_metadata(), commitment, 0).passage_date,
            schema::PassageDate::on("2011-09-20"));
  DocumentBuilder builder;
  EXPECT_EQ(builder.build("corpus/plan.txt", plan_metadata(), numbered_paragraph(), 0)
                .get_value(schema::kSlotPassageDate),
            Xapian::sortable_serialise(20110920));
}

TEST(PassageDate, APassageOfAnUndatedDocumentHasNoDateNorSortValue) {
  DocumentMetadata metadata;
  const schema::PassageRecord record =
      make_passage_record("scans/a.png", metadata, numbered_paragraph(), 0);
  EXPECT_EQ(record.passage_date, std::nullopt);
  DocumentBuilder builder;
  const Xapian::Document document = builder.build("scans/a.png", metadata, numbered_paragraph(), 0);
  EXPECT_EQ(document.get_value(schema::kSlotPassageDate), "");
  for (const std::string& term : terms_of(document)) EXPECT_FALSE(term.starts_with("XY")) << term;
}

}  // namespace
}  // namespace lupa::indexer
