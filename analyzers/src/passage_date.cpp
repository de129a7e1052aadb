#include "lupa/analyzers/passage_date.h"

#include <charconv>

namespace lupa::schema {
namespace {

// The digits of `text` as a number, when it is exactly `digits` ASCII digits.
std::optional<int> digits_of(std::string_view text, std::size_t digits) {
  if (text.size() != digits) return std::nullopt;
  int number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return number;
}

int days_in_month(int year, int month) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

struct CalendarDate {
  int year = 0;
  std::optional<int> month;
  std::optional<int> day;
};

std::optional<CalendarDate> read_date(std::string_view text) {
  CalendarDate date;
  const auto year = digits_of(text.substr(0, 4), 4);
  if (!year || *year < 1000) return std::nullopt;
  date.year = *year;
  if (text.size() == 4) return date;
  if (text.size() < 7 || text[4] != '-') return std::nullopt;
  date.month = digits_of(text.substr(5, 2), 2);
  if (!date.month || *date.month < 1 || *date.month > 12) return std::nullopt;
  if (text.size() == 7) return date;
  if (text.size() != 10 || text[7] != '-') return std::nullopt;
  date.day = digits_of(text.substr(8, 2), 2);
  if (!date.day || *date.day < 1 || *date.day > days_in_month(date.year, *date.month))
    return std::nullopt;
  return date;
}

}  // namespace

bool is_iso_date(std::string_view date) {
  return read_date(date).has_value();
}

std::optional<int> first_day(std::string_view text) {
  const auto date = read_date(text);
  if (!date) return std::nullopt;
  return date->year * 10000 + date->month.value_or(1) * 100 + date->day.value_or(1);
}

std::optional<int> last_day(std::string_view text) {
  const auto date = read_date(text);
  if (!date) return std::nullopt;
  const int month = date->month.value_or(12);
  return date->year * 10000 + month * 100 + date->day.value_or(days_in_month(date->year, month));
}

std::string PassageDate::to_string() const {
  return start == end ? start : start + "/" + end;
}

std::optional<PassageDate> PassageDate::parse(std::string_view text) {
  const std::size_t slash = text.find('/');
  PassageDate date;
  date.start = std::string(text.substr(0, slash));
  date.end = slash == std::string_view::npos ? date.start : std::string(text.substr(slash + 1));
  const auto start = first_day(date.start);
  const auto end = last_day(date.end);
  if (!start || !end || *end < *start) return std::nullopt;
  return date;
}

int PassageDate::start_year() const {
  return first_day(start).value_or(0) / 10000;
}

}  // namespace lupa::schema
