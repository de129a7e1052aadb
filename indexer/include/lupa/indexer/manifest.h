// Reads a corpus folder's manifest.json: metadata for the documents in that folder.
// Format: docs/corpus-manifest.md. A document without an entry is indexed with inferred metadata.
#pragma once

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

#include "lupa/indexer/document.h"

namespace lupa::indexer {

inline constexpr const char* kManifestFileName = "manifest.json";

class ManifestError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Entries of the manifest at `path`, keyed by file name relative to the manifest's folder.
/// Throws ManifestError naming the file, and the entry and field at fault.
std::map<std::string, DocumentMetadata> load_manifest(const std::filesystem::path& path);

}  // namespace lupa::indexer
