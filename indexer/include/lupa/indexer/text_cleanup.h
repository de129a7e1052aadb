// Removes conversion debris from text that came out of PDFs and web pages: inline HTML tags
// and entities, markdown emphasis and links, lines of page chrome. Hand-written scanners
// rather than std::regex: this runs over every byte of the corpus and regex replacement was the
// indexer's bottleneck. Page chrome is the exception, its patterns being data: they are
// matched whole against short lines only.
#pragma once

#include <string>
#include <string_view>

namespace lupa::indexer {

/// Decodes HTML character references (&amp; &eacute; &#243; &#xF3;); unknown ones stay as is.
std::string decode_html_entities(std::string_view text);

/// Strips inline HTML tags (<p>, </i>, <ul style=...>) but keeps autolinks such as
/// <http://example.org>, then decodes entities.
std::string strip_inline_html(std::string_view text);

/// Removes markdown emphasis (**bold**, *italic*, __x__) and turns [text](url) links into
/// their text (followed by the URL in parentheses when it leads somewhere).
std::string strip_markdown(std::string_view text);

/// Joins a word that a line end split with a hyphen ("transpa-\nrencia" -> "transparencia")
/// when a lower-case letter stands on both sides; "Norte-\nSur" and "2019-\n2021" stay.
std::string join_hyphenated_lines(std::string_view text);

/// Runs of spaces inside each line collapsed to one; lines trimmed. Tabs are kept.
std::string collapse_spaces(std::string_view text);

/// Removes the lines that are the furniture of a web page or a printout rather than the
/// document (ReferenceData::is_page_chrome, analyzers/data/page-chrome.tsv: navigation, cookie
/// and share bars, breadcrumbs, "Page 3 of 88" in any language): left in, they would be
/// indexed and taken for headings and titles. A removed line's form feeds stay. Bare numbers
/// and dates stay too: they are table cells and the page numbers running headers end with.
std::string drop_page_chrome(std::string_view text);

/// strip_inline_html and strip_markdown, then runs of spaces and tabs inside a line collapsed
/// to one space, except tabs between table cells, which are kept; then drop_page_chrome.
std::string clean_converted_text(std::string_view text);

}  // namespace lupa::indexer
