#include "storage/segment/row_bitmap.h"

#include <roaring/roaring.h>

#include <new>

namespace basalt {

namespace {
roaring_bitmap_t* Check(roaring_bitmap_t* b) {
  if (b == nullptr) throw std::bad_alloc();
  return b;
}
}  // namespace

RowBitmap::RowBitmap() : bitmap_(Check(roaring_bitmap_create())) {}
RowBitmap::RowBitmap(roaring_bitmap_s* bitmap) : bitmap_(Check(bitmap)) {}
RowBitmap::~RowBitmap() {
  if (bitmap_) roaring_bitmap_free(bitmap_);
}
RowBitmap::RowBitmap(const RowBitmap& other) : bitmap_(Check(roaring_bitmap_copy(other.bitmap_))) {}
RowBitmap& RowBitmap::operator=(const RowBitmap& other) {
  if (this != &other) {
    roaring_bitmap_t* copy = Check(roaring_bitmap_copy(other.bitmap_));
    roaring_bitmap_free(bitmap_);
    bitmap_ = copy;
  }
  return *this;
}
// A moved-from bitmap is left empty (never null), so it stays usable.
RowBitmap::RowBitmap(RowBitmap&& other) noexcept : bitmap_(other.bitmap_) {
  other.bitmap_ = roaring_bitmap_create();
}
RowBitmap& RowBitmap::operator=(RowBitmap&& other) noexcept {
  if (this != &other) std::swap(bitmap_, other.bitmap_);
  return *this;
}

RowBitmap RowBitmap::Range(uint64_t begin, uint64_t end) {
  RowBitmap b;
  b.AddRange(begin, end);
  return b;
}

RowBitmap RowBitmap::Of(const uint32_t* rows, size_t n) {
  if (n == 0) return RowBitmap();
  return RowBitmap(roaring_bitmap_of_ptr(n, rows));
}

void RowBitmap::Add(uint32_t row) { roaring_bitmap_add(bitmap_, row); }
void RowBitmap::AddRange(uint64_t begin, uint64_t end) {
  if (begin < end) roaring_bitmap_add_range(bitmap_, begin, end);
}
bool RowBitmap::Contains(uint32_t row) const { return roaring_bitmap_contains(bitmap_, row); }
uint64_t RowBitmap::Cardinality() const { return roaring_bitmap_get_cardinality(bitmap_); }
bool RowBitmap::IsEmpty() const { return roaring_bitmap_is_empty(bitmap_); }
uint64_t RowBitmap::CountInRange(uint64_t begin, uint64_t end) const {
  if (begin >= end) return 0;
  return roaring_bitmap_range_cardinality(bitmap_, begin, end);
}
void RowBitmap::UnionWith(const RowBitmap& other) {
  roaring_bitmap_or_inplace(bitmap_, other.bitmap_);
}
void RowBitmap::IntersectWith(const RowBitmap& other) {
  roaring_bitmap_and_inplace(bitmap_, other.bitmap_);
}
bool RowBitmap::operator==(const RowBitmap& other) const {
  return roaring_bitmap_equals(bitmap_, other.bitmap_);
}

uint64_t RowBitmap::ExtractRange(uint64_t begin, uint64_t end, uint32_t* out) const {
  if (begin >= end || begin > UINT32_MAX) return 0;
  roaring_uint32_iterator_t it;
  roaring_init_iterator(bitmap_, &it);
  if (!roaring_move_uint32_iterator_equalorlarger(&it, static_cast<uint32_t>(begin))) return 0;
  const uint64_t room = end - begin;
  const uint32_t got = roaring_read_uint32_iterator(
      &it, out, static_cast<uint32_t>(room > UINT32_MAX ? UINT32_MAX : room));
  uint64_t n = 0;
  while (n < got && out[n] < end) {
    out[n] = static_cast<uint32_t>(out[n] - begin);
    n++;
  }
  return n;
}

std::vector<uint32_t> RowBitmap::ToVector() const {
  std::vector<uint32_t> rows(Cardinality());
  roaring_bitmap_to_uint32_array(bitmap_, rows.data());
  return rows;
}

size_t RowBitmap::SerializedSize() const { return roaring_bitmap_portable_size_in_bytes(bitmap_); }
void RowBitmap::Serialize(char* out) const { roaring_bitmap_portable_serialize(bitmap_, out); }

bool RowBitmap::Deserialize(const char* data, size_t n, RowBitmap* out) {
  if (n == 0) {
    *out = RowBitmap();
    return true;
  }
  // The size check first: it walks the container headers within n bytes.
  if (roaring_bitmap_portable_deserialize_size(data, n) != n) return false;
  roaring_bitmap_t* b = roaring_bitmap_portable_deserialize_safe(data, n);
  if (b == nullptr) return false;
  *out = RowBitmap(b);
  return true;
}

namespace {
struct WellFormedState {
  uint64_t count = 0;
  int64_t last = -1;
  uint64_t limit = 0;
  bool ok = true;
};

bool CheckNext(uint32_t value, void* param) {
  auto* s = static_cast<WellFormedState*>(param);
  if (static_cast<int64_t>(value) <= s->last || value >= s->limit) {
    s->ok = false;
    return false;
  }
  s->last = value;
  s->count++;
  return true;
}
}  // namespace

bool RowBitmap::IsWellFormed(uint64_t limit) const {
  WellFormedState state;
  state.limit = limit;
  roaring_iterate(bitmap_, CheckNext, &state);
  return state.ok && state.count == Cardinality();
}

void RowBitmap::Optimize() { roaring_bitmap_run_optimize(bitmap_); }

}  // namespace basalt
