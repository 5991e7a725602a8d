#include "tpch/tpch_text.h"

#include "common/exception.h"
#include "tpch/tpch_distributions.h"

namespace basalt::tpch {

namespace {

// 64 symbols, as Clause 4.2.2.7 asks; none is a field delimiter of the .tbl
// format.
constexpr std::string_view kVStringAlphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,.";
static_assert(kVStringAlphabet.size() == 64);

void AppendWord(std::string_view word, std::string* out) {
  if (!out->empty() && out->back() != ' ') out->push_back(' ');
  out->append(word);
}

void AppendNounPhrase(RowRandom& random, std::string* out) {
  for (char symbol : NounPhraseForms().Pick(random)) {
    switch (symbol) {
      case 'N':
        AppendWord(Nouns().Pick(random), out);
        break;
      case 'J':
        AppendWord(Adjectives().Pick(random), out);
        break;
      case 'D':
        AppendWord(Adverbs().Pick(random), out);
        break;
      case ',':
        out->push_back(',');
        break;
    }
  }
}

void AppendVerbPhrase(RowRandom& random, std::string* out) {
  for (char symbol : VerbPhraseForms().Pick(random)) {
    switch (symbol) {
      case 'V':
        AppendWord(Verbs().Pick(random), out);
        break;
      case 'X':
        AppendWord(Auxiliaries().Pick(random), out);
        break;
      case 'D':
        AppendWord(Adverbs().Pick(random), out);
        break;
    }
  }
}

}  // namespace

void AppendSentence(RowRandom& random, std::string* out) {
  for (char symbol : SentenceForms().Pick(random)) {
    switch (symbol) {
      case 'N':
        AppendNounPhrase(random, out);
        break;
      case 'V':
        AppendVerbPhrase(random, out);
        break;
      case 'P':
        AppendWord(Prepositions().Pick(random), out);
        AppendWord("the", out);
        AppendNounPhrase(random, out);
        break;
      // The terminator ends the last word: "... sleep furiously."
      case 'T':
        out->append(Terminators().Pick(random));
        break;
    }
  }
}

void AppendVString(RowRandom& random, int min_length, int max_length, std::string* out) {
  int64_t length = random.Uniform(min_length, max_length);
  for (int64_t i = 0; i < length; ++i) {
    out->push_back(kVStringAlphabet[static_cast<size_t>(random.Uniform(0, 63))]);
  }
}

const TextPool& TextPool::Default() {
  static const TextPool pool(kDefaultSize);
  return pool;
}

TextPool::TextPool(size_t size) {
  // One stream for the whole pool: it is built once, in order, on one thread.
  RowRandom random(Stream::kTextPool, 0);
  text_.reserve(size + 256);
  while (text_.size() < size) AppendSentence(random, &text_);
  text_.resize(size);
}

std::string_view TextPool::Substring(RowRandom& random, int min_length, int max_length) const {
  BASALT_CHECK(static_cast<size_t>(max_length) < text_.size());
  auto length = static_cast<size_t>(random.Uniform(min_length, max_length));
  auto offset = static_cast<size_t>(random.Uniform(0, static_cast<int64_t>(text_.size() - length)));
  return std::string_view(text_).substr(offset, length);
}

}  // namespace basalt::tpch
