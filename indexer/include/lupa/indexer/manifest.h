// Reads a corpus folder's manifest.json: metadata for the documents in that folder.
// Format: docs/corpus-manifest.md. A document without an entry is indexed with inferred metadata.
//
// Reading is lenient and loud: a problem costs the field (or the entry) at fault, never the
// folder, and every problem of a manifest is reported, each naming the entry and the field.
// - Warnings: a well-formed country code that countries.tsv does not list, or a well-formed
//   plan id ReferenceData::plan() does not know (a country not listed, years it refuses). The
//   value is kept as given: the operator knows a member or plan the data files do not yet.
// - Errors for a field: a malformed value (a date not ISO, a plan not `<cc>-<yyyy>-<yyyy>`, an
//   unknown type or language code, a country not two lower-case letters, a value of the wrong
//   JSON type). The field is ignored, so it is inferred from the content as if absent.
// - Errors for an entry: not an object, no "file", a file listed again. The entry is ignored.
// - Errors for the whole manifest: it cannot be read, is not JSON, not an object, or has no
//   "documents" list. Then it gives no entries at all (`readable` is false).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "lupa/indexer/document.h"

namespace lupa::indexer {

inline constexpr const char* kManifestFileName = "manifest.json";

/// One problem of a manifest.
struct ManifestProblem {
  enum class Severity { kWarning, kError };
  Severity severity = Severity::kError;
  /// The entry at fault: its position in "documents" and its file (empty when it has none);
  /// nullopt for a problem of the manifest as a whole.
  std::optional<std::size_t> entry;
  std::string file;
  std::string field;    ///< the field at fault ("date"); empty for a whole entry or manifest
  std::string message;  ///< what is wrong and what was done about it

  /// "documents[1] (b.txt): date '20/09/2011' is not YYYY, YYYY-MM or YYYY-MM-DD; ignored, ..."
  /// (without the manifest's path, which the caller shows its own way).
  std::string describe() const;
  bool is_error() const { return severity == Severity::kError; }
};

/// A manifest as read: the entries it gives and every problem found on the way.
struct Manifest {
  /// Usable entries, keyed by file name relative to the manifest's folder; fields at fault
  /// are left empty (to be inferred), entries at fault are left out.
  std::map<std::string, DocumentMetadata> entries;
  /// The position in "documents" of each entry of `entries`, by file name.
  std::map<std::string, std::size_t> positions;
  std::vector<ManifestProblem> problems;  ///< in the order of the manifest
  /// False when the manifest could not be read at all (see above): no entry is known.
  bool readable = true;

  bool has_errors() const;
};

/// Reads the manifest at `path`. Never throws for what the file holds: see Manifest.
Manifest read_manifest(const std::filesystem::path& path);

class ManifestError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The entries of the manifest at `path` when it has no error (warnings are allowed); for
/// tools and tests that want a manifest exactly right. Throws ManifestError naming the file
/// and listing every error, one per line.
std::map<std::string, DocumentMetadata> load_manifest(const std::filesystem::path& path);

}  // namespace lupa::indexer
