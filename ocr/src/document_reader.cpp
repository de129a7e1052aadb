#include "lupa/ocr/document_reader.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <mutex>
#include <variant>

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

PageText recognize_page(const Pix& image, int number, EngineAccess& access, const OcrCache* cache,
                        const std::string& fingerprint, Clock::time_point start) {
  std::string key;
  if (cache) {
    key = OcrCache::key_for(image, fingerprint);
    if (std::optional<PageText> cached = cache->find(key)) {
      cached->number = number;
      cached->seconds = seconds_since(start);
      return *std::move(cached);
    }
  }
  PreparedPage prepared = prepare_page(image);
  Recognition recognition = access.engine().recognize(*prepared.grey, prepared.dpi);
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
    silence_leptonica();
  }

  std::vector<PageText> read(std::string_view content) {
    if (content.empty()) throw OcrError("file is empty");
    const FileFormat format = sniff_format(content.substr(0, 8));
    if (format == FileFormat::kPdf) return read_pdf(content);
    if (format == FileFormat::kUnknown)
      throw OcrError("not a PDF, PNG, JPEG or TIFF file (unrecognised content)");
    std::vector<PixPtr> images = decode_image_pages(content, format, options_.limits);
    PageCollector collector(*this);
    for (std::size_t i = 0; i < images.size(); ++i)
      collector.recognize(std::move(images[i]), static_cast<int>(i) + 1, Clock::now());
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
    explicit PageCollector(Impl& reader) : reader_(reader) {}
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
      pending_.emplace_back(pool.submit(
          RecognitionPool::Job([shared, number, cache, &fingerprint, start](EngineAccess& access) {
            try {
              return recognize_page(*shared, number, access, cache, fingerprint, start);
            } catch (const OcrError& error) {
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
    std::deque<Pending> pending_;
    std::vector<PageText> done_;
  };

  std::vector<PageText> read_pdf(std::string_view content) {
    PdfDocument pdf(content);
    const int pages = pdf.page_count();
    if (pages <= 0) throw OcrError("the PDF has no pages");
    if (pages > options_.limits.max_pages)
      throw OcrError("the PDF has " + std::to_string(pages) + " pages, more than the limit of " +
                     std::to_string(options_.limits.max_pages));
    PageCollector collector(*this);
    for (int index = 0; index < pages; ++index) {
      const Clock::time_point start = Clock::now();
      std::string text = pdf.page_text(index);
      if (text_layer_is_usable(text)) {
        PageText page;
        page.number = index + 1;
        page.text = std::move(text);
        page.source = TextSource::kTextLayer;
        page.seconds = seconds_since(start);
        collector.add_ready(std::move(page));
      } else {
        collector.recognize(pdf.render_page(index, options_.render_dpi, options_.limits), index + 1,
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

std::vector<PageText> DocumentReader::read(std::string_view content) const {
  return impl_->read(content);
}

void DocumentReader::clear_cache() const {
  impl_->clear_cache();
}

}  // namespace lupa::ocr
