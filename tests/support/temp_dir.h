// A temporary folder removed with everything in it when the object goes out of scope.
#pragma once

#include <filesystem>
#include <string>

namespace lupa::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  /// Writes `content` to `relative` (creating folders) and returns the full path.
  std::filesystem::path write(const std::string& relative, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

/// The repository's own folders and the built programs.
std::filesystem::path source_dir();
std::filesystem::path corpus_dir();
std::filesystem::path program(const std::string& name);  ///< build/bin/NAME

/// The whole content of a file.
std::string read_file(const std::filesystem::path& path);

}  // namespace lupa::testing
