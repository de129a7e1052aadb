#include "lupa/indexer/document_builder.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <cctype>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/stemming.h"

namespace lupa::indexer {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using FacetValues = std::map<std::string, std::vector<std::string>>;

TEST(PassageId, IsThePathWithItsExtensionMadeUrlSafe) {
  struct {
    const char* path;
    int ordinal;
    const char* id;
  } const cases[] = {
      {"corpus/mx-plan.txt", 25, "corpus.mx-plan-txt.0025"},
      {"corpus/mx-2011-action-plan-es-en.txt", 1, "corpus.mx-2011-action-plan-es-en-txt.0001"},
      {"corpus/sub/Informe Final.TXT", 3, "corpus.sub.Informe-Final-TXT.0003"},
      {"corpus/no-extension", 7, "corpus.no-extension.0007"},
      {"corpus.v2/plan.md", 12345, "corpus-v2.plan-md.12345"},
      {"corpus/a_b.txt", 1, "corpus.a_b-txt.0001"},
  };
  for (const auto& c : cases) EXPECT_EQ(passage_id(c.path, c.ordinal), c.id) << c.path;
}

TEST(PassageId, IsStable) {
  EXPECT_EQ(passage_id("corpus/a.txt", 2), passage_id("corpus/a.txt", 2));
  EXPECT_NE(passage_id("corpus/a.txt", 2), passage_id("corpus/a.txt", 3));
  EXPECT_NE(passage_id("corpus/a.txt", 2), passage_id("other/a.txt", 2));
}

TEST(PassageId, DifferentDocumentsGetDifferentPassageIds) {
  // The same report saved as .txt and .html in one folder is two documents.
  const std::pair<const char*, const char*> pairs[] = {
      {"corpus/informe.txt", "corpus/informe.html"},
      {"corpus/informe.md", "corpus/informe.htm"},
      {"corpus/a_b.txt", "corpus/a-b.txt"},
      {"corpus/informe.txt", "corpus/informe"},
      {"corpus/a.txt", "corpus/A.txt"},
  };
  for (const auto& [a, b] : pairs) EXPECT_NE(passage_id(a, 1), passage_id(b, 1)) << a << " / " << b;
}

TEST(PassageId, IsUrlSafe) {
  for (const char* path : {"corpus/Plan de Acción 2019.txt", "c/a&b?c=d#e.txt", "c/a\tb.txt"}) {
    const std::string id = passage_id(path, 1);
    for (char c : id)
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_')
          << path << " -> " << id;
  }
}

// ---------------------------------------------------------------------------------------------

// The counted facet values of a document, decoded from kSlotFacetValues: for each value, the
// facet's code (schema::facet_code), the value, and kValueSeparator.
FacetValues counted_values(const Xapian::Document& document) {
  const std::string slot = document.get_value(schema::kSlotFacetValues);
  FacetValues values;
  for (std::size_t at = 0; at < slot.size();) {
    const std::size_t index = schema::facet_index_of_code(slot[at]);
    const std::size_t end = slot.find(schema::kValueSeparator, at + 1);
    EXPECT_NE(end, std::string::npos) << "value without separator";
    if (index >= schema::kFacets.size() || end == std::string::npos) {
      ADD_FAILURE() << "malformed facet values: " << slot;
      break;
    }
    values[std::string(schema::kFacets[index].name)].push_back(slot.substr(at + 1, end - at - 1));
    at = end + 1;
  }
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
  passage.kind = "commitment";
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

TEST(DocumentBuilder, IndexedAtAndOrdinalAreSortableValues) {
  DocumentBuilder builder;
  Passage passage = numbered_paragraph();
  passage.ordinal = 42;
  const Xapian::Document document =
      builder.build("corpus/plan.txt", plan_metadata(), passage, 1'700'000'123);
  EXPECT_EQ(Xapian::sortable_unserialise(document.get_value(schema::kSlotIndexedAt)),
            1'700'000'123.0);
  EXPECT_EQ(Xapian::sortable_unserialise(document.get_value(schema::kSlotOrdinal)), 42.0);
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

}  // namespace
}  // namespace lupa::indexer
