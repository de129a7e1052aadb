#include "lupa/ocr/document_reader.h"

#include <algorithm>
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

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The time one file may take. poppler and Leptonica cannot be interrupted, so it is checked
// between the steps of a page; Tesseract, which can, gets what is left as its deadline.
class FileDeadline {
 public:
  explicit FileDeadline(std::chrono::seconds limit) : limit_(limit), end_(Clock::now() + limit) {}

  bool passed() const { return Clock::now() >= end_; }
  std::chrono::milliseconds left() const {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(end_ - Clock::now()));
  }
  OcrError exceeded(int page, int pages) const {
    return OcrError("reading the file took longer than the limit of " +
                    std::to_string(limit_.count()) + " s per file (stopped at page " +
                    std::to_string(page) + " of " + std::to_string(pages) + ")");
  }
  void check(int page, int pages) const {
    if (passed()) throw exceeded(page, pages);
  }

 private:
  std::chrono::seconds limit_;
  Clock::time_point end_;
};

// What every step of reading one file shares, on whichever thread it runs.
struct FileContext {
  FileDeadline deadline;
  std::shared_ptr<DocumentMessages> messages;
  int pages = 0;
};

PageText recognize_page(const Pix& image, int number, EngineAccess& access, const OcrCache* cache,
                        const std::string& fingerprint, const ImageLimits& limits,
                        const FileDeadline& deadline, Clock::time_point start) {
  std::string key;
  if (cache) {
    key = OcrCache::key_for(image, fingerprint);
    if (std::optional<PageText> cached = cache->find(key)) {
      cached->number = number;
      cached->seconds = seconds_since(start);
      return *std::move(cached);
    }
  }
  PreparedPage prepared = prepare_page(image, limits);
  Recognition recognition =
      access.engine().recognize(*prepared.grey, prepared.dpi, deadline.left());
  PageText page;
  page.number = number;
  page.text = std::move(recognition.text);
  page.source = TextSource::kOcr;
  page.confidence = recognition.confidence;
  page.layout = recognition.layout;
  if (cache) cache->store(key, page);
  page.seconds = seconds_since(start);
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
    auto file = std::make_shared<FileContext>(
        FileContext{FileDeadline(options_.file_time_limit),
                    std::make_shared<DocumentMessages>(std::string(name)), 0});
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
    const ImagePages images(content, format, options_.limits);
    file->pages = images.count();
    PageCollector collector(*this, file);
    for (int index = 0; index < images.count(); ++index) {
      file->deadline.check(index + 1, file->pages);
      const Clock::time_point start = Clock::now();
      collector.recognize(images.decode(index), index + 1, start);
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
    PageCollector(Impl& reader, std::shared_ptr<const FileContext> file)
        : reader_(reader), file_(std::move(file)) {}
    ~PageCollector() { drain(); }
    PageCollector(const PageCollector&) = delete;
    PageCollector& operator=(const PageCollector&) = delete;

    void add_ready(PageText page) { pending_.emplace_back(std::move(page)); }

    void recognize(PixPtr image, int number, Clock::time_point start) {
      RecognitionPool& pool = reader_.pool();
      while (in_flight() >= 2 * pool.size()) collect_front();
      std::shared_ptr<Pix> shared(image.release(), PixDeleter{});
      const OcrCache* cache = reader_.cache_ ? &*reader_.cache_ : nullptr;
      const std::string& fingerprint = reader_.fingerprint_;
      const ImageLimits& limits = reader_.options_.limits;
      pending_.emplace_back(
          pool.submit(RecognitionPool::Job([shared, number, cache, &fingerprint, &limits,
                                            file = file_, start](EngineAccess& access) {
            const MessageScope scope(file->messages);
            // A page queued before the budget ran out is not started after it.
            file->deadline.check(number, file->pages);
            try {
              return recognize_page(*shared, number, access, cache, fingerprint, limits,
                                    file->deadline, start);
            } catch (const OcrError& error) {
              if (file->deadline.passed()) throw file->deadline.exceeded(number, file->pages);
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
    std::shared_ptr<const FileContext> file_;
    std::deque<Pending> pending_;
    std::vector<PageText> done_;
  };

  std::vector<PageText> read_pdf(std::string_view content,
                                 const std::shared_ptr<FileContext>& file) {
    PdfDocument pdf(content);
    const int pages = pdf.page_count();
    if (pages <= 0) throw OcrError("the PDF has no pages");
    if (pages > options_.limits.max_pages)
      throw OcrError("the PDF has " + std::to_string(pages) + " pages, more than the limit of " +
                     std::to_string(options_.limits.max_pages));
    file->pages = pages;
    PageCollector collector(*this, file);
    for (int index = 0; index < pages; ++index) {
      const int number = index + 1;
      file->deadline.check(number, pages);
      const Clock::time_point start = Clock::now();
      std::string text = pdf.page_text(index);
      // A page's content stream cannot be interrupted while poppler reads it; one that took the
      // page's whole time limit just to be read is not rendered and read again.
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
        page.seconds = seconds_since(start);
        collector.add_ready(std::move(page));
      } else {
        file->deadline.check(number, pages);
        collector.recognize(pdf.render_page(index, options_.render_dpi, options_.limits), number,
                            start);
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
