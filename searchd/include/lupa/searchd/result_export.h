// The whole result set of a search as CSV or JSON for researchers, written passage by passage
// so that an export of every match never sits in memory; and an Atom feed of a search's newest
// passages, so that people hear when a new plan or report mentions what they follow.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "lupa/analyzers/passage_record.h"
#include "lupa/analyzers/schema.h"

namespace lupa::searchd {

/// The columns of an export, one per stored field a researcher compares by: `id, doc, title,
/// heading, kind, type, plans, country, date, lang, page, paragraph, section, source,
/// confidence, challenge, themes, agencies, responsible, organizations, status, commitment,
/// translation_id, indexed_at`, then the field of every facet of `table` that is none of
/// these (a facet appended to the standard table), in table order, then `text`. The columns
/// named after a facet's field hold that facet's values; `commitment` is the commitment's own
/// OGP id, else its title, and empty for passages that are no commitment.
std::vector<std::string> export_columns(schema::FacetTable table = schema::standard_facets());

class ResultWriter {
 public:
  virtual ~ResultWriter() = default;
  virtual void begin() = 0;
  virtual void passage(const schema::PassageRecord& record) = 0;
  virtual void end() = 0;
};

/// RFC 4180 CSV with a header row, UTF-8 with a byte order mark (spreadsheets need it to read
/// accents), CRLF line ends, lists joined with " | ". A cell that begins with =, +, -, @, tab
/// or carriage return is written with a leading apostrophe, so that no spreadsheet runs it as
/// a formula (the JSON export keeps every value as it is).
class CsvWriter final : public ResultWriter {
 public:
  /// `table`: the facets whose fields are columns; copied.
  explicit CsvWriter(std::ostream& out, schema::FacetTable table = schema::standard_facets())
      : out_(out), table_(table.begin(), table.end()) {}
  void begin() override;
  void passage(const schema::PassageRecord& record) override;
  void end() override {}

 private:
  std::ostream& out_;
  std::vector<schema::Facet> table_;
};

/// A JSON array of objects with the export columns, one object per line: lists as arrays,
/// single-valued facets as a value or null, numbers as numbers.
class JsonLinesArrayWriter final : public ResultWriter {
 public:
  /// `table`: the facets whose fields are columns; copied.
  explicit JsonLinesArrayWriter(std::ostream& out,
                                schema::FacetTable table = schema::standard_facets())
      : out_(out), table_(table.begin(), table.end()), columns_(export_columns(table)) {}
  void begin() override { out_ << "[\n"; }
  void passage(const schema::PassageRecord& record) override;
  void end() override { out_ << (first_ ? "]\n" : "\n]\n"); }

 private:
  std::ostream& out_;
  std::vector<schema::Facet> table_;
  std::vector<std::string> columns_;
  bool first_ = true;
};

struct FeedDescription {
  std::string title;     ///< "Lupa: transparencia (agency mx-sfp)"
  std::string self_url;  ///< the feed's own URL, also its id
  std::string site_url;  ///< where the feed's links point (the daemon's base URL)
};

/// An Atom 1.0 feed of `passages` (newest first), each entry dated by when it was indexed.
void write_atom_feed(std::ostream& out, const FeedDescription& feed,
                     const std::vector<schema::PassageRecord>& passages);

}  // namespace lupa::searchd
