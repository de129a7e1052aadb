#include "lupa/ocr/image_preprocessor.h"

#include <algorithm>
#include <cmath>

#include "lupa/ocr/page_text.h"

namespace lupa::ocr {
namespace {

constexpr int kMinPlausibleDpi = 72;
constexpr int kMaxPlausibleDpi = 1200;
constexpr double kLetterWidthInches = 8.5;

PixPtr to_grey(const Pix& image) {
  Pix* source = const_cast<Pix*>(&image);  // Leptonica's API is not const-correct
  PixPtr without_alpha;
  if (pixGetSpp(source) == 4) {
    without_alpha = adopt_pix(pixRemoveAlpha(source), "removing the alpha channel");
    source = without_alpha.get();
  }
  if (pixGetColormap(source))
    return adopt_pix(pixRemoveColormap(source, REMOVE_CMAP_TO_GRAYSCALE),
                     "removing the colour map");
  if (pixGetDepth(source) == 32)
    return adopt_pix(pixConvertRGBToLuminance(source), "converting to grey");
  return adopt_pix(pixConvertTo8(source, 0), "converting to grey");
}

PixPtr scale_to_target(PixPtr grey, int dpi) {
  if (dpi >= 250 && dpi <= 400) return grey;
  const float factor = static_cast<float>(kTargetDpi) / static_cast<float>(dpi);
  PixPtr scaled = adopt_pix(factor > 1 ? pixScaleGrayLI(grey.get(), factor, factor)
                                       : pixScaleAreaMap(grey.get(), factor, factor),
                            "scaling to 300 dpi");
  return scaled;
}

}  // namespace

int effective_dpi(const Pix& image) {
  const int recorded = pixGetXRes(const_cast<Pix*>(&image));
  if (recorded >= kMinPlausibleDpi && recorded <= kMaxPlausibleDpi) return recorded;
  const double from_width = pixGetWidth(const_cast<Pix*>(&image)) / kLetterWidthInches;
  return std::clamp(static_cast<int>(std::lround(from_width)), kMinPlausibleDpi, kMaxPlausibleDpi);
}

PreparedPage prepare_page(const Pix& image) {
  PreparedPage prepared;
  PixPtr grey = scale_to_target(to_grey(image), effective_dpi(image));

  l_float32 angle = 0, confidence = 0;
  PixPtr straight =
      adopt_pix(pixFindSkewAndDeskew(grey.get(), 2, &angle, &confidence), "deskewing");
  prepared.skew_degrees = angle;

  PixPtr even = adopt_pix(pixBackgroundNormSimple(straight.get(), nullptr, nullptr),
                          "normalising the background");
  Pix* binary_raw = nullptr;
  if (pixOtsuAdaptiveThreshold(even.get(), 300, 300, 0, 0, 0.1f, nullptr, &binary_raw) != 0 ||
      !binary_raw)
    throw OcrError("image processing failed: binarising");
  PixPtr binary(binary_raw);

  PixPtr without_edges =
      adopt_pix(pixRemoveBorderConnComps(binary.get(), 8), "removing dark page edges");
  // A full stop in 8 pt type at 300 dpi is about 5 pixels across; speckles are smaller.
  PixPtr clean = adopt_pix(
      pixSelectBySize(without_edges.get(), 4, 4, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, nullptr),
      "removing speckles");
  pixSetResolution(clean.get(), kTargetDpi, kTargetDpi);
  // Tesseract reads grey better than our binarisation of it (its LSTM sees the grey image);
  // the grey image keeps only what the clean-up kept, so edges and speckles are gone there too.
  PixPtr removed = adopt_pix(pixXor(nullptr, binary.get(), clean.get()), "finding removed marks");
  pixSetMasked(even.get(), removed.get(), 255);
  pixSetResolution(even.get(), kTargetDpi, kTargetDpi);
  prepared.grey = std::move(even);
  prepared.binary = std::move(clean);
  return prepared;
}

}  // namespace lupa::ocr
