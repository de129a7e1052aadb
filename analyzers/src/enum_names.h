// The one pair of functions that turns a closed set's values into their names and back, over a
// table of (value, name) pairs kept beside each enum's reader.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace lupa::analyzers {

template <typename Enum, std::size_t N>
using EnumNames = std::array<std::pair<Enum, std::string_view>, N>;

template <typename Enum, std::size_t N>
std::string_view name_of(const EnumNames<Enum, N>& names, Enum value) {
  for (const auto& [each, name] : names)
    if (each == value) return name;
  return {};
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_named(const EnumNames<Enum, N>& names, std::string_view name) {
  for (const auto& [each, each_name] : names)
    if (each_name == name) return each;
  return std::nullopt;
}

}  // namespace lupa::analyzers
