// A controlled vocabulary: the canonical values of a facet (agencies, civil-society
// organisations, OGP challenges, policy areas) and every way a text may name them.
// Loaded from the data files in analyzers/data/ (see docs/data-files.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lupa/analyzers/phrase_matcher.h"

namespace lupa::analyzers {

struct Label {
  std::string en;
  std::string es;
};

struct VocabularyEntry {
  std::string id;  ///< canonical facet value, e.g. "mx-sfp"
  Label label;
  std::string country;                ///< for bodies: ISO code or "*"
  int number = 0;                     ///< for challenges: OGP's official number
  std::vector<std::string> acronyms;  ///< for bodies, as written
};

class Vocabulary {
 public:
  /// agencies.tsv / organizations.tsv: id, country, acronyms, name_es, name_en, aliases.
  /// Acronyms match case-sensitively, names and aliases case-insensitively, aliases
  /// written with a leading ^ case-sensitively.
  static Vocabulary load_bodies(std::string_view file_name);
  /// challenges.tsv (with_number) / themes.tsv: id, [number,] label_en, label_es, phrases.
  /// Phrases and labels match case-insensitively.
  static Vocabulary load_phrases(std::string_view file_name, bool with_number);

  const std::vector<VocabularyEntry>& entries() const { return entries_; }
  const VocabularyEntry* find(std::string_view id) const;

  /// Ids of the entries `text` names, in order of first mention.
  std::vector<std::string> find_in(std::string_view text) const;
  /// The same for segmented text (see PhraseMatcher::find).
  std::vector<std::string> find_in(const std::vector<std::string>& words,
                                   const std::vector<std::string>& folded) const;

  /// Where a document's text may name bodies. A body's names and acronyms are those of its
  /// country's government: "Ministerio de Hacienda" or "INAMU" mean one body in Spain or
  /// Costa Rica and another in Mexico. So a body of `country` (or an international one, "*")
  /// is recognised anywhere in a document of that country; a body of another country only
  /// by a name of kForeignNameWords words or more, where the text names that country within
  /// kNearbyWords words of it. `mentions` are the
  /// countries the text names: (word position, country code), as
  /// ReferenceData::country_mentions finds them.
  struct Scope {
    std::string_view country;  ///< the document's country; empty when unknown
    const std::vector<std::pair<std::size_t, std::string>>* mentions = nullptr;
  };
  static constexpr std::size_t kNearbyWords = 12;
  /// A foreign body is recognised by a name of at least this many words ("Secretaría de la
  /// Función Pública", not "la Presidencia" nor an acronym another country may share).
  static constexpr std::size_t kForeignNameWords = 3;

  /// Ids of the entries segmented text names within `scope`, in order of first mention.
  std::vector<std::string> find_in(const std::vector<std::string>& words,
                                   const std::vector<std::string>& folded,
                                   const Scope& scope) const;

  /// A place where segmented text names entries: the longest phrase starting at that word
  /// (mentions do not overlap) and every entry that phrase names, in the order of their rows
  /// (bodies of several countries may share a name: "Ministry of Finance", "MEF").
  struct Mention {
    std::size_t first = 0;   ///< index of its first word
    std::size_t length = 0;  ///< words
    std::vector<const VocabularyEntry*> entries;
  };
  std::vector<Mention> mentions(const std::vector<std::string>& words,
                                const std::vector<std::string>& folded) const;

  /// The entry a user or a table cell means by `value`: its id, an acronym or a name, in any
  /// case and with or without accents. nullptr when none.
  const VocabularyEntry* resolve(std::string_view value) const;

 private:
  std::size_t add_entry(VocabularyEntry entry);
  std::vector<VocabularyEntry> entries_;
  std::unordered_map<std::string, std::size_t> by_id_;
  PhraseMatcher matcher_;
};

}  // namespace lupa::analyzers
