// Small PDF files written by tests, for hostile and timed inputs.
#pragma once

#include <string>
#include <vector>

namespace lupa::testing {

/// A whole PDF file of `objects` (object i + 1 is objects[i]; object 1 is the catalogue),
/// with its cross-reference table and trailer.
std::string pdf_from_objects(const std::vector<std::string>& objects);

}  // namespace lupa::testing
