// UTF-8 decoding and terminal column widths, for aligning tables and placing
// the caret under an error. Results from the engine are UTF-8; invalid bytes
// are tolerated (each counts as one replacement character) rather than
// trusted, because text loaded from files may be anything.
#pragma once

#include <cstddef>
#include <string_view>

namespace basalt {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// Decodes the code point starting at text[pos] (pos < text.size()) into *cp and
// returns its length in bytes. An invalid or truncated sequence yields
// kReplacementCharacter with length 1, and *valid (when given) false.
size_t DecodeUtf8(std::string_view text, size_t pos, char32_t* cp, bool* valid = nullptr);

// Columns a code point takes on a terminal: 0 for combining marks, 2 for East
// Asian wide and emoji, 1 otherwise.
int CodePointWidth(char32_t cp);

// Columns `text` takes on a terminal.
size_t DisplayWidth(std::string_view text);

}  // namespace basalt
