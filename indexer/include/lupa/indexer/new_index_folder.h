// Where a run that starts from nothing builds its index: a hidden folder inside the index
// folder, moved into place once committed.
//
// A run into an existing database is one Xapian transaction, so readers see all of it or none.
// Xapian 1.4 keeps every value change of a transaction in memory until it commits (about
// 1.5 KB a passage for Lupa's values: 1.6 GB at a million passages). A run from nothing has
// no previous index to keep whole, only readers to keep out: it builds in a folder no reader
// opens, commits as it goes (so memory stays bounded), and publishes the result by moving it
// into the index folder, the file that makes it a database (`iamglass`, or a sharded layout's
// stub) last. A run killed before that leaves the index folder without a database, as it was;
// the next run removes what it left (docs/architecture.md, "A first run builds out of sight").
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace lupa::indexer {

/// Whether `name`, an entry of an index folder that holds no database, is something a run
/// from nothing left behind when it was killed (its hidden build folder, or part of a database
/// it was publishing), which the next run from nothing may remove.
bool left_by_unfinished_first_run(std::string_view name);

/// The build folder of one run from nothing, inside the index folder `index_folder`, which it
/// creates if missing. Holds an exclusive lock on the index folder for its lifetime: a second
/// run from nothing into it fails at once rather than after its work. Removes what killed runs
/// left (left_by_unfinished_first_run) when made, and its own folder when destroyed unless
/// published.
class NewIndexFolder {
 public:
  /// Throws std::runtime_error naming `index_folder` when another run holds it, or when it
  /// cannot be made or locked.
  explicit NewIndexFolder(std::filesystem::path index_folder);
  ~NewIndexFolder();
  NewIndexFolder(const NewIndexFolder&) = delete;
  NewIndexFolder& operator=(const NewIndexFolder&) = delete;

  /// Where the run builds: the index folder's layout, relative to this.
  const std::filesystem::path& path() const { return building_; }

  /// Makes everything in `built` (path() or a folder inside it) durable, then moves it into the
  /// index folder, `marker_name` (the entry whose presence makes the folder a database) last.
  /// Every database in the build folder must be closed. Throws std::runtime_error naming the
  /// folder when it fails; the index folder then holds no database, and the next run starts
  /// again.
  void publish(const std::filesystem::path& built, std::string_view marker_name);

 private:
  std::filesystem::path index_folder_;
  std::filesystem::path building_;
  int lock_descriptor_ = -1;
  bool published_ = false;
};

}  // namespace lupa::indexer
