#include "lupa/ocr/file_format.h"

namespace lupa::ocr {

FileFormat sniff_format(std::string_view head) {
  using namespace std::string_view_literals;
  if (head.starts_with("%PDF-"sv)) return FileFormat::kPdf;
  if (head.starts_with("\x89PNG\r\n\x1a\n"sv)) return FileFormat::kPng;
  if (head.starts_with("\xff\xd8\xff"sv)) return FileFormat::kJpeg;
  if (head.starts_with("II*\0"sv) || head.starts_with("MM\0*"sv)) return FileFormat::kTiff;
  return FileFormat::kUnknown;
}

std::string_view format_name(FileFormat format) {
  switch (format) {
    case FileFormat::kPdf:
      return "PDF";
    case FileFormat::kPng:
      return "PNG";
    case FileFormat::kJpeg:
      return "JPEG";
    case FileFormat::kTiff:
      return "TIFF";
    case FileFormat::kUnknown:
      break;
  }
  return "unknown";
}

}  // namespace lupa::ocr
