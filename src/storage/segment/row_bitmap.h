// A set of row ids of one segment (uint32), as a compressed Roaring bitmap
// (CRoaring). The bitmap index of a segment answers `col = 'x'` and
// `col IN (...)` with one of these; scans then read only the blocks and rows
// it holds.
//
// A value type: copies are deep, moves are cheap. Not thread-safe for
// writes; const methods may run concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

struct roaring_bitmap_s;

namespace basalt {

class RowBitmap {
 public:
  RowBitmap();
  ~RowBitmap();
  RowBitmap(const RowBitmap& other);
  RowBitmap& operator=(const RowBitmap& other);
  RowBitmap(RowBitmap&& other) noexcept;
  RowBitmap& operator=(RowBitmap&& other) noexcept;

  // Rows [begin, end).
  static RowBitmap Range(uint64_t begin, uint64_t end);
  // The given row ids (any order).
  static RowBitmap Of(const std::vector<uint32_t>& rows) { return Of(rows.data(), rows.size()); }
  static RowBitmap Of(const uint32_t* rows, size_t n);

  void Add(uint32_t row);
  void AddRange(uint64_t begin, uint64_t end);
  bool Contains(uint32_t row) const;
  uint64_t Cardinality() const;
  bool IsEmpty() const;
  // How many rows lie in [begin, end).
  uint64_t CountInRange(uint64_t begin, uint64_t end) const;

  void UnionWith(const RowBitmap& other);
  void IntersectWith(const RowBitmap& other);
  bool operator==(const RowBitmap& other) const;

  // The rows in [begin, end) as offsets from begin, ascending, written to
  // out (room for end - begin entries); returns how many.
  uint64_t ExtractRange(uint64_t begin, uint64_t end, uint32_t* out) const;
  std::vector<uint32_t> ToVector() const;

  // Portable Roaring serialization (the format Java and Go read).
  size_t SerializedSize() const;
  void Serialize(char* out) const;
  // Returns false when the bytes are not a valid bitmap of exactly n bytes.
  static bool Deserialize(const char* data, size_t n, RowBitmap* out);

  // Whether iterating yields strictly ascending rows below `limit`, exactly
  // Cardinality() of them. A deserialized bitmap is only bounds-checked by
  // CRoaring; this also catches containers whose contents contradict their
  // headers, which later operations would trust.
  bool IsWellFormed(uint64_t limit) const;

  // Smaller containers for long runs; call once a bitmap is complete.
  void Optimize();

 private:
  explicit RowBitmap(roaring_bitmap_s* bitmap);

  roaring_bitmap_s* bitmap_;
};

}  // namespace basalt
