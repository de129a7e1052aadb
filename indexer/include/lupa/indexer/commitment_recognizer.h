// Finds the commitments, numbered sections and tables in a segmented document and tags every
// passage with the agencies, organisations, OGP challenges and policy areas it names.
//
// The rules are general (analyzers/data/recognizer-rules.tsv, table-columns.tsv,
// field-labels.tsv and the vocabularies), so a plan or report of the same shape from another
// plan or country is read the same way:
// - in an action plan, numbered paragraphs under a "Compromisos"/"Commitments" heading are
//   commitments, and the challenge headings between them give their OGP challenge;
// - "Commitment No. 14: title" starts a commitment anywhere, with the "Label: value" field
//   lines that follow it and the text after them up to the next commitment or heading;
// - a passage with a responsible-authority field is a commitment too (an outcome report);
// - a numbered entry followed by "MX0075, 2019, Fiscal Openness" is an OGP commitment entry;
// - a table whose header names a number and a title column gives one commitment per row;
// - text under a numbered section heading ("3.a—Impulso...") is a section.
// In a bilingual document, commitments with the same number in the two languages are linked
// as translations.
#pragma once

#include <vector>

#include "lupa/indexer/document.h"

namespace lupa::indexer {

/// Rewrites `passages` (languages set) of a document with `metadata`: commitments get their
/// kind and fields, tables become one passage per row, ordinals are renumbered.
void recognize_commitments(std::vector<Passage>& passages, const DocumentMetadata& metadata);

/// Sets the facet values (agencies, responsible, supporting, organizations, challenges, themes,
/// status) of every passage of a document with `metadata` from its heading, its text and its
/// commitment fields. Bodies are those of the document's country (Vocabulary::Scope); a lead
/// or supporting field naming an institution the gazetteer does not know adds it to
/// `discovered` and its derived id to the facet values.
void tag_passages(std::vector<Passage>& passages, const DocumentMetadata& metadata);

}  // namespace lupa::indexer
