#include "lupa/ocr/ocr_cache.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

namespace lupa::ocr {
namespace {

constexpr std::string_view kEntryMagic = "lupa-ocr-cache/1";

std::string_view layout_name(PageLayout layout) {
  return layout == PageLayout::kTable ? "table" : "text";
}

}  // namespace

OcrCache::OcrCache(std::filesystem::path directory) : directory_(std::move(directory)) {}

std::string OcrCache::key_for(const Pix& page, const std::string& fingerprint) {
  Pix* pix = const_cast<Pix*>(&page);  // Leptonica's API is not const-correct
  Poco::SHA1Engine engine;
  engine.update(fingerprint);
  std::ostringstream shape;
  shape << ';' << pixGetWidth(pix) << 'x' << pixGetHeight(pix) << 'x' << pixGetDepth(pix) << ';'
        << pixGetXRes(pix) << ';';
  engine.update(shape.str());
  const std::size_t bytes = static_cast<std::size_t>(pixGetWpl(pix)) *
                            static_cast<std::size_t>(pixGetHeight(pix)) * sizeof(l_uint32);
  engine.update(pixGetData(pix), static_cast<unsigned>(bytes));
  if (PixColormap* colormap = pixGetColormap(pix)) {
    for (int i = 0; i < pixcmapGetCount(colormap); ++i) {
      l_int32 r = 0, g = 0, b = 0;
      pixcmapGetColor(colormap, i, &r, &g, &b);
      engine.update(std::to_string(r) + "," + std::to_string(g) + "," + std::to_string(b));
    }
  }
  return Poco::DigestEngine::digestToHex(engine.digest());
}

std::filesystem::path OcrCache::path_for(const std::string& key) const {
  return directory_ / key.substr(0, 2) / (key + ".txt");
}

std::optional<PageText> OcrCache::find(const std::string& key) const {
  std::ifstream in(path_for(key), std::ios::binary);
  if (!in) return std::nullopt;
  std::string magic, layout;
  double confidence = 0;
  std::string header;
  if (!std::getline(in, header)) return std::nullopt;
  std::istringstream fields(header);
  if (!(fields >> magic >> confidence >> layout) || magic != kEntryMagic) return std::nullopt;
  PageText page;
  page.source = TextSource::kOcr;
  page.confidence = confidence;
  page.layout = layout == "table" ? PageLayout::kTable : PageLayout::kRunningText;
  page.from_cache = true;
  std::ostringstream text;
  text << in.rdbuf();
  page.text = text.str();
  return page;
}

void OcrCache::store(const std::string& key, const PageText& page) const {
  const std::filesystem::path target = path_for(key);
  std::error_code error;
  std::filesystem::create_directories(target.parent_path(), error);
  if (error) return;
  std::ostringstream thread_id;
  thread_id << std::this_thread::get_id();
  const std::filesystem::path temporary = target.string() + ".tmp" + thread_id.str();
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return;
    out << kEntryMagic << ' ' << page.confidence.value_or(0) << ' ' << layout_name(page.layout)
        << '\n'
        << page.text;
    if (!out.flush()) {
      std::filesystem::remove(temporary, error);
      return;
    }
  }
  std::filesystem::rename(temporary, target, error);
  if (error) std::filesystem::remove(temporary, error);
}

void OcrCache::clear() const {
  std::error_code error;
  std::filesystem::remove_all(directory_, error);
}

}  // namespace lupa::ocr
