// Removes conversion debris from text that came out of PDFs and web pages: inline HTML tags
// and entities, markdown emphasis and links. Hand-written scanners rather than std::regex:
// this runs over every byte of the corpus and regex replacement was the indexer's bottleneck.
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

/// Both of the above, then runs of spaces and tabs inside a line collapsed to one space,
/// except tabs between table cells, which are kept.
std::string clean_converted_text(std::string_view text);

}  // namespace lupa::indexer
