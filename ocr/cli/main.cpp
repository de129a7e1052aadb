// lupa-ocr: prints the text of an image or PDF, pages separated by a form feed.
// Exit status: 0 on success, 1 when the file cannot be read, 2 for bad options.
#include <Poco/Util/Application.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "lupa/ocr/document_reader.h"

namespace {

using Poco::Util::Application;
using Poco::Util::Option;
using Poco::Util::OptionSet;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw lupa::ocr::OcrError("cannot open the file");
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw lupa::ocr::OcrError("cannot read the file");
  return content.str();
}

class OcrApp final : public Application {
 protected:
  void defineOptions(OptionSet& options) override {
    Application::defineOptions(options);
    options.addOption(Option("verbose", "v", "each page's source, confidence and time on stderr")
                          .binding("verbose"));
    options.addOption(Option("languages", "l", "Tesseract languages (default spa+eng)")
                          .argument("LANGS")
                          .binding("languages"));
    options.addOption(Option("cache", "c", "keep recognised pages in DIR and reuse them")
                          .argument("DIR")
                          .binding("cache"));
    options.addOption(
        Option("clear-cache", "", "empty the --cache folder first").binding("clear-cache"));
    options.addOption(Option("threads", "t", "recognition threads (default: one per core)")
                          .argument("N")
                          .binding("threads"));
    options.addOption(
        Option("file-time-limit", "",
               "give up on the file after SECONDS of work on its pages (default 3600)")
            .argument("SECONDS")
            .binding("file-time-limit"));
    options.addOption(Option("help", "h", "show this help")
                          .callback(Poco::Util::OptionCallback<OcrApp>(this, &OcrApp::show_help)));
  }

  void show_help(const std::string&, const std::string&) {
    Poco::Util::HelpFormatter help(options());
    help.setCommand(commandName());
    help.setUsage("[-v] FILE");
    help.setHeader(
        "Prints the text of a PDF, PNG, JPEG or TIFF file on stdout, a form feed between "
        "pages. PDF pages with a real text layer are read from it; other pages are "
        "recognised with Tesseract.");
    help.format(std::cout);
    help_shown_ = true;
    stopOptionsProcessing();
  }

  int main(const std::vector<std::string>& arguments) override {
    if (help_shown_) return EXIT_OK;
    if (arguments.size() != 1) {
      std::cerr << "lupa-ocr: give one file (see --help)\n";
      return 2;
    }
    const std::string& path = arguments.front();
    lupa::ocr::ReaderOptions options;
    options.recognizer.languages = config().getString("languages", "spa+eng");
    options.threads = static_cast<unsigned>(config().getInt("threads", 0));
    if (config().hasProperty("cache")) options.cache_directory = config().getString("cache");
    if (config().hasProperty("file-time-limit")) {
      const std::string limit = config().getString("file-time-limit");
      char* end = nullptr;
      const long seconds = std::strtol(limit.c_str(), &end, 10);
      if (limit.empty() || *end != '\0' || seconds <= 0 || seconds > 1'000'000) {
        std::cerr << "lupa-ocr: --file-time-limit wants a positive number of seconds, not '"
                  << limit << "'\n";
        return 2;
      }
      options.file_time_limit = std::chrono::seconds(seconds);
    }
    const bool verbose = config().hasProperty("verbose");
    try {
      const lupa::ocr::DocumentReader reader(options);
      if (config().hasProperty("clear-cache")) reader.clear_cache();
      const std::string content = read_file(path);
      const auto pages = reader.read(content, path);
      for (std::size_t i = 0; i < pages.size(); ++i) {
        if (i > 0) std::cout << '\f';
        std::cout << pages[i].text;
        if (verbose) report(pages[i]);
      }
      std::cout.flush();
      return EXIT_OK;
    } catch (const std::exception& error) {
      std::cerr << "lupa-ocr: " << path << ": " << error.what() << "\n";
      return 1;
    }
  }

 private:
  static void report(const lupa::ocr::PageText& page) {
    std::fprintf(stderr, "page %d: %s", page.number,
                 std::string(lupa::ocr::source_name(page.source)).c_str());
    if (page.confidence) std::fprintf(stderr, ", confidence %.0f", *page.confidence);
    if (page.source == lupa::ocr::TextSource::kOcr)
      std::fprintf(stderr, ", %s layout",
                   page.layout == lupa::ocr::PageLayout::kTable ? "table" : "text");
    std::fprintf(stderr, ", %.2f s%s\n", page.seconds, page.from_cache ? " (cached)" : "");
  }

  bool help_shown_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  OcrApp app;
  try {
    app.init(argc, argv);
  } catch (const Poco::Exception& error) {
    std::cerr << "lupa-ocr: " << error.displayText() << " (see --help)\n";
    return 2;
  }
  return app.run();
}
