// End to end: commitments, facets and field queries on the real corpus, served by the real
// daemon. Expected values are counted independently from the corpus files where possible.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "support/http_client.h"
#include "support/search_api.h"
#include "support/temp_dir.h"

namespace lupa::testing {
namespace {

using Poco::JSON::Object;

CorpusServer& server() {
  return CorpusServer::instance();
}

Object::Ptr passage(const std::string& id) {
  const HttpReply reply = http_get(server().port(), "/api/passages/" + id);
  EXPECT_EQ(reply.status, 200) << id;
  return reply.json();
}

std::vector<Object::Ptr> commitments_of(const std::string& doc) {
  std::vector<Object::Ptr> found;
  for (const auto& hit : server().all_hits("q=&kind=commitment"))
    if (hit->getValue<std::string>("doc") == doc) found.push_back(hit);
  return found;
}

TEST(FacetsE2E, PlanSummaryYieldsThirteenCommitmentsAndTheOgpPageEightySevenWithTheirPlans) {
  const auto summary = commitments_of("corpus/mx-2019-2021-action-plan-summary.txt");
  ASSERT_EQ(summary.size(), 13u);
  std::set<int> numbers;
  for (const auto& hit : summary) {
    numbers.insert(hit->getValue<int>("commitment_number"));
    EXPECT_EQ(hit->getValue<std::string>("plan"), "mx-2019-2021");
  }
  EXPECT_EQ(numbers.size(), 13u);
  EXPECT_EQ(*numbers.begin(), 1);
  EXPECT_EQ(*numbers.rbegin(), 13);

  // The page's own "MX0075, 2019, ..." lines, read here with a regex, give id and year.
  const std::string page = read_file(corpus_dir() / "mx-ogp-member-page.txt");
  const std::regex entry(R"((MX\d{4}), (\d{4}))");
  std::map<std::string, std::string> expected_plan;
  const std::map<std::string, std::string> plan_of_year = {{"2011", "mx-2011-2013"},
                                                           {"2013", "mx-2013-2015"},
                                                           {"2016", "mx-2016-2018"},
                                                           {"2019", "mx-2019-2021"}};
  for (std::sregex_iterator it(page.begin(), page.end(), entry), end; it != end; ++it)
    expected_plan[(*it)[1]] = plan_of_year.at((*it)[2]);
  ASSERT_EQ(expected_plan.size(), 87u);

  const auto entries = commitments_of("corpus/mx-ogp-member-page.txt");
  ASSERT_EQ(entries.size(), 87u);
  std::map<std::string, std::string> actual_plan;
  for (const auto& hit : entries)
    actual_plan[hit->getValue<std::string>("commitment")] = hit->getValue<std::string>("plan");
  EXPECT_EQ(actual_plan, expected_plan);
}

TEST(FacetsE2E, PlanSummaryCommitmentsAreLinkedToTheirOgpEntries) {
  const auto result = server().search_q("commitment:MX0085", "&per_page=10");
  std::set<std::string> docs;
  for (unsigned i = 0; i < result->getArray("hits")->size(); ++i) {
    const auto h = hit(result, i);
    docs.insert(h->getValue<std::string>("doc"));
    EXPECT_EQ(h->getValue<std::string>("commitment"), "MX0085");
  }
  EXPECT_EQ(docs, (std::set<std::string>{"corpus/mx-2019-2021-action-plan-summary.txt",
                                         "corpus/mx-ogp-member-page.txt"}));
  // Linked both ways, by id.
  for (unsigned i = 0; i < 2; ++i) {
    const auto own = passage(hit(result, i)->getValue<std::string>("id"));
    const auto other = hit(result, 1 - i)->getValue<std::string>("id");
    EXPECT_EQ(string_list(own, "same_as"), std::vector<std::string>{other});
  }
}

TEST(FacetsE2E, The2011PlanParagraphs21To38AreCommitmentsInBothLanguagesLinkedPairwise) {
  std::map<std::pair<int, std::string>, Object::Ptr> by_number;
  for (const auto& hit : commitments_of("corpus/mx-2011-action-plan-es-en.txt"))
    by_number[{hit->getValue<int>("commitment_number"), hit->getValue<std::string>("lang")}] = hit;
  EXPECT_EQ(by_number.size(), 36u);
  for (int number = 21; number <= 38; ++number) {
    ASSERT_TRUE(by_number.contains({number, "es"})) << number;
    ASSERT_TRUE(by_number.contains({number, "en"})) << number;
    const auto& spanish = by_number[{number, "es"}];
    const auto& english = by_number[{number, "en"}];
    EXPECT_EQ(spanish->getValue<std::string>("translation_id"),
              english->getValue<std::string>("id"));
    EXPECT_EQ(english->getValue<std::string>("translation_id"),
              spanish->getValue<std::string>("id"));
  }
  // Their challenge comes from the headings they sit under, in either language.
  EXPECT_EQ(string_list(by_number[{25, "es"}], "challenge"),
            std::vector<std::string>{"public-integrity"});
  EXPECT_EQ(string_list(by_number[{25, "en"}], "challenge"),
            std::vector<std::string>{"public-integrity"});
  EXPECT_EQ(string_list(by_number[{35, "en"}], "challenge"),
            std::vector<std::string>{"corporate-accountability"});
}

// Every form the gazetteer gives mx-sfp, matched here with std::regex over the raw passage
// text: an independent reading to compare the indexer's matcher with.
std::vector<std::regex> sfp_forms() {
  std::istringstream rows(read_file(source_dir() / "analyzers/data/agencies.tsv"));
  std::string row;
  while (std::getline(rows, row)) {
    if (!row.starts_with("mx-sfp\t")) continue;
    std::vector<std::string> columns;
    std::istringstream cells(row);
    for (std::string cell; std::getline(cells, cell, '\t');) columns.push_back(cell);
    std::vector<std::regex> forms;
    auto add = [&](std::string form, bool exact_case) {
      std::string escaped;
      for (char c : form) {
        if (std::string("\\^$.|?*+()[]{}").find(c) != std::string::npos) escaped += '\\';
        escaped += c;
      }
      auto flags = std::regex::ECMAScript;
      if (!exact_case) flags |= std::regex::icase;
      forms.emplace_back(R"((^|[^\w]))" + escaped + R"(($|[^\w]))", flags);
    };
    for (const auto& columns_with_lists : {2, 5}) {
      std::istringstream list(columns[static_cast<std::size_t>(columns_with_lists)]);
      for (std::string form; std::getline(list, form, '|');) {
        const bool exact = columns_with_lists == 2 || form.starts_with('^');
        add(form.starts_with('^') ? form.substr(1) : form, exact);
      }
    }
    add(columns[3], false);
    add(columns[4], false);
    return forms;
  }
  ADD_FAILURE() << "mx-sfp not in agencies.tsv";
  return {};
}

TEST(FacetsE2E, AnAgencyFilterReturnsEveryPassageThatNamesItAndOnlyThose) {
  const auto forms = sfp_forms();
  std::set<std::string> naming;
  for (const auto& hit : server().all_hits("q=")) {
    const std::string id = hit->getValue<std::string>("id");
    const auto stored = passage(id);
    const std::string text =
        stored->getValue<std::string>("heading") + "\n" + stored->getValue<std::string>("text");
    for (const auto& form : forms)
      if (std::regex_search(text, form)) naming.insert(id);
  }
  ASSERT_GT(naming.size(), 10u);
  std::set<std::string> filtered;
  for (const auto& hit : server().all_hits("q=&agency=mx-sfp"))
    filtered.insert(hit->getValue<std::string>("id"));
  EXPECT_EQ(filtered, naming);
  // Any form of the name works as the filter value too.
  EXPECT_EQ(total(server().search("q=&agency=SFP")), static_cast<int>(naming.size()));
  EXPECT_EQ(total(server().search("q=&agency=Secretar%C3%ADa+de+la+Funci%C3%B3n+P%C3%BAblica")),
            static_cast<int>(naming.size()));
}

TEST(FacetsE2E, FacetCountsEqualACountMadeOverEveryHit) {
  const std::string query = "q=" + url_encode("transparencia OR transparency");
  const auto result = server().search(query);
  const auto hits = server().all_hits(query);
  ASSERT_EQ(static_cast<int>(hits.size()), total(result));
  const std::map<std::string, std::string> list_field = {{"challenge", "challenge"},
                                                         {"theme", "themes"},
                                                         {"agency", "agencies"},
                                                         {"responsible", "responsible"},
                                                         {"organization", "organizations"}};
  for (const auto& [facet, field] : list_field) {
    std::map<std::string, int> counted;
    for (const auto& hit : hits)
      for (const auto& value : string_list(hit, field)) ++counted[value];
    EXPECT_EQ(facet_counts(result, facet), counted) << facet;
  }
  std::map<std::string, int> kinds, statuses;
  for (const auto& hit : hits) {
    ++kinds[hit->getValue<std::string>("kind")];
    if (!hit->isNull("status")) ++statuses[hit->getValue<std::string>("status")];
  }
  EXPECT_EQ(facet_counts(result, "kind"), kinds);
  EXPECT_EQ(facet_counts(result, "status"), statuses);
}

TEST(FacetsE2E, TickingASecondAgencyWidensTheResultsAndKeepsTheFirstAgencysCount) {
  const auto one = server().search("q=&agency=mx-sfp");
  const auto two = server().search("q=&agency=mx-sfp&agency=mx-shcp");
  const auto shcp_only = server().search("q=&agency=mx-shcp");
  EXPECT_GT(total(two), total(one));
  EXPECT_EQ(facet_counts(two, "agency").at("mx-sfp"), facet_counts(one, "agency").at("mx-sfp"));
  EXPECT_EQ(facet_counts(two, "agency").at("mx-shcp"), facet_counts(one, "agency").at("mx-shcp"));
  EXPECT_EQ(facet_counts(one, "agency").at("mx-sfp"), total(one));
  // OR within the facet: both sets, passages naming both counted once.
  std::set<std::string> both;
  for (const auto& hit : server().all_hits("q=&agency=mx-sfp"))
    both.insert(hit->getValue<std::string>("id"));
  for (const auto& hit : server().all_hits("q=&agency=mx-shcp"))
    both.insert(hit->getValue<std::string>("id"));
  EXPECT_EQ(total(two), static_cast<int>(both.size()));
  EXPECT_LT(total(shcp_only), total(two));
  // Other facets follow the agency filter: kind counts add up to the filtered total.
  int kinds = 0;
  for (const auto& [kind, count] : facet_counts(two, "kind")) kinds += count;
  EXPECT_EQ(kinds, total(two));
}

TEST(FacetsE2E, QueriesCanNameFields) {
  // A query shows one of a passage, its translation and their near-duplicates, browsing shows
  // every passage; within one language (lang=es) a field query and the filter must find the
  // same passages, the near-duplicates collapsed (`collapsed`) counted.
  const auto matching = [](const Object::Ptr& result) {
    return total(result) + result->getValue<int>("collapsed");
  };
  const std::string es = "&lang=es";
  EXPECT_EQ(matching(server().search_q("agency:SFP", es)),
            total(server().search("q=&agency=mx-sfp" + es)));
  EXPECT_EQ(matching(server().search_q("plan:mx-2019-2021", es)),
            total(server().search("q=&plan=mx-2019-2021" + es)));
  const int integrity = total(server().search("q=&challenge=public-integrity" + es));
  EXPECT_GT(integrity, 0);
  EXPECT_EQ(matching(server().search_q("challenge:\"public integrity\"", es)), integrity);
  EXPECT_EQ(matching(server().search_q("challenge:\"integridad pública\"", es)), integrity);
  // A field query combines with words: SFP's commitments about open data.
  const auto combined = server().search_q("(datos abiertos OR \"open data\") responsible:SFP");
  ASSERT_GT(total(combined), 0);
  for (unsigned i = 0; i < combined->getArray("hits")->size(); ++i)
    EXPECT_EQ(string_list(hit(combined, i), "responsible"), std::vector<std::string>{"mx-sfp"});
}

TEST(FacetsE2E, SelfAssessmentCasesCarryTheirFieldsAndLinks) {
  const auto cases = commitments_of("corpus/mx-2012-self-assessment-report.txt");
  Object::Ptr commitment14, budget;
  int table_rows = 0;
  for (const auto& hit : cases) {
    if (!hit->isNull("status")) ++table_rows;
    if (hit->isNull("commitment_number") || !hit->isNull("status")) {
      const auto stored = passage(hit->getValue<std::string>("id"));
      const auto references = stored->getObject("commitment")->getArray("original_paragraphs");
      if (references && references->size() == 1 && references->getElement<int>(0) == 26)
        budget = stored;
      continue;
    }
    if (hit->getValue<int>("commitment_number") == 14) commitment14 = hit;
  }
  // The compliance table: 36 commitments, two of them split in two rows (45a/b, 54a/b).
  EXPECT_EQ(table_rows, 38);
  ASSERT_TRUE(commitment14);
  EXPECT_EQ(string_list(commitment14, "responsible"), std::vector<std::string>{"mx-fgr"});
  // Its organisation field names ARTICLE 19; its text also cites ICESI's survey.
  EXPECT_EQ(string_list(commitment14, "organizations"),
            (std::vector<std::string>{"org-article19", "org-icesi"}));
  const auto fields = passage(commitment14->getValue<std::string>("id"))
                          ->getObject("commitment")
                          ->getObject("fields");
  EXPECT_EQ(fields->getValue<std::string>("compliance_date"), "September 2012");
  // "Paragraph of the Original Action Plan: 26" links to paragraph 26 in both languages.
  ASSERT_TRUE(budget);
  std::set<int> linked_numbers;
  std::set<std::string> linked_languages;
  for (const auto& id : string_list(budget, "original")) {
    const auto original = passage(id);
    linked_numbers.insert(original->getObject("commitment")->getValue<int>("number"));
    linked_languages.insert(original->getValue<std::string>("lang"));
  }
  EXPECT_EQ(linked_numbers, std::set<int>{26});
  EXPECT_EQ(linked_languages, (std::set<std::string>{"es", "en"}));
}

TEST(FacetsE2E, ResponsibleAgenciesAreToldApartFromAgenciesMerelyMentioned) {
  const auto mentioned = server().search("q=&agency=mx-sfp");
  const auto responsible = server().search("q=&responsible=mx-sfp");
  EXPECT_GT(total(responsible), 3);
  EXPECT_LT(total(responsible), total(mentioned));
  for (const auto& hit : server().all_hits("q=&responsible=mx-sfp")) {
    EXPECT_EQ(hit->getValue<std::string>("kind"), "commitment");
    const auto agencies = string_list(hit, "agencies");
    EXPECT_NE(std::find(agencies.begin(), agencies.end(), "mx-sfp"), agencies.end());
  }
}

TEST(FacetsE2E, FacetsEndpointListsEveryFacetWithLabelsAndTotals) {
  const HttpReply reply = http_get(server().port(), "/api/facets");
  ASSERT_EQ(reply.status, 200);
  const auto facets = reply.json();
  const auto health = http_get(server().port(), "/healthz").json();
  EXPECT_EQ(facets->getValue<int>("total"), health->getValue<int>("passages"));
  for (const std::string name :
       {"plan", "challenge", "theme", "agency", "responsible", "organization", "status", "kind",
        "type", "lang", "year", "country"})
    EXPECT_FALSE(facet_counts(facets, name).empty()) << name;
  EXPECT_EQ(facet_counts(facets, "challenge").size(), 5u);
  const auto plans = facets->getObject("facets")->getArray("plan");
  bool labelled = false;
  for (unsigned i = 0; i < plans->size(); ++i) {
    const auto value = plans->getObject(i);
    if (value->getValue<std::string>("value") != "mx-2019-2021") continue;
    labelled = value->getValue<std::string>("label") == "Mexico 2019-2021 (action plan 4)" &&
               value->getValue<std::string>("label_es") == "México 2019-2021 (plan de acción 4)";
  }
  EXPECT_TRUE(labelled);
  // The same counts as an unfiltered browse.
  EXPECT_EQ(facet_counts(facets, "agency"), facet_counts(server().search("q="), "agency"));
}

}  // namespace
}  // namespace lupa::testing
