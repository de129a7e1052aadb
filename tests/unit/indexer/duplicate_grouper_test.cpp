#include "lupa/indexer/duplicate_grouper.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "lupa/analyzers/schema.h"
#include "lupa/indexer/document_builder.h"
#include "support/temp_dir.h"

namespace lupa::indexer {
namespace {

using lupa::testing::TempDir;

constexpr const char* kParagraph =
    "El Gobierno de la República se compromete a publicar en formatos abiertos la información "
    "sobre contrataciones públicas, desde la planeación hasta la ejecución de los contratos, "
    "para que la ciudadanía pueda vigilar el uso de los recursos y denunciar irregularidades "
    "ante la Secretaría de la Función Pública.";

// The same paragraph as a scan's OCR reads it: case lost in places, accents dropped, a letter
// misread ("rn" for "m"), a word hyphenated across a line, doubled spaces and line breaks.
constexpr const char* kOcrCopy =
    "EL GOBIERNO de la Republica se compromete a publicar en forrnatos abiertos la informacion "
    "sobre contrataciones públicas, desde la planeación hasta la ejecu-\n cion de los contratos,  "
    "para que la ciudadanía pueda vigilar el uso de  los recursos y denunciar\nirregularidades "
    "ante la Secretaria de la Funcion Publica.";

// Another commitment written on the same template.
constexpr const char* kSameTemplate =
    "El Gobierno de la República se compromete a publicar en formatos abiertos la información "
    "sobre el presupuesto de los municipios, desde su aprobación hasta el ejercicio del gasto, "
    "para que la ciudadanía pueda conocer el destino de los impuestos y proponer prioridades "
    "ante la Secretaría de Hacienda y Crédito Público.";

TEST(Fingerprint, AnOcrNoisyCopyIsAtOrOverTheThreshold) {
  EXPECT_GE(estimated_similarity(fingerprint(kParagraph), fingerprint(kOcrCopy)),
            kDuplicateSimilarity);
}

TEST(Fingerprint, IdenticalTextsAreSimilarOneAndCaseAccentsAndSpacesDoNotCount) {
  EXPECT_EQ(estimated_similarity(fingerprint(kParagraph), fingerprint(kParagraph)), 1.0);
  EXPECT_EQ(
      estimated_similarity(
          fingerprint("Transparencia presupuestaria: los municipios publicarán cada trimestre su "
                      "presupuesto aprobado y su ejercicio."),
          fingerprint("TRANSPARENCIA   PRESUPUESTARIA los municipios publicaran cada trimestre "
                      "su presupuesto\naprobado y su ejercicio")),
      1.0);
}

TEST(Fingerprint, AnotherPassageOfTheSameTemplateIsBelowTheThreshold) {
  const double similarity =
      estimated_similarity(fingerprint(kParagraph), fingerprint(kSameTemplate));
  EXPECT_LT(similarity, kDuplicateSimilarity);
}

TEST(Fingerprint, ShortPassagesAreDuplicatesOnlyWhenTheirWordsAreAllAlike) {
  // Two commitment pages' rating blocks: one word apart, different ratings.
  const Fingerprint substantial = fingerprint(
      "Verifiable: Yes Relevant to OGP Values: Access to Information, Public Accountability "
      "Potential for Results: Substantial");
  const Fingerprint modest = fingerprint(
      "Verifiable: Yes Relevant to OGP Values: Access to Information, Public Accountability "
      "Potential for Results: Modest");
  EXPECT_GE(estimated_similarity(substantial, modest), kDuplicateSimilarity);
  EXPECT_FALSE(are_duplicates(substantial, modest));
  EXPECT_TRUE(are_duplicates(
      substantial, fingerprint("VERIFIABLE: yes. Relevant to OGP values: access to information, "
                               "public accountability. Potential for results: substantial.")));
  // Long enough, a misread word is allowed.
  EXPECT_TRUE(are_duplicates(fingerprint(kParagraph), fingerprint(kOcrCopy)));
  EXPECT_FALSE(are_duplicates(fingerprint(kParagraph), fingerprint(kSameTemplate)));
}

TEST(Fingerprint, ValuesAreThoseEveryEarlierIndexHolds) {
  // Band terms and stored signatures are made of these: a change would part every new passage
  // from its copies already indexed. Pinned from the plain loop, before it had a vector clone.
  const Fingerprint print = fingerprint(kParagraph);
  std::uint64_t digest = 0;
  for (std::uint64_t minimum : print.minimums) digest = digest * 31 + minimum;
  EXPECT_EQ(print.minimums[0], 105668408820535911U);
  EXPECT_EQ(print.minimums[kFingerprintHashes - 1], 117982086075980722U);
  EXPECT_EQ(digest, 7361493552920895010U);
}

TEST(Fingerprint, ShortTextsAreNotFingerprinted) {
  EXPECT_FALSE(fingerprint("Anexo 1. Compromisos del plan").usable);
  EXPECT_EQ(estimated_similarity(fingerprint("Anexo 1. Compromisos del plan"),
                                 fingerprint("Anexo 1. Compromisos del plan")),
            0.0);
  EXPECT_TRUE(fingerprint(kParagraph).usable);
}

class GroupDuplicates : public ::testing::Test {
 protected:
  void add(const std::string& path, int ordinal, const std::string& text,
           int translation_ordinal = 0) {
    database_.add_document(built(path, ordinal, text, translation_ordinal));
  }

  // As the indexer writes a passage: with its band terms, noted in `changes_`.
  void write(const std::string& path, int ordinal, const std::string& text) {
    Xapian::Document document = built(path, ordinal, text);
    add_band_terms(document);
    database_.add_document(document);
    changes_.written.push_back(schema::passage_id(path, ordinal));
    ++changes_.passages;
  }

  // As the indexer removes a file: what its passages were, noted in `changes_`.
  void remove_noted(const std::string& path) {
    const std::string term = schema::file_term(path);
    for (auto it = database_.postlist_begin(term); it != database_.postlist_end(term); ++it) {
      const Xapian::Document gone = database_.get_document(*it);
      changes_.deleted_signatures.push_back(signature_with_id(gone));
      changes_.deleted_duplicate_groups.push_back(gone.get_value(schema::kSlotDuplicateGroup));
      ++changes_.passages;
    }
    remove(path);
  }

  // Groups what was written or removed since the last call, as a run's end does.
  DuplicateGrouping group_changes() {
    const DuplicateGrouping grouping = group_duplicates(database_, {}, &changes_);
    changes_ = RunChanges{};
    return grouping;
  }

  // Per passage id, its duplicate group and shown-once key.
  std::map<std::string, std::string> all_groups() const {
    std::map<std::string, std::string> found;
    for (auto it = database_.postlist_begin(""); it != database_.postlist_end(""); ++it) {
      const Xapian::Document passage = database_.get_document(*it);
      found[schema::PassageRecord::parse(passage.get_data()).id] =
          passage.get_value(schema::kSlotDuplicateGroup) + " / " +
          passage.get_value(schema::kSlotShownOnce);
    }
    return found;
  }

  Xapian::Document built(const std::string& path, int ordinal, const std::string& text,
                         int translation_ordinal = 0) {
    Passage passage;
    passage.ordinal = ordinal;
    passage.text = text;
    passage.language = "es";
    passage.translation_ordinal = translation_ordinal;
    DocumentMetadata metadata;
    metadata.languages = {"es"};
    return builder_.build(path, metadata, passage, 1'700'000'000);
  }

  // As an index written before the passage's signature was stored has it.
  void forget_signature(const std::string& path, int ordinal) {
    const std::string term = schema::id_term(schema::passage_id(path, ordinal));
    const Xapian::docid docid = *database_.postlist_begin(term);
    Xapian::Document stored = database_.get_document(docid);
    stored.remove_value(schema::kSlotDuplicateSignature);
    database_.replace_document(docid, stored);
  }

  void remove(const std::string& path) { database_.delete_document(schema::file_term(path)); }

  Xapian::Document document(const std::string& path, int ordinal) const {
    const std::string term = schema::id_term(schema::passage_id(path, ordinal));
    return database_.get_document(*database_.postlist_begin(term));
  }

  std::string group(const std::string& path, int ordinal) const {
    return document(path, ordinal).get_value(schema::kSlotDuplicateGroup);
  }

  std::string shown_once(const std::string& path, int ordinal) const {
    return document(path, ordinal).get_value(schema::kSlotShownOnce);
  }

  // The ids of the passages carrying the group's term.
  std::set<std::string> members(const std::string& key) const {
    std::set<std::string> ids;
    const std::string term = schema::duplicate_group_term(key);
    for (auto it = database_.postlist_begin(term); it != database_.postlist_end(term); ++it)
      ids.insert(schema::PassageRecord::parse(database_.get_document(*it).get_data()).id);
    return ids;
  }

  TempDir dir_;
  Xapian::WritableDatabase database_{(dir_ / "db").string(), Xapian::DB_CREATE_OR_OPEN};
  DocumentBuilder builder_;
  RunChanges changes_;
};

TEST_F(GroupDuplicates, ThreeCopiesInThreeDocumentsAreOneGroupAndOthersAreNone) {
  add("corpus/plan.txt", 1, kParagraph);
  add("corpus/plan.txt", 2, kSameTemplate);
  add("corpus/scans/plan.png", 1, kOcrCopy);
  add("corpus/mirror/plan.html", 4, kParagraph);

  const DuplicateGrouping grouping = group_duplicates(database_);
  EXPECT_EQ(grouping.groups, 1u);
  EXPECT_EQ(grouping.grouped, 3u);
  const std::string key = group("corpus/plan.txt", 1);
  EXPECT_EQ(key, schema::passage_id("corpus/mirror/plan.html", 4));  // the smallest id
  EXPECT_EQ(group("corpus/scans/plan.png", 1), key);
  EXPECT_EQ(group("corpus/mirror/plan.html", 4), key);
  EXPECT_EQ(group("corpus/plan.txt", 2), "");
  EXPECT_EQ(members(key),
            (std::set<std::string>{schema::passage_id("corpus/plan.txt", 1),
                                   schema::passage_id("corpus/scans/plan.png", 1),
                                   schema::passage_id("corpus/mirror/plan.html", 4)}));
  // Nothing new: nothing rewritten.
  EXPECT_EQ(group_duplicates(database_).passages_changed, 0u);
}

TEST_F(GroupDuplicates, ARemovedCopyLeavesItsGroupAndTheLastCopyIsAloneAgain) {
  add("corpus/plan.txt", 1, kParagraph);
  add("corpus/scans/plan.png", 1, kOcrCopy);
  add("corpus/mirror/plan.html", 4, kParagraph);
  group_duplicates(database_);

  remove("corpus/mirror/plan.html");
  const DuplicateGrouping two = group_duplicates(database_);
  EXPECT_EQ(two.grouped, 2u);
  const std::string key = group("corpus/plan.txt", 1);
  EXPECT_EQ(key, schema::passage_id("corpus/plan.txt", 1));
  EXPECT_EQ(group("corpus/scans/plan.png", 1), key);
  EXPECT_EQ(members(key), (std::set<std::string>{schema::passage_id("corpus/plan.txt", 1),
                                                 schema::passage_id("corpus/scans/plan.png", 1)}));
  EXPECT_TRUE(members(schema::passage_id("corpus/mirror/plan.html", 4)).empty());

  remove("corpus/scans/plan.png");
  EXPECT_EQ(group_duplicates(database_).groups, 0u);
  EXPECT_EQ(group("corpus/plan.txt", 1), "");
  EXPECT_EQ(shown_once("corpus/plan.txt", 1), "");
  EXPECT_TRUE(members(key).empty());
}

TEST_F(GroupDuplicates, ANewCopyJoinsTheExistingGroup) {
  add("corpus/plan.txt", 1, kParagraph);
  add("corpus/scans/plan.png", 1, kOcrCopy);
  group_duplicates(database_);
  add("corpus/copy/plan.txt", 7, kParagraph);
  EXPECT_EQ(group_duplicates(database_).grouped, 3u);
  EXPECT_EQ(group("corpus/copy/plan.txt", 7), group("corpus/plan.txt", 1));
}

TEST_F(GroupDuplicates, CopiesWithinOneDocumentAreNotGrouped) {
  add("corpus/plan.txt", 1, kParagraph);
  add("corpus/plan.txt", 9, kParagraph);
  EXPECT_EQ(group_duplicates(database_).groups, 0u);
  EXPECT_EQ(group("corpus/plan.txt", 1), "");
}

TEST_F(GroupDuplicates, AChainNeverPutsTwoPassagesOfOneDocumentInAGroup) {
  add("corpus/plan.txt", 1, kParagraph);
  add("corpus/plan.txt", 9, kParagraph);
  add("corpus/scans/plan.png", 1, kOcrCopy);
  group_duplicates(database_);
  EXPECT_NE(group("corpus/scans/plan.png", 1), "");
  EXPECT_NE(group("corpus/plan.txt", 1), group("corpus/plan.txt", 9));
}

TEST_F(GroupDuplicates, ShownOnceJoinsAPassageItsTranslationAndTheirDuplicates) {
  const std::string english =
      "The Government of the Republic commits to publishing open data on public procurement, "
      "from planning to the execution of contracts, so that citizens can monitor spending.";
  add("corpus/plan-es-en.txt", 3, kParagraph, 4);
  add("corpus/plan-es-en.txt", 4, english, 3);
  add("corpus/scans/plan.png", 1, kOcrCopy);
  add("corpus/other.txt", 1, kSameTemplate);
  group_duplicates(database_);
  // Translations are not duplicates of each other...
  EXPECT_EQ(group("corpus/plan-es-en.txt", 4), "");
  EXPECT_EQ(group("corpus/plan-es-en.txt", 3), group("corpus/scans/plan.png", 1));
  // ...but all three are shown once.
  const std::string key = shown_once("corpus/plan-es-en.txt", 3);
  EXPECT_FALSE(key.empty());
  EXPECT_EQ(shown_once("corpus/plan-es-en.txt", 4), key);
  EXPECT_EQ(shown_once("corpus/scans/plan.png", 1), key);
  EXPECT_EQ(shown_once("corpus/other.txt", 1), "");
}

TEST_F(GroupDuplicates, APassageAndItsTranslationAloneKeepTheirTranslationGroupUnrewritten) {
  const std::string english =
      "The Government of the Republic commits to publishing open data on public procurement, "
      "from planning to the execution of contracts, so that citizens can monitor spending.";
  add("corpus/plan-es-en.txt", 3, kParagraph, 4);
  add("corpus/plan-es-en.txt", 4, english, 3);
  // The document builder gives both their translation group as the shown-once key.
  const std::string key = shown_once("corpus/plan-es-en.txt", 3);
  EXPECT_EQ(key, document("corpus/plan-es-en.txt", 3).get_value(schema::kSlotTranslationGroup));
  EXPECT_EQ(group_duplicates(database_).passages_changed, 0u);
  EXPECT_EQ(shown_once("corpus/plan-es-en.txt", 4), key);
}

TEST_F(GroupDuplicates, APassageWithoutAStoredSignatureIsGroupedFromItsText) {
  add("corpus/plan.txt", 1, kParagraph);
  add("corpus/scans/plan.png", 1, kOcrCopy);
  add("corpus/mirror/plan.html", 4, kParagraph);
  add("corpus/other.txt", 1, kSameTemplate);
  forget_signature("corpus/scans/plan.png", 1);
  forget_signature("corpus/other.txt", 1);
  const DuplicateGrouping grouping = group_duplicates(database_);
  EXPECT_EQ(grouping.groups, 1u);
  EXPECT_EQ(grouping.grouped, 3u);
  const std::string key = schema::passage_id("corpus/mirror/plan.html", 4);
  EXPECT_EQ(group("corpus/scans/plan.png", 1), key);
  EXPECT_EQ(group("corpus/plan.txt", 1), key);
  EXPECT_EQ(group("corpus/other.txt", 1), "");
}

// Commitments written on one template, as a generated corpus's are: each shares band keys with
// many others of the template, and none is a duplicate of another: the blanks are filled as a
// code of distance 3 (a, b, a + b and a + 2b modulo 7), so any two differ in three of four.
std::string templated(int n) {
  static const std::vector<std::string> subjects = {
      "contratos", "presupuestos", "subsidios", "licitaciones", "auditorías", "obras", "viajes"};
  static const std::vector<std::string> bodies = {"municipios",    "ministerios", "hospitales",
                                                  "universidades", "tribunales",  "puertos",
                                                  "aduanas"};
  static const std::vector<std::string> verbs = {"vigilar",   "evaluar", "comparar", "denunciar",
                                                 "consultar", "auditar", "discutir"};
  static const std::vector<std::string> offices = {"Secretaría", "Contraloría", "Procuraduría",
                                                   "Defensoría", "Auditoría",   "Fiscalía",
                                                   "Tesorería"};
  const std::size_t a = static_cast<std::size_t>(n) % 7;
  const std::size_t b = static_cast<std::size_t>(n) / 7 % 7;
  return "El Gobierno de la República se compromete a publicar en formatos abiertos la "
         "información sobre los " +
         subjects[a] + " de los " + bodies[b] +
         ", desde la planeación hasta la ejecución, para que la ciudadanía pueda " +
         verbs[(a + b) % 7] + " el uso de los recursos públicos ante la " +
         offices[(a + 2 * b) % 7] + " y proponer mejoras cada año.";
}

TEST_F(GroupDuplicates, AddingACopyToATemplatedCorpusReadsItsDuplicatesNotTheTemplate) {
  for (int n = 0; n < 49; ++n) write("corpus/plan-" + std::to_string(n) + ".txt", 1, templated(n));
  write("corpus/scans/plan.png", 1, kOcrCopy);
  write("corpus/plan.txt", 1, kParagraph);
  changes_ = RunChanges{};
  EXPECT_EQ(group_duplicates(database_).groups, 1u);

  // A copy of a templated commitment and one of the paragraph: each run reads the copy and what
  // it is a duplicate of, whatever shares band keys with them.
  write("corpus/copy/plan-7.txt", 1, templated(7));
  const DuplicateGrouping one = group_changes();
  EXPECT_FALSE(one.everything);
  EXPECT_EQ(one.passages_read, 2u);
  EXPECT_EQ(one.groups, 2u);
  EXPECT_EQ(group("corpus/copy/plan-7.txt", 1), group("corpus/plan-7.txt", 1));
  write("corpus/copy/plan.txt", 1, kParagraph);
  const DuplicateGrouping two = group_changes();
  EXPECT_FALSE(two.everything);
  EXPECT_EQ(two.passages_read, 3u);
  EXPECT_EQ(two.grouped, 5u);
  EXPECT_EQ(group("corpus/copy/plan.txt", 1), group("corpus/scans/plan.png", 1));

  // The same as grouping every passage.
  const auto incremental = all_groups();
  EXPECT_EQ(group_duplicates(database_).passages_changed, 0u);
  EXPECT_EQ(all_groups(), incremental);
}

TEST_F(GroupDuplicates, ChangesAOneDocumentSplitNeedsAreGroupedAsFromNothing) {
  // A chain through a document holding the paragraph twice, built up and torn down a file a
  // run: each run's groups are those of grouping every passage.
  const std::vector<std::pair<std::string, const char*>> files = {
      {"corpus/scans/plan.png", kOcrCopy},
      {"corpus/mirror/plan.html", kParagraph},
      {"corpus/plan.txt", kParagraph},
      {"corpus/copy/plan.txt", kOcrCopy}};
  const auto same_as_from_nothing = [&] {
    const auto incremental = all_groups();
    EXPECT_EQ(group_duplicates(database_).passages_changed, 0u);
    EXPECT_EQ(all_groups(), incremental);
  };
  write("corpus/other.txt", 1, kSameTemplate);
  changes_ = RunChanges{};
  group_duplicates(database_);
  for (const auto& [path, text] : files) {
    write(path, 1, text);
    write(path, 2, text);
    EXPECT_FALSE(group_changes().everything);
    same_as_from_nothing();
  }
  EXPECT_NE(group("corpus/plan.txt", 1), group("corpus/plan.txt", 2));
  EXPECT_NE(group("corpus/plan.txt", 1), "");
  for (const auto& [path, text] : files) {
    remove_noted(path);
    EXPECT_FALSE(group_changes().everything);
    same_as_from_nothing();
  }
  EXPECT_EQ(group_duplicates(database_).groups, 0u);
}

TEST_F(GroupDuplicates, AShortPassageHasOneBandTermAndItsCopyIsStillFound) {
  const std::string rating =
      "Verifiable: Yes Relevant to OGP Values: Access to Information, Public Accountability "
      "Potential for Results: Substantial";
  write("corpus/commitment-1.html", 1, rating);
  write("corpus/plan.txt", 1, kParagraph);
  changes_ = RunChanges{};
  group_duplicates(database_);
  const auto band_terms = [&](const std::string& path) {
    std::size_t count = 0;
    const std::string prefix(schema::kDuplicateBandPrefix);
    const Xapian::Document passage = document(path, 1);
    for (auto term = passage.termlist_begin(); term != passage.termlist_end(); ++term)
      count += (*term).starts_with(prefix);
    return count;
  };
  EXPECT_EQ(band_terms("corpus/commitment-1.html"), 1u);
  EXPECT_GT(band_terms("corpus/plan.txt"), 1u);
  write("corpus/commitment-2.html", 1, rating);
  const DuplicateGrouping grouping = group_changes();
  EXPECT_FALSE(grouping.everything);
  EXPECT_EQ(grouping.grouped, 2u);
  EXPECT_EQ(group("corpus/commitment-2.html", 1), group("corpus/commitment-1.html", 1));
}

TEST(DuplicateSignature, HoldsTheLowBitsOfTheFingerprintAndTheIdIsJoinedFromItsSlot) {
  const std::string id = schema::passage_id("corpus/plan.txt", 3);
  const std::string signature = duplicate_signature(kParagraph);
  ASSERT_EQ(signature.size(), 1 + 4 + 2 * kFingerprintHashes);
  EXPECT_EQ(signature.front(), '\0');
  const Fingerprint print = fingerprint(kParagraph);
  const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(signature[1 + at]); };
  EXPECT_EQ(byte(0) | byte(1) << 8, static_cast<int>(print.words));
  EXPECT_EQ(byte(4) | byte(5) << 8, static_cast<int>(print.minimums[0] & 0xFFFF));
  // Too short to group: the zero byte alone, so that the slot still says it was written.
  EXPECT_EQ(duplicate_signature("Anexo 1. Compromisos del plan"), std::string(1, '\0'));
  // The grouper reads the id from kSlotPassageId beside it.
  EXPECT_EQ(signature_with_id(id, signature), id + signature);
  Xapian::Document passage;
  passage.add_value(schema::kSlotPassageId, id);
  passage.add_value(schema::kSlotDuplicateSignature, signature);
  EXPECT_EQ(signature_with_id(passage), id + signature);
  // A value written before lupa-analysis/12 held the id itself.
  EXPECT_EQ(signature_with_id(id, id + signature), id + signature);
  EXPECT_EQ(signature_with_id(id, ""), "");
}

}  // namespace
}  // namespace lupa::indexer
