#include "lupa/indexer/commitment_linker.h"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "lupa/analyzers/passage_record.h"
#include "lupa/analyzers/schema.h"

namespace lupa::indexer {
namespace {

using schema::CommitmentLinks;
using schema::PassageRecord;

// What linking reads of a commitment passage.
struct Record {
  Xapian::docid docid = 0;
  std::string id;
  std::string doc;
  std::string type;
  std::vector<std::string> plans;
  int number = 0;  // 0: none
  std::string own_ogp_id;
  std::vector<int> original_paragraphs;
};

Record read_record(Xapian::docid docid, const PassageRecord& stored) {
  Record record;
  record.docid = docid;
  record.id = stored.id;
  record.doc = stored.doc;
  record.type = stored.type.value_or("");
  record.plans = stored.plans;
  if (!stored.commitment) return record;
  record.number = stored.commitment->number.value_or(0);
  record.own_ogp_id = stored.commitment->ogp_id;
  record.original_paragraphs = stored.commitment->original_paragraphs;
  return record;
}

using PlanNumber = std::pair<std::string, int>;

}  // namespace

std::size_t link_commitments(Xapian::WritableDatabase& database) {
  const std::string term = schema::facet_term(*schema::find_facet("kind"),
                                              schema::to_string(schema::PassageKind::kCommitment));

  std::vector<Record> records;
  std::map<Xapian::docid, PassageRecord> stored_by_docid;
  for (auto posting = database.postlist_begin(term); posting != database.postlist_end(term);
       ++posting) {
    const Xapian::Document document = database.get_document(*posting);
    PassageRecord stored = PassageRecord::parse(document.get_data());
    records.push_back(read_record(*posting, stored));
    stored_by_docid.emplace(*posting, std::move(stored));
  }

  // Commitments of each plan's own documents, and the OGP entries of each plan.
  std::map<PlanNumber, std::vector<const Record*>> in_plan_documents, ogp_entries;
  std::map<std::pair<std::string, std::string>, std::set<int>> numbers_per_plan_document;
  std::map<std::string, std::set<int>> entry_numbers_per_plan;
  for (const Record& record : records) {
    if (record.number == 0 || record.plans.size() != 1) continue;
    const PlanNumber key{record.plans.front(), record.number};
    if (!record.own_ogp_id.empty()) {
      ogp_entries[key].push_back(&record);
      entry_numbers_per_plan[key.first].insert(record.number);
    } else if (record.type == "action-plan") {
      in_plan_documents[key].push_back(&record);
      numbers_per_plan_document[{key.first, record.doc}].insert(record.number);
    }
  }
  // Numbering agrees when a plan document numbers its commitments 1..N and the website lists
  // N entries for that plan; the 2011 plan numbers by paragraph (21-38) and is not matched.
  std::set<std::string> comparable_plans;
  for (const auto& [plan_document, numbers] : numbers_per_plan_document) {
    const auto& entries = entry_numbers_per_plan[plan_document.first];
    const bool one_to_n = !numbers.empty() && *numbers.begin() == 1 &&
                          *numbers.rbegin() == static_cast<int>(numbers.size());
    if (one_to_n && entries == numbers) comparable_plans.insert(plan_document.first);
  }

  std::size_t changed = 0;
  for (const Record& record : records) {
    CommitmentLinks links;
    if (record.number != 0 && record.plans.size() == 1 &&
        comparable_plans.contains(record.plans.front())) {
      const PlanNumber key{record.plans.front(), record.number};
      const auto& others = record.own_ogp_id.empty() ? ogp_entries[key] : in_plan_documents[key];
      for (const Record* other : others) links.same_as.push_back(other->id);
      if (record.own_ogp_id.empty() && ogp_entries[key].size() == 1)
        links.linked_ogp_id = ogp_entries[key].front()->own_ogp_id;
    }
    for (int paragraph : record.original_paragraphs)
      for (const std::string& plan : record.plans)
        for (const Record* original : in_plan_documents[{plan, paragraph}])
          links.original.push_back(original->id);

    // Rewritten only when its links change; a record never linked counts as linked to nothing.
    const PassageRecord& before = stored_by_docid.at(record.docid);
    if (links == before.links.value_or(CommitmentLinks{})) continue;

    PassageRecord after = before;
    after.links = std::move(links);
    Xapian::Document document = database.get_document(record.docid);
    schema::replace_facet_terms(before, after, document);
    document.set_data(after.serialise());
    database.replace_document(record.docid, document);
    ++changed;
  }
  return changed;
}

}  // namespace lupa::indexer
