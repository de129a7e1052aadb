// The time a passage is about, and the calendar arithmetic searches by date need.
//
// A passage is about one date (its document's, "2019-12") or a period (the action plan its
// commitment belongs to, 2011 to 2013). Each end keeps the precision it is known at: ISO 8601's
// YYYY, YYYY-MM or YYYY-MM-DD. Sorting, date ranges and the year facet place a passage at its
// start; the whole period is stored and shown (docs/schema.md, "Passage dates").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lupa::schema {

/// Whether `date` is an ISO 8601 calendar date at year, month or day precision ("2019",
/// "2019-12", "2019-12-31"): years 1000 to 9999, real months and real days (leap years too).
bool is_iso_date(std::string_view date);

/// The first and the last day a well-formed date (is_iso_date) covers, as the number YYYYMMDD:
/// "2019" -> 20190101 and 20191231, "2019-02" -> 20190201 and 20190228. nullopt otherwise.
/// Numbers of this form order as the days do, so the index sorts and filters on them.
std::optional<int> first_day(std::string_view date);
std::optional<int> last_day(std::string_view date);

struct PassageDate {
  std::string start;  ///< ISO 8601 date, year, month or day precision
  std::string end;    ///< the same; equal to `start` for a single date, never before it

  /// A single date.
  static PassageDate on(std::string date) { return {date, date}; }
  /// "2019-12" for a single date, "2011/2013" for a period (ISO 8601's interval notation).
  std::string to_string() const;
  /// What to_string() writes; nullopt for anything else, an interval ending before it starts
  /// included.
  static std::optional<PassageDate> parse(std::string_view text);
  /// The year it starts in.
  int start_year() const;

  bool operator==(const PassageDate&) const = default;
};

}  // namespace lupa::schema
