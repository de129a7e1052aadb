#include "lupa/indexer/corpus_indexer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lupa/analyzers/passage_analyzer.h"
#include "lupa/analyzers/schema.h"
#include "lupa/indexer/index_writer.h"
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

  // The fixtures of tests/data/ogp-world, but their truth: documents of several countries.
  static std::vector<fs::path> world_documents() {
    const fs::path fixtures = fs::path(LUPA_SOURCE_DIR) / "tests" / "data" / "ogp-world";
    std::vector<fs::path> documents;
    for (const auto& entry : fs::directory_iterator(fixtures))
      if (entry.path().extension() != ".json") documents.push_back(entry.path());
    std::sort(documents.begin(), documents.end());
    return documents;
  }

  static void put(const fs::path& from, const fs::path& to) {
    fs::create_directories(to.parent_path());
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  }

  // Indexes `folder` into `database`, as the indexer's command line does.
  IndexSummary index_folder(const fs::path& folder, const fs::path& database,
                            std::optional<std::size_t> held_commitment_bytes = {}) const {
    IndexerOptions options;
    if (held_commitment_bytes) options.held_commitment_bytes = *held_commitment_bytes;
    options.database = database;
    options.corpus_folders = {folder};
    options.ocr_cache = dir_.path() / "ocr-cache";
    return index_corpus(options);
  }

  TempDir dir_;
  fs::path corpus_;
};

// Per passage id: its near-duplicate group, shown-once key and commitment links.
std::map<std::string, std::string> groups_and_links(const fs::path& database) {
  const Xapian::Database db(database.string());
  std::map<std::string, std::string> found;
  const auto joined = [](const std::vector<std::string>& ids) {
    std::string all;
    for (const std::string& id : ids) all += id + ",";
    return all;
  };
  for (auto posting = db.postlist_begin(""); posting != db.postlist_end(""); ++posting) {
    const Xapian::Document document = db.get_document(*posting);
    const schema::PassageRecord record = schema::PassageRecord::parse(document.get_data());
    const schema::CommitmentLinks links = record.links.value_or(schema::CommitmentLinks{});
    found[record.id] = "group " + document.get_value(schema::kSlotDuplicateGroup) +
                       "; shown once " + document.get_value(schema::kSlotShownOnce) +
                       "; same commitment " + links.group + "; original " + joined(links.original) +
                       "; ogp id " + links.linked_ogp_id + "; rated by " + joined(links.rated_by) +
                       "; completion " + record.ratings().completion.value_or("");
  }
  return found;
}

TEST_F(CorpusIndexer, RunsThatAddAndRemoveFilesGroupAndLinkAsARunFromNothing) {
  const fs::path fixtures = fs::path(LUPA_SOURCE_DIR) / "tests" / "data" / "ogp-world";
  const std::vector<fs::path> documents = world_documents();
  ASSERT_GE(documents.size(), 10u);
  // Copies under other names are near-duplicates of every passage of theirs.
  const std::vector<std::pair<std::string, fs::path>> copies = {
      {"copies/ke-plan.txt", fixtures / "ke-2023-2027-action-plan.txt"},
      {"copies/co-plan.txt", fixtures / "co-2020-2022-plan-de-accion.txt"}};
  const fs::path grown = dir_.path() / "grown" / "ogp";
  const fs::path whole = dir_.path() / "whole" / "ogp";
  for (std::size_t i = 0; i < documents.size(); ++i) {
    put(documents[i], whole / documents[i].filename());
    if (i % 2 == 0) put(documents[i], grown / documents[i].filename());
  }
  for (const auto& [name, from] : copies) put(from, whole / name);
  index_folder(grown, dir_.path() / "grown-index");

  for (std::size_t i = 1; i < documents.size(); i += 2)
    put(documents[i], grown / documents[i].filename());
  for (const auto& [name, from] : copies) put(from, grown / name);
  const IndexSummary added = index_folder(grown, dir_.path() / "grown-index");
  const IndexSummary from_nothing = index_folder(whole, dir_.path() / "whole-index");
  EXPECT_GT(from_nothing.duplicate_groups, 10u);
  EXPECT_GT(from_nothing.links, 10u);
  EXPECT_EQ(added.duplicate_groups, from_nothing.duplicate_groups);
  EXPECT_EQ(added.duplicate_passages, from_nothing.duplicate_passages);
  EXPECT_EQ(groups_and_links(dir_.path() / "grown-index"),
            groups_and_links(dir_.path() / "whole-index"));

  // A plan and a copy go: their groups and links go with them.
  for (const fs::path& root : {grown, whole}) {
    fs::remove(root / "ke-2023-2027-action-plan.txt");
    fs::remove(root / "copies" / "co-plan.txt");
  }
  index_folder(grown, dir_.path() / "grown-index");
  fs::remove_all(dir_.path() / "whole-index");
  index_folder(whole, dir_.path() / "whole-index");
  EXPECT_EQ(groups_and_links(dir_.path() / "grown-index"),
            groups_and_links(dir_.path() / "whole-index"));
}

// Per passage id: its terms, its values but the time it was indexed, and its document data but
// that time, as one text.
std::map<std::string, std::string> passages_whole(const fs::path& database) {
  const Xapian::Database db(database.string());
  std::map<std::string, std::string> found;
  for (auto posting = db.postlist_begin(""); posting != db.postlist_end(""); ++posting) {
    const Xapian::Document document = db.get_document(*posting);
    schema::PassageRecord record = schema::PassageRecord::parse(document.get_data());
    record.indexed_at = {};
    // A commitment once linked keeps its labelled fields in the sorted order a record with
    // links is written in (passage_record.h), after its links are gone: the same fields.
    if (record.commitment)
      std::sort(record.commitment->fields.begin(), record.commitment->fields.end());
    std::string all = "data ";
    all.append(record.serialise()).append("\nterms");
    for (auto term = document.termlist_begin(); term != document.termlist_end(); ++term) {
      all.append(" ").append(*term).append(":").append(std::to_string(term.get_wdf()));
      for (auto position = term.positionlist_begin(); position != term.positionlist_end();
           ++position)
        all.append(",").append(std::to_string(*position));
    }
    all.append("\nvalues");
    for (auto value = document.values_begin(); value != document.values_end(); ++value)
      if (value.get_valueno() != schema::kSlotIndexedAt)
        all.append(" ").append(std::to_string(value.get_valueno())).append("=").append(*value);
    found[record.id] = std::move(all);
  }
  return found;
}

TEST_F(CorpusIndexer, RunsOfOneFileEachRegroupAndRelinkOnlyWhatTheyTouchAndMatchARunFromNothing) {
  const fs::path fixtures = fs::path(LUPA_SOURCE_DIR) / "tests" / "data" / "ogp-world";
  const std::vector<fs::path> documents = world_documents();
  ASSERT_GE(documents.size(), 10u);
  const fs::path grown = dir_.path() / "grown" / "ogp";
  const fs::path grown_index = dir_.path() / "grown-index";
  const fs::path whole = dir_.path() / "whole" / "ogp";
  const fs::path whole_index = dir_.path() / "whole-index";
  const auto same_as_from_nothing = [&] {
    fs::remove_all(whole_index);
    fs::remove_all(whole);
    fs::create_directories(whole);
    fs::copy(grown, whole, fs::copy_options::recursive);
    index_folder(whole, whole_index);
    EXPECT_EQ(groups_and_links(grown_index), groups_and_links(whole_index));
    const auto grown_passages = passages_whole(grown_index);
    const auto whole_passages = passages_whole(whole_index);
    EXPECT_EQ(grown_passages.size(), whole_passages.size());
    for (const auto& [id, passage] : whole_passages) {
      const auto found = grown_passages.find(id);
      if (found == grown_passages.end() || found->second != passage) {
        ADD_FAILURE() << id << " differs from a run from nothing:\n"
                      << (found == grown_passages.end() ? "(missing)" : found->second)
                      << "\nfrom nothing:\n"
                      << passage;
        break;  // one is enough to read
      }
    }
  };
  for (std::size_t i = 0; i < documents.size(); i += 2)
    put(documents[i], grown / documents[i].filename());
  const IndexSummary first = index_folder(grown, grown_index);
  EXPECT_TRUE(first.end_of_run.done);

  // One file a run, copies among them: each run regroups and relinks fewer passages than the
  // index has, and the index is the one a run from nothing gives.
  std::vector<std::pair<std::string, fs::path>> added;
  for (std::size_t i = 1; i < documents.size(); i += 2)
    added.emplace_back(documents[i].filename().string(), documents[i]);
  added.emplace_back("copies/ke-plan.txt", fixtures / "ke-2023-2027-action-plan.txt");
  added.emplace_back("copies/co-results.txt",
                     fixtures / "co-2020-2022-irm-informe-de-resultados.txt");
  for (const auto& [name, from] : added) {
    put(from, grown / name);
    const IndexSummary run = index_folder(grown, grown_index);
    ASSERT_EQ(run.files_indexed, 1u) << name;
    EXPECT_TRUE(run.end_of_run.done);
    EXPECT_FALSE(run.end_of_run.everything);
    EXPECT_LT(run.end_of_run.passages_regrouped, run.passages_in_index) << name;
  }
  same_as_from_nothing();

  // A copy changed (a paragraph added), then a plan and a copy removed.
  {
    std::ofstream out(grown / "copies" / "ke-plan.txt", std::ios::app);
    out << "\n\nA new closing paragraph that no other document of the corpus has written.\n";
  }
  index_folder(grown, grown_index);
  same_as_from_nothing();
  fs::remove(grown / "ke-2023-2027-action-plan.txt");
  fs::remove(grown / "copies" / "co-results.txt");
  const IndexSummary removed = index_folder(grown, grown_index);
  EXPECT_EQ(removed.files_removed, 2u);
  EXPECT_FALSE(removed.end_of_run.everything);
  same_as_from_nothing();
}

TEST_F(CorpusIndexer, CommitmentsLinkedBeforeTheyAreWrittenGiveTheIndexThatRewritingThemGave) {
  const std::vector<fs::path> documents = world_documents();
  const fs::path corpus = dir_.path() / "world" / "ogp";
  for (const fs::path& document : documents) put(document, corpus / document.filename());
  const IndexSummary held = index_folder(corpus, dir_.path() / "held");
  const IndexSummary rewritten = index_folder(corpus, dir_.path() / "rewritten", 0);
  // Room for some of them only: the others are written at once and rewritten.
  const IndexSummary some = index_folder(corpus, dir_.path() / "some", 20 * 500);

  const Xapian::doccount commitments =
      Xapian::Database((dir_.path() / "held").string())
          .get_termfreq(schema::facet_term(*schema::find_facet("kind"), "commitment"));
  EXPECT_GT(held.links, 10u);
  EXPECT_EQ(held.end_of_run.commitments_held, commitments);
  EXPECT_EQ(rewritten.end_of_run.commitments_held, 0u);
  EXPECT_GT(some.end_of_run.commitments_held, 0u);
  EXPECT_LT(some.end_of_run.commitments_held, commitments);
  // Every commitment given links was rewritten, unless it was held.
  EXPECT_EQ(rewritten.links, held.links);
  EXPECT_EQ(rewritten.end_of_run.passages_rewritten - held.end_of_run.passages_rewritten,
            held.links);
  EXPECT_GT(some.end_of_run.passages_rewritten, held.end_of_run.passages_rewritten);
  EXPECT_LT(some.end_of_run.passages_rewritten, rewritten.end_of_run.passages_rewritten);

  // The first passage that differs, with both versions; empty when none does.
  const auto first_difference = [](const std::map<std::string, std::string>& a,
                                   const std::map<std::string, std::string>& b) -> std::string {
    if (a.size() != b.size())
      return "passages: " + std::to_string(a.size()) + " and " + std::to_string(b.size());
    for (const auto& [id, passage] : a)
      if (const auto found = b.find(id); found == b.end() || found->second != passage)
        return id + ":\n" + passage + "\nand\n" + (found == b.end() ? "(none)" : found->second);
    return "";
  };
  const auto held_passages = passages_whole(dir_.path() / "held");
  EXPECT_EQ(first_difference(held_passages, passages_whole(dir_.path() / "rewritten")), "");
  EXPECT_EQ(first_difference(held_passages, passages_whole(dir_.path() / "some")), "");
}

TEST_F(CorpusIndexer, FilesAreTakenInTheOrderOfTheirPathsNameByName) {
  // Name by name, "a/z" comes before "a-b" ("a" is before "a-b"), where its characters would
  // put it after: files are written, and reports made, in that order.
  for (const char* file : {"a.doc", "a-b.doc", "a/z.doc", "a/.hidden.doc", ".hidden/b.doc"})
    dir_.write(std::string("docs/") + file, "x");
  const IndexSummary summary = index();
  std::vector<std::string> skipped;
  for (const FileReport& report : summary.skipped) skipped.push_back(report.path);
  EXPECT_EQ(skipped, (std::vector<std::string>{"docs/a/z.doc", "docs/a-b.doc", "docs/a.doc"}));
  // Of two files whose passage ids would be alike, the second in that order is refused.
  dir_.write("docs/sub/x y.txt", paragraph("pepinos"));
  dir_.write("docs/sub/x-y.txt", paragraph("pepinos"));
  const IndexSummary refused = index();
  EXPECT_THAT(message_for(refused.errors, "docs/sub/x-y.txt"),
              HasSubstr("its passage ids would be those of docs/sub/x y.txt"));
  EXPECT_EQ(passages_of("docs/sub/x y.txt"), 1u);
}

TEST_F(CorpusIndexer, EachManifestCoversItsOwnFolderAndItsUnusedEntriesAreReportedInOrder) {
  dir_.write("docs/manifest.json", R"({"documents": [{"file": "zeta.txt"},
      {"file": "alpha.txt", "date": "2011"}, {"file": "sub/beta.txt"}, {"file": "beta.txt"}]})");
  dir_.write("docs/sub/manifest.json",
             R"({"documents": [{"file": "gamma.txt"}, {"file": "beta.txt", "date": "2015"}]})");
  dir_.write("docs/sub/beta.txt", paragraph("pepinos"));
  dir_.write("docs/sub-other/beta.txt", paragraph("pepinos"));
  const IndexSummary summary = index();
  EXPECT_EQ(summary.files_indexed, 3u);
  std::vector<std::string> warnings;
  for (const FileReport& report : summary.warnings)
    warnings.push_back(report.path + ": " + report.message);
  EXPECT_EQ(warnings,
            (std::vector<std::string>{
                "docs/manifest.json: documents[0] (zeta.txt): no document of this folder is named "
                "so; entry not used",
                "docs/manifest.json: documents[2] (sub/beta.txt): no document of this folder is "
                "named so; entry not used",
                "docs/manifest.json: documents[3] (beta.txt): no document of this folder is named "
                "so; entry not used",
                "docs/sub/manifest.json: documents[0] (gamma.txt): no document of this folder is "
                "named so; entry not used"}));
  EXPECT_EQ(summary.errors.size(), 0u);
}

TEST_F(CorpusIndexer, ManifestsOfManyFoldersAreEachReadAndReportedInPathOrder) {
  // One is read on another thread while the walk goes on, the others as they are met.
  std::vector<std::string> expected;
  for (int i = 0; i < 12; ++i) {
    const std::string folder = "docs/f" + std::to_string(i) + "/";
    dir_.write(folder + "manifest.json", R"({"documents": [{"file": "a.txt", "date": "20/1"},
        {"file": "missing.txt"}]})");
    dir_.write(folder + "a.txt", paragraph("pepinos"));
    expected.push_back(folder + "manifest.json");
  }
  std::sort(expected.begin(), expected.end());  // f0, f1, f10, f11, f2, ...
  const IndexSummary summary = index();
  EXPECT_EQ(summary.files_indexed, 13u);
  std::vector<std::string> with_errors, with_warnings;
  for (const FileReport& report : summary.errors) with_errors.push_back(report.path);
  for (const FileReport& report : summary.warnings) with_warnings.push_back(report.path);
  EXPECT_EQ(with_errors, expected);
  EXPECT_EQ(with_warnings, expected);
}

TEST_F(CorpusIndexer, TwoCorpusFoldersOfOneNameCannotGiveOneDocumentPathTwice) {
  dir_.write("second/docs/alpha.txt", paragraph("berenjenas"));
  dir_.write("second/docs/other.txt", paragraph("berenjenas"));
  const IndexSummary summary = index(false, {corpus_, dir_.path() / "second" / "docs"});
  EXPECT_EQ(message_for(summary.errors, "docs/alpha.txt"),
            "two corpus folders give the same document path");
  EXPECT_EQ(summary.files_indexed, 2u);
}

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

TEST_F(CorpusIndexer, AnUnchangedFileIsToldByItsStatAndATouchedOneByItsContent) {
  ASSERT_EQ(index().files_indexed, 1u);
  const fs::path alpha = corpus_ / "alpha.txt";
  {
    // The state keeps the modification time as std::filesystem counts it: states written
    // before the listing's own stat told unchanged files apart must still match.
    const IndexWriter writer(dir_.path() / "index");
    const auto state = writer.file_state("docs/alpha.txt");
    ASSERT_TRUE(state);
    EXPECT_EQ(state->mtime_ns, fs::last_write_time(alpha).time_since_epoch().count());
    EXPECT_EQ(state->size, fs::file_size(alpha));
  }
  const IndexSummary same = index();
  EXPECT_EQ(same.files_unchanged, 1u);
  EXPECT_EQ(same.bytes_read, 0u) << "not opened";

  fs::last_write_time(alpha, fs::last_write_time(alpha) + std::chrono::seconds(5));
  const IndexSummary touched = index();
  EXPECT_EQ(touched.files_unchanged, 1u);
  EXPECT_EQ(touched.files_indexed, 0u);
  EXPECT_EQ(touched.bytes_read, fs::file_size(alpha)) << "read once, to compare its content";
  EXPECT_EQ(index().bytes_read, 0u) << "its new time was stored";

  dir_.write("docs/alpha.txt", paragraph("berenjenas"));
  fs::last_write_time(alpha, fs::last_write_time(alpha) + std::chrono::seconds(10));
  const IndexSummary changed = index();
  EXPECT_EQ(changed.files_indexed, 1u);
  EXPECT_GT(spelling_frequency("berenjenas"), 0u);
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
