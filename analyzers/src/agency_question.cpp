#include "lupa/analyzers/agency_question.h"

#include <algorithm>
#include <memory>

#include "data_files.h"
#include "lupa/analyzers/language.h"
#include "lupa/analyzers/phrase_matcher.h"
#include "lupa/analyzers/quantised_bm25.h"
#include "lupa/analyzers/reference_data.h"
#include "lupa/analyzers/text_normalizer.h"

namespace lupa::analyzers {
namespace {

const PhraseMatcher& framing_phrases() {
  static const PhraseMatcher matcher = [] {
    PhraseMatcher phrases;
    for (const std::string& line : data_file_lines("query-framing.tsv")) {
      const std::vector<std::string> fields = split_tabs(line);
      if (fields.size() != 2)
        throw std::logic_error("query-framing.tsv: expected language and phrase in: " + line);
      phrases.add_keys(PhraseMatcher::fold_words(segment_words_keeping_case(fields[1])), 0);
    }
    return phrases;
  }();
  return matcher;
}

bool is_plain_query(std::string_view text) {
  if (text.find_first_of("\":*()") != std::string_view::npos) return false;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view token = text.substr(start, end - start);
    if (token.starts_with('+') || token.starts_with('-')) return false;
    if (token == "AND" || token == "OR" || token == "NOT" || token == "XOR" || token == "NEAR" ||
        token == "ADJ")
      return false;
    start = end + 1;
  }
  return true;
}

// The facets the signal reads, by their position in the table (their code in the slot).
struct SignalFacets {
  std::optional<std::size_t> agency, responsible, supporting, kind;
  explicit SignalFacets(schema::FacetTable facets) {
    auto position = [&](std::string_view name) -> std::optional<std::size_t> {
      const schema::Facet* facet = schema::find_facet(name, facets);
      if (!facet || !facet->counted) return std::nullopt;
      return schema::facet_index(*facet, facets);
    };
    agency = position("agency");
    responsible = position("responsible");
    supporting = position("supporting");
    kind = position("kind");
  }
};

double signal_weight(std::string_view slot, const std::vector<std::string>& agencies,
                     const SignalFacets& facets) {
  bool lead = false, supporting = false, named = false, commitment = false;
  std::size_t bodies = 0;
  const auto wanted = [&](std::string_view value) {
    return std::find(agencies.begin(), agencies.end(), value) != agencies.end();
  };
  schema::decode_facet_values(slot, [&](std::size_t index, std::string_view value) {
    if (index == facets.agency) {
      ++bodies;
      named = named || wanted(value);
    } else if (index == facets.responsible) {
      lead = lead || wanted(value);
    } else if (index == facets.supporting) {
      supporting = supporting || wanted(value);
    } else if (index == facets.kind) {
      commitment = value == schema::to_string(schema::PassageKind::kCommitment);
    }
  });
  double weight = 0;
  if (lead) {
    weight = AgencySignal::kLead;
  } else if (supporting) {
    weight = AgencySignal::kSupporting;
  } else if (named) {
    weight = AgencySignal::kNamed;
    if (bodies > AgencySignal::kListBodies)
      weight *= static_cast<double>(AgencySignal::kListBodies) / static_cast<double>(bodies);
  }
  if (weight > 0 && commitment) weight += AgencySignal::kCommitment;
  return weight;
}

class AgencySignalSource final : public Xapian::ValuePostingSource {
 public:
  AgencySignalSource(std::vector<std::string> agencies, SignalFacets facets)
      : Xapian::ValuePostingSource(schema::kSlotFacetValues),
        agencies_(std::move(agencies)),
        facets_(facets) {}

  void init(const Xapian::Database& database) override {
    Xapian::ValuePostingSource::init(database);
    set_maxweight(AgencySignal::kLead + AgencySignal::kCommitment);
  }
  // On the grid BM25's parts lie on, so that the sums stay exact (quantised_bm25.h).
  double get_weight() const override {
    return quantise_weight(signal_weight(get_value(), agencies_, facets_));
  }
  AgencySignalSource* clone() const override { return new AgencySignalSource(agencies_, facets_); }
  std::string get_description() const override { return "agency signal"; }

  // Serialisable, so that a shard server (Xapian's remote backend) weighs its passages alike:
  // the bodies, then each facet's position plus one (0: absent), each as a decimal line.
  std::string name() const override { return "lupa.AgencySignalSource"; }
  std::string serialise() const override {
    std::string out;
    for (const std::optional<std::size_t>& position :
         {facets_.agency, facets_.responsible, facets_.supporting, facets_.kind})
      out += std::to_string(position ? *position + 1 : 0) + "\n";
    for (const std::string& agency : agencies_) out += agency + "\n";
    return out;
  }
  AgencySignalSource* unserialise_with_registry(const std::string& serialised,
                                                const Xapian::Registry&) const override {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < serialised.size()) {
      const std::size_t end = serialised.find('\n', start);
      if (end == std::string::npos) throw Xapian::SerialisationError("malformed agency signal");
      lines.push_back(serialised.substr(start, end - start));
      start = end + 1;
    }
    if (lines.size() < 4) throw Xapian::SerialisationError("malformed agency signal");
    SignalFacets facets(schema::FacetTable{});
    std::optional<std::size_t>* positions[] = {&facets.agency, &facets.responsible,
                                               &facets.supporting, &facets.kind};
    for (std::size_t i = 0; i < 4; ++i) {
      const std::string& digits = lines[i];
      if (digits.empty() || digits.size() > 3 ||
          digits.find_first_not_of("0123456789") != std::string::npos)
        throw Xapian::SerialisationError("malformed agency signal");
      const std::size_t position = std::stoul(digits);
      if (position > 0) *positions[i] = position - 1;
    }
    return new AgencySignalSource(std::vector<std::string>(lines.begin() + 4, lines.end()), facets);
  }

 private:
  std::vector<std::string> agencies_;
  SignalFacets facets_;
};

// The number of words of the name of `country` that `folded` holds at `position` (at least 1).
std::size_t country_name_length(const ReferenceData& reference, const std::string& country,
                                const std::vector<std::string>& folded, std::size_t position) {
  std::size_t longest = 1;
  for (const Country& candidate : reference.countries()) {
    if (candidate.code != country) continue;
    std::vector<std::string> names{candidate.name.en, candidate.name.es};
    names.insert(names.end(), candidate.other_names.begin(), candidate.other_names.end());
    for (const std::string& name : names) {
      const std::vector<std::string> name_words =
          PhraseMatcher::fold_words(segment_words_keeping_case(name));
      if (name_words.empty() || position + name_words.size() > folded.size()) continue;
      if (std::equal(name_words.begin(), name_words.end(),
                     folded.begin() + static_cast<std::ptrdiff_t>(position)))
        longest = std::max(longest, name_words.size());
    }
  }
  return longest;
}

}  // namespace

std::optional<AgencyQuestion> read_agency_question(std::string_view text,
                                                   const PassagesNaming& passages_naming) {
  const ReferenceData& reference = ReferenceData::instance();
  const std::vector<std::string> words = segment_words_keeping_case(text);
  const std::vector<std::string> folded = PhraseMatcher::fold_words(words);
  const auto countries = reference.country_mentions(words, folded);
  std::vector<bool> dropped(words.size(), false);
  auto drop = [&](std::size_t first, std::size_t length) {
    for (std::size_t i = first; i < first + length && i < dropped.size(); ++i) dropped[i] = true;
  };
  AgencyQuestion question;
  std::vector<std::string> scoped_countries;
  for (const Vocabulary::Mention& mention : reference.agencies().mentions(words, folded)) {
    std::vector<const VocabularyEntry*> candidates;
    for (const VocabularyEntry* entry : mention.entries)
      for (const auto& [position, country] : countries)
        if (entry->country == country || entry->country == "*") {
          candidates.push_back(entry);
          break;
        }
    if (candidates.empty()) candidates = mention.entries;
    const VocabularyEntry* meant = candidates.front();
    if (candidates.size() > 1) {
      Xapian::doccount most = passages_naming(meant->id);
      for (const VocabularyEntry* other : candidates) {
        const Xapian::doccount count = passages_naming(other->id);
        if (count > most) {
          most = count;
          meant = other;
        }
      }
    }
    if (std::find(question.agencies.begin(), question.agencies.end(), meant->id) ==
        question.agencies.end())
      question.agencies.push_back(meant->id);
    scoped_countries.push_back(meant->country);
    drop(mention.first, mention.length);
  }
  if (question.agencies.empty()) return std::nullopt;
  // The country only told which body was meant; its passages are that country's anyway.
  for (const auto& [position, country] : countries)
    if (std::find(scoped_countries.begin(), scoped_countries.end(), country) !=
        scoped_countries.end())
      drop(position, country_name_length(reference, country, folded, position));
  for (const PhraseMatcher::Span& span : framing_phrases().find_spans(folded))
    drop(span.first, span.length);
  // Stop words go too: the search drops them anyway, and a topic of stop words is no topic.
  for (std::size_t i = 0; i < words.size(); ++i)
    if (!dropped[i] && !is_stop_word(folded[i]))
      question.topic += (question.topic.empty() ? "" : " ") + words[i];
  question.plain = is_plain_query(text);
  return question;
}

double agency_signal_weight(std::string_view facet_values, const std::vector<std::string>& agencies,
                            schema::FacetTable facets) {
  return signal_weight(facet_values, agencies, SignalFacets(facets));
}

void register_agency_signal(Xapian::Registry& registry) {
  const AgencySignalSource prototype({}, SignalFacets(schema::FacetTable{}));
  registry.register_posting_source(prototype);
}

Xapian::Query agency_signal(const std::vector<std::string>& agencies, schema::FacetTable facets) {
  return Xapian::Query((new AgencySignalSource(agencies, SignalFacets(facets)))->release());
}

Xapian::Query agency_passages(const std::vector<std::string>& agencies, schema::FacetTable facets) {
  std::vector<Xapian::Query> tagged;
  for (std::string_view name : {"agency", "responsible", "supporting"})
    if (const schema::Facet* facet = schema::find_facet(name, facets))
      for (const std::string& id : agencies) tagged.emplace_back(schema::facet_term(*facet, id));
  // The tags select, the signal alone weighs.
  const Xapian::Query selected(Xapian::Query::OP_SCALE_WEIGHT,
                               Xapian::Query(Xapian::Query::OP_OR, tagged.begin(), tagged.end()),
                               0.0);
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, selected, agency_signal(agencies, facets));
}

}  // namespace lupa::analyzers
