#include "lupa/indexer/new_index_folder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include "lupa/indexer/index_writer.h"
#include "lupa/indexer/shard_layout.h"
#include "support/temp_dir.h"

namespace lupa::indexer {
namespace {

namespace fs = std::filesystem;
using lupa::testing::TempDir;
using ::testing::HasSubstr;

std::set<std::string> entries(const fs::path& folder) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder))
    names.insert(entry.path().filename().string());
  return names;
}

bool opens_as_database(const fs::path& folder) {
  try {
    Xapian::Database database(folder.string());
    return true;
  } catch (const Xapian::DatabaseOpeningError&) {
    return false;
  }
}

void add_passages(Xapian::WritableDatabase& database, int count) {
  for (int i = 0; i < count; ++i) {
    Xapian::Document passage;
    passage.add_term("word" + std::to_string(i % 7));
    passage.add_value(1, std::to_string(i));
    database.add_document(passage);
  }
}

// A writer in `building` with three passages committed there, not published.
std::unique_ptr<IndexWriter> committed_build(const NewIndexFolder& building) {
  auto writer = std::make_unique<IndexWriter>(building.path(), RunIsolation::kUnpublishedFolder);
  add_passages(writer->database(), 3);
  writer->commit();
  return writer;
}

TEST(LeftByUnfinishedFirstRun, IsWhatABuildFolderOrAPartlyPublishedDatabaseHolds) {
  for (const char* name : {".lupa-new-a1B2c3", "postlist.glass", "termlist.glass", "flintlock",
                           "v.tmp", "changes12", "shard-0", "shard-17", "XAPIANDB.new"})
    EXPECT_TRUE(left_by_unfinished_first_run(name)) << name;
  // The marker of a database, and anything else: never removed.
  for (const char* name : {"iamglass", "XAPIANDB", "shard-", "shard-x", "notes.txt", ".lupa"})
    EXPECT_FALSE(left_by_unfinished_first_run(name)) << name;
}

TEST(NewIndexFolder, ReadersSeeNoDatabaseUntilItIsPublishedWhole) {
  TempDir dir;
  const fs::path index = dir.path() / "index";
  {
    NewIndexFolder building(index);
    const auto writer = committed_build(building);
    EXPECT_TRUE(fs::is_directory(index));
    EXPECT_FALSE(opens_as_database(index));
    writer->close();
    building.publish(building.path(), "iamglass");
  }
  EXPECT_EQ(Xapian::Database(index.string()).get_doccount(), 3u);
  for (const std::string& name : entries(index))
    EXPECT_FALSE(name.starts_with(".lupa-new-")) << name;
}

TEST(NewIndexFolder, AnUnpublishedBuildIsRemovedAndLeavesNoDatabase) {
  TempDir dir;
  const fs::path index = dir.path() / "index";
  {
    NewIndexFolder building(index);
    committed_build(building);  // committed in its folder, never published: as a failed run ends
  }
  EXPECT_TRUE(entries(index).empty());
}

TEST(NewIndexFolder, WhatAKilledRunLeftIsRemovedAndNothingElse) {
  TempDir dir;
  dir.write("index/.lupa-new-k1ll3d/postlist.glass", "half a table");
  dir.write("index/termlist.glass", "moved before the kill");
  dir.write("index/shard-1/iamglass", "a shard moved before the kill");
  dir.write("index/README", "the operator's own");
  { NewIndexFolder building(dir.path() / "index"); }
  EXPECT_EQ(entries(dir.path() / "index"), std::set<std::string>{"README"});
}

TEST(NewIndexFolder, ASecondRunIntoTheSameFolderIsRefusedAtOnce) {
  TempDir dir;
  const fs::path index = dir.path() / "index";
  NewIndexFolder first(index);
  try {
    NewIndexFolder second(index);
    FAIL() << "a second build was allowed";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr(index.string() + ": another lupa-indexer is building"));
  }
  EXPECT_TRUE(fs::is_directory(first.path()));  // the first one's work is untouched
}

TEST(NewIndexFolder, AFolderThatHoldsADatabaseIsNotBuiltAgain) {
  TempDir dir;
  const fs::path index = dir.path() / "index";
  const ShardLayout before = resolve_layout(index, std::nullopt);
  { ShardedWriter(resolve_layout(index, std::nullopt)).commit(); }  // another run, meanwhile
  try {
    ShardedWriter writer(before);
    FAIL() << "a database was built again from nothing";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr("holds a database already"));
  }
  EXPECT_TRUE(opens_as_database(index));
}

TEST(NewIndexFolder, AnUnpublishedDatabaseCommitsAsItGoes) {
  // Xapian keeps a transaction's value changes in memory until it ends; an unpublished build
  // has none, and Xapian commits at its flush threshold (10,000 documents by default).
  TempDir dir;
  NewIndexFolder building(dir.path() / "index");
  IndexWriter writer(building.path(), RunIsolation::kUnpublishedFolder);
  add_passages(writer.database(), 10'001);
  EXPECT_GE(Xapian::Database(building.path().string()).get_doccount(), 10'000u);
}

TEST(ShardLayout, AFolderOfOtherFilesGetsASingleDatabaseInPlaceAsBefore) {
  TempDir dir;
  dir.write("busy/notes.txt", "the operator's own");
  EXPECT_FALSE(resolve_layout(dir.path() / "busy", std::nullopt).built_from_nothing);
  EXPECT_TRUE(resolve_layout(dir.path() / "new", std::nullopt).built_from_nothing);
  EXPECT_TRUE(resolve_layout(dir.path() / "new", 3).built_from_nothing);
  dir.write("killed/.lupa-new-abcdef/iamglass", "");
  EXPECT_TRUE(resolve_layout(dir.path() / "killed", std::nullopt).built_from_nothing);
}

TEST(ShardLayout, AShardedLayoutBuiltFromNothingAppearsWithItsStub) {
  TempDir dir;
  const fs::path index = dir.path() / "index";
  {
    ShardedWriter writer(resolve_layout(index, 2));
    add_passages(writer.combined(), 4);
    EXPECT_FALSE(fs::exists(index / "XAPIANDB"));
    EXPECT_FALSE(fs::exists(index / "shard-0"));
    writer.commit();
    EXPECT_EQ(writer.passage_count(), 4u);
  }
  EXPECT_EQ(entries(index), (std::set<std::string>{"XAPIANDB", "shard-0", "shard-1"}));
  EXPECT_EQ(Xapian::Database(index.string()).get_doccount(), 4u);
  EXPECT_EQ(Xapian::Database((index / "shard-1").string()).get_doccount(), 2u);
  // The next run writes in place, in a transaction.
  EXPECT_FALSE(resolve_layout(index, std::nullopt).built_from_nothing);
}

}  // namespace
}  // namespace lupa::indexer
