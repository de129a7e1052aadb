#include "lupa/indexer/commitment_linker.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "lupa/analyzers/schema.h"
#include "lupa/indexer/document_builder.h"

namespace lupa::indexer {
namespace {

using Poco::JSON::Object;

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

struct Links {
  std::vector<std::string> same_as;
  std::vector<std::string> original;
  std::string linked_ogp_id;
  bool operator==(const Links&) const = default;
};

std::vector<std::string> strings(const Poco::JSON::Array::Ptr& array) {
  std::vector<std::string> values;
  if (array)
    for (std::size_t i = 0; i < array->size(); ++i)
      values.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
  return values;
}

Record read_record(Xapian::docid docid, const Object::Ptr& stored) {
  Record record;
  record.docid = docid;
  record.id = stored->getValue<std::string>("id");
  record.doc = stored->getValue<std::string>("doc");
  record.type = stored->optValue<std::string>("type", "");
  record.plans = strings(stored->getArray("plans"));
  const auto commitment = stored->getObject("commitment");
  if (!commitment) return record;
  record.number = commitment->optValue<int>("number", 0);
  record.own_ogp_id = commitment->optValue<std::string>("ogp_id", "");
  const auto references = commitment->getArray("original_paragraphs");
  if (references)
    for (std::size_t i = 0; i < references->size(); ++i)
      record.original_paragraphs.push_back(references->getElement<int>(static_cast<unsigned>(i)));
  return record;
}

Links read_links(const Object::Ptr& stored) {
  Links links;
  links.same_as = strings(stored->getArray("same_as"));
  links.original = strings(stored->getArray("original"));
  links.linked_ogp_id = stored->optValue<std::string>("linked_ogp_id", "");
  return links;
}

using PlanNumber = std::pair<std::string, int>;

}  // namespace

std::size_t link_commitments(Xapian::WritableDatabase& database) {
  const auto kind = schema::find_facet("kind");
  const auto commitment_facet = schema::find_facet("commitment");
  const std::string term = schema::facet_term(*kind, "commitment");

  std::vector<Record> records;
  std::map<Xapian::docid, Object::Ptr> stored_by_docid;
  for (auto posting = database.postlist_begin(term); posting != database.postlist_end(term);
       ++posting) {
    const Xapian::Document document = database.get_document(*posting);
    auto stored = Poco::JSON::Parser().parse(document.get_data()).extract<Object::Ptr>();
    records.push_back(read_record(*posting, stored));
    stored_by_docid[*posting] = stored;
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
    Links links;
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

    Object::Ptr stored = stored_by_docid[record.docid];
    const Links before = read_links(stored);
    if (links == before) continue;

    Xapian::Document document = database.get_document(record.docid);
    if (!before.linked_ogp_id.empty() && before.linked_ogp_id != record.own_ogp_id)
      document.remove_term(schema::facet_term(*commitment_facet, before.linked_ogp_id));
    if (!links.linked_ogp_id.empty())
      document.add_boolean_term(schema::facet_term(*commitment_facet, links.linked_ogp_id));
    stored->set("same_as", json_list(links.same_as));
    stored->set("original", json_list(links.original));
    if (links.linked_ogp_id.empty())
      stored->remove("linked_ogp_id");
    else
      stored->set("linked_ogp_id", links.linked_ogp_id);
    std::ostringstream data;
    stored->stringify(data);
    document.set_data(data.str());
    database.replace_document(record.docid, document);
    ++changed;
  }
  return changed;
}

}  // namespace lupa::indexer
