// Zone maps: the bounds of one block of one column, kept in the footer so a
// scan can skip blocks without reading them.
#pragma once

#include <string_view>

#include "common/types.h"
#include "common/value.h"
#include "storage/segment/byte_reader.h"
#include "storage/segment/byte_writer.h"

namespace basalt {

// Every non-NULL value v of the block satisfies min <= v <= max in the
// engine's order: NaN above every number, strings byte-wise, intervals by
// length with a month as 30 days. A bound is exact when it is a value of the
// block; string bounds longer than kZoneMapMaxStringBytes are not (the
// minimum is cut to a prefix, the maximum to a prefix whose last byte is
// raised, or dropped when no such prefix exists). An all-NULL block has no
// bounds.
struct ZoneMap {
  idx_t null_count = 0;
  bool has_min = false;
  bool has_max = false;
  bool min_exact = true;
  bool max_exact = true;
  Value min;
  Value max;
};

namespace segment {

// The zone map of count values of a fixed-width physical type T (bool,
// int16_t, int32_t, int64_t, int128_t, float, double, Interval); `validity`
// has a bit per row (1 = valid), nullptr when every row is valid.
template <typename T>
ZoneMap BuildZoneMap(const LogicalType& type, const T* values, const uint64_t* validity,
                     idx_t count, idx_t null_count);

// The zone map of a string block whose smallest and largest values are given
// (has_values false for an all-NULL block); applies the length limit.
ZoneMap BuildStringZoneMap(bool has_values, std::string_view min, std::string_view max,
                           idx_t null_count);

// Serialized in the footer after the block's null count: u8 flags, then the
// bounds present in the column's physical form.
void WriteZoneMap(const ZoneMap& zone_map, const LogicalType& type, ByteWriter* out);
ZoneMap ReadZoneMap(ByteReader* in, const LogicalType& type, idx_t null_count);

// Whether zone maps of this type carry bounds (every type but NULL).
bool HasZoneBounds(const LogicalType& type);

}  // namespace segment
}  // namespace basalt
