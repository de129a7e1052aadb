#include "lupa/searchd/web_page.h"

#include <Poco/URI.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <string_view>

#include "lupa/searchd/markup_escape.h"
#include "lupa/searchd/original_files.h"

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
    {"clear_filters", {"Quitar los filtros", "Clear filters"}},
    {"show_all", {"Mostrar los", "Show all"}},
    {"show_fewer", {"Mostrar menos", "Show fewer"}},
    {"values_shown", {"mostrados", "shown"}},
    {"filter_box", {"Escriba para filtrar", "Type to filter"}},
    {"more_filters", {"Más filtros", "More filters"}},
    {"back_to_results", {"Volver a los resultados", "Back to results"}},
    {"commitment", {"Compromiso", "Commitment"}},
    {"number", {"núm.", "no."}},
    {"text_source", {"Origen del texto", "Text source"}},
    {"source_text", {"archivo de texto", "text file"}},
    {"source_text_layer", {"texto del PDF", "the PDF's text"}},
    {"cite", {"Citar", "Cite"}},
    {"passage", {"pasaje", "passage"}},
    {"open_original", {"Abrir el documento original", "Open the original document"}},
    {"at_page", {"en la página", "at page"}},
    {"sort", {"Ordenar", "Sort"}},
    {"relevance", {"por relevancia", "by relevance"}},
    {"newest", {"más recientes primero", "newest first"}},
    {"oldest", {"más antiguos primero", "oldest first"}},
    {"from", {"Desde", "From"}},
    {"to", {"Hasta", "To"}},
    {"date_format", {"AAAA, AAAA-MM o AAAA-MM-DD", "YYYY, YYYY-MM or YYYY-MM-DD"}},
    {"understood", {"Se entendió la pregunta sobre", "Understood as a question about"}},
    {"only_agency", {"ver solo sus pasajes", "show only its passages"}},
    {"agency_page", {"todos sus compromisos", "all its commitments"}},
    {"commitments", {"compromisos", "commitments"}},
    {"no_plan", {"Sin plan conocido", "No known plan"}},
    {"role_lead", {"responsable", "lead"}},
    {"role_supporting", {"de apoyo", "supporting"}},
    {"role_named", {"mencionada", "named"}},
    {"passages_of", {"pasajes", "passages"}},
    {"truncated",
     {"Se muestran los primeros compromisos; hay más.",
      "Showing the first commitments; there are more."}},
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

// `path` with every one of `parameters`, in order.
std::string url_with(const std::string& path, const QueryParameters& parameters) {
  std::string query;
  for (const auto& [name, item] : parameters) {
    query += query.empty() ? '?' : '&';
    query += encoded(name);
    query += '=';
    query += encoded(item);
  }
  return escape_markup(path + query);
}

// `parameters` with `ui` last, set to the interface language.
QueryParameters with_ui_last(QueryParameters parameters, UiLanguage ui) {
  std::erase_if(parameters, [](const auto& p) { return p.first == "ui"; });
  parameters.emplace_back("ui", code(ui));
  return parameters;
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
// `show=agency`: the agency panel lists every value.
constexpr const char* kShowAllParameter = "show";

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

// A body's page, for any facet whose values are bodies (agency, responsible, supporting).
std::string agency_path(const std::string& id) {
  return "/agencies/" + encoded(id);
}

// The order and the date range of the search: in the form, so they are kept by the next search
// (and by the pager's links, which carry every parameter).
void sort_and_range_html(std::ostringstream& out, const SearchRequest& request, UiLanguage ui) {
  out << "<p class=\"order\"><label for=\"sort\">" << word("sort", ui)
      << "</label>\n<select id=\"sort\" name=\"sort\">";
  for (const SortOrder order : {SortOrder::kRelevance, SortOrder::kNewest, SortOrder::kOldest}) {
    const std::string name(to_string(order));
    out << "<option value=\"" << name << "\"" << (order == request.sort ? " selected" : "") << ">"
        << word(name, ui) << "</option>";
  }
  out << "</select>\n";
  for (const auto& [name, bound] : {std::pair{"from", &request.from}, std::pair{"to", &request.to}})
    out << "<label for=\"" << name << "\">" << word(name, ui) << "</label> <input id=\"" << name
        << "\" name=\"" << name << "\" type=\"text\" size=\"10\" maxlength=\"10\" title=\""
        << word("date_format", ui) << "\" placeholder=\""
        << std::string(word("date_format", ui)).substr(0, 4) << "\" value=\""
        << (*bound ? escape_markup((*bound)->as_given) : "") << "\">\n";
  out << "</p>\n";
}

// `search`: the parameters of the results page, carried to the passage page so that it marks
// the query's words and links back to exactly these results.
void hit_html(std::ostringstream& out, const Hit& hit, UiLanguage ui, schema::FacetTable table,
              const QueryParameters& search) {
  const schema::PassageRecord& record = hit.record;
  out << "<li><article class=\"hit\" lang=\"" << escape_markup(record.lang) << "\">\n<h2><a href=\""
      << url_with("/passages/" + record.id, search) << "\">"
      << escape_markup(record.heading.empty() ? record.title : record.heading) << "</a></h2>\n"
      << "<p class=\"snippet\">" << hit.snippet << "</p>\n<p class=\"chips\">";
  for (const char* chip : {"plan", "agency", "challenge"}) {
    const schema::Facet* facet = schema::find_facet(chip, table);
    if (!facet) continue;
    for (const std::string& value : facet->values(record)) {
      if (facet->vocabulary == "agencies") {
        out << "<a class=\"chip " << chip << "\" href=\""
            << link({{"ui", code(ui)}}, "", "", agency_path(value)) << "\">"
            << escape_markup(value_label(*facet, value, ui)) << "</a> ";
        continue;
      }
      out << "<span class=\"chip " << chip << "\">" << escape_markup(value_label(*facet, value, ui))
          << "</span> ";
    }
  }
  out << "</p>\n<p class=\"where\">" << escape_markup(record.title);
  if (record.page) out << " · " << word("doc_page", ui) << " " << *record.page;
  if (record.passage_date)
    out << " · <span class=\"date\">" << escape_markup(record.passage_date->to_string())
        << "</span>";
  if (record.source == schema::TextSource::kOcr)
    out << " · " << word("source_ocr", ui) << " " << std::lround(record.confidence.value_or(0));
  out << "</p>\n";
  also_in_html(out, hit, ui);
  out << "</article></li>\n";
}

// The page's own parameters: what it shows, not what it searches for.
bool is_page_parameter(const std::string& name) {
  return name == "q" || name == "ui" || name == "page" || name == kShowAllParameter;
}

// Parameters the form has a control of its own for (sort_and_range_html), not a hidden input.
bool has_own_control(const std::string& name) {
  return name == "sort" || name == "from" || name == "to";
}

bool is_selected(const SearchRequest& request, const std::string& facet, const std::string& value) {
  const auto selected = request.filters.find(facet);
  return selected != request.filters.end() &&
         std::find(selected->second.begin(), selected->second.end(), value) !=
             selected->second.end();
}

// `after`: markup after the label (a link to the value's own page), or nothing.
void checkbox(std::ostringstream& out, const std::string& facet, const std::string& value,
              const std::string& label, Xapian::doccount count, bool checked,
              const std::string& after = "") {
  const std::string input_id = "f-" + facet + "-" + value;
  out << "<div><input type=\"checkbox\" name=\"" << escape_markup(facet) << "\" value=\""
      << escape_markup(value) << "\" id=\"" << escape_markup(input_id) << "\""
      << (checked ? " checked" : "") << ">"
      << "<label for=\"" << escape_markup(input_id) << "\">" << escape_markup(label)
      << " <span class=\"count\">" << count << "</span></label>" << after << "</div>\n";
}

// The link beside a body's value to its page, for facets whose values are bodies (agency,
// responsible, supporting); nothing for other facets.
std::string value_page_link(const schema::Facet& panel, const std::string& value,
                            const std::string& label, UiLanguage ui) {
  if (panel.vocabulary != "agencies") return "";
  return " <a class=\"agency-page\" href=\"" +
         link({{"ui", code(ui)}}, "", "", agency_path(value)) + "\" title=\"" +
         word("agency_page", ui) + "\" aria-label=\"" + word("agency_page", ui) + ": " +
         escape_markup(label) + "\">\xE2\x86\x97</a>";
}

// A facet's panel: its most frequent values, every selected one whatever its rank (so that
// no filter is lost on the next search), how many are shown out of how many, a link that
// shows them all, and, when some are hidden, a box that takes any of them (a datalist: no
// script needed).
void facet_panel(std::ostringstream& out, const schema::Facet& panel, const Facet* counted,
                 const SearchRequest& request, const QueryParameters& with_ui, UiLanguage ui) {
  const std::string name(panel.name);
  const std::vector<FacetValue> none;
  const std::vector<FacetValue>& values = counted ? counted->values : none;
  std::vector<std::string> unlisted;  // selected, yet not among the counted values
  if (const auto selected = request.filters.find(name); selected != request.filters.end())
    for (const std::string& value : selected->second)
      if (std::none_of(values.begin(), values.end(),
                       [&](const FacetValue& v) { return v.value == value; }))
        unlisted.push_back(value);
  if (values.empty() && unlisted.empty()) return;
  bool show_all = false;
  for (const auto& [parameter, value] : with_ui)
    if (parameter == kShowAllParameter && value == name) show_all = true;
  out << "<fieldset class=\"facet\" id=\"facet-" << escape_markup(name) << "\">\n<legend>"
      << escape_markup(facet_title(panel, ui)) << "</legend>\n";
  std::size_t shown = 0;
  for (const FacetValue& value : values) {
    const bool checked = is_selected(request, name, value.value);
    if (!checked && !show_all && shown >= kValuesShown) continue;
    ++shown;
    const std::string label = facet_label(value, ui);
    checkbox(out, name, value.value, label, value.count, checked,
             value_page_link(panel, value.value, label, ui));
  }
  for (const std::string& value : unlisted)
    checkbox(out, name, value, value_label(panel, value, ui), 0, true);
  if (values.size() > kValuesShown) {
    const std::string list_id = "values-" + name;
    out << "<p class=\"facet-more\"><span class=\"shown-of\">" << shown << " " << word("of", ui)
        << " " << values.size() << " " << word("values_shown", ui) << "</span> · <a href=\""
        << (show_all ? link(with_ui, kShowAllParameter, "")
                     : link(with_ui, kShowAllParameter, name))
        << "#facet-" << escape_markup(name) << "\" class=\"show-all\">";
    if (show_all)
      out << word("show_fewer", ui);
    else
      out << word("show_all", ui) << " " << values.size();
    out << "</a></p>\n<p class=\"facet-box\"><input type=\"text\" name=\"" << escape_markup(name)
        << "\" list=\"" << escape_markup(list_id) << "\" id=\"box-" << escape_markup(name)
        << "\" autocomplete=\"off\" placeholder=\"" << word("filter_box", ui) << "\" aria-label=\""
        << word("filter_box", ui) << ": " << escape_markup(facet_title(panel, ui))
        << "\">\n<datalist id=\"" << escape_markup(list_id) << "\">\n";
    for (const FacetValue& value : values)
      out << "<option value=\"" << escape_markup(value.value) << "\">"
          << escape_markup(facet_label(value, ui)) << " (" << value.count << ")</option>\n";
    out << "</datalist></p>\n";
  }
  out << "</fieldset>\n";
}

// Every facet the API filters by: the `shown` ones as panels; the others, which matter to
// fewer readers (compliance, passage kind, supporting bodies), folded under "more filters",
// unfolded when one of them is selected; a facet that is not counted (OGP ids) shows only its
// selected values. Parameters that are no facet and have no control of their own (per_page)
// ride along hidden.
void filter_panels(std::ostringstream& out, const SearchRequest& request,
                   const SearchResult& result, const QueryParameters& with_ui, UiLanguage ui,
                   schema::FacetTable table) {
  auto counted_facet = [&](const schema::Facet& panel) -> const Facet* {
    const auto found = std::find_if(result.facets.begin(), result.facets.end(),
                                    [&](const Facet& f) { return f.name == panel.name; });
    return found == result.facets.end() ? nullptr : &*found;
  };
  for (const schema::Facet& panel : table)
    if (panel.shown) facet_panel(out, panel, counted_facet(panel), request, with_ui, ui);
  std::ostringstream more;
  bool more_selected = false;
  for (const schema::Facet& panel : table) {
    if (panel.shown) continue;
    more_selected = more_selected || request.filters.contains(std::string(panel.name));
    facet_panel(more, panel, panel.counted ? counted_facet(panel) : nullptr, request, with_ui, ui);
  }
  if (!more.str().empty())
    out << "<details class=\"more-filters\"" << (more_selected ? " open" : "") << "><summary>"
        << word("more_filters", ui) << "</summary>\n"
        << more.str() << "</details>\n";
  for (const auto& [name, value] : with_ui)
    if (!is_page_parameter(name) && !has_own_control(name) && !schema::find_facet(name, table))
      out << "<input type=\"hidden\" name=\"" << escape_markup(name) << "\" value=\""
          << escape_markup(value) << "\">\n";
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
                               const QueryParameters& url_parameters, UiLanguage ui,
                               schema::FacetTable table) {
  // A filter box or a date left empty sends `agency=`, `from=`: no filter, and no part of the
  // links.
  QueryParameters parameters = url_parameters;
  std::erase_if(parameters, [&](const auto& p) {
    return p.second.empty() && (has_own_control(p.first) || schema::find_facet(p.first, table));
  });
  QueryParameters with_ui = parameters;
  std::erase_if(with_ui, [](const auto& p) { return p.first == "ui"; });
  with_ui.emplace_back("ui", code(ui));
  QueryParameters search_only = parameters;
  std::erase_if(search_only, [](const auto& p) {
    return p.first == "ui" || p.first == "page" || p.first == kShowAllParameter;
  });

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
      << "<button type=\"submit\">" << word("search", ui) << "</button></p>\n";
  sort_and_range_html(out, request, ui);
  out << "<div class=\"layout\">\n<aside aria-label=\"" << word("filters", ui) << "\">\n";
  // Ticked as the index writes the values: "country=Mexico" ticks "mx", once.
  SearchRequest ticked = request;
  ticked.filters = result.filters;
  filter_panels(out, ticked, result, with_ui, ui, table);
  out << "<button type=\"submit\">" << word("apply", ui) << "</button>\n";
  // The words stay, and so do how results are shown (sort, per_page); every filter goes.
  QueryParameters unfiltered;
  bool filtered = false;
  for (const auto& [name, value] : with_ui) {
    const bool kept = name == "q" || name == "ui" || name == "sort" || name == "per_page";
    if (kept) unfiltered.emplace_back(name, value);
    filtered = filtered || !(kept || is_page_parameter(name) || name == "facets");
  }
  if (filtered)
    out << "<p class=\"clear\"><a href=\"" << url_with("/", unfiltered)
        << "\" id=\"clear-filters\">" << word("clear_filters", ui) << "</a></p>\n";
  out << "</aside>\n"
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
  if (result.understood) {
    const Understood& understood = *result.understood;
    QueryParameters with_body = with_ui;
    with_body.insert(with_body.end(), understood.filters.begin(), understood.filters.end());
    out << "<p class=\"understood\">" << word("understood", ui) << " <strong>"
        << escape_markup(ui == UiLanguage::kSpanish ? understood.label.es : understood.label.en)
        << "</strong>: <a class=\"apply-understood\" href=\"" << link(with_body, "page", "")
        << "\">" << word("only_agency", ui) << "</a> · <a class=\"understood-page\" href=\""
        << link({{"ui", code(ui)}}, "", "", agency_path(understood.id)) << "\">"
        << word("agency_page", ui) << "</a></p>\n";
  }
  if (result.hits.empty()) out << "<p>" << word("no_results", ui) << "</p>\n";
  out << "<ol class=\"hits\" start=\"" << (result.hits.empty() ? 1 : result.hits.front().rank)
      << "\">\n";
  for (const Hit& hit : result.hits) hit_html(out, hit, ui, table, with_ui);
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

std::string render_passage_page(const PassageView& view, UiLanguage ui, schema::FacetTable table,
                                const PassagePageContext& context) {
  const schema::PassageRecord& passage = view.passage;
  const std::string& heading = passage.heading;
  std::ostringstream out;
  head(out, heading.empty() ? passage.title : heading + " — " + passage.title, ui, "");
  // Every link of the page keeps the search it was reached from.
  const QueryParameters search = with_ui_last(context.search, ui);
  const bool from_results = std::any_of(search.begin(), search.end(), [](const auto& p) {
    return p.first != "ui" && p.first != kShowAllParameter;
  });
  auto passage_link = [&](const schema::PassageRecord& other, const std::string& text) {
    out << "<a href=\"" << url_with("/passages/" + other.id, search) << "\" lang=\""
        << escape_markup(other.lang) << "\">" << escape_markup(text) << "</a>";
  };
  // The text, a paragraph per line: marked HTML when the search marked it, else escaped.
  auto paragraphs = [&](const std::string& text, const std::string& marked) {
    std::istringstream lines(marked.empty() ? text : marked);
    for (std::string line; std::getline(lines, line);)
      if (!line.empty()) out << "<p>" << (marked.empty() ? escape_markup(line) : line) << "</p>\n";
  };
  const std::string ui_query = std::string("?ui=") + code(ui);
  out << "<header>\n<p class=\"brand\"><a href=\"/" << ui_query << "\">Lupa</a></p>\n"
      << "<p><a href=\"" << (from_results ? url_with("/", search) : "/" + ui_query)
      << "\" id=\"back\">" << word(from_results ? "back_to_results" : "back", ui)
      << "</a></p>\n</header>\n"
      << "<main id=\"results\">\n<div class=\"" << (view.translation ? "bilingual" : "monolingual")
      << "\">\n<article class=\"passage\" lang=\"" << escape_markup(passage.lang) << "\">\n<h1>"
      << escape_markup(heading.empty() ? passage.title : heading) << "</h1>\n";
  paragraphs(passage.text, context.text_html);
  out << "</article>\n";
  if (view.translation) {
    out << "<section class=\"translation\" lang=\"" << escape_markup(view.translation->lang)
        << "\"><h2>" << word("translation", ui) << "</h2><p>";
    passage_link(*view.translation, view.translation->heading);
    out << "</p>\n";
    paragraphs(view.translation->text, context.translation_html);
    out << "</section>\n";
  }
  out << "</div>\n<section aria-labelledby=\"about\">\n<h2 id=\"about\">" << word("metadata", ui)
      << "</h2>\n<dl>\n<dt>" << word("document", ui) << "</dt><dd>" << escape_markup(passage.title);
  if (passage.page) out << " · " << word("doc_page", ui) << " " << *passage.page;
  out << "</dd>\n";
  if (passage.commitment) {
    const schema::CommitmentRecord& commitment = *passage.commitment;
    out << "<dt>" << word("commitment", ui) << "</dt><dd class=\"commitment\">";
    if (commitment.number) out << word("number", ui) << " " << *commitment.number;
    if (commitment.number && !commitment.title.empty()) out << ": ";
    out << escape_markup(commitment.title) << "</dd>\n";
  }
  // Every facet with a stored field: the plan, the OGP id, the bodies, the status, the IRM's
  // ratings (own, completed by the linked report's) where known.
  for (const schema::Facet& facet : table) {
    if (facet.field.empty()) continue;
    const std::vector<std::string> values = facet.values(passage);
    if (values.empty()) continue;
    out << "<dt>" << escape_markup(facet_title(facet, ui)) << "</dt><dd class=\"facet-"
        << escape_markup(facet.name) << "\">";
    for (std::size_t i = 0; i < values.size(); ++i)
      out << (i ? ", " : "") << escape_markup(value_label(facet, values[i], ui));
    out << "</dd>\n";
  }
  out << "<dt>" << word("text_source", ui) << "</dt><dd class=\"source\">";
  switch (passage.source) {
    case schema::TextSource::kText:
      out << word("source_text", ui);
      break;
    case schema::TextSource::kTextLayer:
      out << word("source_text_layer", ui);
      break;
    case schema::TextSource::kOcr:
      out << word("source_ocr", ui) << " " << std::lround(passage.confidence.value_or(0));
      break;
  }
  out << "</dd>\n</dl>\n</section>\n";
  // Title, page, passage id and permanent link: enough to find the words again.
  out << "<section class=\"citation\" aria-labelledby=\"cite\">\n<h2 id=\"cite\">"
      << word("cite", ui) << "</h2>\n<p><cite>" << escape_markup(passage.title) << "</cite>";
  if (passage.page) out << ", " << word("doc_page", ui) << " " << *passage.page;
  out << ", " << word("passage", ui) << " <code>" << escape_markup(passage.id) << "</code>.";
  if (!context.permanent_url.empty())
    out << " <a href=\"" << escape_markup(context.permanent_url) << "\" class=\"permalink\">"
        << escape_markup(context.permanent_url) << "</a>";
  out << "</p>\n";
  if (context.original_served) {
    std::string original = "/files/" + passage.id;
    const bool pdf =
        passage.doc.size() >= 4 && std::equal(passage.doc.end() - 4, passage.doc.end(), ".pdf",
                                              [](char a, char b) { return std::tolower(a) == b; });
    if (pdf && passage.page) original += "#page=" + std::to_string(*passage.page);
    out << "<p><a href=\"" << escape_markup(original) << "\" id=\"original\" type=\""
        << escape_markup(original_content_type(passage.doc)) << "\">" << word("open_original", ui);
    if (pdf && passage.page) out << " " << word("at_page", ui) << " " << *passage.page;
    out << "</a></p>\n";
  }
  out << "</section>\n<nav class=\"neighbours\">";
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
    out << "</ul>";
    if (view.same_commitment_more > 0)
      out << "<p>" << word("and", ui) << " " << view.same_commitment_more << " " << word("more", ui)
          << "</p>";
    out << "</section>\n";
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

std::string render_agency_page(const AgencyPage& page, UiLanguage ui) {
  const std::string& name = ui == UiLanguage::kSpanish ? page.label.es : page.label.en;
  std::ostringstream out;
  head(out, "Lupa: " + name, ui, "");
  const std::string ui_query = std::string("?ui=") + code(ui);
  out << "<header>\n<p class=\"brand\"><a href=\"/" << ui_query << "\">Lupa</a></p>\n"
      << "<p><a href=\"/" << ui_query << "\">" << word("back", ui) << "</a></p>\n</header>\n"
      << "<main id=\"results\" class=\"agency\">\n<h1>" << escape_markup(name) << "</h1>\n"
      << "<p class=\"total\"><span id=\"agency-commitments\">" << page.commitments << "</span> "
      << word("commitments", ui) << "</p>\n";
  if (page.truncated) out << "<p class=\"truncated\">" << word("truncated", ui) << "</p>\n";
  const schema::Facet* status = schema::find_facet("status");
  const schema::Facet* completion = schema::find_facet("completion");
  const schema::Facet* potential_impact = schema::find_facet("potential_impact");
  const schema::Facet* specificity = schema::find_facet("specificity");
  const schema::Facet* potential_results = schema::find_facet("potential_results");
  const schema::Facet* opened_government = schema::find_facet("opened_government");
  for (const AgencyPlan& plan : page.plans) {
    const std::string& plan_label = ui == UiLanguage::kSpanish ? plan.label.es : plan.label.en;
    out << "<section class=\"plan\" data-plan=\"" << escape_markup(plan.plan) << "\">\n<h2>"
        << escape_markup(plan.plan.empty() ? word("no_plan", ui)
                                           : (plan_label.empty() ? plan.plan : plan_label))
        << "</h2>\n<ol class=\"commitments\">\n";
    for (const AgencyCommitment& commitment : plan.commitments) {
      out << "<li class=\"commitment " << to_string(commitment.role) << "\">";
      if (commitment.number) out << "<span class=\"number\">" << *commitment.number << ".</span> ";
      out << "<a href=\"/passages/" << escape_markup(commitment.passages.front()) << ui_query
          << "\">"
          << escape_markup(commitment.title.empty() ? commitment.passages.front()
                                                    : commitment.title)
          << "</a> <span class=\"role\">("
          << word("role_" + std::string(to_string(commitment.role)), ui) << ")</span>";
      if (!commitment.ogp_id.empty())
        out << " <span class=\"ogp-id\">" << escape_markup(commitment.ogp_id) << "</span>";
      std::vector<std::pair<const schema::Facet*, std::optional<std::string>>> lines = {
          {status, commitment.status},
          {specificity, commitment.ratings.specificity},
          {potential_impact, commitment.ratings.potential_impact},
          {potential_results, commitment.ratings.potential_results},
          {completion, commitment.ratings.completion},
          {opened_government, commitment.ratings.opened_government}};
      std::string details;
      for (const auto& [facet, value] : lines)
        if (facet && value)
          details += (details.empty() ? "" : " · ") +
                     escape_markup(std::string(facet_title(*facet, ui))) + ": " +
                     escape_markup(value_label(*facet, *value, ui));
      if (!details.empty()) out << "<br><span class=\"ratings\">" << details << "</span>";
      if (commitment.passages.size() > 1) {
        out << "<br><span class=\"passages\">" << word("passages_of", ui) << ":";
        for (std::size_t i = 0; i < commitment.passages.size(); ++i)
          out << " <a href=\"/passages/" << escape_markup(commitment.passages[i]) << ui_query
              << "\">" << i + 1 << "</a>";
        out << "</span>";
      }
      out << "</li>\n";
    }
    out << "</ol>\n</section>\n";
  }
  out << "</main>\n</body>\n</html>\n";
  return out.str();
}

}  // namespace lupa::searchd
