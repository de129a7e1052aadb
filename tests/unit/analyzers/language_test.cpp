#include "lupa/analyzers/language.h"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>
#include <string>

#include "lupa/analyzers/text_normalizer.h"
#include "support/temp_dir.h"

namespace lupa::analyzers {
namespace {

using lupa::testing::corpus_dir;

// The first line of corpus file `file` that starts with `start`, whole.
std::string corpus_line(const std::string& file, const std::string& start) {
  std::istringstream in(lupa::testing::read_file(corpus_dir() / file));
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(start)) return line;
  ADD_FAILURE() << file << " has no line starting with '" << start << "'";
  return {};
}

struct CorpusPassage {
  const char* name;
  const char* file;
  const char* starts_with;
  Language expected;
};

class IdentifyLanguageOnCorpus : public ::testing::TestWithParam<CorpusPassage> {};

TEST_P(IdentifyLanguageOnCorpus, RecognisesTheLanguageOfARealParagraph) {
  const auto& param = GetParam();
  const std::string text = corpus_line(param.file, param.starts_with);
  ASSERT_GT(text.size(), 100u) << "the passage should be a whole paragraph";
  // Whatever the fallback, the evidence decides.
  for (Language fallback : kLanguages) {
    EXPECT_EQ(identify_language(text, fallback), param.expected)
        << param.name << " with fallback " << language_code(fallback);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, IdentifyLanguageOnCorpus,
    ::testing::Values(CorpusPassage{"plan2011_es_25", "mx-2011-action-plan-es-en.txt",
                                    "25. Este compromiso", Language::kSpanish},
                      CorpusPassage{"plan2011_en_25", "mx-2011-action-plan-es-en.txt",
                                    "25. The objective is", Language::kEnglish},
                      CorpusPassage{"plan2011_es_6", "mx-2011-action-plan-es-en.txt",
                                    "6. Integrar este plan", Language::kSpanish},
                      CorpusPassage{"plan2011_en_6", "mx-2011-action-plan-es-en.txt",
                                    "6. Putting together", Language::kEnglish},
                      CorpusPassage{"self_assessment_commitment14",
                                    "mx-2012-self-assessment-report.txt", "Commitment No. 14",
                                    Language::kEnglish},
                      CorpusPassage{"self_assessment_mexicos_case",
                                    "mx-2012-self-assessment-report.txt", "In Mexico's case",
                                    Language::kEnglish},
                      CorpusPassage{"balance_preambulo", "mx-2015-balance-ogp-mexico.txt",
                                    "En el marco del 66", Language::kSpanish}),
    [](const ::testing::TestParamInfo<CorpusPassage>& case_info) {
      return std::string(case_info.param.name);
    });

TEST(Language, IdentifiesWholeCorpusDocumentsFromTheirOpening) {
  struct {
    const char* file;
    Language expected;
  } const documents[] = {{"mx-2012-self-assessment-report.txt", Language::kEnglish},
                         {"mx-2015-balance-ogp-mexico.txt", Language::kSpanish},
                         {"mx-2011-action-plan-es-en.txt", Language::kSpanish}};
  for (const auto& document : documents) {
    const std::string text = lupa::testing::read_file(corpus_dir() / document.file).substr(0, 5000);
    for (Language fallback : kLanguages)
      EXPECT_EQ(identify_language(text, fallback), document.expected) << document.file;
  }
}

TEST(Language, FallsBackWhenThereIsNoEvidence) {
  // Ids, years and words in neither stop list say nothing about the language.
  for (const char* text : {"MX0075 2019", "", "OGP", "Gob.Mx 2013-2015"}) {
    EXPECT_EQ(identify_language(std::string_view(text), Language::kSpanish), Language::kSpanish)
        << text;
    EXPECT_EQ(identify_language(std::string_view(text), Language::kEnglish), Language::kEnglish)
        << text;
  }
}

TEST(Language, FallsBackWhenEvidenceIsBalanced) {
  // One Spanish-only stop word ("los") against one English-only one ("the").
  EXPECT_EQ(identify_language(std::string_view("los the"), Language::kEnglish), Language::kEnglish);
  EXPECT_EQ(identify_language(std::string_view("los the"), Language::kSpanish), Language::kSpanish);
}

TEST(Language, SpanishLettersAreEvidenceEvenWithoutStopWords) {
  EXPECT_EQ(identify_language(std::string_view("Compañía Pública"), Language::kEnglish),
            Language::kSpanish);
  EXPECT_EQ(identify_language(std::string_view("¿Cómo funciona?"), Language::kEnglish),
            Language::kSpanish);
}

TEST(Language, ShortEnglishSentenceIsEnglish) {
  EXPECT_EQ(identify_language(std::string_view("The objective is to publish the data"),
                              Language::kSpanish),
            Language::kEnglish);
}

TEST(Language, WordOverloadAgreesWithTextOverload) {
  const std::string text = "La información de los programas sociales";
  const auto words = segment_words(text);
  EXPECT_EQ(identify_language(words, Language::kEnglish), Language::kSpanish);
  EXPECT_EQ(identify_language(std::string_view(text), Language::kEnglish), Language::kSpanish);
}

TEST(Language, CodesRoundTrip) {
  for (Language language : kLanguages)
    EXPECT_EQ(language_from_code(language_code(language)), language);
  EXPECT_EQ(language_code(Language::kSpanish), "es");
  EXPECT_EQ(language_code(Language::kEnglish), "en");
  EXPECT_EQ(snowball_name(Language::kSpanish), "spanish");
  EXPECT_EQ(snowball_name(Language::kEnglish), "english");
}

TEST(Language, UnknownCodeThrowsInvalidArgumentNamingIt) {
  for (const char* code : {"fr", "ES", "", "spa"}) {
    try {
      language_from_code(code);
      ADD_FAILURE() << "no exception for '" << code << "'";
    } catch (const std::invalid_argument& error) {
      EXPECT_NE(std::string(error.what()).find("'" + std::string(code) + "'"), std::string::npos)
          << error.what();
    }
  }
}

TEST(Language, StopWordsAreFoldedAndLowerCase) {
  const auto& spanish = stop_words(Language::kSpanish);
  const auto& english = stop_words(Language::kEnglish);
  EXPECT_TRUE(spanish.contains("de"));
  EXPECT_TRUE(spanish.contains("los"));
  EXPECT_TRUE(english.contains("the"));
  EXPECT_TRUE(english.contains("of"));
  EXPECT_FALSE(english.contains("los"));
  EXPECT_FALSE(spanish.contains("the"));
  for (const auto* words : {&spanish, &english}) {
    for (const std::string& word : *words) {
      EXPECT_EQ(fold_diacritics(word), word) << "stop word not folded: " << word;
      for (char c : word)
        EXPECT_FALSE(c >= 'A' && c <= 'Z') << "stop word not lower case: " << word;
    }
  }
}

}  // namespace
}  // namespace lupa::analyzers
