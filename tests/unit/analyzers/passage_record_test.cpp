// The stored passage record: real document data written by earlier Lupa versions (the bundled
// corpus as the indexer and the commitment linker stored it) is read and written back byte
// for byte, in both of its forms.
#include "lupa/analyzers/passage_record.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iterator>
#include <optional>
#include <ostream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lupa/analyzers/reference_data.h"
#include "lupa/analyzers/schema.h"
#include "passage_record_reference.h"

namespace lupa::schema {

// Failures show a record as its data.
void PrintTo(const PassageRecord& record, std::ostream* out) {
  *out << record.serialise();
}

namespace {

// Records as the indexer wrote them: keys in the order of the fields of PassageRecord.

constexpr std::string_view kOcrCommitment =
    R"json({"id":"corpus.scans.hard-scan-jpg.0005","doc":"corpus/scans/hard-scan.jpg","titl)json"
    R"json(e":"Open Government Partnership Self-Assessment Report, Mexico (scan, 1 page: II)json"
    R"json(I. Significant cases)","heading":"III.I Good practices","kind":"commitment","ord)json"
    R"json(inal":5,"page":1,"source":"ocr","confidence":95,"lang":"en","plans":["mx-2011-20)json"
    R"json(13"],"type":"self-assessment","country":"mx","date":"2012-12-14","publisher":"Sc)json"
    R"json(an made by scripts/make-scan-samples.py from corpus/mx-2012-self-assessment-repo)json"
    R"json(rt.txt","doc_languages":["en"],"indexed_at":1796146398,"challenge":[],"themes":[)json"
    R"json("public-safety","justice","e-government"],"agencies":["mx-fgr"],"responsible":[")json"
    R"json(mx-fgr"],"organizations":["org-article19"],"commitment":{"number":14,"title":"To)json"
    R"json( develop a program that enables crime victims to","fields":{"responsible":"Attor)json"
    R"json(ney General's Office (PGR)","compliance_date":"September 2012"},"original_paragr)json"
    R"json(aphs":[]},"text":"Commitment No. 14: To develop a program that enables crime vic)json"
    R"json(tims to\n‘learn about the status of their preliminary investigations via elect)json"
    R"json(ronic\nmeans in order to expedite and bring transparency to investigations .\nco)json"
    R"json(nsultation\nResponsible authority: Attorney General's Office (PGR)\n- Organizati)json"
    R"json(on: ARTICLE 19\nCompliance date: September 2012\nAccording to Article 16 of the )json"
    R"json(Federal Code of Criminal Procedures,\npreliminary inquiries are strictly privile)json"
    R"json(ged and only the victim, the accused\nor his legal representative can have acces)json"
    R"json(s to them. However, even when\naccess to the victim is stipulated in the law, ac)json"
    R"json(cording to the Citizens'"})json";

constexpr std::string_view kTableCommitment =
    R"json({"id":"corpus.mx-2012-self-assessment-report-txt.0044","doc":"corpus/mx-2012-sel)json"
    R"json(f-assessment-report.txt","title":"Open Government Partnership Self-Assessment Re)json"
    R"json(port, Mexico","heading":"IV. Conclusions and responses","kind":"commitment","ord)json"
    R"json(inal":44,"source":"text","lang":"en","plans":["mx-2011-2013"],"type":"self-asses)json"
    R"json(sment","country":"mx","date":"2012-12-14","publisher":"Government of Mexico and )json"
    R"json(the Tripartite Technical Secretariat, OGP self-assessment of the Extended Action)json"
    R"json( Plan, 14 December 2012","doc_languages":["en"],"indexed_at":1796146398,"challen)json"
    R"json(ge":["corporate-accountability"],"themes":[],"agencies":[],"responsible":[],"org)json"
    R"json(anizations":[],"status":"partial","commitment":{"number":6,"title":"PET","fields)json"
    R"json(":{"original_number":"27"},"original_paragraphs":[]},"text":"6. PET\nAction Plan)json"
    R"json( number: 6\nCommitment number: 27\nKey words: PET\nOGP challenge: 4\nA) Availabi)json"
    R"json(lity and government attitude: PC\nB) Specific work program: NC\nC) Response time)json"
    R"json(: PC\nD) Advances on work plans: NC\nE) Quality enforcement response: PC\nGlobal)json"
    R"json( evaluation: PC"})json";

constexpr std::string_view kSection =
    R"json({"id":"corpus.scans.image-only-report-pdf.0030","doc":"corpus/scans/image-only-r)json"
    R"json(eport.pdf","title":"Balance de la Alianza para el Gobierno Abierto en México (s)json"
    R"json(can, 3 pages: 3.c-Gobierno Abierto para el Desarrollo Sostenible)","heading":"3.)json"
    R"json(d-Evaluación del impacto del Gobierno Abierto","kind":"section","ordinal":30,"p)json"
    R"json(age":3,"source":"ocr","confidence":95,"lang":"es","plans":["mx-2013-2015"],"type)json"
    R"json(":"other-report","country":"mx","date":"2015-10","publisher":"Scan made by scrip)json"
    R"json(ts/make-scan-samples.py from corpus/mx-2015-balance-ogp-mexico.txt","doc_languag)json"
    R"json(es":["es"],"indexed_at":1796146398,"section":"3.d","challenge":[],"themes":[],"a)json"
    R"json(gencies":[],"responsible":[],"organizations":[],"text":"Una de las grandes posib)json"
    R"json(ilidades de mejora en la AGA es evaluar el impacto del"})json";

// Records as the commitment linker rewrote them: every object's keys in alphabetical order.

constexpr std::string_view kLinkedToOgpEntry =
    R"json({"agencies":[],"challenge":[],"commitment":{"fields":{},"number":8,"original_par)json"
    R"json(agraphs":[],"title":"Strengthen public care services"},"commitment_group":"corpus.)json"
    R"json(mx-2019-2021-action-plan-summary-txt.0012","country":"mx","date":"20)json"
    R"json(19-12","doc":"corpus/mx-2019-2021-action-plan-summary.txt","doc_languages":["es")json"
    R"json(,"en"],"heading":"Plan Characterization","id":"corpus.mx-2019-2021-action-plan-s)json"
    R"json(ummary-txt.0012","indexed_at":1796146398,"kind":"commitment","lang":"en","linked)json"
    R"json(_ogp_id":"MX0082","ordinal":12,"organizations":[],"original":[],"paragraph":8,"p)json"
    R"json(lans":["mx-2019-2021"],"publisher":"Open Government Partnership, summary of Mexi)json"
    R"json(co's fourth National Action Plan, 2019-2021","responsible":[],"source":"text","text":"8. Strengthen public care)json"
    R"json( services\nImplement a coordinated care policy pilot project and a follow-up mec)json"
    R"json(hanism in three municipalities.","themes":["public-service-delivery","gender","s)json"
    R"json(ubnational"],"title":"Mexico Action Plan 2019-2021 (action plan 4): summary and )json"
    R"json(commitments","type":"action-plan"})json";

constexpr std::string_view kLinkedToOriginal =
    R"json({"agencies":["mx-sfp"],"challenge":[],"commitment":{"fields":{"original_paragrap)json"
    R"json(h":"23","responsible":"Ministry of Public Administration (SFP)"},"original_parag)json"
    R"json(raphs":[23],"title":"Mexico pledged to seek, through the interoperable open data)json"
    R"json( scheme, the integration of those processes related to digital services and the )json"
    R"json(use of common…"},"country":"mx","date":"2012-12-14","doc":"corpus/mx-2012-self)json"
    R"json(-assessment-report.txt","doc_languages":["en"],"heading":"Main outcomes of the O)json"
    R"json(riginal Action Plan","id":"corpus.mx-2012-self-assessment-report-txt.0083","inde)json"
    R"json(xed_at":1796146398,"kind":"commitment","lang":"en","ordinal":83,"organizations":)json"
    R"json([],"original":["corpus.mx-2011-action-plan-es-en-txt.0023","corpus.mx-2011-actio)json"
    R"json(n-plan-es-en-txt.0062"],"plans":["mx-2011-2013"],"publisher":"Government of Mexi)json"
    R"json(co and the Tripartite Technical Secretariat, OGP self-assessment of the Extended)json"
    R"json( Action Plan, 14 December 2012","responsible":["mx-sfp"],"source":")json"
    R"json(text","text":"Mexico pledged to seek, through the interoperable open data scheme)json"
    R"json(, the integration of those processes related to digital services and the use of )json"
    R"json(common platforms and information systems, in order to foster the use of raw data)json"
    R"json(bases by citizens.\nResponsible authority: Ministry of Public Administration (SF)json"
    R"json(P)\nParagraph of the Original Action Plan: 23\nPursuant to this commitment, the )json"
    R"json(citizen portal is becoming the gateway to information, transactions and electron)json"
    R"json(ic services that the government publishes on the Internet, with over 42 million )json"
    R"json(searches performed in more than 200 institutional portals.\nWith the release of )json"
    R"json(the platform \"Your Government in Maps\" (<http://mapas.gob.mx>), agencies and e)json"
    R"json(ntities of the APF have a mechanism to integrate and publish raw information geo)json"
    R"json(referenced to the national territory, which can be downloaded to be reused or pr)json"
    R"json(ocessed to suit specific interests.\nAs of August 31, 2012, \"Your Government in)json"
    R"json( Maps\" has a collection of 746 geostatistic layers of information, over 6,400 n)json"
    R"json(on geographic information content published by 62 institutions which can be down)json"
    R"json(loaded for reuse by anyone as appropriate to their interests.","themes":["e-gove)json"
    R"json(rnment","open-data"],"title":"Open Government Partnership Self-Assessment Report)json"
    R"json(, Mexico","type":"self-assessment"})json";

constexpr std::string_view kAllRecords[] = {kOcrCommitment, kTableCommitment, kSection,
                                            kLinkedToOgpEntry, kLinkedToOriginal};

TEST(PassageRecord, SerialisesEveryRecordAsItWasStored) {
  for (std::string_view data : kAllRecords) EXPECT_EQ(PassageRecord::parse(data).serialise(), data);
}

// Most records are written without Poco's objects; their bytes must be those Poco wrote (the
// records above hold one such), escapes included, and a control byte Poco spells as \u00XX
// still reads back.
TEST(PassageRecord, WritesQuotesBackslashesAndControlBytesAsPocoDid) {
  PassageRecord record = PassageRecord::parse(kSection);
  record.text = "a \"quoted\" C:\\path, <http://x.org/a>\n\tnext line, acción\r";
  const std::string before_text(kSection.substr(0, kSection.find("\"text\":\"") + 8));
  EXPECT_EQ(
      record.serialise(),
      before_text + "a \\\"quoted\\\" C:\\\\path, <http://x.org/a>\\n\\tnext line, acción\\r\"}");
  record.text = std::string("bell \a and nul ") + '\0' + " end";
  EXPECT_EQ(record.serialise(), before_text + "bell \\u0007 and nul \\u0000 end\"}");
  EXPECT_EQ(PassageRecord::parse(record.serialise()).text, record.text);
}

// A confidence is a number: written as Poco wrote a double, decimals and exponent included.
TEST(PassageRecord, WritesAConfidenceAsPocoDid) {
  PassageRecord record = PassageRecord::parse(kOcrCommitment);
  record.commitment.reset();
  for (const auto& [confidence, written] :
       {std::pair{95.0, "95"}, std::pair{87.25, "87.25"}, std::pair{1e-7, "0.0000001"},
        std::pair{1e15, "1e+15"}}) {
    record.confidence = confidence;
    const std::string data = record.serialise();
    EXPECT_NE(data.find(std::string("\"confidence\":") + written + ","), std::string::npos) << data;
    EXPECT_EQ(PassageRecord::parse(data).confidence, confidence);
  }
}

TEST(PassageRecord, ReadsEveryFieldOfARecordTheIndexerWrote) {
  PassageRecord expected;
  expected.id = "corpus.scans.hard-scan-jpg.0005";
  expected.doc = "corpus/scans/hard-scan.jpg";
  expected.title =
      "Open Government Partnership Self-Assessment Report, Mexico (scan, 1 page: III. "
      "Significant cases)";
  expected.heading = "III.I Good practices";
  expected.kind = PassageKind::kCommitment;
  expected.ordinal = 5;
  expected.page = 1;
  expected.source = TextSource::kOcr;
  expected.confidence = 95;
  expected.lang = "en";
  expected.plans = {"mx-2011-2013"};
  expected.type = "self-assessment";
  expected.country = "mx";
  expected.date = "2012-12-14";
  expected.publisher =
      "Scan made by scripts/make-scan-samples.py from corpus/mx-2012-self-assessment-report.txt";
  expected.doc_languages = {"en"};
  expected.indexed_at = 1796146398;
  expected.themes = {"public-safety", "justice", "e-government"};
  expected.agencies = {"mx-fgr"};
  expected.responsible = {"mx-fgr"};
  expected.organizations = {"org-article19"};
  expected.commitment =
      CommitmentRecord{.number = 14,
                       .ogp_id = "",
                       .title = "To develop a program that enables crime victims to",
                       // In the order the description wrote them, as stored.
                       .fields = {{"responsible", "Attorney General's Office (PGR)"},
                                  {"compliance_date", "September 2012"}},
                       .original_paragraphs = {}};
  expected.text =
      "Commitment No. 14: To develop a program that enables crime victims to\n‘learn about the "
      "status of their preliminary investigations via electronic\nmeans in order to expedite and "
      "bring transparency to investigations .\nconsultation\nResponsible authority: Attorney "
      "General's Office (PGR)\n- Organization: ARTICLE 19\nCompliance date: September "
      "2012\nAccording to Article 16 of the Federal Code of Criminal Procedures,\npreliminary "
      "inquiries are strictly privileged and only the victim, the accused\nor his legal "
      "representative can have access to them. However, even when\naccess to the victim is "
      "stipulated in the law, according to the Citizens'";
  const PassageRecord record = PassageRecord::parse(kOcrCommitment);
  EXPECT_EQ(record, expected);
  EXPECT_EQ(expected.serialise(), kOcrCommitment);
  EXPECT_EQ(record.year(), 2012);
  EXPECT_TRUE(record.ogp_ids().empty());
}

TEST(PassageRecord, ReadsATableRowsStatusAndItsOwnFields) {
  const PassageRecord record = PassageRecord::parse(kTableCommitment);
  EXPECT_EQ(record.kind, PassageKind::kCommitment);
  EXPECT_EQ(record.source, TextSource::kText);
  EXPECT_EQ(record.confidence, std::nullopt);
  EXPECT_EQ(record.page, std::nullopt);
  EXPECT_EQ(record.paragraph, std::nullopt);
  EXPECT_EQ(record.status, "partial");
  EXPECT_EQ(record.challenges, std::vector<std::string>{"corporate-accountability"});
  ASSERT_TRUE(record.commitment.has_value());
  EXPECT_EQ(record.commitment->number, 6);
  EXPECT_EQ(record.commitment->title, "PET");
  EXPECT_EQ(record.commitment->fields,
            (std::vector<std::pair<std::string, std::string>>{{"original_number", "27"}}));
  EXPECT_EQ(record.links, std::nullopt);
}

TEST(PassageRecord, ReadsASectionOfARecognisedPage) {
  const PassageRecord record = PassageRecord::parse(kSection);
  EXPECT_EQ(record.kind, PassageKind::kSection);
  EXPECT_EQ(record.section, "3.d");
  EXPECT_EQ(record.source, TextSource::kOcr);
  EXPECT_EQ(record.confidence, 95);
  EXPECT_EQ(record.page, 3);
  EXPECT_EQ(record.ordinal, 30);
  EXPECT_EQ(record.date, "2015-10");
  EXPECT_EQ(record.year(), 2015);
  EXPECT_EQ(record.commitment, std::nullopt);
}

TEST(PassageRecord, ReadsTheLinksTheLinkerWrote) {
  const PassageRecord record = PassageRecord::parse(kLinkedToOgpEntry);
  ASSERT_TRUE(record.links.has_value());
  EXPECT_EQ(record.links->group, "corpus.mx-2019-2021-action-plan-summary-txt.0012");
  EXPECT_TRUE(record.links->original.empty());
  EXPECT_EQ(record.links->linked_ogp_id, "MX0082");
  // The commitment has no OGP id of its own: it is found by the one the linker gave it.
  ASSERT_TRUE(record.commitment.has_value());
  EXPECT_EQ(record.commitment->ogp_id, "");
  EXPECT_EQ(record.ogp_ids(), std::vector<std::string>{"MX0082"});
  EXPECT_EQ(record.id, "corpus.mx-2019-2021-action-plan-summary-txt.0012");
  EXPECT_EQ(record.paragraph, 8);
  EXPECT_EQ(record.doc_languages, (std::vector<std::string>{"es", "en"}));

  const PassageRecord cites = PassageRecord::parse(kLinkedToOriginal);
  ASSERT_TRUE(cites.links.has_value());
  EXPECT_EQ(cites.links->group, "") << "no other document states it";
  EXPECT_EQ(cites.links->original,
            (std::vector<std::string>{"corpus.mx-2011-action-plan-es-en-txt.0023",
                                      "corpus.mx-2011-action-plan-es-en-txt.0062"}));
  EXPECT_EQ(cites.links->linked_ogp_id, "");
  EXPECT_TRUE(cites.ogp_ids().empty());
  ASSERT_TRUE(cites.commitment.has_value());
  EXPECT_EQ(cites.commitment->number, std::nullopt);
  EXPECT_EQ(cites.commitment->original_paragraphs, std::vector<int>{23});
}

TEST(PassageRecord, LinkingARecordTheIndexerWroteSortsItsKeys) {
  PassageRecord record = PassageRecord::parse(kOcrCommitment);
  record.links = CommitmentLinks{};
  const std::string linked = record.serialise();
  EXPECT_TRUE(linked.starts_with(R"({"agencies":["mx-fgr"],"challenge":[],"commitment":{)"
                                 R"("fields":{"compliance_date":"September 2012","responsible":)"))
      << linked;
  EXPECT_NE(linked.find(R"("original":[],)"), std::string::npos) << linked;
  EXPECT_EQ(linked.find("commitment_group"), std::string::npos) << "written only when grouped";
  EXPECT_EQ(linked.find("linked_ogp_id"), std::string::npos) << "written only when known";
  const PassageRecord back = PassageRecord::parse(linked);
  EXPECT_EQ(back.links, CommitmentLinks{});
  EXPECT_EQ(back.serialise(), linked);
  // Its fields are read in their stored order, now alphabetical.
  ASSERT_TRUE(back.commitment.has_value());
  EXPECT_EQ(back.commitment->fields.front().first, "compliance_date");
}

// --- Errors --------------------------------------------------------------------------------

// `data` with `from` replaced by `to` (which must be there).
std::string with(std::string_view data, std::string_view from, std::string_view to) {
  std::string result(data);
  const std::size_t at = result.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) result.replace(at, from.size(), to);
  return result;
}

// The message of the RecordError that parsing `data` throws, or "" when none is thrown.
std::string error_of(const std::string& data) {
  try {
    PassageRecord::parse(data);
  } catch (const RecordError& error) {
    return error.what();
  }
  return "";
}

TEST(PassageRecord, AMissingOrMistypedFieldIsAnErrorNamingItsKey) {
  const std::string_view data = kOcrCommitment;
  EXPECT_NE(error_of(with(data, R"("id":"corpus.scans.hard-scan-jpg.0005",)", "")).find("`id`"),
            std::string::npos);
  EXPECT_NE(error_of(with(data, R"("kind":"commitment")", R"("kind":"chapter")")).find("`kind`"),
            std::string::npos);
  EXPECT_NE(error_of(with(data, R"("plans":["mx-2011-2013"])", R"("plans":"mx-2011-2013")"))
                .find("`plans`"),
            std::string::npos);
  EXPECT_NE(error_of(with(data, R"("ordinal":5)", R"("ordinal":"5")")).find("`ordinal`"),
            std::string::npos);
  EXPECT_NE(error_of(with(data, R"("source":"ocr")", R"("source":"fax")")).find("`source`"),
            std::string::npos);
  EXPECT_NE(
      error_of(with(data, R"("agencies":["mx-fgr"])", R"("agencies":[7])")).find("`agencies`"),
      std::string::npos);
  EXPECT_NE(
      error_of(with(data, R"("title":"To develop a program that enables crime victims to",)", ""))
          .find("commitment.title"),
      std::string::npos);
  EXPECT_NE(
      error_of(with(data, R"("compliance_date":"September 2012")", R"("compliance_date":2012)"))
          .find("commitment.fields.compliance_date"),
      std::string::npos);
  EXPECT_NE(
      error_of(with(kLinkedToOgpEntry,
                    R"("commitment_group":"corpus.mx-2019-2021-action-plan-summary-txt.0012")",
                    R"("commitment_group":[])"))
          .find("`commitment_group`"),
      std::string::npos);
  EXPECT_NE(
      error_of(with(kLinkedToOgpEntry, R"("original":[])", R"("original":{})")).find("`original`"),
      std::string::npos);
}

TEST(PassageRecord, ANumberOutOfRangeIsAnErrorNamingItsKey) {
  const std::string_view data = kOcrCommitment;
  EXPECT_NE(error_of(with(data, R"("ordinal":5)", R"("ordinal":4294967296)")).find("`ordinal`"),
            std::string::npos);
  EXPECT_NE(
      error_of(with(data, R"("ordinal":5)", R"("ordinal":18446744073709551615)")).find("`ordinal`"),
      std::string::npos);
  EXPECT_NE(error_of(with(data, R"("page":1)", R"("page":-4294967296)")).find("`page`"),
            std::string::npos);
}

TEST(PassageRecord, DataThatIsNoJsonObjectIsAnError) {
  for (const char* data : {"", "not json", "[1, 2]", "\"text\"", R"({"id":)"})
    EXPECT_THROW(PassageRecord::parse(data), RecordError) << data;
}

// --- Enums ---------------------------------------------------------------------------------

constexpr PassageKind kKinds[] = {PassageKind::kParagraph, PassageKind::kSection,
                                  PassageKind::kCommitment};
constexpr TextSource kSources[] = {TextSource::kText, TextSource::kTextLayer, TextSource::kOcr};

TEST(PassageDate, IsADateOrAPeriodInIsoNotation) {
  EXPECT_EQ(PassageDate::parse("2011/2013"), (PassageDate{"2011", "2013"}));
  EXPECT_EQ(PassageDate::parse("2019-12"), PassageDate::on("2019-12"));
  EXPECT_EQ(PassageDate::parse("2011-09-20"), PassageDate::on("2011-09-20"));
  EXPECT_EQ((PassageDate{"2011", "2013"}).to_string(), "2011/2013");
  EXPECT_EQ(PassageDate::on("2019-12").to_string(), "2019-12");
  EXPECT_EQ((PassageDate{"2011-09-20", "2013"}).start_year(), 2011);
  for (const char* bad : {"", "2013/2011", "2011/", "/2013", "2011-2013", "20110920", "2019-00",
                          "2019-02-29", "0999", "2011/2013/2015"})
    EXPECT_EQ(PassageDate::parse(bad), std::nullopt) << bad;
}

TEST(PassageDate, DaysAreNumbersThatOrderAsTheDaysDo) {
  EXPECT_EQ(first_day("2019"), 20190101);
  EXPECT_EQ(last_day("2019"), 20191231);
  EXPECT_EQ(first_day("2019-02"), 20190201);
  EXPECT_EQ(last_day("2019-02"), 20190228);
  EXPECT_EQ(last_day("2024-02"), 20240229);
  EXPECT_EQ(last_day("2000-02"), 20000229);
  EXPECT_EQ(last_day("1900-02"), 19000228);
  EXPECT_EQ(first_day("2019-12-05"), 20191205);
  EXPECT_EQ(last_day("2019-12-05"), 20191205);
  EXPECT_EQ(first_day("2019-12-32"), std::nullopt);
  EXPECT_EQ(first_day("2019-1"), std::nullopt);
  EXPECT_TRUE(is_iso_date("2016"));
  EXPECT_FALSE(is_iso_date("June 2013"));
}

TEST(PassageRecord, StoresTheDateAPassageIsAboutAndReadsItBack) {
  PassageRecord record = PassageRecord::parse(kSection);
  record.passage_date = PassageDate{"2013", "2015"};
  const std::string data = record.serialise();
  EXPECT_NE(data.find(R"("date":"2015-10","passage_date":"2013/2015")"), std::string::npos) << data;
  EXPECT_EQ(PassageRecord::parse(data), record);
  EXPECT_EQ(PassageRecord::parse(data).year(), 2013) << "the year it is about, not its document's";
  EXPECT_NE(error_of(with(data, R"("passage_date":"2013/2015")", R"("passage_date":"2015/2013")"))
                .find("`passage_date`"),
            std::string::npos);
}

TEST(PassageRecord, ARecordStoredWithoutAPassageDateIsAboutItsDocumentsYear) {
  const PassageRecord record = PassageRecord::parse(kSection);
  EXPECT_EQ(record.passage_date, std::nullopt);
  EXPECT_EQ(record.year(), 2015);
}

TEST(PassageKind, EveryKindIsReadBackFromItsName) {
  for (PassageKind kind : kKinds) {
    EXPECT_FALSE(to_string(kind).empty());
    EXPECT_EQ(passage_kind_from_string(to_string(kind)), kind) << to_string(kind);
  }
  EXPECT_EQ(to_string(PassageKind::kParagraph), "paragraph");
  EXPECT_EQ(to_string(PassageKind::kSection), "section");
  EXPECT_EQ(to_string(PassageKind::kCommitment), "commitment");
  for (const char* unknown : {"", "Paragraph", "chapter", "commitments"})
    EXPECT_EQ(passage_kind_from_string(unknown), std::nullopt) << unknown;
}

TEST(PassageKind, EveryKindHasALabelInItsDataFile) {
  const auto& reference = analyzers::ReferenceData::instance();
  for (PassageKind kind : kKinds) {
    const auto label = reference.label("passage-kinds", to_string(kind));
    ASSERT_TRUE(label.has_value()) << "no row for " << to_string(kind) << " in passage-kinds.tsv";
    EXPECT_FALSE(label->en.empty()) << to_string(kind);
    EXPECT_FALSE(label->es.empty()) << to_string(kind);
  }
}

TEST(TextSource, EverySourceIsReadBackFromItsName) {
  for (TextSource source : kSources) {
    EXPECT_FALSE(to_string(source).empty());
    EXPECT_EQ(text_source_from_string(to_string(source)), source) << to_string(source);
  }
  EXPECT_EQ(to_string(TextSource::kText), "text");
  EXPECT_EQ(to_string(TextSource::kTextLayer), "text-layer");
  EXPECT_EQ(to_string(TextSource::kOcr), "ocr");
  for (const char* unknown : {"", "OCR", "text_layer", "scan"})
    EXPECT_EQ(text_source_from_string(unknown), std::nullopt) << unknown;
}

// --- Reading ------------------------------------------------------------------------------

// A record with every field set, linked or not (then serialised in its two forms).
PassageRecord every_field(bool linked) {
  PassageRecord record = PassageRecord::parse(kOcrCommitment);
  record.paragraph = 14;
  record.confidence = 87.5;
  record.passage_date = PassageDate{"2011", "2013"};
  record.section = "3.a";
  record.challenges = {"public-integrity"};
  record.status = "complete";
  record.translation_id = "tr-1";
  record.supporting = {"mx-sfp", "org-article19"};
  record.report_stage = "progress";
  record.irm.specificity = "high";
  record.irm.ogp_values = {"access-to-information", "civic-participation"};
  record.irm.potential_impact = "moderate";
  record.irm.potential_results = "modest";
  record.irm.completion = "substantial";
  record.irm.opened_government = "marginal";
  record.irm.starred = true;
  record.commitment->ogp_id = "MX0014";
  // In alphabetical order, as a linked record stores them: the same in both forms.
  std::sort(record.commitment->fields.begin(), record.commitment->fields.end());
  record.commitment->original_paragraphs = {21, 38};
  if (!linked) return record;
  record.links.emplace();
  record.links->group = "corpus.a.0001";
  record.links->original = {"corpus.plan.0021", "corpus.plan.0038"};
  record.links->linked_ogp_id = "MX0085";
  record.links->ratings.completion = "limited";
  record.links->ratings.starred = false;
  record.links->rated_by = {"corpus.irm.0004"};
  return record;
}

// The smallest record reading takes: every key it needs, none it does not.
constexpr std::string_view kLeastRecord =
    R"({"id":"a.0001","doc":"a.txt","title":"A","kind":"paragraph","ordinal":1,"lang":"en",)"
    R"("text":"x"})";

TEST(PassageRecord, ReadsBackEveryFieldInBothForms) {
  for (const bool linked : {false, true}) {
    const PassageRecord record = every_field(linked);
    const std::string data = record.serialise();
    EXPECT_EQ(PassageRecord::parse(data), record) << data;
  }
}

TEST(PassageRecord, FieldsNotStoredTakeTheirDefaults) {
  PassageRecord expected;
  expected.id = "a.0001";
  expected.doc = "a.txt";
  expected.title = "A";
  expected.ordinal = 1;
  expected.lang = "en";
  expected.text = "x";
  EXPECT_EQ(PassageRecord::parse(kLeastRecord), expected);
  // null is no value, as absent.
  EXPECT_EQ(PassageRecord::parse(with(kLeastRecord, R"("lang":"en",)",
                                      R"("lang":"en","heading":null,"type":null,"plans":null,)"
                                      R"("irm":null,"commitment":null,)")),
            expected);
}

TEST(PassageRecord, ReadsUnicodeEscapesAsUtf8) {
  const PassageRecord record = PassageRecord::parse(
      with(kLeastRecord, R"("text":"x")", R"("text":"acci\u00f3n \ud83d\ude00 \u2028 \u0000 \/")"));
  EXPECT_EQ(record.text, std::string("acción 😀 \u2028 ") + '\0' + " /");
}

TEST(PassageRecord, ReadsTheObjectsInARecord) {
  const std::string data =
      with(kLeastRecord, R"("text":"x")",
           R"("irm":{"specificity":"low","ogp_values":["civic-participation"],"starred":false},)"
           R"("commitment":{"number":3,"title":"T","fields":{"b":"2","a":"1"},)"
           R"("original_paragraphs":[4,5]},"text":"x","original":["p.1"],)"
           R"("linked_irm":{"completion":"complete"},"rated_by":["r.1"])");
  const PassageRecord record = PassageRecord::parse(data);
  EXPECT_EQ(record.irm.specificity, "low");
  EXPECT_EQ(record.irm.ogp_values, std::vector<std::string>{"civic-participation"});
  EXPECT_EQ(record.irm.starred, false);
  EXPECT_EQ(record.irm.completion, std::nullopt);
  ASSERT_TRUE(record.commitment);
  EXPECT_EQ(record.commitment->number, 3);
  EXPECT_EQ(record.commitment->title, "T");
  EXPECT_EQ(record.commitment->fields,
            (std::vector<std::pair<std::string, std::string>>{{"b", "2"}, {"a", "1"}}))
      << "in their stored order";
  EXPECT_EQ(record.commitment->original_paragraphs, (std::vector<int>{4, 5}));
  ASSERT_TRUE(record.links);
  EXPECT_EQ(record.links->original, std::vector<std::string>{"p.1"});
  EXPECT_EQ(record.links->ratings.completion, "complete");
  EXPECT_EQ(record.links->ratings.specificity, std::nullopt);
  EXPECT_EQ(record.links->rated_by, std::vector<std::string>{"r.1"});
  EXPECT_EQ(record.links->group, "");
}

TEST(PassageRecord, KeysReadingDoesNotKnowAreLeftAlone) {
  const std::string data =
      with(kLeastRecord, R"("text":"x")",
           R"("future":{"id":"b.0002","text":[1,{"kind":"section"}]},"text":"x","more":[[]],)"
           R"("irm":{"specificity":"low","rank":{"starred":1}},)"
           R"("commitment":{"title":"T","fields":{},"later":["title"]})");
  const PassageRecord record = PassageRecord::parse(data);
  EXPECT_EQ(record.id, "a.0001");
  EXPECT_EQ(record.text, "x");
  IrmRatings irm;
  irm.specificity = "low";
  EXPECT_EQ(record.irm, irm);
  CommitmentRecord commitment;
  commitment.title = "T";
  EXPECT_EQ(record.commitment, commitment);
}

TEST(PassageRecord, AKeyGivenTwiceHoldsItsLastValueAtItsFirstPlace) {
  const PassageRecord record = PassageRecord::parse(
      with(kLeastRecord, R"("text":"x")",
           R"("text":"first","commitment":{"title":"T","fields":{"a":"1","b":"2","a":"3"}},)"
           R"("irm":{"completion":"limited"},"irm":{"specificity":"high"},"text":"last")"));
  EXPECT_EQ(record.text, "last");
  IrmRatings irm;
  irm.specificity = "high";
  EXPECT_EQ(record.irm, irm) << "the whole object replaced";
  ASSERT_TRUE(record.commitment);
  EXPECT_EQ(record.commitment->fields,
            (std::vector<std::pair<std::string, std::string>>{{"a", "3"}, {"b", "2"}}));
}

TEST(PassageRecord, ReadsNumbersAsPocosDynamicValuesDid) {
  const auto read = [](std::string_view from, std::string_view to) {
    return PassageRecord::parse(with(kLeastRecord, from, to));
  };
  // true is a whole number (1) and a number, as Poco::Dynamic::Var took it.
  EXPECT_EQ(read(R"("ordinal":1)", R"("ordinal":true)").ordinal, 1);
  EXPECT_EQ(read(R"("ordinal":1)", R"("ordinal":1,"confidence":false)").confidence, 0.0);
  EXPECT_EQ(read(R"("ordinal":1)", R"("ordinal":1,"confidence":87.5)").confidence, 87.5);
  EXPECT_EQ(read(R"("ordinal":1)", R"("ordinal":-2147483648)").ordinal, INT32_MIN);
  EXPECT_EQ(read(R"("ordinal":1)", R"("ordinal":1,"indexed_at":9223372036854775807)").indexed_at,
            INT64_MAX);
  EXPECT_EQ(read(R"("ordinal":1)", R"("ordinal":1,"confidence":18446744073709551615)").confidence,
            18446744073709551615.0);
}

TEST(PassageRecord, AMistypedValueIsRefusedWithTheMessageItAlwaysHad) {
  const auto error = [](std::string_view from, std::string_view to) {
    return error_of(with(kLeastRecord, from, to));
  };
  const std::string_view ordinal = R"("ordinal":1)";
  EXPECT_EQ(error(ordinal, R"("ordinal":1.5)"),
            "stored passage: key `ordinal` is not a whole number");
  EXPECT_EQ(error(ordinal, R"("ordinal":null)"), "stored passage: key `ordinal` is missing");
  EXPECT_EQ(error(ordinal, R"("ordinal":2147483648)"),
            "stored passage: key `ordinal` is out of range");
  EXPECT_EQ(error(ordinal, R"("ordinal":1,"indexed_at":18446744073709551615)"),
            "stored passage: key `indexed_at` is out of range");
  EXPECT_EQ(error(ordinal, R"("ordinal":1,"confidence":"95")"),
            "stored passage: key `confidence` is not a number");
  EXPECT_EQ(error(ordinal, R"("ordinal":1,"plans":["mx",null])"),
            "stored passage: key `plans` holds an item that is not a string");
  EXPECT_EQ(error(ordinal, R"("ordinal":1,"irm":[])"),
            "stored passage: key `irm` is not an object");
  EXPECT_EQ(error(ordinal, R"("ordinal":1,"irm":{"starred":"yes"})"),
            "stored passage: key `irm.starred` is not true or false");
  EXPECT_EQ(error(ordinal, R"("ordinal":1,"original":[],"linked_irm":{"completion":1})"),
            "stored passage: key `irm.completion` is not a string")
      << "the linked ratings are named as a record's own";
  EXPECT_EQ(error(ordinal, R"("ordinal":1,"original":null)"),
            "stored passage: key `original` is missing");
  EXPECT_EQ(error(ordinal, R"("ordinal":1,"commitment":{"title":"T","fields":{"a":null}})"),
            "stored passage: key `commitment.fields.a` is missing");
  EXPECT_EQ(error(ordinal, R"("ordinal":1,"commitment":{"title":"T","fields":{"a":["1"]}})"),
            "stored passage: key `commitment.fields.a` is not a string");
  EXPECT_EQ(
      error(ordinal, R"("ordinal":1,"commitment":{"title":"T","original_paragraphs":[1,"2"]})"),
      "stored passage: key `commitment.original_paragraphs` holds an item that is not a "
      "whole number");
  EXPECT_EQ(
      error(ordinal,
            R"("ordinal":1,"commitment":{"title":"T","original_paragraphs":[4294967296,"2"]})"),
      "stored passage: key `commitment.original_paragraphs` is out of range")
      << "the first item that fails names the error";
  // The first key in reading's order is named, wherever it stands in the data.
  EXPECT_EQ(error(R"("id":"a.0001")", R"("text":5,"id":7)"),
            "stored passage: key `id` is not a string");
}

TEST(PassageRecord, EveryTruncationOfARecordIsRefusedAsNoJson) {
  const std::string data = every_field(true).serialise();
  for (std::size_t size = 0; size < data.size(); ++size) {
    const std::string error = error_of(data.substr(0, size));
    EXPECT_TRUE(error.starts_with("stored passage: not JSON: ")) << size << ": " << error;
  }
  EXPECT_EQ(error_of("[1, 2]"), "stored passage: not an object");
  EXPECT_EQ(error_of("\"text\""),
            "stored passage: not JSON: Attempt to set value on an empty stack");
}

// --- Reading as records were read through Poco's Var tree -----------------------------------

// What reading gives: a record, or the error it throws (its type and message).
struct Outcome {
  std::optional<PassageRecord> record;
  std::string error;
  bool operator==(const Outcome&) const = default;
};

void PrintTo(const Outcome& outcome, std::ostream* out) {
  *out << (outcome.record ? outcome.record->serialise() : outcome.error);
}

template <typename Parse>
Outcome outcome_of(Parse parse, const std::string& data) {
  try {
    return {parse(data), ""};
  } catch (const RecordError& error) {
    return {std::nullopt, std::string("RecordError: ") + error.what()};
  } catch (const Poco::Exception& error) {
    return {std::nullopt, "Poco: " + error.displayText()};
  } catch (const std::exception& error) {
    return {std::nullopt, std::string("std: ") + error.what()};
  }
}

// Reads `data` with today's reader and with the Var tree's, and expects the same of both.
// Returns whether they agree.
bool reads_as_before(const std::string& data) {
  const Outcome now = outcome_of(&PassageRecord::parse, data);
  const Outcome before = outcome_of(&testing::parse_through_var_tree, data);
  EXPECT_EQ(now, before) << data;
  return now == before;
}

Poco::JSON::Object::Ptr tree_of(std::string_view data) {
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
  return parser.parse(std::string(data)).extract<Poco::JSON::Object::Ptr>();
}

std::string json_of(const Poco::JSON::Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

// Values of every JSON type, and of the edges of the numbers and strings reading takes.
constexpr std::string_view kValues[] = {
    "null",
    "true",
    "false",
    "0",
    "-1",
    "7",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "18446744073709551615",
    "1.5",
    "1e2",
    "-0.0",
    R"("")",
    R"("x")",
    R"("2011/2013")",
    R"("2013/2011")",
    R"("commitment")",
    R"("ocr")",
    R"("caf\u00e9 \ud83d\ude00")",
    "[]",
    R"(["a","b"])",
    "[1,2]",
    "[true]",
    "[null]",
    R"(["a",1])",
    "[1,4294967296]",
    "[[]]",
    "[{}]",
    "{}",
    R"({"a":"b"})",
    R"({"specificity":"high","starred":true,"ogp_values":[1]})",
    R"({"title":"t","fields":{"x":"y","x":"z"},"original_paragraphs":[3]})",
    R"({"title":1})"};

// The keys of each object reading looks into, and one it does not know.
const std::vector<std::string> kRootKeys = {"id",
                                            "doc",
                                            "title",
                                            "heading",
                                            "kind",
                                            "ordinal",
                                            "paragraph",
                                            "page",
                                            "source",
                                            "confidence",
                                            "lang",
                                            "plans",
                                            "type",
                                            "country",
                                            "date",
                                            "passage_date",
                                            "publisher",
                                            "doc_languages",
                                            "indexed_at",
                                            "section",
                                            "challenge",
                                            "themes",
                                            "agencies",
                                            "responsible",
                                            "organizations",
                                            "status",
                                            "translation_id",
                                            "supporting",
                                            "report_stage",
                                            "irm",
                                            "commitment",
                                            "text",
                                            "commitment_group",
                                            "original",
                                            "linked_ogp_id",
                                            "linked_irm",
                                            "rated_by",
                                            "unknown"};
const std::vector<std::string> kIrmKeys = {"specificity",       "ogp_values", "potential_impact",
                                           "potential_results", "completion", "opened_government",
                                           "starred",           "unknown"};
const std::vector<std::string> kCommitmentKeys = {
    "number", "ogp_id", "title", "fields", "original_paragraphs", "unknown"};

// Records to change a key of: as stored, and with every field.
std::vector<std::string> base_records() {
  std::vector<std::string> records(std::begin(kAllRecords), std::end(kAllRecords));
  records.push_back(every_field(false).serialise());
  records.push_back(every_field(true).serialise());
  return records;
}

TEST(PassageRecord, ReadsAsTheVarTreeDidWhateverAKeyHolds) {
  // Paths to the objects reading looks into, and their keys.
  const std::vector<std::pair<std::vector<std::string>, const std::vector<std::string>*>> places = {
      {{}, &kRootKeys},
      {{"irm"}, &kIrmKeys},
      {{"linked_irm"}, &kIrmKeys},
      {{"commitment"}, &kCommitmentKeys},
      {{"commitment", "fields"}, &kCommitmentKeys}};
  std::size_t compared = 0;
  for (const std::string& base : base_records()) {
    for (const auto& [path, keys] : places) {
      for (const std::string& key : *keys) {
        const auto change = [&](const std::function<void(Poco::JSON::Object&)>& edit) {
          const Poco::JSON::Object::Ptr root = tree_of(base);
          Poco::JSON::Object::Ptr object = root;
          for (const std::string& step : path) {
            if (!object->isObject(step))
              object->set(step, Poco::JSON::Object::Ptr(
                                    new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER)));
            object = object->getObject(step);
          }
          edit(*object);
          ++compared;
          return reads_as_before(json_of(root));
        };
        if (!change([&](Poco::JSON::Object& object) { object.remove(key); })) return;
        for (const std::string_view value : kValues) {
          const Poco::Dynamic::Var parsed =
              tree_of(R"({"v":)" + std::string(value) + "}")->get("v");
          if (!change([&](Poco::JSON::Object& object) { object.set(key, parsed); })) return;
        }
      }
    }
  }
  EXPECT_GT(compared, 7000u);
}

TEST(PassageRecord, ReadsKeysGivenTwiceAsTheVarTreeDid) {
  for (const std::string& base : base_records()) {
    for (const std::string& key : kRootKeys) {
      for (const std::string_view value : kValues) {
        const std::string given = "\"" + key + "\":" + std::string(value);
        // Before the one stored (which then wins) and after it.
        if (!reads_as_before("{" + given + "," + base.substr(1))) return;
        if (!reads_as_before(base.substr(0, base.size() - 1) + "," + given + "}")) return;
      }
    }
    for (const std::string_view object : {R"("irm":{)", R"("commitment":{)", R"("fields":{)"}) {
      const std::size_t at = base.find(object);
      if (at == std::string::npos) continue;
      for (const std::string& key : kIrmKeys)
        for (const std::string& repeated : {key, std::string("title"), std::string("fields")})
          for (const std::string_view value : kValues) {
            std::string data = base;
            data.insert(at + object.size(), "\"" + repeated + "\":" + std::string(value) + ",");
            if (!reads_as_before(data)) return;
          }
    }
  }
}

TEST(PassageRecord, ReadsEveryPrefixAndBrokenRecordAsTheVarTreeDid) {
  for (const std::string& base : base_records()) {
    for (std::size_t size = 0; size <= base.size(); ++size)
      if (!reads_as_before(base.substr(0, size))) return;
  }
  for (const char* data : {"", " ", "{}", "[]", "null", "5", "\"x\"", "{\"id\":}", "{} {}",
                           "{\"id\":\"a\"} x", "{\"id\" \"a\"}", "{'id':'a'}", "{\"id\":\"\\x\"}",
                           "{\"ordinal\":99999999999999999999}", "{\"ordinal\":01}", "[{}]"})
    if (!reads_as_before(data)) return;
}

// `count` records of random fields, the same each time.
std::vector<PassageRecord> random_records(int count) {
  std::mt19937 random(20261203);
  const auto chance = [&](int percent) {
    return std::uniform_int_distribution<int>(0, 99)(random) < percent;
  };
  const auto pick = [&](const auto& choices) {
    return choices[std::uniform_int_distribution<std::size_t>(0, std::size(choices) - 1)(random)];
  };
  const std::string_view pieces[] = {"a",  "Zz", " ",      "é", "😀", "\"", "\\", "\n", "\t",
                                     "\r", "/",  "\u2028", "{", "[", ":",  ",",  "0"};
  // Other control bytes, written as \u00XX.
  const std::string_view controls[] = {"\x01", "\b", "\f", "\x1f", std::string_view("\0", 1)};
  const auto text = [&] {
    std::string value;
    for (int n = std::uniform_int_distribution<int>(0, 8)(random); n > 0; --n)
      value += pick(pieces);
    if (chance(5)) value += pick(controls);
    return value;
  };
  const auto texts = [&] {
    std::vector<std::string> values(std::uniform_int_distribution<std::size_t>(0, 3)(random));
    for (std::string& value : values) value = text();
    return values;
  };
  const auto maybe_text = [&](int percent) {
    return chance(percent) ? std::optional<std::string>(text()) : std::nullopt;
  };
  const auto ratings = [&] {
    IrmRatings irm;
    if (!chance(50)) return irm;
    irm.specificity = maybe_text(50);
    if (chance(50)) irm.ogp_values = texts();
    irm.potential_impact = maybe_text(50);
    irm.potential_results = maybe_text(50);
    irm.completion = maybe_text(50);
    irm.opened_government = maybe_text(50);
    if (chance(50)) irm.starred = chance(50);
    return irm;
  };
  const int numbers[] = {0, 1, -1, 27, INT32_MAX, INT32_MIN};
  const std::optional<double> confidences[] = {std::nullopt, 0.0, 95.0, 87.5, 100.0, 1e-7};
  std::vector<PassageRecord> records;
  for (int n = 0; n < count; ++n) {
    PassageRecord record;
    record.id = text();
    record.doc = text();
    record.title = text();
    record.heading = text();
    record.kind = pick(kKinds);
    record.ordinal = pick(numbers);
    if (chance(50)) record.paragraph = pick(numbers);
    if (chance(50)) record.page = pick(numbers);
    record.source = pick(kSources);
    record.confidence = pick(confidences);
    record.lang = text();
    record.plans = texts();
    record.type = maybe_text(50);
    record.country = maybe_text(50);
    record.date = maybe_text(50);
    if (chance(30)) record.passage_date = PassageDate{"2011", "2013"};
    record.publisher = maybe_text(50);
    record.doc_languages = texts();
    record.indexed_at = chance(50) ? 1796146398 : INT64_MIN;
    record.section = maybe_text(30);
    record.challenges = texts();
    record.themes = texts();
    record.agencies = texts();
    record.responsible = texts();
    record.organizations = texts();
    record.status = maybe_text(30);
    record.translation_id = maybe_text(30);
    record.supporting = texts();
    record.report_stage = maybe_text(30);
    record.irm = ratings();
    if (chance(40)) {
      CommitmentRecord commitment;
      if (chance(50)) commitment.number = pick(numbers);
      commitment.ogp_id = chance(50) ? text() : "";
      commitment.title = text();
      for (const std::string& name : texts())
        if (std::none_of(commitment.fields.begin(), commitment.fields.end(),
                         [&](const auto& field) { return field.first == name; }))
          commitment.fields.emplace_back(name, text());
      for (int k = std::uniform_int_distribution<int>(0, 2)(random); k > 0; --k)
        commitment.original_paragraphs.push_back(pick(numbers));
      record.commitment = std::move(commitment);
    }
    record.text = text();
    if (chance(30)) {
      CommitmentLinks& links = record.links.emplace();
      links.group = chance(50) ? text() : "";
      links.original = texts();
      links.linked_ogp_id = chance(50) ? text() : "";
      links.ratings = ratings();
      links.rated_by = texts();
    }
    records.push_back(std::move(record));
  }
  return records;
}

TEST(PassageRecord, ReadsRandomRecordsAsTheVarTreeDid) {
  for (const PassageRecord& record : random_records(3000))
    if (!reads_as_before(record.serialise())) return;
}

// --- Writing as Poco's objects did -----------------------------------------------------------

TEST(PassageRecord, WritesEveryRecordAsPocosObjectsDid) {
  std::vector<PassageRecord> records = random_records(3000);
  for (const std::string_view data : kAllRecords) records.push_back(PassageRecord::parse(data));
  records.push_back(every_field(false));
  records.push_back(every_field(true));
  for (const PassageRecord& record : records)
    ASSERT_EQ(record.serialise(), testing::serialise_through_poco(record));
}

TEST(PassageRecord, AFieldNamedTwiceIsWrittenOnceAsPocosObjectsDid) {
  for (const bool linked : {false, true}) {
    PassageRecord record = every_field(linked);
    record.commitment->fields = {{"b", "1"}, {"a", "2"}, {"b", "3"}};
    const std::string data = record.serialise();
    EXPECT_EQ(data, testing::serialise_through_poco(record));
    EXPECT_EQ(PassageRecord::parse(data).commitment->fields,
              (linked ? std::vector<std::pair<std::string, std::string>>{{"a", "2"}, {"b", "3"}}
                      : std::vector<std::pair<std::string, std::string>>{{"b", "3"}, {"a", "2"}}));
  }
}

// --- The counted facet values slot -----------------------------------------------------------

using Decoded = std::vector<std::pair<std::size_t, std::string>>;

Decoded decode(std::string_view slot) {
  Decoded values;
  decode_facet_values(slot, [&](std::size_t index, std::string_view value) {
    values.emplace_back(index, std::string(value));
  });
  return values;
}

TEST(FacetValues, EncodedValuesAreDecodedWithTheirFacetsPosition) {
  FacetValuesEncoder encoder;
  encoder.add(0, "mx-2011-2013");
  encoder.add(0, "mx-2013-2015");
  encoder.add(7, "commitment");
  encoder.add(12, "MX0085");
  encoder.add(58, "last");
  EXPECT_EQ(encoder.slot(), "Amx-2011-2013\nAmx-2013-2015\nHcommitment\nMMX0085\n{last\n");
  EXPECT_EQ(decode(encoder.slot()), (Decoded{{0, "mx-2011-2013"},
                                             {0, "mx-2013-2015"},
                                             {7, "commitment"},
                                             {12, "MX0085"},
                                             {58, "last"}}));
}

TEST(FacetValues, EmptyValuesAndValuesWithTheSeparatorAreLeftOut) {
  FacetValuesEncoder encoder;
  encoder.add(1, "");
  encoder.add(2, "two\nlines");
  encoder.add(3, "\n");
  EXPECT_EQ(encoder.slot(), "");
  encoder.add(4, "kept");
  EXPECT_EQ(decode(encoder.slot()), (Decoded{{4, "kept"}}));
  EXPECT_EQ(decode(""), Decoded{});
}

TEST(FacetValues, DecodingSkipsWhatNoEncoderWrites) {
  // A code without a value, a line without a code, a last value without its separator.
  EXPECT_EQ(decode("A\n\n\x01x\nBb\nCc"), (Decoded{{1, "b"}, {2, "c"}}));
}

}  // namespace
}  // namespace lupa::schema
