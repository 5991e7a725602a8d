#include "tpch/tpch_text.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "tpch/tpch_distributions.h"

namespace basalt::tpch {
namespace {

// Every single word that the word lists hold ("pinto beans" gives two).
std::set<std::string> Vocabulary() {
  std::set<std::string> words{"the"};
  for (const WeightedList* list :
       {&Nouns(), &Verbs(), &Adjectives(), &Adverbs(), &Prepositions(), &Auxiliaries()}) {
    for (const WeightedWord& entry : list->words()) {
      std::istringstream parts{std::string(entry.text)};
      std::string part;
      while (parts >> part) words.insert(part);
    }
  }
  return words;
}

TEST(TpchTextTest, ListsHaveTheSpecificationsSizes) {
  EXPECT_EQ(Nations().size(), 25u);
  EXPECT_EQ(Regions().size(), 5u);
  EXPECT_EQ(Colors().size(), 92u);
  EXPECT_EQ(TypeSyllable1().size() * TypeSyllable2().size() * TypeSyllable3().size(), 150u);
  EXPECT_EQ(ContainerSyllable1().size() * ContainerSyllable2().size(), 40u);
  EXPECT_EQ(Nouns().words().size(), 45u);
  EXPECT_EQ(Verbs().words().size(), 40u);
  EXPECT_EQ(Adjectives().words().size(), 29u);
  EXPECT_EQ(Adverbs().words().size(), 28u);
  EXPECT_EQ(Prepositions().words().size(), 47u);
  EXPECT_EQ(Auxiliaries().words().size(), 18u);
  EXPECT_EQ(Terminators().words().size(), 6u);
}

TEST(TpchTextTest, SentencesUseOnlyTheGrammarsWords) {
  const std::set<std::string> vocabulary = Vocabulary();
  RowRandom random(Stream::kTextPool, 42);
  for (int i = 0; i < 2000; ++i) {
    std::string sentence;
    AppendSentence(random, &sentence);
    ASSERT_FALSE(sentence.empty());
    char last = sentence.back();
    EXPECT_TRUE(last == '.' || last == ';' || last == ':' || last == '?' || last == '!' ||
                last == '-')
        << sentence;
    std::istringstream tokens(sentence);
    std::string token;
    while (tokens >> token) {
      while (!token.empty() &&
             std::string_view(",.;:?!-").find(token.back()) != std::string_view::npos) {
        token.pop_back();
      }
      EXPECT_EQ(vocabulary.count(token), 1u) << "'" << token << "' in: " << sentence;
    }
  }
}

TEST(TpchTextTest, PoolHoldsTheWordsQueriesLookFor) {
  const TextPool& pool = TextPool::Default();
  EXPECT_EQ(pool.text().size(), TextPool::kDefaultSize);
  EXPECT_NE(pool.text().find("special requests"), std::string_view::npos);
  EXPECT_NE(pool.text().find("special, pending requests"), std::string_view::npos);
}

TEST(TpchTextTest, SubstringsAndVStringsHaveTheirLengths) {
  TextPool pool(1 << 16);
  for (uint64_t row = 0; row < 1000; ++row) {
    RowRandom random(Stream::kCustomerComment, row);
    std::string_view text = pool.Substring(random, 29, 116);
    EXPECT_GE(text.size(), 29u);
    EXPECT_LE(text.size(), 116u);
    std::string address;
    RowRandom address_random(Stream::kCustomerAddress, row);
    AppendVString(address_random, 10, 40, &address);
    EXPECT_GE(address.size(), 10u);
    EXPECT_LE(address.size(), 40u);
    EXPECT_EQ(address.find_first_of("| \"\n"), std::string::npos) << address;
  }
}

TEST(TpchTextTest, PoolIsTheSameEveryTime) {
  TextPool a(1 << 16);
  TextPool b(1 << 16);
  EXPECT_EQ(a.text(), b.text());
  EXPECT_EQ(a.text(), TextPool::Default().text().substr(0, 1 << 16));
}

}  // namespace
}  // namespace basalt::tpch
