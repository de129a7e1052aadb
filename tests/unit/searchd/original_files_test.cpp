#include "lupa/searchd/original_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>

#include "support/temp_dir.h"

namespace lupa::searchd {
namespace {

namespace fs = std::filesystem;

struct Corpus {
  testing::TempDir dir;
  fs::path root = dir / "corpus";
  Corpus() {
    dir.write("corpus/plan.pdf", "%PDF-1.4 ...");
    dir.write("corpus/sub/notes.txt", "notes");
    dir.write("corpus/page.HTML", "<p>page</p>");
    dir.write("corpus/tool.sh", "#!/bin/sh");
    dir.write("secret.txt", "outside the corpus");
    fs::create_symlink(dir / "secret.txt", root / "link-out.txt");
    fs::create_symlink(root / "sub" / "notes.txt", root / "link-in.txt");
    fs::create_directory(root / "folder.txt");
  }
};

TEST(OriginalFiles, FindsAnIndexedDocumentPathWithItsContentType) {
  const Corpus corpus;
  const OriginalFiles files({corpus.root});
  ASSERT_TRUE(files.enabled());
  const auto pdf = files.find("corpus/plan.pdf");
  ASSERT_TRUE(pdf);
  EXPECT_EQ(pdf->content_type, "application/pdf");
  EXPECT_EQ(pdf->size, 12u);
  EXPECT_EQ(pdf->path, fs::canonical(corpus.root / "plan.pdf"));
  EXPECT_EQ(files.find("corpus/sub/notes.txt")->content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(files.find("corpus/page.HTML")->content_type, "text/html; charset=utf-8");
  // A link that stays inside the folder is the file it leads to.
  EXPECT_EQ(files.find("corpus/link-in.txt")->path, fs::canonical(corpus.root / "sub/notes.txt"));
}

TEST(OriginalFiles, NeverResolvesAPathOutOfTheCorpusOrOfAKindNotIndexed) {
  const Corpus corpus;
  const OriginalFiles files({corpus.root});
  for (const char* hostile :
       {"corpus/../secret.txt", "corpus/./plan.pdf", "corpus//plan.pdf", "corpus/sub/../plan.pdf",
        "corpus/link-out.txt", "corpus/tool.sh", "corpus/folder.txt", "corpus/missing.pdf",
        "corpus/", "corpus", "other/plan.pdf", "/etc/passwd", "../corpus/plan.pdf",
        "corpus/plan.pdf/", ""})
    EXPECT_FALSE(files.find(hostile)) << hostile;
}

TEST(OriginalFiles, WithoutCorpusFoldersServesNothing) {
  const Corpus corpus;
  const OriginalFiles files;
  EXPECT_FALSE(files.enabled());
  EXPECT_FALSE(files.find("corpus/plan.pdf"));
}

TEST(OriginalFiles, RefusesFoldersThatAreMissingOrShareAName) {
  const Corpus corpus;
  corpus.dir.write("elsewhere/corpus/x.txt", "x");
  EXPECT_THROW(OriginalFiles({corpus.dir / "nothing"}), std::invalid_argument);
  EXPECT_THROW(OriginalFiles({corpus.root, corpus.dir / "elsewhere/corpus"}),
               std::invalid_argument);
}

}  // namespace
}  // namespace lupa::searchd
