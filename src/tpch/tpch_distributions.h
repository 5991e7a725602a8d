// The fixed value lists of specification Clause 4.2.2.13 and 4.2.3: nations
// and regions, part name colours, the syllables of P_TYPE and P_CONTAINER,
// market segments, order priorities, ship instructions and modes, and the
// weighted word lists of the comment grammar (Clause 4.2.2.14).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "tpch/tpch_random.h"

namespace basalt::tpch {

struct NationInfo {
  std::string_view name;
  int32_t region_key;
};

std::span<const NationInfo> Nations();        // 25, indexed by N_NATIONKEY
std::span<const std::string_view> Regions();  // 5, indexed by R_REGIONKEY
std::span<const std::string_view> Colors();   // 92, for P_NAME
std::span<const std::string_view> TypeSyllable1();
std::span<const std::string_view> TypeSyllable2();
std::span<const std::string_view> TypeSyllable3();
std::span<const std::string_view> ContainerSyllable1();
std::span<const std::string_view> ContainerSyllable2();
std::span<const std::string_view> Segments();
std::span<const std::string_view> Priorities();
std::span<const std::string_view> ShipInstructions();
std::span<const std::string_view> ShipModes();

// A uniformly chosen element.
inline std::string_view PickUniform(std::span<const std::string_view> list, RowRandom& random) {
  return list[static_cast<size_t>(random.Uniform(0, static_cast<int64_t>(list.size()) - 1))];
}

struct WeightedWord {
  std::string_view text;
  int32_t weight;
};

// A list whose elements are drawn in proportion to their weights.
class WeightedList {
 public:
  explicit WeightedList(std::span<const WeightedWord> words);

  std::string_view Pick(RowRandom& random) const;
  std::span<const WeightedWord> words() const { return words_; }

 private:
  std::span<const WeightedWord> words_;
  int32_t total_weight_ = 0;
};

// The grammar's word lists. Sentence, noun phrase and verb phrase forms are
// lists too: their "words" are templates of the letters N (noun), V (verb),
// J (adjective), D (adverb), X (auxiliary), P (prepositional phrase) and
// T (terminator); see tpch_text_pool.cc.
const WeightedList& Nouns();
const WeightedList& Verbs();
const WeightedList& Adjectives();
const WeightedList& Adverbs();
const WeightedList& Prepositions();
const WeightedList& Auxiliaries();
const WeightedList& Terminators();
const WeightedList& SentenceForms();
const WeightedList& NounPhraseForms();
const WeightedList& VerbPhraseForms();

}  // namespace basalt::tpch
