#include "lupa/searchd/result_export.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string_view>

#include "facet_json.h"
#include "lupa/searchd/markup_escape.h"

namespace lupa::searchd {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

// The columns every export has had, in their order; `text` comes last, after the fields of
// facets appended to the standard table. Those named after a facet's field hold its values.
constexpr std::string_view kColumns[] = {
    "id",          "doc",           "title",      "heading",    "kind",           "type",
    "plans",       "country",       "date",       "lang",       "page",           "paragraph",
    "section",     "source",        "confidence", "challenge",  "themes",         "agencies",
    "responsible", "organizations", "status",     "commitment", "translation_id", "indexed_at"};
constexpr std::string_view kLastColumn = "text";
// The date the passage is about (docs/schema.md, "Passage dates"): added after the facets'
// columns, just before the text, so that every earlier column keeps its position.
constexpr std::string_view kPassageDateColumn = "passage_date";

bool is_fixed_column(std::string_view name) {
  return name == kLastColumn || name == kPassageDateColumn ||
         std::find(std::begin(kColumns), std::end(kColumns), name) != std::end(kColumns);
}

// A facet of `table` exported as a column of its own: one appended to the standard table,
// whose field is no column already.
bool is_added_column(const schema::Facet& facet) {
  return !facet.field.empty() && !is_fixed_column(facet.field);
}

// The facet whose field is `column`: the table's, else the standard table's, so that a table
// without one of the standard facets still gives every column.
const schema::Facet* facet_of_column(std::string_view column, schema::FacetTable table) {
  for (const schema::FacetTable each : {table, schema::standard_facets()})
    for (const schema::Facet& facet : each)
      if (facet.field == column) return &facet;
  return nullptr;
}

template <typename T>
Var or_null(const std::optional<T>& value) {
  return value ? Var(*value) : Var();
}

// The cell of a column that is no facet's field. `commitment` is the commitment's own OGP id,
// else its title (not the id the linker found, which the `commitment` facet filters by).
Var record_cell(std::string_view column, const schema::PassageRecord& record) {
  if (column == "id") return record.id;
  if (column == "doc") return record.doc;
  if (column == "title") return record.title;
  if (column == "heading") return record.heading;
  if (column == "date") return or_null(record.date);
  if (column == "page") return or_null(record.page);
  if (column == "paragraph") return or_null(record.paragraph);
  if (column == "section") return or_null(record.section);
  if (column == "source") return std::string(schema::to_string(record.source));
  if (column == "confidence") return or_null(record.confidence);
  if (column == "translation_id") return or_null(record.translation_id);
  if (column == "indexed_at") return record.indexed_at;
  if (column == "text") return record.text;
  if (column == kPassageDateColumn)
    return record.passage_date ? Var(record.passage_date->to_string()) : Var();
  if (column == "commitment" && record.commitment) {
    const schema::CommitmentRecord& commitment = *record.commitment;
    const std::string& shown = commitment.ogp_id.empty() ? commitment.title : commitment.ogp_id;
    return shown.empty() ? Var() : Var(shown);
  }
  return Var();
}

// One export row, in the order of export_columns(table).
std::vector<Var> row_values(const schema::PassageRecord& record, schema::FacetTable table) {
  std::vector<Var> row;
  for (const std::string_view column : kColumns) {
    const schema::Facet* facet = column == "commitment" ? nullptr : facet_of_column(column, table);
    row.push_back(facet ? facet_json_value(*facet, record) : record_cell(column, record));
  }
  for (const schema::Facet& facet : table)
    if (is_added_column(facet)) row.push_back(facet_json_value(facet, record));
  row.push_back(record_cell(kPassageDateColumn, record));
  row.push_back(record_cell(kLastColumn, record));
  return row;
}

// A cell's text: empty for null, lists joined with " | ".
std::string cell_text(const Var& value) {
  if (value.isEmpty()) return "";
  if (value.type() != typeid(Array::Ptr)) return value.convert<std::string>();
  std::string joined;
  const Array::Ptr list = value.extract<Array::Ptr>();
  for (std::size_t i = 0; i < list->size(); ++i)
    joined += (i ? " | " : "") + list->get(static_cast<unsigned>(i)).convert<std::string>();
  return joined;
}

// A spreadsheet runs a cell that starts with one of these as a formula, so a passage could
// make a researcher's spreadsheet compute or fetch (CSV injection). As OWASP advises, such a
// cell gets a leading apostrophe, which spreadsheets read as "this is text", and is quoted.
bool could_start_a_formula(const std::string& text) {
  return !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
}

void write_csv_field(std::ostream& out, const std::string& text) {
  const bool formula = could_start_a_formula(text);
  if (!formula && text.find_first_of(",\"\r\n") == std::string::npos) {
    out << text;
    return;
  }
  out << '"';
  if (formula) out << '\'';
  for (char c : text) {
    if (c == '"') out << '"';
    out << c;
  }
  out << '"';
}

std::string rfc3339(std::int64_t unix_seconds) {
  const Poco::Timestamp when =
      Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(unix_seconds));
  return Poco::DateTimeFormatter::format(when, Poco::DateTimeFormat::ISO8601_FORMAT);
}

}  // namespace

std::vector<std::string> export_columns(schema::FacetTable table) {
  std::vector<std::string> columns(std::begin(kColumns), std::end(kColumns));
  for (const schema::Facet& facet : table)
    if (is_added_column(facet)) columns.emplace_back(facet.field);
  columns.emplace_back(kPassageDateColumn);
  columns.emplace_back(kLastColumn);
  return columns;
}

void CsvWriter::begin() {
  out_ << "\xEF\xBB\xBF";
  const std::vector<std::string> columns = export_columns(table_);
  for (std::size_t i = 0; i < columns.size(); ++i) out_ << (i ? "," : "") << columns[i];
  out_ << "\r\n";
}

void CsvWriter::passage(const schema::PassageRecord& record) {
  const std::vector<Var> row = row_values(record, table_);
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i) out_ << ',';
    write_csv_field(out_, cell_text(row[i]));
  }
  out_ << "\r\n";
}

void JsonLinesArrayWriter::passage(const schema::PassageRecord& record) {
  const std::vector<Var> values = row_values(record, table_);
  Object row(Poco::JSON_PRESERVE_KEY_ORDER);
  for (std::size_t i = 0; i < values.size(); ++i) row.set(columns_[i], values[i]);
  out_ << (first_ ? "" : ",\n");
  row.stringify(out_);
  first_ = false;
}

void write_atom_feed(std::ostream& out, const FeedDescription& feed,
                     const std::vector<schema::PassageRecord>& passages) {
  std::int64_t newest = 0;
  for (const schema::PassageRecord& passage : passages)
    newest = std::max(newest, passage.indexed_at);
  out << "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      << "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
      << "  <title>" << escape_markup(feed.title) << "</title>\n"
      << "  <id>" << escape_markup(feed.self_url) << "</id>\n"
      << "  <link rel=\"self\" href=\"" << escape_markup(feed.self_url) << "\"/>\n"
      << "  <updated>" << rfc3339(newest) << "</updated>\n"
      << "  <author><name>Lupa</name></author>\n";
  for (const schema::PassageRecord& passage : passages) {
    std::string title = passage.title;
    if (!passage.heading.empty()) title += " \xE2\x80\x94 " + passage.heading;
    std::string summary = passage.text;
    if (summary.size() > 600) {
      std::size_t cut = 600;
      while (cut > 0 && (static_cast<unsigned char>(summary[cut]) & 0xC0) == 0x80) --cut;
      summary = summary.substr(0, cut) + "\xE2\x80\xA6";
    }
    const std::string link = feed.site_url + "/api/passages/" + passage.id;
    out << "  <entry>\n"
        << "    <id>" << escape_markup(link) << "</id>\n"
        << "    <title>" << escape_markup(title) << "</title>\n"
        << "    <link href=\"" << escape_markup(link) << "\"/>\n"
        << "    <updated>" << rfc3339(passage.indexed_at) << "</updated>\n"
        << "    <summary xml:lang=\"" << escape_markup(passage.lang) << "\">"
        << escape_markup(summary) << "</summary>\n"
        << "  </entry>\n";
  }
  out << "</feed>\n";
}

}  // namespace lupa::searchd
