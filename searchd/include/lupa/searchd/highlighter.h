// Marks a query's words in a passage's text, for snippets and the passage page. Xapian's
// MSet::snippet does the marking; this decides what it marks:
// - every word the query matched, in either language (analyzers::highlighting_stemmer), and
//   the words of phrases, which MSet::snippet leaves out (glossary terms are phrases);
// - stop words only inside a matched phrase: "rendición de cuentas" is marked whole, but the
//   "de" and "la" elsewhere in the text are not, though the phrase's terms include them.
#pragma once

#include <xapian.h>

#include <string>
#include <unordered_set>
#include <vector>

namespace lupa::searchd {

class Highlighter {
 public:
  /// `query`: the words as analysed (no filters, no ranking boosts). `database` must outlive
  /// the highlighter. An empty query marks nothing.
  Highlighter(const Xapian::Database& database, const Xapian::Query& query);

  /// The best window of at most `bytes` of `text`, HTML-escaped, matches in <mark>, "…" where
  /// text was cut.
  std::string snippet(const std::string& text, std::size_t bytes) const;
  /// The whole of `text`, HTML-escaped, matches in <mark>.
  std::string mark_all(const std::string& text) const;

 private:
  std::string marked(const std::string& text, std::size_t bytes, const char* omitted) const;
  /// Joins "<mark>a</mark> de <mark>b</mark>" into one mark where "a de b" is a run of
  /// words of one of the query's phrases.
  std::string join_phrases(const std::string& html) const;
  bool continues_phrase(const std::vector<std::string>& words) const;

  std::unordered_set<std::string> marked_terms_;
  std::vector<std::vector<std::string>> phrases_;  ///< each phrase's terms, in order
  Xapian::MSet marker_;
  Xapian::Stem stemmer_;  ///< what marker_.snippet stems the text's words with
};

}  // namespace lupa::searchd
