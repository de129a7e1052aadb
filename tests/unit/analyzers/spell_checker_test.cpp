// "Did you mean": the dictionaries (SpellChecker) alone, then QueryAnalyzer's corrections on a
// real index of the bundled corpus's text files, against the lists in tests/data/spelling/:
// no valid word or acronym gets a suggestion; at least 90 % of real misspellings get the
// right one (the figures are printed).
#include "lupa/analyzers/spell_checker.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "lupa/analyzers/query_analyzer.h"
#include "lupa/analyzers/text_normalizer.h"
#include "support/temp_dir.h"
#include "support/test_index.h"

namespace lupa::analyzers {
namespace {

namespace fs = std::filesystem;

const SpellChecker& checker() {
  static const std::shared_ptr<const SpellChecker> shared = SpellChecker::system();
  return *shared;
}

TEST(SpellChecker, KnowsWordsOfEitherLanguageTypedWithOrWithoutTheirAccents) {
  for (const char* word :
       {"agua", "cuidados", "contra", "missing", "audit", "formación", "formacion", "informacion",
        "compania", "anticorruption", "Mexico", "WATER"})
    EXPECT_TRUE(checker().is_word(word)) << word;
  for (const char* word : {"transparancy", "goverment", "corupcion", "partisipacion"})
    EXPECT_FALSE(checker().is_word(word)) << word;
}

TEST(SpellChecker, TellsTheLanguageAWordIsValidIn) {
  EXPECT_TRUE(checker().is_word_in("agua", Language::kSpanish));
  EXPECT_FALSE(checker().is_word_in("agua", Language::kEnglish));
  EXPECT_TRUE(checker().is_word_in("water", Language::kEnglish));
}

TEST(SpellChecker, SuggestsSingleWordsAndNothingForOverlongWords) {
  const std::vector<std::string> suggestions = checker().suggest("goverment");
  EXPECT_NE(std::find(suggestions.begin(), suggestions.end(), "government"), suggestions.end());
  for (const std::string& suggestion : suggestions)
    EXPECT_EQ(suggestion.find(' '), std::string::npos) << suggestion;
  EXPECT_TRUE(checker().suggest(std::string(SpellChecker::kMaxSuggestedBytes + 1, 'a')).empty());
}

TEST(SpellChecker, RemembersSuggestionsAsTheyWereGiven) {
  const std::vector<std::string> first = checker().suggest("transparancy");
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(checker().suggest("transparancy"), first);
  EXPECT_EQ(checker().suggest("TRANSPARANCY"), first);
}

TEST(SpellChecker, AMissingDictionaryIsAnErrorNamingTheFile) {
  lupa::testing::TempDir empty;
  try {
    SpellChecker unusable(empty.path());
    FAIL() << "loaded dictionaries from an empty folder";
  } catch (const SpellDictionaryError& error) {
    EXPECT_NE(std::string(error.what()).find((empty.path() / "es_MX.aff").string()),
              std::string::npos)
        << error.what();
  }
}

TEST(SpellChecker, AnswersTheSameFromManyThreadsAtOnce) {
  const std::vector<std::string> words = {"goverment", "agua"};
  std::vector<std::vector<std::string>> expected;
  for (const std::string& word : words) expected.push_back(checker().suggest(word));
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (std::size_t i = 0; i < words.size(); ++i) {
        if (checker().suggest(words[i]) != expected[i]) ++wrong[t];
        if (checker().is_word(words[i]) != (words[i] == "agua")) ++wrong[t];
      }
    });
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

TEST(EditDistance, CountsCharactersAndATranspositionAsOneEdit) {
  EXPECT_EQ(edit_distance("transparancy", "transparency"), 1u);
  EXPECT_EQ(edit_distance("corrupcoin", "corrupcion"), 1u);  // transposition
  EXPECT_EQ(edit_distance("compania", "compañía"), 2u);      // ñ and í are one character each
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("agua", "agua"), 0u);
}

// The bundled corpus's text documents, indexed once for the whole suite.
class SpellingOnTheCorpus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new lupa::testing::TempDir;
    const fs::path corpus = fs::path(LUPA_SOURCE_DIR) / "corpus";
    fs::create_directories(dir_->path() / "corpus");
    for (const auto& entry : fs::directory_iterator(corpus))
      if (entry.is_regular_file())
        fs::copy_file(entry.path(), dir_->path() / "corpus" / entry.path().filename());
    lupa::testing::index_folders(dir_->path() / "db", {dir_->path() / "corpus"});
    database_ = new Xapian::Database((dir_->path() / "db").string());
  }
  static void TearDownTestSuite() {
    delete database_;
    delete dir_;
  }

  static std::string corrected(const std::string& query) {
    return QueryAnalyzer(*database_).analyze(query).corrected;
  }

  static std::vector<std::string> lines_of(const std::string& name) {
    std::ifstream file(fs::path(LUPA_SOURCE_DIR) / "tests/data/spelling" / name);
    std::vector<std::string> lines;
    for (std::string line; std::getline(file, line);)
      if (!line.empty() && line.front() != '#') lines.push_back(line);
    return lines;
  }

  static lupa::testing::TempDir* dir_;
  static Xapian::Database* database_;
};

lupa::testing::TempDir* SpellingOnTheCorpus::dir_ = nullptr;
Xapian::Database* SpellingOnTheCorpus::database_ = nullptr;

TEST_F(SpellingOnTheCorpus, NoValidWordOrAcronymGetsASuggestion) {
  const std::vector<std::string> words = lines_of("valid-words.txt");
  ASSERT_GE(words.size(), 300u);
  std::vector<std::string> corrected_words;
  for (const std::string& word : words)
    if (const std::string correction = corrected(word); !correction.empty())
      corrected_words.push_back(word + " -> " + correction);
  std::cout << "valid words: " << words.size() - corrected_words.size() << " of " << words.size()
            << " left alone\n";
  EXPECT_TRUE(corrected_words.empty()) << ::testing::PrintToString(corrected_words);
}

TEST_F(SpellingOnTheCorpus, AtLeastNineInTenRealMisspellingsGetTheRightCorrection) {
  const std::vector<std::string> lines = lines_of("misspellings.tsv");
  ASSERT_GE(lines.size(), 60u);
  std::size_t right = 0;
  std::vector<std::string> wrong;
  for (const std::string& line : lines) {
    const std::size_t tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    const std::string typo = line.substr(0, tab), expected = line.substr(tab + 1);
    const std::string correction = corrected(typo);
    if (fold_for_matching(correction) == fold_for_matching(expected))
      ++right;
    else
      wrong.push_back(typo + " -> " + (correction.empty() ? "(none)" : correction) + ", expected " +
                      expected);
  }
  std::cout << "misspellings: " << right << " of " << lines.size() << " corrected right\n";
  for (const std::string& each : wrong) std::cout << "  " << each << "\n";
  EXPECT_GE(right * 10, lines.size() * 9) << ::testing::PrintToString(wrong);
}

TEST_F(SpellingOnTheCorpus, AMisspeltWordMatchesNothingAndItsCorrectionMatches) {
  // "transparancy" and "transparency" share the English stem "transpar": the typo must not
  // pass for a match, so that its correction is run and said to be.
  const AnalyzedQuery typo = QueryAnalyzer(*database_).analyze("transparancy");
  EXPECT_EQ(typo.corrected, "transparency");
  Xapian::Enquire enquire(*database_);
  enquire.set_query(typo.query);
  EXPECT_EQ(enquire.get_mset(0, 10).size(), 0u);
  enquire.set_query(QueryAnalyzer(*database_).analyze(typo.corrected).query);
  EXPECT_GT(enquire.get_mset(0, 10).size(), 0u);
}

TEST_F(SpellingOnTheCorpus, OnlyTheMisspeltWordOfAQueryIsCorrected) {
  EXPECT_EQ(corrected("agua goverment"), "agua government");
  EXPECT_EQ(corrected("\"datos abiertos\" AND corupcion"), "\"datos abiertos\" AND corrupción");
  EXPECT_EQ(corrected("what did Mexico promise"), "");
  EXPECT_EQ(corrected("SFPP"), "");  // an acronym, not a typo of another body's
  EXPECT_EQ(corrected("TRANSPARANCY"), "transparency");
}

TEST_F(SpellingOnTheCorpus, OverlongWordsAreNotLookedUp) {
  const std::string word(QueryLimits::kMaxCorrectedBytes + 1, 'x');
  EXPECT_EQ(corrected("transparencia " + word), "");
}

TEST_F(SpellingOnTheCorpus, WithoutSpellingNoDictionaryIsAsked) {
  QueryOptions options;
  options.spelling = false;
  EXPECT_EQ(QueryAnalyzer(*database_, options).analyze("transparancy").corrected, "");
}

}  // namespace
}  // namespace lupa::analyzers
