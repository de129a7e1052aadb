#include "lupa/indexer/segmenter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <ostream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "lupa/analyzers/language.h"
#include "lupa/indexer/extractor.h"
#include "support/temp_dir.h"

namespace lupa::indexer {
namespace {

using lupa::testing::corpus_dir;

// A corpus file as the indexer segments it: extracted (and cleaned) first.
SegmentedText segment_corpus_file(const std::string& name) {
  const auto path = corpus_dir() / name;
  return segment_text(extract_text(path, lupa::testing::read_file(path)).text);
}

std::string describe(const Passage& passage) {
  std::ostringstream out;
  out << "passage " << passage.ordinal << " (number "
      << (passage.number ? std::to_string(*passage.number) : "-") << ", heading '"
      << passage.heading << "'): " << passage.text.substr(0, 120);
  return out.str();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const Passage* find_passage(const SegmentedText& segmented, const std::string& part) {
  for (const Passage& passage : segmented.passages)
    if (contains(passage.text, part)) return &passage;
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// The 2011 action plan: Spanish original (paragraphs 1-38) then its English translation
// (paragraphs 1-38 again), with a three-line running header on every page.

class ActionPlan2011 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    segmented_ = new SegmentedText(segment_corpus_file("mx-2011-action-plan-es-en.txt"));
  }
  static void TearDownTestSuite() {
    delete segmented_;
    segmented_ = nullptr;
  }
  static const SegmentedText& segmented() { return *segmented_; }

  // The passages numbered `number`, in document order.
  static std::vector<const Passage*> numbered(int number) {
    std::vector<const Passage*> found;
    for (const Passage& passage : segmented().passages)
      if (passage.number == number) found.push_back(&passage);
    return found;
  }

 private:
  static inline SegmentedText* segmented_ = nullptr;
};

TEST_F(ActionPlan2011, EveryParagraphNumberOccursOnceInEachLanguage) {
  for (int n = 1; n <= 38; ++n) {
    const auto passages = numbered(n);
    ASSERT_EQ(passages.size(), 2u) << "paragraph " << n;
    EXPECT_EQ(analyzers::identify_language(passages[0]->text, analyzers::Language::kEnglish),
              analyzers::Language::kSpanish)
        << describe(*passages[0]);
    EXPECT_EQ(analyzers::identify_language(passages[1]->text, analyzers::Language::kSpanish),
              analyzers::Language::kEnglish)
        << describe(*passages[1]);
    EXPECT_TRUE(passages[0]->text.starts_with(std::to_string(n) + ". ")) << describe(*passages[0]);
    EXPECT_TRUE(passages[1]->text.starts_with(std::to_string(n) + ". ")) << describe(*passages[1]);
  }
  EXPECT_TRUE(numbered(0).empty());
  EXPECT_TRUE(numbered(39).empty());
}

TEST_F(ActionPlan2011, NumberedParagraphsComeInDocumentOrderSpanishThenEnglish) {
  std::vector<int> numbers;
  for (const Passage& passage : segmented().passages)
    if (passage.number) numbers.push_back(*passage.number);
  std::vector<int> expected;
  for (int round = 0; round < 2; ++round)
    for (int n = 1; n <= 38; ++n) expected.push_back(n);
  EXPECT_EQ(numbers, expected);
}

TEST_F(ActionPlan2011, RunningHeaderIsFoundAndDropped) {
  EXPECT_GT(segmented().header_lines_dropped, 20);
  const auto& header = segmented().running_header;
  for (const char* line : {"Alianza para el Gobierno Abierto Plan de Acción de México",
                           "Nueva York", "20 de septiembre de 2011"})
    EXPECT_NE(std::find(header.begin(), header.end(), line), header.end()) << line;

  // The document's body never uses these words: any occurrence is a header left behind.
  for (const Passage& passage : segmented().passages) {
    for (const char* line :
         {"Plan de Acción de México", "Nueva York", "20 de septiembre de 2011"}) {
      EXPECT_FALSE(contains(passage.text, line)) << describe(passage);
      EXPECT_FALSE(contains(passage.heading, line)) << describe(passage);
    }
  }
}

TEST_F(ActionPlan2011, ParagraphSplitByThePageHeaderIsJoinedAgain) {
  const auto sixth = numbered(6);
  ASSERT_EQ(sixth.size(), 2u);
  const std::string& text = sixth[0]->text;
  EXPECT_TRUE(contains(text, "Integrar este plan de acción")) << text;
  EXPECT_TRUE(contains(text, "que se sumaron las principales empresas")) << text;
  // Joined as one sentence, without the header in between.
  EXPECT_TRUE(contains(text, "a las que se sumaron")) << text;
  EXPECT_FALSE(contains(text, "Nueva York")) << text;
}

TEST_F(ActionPlan2011, PagesAreInferredFromTheHeaderRepeats) {
  int previous = 0;
  for (const Passage& passage : segmented().passages) {
    ASSERT_TRUE(passage.page.has_value()) << describe(passage);
    EXPECT_GE(*passage.page, previous) << describe(passage);
    previous = *passage.page;
  }
  EXPECT_EQ(numbered(1)[0]->page, 1);
  EXPECT_GT(numbered(26)[0]->page.value_or(0), 1);
  // The English translation starts on a later page than the last Spanish paragraph.
  EXPECT_GT(numbered(1)[1]->page.value_or(0), numbered(38)[0]->page.value_or(0));
}

TEST_F(ActionPlan2011, HeadingsNameTheSectionsTheParagraphsAreIn) {
  EXPECT_EQ(numbered(1)[0]->heading, "INTRODUCCIÓN");
  EXPECT_TRUE(contains(numbered(11)[0]->heading, "Esfuerzos realizados hasta ahora"));
  EXPECT_TRUE(contains(numbered(25)[0]->heading, "Aumentar la Integridad Pública"));
  EXPECT_TRUE(contains(numbered(25)[1]->heading, "Increasing Public Integrity"));
}

TEST_F(ActionPlan2011, OrdinalsCountPassagesFromOne) {
  int expected = 1;
  for (const Passage& passage : segmented().passages) EXPECT_EQ(passage.ordinal, expected++);
}

// ---------------------------------------------------------------------------------------------
// The 2019-2021 plan summary: 13 commitments, each a numbered title and a description line.

TEST(Segmenter, PlanSummaryHasThirteenCommitmentsWithTheirDescriptions) {
  const SegmentedText segmented = segment_corpus_file("mx-2019-2021-action-plan-summary.txt");
  std::vector<const Passage*> numbered;
  for (const Passage& passage : segmented.passages)
    if (passage.number) numbered.push_back(&passage);
  ASSERT_EQ(numbered.size(), 13u);

  // Each numbered line of the file and the whole line after it are in the passage numbered so.
  std::istringstream lines(
      lupa::testing::read_file(corpus_dir() / "mx-2019-2021-action-plan-summary.txt"));
  std::vector<std::string> all;
  for (std::string line; std::getline(lines, line);) all.push_back(line);
  int n = 0;
  for (std::size_t i = 0; i + 1 < all.size(); ++i) {
    if (!numbered_paragraph(all[i])) continue;
    ASSERT_LT(n, 13);
    const Passage& passage = *numbered[static_cast<std::size_t>(n)];
    ++n;
    EXPECT_EQ(passage.number, n);
    EXPECT_TRUE(passage.text.starts_with(all[i])) << describe(passage);
    EXPECT_TRUE(contains(passage.text, all[i + 1])) << describe(passage);
  }
  EXPECT_EQ(n, 13);

  EXPECT_TRUE(contains(numbered[0]->text, "Open and responsible spending on social programs"));
  EXPECT_TRUE(contains(numbered[0]->text, "Implement a pilot project in five social programs"));
  EXPECT_TRUE(contains(numbered[12]->text, "consolidation of an Open State in the country."));
}

// ---------------------------------------------------------------------------------------------
// The OGP member page: a list of 87 commitments, each "N. Title" followed by its id line
// ("MX0075, 2019, Fiscal Openness"), then a numbered list of resources.

class OgpMemberPage : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    segmented_ = new SegmentedText(segment_corpus_file("mx-ogp-member-page.txt"));
  }
  static void TearDownTestSuite() {
    delete segmented_;
    segmented_ = nullptr;
  }
  static const SegmentedText& segmented() { return *segmented_; }

  // The numbered passages before the "Resources" list.
  static std::vector<const Passage*> commitments() {
    std::vector<const Passage*> found;
    for (const Passage& passage : segmented().passages) {
      if (passage.heading == "Resources") break;
      if (passage.number) found.push_back(&passage);
    }
    return found;
  }

 private:
  static inline SegmentedText* segmented_ = nullptr;
};

TEST_F(OgpMemberPage, CommitmentsAreNumberedOneTo87InOrder) {
  const auto found = commitments();
  ASSERT_EQ(found.size(), 87u);
  for (std::size_t i = 0; i < found.size(); ++i)
    EXPECT_EQ(found[i]->number, static_cast<int>(i) + 1) << describe(*found[i]);
}

TEST_F(OgpMemberPage, FirstCommitmentCarriesItsIdAndTitle) {
  const Passage* passage = find_passage(segmented(), "MX0075");
  ASSERT_NE(passage, nullptr);
  EXPECT_EQ(passage->number, 1);
  EXPECT_TRUE(contains(passage->text, "Citizen Oversight of Social Program Spending"));
  EXPECT_TRUE(contains(passage->text, "Fiscal Openness"));
}

// Even after a title line of 200 bytes or more (long_paragraph_bytes), the id line
// ("MX0067, 2016, Public Service Delivery") stays with its commitment (17, 18, 19, 20, 22, 24)
// rather than becoming a heading for the passages after it.
TEST_F(OgpMemberPage, EveryCommitmentPassageContainsItsOwnMxId) {
  static const std::regex kId(R"(MX00\d\d, (19|20)\d\d)");
  std::vector<int> without_id;
  for (const Passage* passage : commitments())
    if (!std::regex_search(passage->text, kId)) without_id.push_back(passage->number.value_or(0));
  EXPECT_EQ(without_id, std::vector<int>{}) << "commitments whose passage lacks its MX id";
}

TEST_F(OgpMemberPage, IdLinesAreNeverHeadings) {
  std::set<std::string> id_headings;
  for (const Passage& passage : segmented().passages)
    if (contains(passage.heading, "MX00")) id_headings.insert(passage.heading);
  EXPECT_EQ(id_headings, std::set<std::string>{}) << "id lines taken for headings";
}

// An id taken for a heading would be in no passage's text.
TEST_F(OgpMemberPage, EachMxIdIsInExactlyOnePassage) {
  std::map<std::string, int> seen;
  static const std::regex kId(R"(MX00\d\d)");
  for (const Passage& passage : segmented().passages)
    for (std::sregex_iterator it(passage.text.begin(), passage.text.end(), kId), end; it != end;
         ++it)
      ++seen[it->str()];
  // MX0001 .. MX0087, as the page lists them.
  EXPECT_EQ(seen.size(), 87u);
  for (const auto& [id, count] : seen) EXPECT_EQ(count, 1) << id;
}

// ---------------------------------------------------------------------------------------------

TEST(Segmenter, SelfAssessmentReportHasTheCommitment14Passage) {
  const SegmentedText segmented = segment_corpus_file("mx-2012-self-assessment-report.txt");
  const Passage* passage = find_passage(segmented, "Commitment No. 14");
  ASSERT_NE(passage, nullptr);
  EXPECT_TRUE(passage->text.starts_with("Commitment No. 14: To develop a program"))
      << passage->text;
  EXPECT_EQ(passage->heading, "III.I Good practices");
  // No running header in this report: nothing is dropped.
  EXPECT_EQ(segmented.header_lines_dropped, 0);
  EXPECT_FALSE(passage->page.has_value());
}

TEST(Segmenter, BalanceReportHasPassagesUnderThePreambleHeading) {
  const SegmentedText segmented = segment_corpus_file("mx-2015-balance-ogp-mexico.txt");
  std::vector<const Passage*> preamble;
  for (const Passage& passage : segmented.passages)
    if (contains(passage.heading, "Preámbulo")) preamble.push_back(&passage);
  ASSERT_GE(preamble.size(), 1u);
  for (const Passage* passage : preamble) EXPECT_FALSE(passage->text.empty()) << describe(*passage);
  EXPECT_TRUE(preamble[0]->text.starts_with("En el marco del 66° período de sesiones"))
      << describe(*preamble[0]);
}

TEST(Segmenter, EveryCorpusDocumentGivesNonEmptyPassagesWithinTheSizeLimit) {
  const SegmenterOptions options;
  for (const char* name : {"mx-2011-action-plan-es-en.txt", "mx-2012-self-assessment-report.txt",
                           "mx-2015-balance-ogp-mexico.txt", "mx-2019-2021-action-plan-summary.txt",
                           "mx-ogp-member-page.txt"}) {
    const SegmentedText segmented = segment_corpus_file(name);
    EXPECT_GE(segmented.passages.size(), 13u) << name;
    for (const Passage& passage : segmented.passages) {
      EXPECT_FALSE(passage.text.empty()) << name << " " << describe(passage);
      EXPECT_LE(passage.text.size(), options.max_passage_bytes * 3 / 2)
          << name << " " << describe(passage);
      EXPECT_TRUE(passage.language.empty()) << "the segmenter does not set languages";
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The rules, on small invented documents.

TEST(Segmenter, ThreeLineHeaderRepeatedFourTimesIsDroppedAndMarksPages) {
  std::string text;
  for (int page = 1; page <= 4; ++page) {
    text += "Informe Anual de Transparencia\nCiudad de México\nEnero de 2020\n\n";
    text += std::to_string(page) + ". Párrafo de la página " + std::to_string(page) +
            " con su propio contenido.\n\n";
  }
  const SegmentedText segmented = segment_text(text);
  EXPECT_EQ(segmented.running_header,
            (std::vector<std::string>{"Informe Anual de Transparencia", "Ciudad de México",
                                      "Enero de 2020"}));
  EXPECT_EQ(segmented.header_lines_dropped, 12);
  ASSERT_EQ(segmented.passages.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    const Passage& passage = segmented.passages[static_cast<std::size_t>(i)];
    EXPECT_EQ(passage.number, i + 1);
    EXPECT_EQ(passage.page, i + 1) << describe(passage);
    EXPECT_FALSE(contains(passage.text, "Informe Anual")) << describe(passage);
    EXPECT_FALSE(contains(passage.heading, "Informe Anual")) << describe(passage);
  }
}

TEST(Segmenter, HeaderRepeatedTwiceIsNotAHeader) {
  std::string text;
  for (int page = 1; page <= 2; ++page)
    text += "Informe Anual\nCiudad de México\n\nTexto de la página número " + std::to_string(page) +
            ".\n";
  const SegmentedText segmented = segment_text(text);
  EXPECT_TRUE(segmented.running_header.empty());
  EXPECT_EQ(segmented.header_lines_dropped, 0);
}

TEST(Segmenter, SingleRepeatedFieldLineIsKept) {
  std::string text;
  for (int n = 1; n <= 5; ++n) {
    text += "Commitment No. " + std::to_string(n) + ": publish dataset number " +
            std::to_string(n) + " in open formats.\n";
    text += "Compliance date: September 2012\n\n";
  }
  const SegmentedText segmented = segment_text(text);
  EXPECT_TRUE(segmented.running_header.empty());
  EXPECT_EQ(segmented.header_lines_dropped, 0);
  int kept = 0;
  for (const Passage& passage : segmented.passages) {
    for (std::size_t at = passage.text.find("Compliance date: September 2012");
         at != std::string::npos; at = passage.text.find("Compliance date", at + 1))
      ++kept;
  }
  EXPECT_EQ(kept, 5);
}

TEST(Segmenter, FormFeedsGivePageNumbers) {
  const SegmentedText segmented = segment_text(
      "Primera página con texto.\n\fSegunda página con texto.\n\fTercera página.\fCuarta página.");
  ASSERT_EQ(segmented.passages.size(), 1u) << "short lines join one passage";
  EXPECT_EQ(segmented.passages[0].page, 1);

  const SegmentedText numbered = segment_text(
      "1. Primera página con texto.\n\f2. Segunda página con texto.\n\f\f4. Cuarta página.");
  ASSERT_EQ(numbered.passages.size(), 3u);
  EXPECT_EQ(numbered.passages[0].page, 1);
  EXPECT_EQ(numbered.passages[1].page, 2);
  EXPECT_EQ(numbered.passages[2].page, 4);
}

TEST(Segmenter, TextWithoutPagesHasNoPageNumbers) {
  const SegmentedText segmented = segment_text("1. Uno.\n2. Dos.\n");
  ASSERT_EQ(segmented.passages.size(), 2u);
  EXPECT_FALSE(segmented.passages[0].page.has_value());
}

TEST(Segmenter, OverlongParagraphIsSplitAtSentenceEnds) {
  SegmenterOptions options;
  options.max_passage_bytes = 500;
  std::string paragraph = "7.";
  for (int i = 1; i <= 60; ++i)
    paragraph += " Esta es la oración número " + std::to_string(i) + " del párrafo largo.";
  const SegmentedText segmented = segment_text(paragraph, options);
  ASSERT_GT(segmented.passages.size(), 1u);
  std::string joined;
  for (const Passage& passage : segmented.passages) {
    EXPECT_LE(passage.text.size(), options.max_passage_bytes * 3 / 2) << describe(passage);
    EXPECT_TRUE(passage.text.ends_with("largo.")) << "cut mid-sentence: " << describe(passage);
    if (!joined.empty()) joined += ' ';
    joined += passage.text;
  }
  EXPECT_EQ(joined, paragraph) << "nothing lost or repeated";
  EXPECT_EQ(segmented.passages[0].number, 7);
  for (std::size_t i = 1; i < segmented.passages.size(); ++i)
    EXPECT_FALSE(segmented.passages[i].number.has_value()) << "only the first piece is numbered";
}

TEST(Segmenter, NumberedParagraphsStartPassagesAndHeadingsNameThem) {
  const SegmentedText segmented = segment_text(
      "Introducción\n"
      "1. El primer párrafo numerado del plan.\n"
      "una línea que continúa el primero.\n"
      "2. El segundo párrafo numerado del plan, con más texto.\n"
      "y su continuación.\n"
      "Compromisos\n"
      "3) Un compromiso con paréntesis.\n");
  ASSERT_EQ(segmented.passages.size(), 3u);
  EXPECT_EQ(segmented.passages[0].heading, "Introducción");
  EXPECT_EQ(segmented.passages[0].number, 1);
  EXPECT_EQ(segmented.passages[0].text,
            "1. El primer párrafo numerado del plan.\nuna línea que continúa el primero.");
  EXPECT_EQ(segmented.passages[1].number, 2);
  EXPECT_EQ(segmented.passages[1].heading, "Introducción");
  EXPECT_EQ(segmented.passages[2].number, 3);
  EXPECT_EQ(segmented.passages[2].heading, "Compromisos");
  EXPECT_EQ(segmented.passages[2].text, "3) Un compromiso con paréntesis.");
}

TEST(Segmenter, TheLineAfterAShortNumberedTitleBelongsToIt) {
  // "3. Transparent Education Data" is a title; its id line reads like a heading but is not.
  const SegmentedText segmented = segment_text(
      "Commitments\n"
      "3. Transparent Education Data\n"
      "MX0077, 2019, Public Service Delivery\n"
      "4. Access to Sexual and Reproductive Health Services for Youth\n"
      "MX0078, 2019, Public Service Delivery\n");
  ASSERT_EQ(segmented.passages.size(), 2u);
  EXPECT_EQ(segmented.passages[0].text,
            "3. Transparent Education Data\nMX0077, 2019, Public Service Delivery");
  EXPECT_EQ(segmented.passages[1].number, 4);
  EXPECT_EQ(segmented.passages[1].heading, "Commitments");
  EXPECT_TRUE(contains(segmented.passages[1].text, "MX0078"));
}

// The rule above also applies to titles of long_paragraph_bytes (200) or more.
TEST(Segmenter, TheLineAfterALongNumberedTitleBelongsToItToo) {
  const std::string title =
      "17. Create a National System of Care with the Active Participation of Citizens Whose "
      "Aim Is to Promote Social Responsibility in Care Work (Family, Community, Market and "
      "State) to Achieve Substantive Equality";
  ASSERT_GE(title.size(), SegmenterOptions{}.long_paragraph_bytes);
  const SegmentedText segmented = segment_text("Commitments\n" + title +
                                               "\nMX0067, 2016, Public Service Delivery\n"
                                               "18. Having a Single Record\n"
                                               "MX0068, 2016, Public Service Delivery\n");
  ASSERT_EQ(segmented.passages.size(), 2u);
  EXPECT_EQ(segmented.passages[0].text, title + "\nMX0067, 2016, Public Service Delivery");
  EXPECT_EQ(segmented.passages[1].heading, "Commitments");
}

TEST(Segmenter, ManyHeadingsInARowBecomeATableOfContentsPassage) {
  const SegmentedText segmented = segment_text(
      "# Índice\nPreámbulo\nResultados\nConclusiones\nTexto del preámbulo, largo "
      "como un párrafo normal de un informe.\n");
  ASSERT_EQ(segmented.passages.size(), 2u);
  EXPECT_EQ(segmented.passages[0].text, "Índice\nPreámbulo\nResultados");
  EXPECT_EQ(segmented.passages[1].heading, "Conclusiones");
}

TEST(Segmenter, EmptyTextGivesNoPassages) {
  EXPECT_TRUE(segment_text("").passages.empty());
  EXPECT_TRUE(segment_text("\n\n  \n\f\n").passages.empty());
}

// ---------------------------------------------------------------------------------------------
// The helpers the rules are made of.

TEST(Segmenter, NumberedParagraph) {
  struct {
    const char* line;
    std::optional<int> number;
    const char* rest;
  } const cases[] = {{"25. Este compromiso consiste", 25, "Este compromiso consiste"},
                     {"3) Texto", 3, "Texto"},
                     {"1.   Espacios", 1, "Espacios"},
                     {"999. Máximo", 999, "Máximo"},
                     {"1000. Demasiados dígitos", std::nullopt, ""},
                     {"2019. Un año", std::nullopt, ""},
                     {"4.1 Subsección", std::nullopt, ""},
                     {"3.a Inciso", std::nullopt, ""},
                     {"1.- Guion", std::nullopt, ""},
                     {"12.", std::nullopt, ""},
                     {"12. ", std::nullopt, ""},
                     {"A. Letra", std::nullopt, ""},
                     {"MX0075, 2019", std::nullopt, ""},
                     {"", std::nullopt, ""}};
  for (const auto& c : cases) {
    const auto found = numbered_paragraph(c.line);
    ASSERT_EQ(found.has_value(), c.number.has_value()) << c.line;
    if (!found) continue;
    EXPECT_EQ(found->first, *c.number) << c.line;
    EXPECT_EQ(found->second, c.rest) << c.line;
  }
}

TEST(Segmenter, LooksLikeHeading) {
  struct {
    const char* line;
    bool heading;
  } const cases[] = {{"INTRODUCCIÓN", true},
                     {"II. Esfuerzos realizados hasta ahora", true},
                     {"# Plan de Acción", true},
                     {"### Resultados", true},
                     {"Árbol de decisiones", true},
                     {"¿Cómo funciona?", true},
                     {"¡Participa!", true},
                     {"Commitments:", true},
                     {"2019-2021", true},
                     {"Compliance date: September 2012", false},
                     {"la continuación de un párrafo", false},
                     {"Termina con punto.", false},
                     {"Termina con coma,", false},
                     {"Una lista de más de seis palabras termina así:", false},
                     {"- viñeta", false},
                     {"• viñeta", false},
                     {"Celda\tcelda", false},
                     {"Una línea con muchísimas palabras que no puede ser un título porque "
                      "es demasiado larga",
                      false},
                     {"", false}};
  for (const auto& c : cases) EXPECT_EQ(looks_like_heading(c.line), c.heading) << c.line;
}

TEST(Segmenter, ComparableLineIgnoresMarkupAndSpacing) {
  EXPECT_EQ(comparable_line("  **Nueva   York**  "), "Nueva York");
  EXPECT_EQ(comparable_line("## Plan\tde  Acción"), "Plan de Acción");
  EXPECT_EQ(comparable_line("_20 de septiembre_"), "20 de septiembre");
  EXPECT_EQ(comparable_line("   "), "");
}

}  // namespace

TEST(SegmenterRobustness, ALineOfHashesAloneIsNoHeadingAndNoError) {
  const auto segmented =
      segment_text("#\n\n###\n\nEl gobierno publicará los datos del presupuesto.\n");
  ASSERT_EQ(segmented.passages.size(), 1u);
  EXPECT_EQ(segmented.passages[0].heading, "");
  EXPECT_EQ(segmented.passages[0].text, "El gobierno publicará los datos del presupuesto.");
}

TEST(SegmenterRobustness, AnOverlongBlockWithoutSentenceEndsIsCutAtSpaces) {
  std::string words;
  for (int i = 0; i < 2000; ++i) words += "palabra ";
  const auto segmented = segment_text(words);
  ASSERT_GT(segmented.passages.size(), 3u);
  for (const auto& passage : segmented.passages) {
    EXPECT_LE(passage.text.size(), SegmenterOptions{}.max_passage_bytes * 3 / 2);
    EXPECT_FALSE(passage.text.starts_with(' '));
  }
}

// A file that is one line (old Mac line ends read as one, a base64 blob) is cut into passages
// that together hold its text once, whatever its length.
TEST(SegmenterRobustness, AHugeLineIsCutIntoBoundedPassagesHoldingItsTextOnce) {
  std::string line;
  while (line.size() < 1'000'000) line += "datos abiertos del presupuesto ";
  std::string blob(200'000, 'Q');
  const auto segmented = segment_text("Informe\n\n" + line + "\n" + blob + "\n");
  std::size_t words = 0, blob_bytes = 0;
  for (const auto& passage : segmented.passages) {
    EXPECT_LE(passage.text.size(), SegmenterOptions{}.max_passage_bytes * 3 / 2);
    EXPECT_EQ(passage.heading, "Informe");
    for (std::size_t at = passage.text.find("presupuesto"); at != std::string::npos;
         at = passage.text.find("presupuesto", at + 1))
      ++words;
    blob_bytes +=
        static_cast<std::size_t>(std::count(passage.text.begin(), passage.text.end(), 'Q'));
  }
  EXPECT_EQ(words, line.size() / std::string("datos abiertos del presupuesto ").size());
  EXPECT_EQ(blob_bytes, blob.size());
}

// A marked heading is copied into every passage under it: a page-long one is text.
TEST(SegmenterRobustness, AnOverlongMarkedHeadingIsText) {
  const std::string long_heading = "# " + std::string(400, 'h');
  const auto segmented = segment_text(long_heading + "\nEl texto sigue aquí con más palabras.\n");
  ASSERT_EQ(segmented.passages.size(), 1u);
  EXPECT_EQ(segmented.passages[0].heading, "");
  EXPECT_NE(segmented.passages[0].text.find(std::string(400, 'h')), std::string::npos);
  EXPECT_TRUE(looks_like_heading("# " + std::string(200, 'h')));
}

TEST(SegmenterRobustness, AnEndlessListOfHeadingsMakesPassagesOfBoundedSize) {
  std::string contents;
  for (int i = 1; i <= 400; ++i)
    contents += "Capitulo " + std::to_string(i) + " Sobre el gasto publico\n";
  contents += "\nEl texto del informe empieza aquí y describe los resultados del plan de acción.\n";
  const auto segmented = segment_text(contents);
  ASSERT_GT(segmented.passages.size(), 3u);
  for (const auto& passage : segmented.passages)
    EXPECT_LE(passage.text.size(), SegmenterOptions{}.max_passage_bytes);
  EXPECT_NE(segmented.passages.front().text.find("Capitulo 1 Sobre"), std::string::npos);
}

}  // namespace lupa::indexer
