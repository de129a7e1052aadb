#include "lupa/indexer/commitment_recognizer.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <string_view>

#include "lupa/analyzers/phrase_matcher.h"
#include "lupa/analyzers/reference_data.h"
#include "lupa/analyzers/schema.h"
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

// The field a line starts with: "Label: value", or "Question? value" for a label that is a
// question ("Did it open government? Major"), or a table row "Label<TAB>value".
std::optional<std::pair<std::string, std::string>> field_line(const std::string& line) {
  for (const char separator : {':', '?', '\t'}) {
    const std::size_t end = line.find(separator);
    if (end == std::string::npos || end == 0 || end > 70) continue;
    const std::size_t label_end = separator == '?' ? end + 1 : end;
    auto field = reference().find_field(line.substr(0, label_end));
    if (!field && separator == '?') field = reference().find_field(line.substr(0, end));
    if (!field) continue;
    std::size_t value_start = end + 1;
    // "Did it open government?: Major"
    if (separator == '?' && value_start < line.size() && line[value_start] == ':') ++value_start;
    std::string value = line.substr(value_start);
    value.erase(0, value.find_first_not_of(" \t"));
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
    if (value.empty()) return std::nullopt;
    return std::make_pair(field->field, value);
  }
  return std::nullopt;
}

// The known fields of a text, one per line that starts with one, or a label alone on its line
// with its value on the next.
std::vector<std::pair<std::string, std::string>> field_lines(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> fields;
  const std::vector<std::string> lines = split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (auto field = field_line(lines[i])) {
      fields.push_back(std::move(*field));
      continue;
    }
    const auto label = reference().label_alone(lines[i]);
    if (!label || i + 1 >= lines.size() || lines[i + 1].empty()) continue;
    // A rating's value is a word or two; a sentence under a question heading is analysis.
    const std::size_t longest = label->role == FieldRole::kIrmRating ? 60 : 300;
    if (lines[i + 1].size() > longest || reference().label_alone(lines[i + 1]) ||
        field_line(lines[i + 1]))
      continue;
    fields.emplace_back(label->field, lines[i + 1]);
    ++i;
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

// The OGP id written in `text` ("KE0031"; OGP writes the United Kingdom's as UK), or empty.
std::vector<std::string> ogp_ids_in(const std::string& text) {
  // The rules are matched case-insensitively; an OGP id is written in capitals ("id2020" is
  // not one).
  static const std::regex& id = reference().rule("ogp-id");
  std::vector<std::string> ids;
  for (std::sregex_iterator it(text.begin(), text.end(), id), end; it != end; ++it) {
    const std::string found = it->str(0);
    if (std::isupper(static_cast<unsigned char>(found[0])) &&
        std::isupper(static_cast<unsigned char>(found[1])))
      ids.push_back(found);
  }
  return ids;
}

std::string ogp_id_in(const std::string& text) {
  const auto ids = ogp_ids_in(text);
  return ids.empty() ? std::string() : ids.front();
}

void apply_fields(Commitment& commitment, const std::string& text) {
  commitment.fields = field_lines(text);
  for (const auto& [field, value] : commitment.fields) {
    const auto role = role_of(field);
    if (role == FieldRole::kParagraphReference)
      for (int number : paragraph_references(value))
        commitment.original_paragraphs.push_back(number);
    if (role == FieldRole::kOgpId && commitment.ogp_id.empty())
      commitment.ogp_id = ogp_id_in(value);
  }
}

// The pieces of a lead or supporting field's value that may each name one body: split at ';',
// ',', '/' and line ends (a name with a comma is matched whole before, see institutions_in),
// and at "and"/"y"/"e" only before a word that starts an institution's name ("Ministry of Health
// and Ministry of Education", but "Ministerio de Hacienda y Función Pública" is one name).
// Parenthesised acronyms and leading articles are dropped.
std::vector<std::string> institution_pieces(const std::string& value) {
  std::string text;
  int depth = 0;
  for (const char c : value) {  // drop "(INAMU)", "(lead)"
    if (c == '(') ++depth;
    if (depth == 0) text += c;
    if (c == ')' && depth > 0) --depth;
  }
  std::vector<std::string> pieces;
  std::string piece;
  const auto flush = [&] {
    std::size_t start = piece.find_first_not_of(" .-");
    std::size_t end = piece.find_last_not_of(" .-");
    std::string trimmed = start == std::string::npos ? "" : piece.substr(start, end - start + 1);
    for (const char* article :
         {"the ", "The ", "la ", "La ", "el ", "El ", "los ", "Los ", "las ", "Las "})
      if (trimmed.rfind(article, 0) == 0) trimmed.erase(0, std::string_view(article).size());
    if (!trimmed.empty()) pieces.push_back(trimmed);
    piece.clear();
  };
  const auto starts_institution = [](std::string_view rest) {
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    for (std::string_view article : {"the ", "la ", "el ", "los ", "las "})
      if (rest.starts_with(article)) rest.remove_prefix(article.size());
    return reference().match_rule("institution-name", rest.substr(0, rest.find(' '))).has_value();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ';' || c == '/' || c == '\n' || c == '\t' || c == ',') {
      flush();
      continue;
    }
    bool split = false;
    for (std::string_view conjunction : {" and ", " y ", " e "}) {
      if (text.compare(i, conjunction.size(), conjunction) == 0 &&
          starts_institution(std::string_view(text).substr(i + conjunction.size()))) {
        flush();
        i += conjunction.size() - 1;
        split = true;
        break;
      }
    }
    if (!split) piece += c;
  }
  flush();
  return pieces;
}

// A name an institution could have: a capital first letter, a word such as Ministry or
// Instituto, not too long. A person ("Jane Wanjiru, Director") is none.
bool looks_like_institution(const std::string& piece) {
  if (piece.size() < 6 || piece.size() > 140) return false;
  const unsigned char first = static_cast<unsigned char>(piece[0]);
  if (!(std::isupper(first) || first >= 0xC0)) return false;
  if (piece.find('@') != std::string::npos) return false;
  return reference().match_rule("institution-name", piece).has_value();
}

// "ke-kenya-school-of-government": country and the name's folded words, in ASCII (an id is
// typed in URLs and filters; folding keeps ñ, which becomes n here).
std::string discovered_id(std::string_view country, const std::string& name) {
  std::string id = country.empty() ? std::string("xx") : std::string(country);
  for (const std::string& word : analyzers::segment_words(analyzers::fold_for_matching(name))) {
    std::string ascii;
    for (std::size_t i = 0; i < word.size(); ++i) {
      if (word.compare(i, 2, "\xC3\xB1") == 0) {
        ascii += 'n';
        ++i;
      } else if (std::isalnum(static_cast<unsigned char>(word[i])) &&
                 static_cast<unsigned char>(word[i]) < 0x80) {
        ascii += word[i];
      }
    }
    if (ascii.empty()) continue;
    if (id.size() + ascii.size() > 80) break;
    id += "-" + ascii;
  }
  return id;
}

// "Jane Wanjiru, Director of Companies": a person and a post, not a body.
bool names_a_person(const std::string& value) {
  return reference().match_rule("person-title", value, 400).has_value();
}

struct Institutions {
  std::vector<std::string> known;  // ids of agencies.tsv
  std::vector<DiscoveredInstitution> discovered;
};

// The bodies a lead or supporting field names: known ones in the document's scope, and the
// institution-like rest as discovered ones.
Institutions institutions_in(const std::string& value, std::string_view country) {
  Institutions found;
  const ReferenceData& data = reference();
  const auto known_in = [&](const std::string& text) {
    const auto words = analyzers::segment_words_keeping_case(text);
    const auto folded = analyzers::PhraseMatcher::fold_words(words);
    const auto mentions = data.country_mentions(words, folded);
    return data.agencies().find_in(words, folded, {country, &mentions});
  };
  // Names with commas ("Ministry of Information, Communications and the Digital Economy") are
  // found whole first; the pieces below then only add bodies the gazetteer does not know.
  found.known = known_in(value);
  std::vector<std::string> known_names;
  for (const std::string& id : found.known)
    if (const auto* entry = data.agencies().find(id)) {
      known_names.push_back(analyzers::fold_for_matching(entry->label.en));
      known_names.push_back(analyzers::fold_for_matching(entry->label.es));
    }
  for (std::string piece : institution_pieces(value)) {
    // "Government: Treasury; Civil society: Open Ownership": a sub-label says who the rest is.
    if (const std::size_t colon = piece.find(':'); colon != std::string::npos && colon < 60) {
      const auto field = data.find_field(piece.substr(0, colon));
      const bool government = field && (field->role == FieldRole::kAgencyResponsible ||
                                        field->role == FieldRole::kAgencySupporting);
      if (!government) continue;
      piece.erase(0, piece.find_first_not_of(' ', colon + 1));
    }
    if (piece.empty() || names_a_person(piece)) continue;
    const auto known = known_in(piece);
    const std::string folded_piece = analyzers::fold_for_matching(piece);
    const bool part_of_known = std::any_of(
        known_names.begin(), known_names.end(),
        [&](const std::string& name) { return name.find(folded_piece) != std::string::npos; });
    if (!known.empty()) {
      for (const std::string& id : known)
        if (std::find(found.known.begin(), found.known.end(), id) == found.known.end())
          found.known.push_back(id);
    } else if (!part_of_known && looks_like_institution(piece)) {
      DiscoveredInstitution institution{discovered_id(country, piece), piece};
      if (std::find(found.discovered.begin(), found.discovered.end(), institution) ==
          found.discovered.end())
        found.discovered.push_back(std::move(institution));
    }
  }
  return found;
}

// A commitment's lead field names an institution (a "Responsable:" line naming a person is a
// contact, not a commitment).
bool has_lead_institution(const Commitment& commitment, std::string_view country) {
  return std::any_of(commitment.fields.begin(), commitment.fields.end(), [&](const auto& field) {
    if (role_of(field.first) != FieldRole::kAgencyResponsible) return false;
    const Institutions named = institutions_in(field.second, country);
    return !named.known.empty() || !named.discovered.empty();
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

// Reads an IRM rating written as `value` into `irm`; `field` is the rating's field id
// (field-labels.tsv, role irm-rating), which is also the stored field of its facet.
void apply_rating(schema::IrmRatings& irm, std::string_view field, const std::string& value) {
  const schema::Facet* facet = nullptr;
  for (const schema::Facet& each : schema::standard_facets())
    if (each.field == field) facet = &each;
  if (!facet) return;
  const analyzers::Vocabulary* vocabulary = reference().vocabulary(facet->vocabulary);
  if (!vocabulary) return;
  // "Substantial (ongoing)", "Yes (Access to information, Civic participation)".
  std::vector<std::string> found = vocabulary->find_in(value);
  if (found.empty())
    if (const auto* entry = vocabulary->resolve(value)) found.push_back(entry->id);
  if (found.empty()) return;
  if (field == "ogp_values") {
    for (const std::string& id : found)
      if (std::find(irm.ogp_values.begin(), irm.ogp_values.end(), id) == irm.ogp_values.end())
        irm.ogp_values.push_back(id);
  } else if (field == "starred") {
    irm.starred = found.front() == "yes";
  } else {
    std::optional<std::string>* slot = field == "specificity"         ? &irm.specificity
                                       : field == "potential_impact"  ? &irm.potential_impact
                                       : field == "potential_results" ? &irm.potential_results
                                       : field == "completion"        ? &irm.completion
                                       : field == "opened_government" ? &irm.opened_government
                                                                      : nullptr;
    // A report that rates completion at mid-term and at the end of term writes the later one
    // last; ratings of the design stay as first written.
    const bool later_supersedes = field == "completion" || field == "opened_government";
    if (slot && (!*slot || later_supersedes)) *slot = found.front();
  }
}

void read_ratings(Passage& passage, const DocumentMetadata& metadata) {
  if (!passage.commitment) return;
  const bool by_the_irm = metadata.type == "irm-report";
  for (const auto& [field, value] : passage.commitment->fields) {
    const auto role = role_of(field);
    if (role == FieldRole::kIrmRating) apply_rating(passage.irm, field, value);
    // In an IRM report, "Cumplimiento: Sustancial" is the IRM's completion; elsewhere a
    // status is the government's own word, kept in the status facet only.
    if (role == FieldRole::kStatus && by_the_irm) apply_rating(passage.irm, "completion", value);
  }
}

struct TableHeader {
  std::size_t line = 0;
  std::vector<std::optional<TableRole>> roles;  // per column
  /// Per column: the commitment field its header names ("Lead institution", "Potential
  /// impact"), or empty. Its cells are read as that field's values are.
  std::vector<std::string> fields;
};

// A commitment table's header: a title column and a number column (a compliance table) or at
// least one IRM rating column (an IRM report's summary of all commitments).
std::optional<TableHeader> find_table_header(const std::vector<std::string>& lines) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find('\t') == std::string::npos) continue;
    TableHeader header{i, {}, {}};
    bool number = false, title = false, rating = false;
    for (const std::string& cell : split_cells(lines[i])) {
      header.roles.push_back(reference().table_column_role(cell));
      std::string field_name;
      // A header that is a field's label ("Compromiso estelar") is that field, though it
      // starts like a title column's header ("Compromiso").
      if (const auto field = reference().find_field(cell);
          field && (!header.roles.back() || field->role == FieldRole::kIrmRating)) {
        field_name = field->field;
        rating |= field->role == FieldRole::kIrmRating;
        header.roles.back().reset();
      }
      header.fields.push_back(std::move(field_name));
      number |= header.roles.back() == TableRole::kNumber;
      title |= header.roles.back() == TableRole::kTitle;
    }
    if (title && (number || rating)) return header;
  }
  return std::nullopt;
}

// "3. Open contracting" -> 3, and the title without its number.
std::optional<int> leading_number(std::string& title) {
  std::size_t digits = 0;
  while (digits < title.size() && std::isdigit(static_cast<unsigned char>(title[digits]))) ++digits;
  // "3. Open contracting", "3) ...", "3 Open ..."; not a year ("2023 Open data strategy").
  if (digits == 0 || digits > 3 || digits >= title.size() ||
      (title[digits] != '.' && title[digits] != ')' && title[digits] != ' '))
    return std::nullopt;
  const int number = std::stoi(title.substr(0, digits));
  std::size_t rest = digits + 1;
  while (rest < title.size() && title[rest] == ' ') ++rest;
  title.erase(0, rest);
  return number;
}

// Splits passages holding a commitment table into the text around it and one commitment per row.
std::vector<Passage> expand_tables(std::vector<Passage> passages,
                                   const std::map<int, std::string>& legend) {
  std::vector<Passage> result;
  // Reserved: growing by doubling while the input is still held took three times the
  // passages' size at once on a huge file.
  result.reserve(passages.size());
  // A table longer than a passage goes on in the next one, without its header.
  std::optional<TableHeader> previous_header;
  std::vector<std::string> previous_cells;
  for (Passage& passage : passages) {
    const std::vector<std::string> lines = split_lines(passage.text);
    auto header = find_table_header(lines);
    const bool continued = !header && previous_header && !lines.empty() &&
                           lines[0].find('\t') != std::string::npos &&
                           std::isdigit(static_cast<unsigned char>(lines[0][0])) &&
                           split_cells(lines[0]).size() + 1 >= previous_header->roles.size();
    if (continued) header = previous_header;
    if (!header) {
      previous_header.reset();
      result.push_back(std::move(passage));
      continue;
    }
    const std::vector<std::string> header_cells =
        continued ? previous_cells : split_cells(lines[header->line]);
    previous_header = header;
    previous_cells = header_cells;
    const std::size_t first_row = continued ? 0 : header->line + 1;
    if (!continued) {
      Passage before = passage;
      before.text.clear();
      for (std::size_t i = 0; i <= header->line; ++i)
        before.text += (before.text.empty() ? "" : "\n") + lines[i];
      result.push_back(before);
    }
    Passage after = passage;
    after.text.clear();
    for (std::size_t i = first_row; i < lines.size(); ++i) {
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
        if (!header->fields[c].empty() && !cell.empty())
          commitment.fields.emplace_back(header->fields[c], cell);
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
      if (!commitment.number) commitment.number = leading_number(commitment.title);
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

// A heading without its trailing levels that are questions: OGP's template asks "What is the
// public problem?", "¿Cuál es el compromiso?" inside each commitment, and the text under them
// belongs to the commitment.
std::string without_questions(const std::string& heading) {
  std::vector<std::string> parts = heading_parts(heading);
  while (!parts.empty() && parts.back().ends_with('?')) parts.pop_back();
  std::string joined;
  for (const std::string& part : parts)
    joined += (joined.empty() ? "" : std::string(kHeadingLevelSeparator)) + part;
  return joined;
}

// "Commitment No. 14: ..." and passages with a responsible-authority field, with the text that
// follows them under the same heading.
std::vector<Passage> mark_labelled_commitments(std::vector<Passage> passages,
                                               std::string_view country) {
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
    const bool outcome = !starts && passage.kind != PassageKind::kCommitment &&
                         has_lead_institution(fields_only, country);
    if (outcome) {
      // The commitment starts at the line before its first field ("Mexico pledged to ..." /
      // "Responsible authority: ..."); text before that belongs to the passage before.
      const std::vector<std::string> lines = split_lines(passage.text);
      // The first line that starts a field: "Label: value", or a label alone with its value
      // on the next line.
      std::size_t first_field = 0;
      while (first_field < lines.size() && !field_line(lines[first_field]) &&
             !(reference().label_alone(lines[first_field]) && first_field + 1 < lines.size()))
        ++first_field;
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
      // Not the previous commitment's last template question.
      passage.heading = without_questions(passage.heading);
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
    // Text under the heading the commitment started under, or under one of the template's
    // questions ("What is the public problem?") that follow it, is the commitment's.
    const auto parts = heading_parts(passage.heading);
    const std::string base = without_questions(passage.heading);
    const bool under_question = !parts.empty() && parts.back().ends_with('?') &&
                                (base.empty() || (open && base == open->heading));
    const bool continues = open && passage.kind != PassageKind::kCommitment &&
                           (passage.heading == open->heading || under_question) &&
                           open->text.size() + passage.text.size() <= kMaxCommitmentBytes;
    if (continues) {
      // The question itself stays in the text, once.
      if (under_question && open->text.find(parts.back()) == std::string::npos)
        open->text += "\n" + parts.back();
      open->text += "\n" + passage.text;
      continue;
    }
    open = nullptr;
    result.push_back(std::move(passage));
  }
  return result;
}

bool is_toc_entry(const std::string& line) {
  return line.size() <= 200 && match_rule("toc-entry", line).has_value();
}

// A table of contents lists the document's headings with page numbers: under a "Contents" /
// "Índice" heading, or a passage most of whose lines are such entries. Its entries are not
// passages: indexing them would put the commitments' titles twice in results, and
// "Commitment 1: Beneficial ownership ........ 12" is not a commitment.
void drop_tables_of_contents(std::vector<Passage>& passages) {
  std::erase_if(passages, [](const Passage& passage) {
    const auto parts = heading_parts(passage.heading);
    const bool under_toc_heading =
        !parts.empty() && match_rule("toc-heading", parts.back()).has_value();
    std::size_t lines = 0, entries = 0;
    for (const std::string& line : split_lines(passage.text)) {
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      ++lines;
      if (is_toc_entry(line)) ++entries;
    }
    if (lines == 0) return under_toc_heading;
    if (under_toc_heading) return entries * 2 >= lines;
    return lines >= 3 && entries * 10 >= lines * 7;
  });
}

bool has_labelled_commitments(const std::vector<Passage>& passages) {
  return std::any_of(passages.begin(), passages.end(), [](const Passage& passage) {
    const std::string first_line = passage.text.substr(0, passage.text.find('\n'));
    return match_rule("commitment-start", first_line).has_value();
  });
}

// The commitment title that the OGP id in it stands beside: "Improve the Transparency Portal
// (ES0041)" -> "Improve the Transparency Portal".
std::string without_ogp_id(std::string title, const std::string& ogp_id) {
  if (const std::size_t at = title.find(ogp_id); at != std::string::npos) {
    std::size_t start = at, end = at + ogp_id.size();
    while (start > 0 && (title[start - 1] == '(' || title[start - 1] == ' ' ||
                         title[start - 1] == '-' || title[start - 1] == '|'))
      --start;
    while (end < title.size() && (title[end] == ')' || title[end] == ' ' || title[end] == ':' ||
                                  title[end] == '-' || title[end] == '|'))
      ++end;
    title.erase(start, end - start);
  }
  return title;
}

// An OGP commitment page is about one commitment: its id (KE0031) is written near the top and
// its lead institution in a field. The passage with the field becomes that commitment, titled
// as the page is; a page listing many ids (a member page) is read by mark_ogp_entries.
void mark_commitment_page(std::vector<Passage>& passages, const DocumentMetadata& metadata) {
  if (metadata.type != "ogp-web-page") return;
  std::set<std::string> ids;
  for (const Passage& passage : passages) {
    if (passage.commitment && !passage.commitment->ogp_id.empty()) return;  // entries
    for (std::string& id : ogp_ids_in(passage.heading + "\n" + passage.text))
      ids.insert(std::move(id));
    if (ids.size() > 1) return;  // a page about several commitments
  }
  if (ids.size() != 1) return;
  const std::string& id = *ids.begin();
  for (Passage& passage : passages) {
    if (!passage.commitment) continue;
    passage.commitment->ogp_id = id;
    // The page's other boxes (its IRM ratings, its dates) are fields of the same commitment.
    std::set<std::pair<std::string, std::string>> seen(passage.commitment->fields.begin(),
                                                       passage.commitment->fields.end());
    for (const Passage& other : passages)
      if (&other != &passage)
        for (auto& field : field_lines(other.text))
          if (seen.insert(field).second) passage.commitment->fields.push_back(std::move(field));
    const std::string title = without_ogp_id(metadata.title.value_or(""), id);
    const auto heading = heading_parts(passage.heading);
    if (!title.empty())
      passage.commitment->title = title;
    else if (!heading.empty())
      passage.commitment->title = without_ogp_id(heading.back(), id);
    return;  // the first: the page's commitment
  }
}

// An IRM report rates each commitment in its section and again in a summary table: the
// section's commitment takes what only the table says.
void merge_table_ratings(std::vector<Passage>& passages) {
  std::map<int, const Passage*> rows;
  for (const Passage& passage : passages)
    if (passage.commitment && passage.commitment->number && !passage.irm.empty())
      rows.emplace(*passage.commitment->number, &passage);
  for (Passage& passage : passages) {
    if (!passage.commitment || !passage.commitment->number) continue;
    const auto row = rows.find(*passage.commitment->number);
    if (row != rows.end() && row->second != &passage) passage.irm.complete_from(row->second->irm);
  }
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
  drop_tables_of_contents(passages);
  const auto legend = challenge_legend(passages);
  passages = expand_tables(std::move(passages), legend);
  // Numbered paragraphs under a commitments heading are the commitments of a plan written as
  // a list, and of an IRM report's analysis; in a plan whose commitments are introduced by
  // "Commitment N:" they are its milestones, which stay inside their commitment.
  const bool listed_document = metadata.type == "action-plan" || metadata.type == "irm-report";
  if (listed_document && !has_labelled_commitments(passages)) mark_plan_commitments(passages);
  mark_ogp_entries(passages, metadata);
  passages = mark_labelled_commitments(std::move(passages), metadata.country.value_or(""));
  mark_commitment_page(passages, metadata);
  for (Passage& passage : passages) read_ratings(passage, metadata);
  merge_table_ratings(passages);
  mark_sections(passages);
  for (std::size_t i = 0; i < passages.size(); ++i) passages[i].ordinal = static_cast<int>(i) + 1;
  link_translations(passages);
}

void tag_passages(std::vector<Passage>& passages, const DocumentMetadata& metadata) {
  const ReferenceData& data = reference();
  const std::string_view country = metadata.country ? *metadata.country : std::string_view();
  for (Passage& passage : passages) {
    // Segment once; the four vocabularies match over the same words.
    const auto words = analyzers::segment_words_keeping_case(passage.heading + "\n" + passage.text);
    const auto folded = analyzers::PhraseMatcher::fold_words(words);
    const auto mentions = data.country_mentions(words, folded);
    const analyzers::Vocabulary::Scope scope{country, &mentions};
    append_unique(passage.agencies, data.agencies().find_in(words, folded, scope));
    append_unique(passage.organizations, data.organizations().find_in(words, folded, scope));
    append_unique(passage.challenges, data.challenges().find_in(words, folded));
    append_unique(passage.themes, data.themes().find_in(words, folded));
    if (!passage.commitment) continue;
    append_unique(passage.themes, data.themes().find_in(passage.commitment->title));
    for (const auto& [field, value] : passage.commitment->fields) {
      const auto role = data.field_role(field);
      if (role == FieldRole::kAgencyResponsible || role == FieldRole::kAgencySupporting) {
        Institutions named = institutions_in(value, country);
        auto& values =
            role == FieldRole::kAgencyResponsible ? passage.responsible : passage.supporting;
        append_unique(values, named.known);
        for (DiscoveredInstitution& institution : named.discovered) {
          append_unique(values, {institution.id});
          if (std::find(passage.discovered.begin(), passage.discovered.end(), institution) ==
              passage.discovered.end())
            passage.discovered.push_back(std::move(institution));
        }
      }
      if (role == FieldRole::kOrganization)
        append_unique(passage.organizations, data.organizations().find_in(value));
      if (role == FieldRole::kStatus && !passage.status)
        if (const auto* status = data.find_status(value)) passage.status = status->id;
    }
    // A body that leads is not also listed as supporting.
    std::erase_if(passage.supporting, [&](const std::string& id) {
      return std::find(passage.responsible.begin(), passage.responsible.end(), id) !=
             passage.responsible.end();
    });
    // The IRM's completion is the commitment's compliance where no status says otherwise.
    if (!passage.status && passage.irm.completion)
      if (const auto* status = data.find_status(*passage.irm.completion))
        passage.status = status->id;
    append_unique(passage.agencies, passage.responsible);
    append_unique(passage.agencies, passage.supporting);
  }
}

}  // namespace lupa::indexer
