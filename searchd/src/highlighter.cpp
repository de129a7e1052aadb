#include "lupa/searchd/highlighter.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "lupa/analyzers/language.h"
#include "lupa/analyzers/schema.h"
#include "lupa/analyzers/stemming.h"
#include "lupa/analyzers/text_normalizer.h"

namespace lupa::searchd {
namespace {

constexpr std::string_view kOpen = "<mark>";
constexpr std::string_view kClose = "</mark>";
// Stop words a phrase may hold between two of its marked words ("acceso a la información").
constexpr std::size_t kMaxJoinedStopWords = 3;

bool is_positional(Xapian::Query::op type) {
  return type == Xapian::Query::OP_PHRASE || type == Xapian::Query::OP_NEAR;
}

// The query's terms outside phrases (`free`) and each phrase's terms in order.
void collect_terms(const Xapian::Query& query, std::unordered_set<std::string>& free,
                   std::vector<std::vector<std::string>>& phrases) {
  if (query.get_type() == Xapian::Query::LEAF_TERM) {
    free.insert(*query.get_terms_begin());
    return;
  }
  if (is_positional(query.get_type())) {
    phrases.emplace_back(query.get_terms_begin(), query.get_terms_end());
    return;
  }
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i)
    collect_terms(query.get_subquery(i), free, phrases);
}

std::string stem_term(const std::string& word, analyzers::Language language) {
  std::string term(schema::kStemPrefix);
  term.append(analyzers::index_stem(word, language));
  return term;
}

// The Z-terms a written word may stand for, one per language.
std::vector<std::string> terms_of(const std::string& written) {
  std::vector<std::string> terms;
  const std::vector<std::string> words = analyzers::segment_words(written);
  if (words.size() != 1) return terms;
  for (analyzers::Language language : analyzers::kLanguages)
    terms.push_back(stem_term(words.front(), language));
  return terms;
}

bool is_stop_term(const std::string& term) {
  static const std::unordered_set<std::string> stop_terms = [] {
    std::unordered_set<std::string> terms;
    for (analyzers::Language language : analyzers::kLanguages)
      for (const std::string& word : analyzers::stop_words(language))
        for (analyzers::Language stemmed : analyzers::kLanguages)
          terms.insert(stem_term(word, stemmed));
    return terms;
  }();
  return stop_terms.contains(term);
}

std::vector<std::string> split_at_spaces(std::string_view text) {
  std::vector<std::string> pieces;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find(' ', start), text.size());
    pieces.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return pieces;
}

// The words of `gap`, the text between two marks, when it is a space, or stop words with a
// space on each side ("de", "a la"); nullopt for anything else (punctuation, other words).
std::optional<std::vector<std::string>> stop_words_between(std::string_view gap) {
  if (gap == " ") return std::vector<std::string>{};
  if (gap.size() < 3 || gap.front() != ' ' || gap.back() != ' ') return std::nullopt;
  std::vector<std::string> words = split_at_spaces(gap.substr(1, gap.size() - 2));
  if (words.size() > kMaxJoinedStopWords) return std::nullopt;
  for (const std::string& word : words) {
    const std::vector<std::string> terms = terms_of(word);
    if (terms.empty() || !std::all_of(terms.begin(), terms.end(), is_stop_term))
      return std::nullopt;
  }
  return words;
}

}  // namespace

Highlighter::Highlighter(const Xapian::Database& database, const Xapian::Query& query) {
  std::unordered_set<std::string> free;
  if (!query.empty()) collect_terms(query, free, phrases_);
  // A stop word outside a phrase is marked only when the query holds nothing else ("the").
  const bool only_stop_words = std::all_of(free.begin(), free.end(), is_stop_term);
  for (const std::string& term : free)
    if (only_stop_words || !is_stop_term(term)) marked_terms_.insert(term);
  for (const auto& phrase : phrases_)
    for (const std::string& term : phrase)
      if (!is_stop_term(term)) marked_terms_.insert(term);
  // An empty match over the terms gives MSet::snippet what to mark, phrases' words included
  // (with no terms, the match of everything: snippets then mark nothing).
  Xapian::Enquire marking(database);
  // Every marked word weighs the same in choosing the window: over several databases Xapian
  // gives MSet::snippet the sum of each database's bound on a term's weight, so weights from
  // any scheme would grow with the number of shards holding the term, and shards would choose
  // other windows than one database.
  marking.set_weighting_scheme(Xapian::BoolWeight());
  marking.set_query(
      marked_terms_.empty()
          ? Xapian::Query(std::string())
          : Xapian::Query(Xapian::Query::OP_OR, marked_terms_.begin(), marked_terms_.end()));
  marker_ = marking.get_mset(0, 0);
  // One stemmer for every snippet of the highlighter: its cache of stemmed words serves the
  // whole page. With no terms nothing can be marked, and stemming each word would be wasted.
  stemmer_ =
      marked_terms_.empty() ? Xapian::Stem() : analyzers::highlighting_stemmer(marked_terms_);
}

std::string Highlighter::marked(const std::string& text, std::size_t bytes,
                                const char* omitted) const {
  // Without the background model: it looks up every word's frequency in the index, which
  // cost more than the rest of a request; the densest window of matches is good enough.
  const std::string html = marker_.snippet(text, bytes, stemmer_, Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                           std::string(kOpen), std::string(kClose), omitted);
  return phrases_.empty() ? html : join_phrases(html);
}

std::string Highlighter::snippet(const std::string& text, std::size_t bytes) const {
  return marked(text, bytes, "\xE2\x80\xA6");
}

std::string Highlighter::mark_all(const std::string& text) const {
  // Room for the escapes too ("<" becomes "&lt;"), so that the generator never cuts the text.
  return marked(text, 6 * text.size() + 64, "");
}

bool Highlighter::continues_phrase(const std::vector<std::string>& words) const {
  // Each word as the terms it may stand for; the run must be consecutive terms of a phrase.
  std::vector<std::vector<std::string>> candidates;
  for (const std::string& word : words) {
    candidates.push_back(terms_of(word));
    if (candidates.back().empty()) return false;
  }
  for (const auto& phrase : phrases_) {
    for (std::size_t start = 0; start + words.size() <= phrase.size(); ++start) {
      bool all = true;
      for (std::size_t i = 0; all && i < words.size(); ++i) {
        const auto& options = candidates[i];
        all = std::find(options.begin(), options.end(), phrase[start + i]) != options.end();
      }
      if (all) return true;
    }
  }
  return false;
}

std::string Highlighter::join_phrases(const std::string& html) const {
  std::string out;
  std::size_t at = 0;
  while (true) {
    const std::size_t open = html.find(kOpen, at);
    if (open == std::string::npos) break;
    const std::size_t close = html.find(kClose, open);
    if (close == std::string::npos) break;
    out.append(html, at, open - at);
    std::string inner = html.substr(open + kOpen.size(), close - open - kOpen.size());
    at = close + kClose.size();
    // Absorb the next marks while only a phrase's stop words lie between.
    while (true) {
      const std::size_t next = html.find(kOpen, at);
      if (next == std::string::npos) break;
      const std::size_t next_close = html.find(kClose, next);
      if (next_close == std::string::npos) break;
      const std::string_view gap(html.data() + at, next - at);
      std::optional<std::vector<std::string>> between = stop_words_between(gap);
      if (!between) break;
      const std::string following =
          html.substr(next + kOpen.size(), next_close - next - kOpen.size());
      const std::vector<std::string> before = split_at_spaces(inner);
      const std::vector<std::string> after = split_at_spaces(following);
      if (before.empty() || after.empty()) break;
      std::vector<std::string> run{before.back()};
      run.insert(run.end(), between->begin(), between->end());
      run.push_back(after.front());
      if (!continues_phrase(run)) break;
      inner.append(gap).append(following);
      at = next_close + kClose.size();
    }
    out.append(kOpen).append(inner).append(kClose);
  }
  out.append(html, at, std::string::npos);
  return out;
}

}  // namespace lupa::searchd
