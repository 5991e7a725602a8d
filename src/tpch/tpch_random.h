// The data generator's random numbers: a counter-based generator, so every
// value is a pure function of (stream, row, draw). A stream names one column
// of one table; a row is that table's row number. Because no state carries
// from one row to the next, a table cut into chunks for any number of threads
// yields the same bytes as a single-threaded run, and each column can be
// drawn without drawing every column before it.
#pragma once

#include <cstdint>

namespace basalt::tpch {

// One stream per generated column (and a few for choices that span rows).
// The values are part of the output's identity: changing one changes the data.
enum class Stream : uint64_t {
  kTextPool = 1,
  kTextOffset,
  kTextLength,
  kNationComment,
  kRegionComment,
  kSupplierAddress,
  kSupplierNation,
  kSupplierPhone,
  kSupplierAcctbal,
  kSupplierComment,
  kSupplierSpecialRows,
  kSupplierSpecialPlace,
  kPartName,
  kPartMfgr,
  kPartBrand,
  kPartType,
  kPartSize,
  kPartContainer,
  kPartComment,
  kPartsuppAvailqty,
  kPartsuppSupplycost,
  kPartsuppComment,
  kCustomerAddress,
  kCustomerNation,
  kCustomerPhone,
  kCustomerAcctbal,
  kCustomerSegment,
  kCustomerComment,
  kOrderCustomer,
  kOrderDate,
  kOrderPriority,
  kOrderClerk,
  kOrderComment,
  kOrderLineCount,
  kLinePart,
  kLineSupplier,
  kLineQuantity,
  kLineDiscount,
  kLineTax,
  kLineShipDate,
  kLineCommitDate,
  kLineReceiptDate,
  kLineReturnFlag,
  kLineShipInstruct,
  kLineShipMode,
  kLineComment,
};

// SplitMix64: a short, fast generator whose output passes BigCrush, used here
// both to derive a row's starting state and to step it.
class RowRandom {
 public:
  RowRandom(Stream stream, uint64_t row)
      : state_(Mix(static_cast<uint64_t>(stream) * kStreamSpacing + Mix(row))) {}

  uint64_t Next() {
    state_ += kGolden;
    return Mix(state_);
  }

  // Uniform in [low, high], both inclusive; low <= high.
  int64_t Uniform(int64_t low, int64_t high) {
    uint64_t span = static_cast<uint64_t>(high - low) + 1;
    // Multiply-shift maps 64 random bits onto the span with a bias below
    // span / 2^64, far under anything the data could show.
    auto scaled = static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * span) >> 64);
    return low + static_cast<int64_t>(scaled);
  }

 private:
  static constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ULL;
  static constexpr uint64_t kStreamSpacing = 0xD1B54A32D192ED03ULL;

  static uint64_t Mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  uint64_t state_;
};

// A value drawn once for (stream, row): the common case of one draw per cell.
inline int64_t RandomCell(Stream stream, uint64_t row, int64_t low, int64_t high) {
  return RowRandom(stream, row).Uniform(low, high);
}

}  // namespace basalt::tpch
