#include "tpch/tpch_distributions.h"

#include <array>

namespace basalt::tpch {

namespace {

using Words = std::string_view;

constexpr std::array kNations = std::to_array<NationInfo>({
    {"ALGERIA", 0},       {"ARGENTINA", 1}, {"BRAZIL", 1}, {"CANADA", 1},
    {"EGYPT", 4},         {"ETHIOPIA", 0},  {"FRANCE", 3}, {"GERMANY", 3},
    {"INDIA", 2},         {"INDONESIA", 2}, {"IRAN", 4},   {"IRAQ", 4},
    {"JAPAN", 2},         {"JORDAN", 4},    {"KENYA", 0},  {"MOROCCO", 0},
    {"MOZAMBIQUE", 0},    {"PERU", 1},      {"CHINA", 2},  {"ROMANIA", 3},
    {"SAUDI ARABIA", 4},  {"VIETNAM", 2},   {"RUSSIA", 3}, {"UNITED KINGDOM", 3},
    {"UNITED STATES", 1},
});

constexpr std::array kRegions =
    std::to_array<Words>({"AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"});

constexpr std::array kColors = std::to_array<Words>({
    "almond",   "antique",   "aquamarine", "azure",      "beige",     "bisque",    "black",
    "blanched", "blue",      "blush",      "brown",      "burlywood", "burnished", "chartreuse",
    "chiffon",  "chocolate", "coral",      "cornflower", "cornsilk",  "cream",     "cyan",
    "dark",     "deep",      "dim",        "dodger",     "drab",      "firebrick", "floral",
    "forest",   "frosted",   "gainsboro",  "ghost",      "goldenrod", "green",     "grey",
    "honeydew", "hot",       "indian",     "ivory",      "khaki",     "lace",      "lavender",
    "lawn",     "lemon",     "light",      "lime",       "linen",     "magenta",   "maroon",
    "medium",   "metallic",  "midnight",   "mint",       "misty",     "moccasin",  "navajo",
    "navy",     "olive",     "orange",     "orchid",     "pale",      "papaya",    "peach",
    "peru",     "pink",      "plum",       "powder",     "puff",      "purple",    "red",
    "rose",     "rosy",      "royal",      "saddle",     "salmon",    "sandy",     "seashell",
    "sienna",   "sky",       "slate",      "smoke",      "snow",      "spring",    "steel",
    "tan",      "thistle",   "tomato",     "turquoise",  "violet",    "wheat",     "white",
    "yellow",
});

constexpr std::array kTypeSyllable1 =
    std::to_array<Words>({"STANDARD", "SMALL", "MEDIUM", "LARGE", "ECONOMY", "PROMO"});
constexpr std::array kTypeSyllable2 =
    std::to_array<Words>({"ANODIZED", "BURNISHED", "PLATED", "POLISHED", "BRUSHED"});
constexpr std::array kTypeSyllable3 =
    std::to_array<Words>({"TIN", "NICKEL", "BRASS", "STEEL", "COPPER"});
constexpr std::array kContainerSyllable1 =
    std::to_array<Words>({"SM", "LG", "MED", "JUMBO", "WRAP"});
constexpr std::array kContainerSyllable2 =
    std::to_array<Words>({"CASE", "BOX", "BAG", "JAR", "PKG", "PACK", "CAN", "DRUM"});
constexpr std::array kSegments =
    std::to_array<Words>({"AUTOMOBILE", "BUILDING", "FURNITURE", "MACHINERY", "HOUSEHOLD"});
constexpr std::array kPriorities =
    std::to_array<Words>({"1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"});
constexpr std::array kShipInstructions =
    std::to_array<Words>({"DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"});
constexpr std::array kShipModes =
    std::to_array<Words>({"REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"});

constexpr std::array kNouns = std::to_array<WeightedWord>({
    {"packages", 40},      {"requests", 40},     {"accounts", 40},    {"deposits", 40},
    {"foxes", 20},         {"ideas", 20},        {"theodolites", 20}, {"pinto beans", 20},
    {"instructions", 20},  {"dependencies", 10}, {"excuses", 10},     {"platelets", 10},
    {"asymptotes", 10},    {"courts", 5},        {"dolphins", 5},     {"multipliers", 1},
    {"sauternes", 1},      {"warthogs", 1},      {"frets", 1},        {"dinos", 1},
    {"attainments", 1},    {"somas", 1},         {"Tiresias", 1},     {"patterns", 1},
    {"forges", 1},         {"braids", 1},        {"frays", 1},        {"warhorses", 1},
    {"dugouts", 1},        {"notornis", 1},      {"epitaphs", 1},     {"pearls", 1},
    {"tithes", 1},         {"waters", 1},        {"orbits", 1},       {"gifts", 1},
    {"sheaves", 1},        {"depths", 1},        {"sentiments", 1},   {"decoys", 1},
    {"realms", 1},         {"pains", 1},         {"grouches", 1},     {"escapades", 1},
    {"hockey players", 1},
});

constexpr std::array kVerbs = std::to_array<WeightedWord>({
    {"sleep", 20},    {"wake", 20},    {"are", 20},   {"cajole", 20}, {"haggle", 20},
    {"nag", 10},      {"use", 10},     {"boost", 10}, {"affix", 5},   {"detect", 5},
    {"integrate", 5}, {"maintain", 1}, {"nod", 1},    {"was", 1},     {"lose", 1},
    {"sublate", 1},   {"solve", 1},    {"thrash", 1}, {"promise", 1}, {"engage", 1},
    {"hinder", 1},    {"print", 1},    {"x-ray", 1},  {"breach", 1},  {"eat", 1},
    {"grow", 1},      {"impress", 1},  {"mold", 1},   {"poach", 1},   {"serve", 1},
    {"run", 1},       {"dazzle", 1},   {"snooze", 1}, {"doze", 1},    {"unwind", 1},
    {"kindle", 1},    {"play", 1},     {"hang", 1},   {"believe", 1}, {"doubt", 1},
});

constexpr std::array kAdjectives = std::to_array<WeightedWord>({
    {"special", 20}, {"pending", 20}, {"unusual", 20}, {"express", 20}, {"furious", 1},
    {"sly", 1},      {"careful", 1},  {"blithe", 1},   {"quick", 1},    {"fluffy", 1},
    {"slow", 1},     {"quiet", 1},    {"ruthless", 1}, {"thin", 1},     {"close", 1},
    {"dogged", 1},   {"daring", 1},   {"brave", 1},    {"stealthy", 1}, {"permanent", 1},
    {"enticing", 1}, {"idle", 1},     {"busy", 1},     {"regular", 50}, {"final", 40},
    {"ironic", 40},  {"even", 30},    {"bold", 20},    {"silent", 10},
});

constexpr std::array kAdverbs = std::to_array<WeightedWord>({
    {"sometimes", 1},  {"always", 1},     {"never", 1},      {"furiously", 50},  {"slyly", 50},
    {"carefully", 50}, {"blithely", 40},  {"quickly", 30},   {"fluffily", 20},   {"slowly", 1},
    {"quietly", 1},    {"ruthlessly", 1}, {"thinly", 1},     {"closely", 1},     {"doggedly", 1},
    {"daringly", 1},   {"bravely", 1},    {"stealthily", 1}, {"permanently", 1}, {"enticingly", 1},
    {"idly", 1},       {"busily", 1},     {"regularly", 1},  {"finally", 1},     {"ironically", 1},
    {"evenly", 1},     {"boldly", 1},     {"silently", 1},
});

constexpr std::array kPrepositions = std::to_array<WeightedWord>({
    {"about", 50},
    {"above", 50},
    {"according to", 50},
    {"across", 50},
    {"after", 50},
    {"against", 40},
    {"along", 40},
    {"alongside of", 30},
    {"among", 30},
    {"around", 20},
    {"at", 10},
    {"atop", 1},
    {"before", 1},
    {"behind", 1},
    {"beneath", 1},
    {"beside", 1},
    {"besides", 1},
    {"between", 1},
    {"beyond", 1},
    {"by", 1},
    {"despite", 1},
    {"during", 1},
    {"except", 1},
    {"for", 1},
    {"from", 1},
    {"in place of", 1},
    {"inside", 1},
    {"instead of", 1},
    {"into", 1},
    {"near", 1},
    {"of", 1},
    {"on", 1},
    {"outside", 1},
    {"over", 1},
    {"past", 1},
    {"since", 1},
    {"through", 1},
    {"throughout", 1},
    {"to", 1},
    {"toward", 1},
    {"under", 1},
    {"until", 1},
    {"up", 1},
    {"upon", 1},
    {"without", 1},
    {"with", 1},
    {"within", 1},
});

constexpr std::array kAuxiliaries = std::to_array<WeightedWord>({
    {"do", 1},
    {"may", 1},
    {"might", 1},
    {"shall", 1},
    {"will", 1},
    {"would", 1},
    {"can", 1},
    {"could", 1},
    {"should", 1},
    {"ought to", 1},
    {"must", 1},
    {"will have to", 1},
    {"shall have to", 1},
    {"could have to", 1},
    {"should have to", 1},
    {"must have to", 1},
    {"need to", 1},
    {"try to", 1},
});

constexpr std::array kTerminators = std::to_array<WeightedWord>({
    {".", 50},
    {";", 1},
    {":", 1},
    {"?", 1},
    {"!", 1},
    {"--", 1},
});

constexpr std::array kSentenceForms = std::to_array<WeightedWord>({
    {"NVT", 3},
    {"NVPT", 3},
    {"NVNT", 3},
    {"NPVNT", 1},
    {"NPVPT", 1},
});
// "J,J N" is two adjectives separated by a comma: "final, regular deposits".
constexpr std::array kNounPhraseForms = std::to_array<WeightedWord>({
    {"N", 10},
    {"JN", 20},
    {"J,JN", 10},
    {"DJN", 50},
});
constexpr std::array kVerbPhraseForms = std::to_array<WeightedWord>({
    {"V", 30},
    {"XV", 1},
    {"VD", 40},
    {"XVD", 1},
});

}  // namespace

std::span<const NationInfo> Nations() { return kNations; }
std::span<const std::string_view> Regions() { return kRegions; }
std::span<const std::string_view> Colors() { return kColors; }
std::span<const std::string_view> TypeSyllable1() { return kTypeSyllable1; }
std::span<const std::string_view> TypeSyllable2() { return kTypeSyllable2; }
std::span<const std::string_view> TypeSyllable3() { return kTypeSyllable3; }
std::span<const std::string_view> ContainerSyllable1() { return kContainerSyllable1; }
std::span<const std::string_view> ContainerSyllable2() { return kContainerSyllable2; }
std::span<const std::string_view> Segments() { return kSegments; }
std::span<const std::string_view> Priorities() { return kPriorities; }
std::span<const std::string_view> ShipInstructions() { return kShipInstructions; }
std::span<const std::string_view> ShipModes() { return kShipModes; }

WeightedList::WeightedList(std::span<const WeightedWord> words) : words_(words) {
  for (const WeightedWord& word : words_) total_weight_ += word.weight;
}

std::string_view WeightedList::Pick(RowRandom& random) const {
  int64_t point = random.Uniform(0, total_weight_ - 1);
  for (const WeightedWord& word : words_) {
    if (point < word.weight) return word.text;
    point -= word.weight;
  }
  return words_.back().text;
}

#define BASALT_TPCH_LIST(function, array)  \
  const WeightedList& function() {         \
    static const WeightedList list(array); \
    return list;                           \
  }
BASALT_TPCH_LIST(Nouns, kNouns)
BASALT_TPCH_LIST(Verbs, kVerbs)
BASALT_TPCH_LIST(Adjectives, kAdjectives)
BASALT_TPCH_LIST(Adverbs, kAdverbs)
BASALT_TPCH_LIST(Prepositions, kPrepositions)
BASALT_TPCH_LIST(Auxiliaries, kAuxiliaries)
BASALT_TPCH_LIST(Terminators, kTerminators)
BASALT_TPCH_LIST(SentenceForms, kSentenceForms)
BASALT_TPCH_LIST(NounPhraseForms, kNounPhraseForms)
BASALT_TPCH_LIST(VerbPhraseForms, kVerbPhraseForms)
#undef BASALT_TPCH_LIST

}  // namespace basalt::tpch
