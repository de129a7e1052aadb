#include "lupa/ocr/page_recognizer.h"

#include <omp.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/pageiterator.h>

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "lupa/ocr/page_layout.h"

namespace lupa::ocr {
namespace {

// Bumped whenever preprocessing or segmentation changes what a page reads as, so that cached
// texts made the old way are not reused.
constexpr const char* kPipelineVersion = "lupa-ocr-pipeline/4";

struct TextDeleter {
  void operator()(char* text) const { delete[] text; }
};

bool is_text_block(tesseract::PolyBlockType type) {
  using tesseract::PolyBlockType;
  return type == PolyBlockType::PT_FLOWING_TEXT || type == PolyBlockType::PT_HEADING_TEXT ||
         type == PolyBlockType::PT_PULLOUT_TEXT || type == PolyBlockType::PT_TABLE ||
         type == PolyBlockType::PT_VERTICAL_TEXT || type == PolyBlockType::PT_CAPTION_TEXT;
}

std::vector<LayoutBlock> analyse_layout(tesseract::TessBaseAPI& api) {
  std::vector<LayoutBlock> blocks;
  std::unique_ptr<tesseract::PageIterator> it(api.AnalyseLayout());
  if (!it) return blocks;
  bool in_text_block = false;
  int words_on_line = 0;
  auto end_line = [&] {
    if (in_text_block && words_on_line > 0) blocks.back().words_per_line.push_back(words_on_line);
    words_on_line = 0;
  };
  do {
    if (it->IsAtBeginningOf(tesseract::RIL_BLOCK)) {
      end_line();
      in_text_block = is_text_block(it->BlockType());
      if (in_text_block) {
        LayoutBlock& block = blocks.emplace_back();
        it->BoundingBox(tesseract::RIL_BLOCK, &block.box.left, &block.box.top, &block.box.right,
                        &block.box.bottom);
        block.is_table = it->BlockType() == tesseract::PolyBlockType::PT_TABLE;
      }
    } else if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) {
      end_line();
    }
    ++words_on_line;
  } while (it->Next(tesseract::RIL_WORD));
  end_line();
  return blocks;
}

}  // namespace

struct PageRecognizer::Api {
  tesseract::TessBaseAPI tesseract;
};

std::string recognizer_fingerprint(const RecognizerSettings& settings) {
  return std::string(kPipelineVersion) + ";tesseract " + tesseract::TessBaseAPI::Version() + ";" +
         settings.languages;
}

PageRecognizer::PageRecognizer(const RecognizerSettings& settings)
    : api_(std::make_unique<Api>()), time_limit_(settings.page_time_limit) {
  // Debian's Tesseract parallelises inside a page with OpenMP, with explicit thread counts
  // that only OMP_THREAD_LIMIT would cap, and that variable is read when the program starts.
  // Its spinning threads make each page 5-7 times slower; pages are parallelised by the
  // recognition pool instead. No active parallel level means every OpenMP region runs on the
  // thread that enters it.
  omp_set_max_active_levels(0);
  const char* datapath = settings.tessdata.empty() ? nullptr : settings.tessdata.c_str();
  if (api_->tesseract.Init(datapath, settings.languages.c_str(), tesseract::OEM_LSTM_ONLY) != 0)
    throw OcrError("Tesseract cannot load the languages " + settings.languages +
                   (settings.tessdata.empty() ? "" : " from " + settings.tessdata) +
                   " (install tesseract-ocr-spa and tesseract-ocr-eng)");
  api_->tesseract.SetVariable("debug_file", "/dev/null");
}

PageRecognizer::~PageRecognizer() = default;

Recognition PageRecognizer::recognize(Pix& page, int dpi, std::chrono::milliseconds time_left,
                                      Pix* unstraightened) {
  tesseract::TessBaseAPI& api = api_->tesseract;
  Recognition result;

  api.SetPageSegMode(tesseract::PSM_AUTO);
  const auto set_image = [&api, dpi](Pix& image) {
    api.SetImage(&image);  // drops any layout found before
    api.SetSourceResolution(dpi);
  };
  Pix* chosen = &page;
  set_image(page);
  std::vector<LayoutBlock> blocks = analyse_layout(api);
  if (unstraightened) {
    // Analysed last, so that the layout Tesseract keeps for recognition is this one in the
    // common case of a page skewed a little.
    set_image(*unstraightened);
    std::vector<LayoutBlock> as_it_came = analyse_layout(api);
    if (follows_skewed_lines(as_it_came, blocks)) {
      chosen = unstraightened;
      blocks = std::move(as_it_came);
    } else {
      set_image(page);
    }
  }
  if (reads_as_table(blocks)) {
    result.layout = PageLayout::kTable;
    api.SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
    set_image(*chosen);
  }

  tesseract::ETEXT_DESC monitor;
  // Tesseract reads a deadline of 0 as none.
  const std::chrono::milliseconds deadline = std::max(
      std::chrono::milliseconds(1), std::min<std::chrono::milliseconds>(time_limit_, time_left));
  monitor.set_deadline_msecs(static_cast<int32_t>(deadline.count()));
  const int status = api.Recognize(&monitor);
  if (monitor.deadline_exceeded())
    throw OcrError("recognising a page took longer than the limit of " +
                   std::to_string(time_limit_.count()) + " s");
  if (status != 0) throw OcrError("Tesseract could not recognise the page");
  std::unique_ptr<char[], TextDeleter> text(api.GetUTF8Text());
  result.text = text ? text.get() : "";
  result.confidence = api.MeanTextConf();
  api.Clear();
  return result;
}

}  // namespace lupa::ocr
