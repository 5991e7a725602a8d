// Generated text (specification Clause 4.2.2.7, 4.2.2.10 and 4.2.2.14).
//
// Comment columns are "text strings": substrings, of a length drawn between a
// minimum and a maximum and at a random offset, of one long pool of
// pseudo-English sentences made by the grammar over the word lists of
// tpch_distributions.h. Queries read the words (Q13 '%special%requests%',
// Q16 '%Customer%Complaints%'), so the pool must follow the grammar; its
// size only bounds how varied the comments are.
//
// Addresses are "v-strings": random characters from a 64-symbol alphabet.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "tpch/tpch_random.h"

namespace basalt::tpch {

// Immutable once built, so any number of threads read it.
class TextPool {
 public:
  // The specification asks for a pool of 300 MB; 10 MiB gives the same words
  // and sentence shapes with far less start-up time and memory (see
  // bench/tpch/README.md).
  static constexpr size_t kDefaultSize = 10 << 20;

  // The shared pool of kDefaultSize, built on first use.
  static const TextPool& Default();

  explicit TextPool(size_t size);

  // A text string [min_length, max_length] for one cell; max_length must be
  // below the pool's size.
  std::string_view Substring(RowRandom& random, int min_length, int max_length) const;

  std::string_view text() const { return text_; }

 private:
  std::string text_;
};

// Appends one sentence of the grammar (Clause 4.2.2.14) to `out`, preceded by
// a space unless `out` is empty.
void AppendSentence(RowRandom& random, std::string* out);

// Appends a v-string of random length in [min_length, max_length].
void AppendVString(RowRandom& random, int min_length, int max_length, std::string* out);

}  // namespace basalt::tpch
