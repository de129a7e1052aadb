#include "lupa/indexer/corpus_indexer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <string>
#include <vector>

#include "lupa/analyzers/passage_analyzer.h"
#include "lupa/analyzers/schema.h"
#include "support/temp_dir.h"

namespace lupa::indexer {
namespace {

namespace fs = std::filesystem;
using lupa::testing::TempDir;
using ::testing::HasSubstr;

std::string paragraph(const std::string& word) {
  return "Informe\n\n1. El gobierno publicará información sobre " + word +
         " para que la ciudadanía pueda evaluar el plan.\n";
}

class CorpusIndexer : public ::testing::Test {
 protected:
  void SetUp() override {
    corpus_ = dir_.path() / "docs";
    dir_.write("docs/alpha.txt", paragraph("zanahorias"));
  }

  IndexSummary index(bool follow_external_symlinks = false,
                     std::vector<fs::path> folders = {}) const {
    IndexerOptions options;
    options.database = dir_.path() / "index";
    options.corpus_folders = folders.empty() ? std::vector<fs::path>{corpus_} : folders;
    options.ocr_cache = dir_.path() / "ocr-cache";
    options.follow_external_symlinks = follow_external_symlinks;
    return index_corpus(options);
  }

  // Passages the index holds for a document path.
  Xapian::doccount passages_of(const std::string& document_path) const {
    return Xapian::Database((dir_.path() / "index").string())
        .get_termfreq(schema::file_term(document_path));
  }

  // How often the spelling dictionary has `word` (0: not at all).
  Xapian::doccount spelling_frequency(const std::string& word) const {
    const Xapian::Database db((dir_.path() / "index").string());
    for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it)
      if (*it == word) return it.get_termfreq();
    return 0;
  }

  // The message reported for `path`, or "(none)".
  static std::string message_for(const std::vector<FileReport>& reports, const std::string& path) {
    for (const FileReport& report : reports)
      if (report.path == path) return report.message;
    return "(none)";
  }

  TempDir dir_;
  fs::path corpus_;
};

TEST_F(CorpusIndexer, ASymlinkLoopIsAnErrorOfItsOwnAndTheRestIsIndexed) {
  fs::create_symlink("loop.txt", corpus_ / "loop.txt");
  fs::create_symlink("second.txt", corpus_ / "first.txt");
  fs::create_symlink("first.txt", corpus_ / "second.txt");
  const IndexSummary summary = index();
  EXPECT_EQ(message_for(summary.errors, "docs/loop.txt"), "symbolic link loop: not followed");
  EXPECT_EQ(message_for(summary.errors, "docs/first.txt"), "symbolic link loop: not followed");
  EXPECT_EQ(summary.files_failed, 3u);
  EXPECT_EQ(summary.files_indexed, 1u);
  EXPECT_EQ(passages_of("docs/alpha.txt"), 1u);
}

TEST_F(CorpusIndexer, ALinkOutOfTheCorpusIsNotFollowedUnlessAsked) {
  dir_.write("elsewhere/secret.txt", paragraph("contraseñas"));
  fs::create_symlink(dir_.path() / "elsewhere" / "secret.txt", corpus_ / "notes.txt");

  const IndexSummary refused = index();
  EXPECT_EQ(refused.symlinks_not_followed, 1u);
  EXPECT_THAT(message_for(refused.skipped, "docs/notes.txt"),
              HasSubstr("outside the corpus folders: not followed"));
  EXPECT_EQ(refused.files_failed, 0u);
  EXPECT_EQ(passages_of("docs/notes.txt"), 0u);
  EXPECT_EQ(passages_of("docs/alpha.txt"), 1u);

  const IndexSummary followed = index(/*follow_external_symlinks=*/true);
  EXPECT_EQ(followed.symlinks_not_followed, 0u);
  EXPECT_EQ(followed.files_indexed, 1u);
  EXPECT_EQ(passages_of("docs/notes.txt"), 1u);  // under the link's own name
}

TEST_F(CorpusIndexer, ALinkInsideTheCorpusFoldersIsFollowed) {
  dir_.write("other/beta.txt", paragraph("berenjenas"));
  fs::create_symlink("alpha.txt", corpus_ / "copy.txt");
  fs::create_symlink(dir_.path() / "other" / "beta.txt", corpus_ / "beta-link.txt");
  const IndexSummary summary = index(false, {corpus_, dir_.path() / "other"});
  EXPECT_EQ(summary.files_failed, 0u);
  EXPECT_EQ(summary.symlinks_not_followed, 0u);
  EXPECT_EQ(passages_of("docs/copy.txt"), 1u);
  EXPECT_EQ(passages_of("docs/beta-link.txt"), 1u);
  EXPECT_EQ(passages_of("other/beta.txt"), 1u);
}

TEST_F(CorpusIndexer, ALinkToAFolderIsReportedAndNotFollowed) {
  dir_.write("docs/sub/gamma.txt", paragraph("pepinos"));
  fs::create_directory_symlink("sub", corpus_ / "again");
  fs::create_directory_symlink("..", corpus_ / "sub" / "up");
  const IndexSummary summary = index();
  EXPECT_EQ(message_for(summary.skipped, "docs/again"), "symbolic link to a folder: not followed");
  EXPECT_EQ(message_for(summary.skipped, "docs/sub/up"), "symbolic link to a folder: not followed");
  EXPECT_EQ(summary.files_indexed, 2u);
  EXPECT_EQ(passages_of("docs/sub/gamma.txt"), 1u);
  EXPECT_EQ(passages_of("docs/again/gamma.txt"), 0u);
}

// Xapian refuses spelling words over 254 bytes only when the run commits: one such word used
// to lose every run, this file's and all the others'.
TEST_F(CorpusIndexer, OverlongWordsAreLeftOutAndTheFileIsIndexed) {
  const std::string url_word(300, 'w');
  std::string base64;
  for (int i = 0; i < 4000; ++i) base64 += "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY"[i % 32];
  dir_.write("docs/report.txt", "Informe\n\n1. Las berenjenas del programa " + url_word +
                                    " fueron evaluadas.\n\n" + base64 + "\n");
  const IndexSummary summary = index();
  EXPECT_EQ(summary.files_failed, 0u);
  EXPECT_EQ(summary.files_indexed, 2u);
  EXPECT_EQ(passages_of("docs/report.txt"), 3u);  // the paragraph, and the blob in two pieces
  const Xapian::Database db((dir_.path() / "index").string());
  for (auto word = db.spellings_begin(); word != db.spellings_end(); ++word)
    EXPECT_LE((*word).size(), analyzers::kMaxIndexedWordBytes) << *word;
  EXPECT_GT(spelling_frequency("berenjenas"), 0u);
  EXPECT_EQ(index().files_unchanged, 2u);  // committed: the next run finds it as it was
}

// "lupa:spelling:" and the file's term made a metadata key one byte over Xapian's limit.
TEST_F(CorpusIndexer, APathJustUnderTheTermLimitStillFitsTheMetadataKeys) {
  const std::string name = std::string(229, 'n') + ".txt";
  ASSERT_EQ(("docs/" + name).size(), 238u);
  dir_.write("docs/" + name, paragraph("calabazas"));
  const IndexSummary first = index();
  EXPECT_EQ(first.files_failed, 0u);
  EXPECT_EQ(passages_of("docs/" + name), 1u);
  dir_.write("docs/" + name, paragraph("lechugas"));
  const IndexSummary second = index();
  EXPECT_EQ(second.files_indexed, 1u);
  EXPECT_EQ(second.files_unchanged, 1u);
  EXPECT_EQ(spelling_frequency("calabazas"), 0u);  // its old words were taken back
  EXPECT_GT(spelling_frequency("lechugas"), 0u);
}

}  // namespace
}  // namespace lupa::indexer
