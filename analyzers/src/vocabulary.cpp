#include "lupa/analyzers/vocabulary.h"

#include <algorithm>
#include <stdexcept>

#include "data_files.h"
#include "lupa/analyzers/text_normalizer.h"

namespace lupa::analyzers {
namespace {

std::vector<std::vector<std::string>> table(std::string_view file_name, std::size_t columns) {
  std::vector<std::vector<std::string>> rows;
  for (const std::string& line : data_file_lines(file_name)) {
    auto fields = split_tabs(line);
    if (fields.size() < columns - 1 || fields.size() > columns)
      throw std::logic_error(std::string(file_name) + ": expected " + std::to_string(columns) +
                             " tab-separated columns in: " + line);
    fields.resize(columns);
    rows.push_back(std::move(fields));
  }
  return rows;
}

std::string with_acronym(const std::string& name, const std::vector<std::string>& acronyms) {
  if (acronyms.empty() || name.empty())
    return name.empty() && !acronyms.empty() ? acronyms.front() : name;
  return name + " (" + acronyms.front() + ")";
}

}  // namespace

std::size_t Vocabulary::add_entry(VocabularyEntry entry) {
  if (by_id_.contains(entry.id)) throw std::logic_error("vocabulary: id listed twice: " + entry.id);
  by_id_.emplace(entry.id, entries_.size());
  entries_.push_back(std::move(entry));
  return entries_.size() - 1;
}

Vocabulary Vocabulary::load_bodies(std::string_view file_name) {
  Vocabulary vocabulary;
  for (auto& row : table(file_name, 6)) {
    const auto acronyms = split_list(row[2]);
    VocabularyEntry entry{row[0],
                          {with_acronym(row[4], acronyms), with_acronym(row[3], acronyms)},
                          row[1],
                          0,
                          acronyms};
    const std::size_t index = vocabulary.add_entry(std::move(entry));
    for (const std::string& acronym : acronyms) vocabulary.matcher_.add(acronym, index, true);
    for (const std::string* name : {&row[3], &row[4]})
      if (!name->empty()) vocabulary.matcher_.add(*name, index, false);
    for (const std::string& alias : split_list(row[5])) {
      if (alias.front() == '^')
        vocabulary.matcher_.add(alias.substr(1), index, true);
      else
        vocabulary.matcher_.add(alias, index, false);
    }
  }
  return vocabulary;
}

Vocabulary Vocabulary::load_phrases(std::string_view file_name, bool with_number) {
  Vocabulary vocabulary;
  const std::size_t offset = with_number ? 1 : 0;
  for (auto& row : table(file_name, 4 + offset)) {
    VocabularyEntry entry{row[0], {row[1 + offset], row[2 + offset]}, "*", 0, {}};
    if (with_number) entry.number = std::stoi(row[1]);
    const std::size_t index = vocabulary.add_entry(std::move(entry));
    vocabulary.matcher_.add(row[1 + offset], index, false);
    vocabulary.matcher_.add(row[2 + offset], index, false);
    for (const std::string& phrase : split_list(row[3 + offset]))
      vocabulary.matcher_.add(phrase, index, false);
  }
  return vocabulary;
}

const VocabularyEntry* Vocabulary::find(std::string_view id) const {
  const auto found = by_id_.find(std::string(id));
  return found == by_id_.end() ? nullptr : &entries_[found->second];
}

std::vector<std::string> Vocabulary::find_in(std::string_view text) const {
  std::vector<std::string> ids;
  for (std::size_t index : matcher_.find(text)) ids.push_back(entries_[index].id);
  return ids;
}

std::vector<std::string> Vocabulary::find_in(const std::vector<std::string>& words,
                                             const std::vector<std::string>& folded) const {
  std::vector<std::string> ids;
  for (std::size_t index : matcher_.find(words, folded)) ids.push_back(entries_[index].id);
  return ids;
}

std::vector<std::string> Vocabulary::find_in(const std::vector<std::string>& words,
                                             const std::vector<std::string>& folded,
                                             const Scope& scope) const {
  const PhraseMatcher::Accept in_scope = [&](std::size_t index, std::size_t start,
                                             std::size_t length) {
    const std::string& country = entries_[index].country;
    if (country == "*" || country.empty() || country == scope.country) return true;
    // Near its country's name, a foreign body is named in full: "la presidencia de México,
    // Sudáfrica..." does not name South Africa's Presidency.
    if (!scope.mentions || length < kForeignNameWords) return false;
    for (const auto& [position, named] : *scope.mentions)
      if (named == country && position + kNearbyWords >= start && position <= start + kNearbyWords)
        return true;
    return false;
  };
  std::vector<std::string> ids;
  for (std::size_t index : matcher_.find(words, folded, in_scope))
    ids.push_back(entries_[index].id);
  return ids;
}

std::vector<Vocabulary::Mention> Vocabulary::mentions(
    const std::vector<std::string>& words, const std::vector<std::string>& folded) const {
  // Refusing every phrase makes the matcher offer each one found at each word.
  std::vector<Mention> found;
  const PhraseMatcher::Accept note = [&](std::size_t index, std::size_t start, std::size_t length) {
    found.push_back({start, length, {&entries_[index]}});
    return false;
  };
  matcher_.find(words, folded, note);
  std::vector<Mention> chosen;
  for (std::size_t word = 0; word < words.size();) {
    std::size_t longest = 0;
    for (const Mention& mention : found)
      if (mention.first == word) longest = std::max(longest, mention.length);
    if (longest == 0) {
      ++word;
      continue;
    }
    Mention mention{word, longest, {}};
    for (const Mention& candidate : found)
      if (candidate.first == word && candidate.length == longest &&
          std::find(mention.entries.begin(), mention.entries.end(), candidate.entries.front()) ==
              mention.entries.end())
        mention.entries.push_back(candidate.entries.front());
    std::sort(mention.entries.begin(), mention.entries.end());  // row order
    chosen.push_back(std::move(mention));
    word += longest;
  }
  return chosen;
}

const VocabularyEntry* Vocabulary::resolve(std::string_view value) const {
  if (const VocabularyEntry* entry = find(value)) return entry;
  const std::string folded = fold_for_matching(value);
  if (const VocabularyEntry* entry = find(folded)) return entry;
  for (const VocabularyEntry& entry : entries_)
    for (const std::string& acronym : entry.acronyms)
      if (fold_for_matching(acronym) == folded) return &entry;
  const long index = matcher_.exact(value);
  return index < 0 ? nullptr : &entries_[static_cast<std::size_t>(index)];
}

}  // namespace lupa::analyzers
