#include "lupa/indexer/metadata_inference.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <regex>

#include "lupa/analyzers/reference_data.h"
#include "lupa/analyzers/text_normalizer.h"

namespace lupa::indexer {
namespace {

// The title page: where a report's stage and a plan's number are read when the title does not
// give them. Further on, a report names other reports and plans ("the IRM's design report").
constexpr std::size_t kTitlePageBytes = 1500;

const analyzers::ReferenceData& reference() {
  return analyzers::ReferenceData::instance();
}

int month_number(const std::string& name) {
  static const std::map<std::string, int> kMonths = {
      {"enero", 1},    {"febrero", 2},    {"marzo", 3},      {"abril", 4},      {"mayo", 5},
      {"junio", 6},    {"julio", 7},      {"agosto", 8},     {"septiembre", 9}, {"setiembre", 9},
      {"octubre", 10}, {"noviembre", 11}, {"diciembre", 12}, {"january", 1},    {"february", 2},
      {"march", 3},    {"april", 4},      {"may", 5},        {"june", 6},       {"july", 7},
      {"august", 8},   {"september", 9},  {"october", 10},   {"november", 11},  {"december", 12}};
  auto found = kMonths.find(name);
  return found == kMonths.end() ? 0 : found->second;
}

std::string iso_date(int year, int month, int day) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  return buffer;
}

// The first `bytes` of `text`, cut at a character boundary.
std::string_view prefix(std::string_view text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) --bytes;
  return text.substr(0, bytes);
}

std::string_view trim(std::string_view text) {
  const std::size_t start = text.find_first_not_of(" \t\r\f\v");
  if (start == std::string_view::npos) return {};
  const std::size_t end = text.find_last_not_of(" \t\r\f\v");
  return text.substr(start, end - start + 1);
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(trim(text.substr(start, end - start)));
    start = end + 1;
  }
  return lines;
}

int count_words(std::string_view line) {
  int words = 0;
  bool in_word = false;
  for (const char c : line) {
    const bool space = c == ' ' || c == '\t';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

bool is_list_item(std::string_view line) {
  return line.starts_with("- ") || line.starts_with("* ") ||
         line.starts_with("\xE2\x80\xA2") /* • */ || line.starts_with("\xE2\x80\x93 ") /* – */ ||
         line.starts_with("\xE2\x80\x94 ") /* — */ || line.starts_with("\xC2\xB7") /* · */;
}

// A line that a reader would take for the document's title, or for a part of it: not page
// chrome, a number, a date or a link (page-chrome.tsv); not a list item, a table row, a field
// label, an entry of a table of contents or a sentence of the text.
std::optional<std::string_view> title_line(std::string_view line) {
  while (line.starts_with('#')) line.remove_prefix(1);  // a markdown heading
  line = trim(line);
  if (line.empty() || is_list_item(line) || line.find('\t') != line.npos) return std::nullopt;
  if (line.ends_with(':') || line.find("....") != line.npos || line.find(". . .") != line.npos)
    return std::nullopt;
  const int words = count_words(line);
  if (words > 25 || (line.ends_with('.') && words > 8)) return std::nullopt;
  const auto letters = std::count_if(line.begin(), line.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || (static_cast<unsigned char>(c) & 0x80);
  });
  if (letters < 2 || reference().is_never_title(line)) return std::nullopt;
  return line;
}

// Whether `line` says what kind of document it heads: a type of document-types.tsv or a
// report stage.
bool names_a_kind(std::string_view line) {
  return reference().document_type_of_title(line) || reference().report_stage_named_in(line);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Whether `line` writes a year of this century ("2019", "2023–2027"), a number of its own.
bool has_year(std::string_view line) {
  for (std::size_t at = line.find("20"); at != std::string_view::npos; at = line.find("20", at + 1))
    if (at + 4 <= line.size() && is_digit(line[at + 2]) && is_digit(line[at + 3]) &&
        (at == 0 || !is_digit(line[at - 1])) && (at + 4 == line.size() || !is_digit(line[at + 4])))
      return true;
  return false;
}

// Whether `line` says whose or which document it is: a country or a year.
bool names_whose(std::string_view line) {
  return has_year(line) || reference().infer_country(line);
}

// An issuer's name on a cover ("REPUBLIC OF KENYA", "Gobierno de la República de Colombia")
// is short; a title that names no kind of document may be long ("Balance de la Alianza para
// el Gobierno Abierto en México").
constexpr int kMaxIssuerWords = 6;

// The title lines at the start of `text`: the first title line, with the next line when the
// two make one title block (see metadata_inference.h).
std::string title_from_text(std::string_view text) {
  const std::vector<std::string_view> lines = lines_of(prefix(text, kOpeningBytes));
  // A line that the next one continues in lower case is the start of a wrapped sentence.
  const auto continued = [&](std::size_t i) {
    return i + 1 < lines.size() && !lines[i + 1].empty() &&
           std::islower(static_cast<unsigned char>(lines[i + 1].front()));
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto first = title_line(lines[i]);
    if (!first || continued(i)) continue;
    std::size_t next = i + 1;
    while (next < lines.size() && lines[next].empty()) ++next;
    // The second line of a title block ends its paragraph: the first line of a paragraph
    // under a heading does not make a title with it.
    const bool ends_block = next + 1 >= lines.size() || lines[next + 1].empty();
    const auto second = next < lines.size() && ends_block ? title_line(lines[next]) : std::nullopt;
    if (second) {
      // "REPUBLIC OF KENYA" / "Kenya Fifth National Action Plan 2023-2027": the issuer, a
      // few words, then the title.
      if (count_words(*first) <= kMaxIssuerWords && !names_a_kind(*first) && names_a_kind(*second))
        return std::string(*second);
      // "Independent Reporting Mechanism (IRM)" / "Action Plan Review: Kenya 2023–2027": a
      // series, then the document of it.
      if (names_a_kind(*first) && !names_whose(*first) && names_whose(*second))
        return std::string(*first) + ": " + std::string(*second);
    }
    return std::string(*first);
  }
  return {};
}

std::optional<std::string> infer_plan_of(std::string_view country, std::string_view title,
                                         std::string_view opening, std::optional<int> year) {
  const auto& data = reference();
  // A report names the plan it assesses in its title: that period wins over any other.
  if (auto written = data.plans_written_in(country, title); !written.empty())
    return written.front();
  if (auto numbered = data.plan_numbered_in(country, title)) return numbered;
  for (const std::string& id : data.plans_written_in(country, opening))
    if (data.find_plan(id)) return id;
  // A period no row knows counts where a line names a plan or a report ("Action Plan: Spain
  // Action Plan 2020-2024", "Action plan under review: 2023-2027"), not in any sentence.
  for (const std::string_view line : lines_of(opening)) {
    if (!has_year(line)) continue;
    if (auto written = data.plans_written_in(country, line); !written.empty() && names_a_kind(line))
      return written.front();
  }
  if (auto numbered = data.plan_numbered_in(country, prefix(opening, kTitlePageBytes)))
    return numbered;
  return data.infer_plan(country, "", year);
}

// A byte a written date may hold past its first: a digit, a letter, a space, ',' or '-'. Any
// other byte may only open one (the `\D` before the day), so no date spans it.
bool may_continue_date(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return std::isdigit(byte) || (c >= 'a' && c <= 'z') || std::isspace(byte) || c == ',' || c == '-';
}

// The date a match of `kDate` in find_first_date writes, if it is one.
std::optional<std::string> date_of(const std::smatch& m) {
  int day = 0, month = 0, year = 0;
  if (m[1].matched) {
    day = std::stoi(m[1]), month = month_number(m[2]), year = std::stoi(m[3]);
  } else if (m[4].matched) {
    day = std::stoi(m[4]), month = month_number(m[5]), year = std::stoi(m[6]);
  } else if (m[7].matched) {
    month = month_number(m[7]), day = std::stoi(m[8]), year = std::stoi(m[9]);
  } else {
    year = std::stoi(m[10]), month = std::stoi(m[11]), day = std::stoi(m[12]);
  }
  if (month >= 1 && month <= 12 && day >= 1 && day <= 31 && year >= 1990 && year <= 2100)
    return iso_date(year, month, day);
  return std::nullopt;
}

bool has_four_digits(std::string_view run) {
  int digits = 0;
  for (const char c : run)
    if ((digits = std::isdigit(static_cast<unsigned char>(c)) ? digits + 1 : 0) == 4) return true;
  return false;
}

}  // namespace

std::optional<std::string> find_first_date(std::string_view text) {
  const std::string folded = analyzers::fold_for_matching(prefix(text, kOpeningBytes));
  // A day is no number's last digits: "2020<tab>diciembre 2020" in a table is not the 20th.
  static const std::regex kDate(
      R"((?:^|\D)(\d{1,2})\s+de\s+([a-z]+)\s+(?:de|del)\s+(\d{4}))"  // 20 de septiembre de 2011
      R"(|(?:^|\D)(\d{1,2})\s+([a-z]+)\s+(\d{4}))"                   // 14 december 2012
      R"(|([a-z]+)\s+(\d{1,2}),?\s+(\d{4}))"                         // december 14, 2012
      R"(|(\d{4})-(\d{2})-(\d{2}))");                                // 2012-12-14
  // The regular expression is tried only on the runs of bytes a date may span that hold a year
  // (every form has four digits in a row), each with the byte before it: the same matches, in
  // the same order, as over the whole text, for a fraction of the work.
  for (std::size_t run_start = 0; run_start < folded.size();) {
    std::size_t run_end = run_start + 1;  // the first byte may be the `\D` before a day
    while (run_end < folded.size() && may_continue_date(folded[run_end])) ++run_end;
    if (has_four_digits(std::string_view(folded).substr(run_start, run_end - run_start))) {
      auto from = folded.cbegin() + static_cast<std::ptrdiff_t>(run_start);
      const auto to = folded.cbegin() + static_cast<std::ptrdiff_t>(run_end);
      std::smatch m;
      while (from != to &&
             std::regex_search(from, to, m, kDate,
                               from == folded.cbegin() ? std::regex_constants::match_default
                                                       : std::regex_constants::match_prev_avail)) {
        if (auto date = date_of(m)) return date;
        from = m[0].second;
      }
    }
    run_start = run_end;
  }
  return std::nullopt;
}

std::string infer_title(std::string_view text, const std::optional<std::string>& source_title) {
  if (source_title) {
    std::string title = reference().without_site_name(*source_title);
    if (!title.empty() && !reference().is_never_title(title)) return title;
  }
  return title_from_text(text);
}

std::optional<std::string> infer_document_country(std::string_view title, std::string_view text) {
  const auto& data = reference();
  if (auto named = data.infer_country(title)) return named;
  const std::string_view opening = prefix(text, kCountryBytes);
  if (auto by_ids = data.country_of_commitment_ids(opening)) return by_ids;
  // OGP's address in Washington, DC, in an IRM report's licence notice says nothing of the
  // report's country.
  return data.infer_country_outside_imprints(opening);
}

DocumentMetadata complete_metadata(DocumentMetadata metadata, std::string_view text,
                                   const std::optional<std::string>& source_title,
                                   const std::vector<Passage>& passages,
                                   std::vector<std::string>& inferred) {
  const auto& data = reference();
  if (!metadata.title) {
    metadata.title = infer_title(text, source_title);
    inferred.push_back("title=" + *metadata.title);
  }
  if (metadata.languages.empty()) {
    std::map<std::string, std::size_t> bytes;
    std::size_t total = 0;
    for (const Passage& passage : passages) {
      bytes[passage.language] += passage.text.size();
      total += passage.text.size();
    }
    std::vector<std::pair<std::size_t, std::string>> shares;
    for (const auto& [language, size] : bytes)
      if (size * 100 >= total * 15) shares.emplace_back(size, language);  // at least 15 %
    std::sort(shares.rbegin(), shares.rend());
    std::string listed;
    for (const auto& share : shares) {
      metadata.languages.push_back(share.second);
      listed += (listed.empty() ? "" : ",") + share.second;
    }
    if (!listed.empty()) inferred.push_back("languages=" + listed);
  }
  const std::string_view title = *metadata.title;
  const std::string_view opening = prefix(text, kOpeningBytes);
  if (!metadata.date) {
    metadata.date = find_first_date(std::string(title) + "\n" + std::string(opening));
    if (metadata.date) inferred.push_back("date=" + *metadata.date);
  }
  if (!metadata.country) {
    metadata.country = infer_document_country(title, text);
    if (metadata.country) inferred.push_back("country=" + *metadata.country);
  }
  if (!metadata.type) {
    // The HTML title as the page gives it says whose site it is on ("… | Open Government
    // Partnership"): evidence of the type, although not part of the title.
    auto type = data.document_type_of_title(title);
    if (!type && source_title) type = data.document_type_of_title(*source_title);
    if (!type) type = data.infer_document_type(title, opening);
    metadata.type = *type;
    inferred.push_back("type=" + *metadata.type);
  }
  if (!metadata.report_stage && data.type_has_stage(*metadata.type)) {
    metadata.report_stage = data.report_stage_named_in(title);
    if (!metadata.report_stage)
      metadata.report_stage = data.report_stage_named_in(prefix(opening, kTitlePageBytes));
    if (metadata.report_stage) inferred.push_back("report_stage=" + *metadata.report_stage);
  }
  if (metadata.plans.empty() && metadata.country) {
    if (auto plan = infer_plan_of(*metadata.country, title, opening, metadata.year())) {
      metadata.plans.push_back(*plan);
      inferred.push_back("plan=" + *plan);
    }
  }
  return metadata;
}

}  // namespace lupa::indexer
