#include "lupa/indexer/commitment_linker.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "lupa/analyzers/passage_record.h"
#include "lupa/analyzers/schema.h"
#include "lupa/indexer/document_builder.h"
#include "support/temp_dir.h"

namespace lupa::indexer {
namespace {

using lupa::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr const char* kPlan = "corpus/cl-plan.txt";
constexpr const char* kOgpPage = "corpus/cl-ogp-page.txt";
constexpr const char* kReport = "corpus/cl-report.txt";
constexpr const char* kPlanX = "cl-2016-2018";

DocumentMetadata metadata_of(const std::string& type, std::vector<std::string> plans) {
  DocumentMetadata metadata;
  metadata.type = type;
  metadata.country = "cl";
  metadata.plans = std::move(plans);
  metadata.languages = {"es"};
  return metadata;
}

Passage commitment(int ordinal, std::optional<int> number, const std::string& ogp_id = "",
                   std::vector<std::string> plans = {}, const std::string& title = "") {
  Passage passage;
  passage.ordinal = ordinal;
  passage.kind = schema::PassageKind::kCommitment;
  passage.number = number;
  passage.text = "Compromiso " + std::to_string(number.value_or(0)) + ": publicar datos.";
  passage.language = "es";
  passage.plans = std::move(plans);
  Commitment fields;
  fields.number = number;
  fields.ogp_id = ogp_id;
  // Different commitments have different titles (the linker also links by title).
  static const std::vector<std::string> kTitles = {
      "Publicar datos abiertos de compras públicas",  "Crear un registro de beneficiarios finales",
      "Fortalecer la participación ciudadana local",  "Ampliar el acceso a la información judicial",
      "Abrir los datos del presupuesto municipal",    "Proteger a denunciantes de corrupción",
      "Publicar las agendas de autoridades públicas", "Mejorar la transparencia del lobby"};
  fields.title = title.empty()
                     ? kTitles[static_cast<std::size_t>(number.value_or(0)) % kTitles.size()]
                     : title;
  passage.commitment = fields;
  return passage;
}

Passage paragraph(int ordinal) {
  Passage passage;
  passage.ordinal = ordinal;
  passage.text = "Introducción al plan de acción.";
  passage.language = "es";
  return passage;
}

class LinkCommitments : public ::testing::Test {
 protected:
  void add(const std::string& path, const DocumentMetadata& metadata,
           const std::vector<Passage>& passages) {
    for (const Passage& passage : passages)
      database_.add_document(builder_.build(path, metadata, passage, 1'700'000'000));
  }

  // A plan of plan X that numbers its commitments 1..2, and the OGP website's two entries of
  // plan X (the page lists another plan's entry too).
  void add_plan_and_ogp_page() {
    add(kPlan, metadata_of("action-plan", {kPlanX}),
        {paragraph(1), commitment(2, 1), commitment(3, 2)});
    add(kOgpPage, metadata_of("ogp-web-page", {"cl-2014-2016", kPlanX}),
        {commitment(1, 1, "CL0012", {kPlanX}), commitment(2, 2, "CL0013", {kPlanX}),
         commitment(3, 1, "CL0004", {"cl-2014-2016"})});
  }

  Poco::JSON::Object::Ptr stored(const std::string& id) const {
    const std::string term = schema::id_term(id);
    auto posting = database_.postlist_begin(term);
    if (posting == database_.postlist_end(term)) return nullptr;
    return Poco::JSON::Parser()
        .parse(database_.get_document(*posting).get_data())
        .extract<Poco::JSON::Object::Ptr>();
  }

  std::optional<schema::PassageRecord> record(const std::string& id) const {
    const std::string term = schema::id_term(id);
    auto posting = database_.postlist_begin(term);
    if (posting == database_.postlist_end(term)) return std::nullopt;
    return schema::PassageRecord::parse(database_.get_document(*posting).get_data());
  }

  std::vector<std::string> list(const std::string& id, const std::string& field) const {
    const auto object = stored(id);
    EXPECT_TRUE(object) << id;
    std::vector<std::string> values;
    if (!object) return values;
    const auto array = object->getArray(field);
    if (array)
      for (unsigned i = 0; i < array->size(); ++i)
        values.push_back(array->getElement<std::string>(i));
    return values;
  }

  // The key of the passage's same-commitment group; empty when it has none.
  std::string group(const std::string& id) const {
    const auto found = record(id);
    EXPECT_TRUE(found) << id;
    return found && found->links ? found->links->group : "";
  }

  // The same commitment in other documents, as the daemon lists it: the passages carrying the
  // passage's group term, but those of its own document, by passage id.
  std::vector<std::string> same_as(const std::string& id) const {
    std::vector<std::string> ids;
    const std::string key = group(id);
    if (key.empty()) return ids;
    const std::string doc = record(id)->doc;
    const std::string term = schema::commitment_group_term(key);
    for (auto posting = database_.postlist_begin(term); posting != database_.postlist_end(term);
         ++posting) {
      const auto member = schema::PassageRecord::parse(database_.get_document(*posting).get_data());
      if (member.doc != doc) ids.push_back(member.id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  std::string linked_ogp_id(const std::string& id) const {
    const auto object = stored(id);
    EXPECT_TRUE(object) << id;
    return object ? object->optValue<std::string>("linked_ogp_id", "") : "";
  }

  TempDir dir_;
  Xapian::WritableDatabase database_{(dir_ / "db").string(), Xapian::DB_CREATE_OR_OPEN};
  DocumentBuilder builder_;
};

TEST_F(LinkCommitments, PlanCommitmentsAndOgpEntriesOfTheSamePlanAreTheSame) {
  add_plan_and_ogp_page();
  EXPECT_EQ(link_commitments(database_), 4u);
  // Both ways.
  EXPECT_THAT(same_as("corpus.cl-plan-txt.0002"), ElementsAre("corpus.cl-ogp-page-txt.0001"));
  EXPECT_THAT(same_as("corpus.cl-plan-txt.0003"), ElementsAre("corpus.cl-ogp-page-txt.0002"));
  EXPECT_THAT(same_as("corpus.cl-ogp-page-txt.0001"), ElementsAre("corpus.cl-plan-txt.0002"));
  EXPECT_THAT(same_as("corpus.cl-ogp-page-txt.0002"), ElementsAre("corpus.cl-plan-txt.0003"));
  // The plan's commitment takes the entry's OGP id.
  EXPECT_EQ(linked_ogp_id("corpus.cl-plan-txt.0002"), "CL0012");
  EXPECT_EQ(linked_ogp_id("corpus.cl-plan-txt.0003"), "CL0013");
  EXPECT_EQ(linked_ogp_id("corpus.cl-ogp-page-txt.0001"), "") << "an entry has its own id";
  // The entry of another plan is linked to nothing.
  EXPECT_THAT(same_as("corpus.cl-ogp-page-txt.0003"), IsEmpty());
}

TEST_F(LinkCommitments, APlanCommitmentIsFoundByItsLinkedOgpId) {
  add_plan_and_ogp_page();
  link_commitments(database_);
  const std::string term = schema::facet_term(*schema::find_facet("commitment"), "CL0012");
  EXPECT_EQ(database_.get_termfreq(term), 2u) << "the entry and the plan's commitment";
}

TEST_F(LinkCommitments, ACitedParagraphOfTheOriginalPlanIsLinked) {
  add_plan_and_ogp_page();
  Passage cites = commitment(1, 7);
  cites.commitment->fields = {{"original_paragraph", "2"}};
  cites.commitment->original_paragraphs = {2};
  add(kReport, metadata_of("self-assessment", {kPlanX}), {cites});
  link_commitments(database_);
  EXPECT_THAT(list("corpus.cl-report-txt.0001", "original"),
              ElementsAre("corpus.cl-plan-txt.0003"));
  EXPECT_THAT(same_as("corpus.cl-report-txt.0001"), IsEmpty());
}

TEST_F(LinkCommitments, SeveralCitedParagraphsAreAllLinked) {
  add(kPlan, metadata_of("action-plan", {kPlanX}), {commitment(1, 21), commitment(2, 22)});
  Passage cites = commitment(1, 3);
  cites.commitment->original_paragraphs = {21, 22, 99};
  add(kReport, metadata_of("self-assessment", {kPlanX}), {cites});
  link_commitments(database_);
  EXPECT_THAT(list("corpus.cl-report-txt.0001", "original"),
              ElementsAre("corpus.cl-plan-txt.0001", "corpus.cl-plan-txt.0002"));
}

TEST_F(LinkCommitments, ACitationOfAnotherPlansParagraphIsNotLinked) {
  add(kPlan, metadata_of("action-plan", {kPlanX}), {commitment(1, 21)});
  Passage cites = commitment(1, 3);
  cites.commitment->original_paragraphs = {21};
  add(kReport, metadata_of("self-assessment", {"cl-2014-2016"}), {cites});
  EXPECT_EQ(link_commitments(database_), 0u);
  EXPECT_THAT(list("corpus.cl-report-txt.0001", "original"), IsEmpty());
}

TEST_F(LinkCommitments, RunningTwiceChangesNothingTheSecondTime) {
  add_plan_and_ogp_page();
  Passage cites = commitment(1, 7);
  cites.commitment->original_paragraphs = {1};
  add(kReport, metadata_of("self-assessment", {kPlanX}), {cites});
  EXPECT_EQ(link_commitments(database_), 5u);
  const auto before = stored("corpus.cl-plan-txt.0002");
  ASSERT_TRUE(before);
  EXPECT_EQ(link_commitments(database_), 0u);
  const auto after = stored("corpus.cl-plan-txt.0002");
  ASSERT_TRUE(after);
  std::ostringstream a, b;
  before->stringify(a);
  after->stringify(b);
  EXPECT_EQ(a.str(), b.str());
}

TEST_F(LinkCommitments, PassagesWithoutTheLinkerSlotAreReadFromTheirDocumentData) {
  add_plan_and_ogp_page();
  // As an index written before the slot existed has them.
  std::vector<Xapian::docid> docids(database_.postlist_begin(""), database_.postlist_end(""));
  for (const Xapian::docid docid : docids) {
    Xapian::Document document = database_.get_document(docid);
    document.add_value(schema::kSlotCommitmentLinks, "");  // no value
    database_.replace_document(docid, document);
  }
  EXPECT_EQ(link_commitments(database_), 4u);
  EXPECT_THAT(same_as("corpus.cl-plan-txt.0002"), ElementsAre("corpus.cl-ogp-page-txt.0001"));
  EXPECT_EQ(linked_ogp_id("corpus.cl-plan-txt.0003"), "CL0013");
  // The rewritten passages carry the slot again, with their links: nothing changes a second
  // time.
  EXPECT_EQ(link_commitments(database_), 0u);
}

TEST_F(LinkCommitments, NumberingsThatDoNotAgreeAreNotMatched) {
  // The plan numbers its commitments by paragraph (21, 22), the website 1..2: no match.
  add(kPlan, metadata_of("action-plan", {kPlanX}), {commitment(1, 21), commitment(2, 22)});
  add(kOgpPage, metadata_of("ogp-web-page", {kPlanX}),
      {commitment(1, 1, "CL0012", {kPlanX}), commitment(2, 2, "CL0013", {kPlanX})});
  EXPECT_EQ(link_commitments(database_), 0u);
  EXPECT_THAT(same_as("corpus.cl-plan-txt.0001"), IsEmpty());
  EXPECT_EQ(linked_ogp_id("corpus.cl-plan-txt.0001"), "");
}

TEST_F(LinkCommitments, DifferentCountsAreNotMatched) {
  // Three commitments in the plan, two entries on the website: the lists are not the same, so
  // numbers say nothing (and the entries' titles are not the plan's).
  add(kPlan, metadata_of("action-plan", {kPlanX}),
      {commitment(1, 1), commitment(2, 2), commitment(3, 3)});
  add(kOgpPage, metadata_of("ogp-web-page", {kPlanX}),
      {commitment(1, 1, "CL0012", {kPlanX}, "Sistema de alertas tempranas de integridad"),
       commitment(2, 2, "CL0013", {kPlanX}, "Consejo asesor de gobierno digital")});
  EXPECT_EQ(link_commitments(database_), 0u);
}

TEST_F(LinkCommitments, TheSameTitleInAnotherDocumentOfThePlanIsTheSameCommitment) {
  // An IRM report that numbers nothing still names the plan's commitment by its title.
  add(kPlan, metadata_of("action-plan", {kPlanX}), {commitment(1, 21), commitment(2, 22)});
  add(kReport, metadata_of("irm-report", {kPlanX}),
      {commitment(1, std::nullopt, "", {}, "Publicar las agendas de las autoridades públicas")});
  link_commitments(database_);
  EXPECT_THAT(same_as("corpus.cl-report-txt.0001"), ElementsAre("corpus.cl-plan-txt.0002"))
      << "kTitles[22 % 8] is the commitment on the authorities' agendas";
  EXPECT_THAT(same_as("corpus.cl-plan-txt.0001"), IsEmpty());
}

TEST_F(LinkCommitments, AnIrmRatingReachesThePlansCommitmentAndLeavesWithTheReport) {
  add(kPlan, metadata_of("action-plan", {kPlanX}), {commitment(1, 1), commitment(2, 2)});
  DocumentMetadata irm = metadata_of("irm-report", {kPlanX});
  irm.report_stage = "results";
  Passage rated = commitment(1, 2);
  rated.irm.completion = "complete";
  rated.irm.starred = true;
  add(kReport, irm, {commitment(2, 1), rated});
  link_commitments(database_);
  const auto plan_commitment = record("corpus.cl-plan-txt.0002");
  ASSERT_TRUE(plan_commitment && plan_commitment->links);
  EXPECT_EQ(plan_commitment->ratings().completion, "complete");
  EXPECT_EQ(plan_commitment->ratings().starred, true);
  EXPECT_THAT(plan_commitment->links->rated_by, ElementsAre("corpus.cl-report-txt.0001"));
  const std::string term = schema::facet_term(*schema::find_facet("completion"), "complete");
  EXPECT_EQ(database_.get_termfreq(term), 2u) << "the report's commitment and the plan's";
  EXPECT_FALSE(record("corpus.cl-plan-txt.0001")->ratings().completion);

  // The report goes: so do the ratings it gave.
  database_.delete_document(schema::file_term(kReport));
  link_commitments(database_);
  EXPECT_FALSE(record("corpus.cl-plan-txt.0002")->ratings().completion);
  EXPECT_EQ(database_.get_termfreq(term), 0u);
}

TEST_F(LinkCommitments, LinksAreUndoneWhenTheirReasonGoes) {
  add_plan_and_ogp_page();
  link_commitments(database_);
  ASSERT_EQ(linked_ogp_id("corpus.cl-plan-txt.0002"), "CL0012");
  // The website page is removed from the corpus.
  database_.delete_document(schema::file_term(kOgpPage));
  EXPECT_EQ(link_commitments(database_), 2u);
  EXPECT_THAT(same_as("corpus.cl-plan-txt.0002"), IsEmpty());
  EXPECT_EQ(linked_ogp_id("corpus.cl-plan-txt.0002"), "");
  const std::string term = schema::facet_term(*schema::find_facet("commitment"), "CL0012");
  EXPECT_EQ(database_.get_termfreq(term), 0u);
  EXPECT_EQ(group("corpus.cl-plan-txt.0002"), "");
  EXPECT_EQ(database_.get_termfreq(schema::commitment_group_term("corpus.cl-ogp-page-txt.0001")),
            0u);
}

TEST_F(LinkCommitments, TheSameCommitmentSharesOneKeyAndACommitmentAloneHasNone) {
  add_plan_and_ogp_page();
  link_commitments(database_);
  // The key is the group's smallest passage id; each member carries it once, as a term.
  EXPECT_EQ(group("corpus.cl-plan-txt.0002"), "corpus.cl-ogp-page-txt.0001");
  EXPECT_EQ(group("corpus.cl-ogp-page-txt.0001"), "corpus.cl-ogp-page-txt.0001");
  EXPECT_EQ(group("corpus.cl-plan-txt.0003"), "corpus.cl-ogp-page-txt.0002");
  EXPECT_EQ(group("corpus.cl-ogp-page-txt.0002"), "corpus.cl-ogp-page-txt.0002");
  EXPECT_EQ(database_.get_termfreq(schema::commitment_group_term("corpus.cl-ogp-page-txt.0001")),
            2u);
  EXPECT_EQ(database_.get_termfreq(schema::commitment_group_term("corpus.cl-ogp-page-txt.0002")),
            2u);
  // The entry of another plan is in no other document: no key, no links at all.
  EXPECT_EQ(record("corpus.cl-ogp-page-txt.0003")->links, std::nullopt);
  // No list of the others is stored.
  EXPECT_FALSE(stored("corpus.cl-plan-txt.0002")->has("same_as"));
}

TEST_F(LinkCommitments, AnUnrelatedDocumentChangesNoKey) {
  add_plan_and_ogp_page();
  ASSERT_EQ(link_commitments(database_), 4u);
  // Its passage ids come before every other: were it linked, it would take the keys.
  add("corpus/aa-plan.txt", metadata_of("action-plan", {"cl-2020-2022"}),
      {commitment(1, 1), commitment(2, 2)});
  EXPECT_EQ(link_commitments(database_), 0u);
  EXPECT_EQ(group("corpus.cl-plan-txt.0002"), "corpus.cl-ogp-page-txt.0001");
  EXPECT_EQ(group("corpus.cl-plan-txt.0003"), "corpus.cl-ogp-page-txt.0002");
  EXPECT_EQ(group("corpus.aa-plan-txt.0001"), "");
}

TEST_F(LinkCommitments, ANewMemberTakesTheKeyAndTheOthersAreNotRewritten) {
  add_plan_and_ogp_page();
  ASSERT_EQ(link_commitments(database_), 4u);
  // A self-assessment of the plan numbering its commitments as the plan does.
  add(kReport, metadata_of("self-assessment", {kPlanX}), {commitment(1, 1), commitment(2, 2)});
  EXPECT_EQ(link_commitments(database_), 2u) << "the report's two commitments only";
  EXPECT_EQ(group("corpus.cl-report-txt.0001"), "corpus.cl-ogp-page-txt.0001");
  EXPECT_EQ(group("corpus.cl-report-txt.0002"), "corpus.cl-ogp-page-txt.0002");
  EXPECT_EQ(database_.get_termfreq(schema::commitment_group_term("corpus.cl-ogp-page-txt.0001")),
            3u);
  // Every member lists the new one, though none was rewritten.
  EXPECT_THAT(same_as("corpus.cl-plan-txt.0002"),
              ElementsAre("corpus.cl-ogp-page-txt.0001", "corpus.cl-report-txt.0001"));
  EXPECT_THAT(same_as("corpus.cl-report-txt.0002"),
              ElementsAre("corpus.cl-ogp-page-txt.0002", "corpus.cl-plan-txt.0003"));
  EXPECT_EQ(link_commitments(database_), 0u);
}

TEST_F(LinkCommitments, ANewMemberWhoseIdComesFirstMovesTheKeyOfItsGroupOnly) {
  add_plan_and_ogp_page();
  ASSERT_EQ(link_commitments(database_), 4u);
  // A self-assessment of the plan stating its first commitment only (numbered 1..1).
  add("corpus/cl-a-report.txt", metadata_of("self-assessment", {kPlanX}), {commitment(1, 1)});
  EXPECT_EQ(link_commitments(database_), 3u) << "the group of the first commitment, whole";
  for (const char* member :
       {"corpus.cl-a-report-txt.0001", "corpus.cl-ogp-page-txt.0001", "corpus.cl-plan-txt.0002"})
    EXPECT_EQ(group(member), "corpus.cl-a-report-txt.0001") << member;
  EXPECT_EQ(database_.get_termfreq(schema::commitment_group_term("corpus.cl-ogp-page-txt.0001")),
            0u)
      << "the old key's term goes with it";
  EXPECT_EQ(database_.get_termfreq(schema::commitment_group_term("corpus.cl-a-report-txt.0001")),
            3u);
  EXPECT_EQ(group("corpus.cl-plan-txt.0003"), "corpus.cl-ogp-page-txt.0002");
}

TEST_F(LinkCommitments, APlanListedInManyDocumentsUnderOneTitleHasOnePassageOfEachPerGroup) {
  // Twelve reports of one plan number its three commitments alike and give all three the same
  // title: every pair of them is a title candidate, but a group takes one passage of a document.
  constexpr int kReports = 12;
  const std::string title = "Publicar datos abiertos de compras públicas";
  const auto report = [](int n) {
    return "corpus/cl-report-" + std::string(n < 10 ? "0" : "") + std::to_string(n) + ".txt";
  };
  for (int n = 0; n < kReports; ++n) {
    DocumentMetadata metadata = metadata_of(n == 5 ? "irm-report" : "self-assessment", {kPlanX});
    if (n == 5) metadata.report_stage = "results";
    Passage second = commitment(2, 2, "", {}, title);
    if (n == 5) second.irm.completion = "complete";  // one report rates the second commitment
    add(report(n), metadata,
        {commitment(1, 1, "", {}, title), second, commitment(3, 3, "", {}, title)});
  }
  EXPECT_EQ(link_commitments(database_), 3u * kReports);
  const auto id = [&](int n, int ordinal) { return schema::passage_id(report(n), ordinal); };
  for (int ordinal = 1; ordinal <= 3; ++ordinal) {
    const std::string term = schema::commitment_group_term(id(0, ordinal));
    EXPECT_EQ(database_.get_termfreq(term), static_cast<Xapian::doccount>(kReports)) << ordinal;
    for (int n = 0; n < kReports; ++n) EXPECT_EQ(group(id(n, ordinal)), id(0, ordinal));
  }
  // The rating reaches every other member of its group, and not the report that gave it.
  for (int n = 0; n < kReports; ++n) {
    const auto member = record(id(n, 2));
    ASSERT_TRUE(member && member->links) << n;
    if (n == 5) {
      EXPECT_THAT(member->links->rated_by, IsEmpty());
    } else {
      EXPECT_EQ(member->ratings().completion, "complete") << n;
      EXPECT_THAT(member->links->rated_by, ElementsAre(id(5, 2))) << n;
    }
    EXPECT_FALSE(record(id(n, 1))->ratings().completion) << n;
  }
  EXPECT_EQ(link_commitments(database_), 0u);
}

TEST_F(LinkCommitments, AnIndexWithoutCommitmentsIsLeftAlone) {
  add(kPlan, metadata_of("action-plan", {kPlanX}), {paragraph(1), paragraph(2)});
  EXPECT_EQ(link_commitments(database_), 0u);
  EXPECT_EQ(record("corpus.cl-plan-txt.0001")->links, std::nullopt);
}

TEST_F(LinkCommitments, ALinkedRecordIsTheRecordBuiltWithItsLinksAdded) {
  add_plan_and_ogp_page();
  const auto built = record("corpus.cl-plan-txt.0002");
  ASSERT_TRUE(built);
  EXPECT_EQ(built->links, std::nullopt);
  link_commitments(database_);
  const auto linked = record("corpus.cl-plan-txt.0002");
  ASSERT_TRUE(linked);
  ASSERT_TRUE(linked->links.has_value());
  EXPECT_EQ(linked->links->group, "corpus.cl-ogp-page-txt.0001");
  EXPECT_THAT(linked->links->original, IsEmpty());
  EXPECT_EQ(linked->links->linked_ogp_id, "CL0012");
  schema::PassageRecord expected = *built;
  expected.links = linked->links;
  EXPECT_EQ(*linked, expected) << "nothing else changes";
  // As the linker has always written them: every object's keys in alphabetical order.
  const std::string data = expected.serialise();
  EXPECT_TRUE(data.starts_with(R"({"agencies":[],"challenge":[],"commitment":{"fields":{})"))
      << data;
  // A commitment nothing links to is left as built.
  EXPECT_EQ(record("corpus.cl-ogp-page-txt.0003")->links, std::nullopt);
}

}  // namespace
}  // namespace lupa::indexer
