#include "lupa/indexer/index_writer.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <optional>
#include <string>
#include <vector>

#include "lupa/analyzers/schema.h"
#include "lupa/indexer/document_builder.h"
#include "support/temp_dir.h"

namespace lupa::indexer {
namespace {

using lupa::testing::TempDir;
using ::testing::UnorderedElementsAre;

TEST(IndexWriter, FileStateRoundTrips) {
  FileState state;
  state.path = "corpus/Plan de Acción 2019.txt";
  state.size = 35327;
  state.mtime_ns = 1'700'000'000'123'456'789;
  state.content_hash = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
  state.fingerprint = "lupa-analysis/3|inferred";
  state.passages = 78;
  const auto parsed = FileState::parse(state.serialise());
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->path, state.path);
  EXPECT_EQ(parsed->size, state.size);
  EXPECT_EQ(parsed->mtime_ns, state.mtime_ns);
  EXPECT_EQ(parsed->content_hash, state.content_hash);
  EXPECT_EQ(parsed->fingerprint, state.fingerprint);
  EXPECT_EQ(parsed->passages, state.passages);
}

TEST(IndexWriter, FileStateRoundTripsNegativeMtimeAndEmptyHash) {
  FileState state;
  state.path = "c/a.txt";
  state.mtime_ns = -5;
  const auto parsed = FileState::parse(state.serialise());
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->mtime_ns, -5);
  EXPECT_EQ(parsed->content_hash, "");
  EXPECT_EQ(parsed->passages, 0);
}

TEST(IndexWriter, GarbageFileStateDoesNotParse) {
  // Serialised as size, mtime, hash, fingerprint, passages, path.
  for (const char* garbage : {"", "garbage", "a\tb", "not-a-number\t1\thash\tfp\t3\tpath",
                              "10\tnot-a-time\thash\tfp\t3\tpath", "10\t20\thash\tfp\tmany\tpath",
                              "10\t20\thash\tfp\t3", "10\t20\thash\tfp\t3\t"})
    EXPECT_FALSE(FileState::parse(garbage).has_value()) << garbage;
}

TEST(IndexWriter, FileStateFieldsMayBeEmptyAndThePathEndsAtANul) {
  constexpr char kStored[] = "10\t-20\t\t\t3\tc/a.txt\0rest";
  const auto parsed = FileState::parse(std::string(kStored, sizeof kStored - 1));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->size, 10u);
  EXPECT_EQ(parsed->mtime_ns, -20);
  EXPECT_EQ(parsed->content_hash, "");
  EXPECT_EQ(parsed->fingerprint, "");
  EXPECT_EQ(parsed->passages, 3);
  EXPECT_EQ(parsed->path, "c/a.txt");
}

// The path goes last, so a file name with a tab (legal on Linux) reads back whole: otherwise the
// file would be re-indexed on every run and never removed when deleted.
TEST(IndexWriter, FileStateRoundTripsAPathWithATab) {
  FileState state;
  state.path = "corpus/a\tb.txt";
  state.size = 3;
  state.passages = 4;
  const auto parsed = FileState::parse(state.serialise());
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->path, state.path);
  EXPECT_EQ(parsed->size, 3u);
  EXPECT_EQ(parsed->passages, 4);
}

TEST(SpellingWords, WordsLongerThanAnIndexedWordAreLeftOut) {
  SpellingWords words;
  collect_spelling_words("transparencia " + std::string(65, 'x') + " " + std::string(300, 'y') +
                             " " + std::string(64, 'z'),
                         words);
  std::vector<std::string> kept;
  for (const auto& [word, entry] : words) kept.push_back(word);
  EXPECT_THAT(kept, UnorderedElementsAre("transparencia", std::string(64, 'z')));
}

TEST(SpellingWords, StopWordsDigitsAndShortWordsAreLeftOutAndAccentsFolded) {
  SpellingWords words;
  // Twice over: the second time each word's form comes from what the thread remembers.
  for (int pass = 0; pass < 2; ++pass)
    collect_spelling_words("La corrupción y la CORRUPCION de 2019 en la Administración del año",
                           words);
  std::vector<std::string> kept;
  for (const auto& [word, entry] : words) kept.push_back(word);
  EXPECT_THAT(kept, UnorderedElementsAre("administracion", "año", "corrupcion"));
  EXPECT_EQ(words["corrupcion"].count, 4U);
  EXPECT_EQ(words["corrupcion"].written, "corrupción");
  EXPECT_EQ(words["año"].written, "");
}

TEST(UnwritableReason, NamesATermOrSpellingWordOverXapiansLimits) {
  Xapian::Document fine;
  fine.add_term("Ztransparenc");
  fine.add_term(std::string(245, 'a'));
  EXPECT_EQ(unwritable_reason({fine}, {{"corrupcion", {}}}), std::nullopt);

  Xapian::Document too_long;
  too_long.add_term("Z" + std::string(245, 'b'));
  EXPECT_EQ(unwritable_reason({fine, too_long}, {}),
            "a term is longer than Xapian's 245-byte limit: Z" + std::string(39, 'b') + "...");
  EXPECT_EQ(
      unwritable_reason({}, {{std::string(255, 'c'), {}}}),
      "a spelling word is longer than Xapian's 254-byte limit: " + std::string(40, 'c') + "...");
}

// ---------------------------------------------------------------------------------------------

class IndexWriterDatabase : public ::testing::Test {
 protected:
  static std::vector<Passage> passages() {
    Passage first;
    first.ordinal = 1;
    first.heading = "Aumentar la Integridad Pública";
    first.number = 25;
    first.page = 5;
    first.text = "25. Este compromiso consiste en profundizar la publicación de información.";
    first.language = "es";
    Passage second;
    second.ordinal = 2;
    second.text = "The objective is to broaden the publication of socially useful information.";
    second.language = "en";
    return {first, second};
  }

  static DocumentMetadata metadata() {
    DocumentMetadata metadata;
    metadata.title = "Plan de Acción";
    metadata.country = "mx";
    metadata.plans = {"mx-2011-2013", "mx-2013-2015"};
    metadata.type = "action-plan";
    metadata.languages = {"es", "en"};
    metadata.date = "2011-09-20";
    return metadata;
  }

  static FileState state(const std::string& path, int passages) {
    FileState state;
    state.path = path;
    state.size = 100;
    state.mtime_ns = 42;
    state.content_hash = "abc";
    state.fingerprint = "fp";
    state.passages = passages;
    return state;
  }

  // The passages of `path` built as the indexer builds them.
  static std::vector<Xapian::Document> documents(const std::string& path,
                                                 const std::vector<Passage>& passages) {
    DocumentBuilder builder;
    std::vector<Xapian::Document> built;
    for (const Passage& passage : passages)
      built.push_back(builder.build(path, metadata(), passage, 1'700'000'000));
    return built;
  }

  static std::vector<Xapian::Document> documents(const std::string& path) {
    return documents(path, passages());
  }

  Xapian::Database open() const { return Xapian::Database(dir_.path().string()); }

  static bool has_term(const Xapian::Database& db, const std::string& term) {
    return db.term_exists(term);
  }

  static Poco::JSON::Object::Ptr stored(const Xapian::Database& db, const std::string& id) {
    const std::string term = schema::id_term(id);
    auto posting = db.postlist_begin(term);
    if (posting == db.postlist_end(term)) return nullptr;
    return Poco::JSON::Parser()
        .parse(db.get_document(*posting).get_data())
        .extract<Poco::JSON::Object::Ptr>();
  }

  TempDir dir_;
};

TEST_F(IndexWriterDatabase, CommittedDocumentsAreFoundByIdAndFile) {
  {
    IndexWriter writer(dir_.path());
    writer.replace_file(state("corpus/plan.txt", 2), documents("corpus/plan.txt"));
    EXPECT_EQ(writer.passage_count(), 2u);
    writer.commit();
  }
  const Xapian::Database db = open();
  EXPECT_EQ(db.get_doccount(), 2u);
  EXPECT_EQ(db.get_termfreq("XFcorpus/plan.txt"), 2u);
  for (const char* term : {"Qcorpus.plan-txt.0001", "Qcorpus.plan-txt.0002", "XLes", "XLen"})
    EXPECT_TRUE(has_term(db, term)) << term;
  const auto first = stored(db, "corpus.plan-txt.0001");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->getValue<std::string>("doc"), "corpus/plan.txt");
  EXPECT_EQ(first->getValue<std::string>("text"), passages()[0].text);
  EXPECT_TRUE(stored(db, "corpus.plan-txt.0002"));
}

TEST_F(IndexWriterDatabase, DatabaseIsOpenForWholeIndexPassesInsideTheRun) {
  IndexWriter writer(dir_.path());
  writer.replace_file(state("corpus/plan.txt", 2), documents("corpus/plan.txt"));
  // Linking reads and rewrites passages of the uncommitted run through database().
  EXPECT_EQ(writer.database().get_termfreq("XFcorpus/plan.txt"), 2u);
}

TEST_F(IndexWriterDatabase, NothingIsKeptWithoutCommit) {
  {
    IndexWriter writer(dir_.path());
    writer.replace_file(state("corpus/plan.txt", 2), documents("corpus/plan.txt"));
  }
  EXPECT_EQ(open().get_doccount(), 0u);
  IndexWriter writer(dir_.path());
  EXPECT_FALSE(writer.file_state("corpus/plan.txt").has_value());
  EXPECT_TRUE(writer.indexed_files().empty());
}

TEST_F(IndexWriterDatabase, StateIsStoredWithThePassages) {
  {
    IndexWriter writer(dir_.path());
    writer.replace_file(state("corpus/plan.txt", 2), documents("corpus/plan.txt"));
    writer.replace_file(state("corpus/other.txt", 1),
                        documents("corpus/other.txt", {passages()[1]}));
    writer.commit();
  }
  IndexWriter writer(dir_.path());
  const auto found = writer.file_state("corpus/plan.txt");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->content_hash, "abc");
  EXPECT_EQ(found->passages, 2);
  EXPECT_FALSE(writer.file_state("corpus/none.txt").has_value());
  EXPECT_THAT(writer.indexed_files(), UnorderedElementsAre("corpus/plan.txt", "corpus/other.txt"));
}

TEST_F(IndexWriterDatabase, FileStatesGiveEveryStateInTheOrderOfIndexedFiles) {
  {
    IndexWriter writer(dir_.path());
    for (const char* path : {"corpus/plan.txt", "corpus/other.txt", "corpus/b/c.txt"})
      writer.replace_file(state(path, 1), documents(path, {passages()[1]}));
    writer.commit();
  }
  IndexWriter writer(dir_.path());
  std::vector<std::string> paths;
  for (const FileState& found : writer.file_states()) {
    paths.push_back(found.path);
    EXPECT_EQ(found.serialise(), writer.file_state(found.path)->serialise());
  }
  EXPECT_EQ(paths, writer.indexed_files());
  EXPECT_EQ(paths.size(), 3u);
}

TEST_F(IndexWriterDatabase, ReplacingAFileDropsItsOldPassages) {
  {
    IndexWriter writer(dir_.path());
    writer.replace_file(state("corpus/plan.txt", 2), documents("corpus/plan.txt"));
    writer.replace_file(state("corpus/other.txt", 2), documents("corpus/other.txt"));
    writer.commit();
  }
  {
    IndexWriter writer(dir_.path());
    writer.replace_file(state("corpus/plan.txt", 1), documents("corpus/plan.txt", {passages()[1]}));
    writer.commit();
  }
  const Xapian::Database db = open();
  EXPECT_EQ(db.get_doccount(), 3u);
  EXPECT_EQ(db.get_termfreq("XFcorpus/plan.txt"), 1u);
  EXPECT_EQ(db.get_termfreq("XFcorpus/other.txt"), 2u);
}

TEST_F(IndexWriterDatabase, RemovingAFileDropsPassagesAndState) {
  {
    IndexWriter writer(dir_.path());
    writer.replace_file(state("corpus/plan.txt", 2), documents("corpus/plan.txt"));
    writer.replace_file(state("corpus/other.txt", 2), documents("corpus/other.txt"));
    writer.commit();
  }
  {
    IndexWriter writer(dir_.path());
    writer.remove_file("corpus/plan.txt");
    writer.commit();
  }
  const Xapian::Database db = open();
  EXPECT_EQ(db.get_doccount(), 2u);
  EXPECT_EQ(db.get_termfreq("XFcorpus/plan.txt"), 0u);
  IndexWriter writer(dir_.path());
  EXPECT_FALSE(writer.file_state("corpus/plan.txt").has_value());
  EXPECT_THAT(writer.indexed_files(), UnorderedElementsAre("corpus/other.txt"));
}

TEST_F(IndexWriterDatabase, UpdateStateChangesNoPassage) {
  {
    IndexWriter writer(dir_.path());
    writer.replace_file(state("corpus/plan.txt", 2), documents("corpus/plan.txt"));
    writer.commit();
  }
  {
    IndexWriter writer(dir_.path());
    FileState touched = state("corpus/plan.txt", 2);
    touched.mtime_ns = 99;
    writer.update_state(touched);
    writer.commit();
  }
  IndexWriter writer(dir_.path());
  EXPECT_EQ(writer.file_state("corpus/plan.txt")->mtime_ns, 99);
  EXPECT_EQ(writer.passage_count(), 2u);
}

// Its terms with their wdf and positions, as one text.
std::string terms_of(const Xapian::Document& document) {
  std::string all;
  for (auto term = document.termlist_begin(); term != document.termlist_end(); ++term) {
    all.append(" ").append(*term).append(":").append(std::to_string(term.get_wdf()));
    for (auto position = term.positionlist_begin(); position != term.positionlist_end(); ++position)
      all.append(",").append(std::to_string(*position));
  }
  return all;
}

TEST_F(IndexWriterDatabase, ACommitmentIsHeldOutOfTheDatabaseAndWrittenAsTheLinkerLeftIt) {
  std::vector<Xapian::Document> built = documents("corpus/plan.txt");
  built[0].add_value(schema::kSlotCommitmentLinks, "as built");  // a commitment passage
  Xapian::Document linked;
  {
    IndexWriter writer(dir_.path());
    writer.hold_commitments_up_to(1 << 20);
    writer.replace_file(state("corpus/plan.txt", 2), built);
    EXPECT_EQ(writer.database().get_doccount(), 1u);  // the other passage only
    EXPECT_EQ(writer.passage_count(), 2u);
    ASSERT_EQ(writer.held_commitments().size(), 1u);
    HeldCommitment& held = writer.held_commitments().front();
    EXPECT_EQ(held.link_value, "as built");
    EXPECT_EQ(held.file_term, schema::file_term("corpus/plan.txt"));
    linked = held.document();
    EXPECT_EQ(linked.get_data(), built[0].get_data());
    EXPECT_EQ(terms_of(linked), terms_of(built[0]));
    linked.add_value(schema::kSlotCommitmentLinks, "linked");
    linked.add_boolean_term("XDgroup-key");
    held.replace(linked);
    EXPECT_EQ(held.link_value, "linked");
    writer.write_held_commitments();
    EXPECT_TRUE(writer.held_commitments().empty());
    EXPECT_EQ(writer.database().get_doccount(), 2u);
    writer.commit();
  }
  const Xapian::Database db = open();
  ASSERT_EQ(db.get_termfreq("XDgroup-key"), 1u);
  const Xapian::Document written = db.get_document(*db.postlist_begin("XDgroup-key"));
  EXPECT_EQ(written.get_value(schema::kSlotCommitmentLinks), "linked");
  EXPECT_EQ(written.get_data(), built[0].get_data());
  EXPECT_EQ(terms_of(written), terms_of(linked));
}

TEST_F(IndexWriterDatabase, PastTheBoundOrWhenItsFileGoesACommitmentIsNoLongerHeld) {
  std::vector<Xapian::Document> built = documents("corpus/plan.txt");
  for (Xapian::Document& document : built)
    document.add_value(schema::kSlotCommitmentLinks, "as built");
  IndexWriter writer(dir_.path());
  // Room for what the linker reads of one of them, not two.
  writer.hold_commitments_up_to(sizeof(HeldCommitment) + 40);
  writer.replace_file(state("corpus/plan.txt", 2), built);
  EXPECT_EQ(writer.held_commitments().size(), 1u);
  EXPECT_EQ(writer.database().get_doccount(), 1u);
  // The file written again in the same run: its held passage gives way to the new one.
  writer.replace_file(state("corpus/plan.txt", 2), built);
  EXPECT_EQ(writer.held_commitments().size(), 1u);
  EXPECT_EQ(writer.passage_count(), 2u);
  writer.remove_file("corpus/plan.txt");
  EXPECT_TRUE(writer.held_commitments().empty());
  EXPECT_EQ(writer.passage_count(), 0u);
}

TEST_F(IndexWriterDatabase, SecondWriterIsLockedOut) {
  IndexWriter writer(dir_.path());
  EXPECT_THROW(IndexWriter second(dir_.path()), Xapian::DatabaseLockError);
}

}  // namespace
}  // namespace lupa::indexer
