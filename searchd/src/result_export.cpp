#include "lupa/searchd/result_export.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/Timestamp.h>

#include <sstream>
#include <string_view>

#include "lupa/searchd/markup_escape.h"

namespace lupa::searchd {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// Export column -> stored field, where they differ. `plans` etc. are lists.
const std::vector<std::string> kColumns = {
    "id",        "doc",        "title",          "heading",     "kind",
    "type",      "plans",      "country",        "date",        "lang",
    "page",      "paragraph",  "section",        "source",      "confidence",
    "challenge", "themes",     "agencies",       "responsible", "organizations",
    "status",    "commitment", "translation_id", "indexed_at",  "text"};

bool is_list(const Poco::Dynamic::Var& value) {
  return value.type() == typeid(Array::Ptr);
}

// A cell's text: lists joined with " | ", the commitment as its OGP id or number and title.
std::string cell_text(const Object::Ptr& stored, const std::string& column) {
  if (!stored->has(column) || stored->isNull(column)) return "";
  if (column == "commitment") {
    const Object::Ptr commitment = stored->getObject("commitment");
    const std::string ogp = commitment->optValue<std::string>("ogp_id", "");
    return ogp.empty() ? commitment->optValue<std::string>("title", "") : ogp;
  }
  const Poco::Dynamic::Var value = stored->get(column);
  if (!is_list(value)) return value.convert<std::string>();
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

std::string rfc3339(double unix_seconds) {
  const Poco::Timestamp when =
      Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(unix_seconds));
  return Poco::DateTimeFormatter::format(when, Poco::DateTimeFormat::ISO8601_FORMAT);
}

}  // namespace

const std::vector<std::string>& export_columns() {
  return kColumns;
}

void CsvWriter::begin() {
  out_ << "\xEF\xBB\xBF";
  for (std::size_t i = 0; i < kColumns.size(); ++i) out_ << (i ? "," : "") << kColumns[i];
  out_ << "\r\n";
}

void CsvWriter::passage(const Object::Ptr& stored) {
  for (std::size_t i = 0; i < kColumns.size(); ++i) {
    if (i) out_ << ',';
    write_csv_field(out_, cell_text(stored, kColumns[i]));
  }
  out_ << "\r\n";
}

void JsonLinesArrayWriter::passage(const Object::Ptr& stored) {
  Object row(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const std::string& column : kColumns) {
    if (column == "commitment") {
      const std::string text = cell_text(stored, column);
      row.set(column, text.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(text));
    } else {
      row.set(column, stored->has(column) ? stored->get(column) : Poco::Dynamic::Var());
    }
  }
  out_ << (first_ ? "" : ",\n");
  row.stringify(out_);
  first_ = false;
}

void write_atom_feed(std::ostream& out, const FeedDescription& feed,
                     const std::vector<Object::Ptr>& passages) {
  double newest = 0;
  for (const Object::Ptr& passage : passages)
    newest = std::max(newest, passage->optValue<double>("indexed_at", 0));
  out << "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      << "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
      << "  <title>" << escape_markup(feed.title) << "</title>\n"
      << "  <id>" << escape_markup(feed.self_url) << "</id>\n"
      << "  <link rel=\"self\" href=\"" << escape_markup(feed.self_url) << "\"/>\n"
      << "  <updated>" << rfc3339(newest) << "</updated>\n"
      << "  <author><name>Lupa</name></author>\n";
  for (const Object::Ptr& passage : passages) {
    const std::string id = passage->optValue<std::string>("id", "");
    std::string title = passage->optValue<std::string>("title", "");
    const std::string heading = passage->optValue<std::string>("heading", "");
    if (!heading.empty()) title += " \xE2\x80\x94 " + heading;
    std::string summary = passage->optValue<std::string>("text", "");
    if (summary.size() > 600) {
      std::size_t cut = 600;
      while (cut > 0 && (static_cast<unsigned char>(summary[cut]) & 0xC0) == 0x80) --cut;
      summary = summary.substr(0, cut) + "\xE2\x80\xA6";
    }
    out << "  <entry>\n"
        << "    <id>" << escape_markup(feed.site_url + "/api/passages/" + id) << "</id>\n"
        << "    <title>" << escape_markup(title) << "</title>\n"
        << "    <link href=\"" << escape_markup(feed.site_url + "/api/passages/" + id) << "\"/>\n"
        << "    <updated>" << rfc3339(passage->optValue<double>("indexed_at", 0)) << "</updated>\n"
        << "    <summary xml:lang=\"" << escape_markup(passage->optValue<std::string>("lang", ""))
        << "\">" << escape_markup(summary) << "</summary>\n"
        << "  </entry>\n";
  }
  out << "</feed>\n";
}

}  // namespace lupa::searchd
