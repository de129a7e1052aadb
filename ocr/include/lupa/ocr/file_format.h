// Identifies a file's format from its first bytes, not its name: an HTML page saved as .pdf
// or a JPEG renamed .png must be recognised before a decoder is given it.
#pragma once

#include <string_view>

namespace lupa::ocr {

enum class FileFormat { kUnknown, kPdf, kPng, kJpeg, kTiff };

/// The format whose signature `head` (the file's first bytes, 8 or more) starts with.
FileFormat sniff_format(std::string_view head);

/// A short name for messages: "PDF", "PNG", "JPEG", "TIFF", "unknown".
std::string_view format_name(FileFormat format);

}  // namespace lupa::ocr
