// The whole result set of a search as CSV or JSON for researchers, written passage by passage
// so that an export of every match never sits in memory; and an Atom feed of a search's newest
// passages, so that people hear when a new plan or report mentions what they follow.
#pragma once

#include <Poco/JSON/Object.h>

#include <ostream>
#include <string>
#include <vector>

namespace lupa::searchd {

/// The columns of an export, one per stored field a researcher compares by: identity and
/// place, every facet field, then the text. Lists are joined with " | " in CSV.
const std::vector<std::string>& export_columns();

class ResultWriter {
 public:
  virtual ~ResultWriter() = default;
  virtual void begin() = 0;
  virtual void passage(const Poco::JSON::Object::Ptr& stored) = 0;
  virtual void end() = 0;
};

/// RFC 4180 CSV with a header row, UTF-8 with a byte order mark (spreadsheets need it to read
/// accents), CRLF line ends. A cell that begins with =, +, -, @, tab or carriage return is
/// written with a leading apostrophe, so that no spreadsheet runs it as a formula (the JSON
/// export keeps every value as it is).
class CsvWriter final : public ResultWriter {
 public:
  explicit CsvWriter(std::ostream& out) : out_(out) {}
  void begin() override;
  void passage(const Poco::JSON::Object::Ptr& stored) override;
  void end() override {}

 private:
  std::ostream& out_;
};

/// A JSON array of objects with the export columns (lists as arrays), one object per line.
class JsonLinesArrayWriter final : public ResultWriter {
 public:
  explicit JsonLinesArrayWriter(std::ostream& out) : out_(out) {}
  void begin() override { out_ << "[\n"; }
  void passage(const Poco::JSON::Object::Ptr& stored) override;
  void end() override { out_ << (first_ ? "]\n" : "\n]\n"); }

 private:
  std::ostream& out_;
  bool first_ = true;
};

struct FeedDescription {
  std::string title;     ///< "Lupa: transparencia (agency mx-sfp)"
  std::string self_url;  ///< the feed's own URL, also its id
  std::string site_url;  ///< where the feed's links point (the daemon's base URL)
};

/// An Atom 1.0 feed of `passages` (newest first), each entry dated by when it was indexed.
void write_atom_feed(std::ostream& out, const FeedDescription& feed,
                     const std::vector<Poco::JSON::Object::Ptr>& passages);

}  // namespace lupa::searchd
