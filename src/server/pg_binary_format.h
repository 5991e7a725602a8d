// PostgreSQL's binary format of each Basalt type, both ways, as its send/recv
// functions lay it out: big-endian integers and IEEE floats, booleans as one
// byte, dates and timestamps counted from 2000-01-01, intervals as
// (microseconds, days, months), numeric as base-10000 digits with weight,
// sign and display scale, text as its bytes.
//
// Depends on common/ only (no exec/), so the fuzz target (fuzz/) links it as
// it is. The writers put bytes at a caller's pointer so that the DataRow
// encoder (pg_data_rows.h) fills its buffers without a temporary per value.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "common/types.h"
#include "common/value.h"

namespace basalt {

// PostgreSQL counts dates and timestamps from 2000-01-01, Basalt from 1970-01-01.
inline constexpr int32_t kPgEpochDays = 10957;
inline constexpr int64_t kPgEpochMicros = int64_t{kPgEpochDays} * 86400 * 1000000;

// The most bytes a NUMERIC takes: the header and one base-10000 word per four
// digits of a 39-digit int128 on each side of the point, plus the split.
inline constexpr size_t kMaxPgNumericBinarySize = 8 + 2 * 12;

// Writes `value` big-endian at `out`; returns the end.
template <typename T>
inline char* PutBigEndian(char* out, T value) {
  using U = std::make_unsigned_t<T>;
  U bits = static_cast<U>(value);
  if constexpr (sizeof(T) == 1) {
    out[0] = static_cast<char>(bits);
  } else if constexpr (sizeof(T) == 2) {
    bits = __builtin_bswap16(bits);
    std::memcpy(out, &bits, 2);
  } else if constexpr (sizeof(T) == 4) {
    bits = __builtin_bswap32(bits);
    std::memcpy(out, &bits, 4);
  } else {
    static_assert(sizeof(T) == 8);
    bits = __builtin_bswap64(bits);
    std::memcpy(out, &bits, 8);
  }
  return out + sizeof(T);
}

// A DATE / TIMESTAMP in PostgreSQL's count from 2000-01-01 (wrapping rather
// than overflowing at the ends of the storage range, which no valid value reaches).
inline int32_t PgDateOf(int32_t days) {
  return static_cast<int32_t>(static_cast<uint32_t>(days) - static_cast<uint32_t>(kPgEpochDays));
}
inline int64_t PgTimestampOf(int64_t micros) {
  return static_cast<int64_t>(static_cast<uint64_t>(micros) -
                              static_cast<uint64_t>(kPgEpochMicros));
}

// Writes NUMERIC's binary form of raw / 10^scale (at most
// kMaxPgNumericBinarySize bytes) at `out`; returns the end. No allocation.
char* PutPgNumericBinary(char* out, int128_t raw, int scale);

// The binary format of a non-NULL value (without the length word).
std::string PgBinaryOf(const Value& value);

// Decodes a bound parameter's binary value of `type`. Throws BasaltError:
// 22P03 for data of the wrong shape (length, numeric layout), 22003 for a
// numeric that does not fit DECIMAL(38), 22008 for a date or timestamp out of
// range, 42P18 when the type is unknown (kInvalid or kNull).
Value PgValueFromBinary(std::string_view data, const LogicalType& type, int parameter_number);

}  // namespace basalt
