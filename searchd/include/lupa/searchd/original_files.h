// The indexed documents' own files, served read-only so that a reader can check a passage
// against its source (`/files/{passage id}`).
//
// A passage records its document as "<corpus folder name>/<relative path>" (docs/schema.md),
// which is all this knows: the daemon is told the corpus folders (--corpus), and a document
// path resolves to a file only when its first component names one of them, its relative path
// has no "..", "." or empty component, and the file, with every symbolic link resolved, is a
// regular file inside that folder, of a kind the indexer reads, and no larger than
// kMaxOriginalBytes. Nothing else is ever resolved: the path comes from the index's own record
// (the caller looks it up by passage id), never from the client.
//
// Thread safety: const after construction; find() reads the file system only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lupa::searchd {

/// Larger files are not served: the answer must be sent within --stream-time-limit.
inline constexpr std::uintmax_t kMaxOriginalBytes = 200ull << 20;

struct OriginalFile {
  std::filesystem::path path;  ///< canonical
  std::uintmax_t size = 0;
  std::string content_type;  ///< from the extension: PDF, plain text, HTML or an image type
};

class OriginalFiles {
 public:
  OriginalFiles() = default;
  /// Throws std::invalid_argument when a folder is not a directory or two share a name (a
  /// document path could not tell them apart).
  explicit OriginalFiles(const std::vector<std::filesystem::path>& corpus_folders);

  /// Whether any corpus folder was given: without one, no file is ever served.
  bool enabled() const { return !folders_.empty(); }

  /// The file of `document_path`, or nullopt under every rule of this header's comment.
  std::optional<OriginalFile> find(std::string_view document_path) const;

 private:
  struct Folder {
    std::string name;
    std::filesystem::path root;  ///< canonical
  };
  std::vector<Folder> folders_;
};

/// The Content-Type a served file of this name gets; empty for a kind not served.
std::string original_content_type(const std::filesystem::path& file);

}  // namespace lupa::searchd
