#include "lupa/indexer/document_builder.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "lupa/analyzers/language.h"
#include "lupa/analyzers/reference_data.h"
#include "lupa/analyzers/text_normalizer.h"
#include "lupa/indexer/commitment_linker.h"
#include "lupa/indexer/duplicate_grouper.h"

namespace lupa::indexer {
namespace {

// The date a passage is about (docs/schema.md, "Passage dates"): a commitment belongs to its
// plan's period wherever it is listed, so an OGP page of 2021 listing a 2011 commitment does
// not make it a 2021 one; anything else is about its document's date.
std::optional<schema::PassageDate> date_about(const Passage& passage,
                                              const std::vector<std::string>& plans,
                                              const DocumentMetadata& metadata) {
  if (passage.commitment) {
    if (plans.size() == 1)
      if (const auto plan = analyzers::ReferenceData::instance().plan(plans.front()))
        return schema::PassageDate{std::to_string(plan->first_year),
                                   std::to_string(plan->last_year)};
    for (const auto& [field, value] : passage.commitment->fields)
      if (field == "year" && schema::is_iso_date(value)) return schema::PassageDate::on(value);
  }
  if (metadata.date && schema::is_iso_date(*metadata.date))
    return schema::PassageDate::on(*metadata.date);
  return std::nullopt;
}

}  // namespace

schema::PassageRecord make_passage_record(const std::string& document_path,
                                          const DocumentMetadata& metadata, const Passage& passage,
                                          double indexed_at) {
  schema::PassageRecord record;
  record.id = schema::passage_id(document_path, passage.ordinal);
  record.doc = document_path;
  record.title = metadata.title.value_or(document_path);
  record.heading = passage.heading;
  record.kind = passage.kind;
  record.ordinal = passage.ordinal;
  record.paragraph = passage.number;
  record.page = passage.page;
  record.source = passage.text_source;
  if (passage.ocr_confidence) record.confidence = std::round(*passage.ocr_confidence);
  record.lang = passage.language;
  record.plans = passage.plans.empty() ? metadata.plans : passage.plans;
  record.type = metadata.type;
  record.country = metadata.country;
  record.date = metadata.date;
  record.passage_date = date_about(passage, record.plans, metadata);
  record.publisher = metadata.source;
  record.doc_languages = metadata.languages;
  record.indexed_at = static_cast<std::int64_t>(indexed_at);
  if (!passage.section_number.empty()) record.section = passage.section_number;
  record.challenges = passage.challenges;
  record.themes = passage.themes;
  record.agencies = passage.agencies;
  record.responsible = passage.responsible;
  record.organizations = passage.organizations;
  record.status = passage.status;
  record.supporting = passage.supporting;
  record.report_stage = metadata.report_stage;
  record.irm = passage.irm;
  if (passage.translation_ordinal > 0)
    record.translation_id = schema::passage_id(document_path, passage.translation_ordinal);
  record.commitment = passage.commitment;
  record.text = passage.text;
  return record;
}

Xapian::Document DocumentBuilder::build(const std::string& document_path,
                                        const DocumentMetadata& metadata, const Passage& passage,
                                        double indexed_at) {
  return build(document_path, metadata, passage, analyzers::segment_words(passage.text),
               indexed_at);
}

Xapian::Document DocumentBuilder::build(const std::string& document_path,
                                        const DocumentMetadata& metadata, const Passage& passage,
                                        std::span<const std::string> text_words,
                                        double indexed_at) {
  const schema::PassageRecord record =
      make_passage_record(document_path, metadata, passage, indexed_at);
  const auto language = analyzers::language_from_code(passage.language);

  Xapian::Document document;
  analyzer_.start_document();
  // A heading names what its passages are about: weighted like a title field.
  if (!passage.heading.empty()) analyzer_.add_text(document, passage.heading, language, 3);
  if (passage.commitment && !passage.commitment->title.empty())
    analyzer_.add_text(document, passage.commitment->title, language, 3);
  analyzer_.add_words(document, text_words, language);

  document.add_boolean_term(schema::id_term(record.id));
  document.add_boolean_term(schema::file_term(document_path));
  schema::add_facet_terms(record, document, facets_);
  document.add_value(schema::kSlotIndexedAt, Xapian::sortable_serialise(indexed_at));
  document.add_value(schema::kSlotLanguage, passage.language);
  const std::optional<int> day_number =
      record.passage_date ? schema::first_day(record.passage_date->start) : std::nullopt;
  const schema::DateSortKeys sort_keys = schema::passage_date_sort_keys(day_number, record.id);
  document.add_value(schema::kSlotNewestFirst, sort_keys.newest);
  document.add_value(schema::kSlotOldestFirst, sort_keys.oldest);
  document.add_value(schema::kSlotPassageId, record.id);
  if (day_number)
    document.add_value(schema::kSlotPassageDate, Xapian::sortable_serialise(*day_number));
  if (passage.translation_ordinal > 0) {
    const std::string translation_group =
        document_path + "#" +
        std::to_string(std::min(passage.ordinal, passage.translation_ordinal));
    document.add_value(schema::kSlotTranslationGroup, translation_group);
    // Shown once with its translation; the duplicate grouper widens the group to duplicates.
    document.add_value(schema::kSlotShownOnce, translation_group);
  }
  // What the duplicate grouper and the commitment linker read at the end of a run, made here on
  // the worker threads rather than from the document data on the writer's.
  document.add_value(schema::kSlotDuplicateSignature, duplicate_signature(passage.text));
  if (record.kind == schema::PassageKind::kCommitment)
    document.add_value(schema::kSlotCommitmentLinks, commitment_link_value(record));
  document.set_data(record.serialise());
  return document;
}

}  // namespace lupa::indexer
