#include "lupa/searchd/original_files.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <system_error>

namespace lupa::searchd {

namespace fs = std::filesystem;

std::string original_content_type(const fs::path& file) {
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".pdf") return "application/pdf";
  if (extension == ".txt" || extension == ".md") return "text/plain; charset=utf-8";
  if (extension == ".html" || extension == ".htm") return "text/html; charset=utf-8";
  if (extension == ".png") return "image/png";
  if (extension == ".jpg" || extension == ".jpeg") return "image/jpeg";
  if (extension == ".tif" || extension == ".tiff") return "image/tiff";
  return "";
}

OriginalFiles::OriginalFiles(const std::vector<fs::path>& corpus_folders) {
  for (const fs::path& folder : corpus_folders) {
    std::error_code error;
    const fs::path root = fs::canonical(folder, error);
    if (error || !fs::is_directory(root))
      throw std::invalid_argument("corpus folder '" + folder.string() + "' is not a directory");
    // The indexer names documents after the folder as given, resolved (corpus_indexer.cpp).
    const std::string name = root.filename().string();
    if (std::any_of(folders_.begin(), folders_.end(),
                    [&](const Folder& other) { return other.name == name; }))
      throw std::invalid_argument("two corpus folders are named '" + name + "'");
    folders_.push_back({name, root});
  }
}

std::optional<OriginalFile> OriginalFiles::find(std::string_view document_path) const {
  const std::size_t slash = document_path.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view name = document_path.substr(0, slash);
  const auto folder = std::find_if(folders_.begin(), folders_.end(),
                                   [&](const Folder& f) { return f.name == name; });
  if (folder == folders_.end()) return std::nullopt;
  fs::path relative;
  std::string_view rest = document_path.substr(slash + 1);
  while (true) {
    const std::size_t next = rest.find('/');
    const std::string_view part = rest.substr(0, next);
    if (part.empty() || part == "." || part == ".." || part.find('\0') != std::string_view::npos)
      return std::nullopt;
    relative /= std::string(part);
    if (next == std::string_view::npos) break;
    rest.remove_prefix(next + 1);
  }
  std::error_code error;
  const fs::path file = fs::canonical(folder->root / relative, error);
  if (error) return std::nullopt;
  // Inside the folder once every link is resolved: a link out of it is never followed.
  const auto [root_end, file_at] =
      std::mismatch(folder->root.begin(), folder->root.end(), file.begin(), file.end());
  if (root_end != folder->root.end() || file_at == file.end()) return std::nullopt;
  if (!fs::is_regular_file(file, error) || error) return std::nullopt;
  const std::uintmax_t size = fs::file_size(file, error);
  if (error || size > kMaxOriginalBytes) return std::nullopt;
  // The kind the index recorded: the indexer chose its reader by the name too.
  std::string content_type = original_content_type(relative);
  if (content_type.empty()) return std::nullopt;
  return OriginalFile{file, size, std::move(content_type)};
}

}  // namespace lupa::searchd
