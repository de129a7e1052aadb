#include "lupa/indexer/shard_layout.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "lupa/analyzers/index_commit.h"
#include "lupa/analyzers/passage_record.h"
#include "lupa/analyzers/schema.h"
#include "lupa/indexer/corpus_indexer.h"
#include "support/temp_dir.h"
#include "support/test_index.h"

namespace lupa::indexer {
namespace {

namespace fs = std::filesystem;
using lupa::testing::passages_by_id;
using lupa::testing::TempDir;
using ::testing::HasSubstr;

TEST(ShardOf, IsAFixedFunctionOfThePathInItsFolder) {
  // Pinned: a change here moves files of every existing layout to other shards.
  EXPECT_EQ(shard_hash(""), 0xc3817c016ba4ff30ULL);
  EXPECT_EQ(shard_hash("mx-2011-action-plan-es-en.txt"), 0xea4ea0343baae955ULL);
  EXPECT_EQ(shard_hash("scans/clean-300dpi.png"), 0x1855874735af1f81ULL);
  EXPECT_EQ(shard_of("mx-2011-action-plan-es-en.txt", 3), 0u);
  EXPECT_EQ(shard_of("scans/clean-300dpi.png", 3), 1u);
  EXPECT_EQ(shard_of("anything.txt", 1), 0u);
  // The corpus folder's own name does not count: a folder indexed under another name, or on
  // another machine, puts each file in the same shard.
  EXPECT_EQ(path_in_corpus_folder("corpus/scans/a.png"), "scans/a.png");
  EXPECT_EQ(path_in_corpus_folder("other-name/scans/a.png"), "scans/a.png");
}

TEST(ShardOf, SpreadsPathsEvenly) {
  for (std::size_t shards : {2u, 3u, 4u, 7u}) {
    std::vector<std::size_t> counts(shards);
    const std::size_t files = 7000;
    for (std::size_t i = 0; i < files; ++i)
      ++counts[shard_of("plans/country-" + std::to_string(i) + "/plan.pdf", shards)];
    const double even = static_cast<double>(files) / static_cast<double>(shards);
    for (std::size_t count : counts) {
      EXPECT_GT(static_cast<double>(count), 0.9 * even) << shards << " shards";
      EXPECT_LT(static_cast<double>(count), 1.1 * even) << shards << " shards";
    }
  }
}

TEST(PassageIdBefore, OrdersByDocumentThenOrdinal) {
  EXPECT_TRUE(passage_id_before("corpus.a-txt.0002", "corpus.a-txt.0010"));
  EXPECT_TRUE(passage_id_before("corpus.a-txt.9999", "corpus.a-txt.10000"));
  EXPECT_FALSE(passage_id_before("corpus.a-txt.10000", "corpus.a-txt.9999"));
  EXPECT_TRUE(passage_id_before("corpus.a-txt.0500", "corpus.b-txt.0001"));
  EXPECT_FALSE(passage_id_before("corpus.a-txt.0001", "corpus.a-txt.0001"));
}

class ShardLayoutTest : public ::testing::Test {
 protected:
  std::string resolve_error(const fs::path& directory, std::optional<std::size_t> shards) const {
    try {
      resolve_layout(directory, shards);
    } catch (const LayoutError& error) {
      return error.what();
    }
    return "(none)";
  }
  TempDir dir_;
};

TEST_F(ShardLayoutTest, ANewLayoutIsMadeAndKeptAtItsShardCount) {
  const fs::path index = dir_.path() / "index";
  const ShardLayout made = resolve_layout(index, 3);
  EXPECT_EQ(made.shards, 3u);
  EXPECT_EQ(made.shard_path(2), index / "shard-2");
  { ShardedWriter(made).commit(); }  // an empty layout, published whole
  EXPECT_TRUE(fs::exists(index / "XAPIANDB"));
  EXPECT_EQ(Xapian::Database(index.string()).get_doccount(), 0u);  // the stub opens all three

  EXPECT_EQ(resolve_layout(index, std::nullopt).shards, 3u);
  EXPECT_EQ(resolve_layout(index, 3).shards, 3u);
  EXPECT_THAT(resolve_error(index, 2), HasSubstr("holds 3 shards; --shards 2"));
  EXPECT_THAT(resolve_error(index, 2), HasSubstr("index into a new folder"));
  EXPECT_THAT(resolve_error(index, 1), HasSubstr("holds 3 shards; --shards 1"));

  fs::remove_all(index / "shard-1");
  EXPECT_THAT(resolve_error(index, std::nullopt),
              HasSubstr("shard-1: shard listed in XAPIANDB is missing"));
}

std::string commit_id(const fs::path& database) {
  return Xapian::Database(database.string()).get_metadata(std::string(schema::kCommitIdKey));
}

// What a searcher over shard servers tells revisions by (docs/schema.md, "lupa:commit").
TEST_F(ShardLayoutTest, ACommitThatChangesAShardGivesItANewCommitIdAndOnlyIt) {
  const ShardLayout layout = resolve_layout(dir_.path() / "index", 3);
  {
    ShardedWriter writer(layout);
    for (std::size_t k = 0; k < 3; ++k)
      for (int i = 0; i < 2; ++i) {
        Xapian::Document passage;
        // Appended: GCC 12 warns (-Wrestrict) falsely about "p" + std::string here.
        std::string id = "p";
        id += std::to_string(k * 2 + static_cast<std::size_t>(i));
        passage.add_boolean_term(schema::id_term(id));
        writer.combined().add_document(passage);  // round robin: each shard gets two
        writer.note_rewritten(writer.combined().get_lastdocid());
      }
    writer.commit();
  }
  std::vector<std::string> first;
  for (std::size_t k = 0; k < 3; ++k) {
    first.push_back(commit_id(layout.shard_path(k)));
    EXPECT_EQ(first.back().size(), 32u) << "shard-" << k;
  }
  EXPECT_NE(first[0], first[1]);

  // A pass rewriting one document in place: the same count and last docid, a new commit id
  // for its shard only.
  {
    ShardedWriter writer(resolve_layout(layout.directory, std::nullopt));
    Xapian::Document rewritten = writer.combined().get_document(5);
    rewritten.add_boolean_term("XZrewritten");
    writer.combined().replace_document(5, rewritten);
    writer.note_rewritten(5);
    writer.commit();
  }
  const std::size_t shard = (5 - 1) % 3;
  for (std::size_t k = 0; k < 3; ++k) {
    const Xapian::Database db(layout.shard_path(k).string());
    EXPECT_EQ(db.get_doccount(), 2u);
    if (k == shard)
      EXPECT_NE(commit_id(layout.shard_path(k)), first[k]);
    else
      EXPECT_EQ(commit_id(layout.shard_path(k)), first[k]) << "shard-" << k;
  }
  EXPECT_EQ(Xapian::Database(layout.shard_path(shard).string()).get_termfreq("XZrewritten"), 1u);

  // A run that changes nothing commits nothing: revisions and ids stay.
  const Xapian::rev revision = Xapian::Database(layout.shard_path(0).string()).get_revision();
  { ShardedWriter(resolve_layout(layout.directory, std::nullopt)).commit(); }
  EXPECT_EQ(Xapian::Database(layout.shard_path(0).string()).get_revision(), revision);
  EXPECT_EQ(commit_id(layout.shard_path(0)), first[0]);
}

TEST_F(ShardLayoutTest, IndexedFileStatesAreWhatEachFileStateLookUpGives) {
  const ShardLayout layout = resolve_layout(dir_.path() / "index", 3);
  std::vector<std::string> paths;
  for (int i = 0; i < 12; ++i) paths.push_back("corpus/file-" + std::to_string(i) + ".txt");
  {
    ShardedWriter writer(layout);
    for (const std::string& path : paths) {
      FileState state;
      state.path = path;
      state.size = path.size();
      state.content_hash = "h";
      writer.writer_for(path).update_state(state);
    }
    // A state in a shard its path does not go to is not the path's (file_state never finds it).
    FileState stray;
    stray.path = paths.front();
    stray.size = 99;
    for (const std::string& other : paths)
      if (&writer.writer_for(other) != &writer.writer_for(stray.path)) {
        writer.writer_for(other).update_state(stray);
        break;
      }
    writer.commit();
  }
  ShardedWriter writer(resolve_layout(layout.directory, std::nullopt));
  const IndexedFiles indexed = writer.indexed_file_states();
  std::vector<std::string> listed;
  for (const FileState& state : indexed.all()) listed.push_back(state.path);
  EXPECT_EQ(listed, writer.indexed_files());
  for (const std::string& path : paths) {
    ASSERT_NE(indexed.state_of(path), nullptr) << path;
    EXPECT_EQ(indexed.state_of(path)->serialise(), writer.file_state(path)->serialise());
  }
  EXPECT_EQ(indexed.state_of(paths.front())->size, paths.front().size());
  EXPECT_EQ(listed.size(), paths.size() + 1);  // the stray state too, as indexed_files has it
  EXPECT_EQ(indexed.state_of("corpus/none.txt"), nullptr);
}

TEST_F(ShardLayoutTest, ASingleDatabaseIsNotShardedInPlace) {
  const fs::path index = dir_.path() / "single";
  { ShardedWriter(resolve_layout(index, std::nullopt)).commit(); }
  EXPECT_TRUE(fs::exists(index / "iamglass"));
  EXPECT_FALSE(fs::exists(index / "XAPIANDB"));
  EXPECT_EQ(resolve_layout(index, 1).shards, 1u);
  EXPECT_THAT(resolve_error(index, 3), HasSubstr("is a single database; --shards 3"));
}

TEST_F(ShardLayoutTest, FoldersAndStubsOfOthersAreRefused) {
  dir_.write("busy/notes.txt", "not an index");
  EXPECT_THAT(resolve_error(dir_.path() / "busy", 2), HasSubstr("holds 'notes.txt'"));
  dir_.write("foreign/XAPIANDB", "remote 10.0.0.1:6000\n");
  EXPECT_THAT(resolve_error(dir_.path() / "foreign", std::nullopt),
              HasSubstr("not a stub file lupa-indexer wrote"));
  // What a first run killed before its stub left behind is built again from nothing.
  fs::create_directories(dir_.path() / "interrupted" / "shard-0");
  fs::create_directories(dir_.path() / "interrupted" / "shard-1");
  EXPECT_TRUE(resolve_layout(dir_.path() / "interrupted", 2).built_from_nothing);
  EXPECT_THAT(resolve_error(dir_.path() / "interrupted", 1), HasSubstr("(none)"));
  EXPECT_THAT(resolve_error(dir_.path() / "too-few", 0), HasSubstr("from 1 to 256"));
}

class ShardedIndexing : public ::testing::Test {
 protected:
  IndexSummary index(const fs::path& database, std::optional<std::size_t> shards,
                     const fs::path& corpus, std::size_t partial_databases = 0) const {
    IndexerOptions options;
    options.database = database;
    options.shards = shards;
    options.partial_databases = partial_databases;
    options.corpus_folders = {corpus};
    options.ocr_cache = dir_.path() / "ocr-cache";
    return index_corpus(options);
  }
  static std::vector<Xapian::rev> revisions(const fs::path& layout, std::size_t shards) {
    std::vector<Xapian::rev> found;
    for (std::size_t k = 0; k < shards; ++k)
      found.push_back(
          Xapian::Database((layout / ("shard-" + std::to_string(k))).string()).get_revision());
    return found;
  }
  // The OGP fixtures, which link commitments across documents and name institutions
  // agencies.tsv does not know, and copies of two of them, which make near-duplicate groups
  // whose members land in different shards or parts; in `ogp` of the test's folder.
  fs::path ogp_corpus_with_copies() const {
    const fs::path fixtures = fs::path(LUPA_SOURCE_DIR) / "tests" / "data" / "ogp-world";
    const fs::path corpus = dir_.path() / "ogp";
    fs::create_directories(corpus / "copies");
    for (const auto& entry : fs::directory_iterator(fixtures))
      if (entry.path().extension() != ".json")
        fs::copy_file(entry.path(), corpus / entry.path().filename());
    fs::copy_file(fixtures / "ke-2023-2027-action-plan.txt", corpus / "copies" / "ke-plan.txt");
    fs::copy_file(fixtures / "co-2020-2022-plan-de-accion.txt", corpus / "copies" / "co-plan.txt");
    return corpus;
  }
  TempDir dir_;
};

TEST_F(ShardedIndexing, ShardsHoldTheSamePassagesAsOneDatabaseGroupsAndLinksIncluded) {
  const fs::path corpus = ogp_corpus_with_copies();

  const IndexSummary one = index(dir_.path() / "one", std::nullopt, corpus);
  const IndexSummary sharded = index(dir_.path() / "three", 3, corpus);
  EXPECT_EQ(sharded.passages_in_index, one.passages_in_index);
  EXPECT_EQ(sharded.duplicate_groups, one.duplicate_groups);
  EXPECT_EQ(sharded.duplicate_passages, one.duplicate_passages);
  EXPECT_GT(one.duplicate_groups, 10u);
  EXPECT_GT(one.links, 10u);
  const auto in_one = passages_by_id(dir_.path() / "one");
  const auto in_shards = passages_by_id(dir_.path() / "three");  // through the stub file
  ASSERT_EQ(in_shards.size(), in_one.size());
  for (const auto& [id, passage] : in_one) {
    const auto found = in_shards.find(id);
    ASSERT_NE(found, in_shards.end()) << id;
    EXPECT_EQ(found->second, passage) << id;
  }
  // Each file is whole in its own shard, and every shard has some.
  std::set<std::size_t> used;
  for (std::size_t k = 0; k < 3; ++k) {
    const Xapian::Database shard((dir_.path() / "three" / ("shard-" + std::to_string(k))).string());
    EXPECT_GT(shard.get_doccount(), 0u) << "shard-" << k;
    for (auto posting = shard.postlist_begin(""); posting != shard.postlist_end(""); ++posting) {
      const auto record = schema::PassageRecord::parse(shard.get_document(*posting).get_data());
      EXPECT_EQ(shard_of(path_in_corpus_folder(record.doc), 3), k) << record.id;
    }
  }
}

// Every user metadata key and value of a database but its commit id, which is new per commit.
std::map<std::string, std::string> metadata_of(const fs::path& database) {
  const Xapian::Database db(database.string());
  std::map<std::string, std::string> found;
  for (auto key = db.metadata_keys_begin(); key != db.metadata_keys_end(); ++key)
    if (*key != schema::kCommitIdKey) found[*key] = db.get_metadata(*key);
  return found;
}

std::map<std::string, Xapian::doccount> spellings_of(const fs::path& database) {
  const Xapian::Database db(database.string());
  std::map<std::string, Xapian::doccount> found;
  for (auto word = db.spellings_begin(); word != db.spellings_end(); ++word)
    found[*word] = word.get_termfreq();
  return found;
}

TEST_F(ShardedIndexing, ADatabaseWrittenInPartsHoldsWhatOneWriterWrites) {
  const fs::path corpus = ogp_corpus_with_copies();
  // The same accentless word written two ways, in files of different parts: the form of the
  // first file in corpus order is the one kept, as by one writer.
  std::vector<std::string> names;
  for (int i = 0; names.size() < 2; ++i) {
    const std::string name = "nota-" + std::to_string(i) + ".txt";
    if (shard_of(name, 3) == (names.empty() ? 2u : 0u)) names.push_back(name);
  }
  dir_.write("ogp/" + names[0], "Nota\n\nEl ministerio continuó el informe de gestión anual.\n");
  dir_.write("ogp/" + names[1], "Nota\n\nHoy continúo el informe de gestion abierta.\n");
  ASSERT_LT(names[0], names[1]);

  const IndexSummary one = index(dir_.path() / "one", std::nullopt, corpus, 1);
  const IndexSummary parts = index(dir_.path() / "parts", std::nullopt, corpus, 3);
  EXPECT_EQ(parts.passages_in_index, one.passages_in_index);
  EXPECT_EQ(parts.links, one.links);
  EXPECT_EQ(parts.duplicate_groups, one.duplicate_groups);
  EXPECT_EQ(parts.duplicate_passages, one.duplicate_passages);
  EXPECT_GT(one.links, 10u);
  EXPECT_GT(one.duplicate_groups, 5u);
  ASSERT_FALSE(one.discovered.empty());
  ASSERT_EQ(parts.discovered.size(), one.discovered.size());
  for (std::size_t i = 0; i < one.discovered.size(); ++i)
    EXPECT_EQ(parts.discovered[i].id, one.discovered[i].id);

  // One database, merged: no stub, no part left beside it.
  EXPECT_TRUE(fs::exists(dir_.path() / "parts" / "iamglass"));
  EXPECT_FALSE(fs::exists(dir_.path() / "parts" / kStubFileName));
  for (const auto& entry : fs::directory_iterator(dir_.path() / "parts"))
    EXPECT_EQ(entry.path().filename().string().find("partial"), std::string::npos) << entry.path();
  EXPECT_EQ(passages_by_id(dir_.path() / "parts"), passages_by_id(dir_.path() / "one"));
  // File states, per-file spelling lists, labels and accented forms: the same keys and values.
  const auto metadata = metadata_of(dir_.path() / "parts");
  EXPECT_EQ(metadata, metadata_of(dir_.path() / "one"));
  EXPECT_EQ(metadata.at(std::string(schema::accented_spelling_key("continuo"))), "continuó");
  EXPECT_EQ(spellings_of(dir_.path() / "parts"), spellings_of(dir_.path() / "one"));
  EXPECT_GT(spellings_of(dir_.path() / "parts").size(), 500u);

  // The merged database is updated as any other: nothing changed, then one file changed.
  const IndexSummary again = index(dir_.path() / "parts", std::nullopt, corpus);
  EXPECT_EQ(again.files_indexed, 0u);
  EXPECT_EQ(again.files_unchanged, one.files_seen);
  dir_.write("ogp/" + names[1], "Nota\n\nHoy continúo el informe de gestión abierta.\n");
  const IndexSummary changed = index(dir_.path() / "parts", std::nullopt, corpus);
  EXPECT_EQ(changed.files_indexed, 1u);
  EXPECT_EQ(changed.passages_in_index, one.passages_in_index);
}

TEST_F(ShardedIndexing, AChangedDeletedOrNewFileTouchesOnlyItsShard) {
  const fs::path corpus = dir_.path() / "docs";
  // Files of shard 2 of 4 (not shard 0, which gets new labels and accented words too).
  std::vector<std::string> in_shard_two;
  for (int i = 0; in_shard_two.size() < 4; ++i) {
    const std::string name = "informe-" + std::to_string(i) + ".txt";
    if (shard_of(name, 4) == 2) in_shard_two.push_back(name);
  }
  for (int i = 0; i < 12; ++i)
    dir_.write("docs/nota-" + std::to_string(i) + ".txt",
               "Nota " + std::to_string(i) + "\n\nEl gobierno publicará los datos número " +
                   std::to_string(i) + " del presupuesto de la ciudad.\n");
  for (std::size_t i = 0; i < 2; ++i)
    dir_.write("docs/" + in_shard_two[i], "Informe\n\nEl gobierno publicará los contratos.\n");
  const fs::path layout = dir_.path() / "index";
  index(layout, 4, corpus);
  const auto before = revisions(layout, 4);
  std::vector<std::string> ids_before;
  for (std::size_t k = 0; k < 4; ++k)
    ids_before.push_back(commit_id(layout / ("shard-" + std::to_string(k))));

  dir_.write("docs/" + in_shard_two[0], "Informe\n\nEl gobierno publicará las compras.\n");
  fs::remove(corpus / in_shard_two[1]);
  dir_.write("docs/" + in_shard_two[2], "Informe\n\nEl gobierno publicará las becas.\n");
  const IndexSummary changed = index(layout, std::nullopt, corpus);
  EXPECT_EQ(changed.files_indexed, 2u);
  EXPECT_EQ(changed.files_removed, 1u);
  const auto after = revisions(layout, 4);
  for (std::size_t k = 0; k < 4; ++k) {
    if (k == 2)
      EXPECT_GT(after[k], before[k]);
    else
      EXPECT_EQ(after[k], before[k]) << "shard-" << k << " changed";
  }
  // The commit id moved with the revision, and only there.
  for (std::size_t k = 0; k < 4; ++k) {
    const std::string id = commit_id(layout / ("shard-" + std::to_string(k)));
    if (k == 2) {
      EXPECT_EQ(id.size(), 32u);
      EXPECT_NE(id, ids_before[k]);
    } else {
      EXPECT_EQ(id, ids_before[k]) << "shard-" << k;
    }
  }
}

TEST_F(ShardedIndexing, ARunKilledBetweenTwoCommitsIsMadeWholeByTheNext) {
  const fs::path fixtures = fs::path(LUPA_SOURCE_DIR) / "tests" / "data" / "ogp-world";
  const fs::path corpus = dir_.path() / "ogp";
  fs::create_directories(corpus / "copies");
  fs::copy_file(fixtures / "ke-2023-2027-action-plan.txt", corpus / "ke-plan.txt");
  fs::copy_file(fixtures / "ke-2023-2027-action-plan.txt", corpus / "copies" / "ke-plan.txt");
  const fs::path layout = dir_.path() / "index";
  index(layout, 2, corpus);
  const auto whole = passages_by_id(layout);

  // As if the shard holding the copy had not committed the groups its passages joined.
  const std::size_t copy_shard = shard_of("copies/ke-plan.txt", 2);
  {
    Xapian::WritableDatabase shard((layout / ("shard-" + std::to_string(copy_shard))).string());
    std::size_t ungrouped = 0;
    for (auto posting = shard.postlist_begin(""); posting != shard.postlist_end(""); ++posting) {
      Xapian::Document document = shard.get_document(*posting);
      const std::string group = document.get_value(schema::kSlotDuplicateGroup);
      if (group.empty()) continue;
      document.remove_term(schema::duplicate_group_term(group));
      document.remove_value(schema::kSlotDuplicateGroup);
      shard.replace_document(*posting, document);
      ++ungrouped;
    }
    ASSERT_GT(ungrouped, 10u);
    shard.commit();
  }
  dir_.write("index/commit-in-progress", "");
  ASSERT_NE(passages_by_id(layout), whole);

  const IndexSummary next = index(layout, std::nullopt, corpus);
  EXPECT_EQ(next.files_indexed, 0u);
  EXPECT_EQ(passages_by_id(layout), whole);
  EXPECT_FALSE(fs::exists(layout / "commit-in-progress"));
}

}  // namespace
}  // namespace lupa::indexer
