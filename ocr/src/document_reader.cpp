#include "lupa/ocr/document_reader.h"

#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <variant>

#include "library_messages.h"
#include "lupa/ocr/file_format.h"
#include "lupa/ocr/image_preprocessor.h"
#include "lupa/ocr/ocr_cache.h"
#include "lupa/ocr/pdf_reader.h"
#include "recognition_pool.h"

namespace lupa::ocr {
namespace {

using Clock = std::chrono::steady_clock;

// The processor time the calling thread has used. Work on a page runs on one thread (poppler
// and Leptonica are single-threaded, and Tesseract's OpenMP parallelism is turned off), so this
// is the page's cost, whatever else the machine and the indexer's other threads are doing.
std::chrono::nanoseconds thread_cpu_time() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

// The work one file may take: the processor time spent on its own pages, added up over the
// threads that worked on them (opening the file, each page's text layer, rendering or decoding,
// preparing and recognising). Neither the time a page waits for a recognition thread busy with
// other files nor the time a thread waits for a core is counted: the budget bounds what a
// hostile file can cost, and a long honest scan read beside other files on a busy machine must
// not fail for having queued. poppler and Leptonica cannot be interrupted, so it is checked
// between the steps of a page; Tesseract, which can, gets what is left as its deadline.
class FileBudget {
 public:
  explicit FileBudget(std::chrono::seconds limit) : limit_(limit) {}

  void charge(std::chrono::nanoseconds work) { spent_ += work.count(); }
  /// For a recognition that Tesseract stopped at the deadline this budget gave it: that
  /// deadline is in real time, which runs at least as fast as processor time, so the file is
  /// stopped a little early rather than given another page.
  void exhaust() { spent_ = std::chrono::nanoseconds(limit_).count(); }
  bool passed() const { return std::chrono::nanoseconds(spent_.load()) >= limit_; }
  std::chrono::milliseconds left() const {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        limit_ - std::chrono::nanoseconds(spent_.load())));
  }
  OcrError exceeded(int page, int pages) const {
    return OcrError("reading the file took more than the limit of " +
                    std::to_string(limit_.count()) + " s of work per file (stopped at page " +
                    std::to_string(page) + " of " + std::to_string(pages) + ")");
  }
  void check(int page, int pages) const {
    if (passed()) throw exceeded(page, pages);
  }

 private:
  std::chrono::seconds limit_;
  std::atomic<std::chrono::nanoseconds::rep> spent_{0};
};

// Times one step of work on a file, on the thread doing it, and charges it to the file's
// budget when the step ends, by an exception too: a step that failed was work all the same.
class WorkTimer {
 public:
  explicit WorkTimer(FileBudget& budget) : budget_(&budget), start_(thread_cpu_time()) {}
  ~WorkTimer() { stop(); }
  WorkTimer(const WorkTimer&) = delete;
  WorkTimer& operator=(const WorkTimer&) = delete;

  /// Charges the processor time since construction, once, and returns it in seconds.
  double stop() {
    if (budget_) {
      const std::chrono::nanoseconds work = thread_cpu_time() - start_;
      budget_->charge(work);
      budget_ = nullptr;
      seconds_ = std::chrono::duration<double>(work).count();
    }
    return seconds_;
  }

 private:
  FileBudget* budget_;
  std::chrono::nanoseconds start_;
  double seconds_ = 0;
};

// What every step of reading one file shares, on whichever thread it runs.
struct FileContext {
  FileContext(std::chrono::seconds limit, std::string_view name)
      : budget(limit), messages(std::make_shared<DocumentMessages>(std::string(name))) {}

  FileBudget budget;
  std::shared_ptr<DocumentMessages> messages;
  int pages = 0;
};

// `seconds`: the work already spent on the page before it was queued (its text layer,
// rendering or decoding); the page's time is that and its recognition.
PageText recognize_page(const Pix& image, int number, double seconds, EngineAccess& access,
                        const OcrCache* cache, const std::string& fingerprint,
                        const ImageLimits& limits, std::chrono::seconds page_time_limit,
                        FileBudget& budget) {
  std::string key;
  if (cache) {
    WorkTimer looking(budget);
    key = OcrCache::key_for(image, fingerprint);
    std::optional<PageText> cached = cache->find(key);
    seconds += looking.stop();
    if (cached) {
      cached->number = number;
      cached->seconds = seconds;
      return *std::move(cached);
    }
  }
  // Loading the models, once per thread on its first page, is not this file's work.
  PageRecognizer& engine = access.engine();
  WorkTimer working(budget);
  PreparedPage prepared = prepare_page(image, limits);
  const std::chrono::milliseconds left = budget.left();
  const Clock::time_point recognition_start = Clock::now();
  Recognition recognition;
  try {
    recognition =
        engine.recognize(*prepared.grey, prepared.dpi, left, prepared.unstraightened.get());
  } catch (const OcrError&) {
    if (left < page_time_limit && Clock::now() - recognition_start >= left) budget.exhaust();
    throw;
  }
  PageText page;
  page.number = number;
  page.text = std::move(recognition.text);
  page.source = TextSource::kOcr;
  page.confidence = recognition.confidence;
  page.layout = recognition.layout;
  if (cache) cache->store(key, page);
  page.seconds = seconds + working.stop();
  return page;
}

}  // namespace

std::string_view source_name(TextSource source) {
  return source == TextSource::kTextLayer ? "text-layer" : "ocr";
}

bool is_page_document(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".pdf" || extension == ".png" || extension == ".jpg" ||
         extension == ".jpeg" || extension == ".tif" || extension == ".tiff";
}

class DocumentReader::Impl {
 public:
  explicit Impl(ReaderOptions options)
      : options_(std::move(options)), fingerprint_(recognizer_fingerprint(options_.recognizer)) {
    if (options_.cache_directory) cache_.emplace(*options_.cache_directory);
    route_library_messages();
  }

  std::vector<PageText> read(std::string_view content, std::string_view name) {
    auto file = std::make_shared<FileContext>(options_.file_time_limit, name);
    const MessageScope scope(file->messages);
    std::vector<PageText> pages = read_pages(content, file);
    file->messages->flush();
    return pages;
  }

  std::vector<PageText> read_pages(std::string_view content,
                                   const std::shared_ptr<FileContext>& file) {
    if (content.empty()) throw OcrError("file is empty");
    const FileFormat format = sniff_format(content.substr(0, 8));
    if (format == FileFormat::kPdf) return read_pdf(content, file);
    if (format == FileFormat::kUnknown)
      throw OcrError("not a PDF, PNG, JPEG or TIFF file (unrecognised content)");
    const ImagePages images = [&] {
      const WorkTimer opening(file->budget);
      return ImagePages(content, format, options_.limits);
    }();
    file->pages = images.count();
    PageCollector collector(*this, file);
    for (int index = 0; index < images.count(); ++index) {
      file->budget.check(index + 1, file->pages);
      WorkTimer decoding(file->budget);
      PixPtr image = images.decode(index);
      const double seconds = decoding.stop();
      collector.recognize(std::move(image), index + 1, seconds);
    }
    return collector.finish();
  }

  void clear_cache() const {
    if (cache_) cache_->clear();
  }

 private:
  // Submits page images to the pool and collects their texts in page order, keeping at most a
  // few pages per thread in memory: a 500-page scan must not be rendered all at once.
  class PageCollector {
   public:
    PageCollector(Impl& reader, std::shared_ptr<FileContext> file)
        : reader_(reader), file_(std::move(file)) {}
    ~PageCollector() { drain(); }
    PageCollector(const PageCollector&) = delete;
    PageCollector& operator=(const PageCollector&) = delete;

    void add_ready(PageText page) { pending_.emplace_back(std::move(page)); }

    // `seconds`: the work the page has had so far (rendering or decoding it).
    void recognize(PixPtr image, int number, double seconds) {
      RecognitionPool& pool = reader_.pool();
      while (in_flight() >= 2 * pool.size()) collect_front();
      std::shared_ptr<Pix> shared(image.release(), PixDeleter{});
      const OcrCache* cache = reader_.cache_ ? &*reader_.cache_ : nullptr;
      const std::string& fingerprint = reader_.fingerprint_;
      const ImageLimits& limits = reader_.options_.limits;
      const std::chrono::seconds page_time_limit = reader_.options_.recognizer.page_time_limit;
      pending_.emplace_back(pool.submit(
          RecognitionPool::Job([shared, number, cache, &fingerprint, &limits, page_time_limit,
                                file = file_, seconds](EngineAccess& access) {
            const MessageScope scope(file->messages);
            // A page queued before the budget ran out is not started after it.
            file->budget.check(number, file->pages);
            try {
              return recognize_page(*shared, number, seconds, access, cache, fingerprint, limits,
                                    page_time_limit, file->budget);
            } catch (const OcrError& error) {
              if (file->budget.passed()) throw file->budget.exceeded(number, file->pages);
              throw OcrError("page " + std::to_string(number) + ": " + error.what());
            }
          })));
    }

    std::vector<PageText> finish() {
      while (!pending_.empty()) collect_front();
      return std::move(done_);
    }

   private:
    using Pending = std::variant<PageText, std::future<PageText>>;

    std::size_t in_flight() const {
      return static_cast<std::size_t>(std::count_if(
          pending_.begin(), pending_.end(),
          [](const Pending& p) { return std::holds_alternative<std::future<PageText>>(p); }));
    }

    void collect_front() {
      Pending front = std::move(pending_.front());
      pending_.pop_front();
      if (auto* future = std::get_if<std::future<PageText>>(&front)) {
        done_.push_back(future->get());
      } else {
        done_.push_back(std::get<PageText>(std::move(front)));
      }
    }

    // Waits for the pages still being recognised, so that no job outlives the reader's state.
    void drain() {
      for (Pending& pending : pending_)
        if (auto* future = std::get_if<std::future<PageText>>(&pending)) future->wait();
      pending_.clear();
    }

    Impl& reader_;
    std::shared_ptr<FileContext> file_;
    std::deque<Pending> pending_;
    std::vector<PageText> done_;
  };

  std::vector<PageText> read_pdf(std::string_view content,
                                 const std::shared_ptr<FileContext>& file) {
    PdfDocument pdf = [&] {
      const WorkTimer opening(file->budget);
      return PdfDocument(content);
    }();
    const int pages = pdf.page_count();
    if (pages <= 0) throw OcrError("the PDF has no pages");
    if (pages > options_.limits.max_pages)
      throw OcrError("the PDF has " + std::to_string(pages) + " pages, more than the limit of " +
                     std::to_string(options_.limits.max_pages));
    file->pages = pages;
    PageCollector collector(*this, file);
    for (int index = 0; index < pages; ++index) {
      const int number = index + 1;
      file->budget.check(number, pages);
      const Clock::time_point start = Clock::now();
      WorkTimer reading(file->budget);
      std::string text = pdf.page_text(index);
      double seconds = reading.stop();
      // A page's content stream cannot be interrupted while poppler reads it; one that took the
      // page's whole time limit (in real time, like Tesseract's) just to be read is not
      // rendered and read again.
      if (Clock::now() - start > options_.recognizer.page_time_limit)
        throw OcrError("page " + std::to_string(number) +
                       ": reading its content took longer than the limit of " +
                       std::to_string(options_.recognizer.page_time_limit.count()) + " s");
      if (text.size() > options_.max_page_text_bytes)
        throw OcrError("page " + std::to_string(number) + ": its text layer holds " +
                       std::to_string(text.size()) + " bytes, more than the limit of " +
                       std::to_string(options_.max_page_text_bytes));
      if (text_layer_is_usable(text)) {
        PageText page;
        page.number = number;
        page.text = std::move(text);
        page.source = TextSource::kTextLayer;
        page.seconds = seconds;
        collector.add_ready(std::move(page));
      } else {
        file->budget.check(number, pages);
        WorkTimer rendering(file->budget);
        PixPtr image = pdf.render_page(index, options_.render_dpi, options_.limits);
        seconds += rendering.stop();
        collector.recognize(std::move(image), number, seconds);
      }
    }
    return collector.finish();
  }

  RecognitionPool& pool() {
    std::call_once(pool_started_, [this] {
      unsigned threads = options_.threads;
      if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
      pool_ = std::make_unique<RecognitionPool>(options_.recognizer, threads);
    });
    return *pool_;
  }

  ReaderOptions options_;
  std::string fingerprint_;
  std::optional<OcrCache> cache_;
  std::once_flag pool_started_;
  std::unique_ptr<RecognitionPool> pool_;
};

DocumentReader::DocumentReader(ReaderOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

DocumentReader::~DocumentReader() = default;

std::vector<PageText> DocumentReader::read(std::string_view content, std::string_view name) const {
  return impl_->read(content, name);
}

void DocumentReader::clear_cache() const {
  impl_->clear_cache();
}

}  // namespace lupa::ocr
