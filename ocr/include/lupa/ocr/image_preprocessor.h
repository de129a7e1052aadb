// Prepares a page image for Tesseract: grey, about 300 dpi, straight, with an even background,
// binarised, and without the dark scanner edges and speckles that Tesseract reads as letters.
#pragma once

#include "lupa/ocr/leptonica_image.h"

namespace lupa::ocr {

inline constexpr int kTargetDpi = 300;

struct PreparedPage {
  PixPtr binary;  ///< 1 bpp, text black, at `dpi`
  PixPtr grey;    ///< 8 bpp, straightened, even background, without what the clean-up removed
  int dpi = kTargetDpi;     ///< below 300 when scaling up to it would exceed the image limits
  double skew_degrees = 0;  ///< the skew Leptonica found (corrected in `grey` when confident)
  /// When `grey` was straightened from a skew of at most 1.65 degrees: the same steps without
  /// straightening, that is without resampling, which the recogniser reads instead when
  /// Tesseract follows the skewed lines by itself (page_recognizer.h); else empty.
  PixPtr unstraightened;
};

/// The resolution to assume for `image`: its recorded resolution when plausible (72-1200 dpi),
/// else the resolution at which its width would span a Letter page (8.5 in), since a scan
/// without a recorded resolution is almost always a whole page.
int effective_dpi(const Pix& image);

/// The factor by which to scale a `width` x `height` image at `dpi` towards `target_dpi`: the
/// plain ratio when shrinking; when enlarging, at most what keeps the result within `limits`
/// (computed on the target size, before anything is allocated), and never below 1.
double scale_factor(int width, int height, int dpi, int target_dpi, const ImageLimits& limits);

/// The steps, in order:
/// 1. to 8-bit grey (colour maps and alpha removed);
/// 2. scaled to 300 dpi when below 250 or above 400 dpi (Tesseract is trained on text about
///    that size; small text loses strokes, huge text wastes time), but never beyond `limits`
///    nor past 32767 pixels a side (Tesseract's own limit): a page that would exceed them is
///    scaled only as far as they allow;
/// 3. deskewed when Leptonica finds a confident skew (a page skewed at most 1.65 degrees is
///    also prepared without this step: `unstraightened`);
/// 4. background normalised: the paper becomes one grey (200), a page darker at one corner than
///    the other as well;
/// 5. binarised with one threshold, which the even background allows (Otsu's threshold per
///    tile turned bare paper half black);
/// 6. black regions touching the border (scanner edges, punched holes) and components smaller
///    than a full stop at 300 dpi (speckles) removed, and whitened in the grey image Tesseract
///    reads.
PreparedPage prepare_page(const Pix& image, const ImageLimits& limits = {});

}  // namespace lupa::ocr
