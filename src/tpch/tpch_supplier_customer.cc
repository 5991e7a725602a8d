// SUPPLIER and CUSTOMER (Clause 4.2.3): the two tables of business parties,
// which share the address, nation, phone and balance rules.
#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <unordered_set>

#include "tpch/tpch_distributions.h"
#include "tpch/tpch_row_writer.h"
#include "tpch/tpch_tables.h"

namespace basalt::tpch {

namespace {

constexpr int64_t kNationCount = 25;
constexpr int64_t kMinAcctbal = -99999;  // -999.99
constexpr int64_t kMaxAcctbal = 999999;  // 9999.99
constexpr std::string_view kCustomerWord = "Customer ";
constexpr std::string_view kComplaintsWord = "Complaints";
constexpr std::string_view kRecommendsWord = "Recommends";

// Clause 4.2.2.9: country code (nation key + 10), then three local parts:
// "CC-LLL-LLL-LLLL".
void WritePhone(RowWriter& row, Stream stream, uint64_t rownum, int64_t nation) {
  RowRandom random(stream, rownum);
  std::array<char, 15> phone;
  auto put = [&phone](size_t at, int64_t value, int digits) {
    for (int i = digits - 1; i >= 0; --i) {
      phone[at + static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(0, nation + 10, 2);
  phone[2] = '-';
  put(3, random.Uniform(100, 999), 3);
  phone[6] = '-';
  put(7, random.Uniform(100, 999), 3);
  phone[10] = '-';
  put(11, random.Uniform(1000, 9999), 4);
  row.Text(std::string_view(phone.data(), phone.size()));
}

// "Customer " somewhere in the comment and `word` somewhere after it, written
// over the generated text so the comment keeps its length.
void PlaceCustomerPhrase(RowRandom& random, std::string_view word, std::string* comment) {
  auto length = static_cast<int64_t>(comment->size());
  auto needed = static_cast<int64_t>(kCustomerWord.size() + word.size());
  int64_t start = random.Uniform(0, length - needed);
  int64_t word_start = random.Uniform(start + static_cast<int64_t>(kCustomerWord.size()),
                                      length - static_cast<int64_t>(word.size()));
  comment->replace(static_cast<size_t>(start), kCustomerWord.size(), kCustomerWord);
  comment->replace(static_cast<size_t>(word_start), word.size(), word);
}

// The streams of the columns SUPPLIER and CUSTOMER share.
struct PartyStreams {
  Stream address;
  Stream nation;
  Stream phone;
  Stream acctbal;
};
constexpr PartyStreams kSupplierStreams = {Stream::kSupplierAddress, Stream::kSupplierNation,
                                           Stream::kSupplierPhone, Stream::kSupplierAcctbal};
constexpr PartyStreams kCustomerStreams = {Stream::kCustomerAddress, Stream::kCustomerNation,
                                           Stream::kCustomerPhone, Stream::kCustomerAcctbal};

// A party's address, nation key, phone and account balance (S_ADDRESS to
// S_ACCTBAL, C_ADDRESS to C_ACCTBAL), which follow the same rules in both
// tables; `scratch` holds the address while it is written.
void WritePartyContact(RowWriter& row, const PartyStreams& streams, uint64_t rownum,
                       std::string* scratch) {
  scratch->clear();
  RowRandom address(streams.address, rownum);
  AppendVString(address, 10, 40, scratch);
  row.Text(*scratch);
  const int64_t nation = RandomCell(streams.nation, rownum, 0, kNationCount - 1);
  row.Int(nation);
  WritePhone(row, streams.phone, rownum, nation);
  row.Money(RandomCell(streams.acctbal, rownum, kMinAcctbal, kMaxAcctbal));
}

}  // namespace

SupplierComments ChooseSupplierComments(const TpchScale& scale) {
  const int64_t suppliers = scale.suppliers;
  int64_t per_kind = std::max<int64_t>(1, std::llround(scale.scale_factor * 5));
  int64_t complaints = std::min(per_kind, suppliers);
  int64_t recommends = std::min(per_kind, suppliers - complaints);
  // Draw distinct keys in a fixed order from one stream: the first ones
  // complain, the rest recommend.
  std::unordered_set<int64_t> taken;
  SupplierComments chosen;
  for (uint64_t draw = 0; static_cast<int64_t>(taken.size()) < complaints + recommends; ++draw) {
    int64_t key = RandomCell(Stream::kSupplierSpecialRows, draw, 1, suppliers);
    if (!taken.insert(key).second) continue;
    if (static_cast<int64_t>(chosen.complaints.size()) < complaints) {
      chosen.complaints.push_back(key);
    } else {
      chosen.recommends.push_back(key);
    }
  }
  std::sort(chosen.complaints.begin(), chosen.complaints.end());
  std::sort(chosen.recommends.begin(), chosen.recommends.end());
  return chosen;
}

int64_t GenerateSupplier(const TableContext& context, int64_t first, int64_t end,
                         std::string* out) {
  RowWriter row(context.format, out);
  std::string scratch;
  const SupplierComments& special = context.supplier_comments;
  for (int64_t index = first; index < end; ++index) {
    const int64_t key = index + 1;
    const auto rownum = static_cast<uint64_t>(index);
    row.Int(key);
    row.PaddedInt("Supplier#", key, 9);
    WritePartyContact(row, kSupplierStreams, rownum, &scratch);
    RowRandom comment(Stream::kSupplierComment, rownum);
    std::string_view text = context.text.Substring(comment, 25, 100);
    bool complains = std::binary_search(special.complaints.begin(), special.complaints.end(), key);
    bool recommends = std::binary_search(special.recommends.begin(), special.recommends.end(), key);
    if (complains || recommends) {
      scratch.assign(text);
      RowRandom place(Stream::kSupplierSpecialPlace, rownum);
      PlaceCustomerPhrase(place, complains ? kComplaintsWord : kRecommendsWord, &scratch);
      row.Text(scratch);
    } else {
      row.Text(text);
    }
    row.EndRow();
  }
  return end - first;
}

int64_t GenerateCustomer(const TableContext& context, int64_t first, int64_t end,
                         std::string* out) {
  RowWriter row(context.format, out);
  std::string scratch;
  for (int64_t index = first; index < end; ++index) {
    const int64_t key = index + 1;
    const auto rownum = static_cast<uint64_t>(index);
    row.Int(key);
    row.PaddedInt("Customer#", key, 9);
    WritePartyContact(row, kCustomerStreams, rownum, &scratch);
    RowRandom segment(Stream::kCustomerSegment, rownum);
    row.Text(PickUniform(Segments(), segment));
    RowRandom comment(Stream::kCustomerComment, rownum);
    row.Text(context.text.Substring(comment, 29, 116));
    row.EndRow();
  }
  return end - first;
}

}  // namespace basalt::tpch
