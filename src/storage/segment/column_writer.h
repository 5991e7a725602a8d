// Column writers buffer one block of one column, encode it when the block
// ends and hand it to the RegionSink. The SegmentWriter drives one per column
// and never appends more rows than fit in the current block.
#pragma once

#include <memory>
#include <string>

#include "common/vector.h"
#include "storage/segment/region_sink.h"
#include "storage/segment/segment_footer.h"

namespace basalt::segment {

struct ColumnWriterOptions {
  idx_t block_rows = kSegmentBlockRows;  // a multiple of 64
  bool bitmap_indexes = true;
  // String bytes one block of a string column may hold, at most
  // kMaxBlockStringBytes.
  uint64_t max_block_string_bytes = kMaxBlockStringBytes;
};

// Rows of any vector form: row i of the input is data[Row(i)].
struct ColumnInput {
  UnifiedFormat format;
  // Flat and constant vectors are indexed directly: their UnifiedFormat
  // selections hold only kBatchSize entries, and a chunk may be longer.
  VectorKind kind = VectorKind::kFlat;

  ColumnInput(const Vector& v, idx_t count) : kind(v.kind()) { v.ToUnified(count, &format); }
  uint64_t Row(idx_t i) const {
    switch (kind) {
      case VectorKind::kFlat:
        return i;
      case VectorKind::kConstant:
        return 0;
      case VectorKind::kDictionary:
        break;
    }
    return format.sel->Get(i);
  }
  bool AllValid() const { return format.validity->AllValid(); }
  bool IsValid(idx_t i) const { return format.validity->IsValid(Row(i)); }
};

class ColumnWriter {
 public:
  virtual ~ColumnWriter() = default;
  // Appends input rows [start, start + count) to the current block.
  virtual void Append(const ColumnInput& input, idx_t start, idx_t count) = 0;
  // Ends the current block: when it is full, and once for a partial last block.
  virtual void EndBlock() = 0;
  // Writes whatever the column held back and fills in its metadata (blocks,
  // null count, dictionary, bitmap index; name and type are set by the caller).
  virtual void Finish(ColumnMeta* meta) = 0;
};

std::unique_ptr<ColumnWriter> MakeColumnWriter(const std::string& name, const LogicalType& type,
                                               RegionSink* sink,
                                               const ColumnWriterOptions& options);

// The validity words of `count` rows as stored in a block: ceil(count / 64)
// little-endian words, bit i of word i / 64 set when row i is valid.
inline void PutValidity(const uint64_t* words, idx_t count, ByteWriter* out) {
  out->PutBytes(words, (count + 63) / 64 * 8);
}

// Replaces the values of NULL rows by the previous valid value (the first
// valid one for leading NULLs), so NULLs neither widen a frame of reference
// nor break a run or a delta.
template <typename T>
void FillNulls(T* values, const uint64_t* validity, idx_t count) {
  idx_t first = 0;
  while (first < count && !((validity[first >> 6] >> (first & 63)) & 1)) first++;
  if (first == count) return;
  for (idx_t i = 0; i < first; i++) values[i] = values[first];
  for (idx_t i = first + 1; i < count; i++) {
    if (!((validity[i >> 6] >> (i & 63)) & 1)) values[i] = values[i - 1];
  }
}

}  // namespace basalt::segment
