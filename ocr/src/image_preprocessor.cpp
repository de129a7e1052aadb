#include "lupa/ocr/image_preprocessor.h"

#include <algorithm>
#include <cmath>

#include "lupa/ocr/page_text.h"

namespace lupa::ocr {
namespace {

constexpr int kMinPlausibleDpi = 72;
constexpr int kMaxPlausibleDpi = 1200;
constexpr double kLetterWidthInches = 8.5;
constexpr int kMaxRecognisableSide = 32767;
// pixBackgroundNormSimple maps the paper to grey 200; ink is well below. 140 (70 % of the
// paper) leaves anti-aliased rims white; 130-170 gave the same text on the samples.
constexpr int kInkThreshold = 140;
// The largest skew at which a page may be read as it came, unresampled, when Tesseract's layout
// analysis follows its lines. On pages skewed 0.3-3 degrees (docs/ocr.md) Tesseract found the
// lines of every page up to 1.5 degrees, lost those of 2 pages of 8 at 1.8 and of every page
// from 2.4; and where it still found them past 2 degrees, the page read as it came lost more
// characters than straightening did.
constexpr double kMaxSkewReadAsItCame = 1.65;

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

PixPtr scale_to_target(PixPtr grey, int dpi, double& scaled_dpi, const ImageLimits& limits) {
  scaled_dpi = dpi;
  if (dpi >= 250 && dpi <= 400) return grey;
  const double factor =
      scale_factor(pixGetWidth(grey.get()), pixGetHeight(grey.get()), dpi, kTargetDpi, limits);
  if (factor == 1.0) return grey;
  scaled_dpi = dpi * factor;
  const auto f = static_cast<float>(factor);
  return adopt_pix(f > 1 ? pixScaleGrayLI(grey.get(), f, f) : pixScaleAreaMap(grey.get(), f, f),
                   "scaling to 300 dpi");
}

struct CleanPage {
  PixPtr grey;
  PixPtr binary;
};

// Steps 4-7 of prepare_page on a grey page at `dpi`.
CleanPage clean_page(Pix* page, int dpi) {
  PixPtr even =
      adopt_pix(pixBackgroundNormSimple(page, nullptr, nullptr), "normalising the background");
  // The background is now kNormalisedBackground everywhere, so one threshold fits the whole
  // page. Otsu's threshold per tile did not: on a tile of bare paper it splits the paper's
  // noise in two, and the half called black, touching the border, was whitened below with
  // whatever text touched it (a degraded table page lost all its text).
  PixPtr binary = adopt_pix(pixThresholdToBinary(even.get(), kInkThreshold), "binarising");

  PixPtr without_edges =
      adopt_pix(pixRemoveBorderConnComps(binary.get(), 8), "removing dark page edges");
  // A full stop in 8 pt type at 300 dpi is about 5 pixels across; speckles are smaller.
  PixPtr clean = adopt_pix(
      pixSelectBySize(without_edges.get(), 4, 4, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, nullptr),
      "removing speckles");
  pixSetResolution(clean.get(), dpi, dpi);
  // Tesseract reads grey better than our binarisation of it (its LSTM sees the grey image);
  // the grey image keeps only what the clean-up kept, so edges and speckles are gone there too.
  PixPtr removed = adopt_pix(pixXor(nullptr, binary.get(), clean.get()), "finding removed marks");
  pixSetMasked(even.get(), removed.get(), 255);
  pixSetResolution(even.get(), dpi, dpi);
  return {std::move(even), std::move(clean)};
}

}  // namespace

int effective_dpi(const Pix& image) {
  const int recorded = pixGetXRes(const_cast<Pix*>(&image));
  if (recorded >= kMinPlausibleDpi && recorded <= kMaxPlausibleDpi) return recorded;
  const double from_width = pixGetWidth(const_cast<Pix*>(&image)) / kLetterWidthInches;
  return std::clamp(static_cast<int>(std::lround(from_width)), kMinPlausibleDpi, kMaxPlausibleDpi);
}

double scale_factor(int width, int height, int dpi, int target_dpi, const ImageLimits& limits) {
  if (width <= 0 || height <= 0 || dpi <= 0) return 1.0;
  double factor = static_cast<double>(target_dpi) / dpi;
  if (factor <= 1.0) return factor;
  // The size the scaled image would have, bounded before it is allocated: a small file that
  // declares 72 dpi (or none, and is narrow) must not become gigapixels.
  const double pixels = static_cast<double>(width) * height;
  factor = std::min(factor, std::sqrt(static_cast<double>(limits.max_pixels) / pixels));
  factor = std::min(factor, static_cast<double>(limits.max_side) / std::max(width, height));
  // Leptonica rounds each side to nearest, in single precision: that must not carry the result
  // over the limit.
  const auto scaled_side = [&factor](int side) {
    return std::lround(static_cast<float>(factor) * static_cast<float>(side));
  };
  while (factor > 1.0 && !fits_limits(scaled_side(width), scaled_side(height), limits))
    factor *= 0.9999;
  return std::max(factor, 1.0);
}

PreparedPage prepare_page(const Pix& image, const ImageLimits& limits) {
  PreparedPage prepared;
  double scaled_dpi = kTargetDpi;
  // Tesseract refuses an image with a side over 32767 pixels: scaling up must not make one.
  ImageLimits scaling_limits = limits;
  scaling_limits.max_side = std::min(limits.max_side, kMaxRecognisableSide);
  PixPtr grey = scale_to_target(to_grey(image), effective_dpi(image), scaled_dpi, scaling_limits);
  prepared.dpi = static_cast<int>(std::lround(scaled_dpi));

  l_float32 angle = 0, confidence = 0;
  PixPtr straight =
      adopt_pix(pixFindSkewAndDeskew(grey.get(), 2, &angle, &confidence), "deskewing");
  prepared.skew_degrees = angle;

  // Straightening resamples the page, which blurs small marks (a degree sign read as an
  // asterisk); a page skewed a little is also prepared as it came, which the recogniser reads
  // instead when Tesseract follows its lines unaided (page_recognizer.h).
  CleanPage clean = clean_page(straight.get(), prepared.dpi);
  if (straight.get() != grey.get() && std::abs(angle) <= kMaxSkewReadAsItCame)
    prepared.unstraightened = clean_page(grey.get(), prepared.dpi).grey;
  prepared.grey = std::move(clean.grey);
  prepared.binary = std::move(clean.binary);
  return prepared;
}

}  // namespace lupa::ocr
