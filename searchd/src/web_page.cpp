#include "lupa/searchd/web_page.h"

#include <Poco/URI.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <string_view>

#include "lupa/searchd/markup_escape.h"

namespace lupa::searchd {
namespace {

// The interface's words. Facets carry their own titles (schema.h), facet values their own
// labels (data/*.tsv).
struct Words {
  const char* es;
  const char* en;
};
const std::map<std::string, Words, std::less<>> kWords = {
    {"tagline",
     {"Buscador de planes de acción, autoevaluaciones e informes de la Alianza para el Gobierno "
      "Abierto",
      "Search Open Government Partnership action plans, self-assessments and reports"}},
    {"search", {"Buscar", "Search"}},
    {"query", {"Palabras a buscar", "Words to search for"}},
    {"filters", {"Filtros", "Filters"}},
    {"apply", {"Aplicar filtros", "Apply filters"}},
    {"skip", {"Ir a los resultados", "Skip to results"}},
    {"results", {"pasajes", "passages"}},
    {"did_you_mean", {"¿Quiso decir", "Did you mean"}},
    {"showing_for",
     {"No hubo resultados; se muestran los de", "Nothing matched; showing results for"}},
    {"relaxed",
     {"Ningún pasaje tiene todas las palabras; se muestran los que tienen algunas.",
      "No passage has every word; showing those with some of them."}},
    {"previous", {"Anterior", "Previous"}},
    {"next", {"Siguiente", "Next"}},
    {"page", {"Página", "Page"}},
    {"of", {"de", "of"}},
    {"pages", {"Páginas de resultados", "Result pages"}},
    {"export", {"Descargar todos los resultados:", "Download every result:"}},
    {"follow", {"Seguir esta búsqueda (Atom)", "Follow this search (Atom)"}},
    {"other_language", {"English", "Español"}},
    {"document", {"Documento", "Document"}},
    {"doc_page", {"pág.", "p."}},
    {"source_ocr", {"texto reconocido (OCR), confianza", "recognised text (OCR), confidence"}},
    {"translation", {"Traducción", "Translation"}},
    {"same_commitment",
     {"El mismo compromiso en otros documentos", "The same commitment in other documents"}},
    {"similar", {"Compromisos parecidos", "Similar commitments"}},
    {"back", {"Volver a la búsqueda", "Back to search"}},
    {"metadata", {"Datos del pasaje", "About this passage"}},
    {"no_results", {"Ningún pasaje coincide.", "No passage matches."}},
    {"also_in", {"También en:", "Also in:"}},
    {"collapsed",
     {"Traducciones y copias de estos pasajes, mostradas una vez:",
      "Translations and copies of these passages, shown once:"}},
    {"more", {"más", "more"}},
    {"and", {"y", "and"}},
};

const char* word(const std::string& key, UiLanguage ui) {
  const auto found = kWords.find(key);
  if (found == kWords.end()) return "";
  return ui == UiLanguage::kSpanish ? found->second.es : found->second.en;
}

const char* code(UiLanguage ui) {
  return ui == UiLanguage::kSpanish ? "es" : "en";
}

std::string encoded(const std::string& text) {
  std::string out;
  Poco::URI::encode(text, "!#$&'()*+,/:;=?@[]", out);
  return out;
}

// The URL's parameters with `key` replaced by `value` (removed when empty); `page` is dropped
// unless it is the key, since a changed search starts on its first page.
std::string link(const QueryParameters& parameters, const std::string& key,
                 const std::string& value, const std::string& path = "/") {
  std::string query;
  auto add = [&](const std::string& name, const std::string& item) {
    query += query.empty() ? '?' : '&';
    query += encoded(name);
    query += '=';
    query += encoded(item);
  };
  for (const auto& [name, item] : parameters)
    if (name != key && (name != "page" || key == "page")) add(name, item);
  if (!value.empty()) add(key, value);
  return escape_markup(path + query);
}

std::string facet_label(const FacetValue& value, UiLanguage ui) {
  const std::string& label = ui == UiLanguage::kSpanish ? value.label.es : value.label.en;
  return label.empty() ? value.value : label;
}

std::string value_label(const schema::Facet& facet, const std::string& value, UiLanguage ui) {
  const analyzers::Label label = schema::value_label(facet, value);
  const std::string& text = ui == UiLanguage::kSpanish ? label.es : label.en;
  return text.empty() ? value : text;
}

std::string_view facet_title(const schema::Facet& facet, UiLanguage ui) {
  return ui == UiLanguage::kSpanish ? facet.title.es : facet.title.en;
}

void head(std::ostringstream& out, const std::string& title, UiLanguage ui,
          const std::string& feed_url) {
  out << "<!doctype html>\n<html lang=\"" << code(ui) << "\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << escape_markup(title) << "</title>\n";
  if (!feed_url.empty())
    out << "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"" << feed_url << "\">\n";
  out << "<link rel=\"stylesheet\" href=\"/static/lupa.css\">\n</head>\n<body>\n";
}

constexpr std::size_t kValuesShown = 15;

// The other sources of a hit's text (its near-duplicates), each a link to that passage.
void also_in_html(std::ostringstream& out, const Hit& hit, UiLanguage ui) {
  if (hit.also_in.empty()) return;
  out << "<p class=\"also-in\">" << word("also_in", ui) << " ";
  for (std::size_t i = 0; i < hit.also_in.size(); ++i) {
    const schema::PassageRecord& other = hit.also_in[i];
    if (i > 0) out << " · ";
    out << "<a href=\"" << link({{"ui", code(ui)}}, "", "", "/passages/" + other.id) << "\">"
        << escape_markup(other.title);
    // Two copies of one page share a title: their files tell them apart.
    if (other.title == hit.record.title) out << " (" << escape_markup(other.doc) << ")";
    if (other.page) out << ", " << word("doc_page", ui) << " " << *other.page;
    if (other.source == schema::TextSource::kOcr) out << " (OCR)";
    out << "</a>";
  }
  if (hit.also_in_more > 0)
    out << " " << word("and", ui) << " " << hit.also_in_more << " " << word("more", ui);
  out << "</p>\n";
}

void hit_html(std::ostringstream& out, const Hit& hit, UiLanguage ui, schema::FacetTable table) {
  const schema::PassageRecord& record = hit.record;
  out << "<li><article class=\"hit\" lang=\"" << escape_markup(record.lang) << "\">\n<h2><a href=\""
      << link({{"ui", code(ui)}}, "", "", "/passages/" + record.id) << "\">"
      << escape_markup(record.heading.empty() ? record.title : record.heading) << "</a></h2>\n"
      << "<p class=\"snippet\">" << hit.snippet << "</p>\n<p class=\"chips\">";
  for (const char* chip : {"plan", "agency", "challenge"}) {
    const schema::Facet* facet = schema::find_facet(chip, table);
    if (!facet) continue;
    for (const std::string& value : facet->values(record))
      out << "<span class=\"chip " << chip << "\">" << escape_markup(value_label(*facet, value, ui))
          << "</span> ";
  }
  out << "</p>\n<p class=\"where\">" << escape_markup(record.title);
  if (record.page) out << " · " << word("doc_page", ui) << " " << *record.page;
  if (record.source == schema::TextSource::kOcr)
    out << " · " << word("source_ocr", ui) << " " << std::lround(record.confidence.value_or(0));
  out << "</p>\n";
  also_in_html(out, hit, ui);
  out << "</article></li>\n";
}

}  // namespace

UiLanguage choose_ui_language(const std::string& ui_parameter, const std::string& accept_language) {
  if (ui_parameter == "en") return UiLanguage::kEnglish;
  if (ui_parameter == "es") return UiLanguage::kSpanish;
  const auto es = accept_language.find("es"), en = accept_language.find("en");
  if (en != std::string::npos && (es == std::string::npos || en < es)) return UiLanguage::kEnglish;
  return UiLanguage::kSpanish;
}

std::string render_search_page(const SearchRequest& request, const SearchResult& result,
                               const QueryParameters& parameters, UiLanguage ui,
                               schema::FacetTable table) {
  QueryParameters with_ui = parameters;
  std::erase_if(with_ui, [](const auto& p) { return p.first == "ui"; });
  with_ui.emplace_back("ui", code(ui));
  QueryParameters search_only = parameters;
  std::erase_if(search_only, [](const auto& p) { return p.first == "ui" || p.first == "page"; });

  std::ostringstream out;
  head(out, request.query.empty() ? "Lupa" : "Lupa: " + request.query, ui,
       link(search_only, "", "", "/api/feed"));
  out << "<a class=\"skip\" href=\"#results\">" << word("skip", ui) << "</a>\n<header>\n"
      << "<p class=\"brand\"><a href=\"/?ui=" << code(ui) << "\">Lupa</a></p>\n<p>"
      << word("tagline", ui) << "</p>\n<p class=\"ui\"><a href=\""
      << link(with_ui, "ui", ui == UiLanguage::kSpanish ? "en" : "es") << "\" lang=\""
      << (ui == UiLanguage::kSpanish ? "en" : "es") << "\">" << word("other_language", ui)
      << "</a></p>\n</header>\n"
      << "<form method=\"get\" action=\"/\" role=\"search\">\n"
      << "<input type=\"hidden\" name=\"ui\" value=\"" << code(ui) << "\">\n"
      << "<p class=\"box\"><label for=\"q\">" << word("query", ui) << "</label>\n"
      << "<input id=\"q\" name=\"q\" type=\"search\" value=\"" << escape_markup(request.query)
      << "\">\n"
      << "<button type=\"submit\">" << word("search", ui) << "</button></p>\n"
      << "<div class=\"layout\">\n<aside aria-label=\"" << word("filters", ui) << "\">\n";
  for (const schema::Facet& panel : table) {
    if (!panel.shown) continue;
    const std::string name(panel.name);
    const auto facet = std::find_if(result.facets.begin(), result.facets.end(),
                                    [&](const Facet& f) { return f.name == name; });
    if (facet == result.facets.end() || facet->values.empty()) continue;
    const auto selected = request.filters.find(name);
    out << "<fieldset class=\"facet\" id=\"facet-" << escape_markup(name) << "\">\n<legend>"
        << escape_markup(facet_title(panel, ui)) << "</legend>\n";
    std::size_t shown = 0;
    for (const FacetValue& value : facet->values) {
      const bool checked = selected != request.filters.end() &&
                           std::find(selected->second.begin(), selected->second.end(),
                                     value.value) != selected->second.end();
      if (!checked && shown >= kValuesShown) continue;
      ++shown;
      const std::string input_id = "f-" + name + "-" + value.value;
      out << "<div><input type=\"checkbox\" name=\"" << escape_markup(name) << "\" value=\""
          << escape_markup(value.value) << "\" id=\"" << escape_markup(input_id) << "\""
          << (checked ? " checked" : "") << ">"
          << "<label for=\"" << escape_markup(input_id) << "\">"
          << escape_markup(facet_label(value, ui)) << " <span class=\"count\">" << value.count
          << "</span></label></div>\n";
    }
    out << "</fieldset>\n";
  }
  out << "<button type=\"submit\">" << word("apply", ui) << "</button>\n</aside>\n"
      << "<main id=\"results\" tabindex=\"-1\">\n<p class=\"total\" role=\"status\"><span "
         "id=\"total\">"
      << result.total << "</span> " << word("results", ui) << "</p>\n";
  if (result.corrected) {
    out << "<p class=\"correction\">"
        << word(result.corrected_applied ? "showing_for" : "did_you_mean", ui) << " <a href=\""
        << link(with_ui, "q", *result.corrected) << "\">" << escape_markup(*result.corrected)
        << "</a>" << (result.corrected_applied ? "" : "?") << "</p>\n";
  }
  if (result.collapsed > 0)
    out << "<p class=\"collapsed\">" << word("collapsed", ui) << " " << result.collapsed
        << "</p>\n";
  if (result.relaxed) out << "<p class=\"relaxed\">" << word("relaxed", ui) << "</p>\n";
  if (result.hits.empty()) out << "<p>" << word("no_results", ui) << "</p>\n";
  out << "<ol class=\"hits\" start=\"" << (result.hits.empty() ? 1 : result.hits.front().rank)
      << "\">\n";
  for (const Hit& hit : result.hits) hit_html(out, hit, ui, table);
  out << "</ol>\n";
  const int pages = static_cast<int>((result.total + static_cast<unsigned>(request.per_page) - 1) /
                                     static_cast<unsigned>(request.per_page));
  if (pages > 1) {
    out << "<nav class=\"pager\" aria-label=\"" << word("pages", ui) << "\">";
    if (request.page > 1)
      out << "<a rel=\"prev\" href=\"" << link(with_ui, "page", std::to_string(request.page - 1))
          << "\">" << word("previous", ui) << "</a> ";
    out << "<span>" << word("page", ui) << " " << request.page << " " << word("of", ui) << " "
        << pages << "</span>";
    if (request.page < pages && request.page < kMaxPage)
      out << " <a rel=\"next\" href=\"" << link(with_ui, "page", std::to_string(request.page + 1))
          << "\">" << word("next", ui) << "</a>";
    out << "</nav>\n";
  }
  out << "<p class=\"export\">" << word("export", ui) << " <a href=\""
      << link(search_only, "format", "csv", "/api/export") << "\" download>CSV</a> · <a href=\""
      << link(search_only, "format", "json", "/api/export") << "\" download>JSON</a> · <a href=\""
      << link(search_only, "", "", "/api/feed") << "\">" << word("follow", ui) << "</a></p>\n"
      << "</main>\n</div>\n</form>\n</body>\n</html>\n";
  return out.str();
}

std::string render_passage_page(const PassageView& view, UiLanguage ui, schema::FacetTable table) {
  const schema::PassageRecord& passage = view.passage;
  const std::string& heading = passage.heading;
  std::ostringstream out;
  head(out, heading.empty() ? passage.title : heading + " — " + passage.title, ui, "");
  const std::string ui_query = std::string("?ui=") + code(ui);
  auto passage_link = [&](const schema::PassageRecord& other, const std::string& text) {
    out << "<a href=\"/passages/" << escape_markup(other.id) << ui_query << "\" lang=\""
        << escape_markup(other.lang) << "\">" << escape_markup(text) << "</a>";
  };
  out << "<header>\n<p class=\"brand\"><a href=\"/" << ui_query << "\">Lupa</a></p>\n"
      << "<p><a href=\"/" << ui_query << "\">" << word("back", ui) << "</a></p>\n</header>\n"
      << "<main id=\"results\">\n<article class=\"passage\" lang=\"" << escape_markup(passage.lang)
      << "\">\n<h1>" << escape_markup(heading.empty() ? passage.title : heading) << "</h1>\n";
  std::istringstream lines(passage.text);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) out << "<p>" << escape_markup(line) << "</p>\n";
  out << "</article>\n<section aria-labelledby=\"about\">\n<h2 id=\"about\">"
      << word("metadata", ui) << "</h2>\n<dl>\n<dt>" << word("document", ui) << "</dt><dd>"
      << escape_markup(passage.title);
  if (passage.page) out << " · " << word("doc_page", ui) << " " << *passage.page;
  out << "</dd>\n";
  for (const schema::Facet& facet : table) {
    if (!facet.shown || facet.field.empty()) continue;
    const std::vector<std::string> values = facet.values(passage);
    if (values.empty()) continue;
    out << "<dt>" << escape_markup(facet_title(facet, ui)) << "</dt><dd>";
    for (std::size_t i = 0; i < values.size(); ++i)
      out << (i ? ", " : "") << escape_markup(value_label(facet, values[i], ui));
    out << "</dd>\n";
  }
  out << "</dl>\n</section>\n<nav class=\"neighbours\">";
  if (view.previous) {
    out << "<p>" << word("previous", ui) << ": ";
    passage_link(*view.previous, view.previous->heading);
    out << "</p>";
  }
  if (view.next) {
    out << "<p>" << word("next", ui) << ": ";
    passage_link(*view.next, view.next->heading);
    out << "</p>";
  }
  out << "</nav>\n";
  if (view.translation) {
    out << "<section class=\"translation\"><h2>" << word("translation", ui) << "</h2><p>";
    passage_link(*view.translation, view.translation->heading);
    out << "</p></section>\n";
  }
  if (!view.same_commitment.empty()) {
    out << "<section><h2>" << word("same_commitment", ui) << "</h2><ul>\n";
    const schema::Facet* type = schema::find_facet("type", table);
    const schema::Facet* stage = schema::find_facet("report_stage", table);
    for (const schema::PassageRecord& other : view.same_commitment) {
      // "IRM report, Results report: <title>": which document says what about it.
      std::string kind;
      if (type && other.type) kind = value_label(*type, *other.type, ui);
      if (stage && other.report_stage)
        kind += (kind.empty() ? "" : ", ") + value_label(*stage, *other.report_stage, ui);
      out << "<li>";
      passage_link(other, kind.empty() ? other.title : kind + ": " + other.title);
      out << "</li>\n";
    }
    out << "</ul></section>\n";
  }
  if (view.similar && !view.similar->hits.empty()) {
    out << "<section><h2>" << word("similar", ui) << "</h2><ul>\n";
    for (const Hit& hit : view.similar->hits) {
      out << "<li>";
      passage_link(hit.record, hit.record.heading + " (" + hit.record.title + ")");
      out << "</li>\n";
    }
    out << "</ul></section>\n";
  }
  out << "</main>\n</body>\n</html>\n";
  return out.str();
}

}  // namespace lupa::searchd
