#include "lupa/indexer/new_index_folder.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace lupa::indexer {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kBuildFolderPrefix = ".lupa-new-";

std::runtime_error folder_error(const fs::path& folder, const std::string& what) {
  return std::runtime_error(folder.string() + ": " + what);
}

std::string errno_text() {
  return std::strerror(errno);
}

void sync_path(const fs::path& path) {
  const int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) throw folder_error(path, "cannot be opened to sync: " + errno_text());
  const int synced = ::fsync(descriptor);
  const int saved_errno = errno;
  ::close(descriptor);
  errno = saved_errno;
  if (synced != 0) throw folder_error(path, "cannot be synced: " + errno_text());
}

// Every file and folder under `folder`, and it: databases built with DB_NO_SYNC reach the disk
// here, before a rename can make them visible.
void sync_tree(const fs::path& folder) {
  for (const auto& entry : fs::recursive_directory_iterator(folder))
    if (entry.is_regular_file() || entry.is_directory()) sync_path(entry.path());
  sync_path(folder);
}

}  // namespace

bool left_by_unfinished_first_run(std::string_view name) {
  if (name.starts_with(kBuildFolderPrefix)) return true;
  // What Xapian's glass backend makes before its version file, `iamglass`, which makes the
  // folder a database: tables, lock file, the version file's temporary, changesets.
  if (name.ends_with(".glass") || name == "flintlock" || name == "v.tmp" ||
      name.starts_with("changes"))
    return true;
  // A sharded layout published up to, not including, its stub file.
  if (name == "XAPIANDB.new") return true;
  if (name.starts_with("shard-") && name.size() > 6) {
    for (char c : name.substr(6))
      if (c < '0' || c > '9') return false;
    return true;
  }
  return false;
}

NewIndexFolder::NewIndexFolder(fs::path index_folder) : index_folder_(std::move(index_folder)) {
  std::error_code error;
  fs::create_directories(index_folder_, error);
  if (error) throw folder_error(index_folder_, "cannot be made: " + error.message());
  lock_descriptor_ = ::open(index_folder_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (lock_descriptor_ < 0) throw folder_error(index_folder_, "cannot be opened: " + errno_text());
  if (::flock(lock_descriptor_, LOCK_EX | LOCK_NB) != 0) {
    const bool held = errno == EWOULDBLOCK;
    const std::string why = errno_text();
    ::close(lock_descriptor_);
    throw folder_error(index_folder_, held ? "another lupa-indexer is building an index here"
                                           : "cannot be locked: " + why);
  }
  // Holding the lock, no other run is building here: what such runs left is theirs, killed.
  try {
    for (const char* marker : {"iamglass", "XAPIANDB"})
      if (fs::exists(index_folder_ / marker))
        throw folder_error(index_folder_,
                           "holds a database already (made since the run began?); "
                           "run again to update it");
    for (const auto& entry : fs::directory_iterator(index_folder_))
      if (left_by_unfinished_first_run(entry.path().filename().string()))
        fs::remove_all(entry.path());
    std::string pattern = (index_folder_ / kBuildFolderPrefix).string() + "XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    if (::mkdtemp(name.data()) == nullptr)
      throw folder_error(index_folder_, "cannot make a folder to build in: " + errno_text());
    building_ = name.data();
  } catch (...) {
    ::close(lock_descriptor_);
    throw;
  }
}

NewIndexFolder::~NewIndexFolder() {
  if (!published_ && !building_.empty()) {
    std::error_code ignored;  // a leftover is removed by the next run
    fs::remove_all(building_, ignored);
  }
  ::close(lock_descriptor_);
}

void NewIndexFolder::publish(const fs::path& built, std::string_view marker_name) {
  try {
    sync_tree(built);
    std::vector<fs::path> entries;
    for (const auto& entry : fs::directory_iterator(built))
      if (entry.path().filename() != marker_name) entries.push_back(entry.path());
    for (const fs::path& entry : entries) fs::rename(entry, index_folder_ / entry.filename());
    // The entries on disk under their names before the marker makes them a database.
    sync_path(index_folder_);
    fs::rename(built / marker_name, index_folder_ / marker_name);
    sync_path(index_folder_);
    fs::remove_all(building_);
  } catch (const fs::filesystem_error& error) {
    throw folder_error(index_folder_, std::string("the new index cannot be moved into place (") +
                                          error.what() + ")");
  }
  published_ = true;
}

}  // namespace lupa::indexer
