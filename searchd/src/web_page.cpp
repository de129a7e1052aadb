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

// A body's page, for any facet whose values are bodies (agency, responsible, supporting).
std::string agency_path(const std::string& id) {
  return "/agencies/" + encoded(id);
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
  if (record.source == schema::TextSource::kOcr)
    out << " · " << word("source_ocr", ui) << " " << std::lround(record.confidence.value_or(0));
  out << "</p>\n</article></li>\n";
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
          << "</span></label>";
      if (panel.vocabulary == "agencies")
        out << " <a class=\"agency-page\" href=\""
            << link({{"ui", code(ui)}}, "", "", agency_path(value.value)) << "\" title=\""
            << word("agency_page", ui) << "\" aria-label=\"" << word("agency_page", ui) << ": "
            << escape_markup(facet_label(value, ui)) << "\">\xE2\x86\x97</a>";
      out << "</div>\n";
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
  if (result.relaxed) out << "<p class=\"relaxed\">" << word("relaxed", ui) << "</p>\n";
  if (result.understood) {
    const Understood& understood = *result.understood;
    QueryParameters filtered = with_ui;
    filtered.insert(filtered.end(), understood.filters.begin(), understood.filters.end());
    out << "<p class=\"understood\">" << word("understood", ui) << " <strong>"
        << escape_markup(ui == UiLanguage::kSpanish ? understood.label.es : understood.label.en)
        << "</strong>: <a class=\"apply-understood\" href=\"" << link(filtered, "page", "") << "\">"
        << word("only_agency", ui) << "</a> · <a class=\"understood-page\" href=\""
        << link({{"ui", code(ui)}}, "", "", agency_path(understood.id)) << "\">"
        << word("agency_page", ui) << "</a></p>\n";
  }
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
