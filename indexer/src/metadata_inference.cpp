#include "lupa/indexer/metadata_inference.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <regex>

#include "lupa/analyzers/reference_data.h"
#include "lupa/analyzers/text_normalizer.h"

namespace lupa::indexer {
namespace {

// Dates and countries are looked for near the start, where title pages put them.
constexpr std::size_t kOpeningBytes = 6000;

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

std::string first_line(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == text.npos) end = text.size();
    std::string line(text.substr(start, end - start));
    line.erase(0, line.find_first_not_of(" \t#"));
    if (!line.empty() && line.size() <= 200) return line;
    start = end + 1;
  }
  return {};
}

}  // namespace

std::optional<std::string> find_first_date(std::string_view text) {
  const std::string folded = analyzers::fold_for_matching(text.substr(0, kOpeningBytes));
  static const std::regex kDate(
      R"((\d{1,2})\s+de\s+([a-z]+)\s+(?:de|del)\s+(\d{4}))"  // 20 de septiembre de 2011
      R"(|(\d{1,2})\s+([a-z]+)\s+(\d{4}))"                   // 14 december 2012
      R"(|([a-z]+)\s+(\d{1,2}),?\s+(\d{4}))"                 // december 14, 2012
      R"(|(\d{4})-(\d{2})-(\d{2}))");                        // 2012-12-14
  for (std::sregex_iterator it(folded.begin(), folded.end(), kDate), end; it != end; ++it) {
    const std::smatch& m = *it;
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
  }
  return std::nullopt;
}

DocumentMetadata complete_metadata(DocumentMetadata metadata, std::string_view text,
                                   const std::optional<std::string>& source_title,
                                   const std::vector<Passage>& passages,
                                   std::vector<std::string>& inferred) {
  const auto& reference = analyzers::ReferenceData::instance();
  if (!metadata.title) {
    metadata.title = source_title ? *source_title : first_line(text);
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
  const std::string opening = *metadata.title + "\n" + std::string(text.substr(0, kOpeningBytes));
  if (!metadata.date) {
    metadata.date = find_first_date(opening);
    if (metadata.date) inferred.push_back("date=" + *metadata.date);
  }
  if (!metadata.country) {
    metadata.country = reference.infer_country(opening);
    if (metadata.country) inferred.push_back("country=" + *metadata.country);
  }
  if (!metadata.type) {
    metadata.type = reference.infer_document_type(*metadata.title);
    inferred.push_back("type=" + *metadata.type);
  }
  if (metadata.plans.empty() && metadata.country) {
    auto plan = reference.infer_plan(*metadata.country, *metadata.title, std::nullopt);
    if (!plan) plan = reference.infer_plan(*metadata.country, opening, metadata.year());
    if (plan) {
      metadata.plans.push_back(*plan);
      inferred.push_back("plan=" + *plan);
    }
  }
  return metadata;
}

}  // namespace lupa::indexer
