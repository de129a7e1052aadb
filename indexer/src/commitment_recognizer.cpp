#include "lupa/indexer/commitment_recognizer.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <string_view>

#include "lupa/analyzers/phrase_matcher.h"
#include "lupa/analyzers/reference_data.h"
#include "lupa/analyzers/text_normalizer.h"
#include "lupa/indexer/segmenter.h"

namespace lupa::indexer {
namespace {

using analyzers::FieldRole;
using analyzers::ReferenceData;
using analyzers::TableRole;
using schema::PassageKind;

// A commitment's description after its fields runs until the next commitment or heading;
// past this size the rest stays in passages of its own.
constexpr std::size_t kMaxCommitmentBytes = 8000;
constexpr std::size_t kMaxTitleBytes = 160;

const ReferenceData& reference() {
  return ReferenceData::instance();
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::vector<std::string> split_cells(const std::string& line) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  for (;;) {
    const std::size_t tab = line.find('\t', start);
    std::string cell =
        line.substr(start, tab == std::string::npos ? std::string::npos : tab - start);
    while (!cell.empty() && cell.back() == ' ') cell.pop_back();
    while (!cell.empty() && cell.front() == ' ') cell.erase(0, 1);
    cells.push_back(std::move(cell));
    if (tab == std::string::npos) return cells;
    start = tab + 1;
  }
}

std::optional<std::vector<std::string>> match_rule(std::string_view rule, const std::string& line) {
  return reference().match_rule(rule, line);
}

// The heading levels of a passage ("III. Compromisos › Mejora de servicios públicos").
std::vector<std::string> heading_parts(const std::string& heading) {
  std::vector<std::string> parts;
  const std::string separator(kHeadingLevelSeparator);
  std::size_t start = 0;
  while (start <= heading.size()) {
    std::size_t end = heading.find(separator, start);
    if (end == std::string::npos) end = heading.size();
    if (end > start) parts.push_back(heading.substr(start, end - start));
    start = end + separator.size();
  }
  return parts;
}

std::string title_from(const std::string& text) {
  const std::size_t newline = text.find('\n');
  std::string first = text.substr(0, newline);
  if (first.size() <= kMaxTitleBytes) return first;
  const std::size_t sentence = first.find(". ");
  if (sentence != std::string::npos && sentence < kMaxTitleBytes)
    return first.substr(0, sentence + 1);
  std::size_t cut = first.rfind(' ', kMaxTitleBytes);
  if (cut == std::string::npos) cut = kMaxTitleBytes;
  return first.substr(0, cut) + "\xE2\x80\xA6";
}

// "Commitment No. 14: To develop..." -> "To develop...".
std::string text_after_number(const std::string& line) {
  std::size_t i = line.find_first_of("0123456789");
  if (i == std::string::npos) return line;
  while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) ++i;
  while (i < line.size() && (line[i] == ' ' || line[i] == ':' || line[i] == '.' || line[i] == '-'))
    ++i;
  return line.substr(i);
}

std::string strip_number(const std::string& line) {
  std::size_t i = 0;
  while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) ++i;
  if (i == 0 || i >= line.size() || (line[i] != '.' && line[i] != ')')) return line;
  ++i;
  while (i < line.size() && line[i] == ' ') ++i;
  return line.substr(i);
}

// "Label: value" lines whose label is a known field.
std::vector<std::pair<std::string, std::string>> field_lines(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> fields;
  for (const std::string& line : split_lines(text)) {
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0 || colon > 60) continue;
    if (const auto field = reference().find_field(line.substr(0, colon))) {
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      if (!value.empty()) fields.emplace_back(field->field, value);
    }
  }
  return fields;
}

std::vector<int> paragraph_references(const std::string& value) {
  std::vector<int> numbers;
  const std::regex& number = reference().rule("paragraph-reference");
  for (std::sregex_iterator it(value.begin(), value.end(), number), end; it != end; ++it)
    numbers.push_back(std::stoi((*it)[1]));
  return numbers;
}

// How the value of the field with id `field` is read (field-labels.tsv).
std::optional<FieldRole> role_of(const std::string& field) {
  return reference().field_role(field);
}

void apply_fields(Commitment& commitment, const std::string& text) {
  commitment.fields = field_lines(text);
  for (const auto& [field, value] : commitment.fields)
    if (role_of(field) == FieldRole::kParagraphReference)
      for (int number : paragraph_references(value))
        commitment.original_paragraphs.push_back(number);
}

bool has_responsible_field(const Commitment& commitment) {
  return std::any_of(commitment.fields.begin(), commitment.fields.end(), [](const auto& field) {
    return role_of(field.first) == FieldRole::kAgencyResponsible;
  });
}

// The document's own numbering of the OGP challenges (a table legend), when it has one.
std::map<int, std::string> challenge_legend(const std::vector<Passage>& passages) {
  std::map<int, std::string> legend;
  for (const Passage& passage : passages) {
    for (const std::string& line : split_lines(passage.text)) {
      // A legend line starts with the challenge's number (see the rule); test only those.
      const bool numbered = !line.empty() && std::isdigit(static_cast<unsigned char>(line[0]));
      if (!numbered || line.size() > 120) continue;
      const auto match = match_rule("challenge-legend", line);
      if (!match) continue;
      const auto found = reference().challenges().find_in((*match)[2]);
      if (found.size() == 1) legend[std::stoi((*match)[1])] = found.front();
    }
  }
  if (legend.size() < 3) legend.clear();  // two lines are not a legend
  return legend;
}

std::optional<std::string> challenge_for_cell(const std::string& cell,
                                              const std::map<int, std::string>& legend) {
  if (!cell.empty() &&
      std::all_of(cell.begin(), cell.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (cell.size() > 2) return std::nullopt;  // a challenge number has one digit
    const int number = std::stoi(cell);
    if (auto found = legend.find(number); found != legend.end()) return found->second;
    for (const auto& entry : reference().challenges().entries())
      if (entry.number == number) return entry.id;
    return std::nullopt;
  }
  if (const auto* entry = reference().challenges().resolve(cell)) return entry->id;
  return std::nullopt;
}

struct TableHeader {
  std::size_t line = 0;
  std::vector<std::optional<TableRole>> roles;  // per column
};

std::optional<TableHeader> find_table_header(const std::vector<std::string>& lines) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find('\t') == std::string::npos) continue;
    TableHeader header{i, {}};
    bool number = false, title = false;
    for (const std::string& cell : split_cells(lines[i])) {
      header.roles.push_back(reference().table_column_role(cell));
      number |= header.roles.back() == TableRole::kNumber;
      title |= header.roles.back() == TableRole::kTitle;
    }
    if (number && title) return header;
  }
  return std::nullopt;
}

// Splits passages holding a commitment table into the text around it and one commitment per row.
std::vector<Passage> expand_tables(std::vector<Passage> passages,
                                   const std::map<int, std::string>& legend) {
  std::vector<Passage> result;
  // Reserved: growing by doubling while the input is still held took three times the
  // passages' size at once on a huge file.
  result.reserve(passages.size());
  for (Passage& passage : passages) {
    const std::vector<std::string> lines = split_lines(passage.text);
    const auto header = find_table_header(lines);
    if (!header) {
      result.push_back(std::move(passage));
      continue;
    }
    const std::vector<std::string> header_cells = split_cells(lines[header->line]);
    Passage before = passage;
    before.text.clear();
    for (std::size_t i = 0; i <= header->line; ++i)
      before.text += (before.text.empty() ? "" : "\n") + lines[i];
    result.push_back(before);
    Passage after = passage;
    after.text.clear();
    for (std::size_t i = header->line + 1; i < lines.size(); ++i) {
      const std::vector<std::string> cells = split_cells(lines[i]);
      const bool row = cells.size() + 1 >= header->roles.size() && cells.size() > 1 &&
                       !cells[0].empty() && std::isdigit(static_cast<unsigned char>(cells[0][0]));
      if (!row) {
        after.text += (after.text.empty() ? "" : "\n") + lines[i];
        continue;
      }
      Passage commitment_passage = passage;
      commitment_passage.kind = PassageKind::kCommitment;
      commitment_passage.number.reset();
      Commitment commitment;
      std::string text;
      for (std::size_t c = 0; c < cells.size() && c < header->roles.size(); ++c) {
        const auto& role = header->roles[c];
        const std::string& cell = cells[c];
        text += header_cells[c] + ": " + cell + "\n";
        if (!role) continue;
        switch (*role) {
          case TableRole::kNumber:
            try {
              commitment.number = std::stoi(cell);
            } catch (const std::exception&) {
            }
            break;
          case TableRole::kTitle:
            commitment.title = cell;
            break;
          case TableRole::kOriginalNumber:
            commitment.fields.emplace_back("original_number", cell);
            break;
          case TableRole::kChallenge:
            if (auto challenge = challenge_for_cell(cell, legend))
              commitment_passage.challenges.push_back(*challenge);
            break;
          case TableRole::kStatus:
            if (const auto* status = reference().find_status(cell))
              commitment_passage.status = status->id;
            break;
        }
      }
      commitment_passage.text =
          (commitment.number ? std::to_string(*commitment.number) + ". " : "") + commitment.title +
          "\n" + text;
      while (!commitment_passage.text.empty() && commitment_passage.text.back() == '\n')
        commitment_passage.text.pop_back();
      commitment_passage.commitment = std::move(commitment);
      result.push_back(std::move(commitment_passage));
    }
    if (!after.text.empty()) result.push_back(std::move(after));
  }
  return result;
}

void mark_plan_commitments(std::vector<Passage>& passages) {
  bool in_section = false;
  std::string last_heading;
  for (Passage& passage : passages) {
    if (passage.heading != last_heading) {
      last_heading = passage.heading;
      for (const std::string& part : heading_parts(passage.heading)) {
        if (match_rule("commitments-section", part))
          in_section = true;
        else if (match_rule("roman-heading", part))
          in_section = false;
      }
    }
    if (!in_section || !passage.number || passage.kind == PassageKind::kCommitment) continue;
    passage.kind = PassageKind::kCommitment;
    Commitment commitment;
    commitment.number = passage.number;
    // A short first line is a title ("1. Open and responsible spending..."); otherwise the
    // paragraph's first sentence names the commitment.
    const std::string first_line = strip_number(passage.text.substr(0, passage.text.find('\n')));
    commitment.title = title_from(first_line);
    apply_fields(commitment, passage.text);
    passage.commitment = std::move(commitment);
  }
}

void mark_ogp_entries(std::vector<Passage>& passages, const DocumentMetadata& metadata) {
  std::map<std::string, int> count_in_plan;
  for (Passage& passage : passages) {
    if (!passage.number || passage.kind == PassageKind::kCommitment) continue;
    const std::vector<std::string> lines = split_lines(passage.text);
    if (lines.size() < 2) continue;
    const auto match = match_rule("ogp-entry", lines[1]);
    if (!match) continue;
    const std::string& country = (*match)[1];
    const int year = std::stoi((*match)[3]);
    Commitment commitment;
    commitment.ogp_id = country + (*match)[2];
    std::transform(commitment.ogp_id.begin(), commitment.ogp_id.end(), commitment.ogp_id.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    commitment.title = strip_number(lines[0]);
    passage.kind = PassageKind::kCommitment;
    if (auto plan = reference().plan_starting(country, year)) {
      passage.plans = {*plan};
      commitment.number = ++count_in_plan[*plan];
    } else if (!metadata.plans.empty()) {
      commitment.number = ++count_in_plan[metadata.plans.front()];
    }
    // The policy area is written as on OGP's site, possibly with words of its own.
    const std::string policy_area = lines[1].substr(lines[1].rfind(',') + 1);
    if (const auto* theme = reference().themes().resolve(policy_area))
      passage.themes.push_back(theme->id);
    commitment.fields.emplace_back("year", std::to_string(year));
    passage.commitment = std::move(commitment);
  }
}

// "Commitment No. 14: ..." and passages with a responsible-authority field, with the text that
// follows them under the same heading.
std::vector<Passage> mark_labelled_commitments(std::vector<Passage> passages) {
  std::vector<Passage> result;
  result.reserve(passages.size() + 16);  // see expand_tables
  Passage* open = nullptr;
  for (Passage& passage : passages) {
    const std::string first_line = passage.text.substr(0, passage.text.find('\n'));
    const auto start_match = passage.kind != PassageKind::kCommitment
                                 ? match_rule("commitment-start", first_line)
                                 : std::nullopt;
    const bool starts = start_match.has_value();
    Commitment fields_only;
    apply_fields(fields_only, passage.text);
    const bool outcome =
        !starts && passage.kind != PassageKind::kCommitment && has_responsible_field(fields_only);
    if (outcome) {
      // The commitment starts at the line before its first field ("Mexico pledged to ..." /
      // "Responsible authority: ..."); text before that belongs to the passage before.
      const std::vector<std::string> lines = split_lines(passage.text);
      std::size_t first_field = 0;
      while (first_field < lines.size() && field_lines(lines[first_field]).empty()) ++first_field;
      if (first_field >= 2) {
        Passage before = passage;
        before.text.clear();
        for (std::size_t i = 0; i + 1 < first_field; ++i) before.text += (i ? "\n" : "") + lines[i];
        if (open && before.heading == open->heading &&
            open->text.size() + before.text.size() <= kMaxCommitmentBytes)
          open->text += "\n" + before.text;
        else
          result.push_back(std::move(before));
        passage.text.clear();
        for (std::size_t i = first_field - 1; i < lines.size(); ++i)
          passage.text += (i + 1 == first_field ? "" : "\n") + lines[i];
        passage.number.reset();
      }
    }
    if (starts || outcome) {
      passage.kind = PassageKind::kCommitment;
      Commitment commitment = std::move(fields_only);
      if (starts) {
        commitment.number = std::stoi((*start_match)[1]);
        commitment.title = title_from(text_after_number(first_line));
      } else {
        commitment.title = title_from(passage.text);  // after the split above
      }
      if (passage.number && !commitment.number) commitment.number = passage.number;
      passage.commitment = std::move(commitment);
      result.push_back(std::move(passage));
      open = &result.back();
      continue;
    }
    const bool continues = open && passage.kind != PassageKind::kCommitment &&
                           passage.heading == open->heading &&
                           open->text.size() + passage.text.size() <= kMaxCommitmentBytes;
    if (continues) {
      open->text += "\n" + passage.text;
      continue;
    }
    open = nullptr;
    result.push_back(std::move(passage));
  }
  return result;
}

void mark_sections(std::vector<Passage>& passages) {
  for (Passage& passage : passages) {
    if (passage.kind != PassageKind::kParagraph || passage.number) continue;
    const auto parts = heading_parts(passage.heading);
    if (parts.empty()) continue;
    const auto match = match_rule("section-heading", parts.back());
    if (!match) continue;
    std::string number = (*match)[1];
    while (!number.empty() && !std::isalnum(static_cast<unsigned char>(number.back())))
      number.pop_back();
    passage.kind = PassageKind::kSection;
    passage.section_number = number;
  }
}

void link_translations(std::vector<Passage>& passages) {
  std::map<std::pair<int, std::string>, std::vector<Passage*>> by_number;
  for (Passage& passage : passages)
    if (passage.commitment && passage.commitment->number && passage.commitment->ogp_id.empty())
      by_number[{*passage.commitment->number, passage.language}].push_back(&passage);
  for (auto& [key, spanish] : by_number) {
    if (key.second != "es" || spanish.size() != 1) continue;
    const auto english = by_number.find({key.first, "en"});
    if (english == by_number.end() || english->second.size() != 1) continue;
    spanish.front()->translation_ordinal = english->second.front()->ordinal;
    english->second.front()->translation_ordinal = spanish.front()->ordinal;
  }
}

void append_unique(std::vector<std::string>& values, const std::vector<std::string>& more) {
  for (const std::string& value : more)
    if (std::find(values.begin(), values.end(), value) == values.end()) values.push_back(value);
}

}  // namespace

void recognize_commitments(std::vector<Passage>& passages, const DocumentMetadata& metadata) {
  const auto legend = challenge_legend(passages);
  passages = expand_tables(std::move(passages), legend);
  if (metadata.type == "action-plan") mark_plan_commitments(passages);
  mark_ogp_entries(passages, metadata);
  passages = mark_labelled_commitments(std::move(passages));
  mark_sections(passages);
  for (std::size_t i = 0; i < passages.size(); ++i) passages[i].ordinal = static_cast<int>(i) + 1;
  link_translations(passages);
}

void tag_passages(std::vector<Passage>& passages) {
  const ReferenceData& data = reference();
  for (Passage& passage : passages) {
    // Segment once; the four vocabularies match over the same words.
    const auto words = analyzers::segment_words_keeping_case(passage.heading + "\n" + passage.text);
    const auto folded = analyzers::PhraseMatcher::fold_words(words);
    append_unique(passage.agencies, data.agencies().find_in(words, folded));
    append_unique(passage.organizations, data.organizations().find_in(words, folded));
    append_unique(passage.challenges, data.challenges().find_in(words, folded));
    append_unique(passage.themes, data.themes().find_in(words, folded));
    if (!passage.commitment) continue;
    append_unique(passage.themes, data.themes().find_in(passage.commitment->title));
    for (const auto& [field, value] : passage.commitment->fields) {
      const auto role = data.field_role(field);
      if (role == FieldRole::kAgencyResponsible)
        append_unique(passage.responsible, data.agencies().find_in(value));
      if (role == FieldRole::kOrganization)
        append_unique(passage.organizations, data.organizations().find_in(value));
      if (role == FieldRole::kStatus && !passage.status)
        if (const auto* status = data.find_status(value)) passage.status = status->id;
    }
    append_unique(passage.agencies, passage.responsible);
  }
}

}  // namespace lupa::indexer
