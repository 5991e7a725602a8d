// PostgreSQL's array text form, which Basalt uses for arrays until it has an
// array type (see array_text_functions.cc): '{a,b,"c d",NULL}', or '1 2 3'
// for the int2vector / oidvector catalog types.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace basalt {

// One element's text; nullopt for a NULL element.
using ArrayTextElements = std::vector<std::optional<std::string>>;

// The elements of a one-dimensional array's text form; throws 22P02 for
// malformed text (including nested arrays).
ArrayTextElements ParseArrayText(const std::string& text);

}  // namespace basalt
