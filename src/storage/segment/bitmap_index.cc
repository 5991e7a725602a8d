#include "storage/segment/bitmap_index.h"

#include <xxhash.h>

#include "storage/segment/byte_reader.h"
#include "storage/segment/row_bitmap.h"

namespace basalt::segment {

namespace {
constexpr size_t kEntryBytes = 20;
}

void BuildBitmapIndex(const uint32_t* codes, const uint64_t* validity, uint64_t rows,
                      uint64_t dictionary_size, std::vector<uint8_t>* bitmaps,
                      ByteWriter* directory) {
  // Counting sort of the row ids by code (NULL rows last), so each bitmap is
  // built from one ascending array.
  const uint64_t keys = dictionary_size + 1;
  std::vector<uint64_t> starts(keys + 1, 0);
  auto key_of = [&](uint64_t r) -> uint64_t {
    return ((validity[r >> 6] >> (r & 63)) & 1) ? codes[r] : dictionary_size;
  };
  for (uint64_t r = 0; r < rows; r++) starts[key_of(r) + 1]++;
  for (uint64_t k = 0; k < keys; k++) starts[k + 1] += starts[k];
  std::vector<uint32_t> sorted(rows);
  {
    std::vector<uint64_t> next(starts.begin(), starts.end() - 1);
    for (uint64_t r = 0; r < rows; r++) sorted[next[key_of(r)]++] = static_cast<uint32_t>(r);
  }
  bitmaps->clear();
  directory->PutVarint(keys);
  for (uint64_t k = 0; k < keys; k++) {
    BitmapEntry e;
    e.offset = bitmaps->size();
    const uint64_t n = starts[k + 1] - starts[k];
    if (n > 0) {
      RowBitmap b = RowBitmap::Of(sorted.data() + starts[k], n);
      b.Optimize();
      const size_t bytes = b.SerializedSize();
      bitmaps->resize(e.offset + bytes);
      b.Serialize(reinterpret_cast<char*>(bitmaps->data() + e.offset));
      e.size = static_cast<uint32_t>(bytes);
      e.checksum = XXH3_64bits(bitmaps->data() + e.offset, bytes);
    } else {
      e.checksum = XXH3_64bits(nullptr, 0);
    }
    directory->PutU64(e.offset);
    directory->PutU32(e.size);
    directory->PutU64(e.checksum);
  }
}

std::vector<BitmapEntry> ReadBitmapDirectory(const uint8_t* data, size_t size,
                                             uint64_t dictionary_size, uint64_t bitmaps_size) {
  ByteReader in(data, size);
  const uint64_t entries = in.GetVarint("bitmap count");
  if (entries != dictionary_size + 1) {
    ThrowDecodeError("{} bitmaps for a dictionary of {} values", entries, dictionary_size);
  }
  if (entries > in.remaining() / kEntryBytes) {
    ThrowDecodeError("{} bitmap entries do not fit in {} bytes", entries, in.remaining());
  }
  std::vector<BitmapEntry> out(entries);
  uint64_t at = 0;
  for (uint64_t i = 0; i < entries; i++) {
    BitmapEntry& e = out[i];
    e.offset = in.GetU64("bitmap offset");
    e.size = in.GetU32("bitmap size");
    e.checksum = in.GetU64("bitmap checksum");
    if (e.offset != at || e.size > bitmaps_size - at) {
      ThrowDecodeError(
          "bitmap {} at [{}, +{}) does not follow the previous one at {} within {} bytes", i,
          e.offset, e.size, at, bitmaps_size);
    }
    if (e.size == 0 && i + 1 < entries)
      ThrowDecodeError("bitmap {} of a dictionary value is empty", i);
    at += e.size;
  }
  if (at != bitmaps_size) ThrowDecodeError("bitmaps end at {} of {} bytes", at, bitmaps_size);
  in.ExpectEnd("the bitmap directory");
  return out;
}

}  // namespace basalt::segment
