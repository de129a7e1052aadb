// lupa-indexer: indexes corpus folders into a Xapian database, incrementally.
// Exit status: 0 when every file was indexed (warnings allowed), 1 when some failed or a
// manifest has an error (the rest is committed), 2 when the run could not happen at all (bad
// options, a data folder or file that cannot be used, database locked or unreadable).
#include <Poco/Util/Application.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <fcntl.h>
#include <unistd.h>
#include <xapian.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>

#include "lupa/analyzers/data_directory.h"
#include "lupa/indexer/corpus_indexer.h"
#include "lupa/indexer/shard_layout.h"

namespace {

using Poco::Util::Application;
using Poco::Util::Option;
using Poco::Util::OptionSet;

class IndexerApp final : public Application {
 protected:
  void defineOptions(OptionSet& options) override {
    Application::defineOptions(options);
    options.addOption(Option("db", "d", "database folder (created when missing)")
                          .required(true)
                          .argument("DIR")
                          .binding("db"));
    options.addOption(
        Option("shards", "",
               "write N shards: DIR/shard-0 ... DIR/shard-<N-1> and the Xapian stub file "
               "DIR/XAPIANDB naming them (Xapian opens DIR as all of them); each file goes to the "
               "shard a fixed hash of its path in its corpus folder picks. Fixed when DIR is made: "
               "to change it, index into a new folder (docs/scale-out.md). Default: what DIR "
               "already is, else 1 (a single database)")
            .argument("N")
            .binding("shards"));
    options.addOption(
        Option("first-run-parts", "",
               "a run that builds a single database from nothing writes it as N partial "
               "databases side by side, merged when it commits (default: one per core, at most "
               "4; 1: one writer, less memory)")
            .argument("N")
            .binding("first-run-parts"));
    options.addOption(Option("quiet", "q", "no progress lines, only the summary").binding("quiet"));
    options.addOption(
        Option("ocr-cache", "", "folder of recognised page texts (default: ocr-cache beside DIR)")
            .argument("CACHE_DIR")
            .binding("ocr-cache"));
    options.addOption(Option("clear-ocr-cache", "", "recognise every image and scanned page anew")
                          .binding("clear-ocr-cache"));
    options.addOption(
        Option("file-time-limit", "",
               "give up on an image or PDF after SECONDS of work on its pages (default 3600)")
            .argument("SECONDS")
            .binding("file-time-limit"));
    options.addOption(Option("data-dir", "",
                             "folder of data files adding rows to the built-in ones (agencies.tsv, "
                             "plans.tsv, ...; docs/data-files.md); default $LUPA_DATA_DIR")
                          .argument("DIR")
                          .binding("data-dir"));
    options.addOption(Option("follow-external-symlinks", "",
                             "index files that symbolic links lead to outside the corpus folders "
                             "(by default such links are reported and not followed)")
                          .binding("follow-external-symlinks"));
    options.addOption(
        Option("help", "h", "show this help")
            .callback(Poco::Util::OptionCallback<IndexerApp>(this, &IndexerApp::show_help)));
  }

  void show_help(const std::string&, const std::string&) {
    Poco::Util::HelpFormatter help(options());
    help.setCommand(commandName());
    help.setUsage("--db DIR [--shards N] CORPUS_DIR...");
    help.setHeader(
        "Indexes the .txt, .md, .html, .pdf, .png, .jpg, .jpeg, .tif and .tiff files of each "
        "CORPUS_DIR (and its manifest.json) into the Xapian database DIR; images and scanned "
        "PDF pages are recognised with Tesseract. Re-runs re-read only files that changed. With "
        "--shards N, DIR holds N databases and the stub file naming them; each is committed "
        "whole, and the OCR cache is shared.");
    help.format(std::cout);
    help_shown_ = true;
    stopOptionsProcessing();
  }

  int main(const std::vector<std::string>& arguments) override {
    if (help_shown_) return EXIT_OK;
    if (arguments.empty()) {
      std::cerr << "lupa-indexer: give at least one corpus folder (see --help)\n";
      return 2;
    }
    lupa::indexer::IndexerOptions options;
    options.database = config().getString("db");
    options.ocr_cache = config().getString("ocr-cache", "");
    options.clear_ocr_cache = config().hasProperty("clear-ocr-cache");
    options.follow_external_symlinks = config().hasProperty("follow-external-symlinks");
    if (config().hasProperty("file-time-limit")) {
      const std::string limit = config().getString("file-time-limit");
      char* end = nullptr;
      const long seconds = std::strtol(limit.c_str(), &end, 10);
      if (limit.empty() || *end != '\0' || seconds <= 0 || seconds > 1'000'000) {
        std::cerr << "lupa-indexer: --file-time-limit wants a positive number of seconds, not '"
                  << limit << "'\n";
        return 2;
      }
      options.file_time_limit = std::chrono::seconds(seconds);
    }
    const auto database_count = [this](const std::string& option) -> std::optional<std::size_t> {
      const std::string given = config().getString(option);
      char* end = nullptr;
      const long count = std::strtol(given.c_str(), &end, 10);
      if (given.empty() || *end != '\0' || count < 1 ||
          count > static_cast<long>(lupa::indexer::kMaxShards)) {
        std::cerr << "lupa-indexer: --" << option << " wants a number from 1 to "
                  << lupa::indexer::kMaxShards << ", not '" << given << "'\n";
        return std::nullopt;
      }
      return static_cast<std::size_t>(count);
    };
    if (config().hasProperty("shards")) {
      options.shards = database_count("shards");
      if (!options.shards) return 2;
    }
    if (config().hasProperty("first-run-parts")) {
      const auto parts = database_count("first-run-parts");
      if (!parts) return 2;
      options.partial_databases = *parts;
    }
    for (const auto& folder : arguments) options.corpus_folders.emplace_back(folder);
    const bool show_progress = !config().hasProperty("quiet");
    double last_report = -1;
    options.on_progress = [&](const lupa::indexer::IndexProgress& progress) {
      const bool last = progress.files_done == progress.files_total;
      if (!show_progress || (!last && progress.seconds - last_report < 1.0)) return;
      last_report = progress.seconds;
      const double megabytes = static_cast<double>(progress.bytes_read) / 1e6;
      std::fprintf(stderr, "indexing: %zu/%zu files, %.1f MB read, %.1f MB/s\n",
                   progress.files_done, progress.files_total, megabytes,
                   progress.seconds > 0 ? megabytes / progress.seconds : 0.0);
    };
    try {
      // Before anything reads a data file: the reference data is built once, with the folder.
      std::optional<std::filesystem::path> data_directory;
      if (config().hasProperty("data-dir")) data_directory = config().getString("data-dir");
      const auto data_files = lupa::analyzers::configure_data_directory(data_directory);
      const auto summary = lupa::indexer::index_corpus(options);
      print_summary(summary, data_files);
      return summary.errors.empty() ? EXIT_OK : 1;
    } catch (const Xapian::DatabaseLockError&) {
      std::cerr << "lupa-indexer: " << options.database.string()
                << ": database is locked by another indexer run\n";
    } catch (const Xapian::Error& error) {
      std::cerr << "lupa-indexer: " << options.database.string() << ": " << error.get_description()
                << "\n";
    } catch (const std::exception& error) {
      std::cerr << "lupa-indexer: " << error.what() << "\n";
    }
    return 2;
  }

 private:
  static void print_summary(const lupa::indexer::IndexSummary& summary,
                            const lupa::analyzers::DataFilesInUse& data_files) {
    for (const auto& error : summary.errors)
      std::cerr << "error: " << error.path << ": " << error.message << "\n";
    for (const auto& warning : data_files.warnings) std::cerr << "warning: " << warning << "\n";
    for (const auto& warning : summary.warnings)
      std::cerr << "warning: " << warning.path << ": " << warning.message << "\n";
    for (const auto& skipped : summary.skipped)
      std::cout << "skipped: " << skipped.path << ": " << skipped.message << "\n";
    for (const auto& inferred : summary.inferred)
      std::cout << "inferred: " << inferred.path << ": " << inferred.message << "\n";
    for (const auto& note : summary.notes)
      std::cout << "note: " << note.path << ": " << note.message << "\n";
    std::printf(
        "summary: %zu files (%zu indexed, %zu unchanged, %zu removed, %zu skipped, %zu errors), "
        "%zu passages written, %zu in index, %.1f MB read in %.2f s\n",
        summary.files_seen, summary.files_indexed, summary.files_unchanged, summary.files_removed,
        summary.skipped.size(), summary.errors.size(), summary.passages_written,
        summary.passages_in_index, static_cast<double>(summary.bytes_read) / 1e6, summary.seconds);
    std::cout << "data files: " << data_files.description << "\n";
    if (!summary.discovered.empty()) {
      std::cout << "discovered institutions (not in agencies.tsv; add rows to name them):\n";
      for (const auto& institution : summary.discovered)
        std::cout << "  " << institution.id << " \"" << institution.name << "\" — "
                  << institution.path << "\n";
    }
    if (summary.symlinks_not_followed > 0)
      std::printf(
          "symlinks: %zu leading outside the corpus folders not followed "
          "(--follow-external-symlinks follows them)\n",
          summary.symlinks_not_followed);
    if (summary.duplicate_groups > 0)
      std::printf("near-duplicates: %zu passages in %zu groups, each shown once\n",
                  summary.duplicate_passages, summary.duplicate_groups);
    if (summary.end_of_run.done)
      std::printf(
          "end of run: %s; links %.2f s (%zu commitments, %zu written once linked), groups "
          "%.2f s (%zu passages), %zu rewritten; commit %.2f s\n",
          summary.end_of_run.everything ? "over every passage" : "over what the changes touch",
          summary.end_of_run.linking_seconds, summary.end_of_run.commitments_read,
          summary.end_of_run.commitments_held, summary.end_of_run.grouping_seconds,
          summary.end_of_run.passages_regrouped, summary.end_of_run.passages_rewritten,
          summary.end_of_run.commit_seconds);
    if (summary.pages_text_layer + summary.pages_recognised + summary.pages_from_cache > 0)
      std::printf("pages: %zu recognised, %zu from the OCR cache, %zu from PDF text layers\n",
                  summary.pages_recognised, summary.pages_from_cache, summary.pages_text_layer);
  }

  bool help_shown_ = false;
};

}  // namespace

// Descriptors 0-2 closed by whoever started us would be reused by the first files we open (the
// database's lock file among them), and then stderr messages would be written into those.
void keep_standard_descriptors_taken() {
  for (int fd = 0; fd <= 2; ++fd)
    if (::fcntl(fd, F_GETFD) == -1 && ::open("/dev/null", O_RDWR) != fd) std::abort();
}

int main(int argc, char** argv) {
  keep_standard_descriptors_taken();
  // Unless the user chose otherwise, Xapian holds 10,000 added documents in memory before it
  // merges their postings into its tables, in a transaction too: with passages of up to a few
  // kilobytes that was 400 MB. Merging every 1,000 passages also costs less CPU time than every
  // 2,500 or 10,000 (bench/README.md, "Where the indexer's time goes").
  // Set here, before any thread starts: setenv is not safe against getenv on another thread.
  ::setenv("XAPIAN_FLUSH_THRESHOLD", "1000", /*overwrite=*/0);
  IndexerApp app;
  try {
    app.init(argc, argv);
  } catch (const Poco::Exception& error) {
    std::cerr << "lupa-indexer: " << error.displayText() << " (see --help)\n";
    return 2;
  }
  return app.run();
}
