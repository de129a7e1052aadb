// End to end: the real lupa-indexer over hostile files made by each test (over-long words,
// huge lines, symbolic links, odd encodings, deep HTML), the real daemon searching the result.
// One file must never stop a run, cost memory out of proportion to its size, or bring in
// what lies outside the corpus.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

extern char** environ;

namespace lupa::testing {
namespace {

namespace fs = std::filesystem;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct MeasuredRun {
  int exit_code = -1;
  long peak_rss_kb = 0;  // of this child alone, from wait4
};

// Runs `program` with output thrown away and returns its exit status and peak RSS.
MeasuredRun run_measured(const fs::path& program, const std::vector<std::string>& arguments) {
  std::vector<char*> argv;
  std::string name = program.string();
  argv.push_back(name.data());
  std::vector<std::string> owned = arguments;
  for (std::string& argument : owned) argv.push_back(argument.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  MeasuredRun run;
  const int spawned = posix_spawn(&pid, name.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return run;
  int status = 0;
  struct rusage usage {};
  if (::wait4(pid, &status, 0, &usage) == pid && WIFEXITED(status))
    run.exit_code = WEXITSTATUS(status);
  run.peak_rss_kb = usage.ru_maxrss;
  return run;
}

class HostileFilesE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    corpus_ = dir_.path() / "docs";
    database_ = dir_.path() / "index";
    dir_.write("docs/good.txt",
               "Informe\n\n1. El gobierno publicará información sobre zanahorias para que la "
               "ciudadanía pueda evaluar el plan.\n");
  }

  RunResult index(const std::vector<std::string>& options = {}) const {
    std::vector<std::string> arguments{"--quiet", "--db", database_.string()};
    arguments.insert(arguments.end(), options.begin(), options.end());
    arguments.push_back(corpus_.string());
    return run_program(program("lupa-indexer"), arguments);
  }

  static int total(const SearchDaemon& daemon, const std::string& q) {
    const HttpReply reply = http_get(daemon.port(), "/api/search?q=" + url_encode(q));
    EXPECT_EQ(reply.status, 200) << reply.body;
    return reply.json()->getValue<int>("total");
  }

  // The stored text of the first passage a search finds.
  static std::string first_text(const SearchDaemon& daemon, const std::string& q) {
    const auto hits =
        http_get(daemon.port(), "/api/search?q=" + url_encode(q)).json()->getArray("hits");
    if (hits->size() == 0) return "";
    const std::string id = hits->getObject(0)->getValue<std::string>("id");
    return http_get(daemon.port(), "/api/passages/" + id).json()->getValue<std::string>("text");
  }

  TempDir dir_;
  fs::path corpus_;
  fs::path database_;
};

// 1. An over-long word used to make Xapian refuse the whole run at commit, and every run
// after it, without naming the file.
TEST_F(HostileFilesE2E, OverlongWordsAndBlobsAreIndexedAndTheRunCommits) {
  dir_.write("docs/long-word.txt", "Informe\n\n1. Las berenjenas del portal https://example.org/" +
                                       std::string(300, 'w') + " fueron archivadas.\n");
  std::string blob;
  for (int i = 0; i < 100'000; ++i) blob += "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY"[i % 32];
  dir_.write(
      "docs/base64.txt",
      "Anexo\n\n1. Los pepinos del anexo codificado.\n\ndata:image/png;base64," + blob + "==\n");
  const RunResult run = index();
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.out, "3 files (3 indexed, 0 unchanged, 0 removed, 0 skipped, 0 errors)"))
      << run.out;
  EXPECT_FALSE(contains(run.err, "error:")) << run.err;

  const RunResult again = index();  // committed: the next run finds every file as it left it
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "(0 indexed, 3 unchanged")) << again.out;

  SearchDaemon daemon(database_);
  EXPECT_EQ(total(daemon, "zanahorias"), 1);
  EXPECT_EQ(total(daemon, "berenjenas"), 1);
  EXPECT_EQ(total(daemon, "pepinos"), 1);
  EXPECT_EQ(total(daemon, "archivadas"), 1);  // the words after the long one are there too
}

// 2. Memory in proportion to the input: a 5 MB line took 10.8 GB; CR-only line ends made a
// whole file one line.
TEST_F(HostileFilesE2E, HugeLinesIndexInBoundedMemoryAndCarriageReturnsEndLines) {
  dir_.write("docs/mac.txt",
             "Informe\r\r1. Primera línea sobre calabazas.\r2. Segunda línea sobre lechugas.\r");
  std::string line = "Informe\n\n";
  while (line.size() < 5'000'000) line += "datos abiertos del presupuesto municipal y rábanos ";
  line += "\n";
  dir_.write("docs/one-line.txt", line);
  const std::uintmax_t size = fs::file_size(corpus_ / "one-line.txt");

  const MeasuredRun run =
      run_measured(program("lupa-indexer"), {"--quiet", "--db", database_.string(), corpus_});
  EXPECT_EQ(run.exit_code, 0);
  // A small multiple of the file plus what the indexer needs anyway (ICU, Xapian, libraries).
  const long bound_kb = static_cast<long>(20 * size / 1024) + 100 * 1024;
  EXPECT_LT(run.peak_rss_kb, bound_kb) << "peak " << run.peak_rss_kb / 1024 << " MB";

  SearchDaemon daemon(database_);
  EXPECT_EQ(total(daemon, "calabazas"), 1);
  EXPECT_EQ(total(daemon, "lechugas"), 1);
  EXPECT_EQ(first_text(daemon, "calabazas"), "1. Primera línea sobre calabazas.");
  EXPECT_EQ(first_text(daemon, "lechugas"), "2. Segunda línea sobre lechugas.");
  EXPECT_GT(total(daemon, "rábanos"), 1000);  // the line, in passages of bounded size
  EXPECT_EQ(total(daemon, "zanahorias"), 1);
}

// 3. A symlink loop aborted the run; a link out of the corpus made /etc/passwd searchable.
TEST_F(HostileFilesE2E, SymlinkLoopsAreReportedAndLinksOutOfTheCorpusNotFollowed) {
  fs::create_symlink("loop.txt", corpus_ / "loop.txt");
  dir_.write("outside/secret.txt", "Claves\n\n1. Las contraseñas del servidor de correo.\n");
  fs::create_symlink(dir_.path() / "outside" / "secret.txt", corpus_ / "notes.txt");

  const RunResult run = index();
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.err, "error: docs/loop.txt: symbolic link loop: not followed"))
      << run.err;
  EXPECT_TRUE(contains(run.out, "skipped: docs/notes.txt: symbolic link to " +
                                    (dir_.path() / "outside" / "secret.txt").string() +
                                    ", outside the corpus folders: not followed"))
      << run.out;
  EXPECT_TRUE(contains(run.out, "symlinks: 1 leading outside the corpus folders not followed"))
      << run.out;
  {
    SearchDaemon daemon(database_);
    EXPECT_EQ(total(daemon, "zanahorias"), 1);
    EXPECT_EQ(total(daemon, "contraseñas"), 0);
  }

  const RunResult followed = index({"--follow-external-symlinks"});
  EXPECT_EQ(followed.exit_code, 1);  // the loop is still there
  EXPECT_FALSE(contains(followed.out, "symlinks:")) << followed.out;
  SearchDaemon daemon(database_);
  EXPECT_EQ(total(daemon, "contraseñas"), 1);
  EXPECT_EQ(total(daemon, "zanahorias"), 1);

  const RunResult help = run_program(program("lupa-indexer"), {"--help"});
  EXPECT_TRUE(contains(help.out, "follow-external-symlinks")) << help.out;
}

// 5. UTF-16 was refused as binary, one bad byte garbled a whole file, libxml2 dropped
// everything nested deeper than 256 elements.
TEST_F(HostileFilesE2E, OddEncodingsAndDeepHtmlKeepTheirWordsSearchable) {
  std::string utf16 = "\xFF\xFE";
  const std::u16string wide = u"Consulta\r\n\r\n1. Participación ciudadana en Querétaro.\r\n";
  for (char16_t unit : wide) {
    utf16 += static_cast<char>(unit & 0xFF);
    utf16 += static_cast<char>(unit >> 8);
  }
  dir_.write("docs/wide.txt", utf16);
  dir_.write("docs/legacy.txt",
             "Informe municipal\n\n1. La rendici\xF3n de cuentas en Mazatl\xE1n y la educaci\xF3n "
             "de los ni\xF1os, seg\xFAn la Secretar\xED"
             "a de Educaci\xF3n P\xFA"
             "blica del a\xF1o pasado.\n");
  dir_.write("docs/bad-byte.txt",
             "Mercado\n\n1. Alcachofas \x80 espárragos, rábanos y acelgas de las hortalizas.\n");
  // A UTF-8 opening pasted over a Windows-1252 body: each part is read in its own encoding.
  dir_.write("docs/mixed.txt",
             "Fumigación de cítricos\n\n1. Los jard\xEDnes bot\xE1nicos y los pl\xE1tanos "
             "del vivero \x96 seg\xFAn el inventario de la poda.\n");
  // Windows-1252 HTML naming no charset, which libxml2 alone reads as Latin-1.
  dir_.write("docs/old.html",
             "<html><body><p>La calefacci\xF3n del \x93"
             "edificio\x94 municipal</p></body></html>");
  std::string html = "<html><body><p>Superficie del documento</p>";
  for (int i = 0; i < 20000; ++i) html += "<div>";
  html += "Profundidades marinas";
  for (int i = 0; i < 20000; ++i) html += "</div>";
  html += "<p>Cierre del informe</p></body></html>";
  dir_.write("docs/deep.html", html);

  const RunResult run = index();
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.out, "7 files (7 indexed")) << run.out;
  EXPECT_TRUE(contains(run.out, "note: docs/wide.txt: decoded as UTF-16LE")) << run.out;
  EXPECT_TRUE(contains(run.out, "note: docs/legacy.txt: not UTF-8, decoded as Windows-1252"))
      << run.out;
  EXPECT_TRUE(contains(run.out,
                       "note: docs/bad-byte.txt: 1 byte(s) outside UTF-8 sequences read as "
                       "Windows-1252"))
      << run.out;
  EXPECT_TRUE(contains(run.out,
                       "note: docs/mixed.txt: 5 byte(s) outside UTF-8 sequences read as "
                       "Windows-1252"))
      << run.out;
  EXPECT_TRUE(contains(run.out, "note: docs/old.html: not UTF-8, decoded as Windows-1252"))
      << run.out;

  SearchDaemon daemon(database_);
  EXPECT_EQ(total(daemon, "Querétaro"), 1);
  EXPECT_EQ(total(daemon, "participacion"), 1);
  EXPECT_EQ(total(daemon, "Mazatlán"), 1);
  EXPECT_EQ(total(daemon, "\"rendición de cuentas\""), 1);
  EXPECT_EQ(total(daemon, "niños"), 1);
  for (const char* word : {"alcachofas", "espárragos", "rábanos", "acelgas", "hortalizas"})
    EXPECT_EQ(total(daemon, word), 1) << word;
  for (const char* word : {"fumigación", "cítricos", "jardínes", "botánicos", "plátanos", "vivero"})
    EXPECT_EQ(total(daemon, word), 1) << word;
  EXPECT_EQ(total(daemon, "calefacción"), 1);
  EXPECT_EQ(first_text(daemon, "calefacción"), "La calefacción del \u201Cedificio\u201D municipal");
  EXPECT_EQ(total(daemon, "superficie"), 1);
  EXPECT_EQ(total(daemon, "profundidades"), 1);
  EXPECT_EQ(total(daemon, "cierre"), 1);
}

// 6. libxml2's tree took about 100 times the page: 20 MB of "<p>x" peaked at 2.05 GB, and a
// page at the 256 MB text limit would have been an out-of-memory kill losing the whole run.
TEST_F(HostileFilesE2E, HtmlOfMillionsOfElementsIndexesInBoundedMemory) {
  std::string html = "<html><body><p>Portada de coliflores";
  html.reserve(10'100'000);
  while (html.size() < 10'000'000) html += "<p>x";
  html += "<p>Final con puerros</body></html>";
  dir_.write("docs/many.html", html);
  const std::uintmax_t size = fs::file_size(corpus_ / "many.html");

  const MeasuredRun run =
      run_measured(program("lupa-indexer"), {"--quiet", "--db", database_.string(), corpus_});
  EXPECT_EQ(run.exit_code, 0);
  // Measured: 285 MB, of which HTML parsing is about 20 MB; the rest is the segmenter's
  // bookkeeping of 2.5 million one-letter lines, as for the same text in a .txt file.
  const long bound_kb = static_cast<long>(32 * size / 1024) + 100 * 1024;
  EXPECT_LT(run.peak_rss_kb, bound_kb) << "peak " << run.peak_rss_kb / 1024 << " MB";

  SearchDaemon daemon(database_);
  EXPECT_EQ(total(daemon, "coliflores"), 1);
  EXPECT_EQ(total(daemon, "puerros"), 1);  // after the millions of elements
}

TEST_F(HostileFilesE2E, HtmlOverItsSizeLimitIsReportedNamingTheLimit) {
  dir_.write("docs/huge.html", "<p>" + std::string((std::size_t{32} << 20) + 1, 'a') + "</p>");
  const RunResult run = index();
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.err, "error: docs/huge.html: larger than 32 MB, the limit for HTML"))
      << run.err;
  SearchDaemon daemon(database_);
  EXPECT_EQ(total(daemon, "zanahorias"), 1);
}

// 7. A file whose writing fails on the writer's thread, after its old passages were deleted
// in the run's transaction (out of memory building a big file's documents), ended the run
// with exit 2. It is now refused: the run is done again without it, and it keeps what it had.
TEST_F(HostileFilesE2E, AFileFailingAsItIsWrittenIsRefusedAndKeepsItsPassages) {
  dir_.write("docs/target.txt", "Informe\n\n1. Las berenjenas del huerto comunitario.\n");
  const RunResult first = index();
  ASSERT_EQ(first.exit_code, 0) << first.err;

  dir_.write("docs/target.txt", "Informe\n\n1. Los pepinos del huerto comunitario.\n");
  dir_.write("docs/new.txt", "Informe\n\n1. Las alcachofas del mercado central.\n");
  const RunResult run =
      run_program(program("lupa-indexer"), {"--quiet", "--db", database_.string(), corpus_},
                  {{"LUPA_INDEXER_TEST_REFUSE_FILE", "docs/target.txt"}});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_TRUE(contains(run.err,
                       "error: docs/target.txt: writing it failed (refused for a test "
                       "(LUPA_INDEXER_TEST_REFUSE_FILE)); the run was done again without it"))
      << run.err;
  EXPECT_TRUE(contains(run.out, "3 files (1 indexed, 1 unchanged, 0 removed, 0 skipped, 1 errors)"))
      << run.out;
  {
    SearchDaemon daemon(database_);
    EXPECT_EQ(total(daemon, "alcachofas"), 1);
    EXPECT_EQ(total(daemon, "zanahorias"), 1);
    EXPECT_EQ(total(daemon, "berenjenas"), 1);  // the refused file's previous passages
    EXPECT_EQ(total(daemon, "pepinos"), 0);
  }

  const RunResult again = index();  // the file was not marked done: it is read again
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "(1 indexed, 2 unchanged")) << again.out;
  SearchDaemon daemon(database_);
  EXPECT_EQ(total(daemon, "pepinos"), 1);
  EXPECT_EQ(total(daemon, "berenjenas"), 0);
}

// 8. The same in a first run, written in parts on threads of their own: the failure comes
// from a part's thread, and the run is done again without the file.
TEST_F(HostileFilesE2E, AFirstRunInPartsRefusesAFileFailingAsItIsWrittenAndKeepsTheOthers) {
  const std::vector<std::string> vegetables{"berenjenas", "pepinos",   "alcachofas",
                                            "calabazas",  "espinacas", "rabanitos"};
  for (const std::string& vegetable : vegetables)
    dir_.write("docs/" + vegetable + ".txt",
               "Informe\n\n1. Las " + vegetable + " del huerto comunitario.\n");
  const RunResult run =
      run_program(program("lupa-indexer"),
                  {"--quiet", "--first-run-parts", "3", "--db", database_.string(), corpus_},
                  {{"LUPA_INDEXER_TEST_REFUSE_FILE", "docs/pepinos.txt"}});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_TRUE(contains(run.err,
                       "error: docs/pepinos.txt: writing it failed (refused for a test "
                       "(LUPA_INDEXER_TEST_REFUSE_FILE)); the run was done again without it"))
      << run.err;
  EXPECT_TRUE(contains(run.out, "7 files (6 indexed, 0 unchanged, 0 removed, 0 skipped, 1 errors)"))
      << run.out;
  // One database, merged from its parts.
  EXPECT_TRUE(fs::exists(database_ / "iamglass"));
  {
    SearchDaemon daemon(database_);
    EXPECT_EQ(total(daemon, "zanahorias"), 1);
    for (const std::string& vegetable : vegetables)
      EXPECT_EQ(total(daemon, vegetable), vegetable == "pepinos" ? 0 : 1) << vegetable;
  }
  const RunResult again = index();
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "(1 indexed, 6 unchanged")) << again.out;
  SearchDaemon daemon(database_);
  EXPECT_EQ(total(daemon, "pepinos"), 1);
}

TEST_F(HostileFilesE2E, DatabaseCountsOutOfRangeAreRefusedNamingTheOption) {
  for (const std::string option : {"--first-run-parts", "--shards"}) {
    for (const std::string count : {"0", "257", "two", ""}) {
      const RunResult run = run_program(
          program("lupa-indexer"), {option, count, "--db", database_.string(), corpus_.string()});
      EXPECT_EQ(run.exit_code, 2) << option << " " << count;
      EXPECT_TRUE(contains(run.err, option + " wants a number from 1 to 256, not '" + count + "'"))
          << run.err;
    }
  }
  EXPECT_FALSE(fs::exists(database_));
}

}  // namespace
}  // namespace lupa::testing
