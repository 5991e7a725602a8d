#include "storage/parquet/parquet_encoding.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <limits>
#include <type_traits>

#include "common/arena.h"
#include "storage/parquet/parquet_bit_unpack.h"

namespace basalt::parquet {

using internal::PackedBytes;
using internal::ReadUleb128;
using internal::UnpackBits;
using internal::ZigZagDecode;

namespace {

// Values decoded per step where a decoder needs scratch space on the stack.
constexpr size_t kChunk = 256;

uint32_t LoadLe32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

void CheckCount(const char* encoding, size_t count, uint64_t left) {
  if (count > left) {
    throw ParquetDecodeError(
        fmt::format("{} data holds {} more values, {} were expected", encoding, left, count));
  }
}

}  // namespace

int LevelBitWidth(int max_level) {
  return max_level <= 0 ? 0 : static_cast<int>(std::bit_width(static_cast<unsigned>(max_level)));
}

std::span<const uint8_t> ReadLengthPrefixed(const uint8_t* data, size_t size, size_t* consumed) {
  if (size < 4) throw ParquetDecodeError("truncated length of an RLE stream");
  const uint32_t length = LoadLe32(data);
  if (length > size - 4) {
    throw ParquetDecodeError(fmt::format(
        "RLE stream length {} exceeds the {} bytes left in the page", length, size - 4));
  }
  *consumed = 4 + size_t{length};
  return {data + 4, length};
}

// ---- RLE / bit-packed hybrid ----

RleBitPackedDecoder::RleBitPackedDecoder(const uint8_t* data, size_t size, int bit_width)
    : data_(data), size_(size) {
  if (bit_width < 0 || bit_width > 32) {
    throw ParquetDecodeError(fmt::format("RLE bit width {} is not in 0..32", bit_width));
  }
  bit_width_ = static_cast<unsigned>(bit_width);
}

bool RleBitPackedDecoder::NextRun() {
  if (pos_ >= size_) return false;
  const uint64_t header = ReadUleb128(data_, size_, &pos_, "RLE run header");
  // The format caps runs below 2^31 values; the cap here only keeps the
  // arithmetic below from overflowing.
  if ((header >> 1) > (uint64_t{1} << 32)) {
    throw ParquetDecodeError(fmt::format("RLE run header {} is out of range", header));
  }
  if (header & 1) {
    const uint64_t groups = header >> 1;
    const uint64_t bytes = groups * bit_width_;
    const size_t left = size_ - pos_;
    packed_ = data_ + pos_;
    packed_size_ = left;
    packed_index_ = 0;
    if (bytes <= left) {
      packed_left_ = groups * 8;
      pos_ += bytes;
    } else {
      // Only the values whose bits are all there.
      packed_left_ = uint64_t{left} * 8 / bit_width_;
      pos_ = size_;
    }
  } else {
    const size_t value_bytes = (bit_width_ + 7) / 8;
    if (size_ - pos_ < value_bytes) throw ParquetDecodeError("truncated RLE run value");
    uint32_t value = 0;
    std::memcpy(&value, data_ + pos_, value_bytes);
    pos_ += value_bytes;
    if (bit_width_ < 32 && (value >> bit_width_) != 0) {
      throw ParquetDecodeError(
          fmt::format("RLE run value {} does not fit in {} bits", value, bit_width_));
    }
    rle_value_ = value;
    rle_left_ = header >> 1;
  }
  return true;
}

size_t RleBitPackedDecoder::Decode(uint32_t* out, size_t count) {
  size_t done = 0;
  while (done < count) {
    if (rle_left_ > 0) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(rle_left_, count - done));
      std::fill_n(out + done, n, rle_value_);
      rle_left_ -= n;
      done += n;
    } else if (packed_left_ > 0) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(packed_left_, count - done));
      UnpackBits<uint32_t>(packed_, packed_size_, bit_width_, packed_index_, n, out + done);
      packed_index_ += n;
      packed_left_ -= n;
      done += n;
    } else if (!NextRun()) {
      break;
    }
  }
  return done;
}

void RleBitPackedDecoder::DecodeExactly(uint32_t* out, size_t count) {
  const size_t n = Decode(out, count);
  if (n != count) {
    throw ParquetDecodeError(fmt::format("RLE stream ends after {} of {} values", n, count));
  }
}

size_t RleBitPackedDecoder::Skip(size_t count) {
  size_t done = 0;
  while (done < count) {
    if (rle_left_ > 0) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(rle_left_, count - done));
      rle_left_ -= n;
      done += n;
    } else if (packed_left_ > 0) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(packed_left_, count - done));
      packed_index_ += n;
      packed_left_ -= n;
      done += n;
    } else if (!NextRun()) {
      break;
    }
  }
  return done;
}

RleBitPackedDecoder MakeDictionaryIndexDecoder(const uint8_t* data, size_t size) {
  // A page of only nulls may carry no index bytes at all (not even the width).
  if (size == 0) return RleBitPackedDecoder(data, 0, 0);
  if (data[0] > 32) {
    throw ParquetDecodeError(fmt::format("dictionary index bit width {} exceeds 32", data[0]));
  }
  return RleBitPackedDecoder(data + 1, size - 1, data[0]);
}

void ThrowBadDictionaryIndex(uint32_t index, size_t dictionary_size) {
  throw ParquetDecodeError(fmt::format(
      "dictionary index {} is out of range for a dictionary of {} values", index, dictionary_size));
}

// ---- PLAIN ----

size_t PlainDecoder::TakeFixed(size_t value_size, size_t count) {
  const size_t left = size_ - pos_;
  if (value_size != 0 && count > left / value_size) {
    throw ParquetDecodeError(fmt::format(
        "PLAIN data has {} bytes left, {} values of {} bytes need more", left, count, value_size));
  }
  pos_ += value_size * count;
  return value_size * count;
}

void PlainDecoder::DecodeBooleans(bool* out, size_t count) {
  const uint64_t bits_left = uint64_t{size_ - pos_} * 8 - bit_offset_;
  CheckCount("PLAIN BOOLEAN", count, bits_left);
  size_t i = 0;
  // Finish a byte a previous batch started, then whole bytes, then the rest.
  for (; i < count && bit_offset_ != 0; i++) {
    out[i] = (data_[pos_] >> bit_offset_) & 1;
    if (++bit_offset_ == 8) {
      bit_offset_ = 0;
      pos_++;
    }
  }
  for (; count - i >= 8; i += 8) {
    const uint8_t byte = data_[pos_++];
    for (unsigned b = 0; b < 8; b++) out[i + b] = (byte >> b) & 1;
  }
  for (; i < count; i++) out[i] = (data_[pos_] >> bit_offset_++) & 1;
}

void PlainDecoder::SkipBooleans(size_t count) {
  const uint64_t bits_left = uint64_t{size_ - pos_} * 8 - bit_offset_;
  CheckCount("PLAIN BOOLEAN", count, bits_left);
  const uint64_t bits = uint64_t{bit_offset_} + count;
  pos_ += static_cast<size_t>(bits / 8);
  bit_offset_ = static_cast<unsigned>(bits % 8);
}

void PlainDecoder::DecodeInt96(int64_t* micros, size_t count) {
  const uint8_t* p = data_ + pos_;
  TakeFixed(12, count);
  for (size_t i = 0; i < count; i++) micros[i] = Int96ToMicros(p + 12 * i);
}

template <typename View>
void PlainDecoder::DecodeByteArrays(View* out, size_t count) {
  for (size_t i = 0; i < count; i++) {
    if (size_ - pos_ < 4) throw ParquetDecodeError("truncated BYTE_ARRAY length");
    const uint32_t length = LoadLe32(data_ + pos_);
    pos_ += 4;
    if (length > size_ - pos_) {
      throw ParquetDecodeError(
          fmt::format("BYTE_ARRAY length {} exceeds the {} bytes left", length, size_ - pos_));
    }
    out[i] = View(reinterpret_cast<const char*>(data_ + pos_), length);
    pos_ += length;
  }
}

template <typename View>
void PlainDecoder::DecodeFixedLenByteArrays(View* out, size_t count, uint32_t type_length) {
  const char* p = reinterpret_cast<const char*>(data_ + pos_);
  TakeFixed(type_length, count);
  for (size_t i = 0; i < count; i++) out[i] = View(p + size_t{type_length} * i, type_length);
}

void PlainDecoder::SkipByteArrays(size_t count) {
  for (size_t i = 0; i < count; i++) {
    if (size_ - pos_ < 4) throw ParquetDecodeError("truncated BYTE_ARRAY length");
    const uint32_t length = LoadLe32(data_ + pos_);
    pos_ += 4;
    if (length > size_ - pos_) {
      throw ParquetDecodeError(
          fmt::format("BYTE_ARRAY length {} exceeds the {} bytes left", length, size_ - pos_));
    }
    pos_ += length;
  }
}

template void PlainDecoder::DecodeByteArrays(std::string_view*, size_t);
template void PlainDecoder::DecodeByteArrays(StringRef*, size_t);
template void PlainDecoder::DecodeFixedLenByteArrays(std::string_view*, size_t, uint32_t);
template void PlainDecoder::DecodeFixedLenByteArrays(StringRef*, size_t, uint32_t);

// ---- DELTA_BINARY_PACKED ----

namespace {
// Far above what writers use (128 to a few thousand); it bounds the bit
// width array a header can ask for.
constexpr uint64_t kMaxDeltaBlockSize = uint64_t{1} << 20;
}  // namespace

DeltaBinaryPackedDecoder::DeltaBinaryPackedDecoder(const uint8_t* data, size_t size)
    : data_(data), size_(size) {
  const uint64_t block_size = ReadUleb128(data_, size_, &pos_, "DELTA_BINARY_PACKED block size");
  const uint64_t miniblocks =
      ReadUleb128(data_, size_, &pos_, "DELTA_BINARY_PACKED miniblock count");
  total_values_ = ReadUleb128(data_, size_, &pos_, "DELTA_BINARY_PACKED value count");
  last_value_ = static_cast<uint64_t>(
      ZigZagDecode(ReadUleb128(data_, size_, &pos_, "DELTA_BINARY_PACKED first value")));
  if (block_size == 0 || block_size % 128 != 0 || block_size > kMaxDeltaBlockSize) {
    throw ParquetDecodeError(
        fmt::format("DELTA_BINARY_PACKED block size {} is not a multiple of 128", block_size));
  }
  if (miniblocks == 0 || block_size % miniblocks != 0 || (block_size / miniblocks) % 32 != 0) {
    throw ParquetDecodeError(
        fmt::format("DELTA_BINARY_PACKED block of {} values cannot have {} miniblocks", block_size,
                    miniblocks));
  }
  values_per_miniblock_ = block_size / miniblocks;
  bit_widths_.resize(static_cast<size_t>(miniblocks));
  next_miniblock_ = bit_widths_.size();
  values_left_ = total_values_;
  first_pending_ = total_values_ > 0;
}

void DeltaBinaryPackedDecoder::NextMiniblock() {
  if (next_miniblock_ == bit_widths_.size()) {
    min_delta_ = static_cast<uint64_t>(
        ZigZagDecode(ReadUleb128(data_, size_, &pos_, "DELTA_BINARY_PACKED min delta")));
    if (size_ - pos_ < bit_widths_.size()) {
      throw ParquetDecodeError("truncated DELTA_BINARY_PACKED miniblock bit widths");
    }
    std::memcpy(bit_widths_.data(), data_ + pos_, bit_widths_.size());
    pos_ += bit_widths_.size();
    next_miniblock_ = 0;
  }
  miniblock_width_ = bit_widths_[next_miniblock_++];
  if (miniblock_width_ > 64) {
    throw ParquetDecodeError(
        fmt::format("DELTA_BINARY_PACKED miniblock bit width {} exceeds 64", miniblock_width_));
  }
  // The last miniblock should be padded to full size; demand only the bytes
  // of the values actually used, as the padding is never read.
  const uint64_t used = std::min(values_per_miniblock_, values_left_);
  const size_t left = size_ - pos_;
  if (PackedBytes(used, miniblock_width_) > left) {
    throw ParquetDecodeError("truncated DELTA_BINARY_PACKED miniblock");
  }
  miniblock_ = data_ + pos_;
  miniblock_size_ = left;
  pos_ += static_cast<size_t>(
      std::min<uint64_t>(PackedBytes(values_per_miniblock_, miniblock_width_), left));
  miniblock_index_ = 0;
  miniblock_left_ = used;
}

template <typename T>
void DeltaBinaryPackedDecoder::Decode(T* out, size_t count) {
  static_assert(std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>);
  CheckCount("DELTA_BINARY_PACKED", count, values_left_);
  size_t done = 0;
  if (count > 0 && first_pending_) {
    out[done++] = static_cast<T>(last_value_);
    first_pending_ = false;
    values_left_--;
  }
  uint64_t deltas[kChunk];
  uint64_t value = last_value_;
  while (done < count) {
    if (miniblock_left_ == 0) NextMiniblock();
    const size_t n =
        static_cast<size_t>(std::min<uint64_t>({count - done, miniblock_left_, kChunk}));
    if (miniblock_width_ == 0) {
      for (size_t i = 0; i < n; i++) {
        value += min_delta_;
        out[done + i] = static_cast<T>(value);
      }
    } else {
      UnpackBits<uint64_t>(miniblock_, miniblock_size_, miniblock_width_, miniblock_index_, n,
                           deltas);
      for (size_t i = 0; i < n; i++) {
        value += min_delta_ + deltas[i];
        out[done + i] = static_cast<T>(value);
      }
    }
    miniblock_index_ += n;
    miniblock_left_ -= n;
    values_left_ -= n;
    done += n;
  }
  last_value_ = value;
}

size_t DeltaBinaryPackedDecoder::SkipToEnd() {
  if (first_pending_) {
    first_pending_ = false;
    values_left_--;
  }
  // pos_ is already past the current miniblock: skip the rest of it, then
  // whole miniblocks by their headers alone.
  values_left_ -= miniblock_left_;
  miniblock_left_ = 0;
  while (values_left_ > 0) {
    NextMiniblock();
    values_left_ -= miniblock_left_;
    miniblock_left_ = 0;
  }
  return pos_;
}

template void DeltaBinaryPackedDecoder::Decode(int32_t*, size_t);
template void DeltaBinaryPackedDecoder::Decode(int64_t*, size_t);

// ---- DELTA_LENGTH_BYTE_ARRAY ----

DeltaLengthByteArrayDecoder::DeltaLengthByteArrayDecoder(const uint8_t* data, size_t size)
    : lengths_(data, size) {
  // The bytes start where the lengths end, which takes a walk over their
  // blocks (headers only) to find.
  DeltaBinaryPackedDecoder walker = lengths_;
  const size_t lengths_size = walker.SkipToEnd();
  bytes_ = data + lengths_size;
  bytes_size_ = size - lengths_size;
}

template <typename View>
void DeltaLengthByteArrayDecoder::Decode(View* out, size_t count) {
  CheckCount("DELTA_LENGTH_BYTE_ARRAY", count, values_left());
  int32_t lengths[kChunk];
  for (size_t done = 0; done < count;) {
    const size_t n = std::min(count - done, kChunk);
    lengths_.Decode(lengths, n);
    for (size_t i = 0; i < n; i++) {
      const int32_t length = lengths[i];
      if (length < 0 || static_cast<size_t>(length) > bytes_size_ - bytes_pos_) {
        throw ParquetDecodeError(
            fmt::format("DELTA_LENGTH_BYTE_ARRAY length {} exceeds the {} bytes left", length,
                        bytes_size_ - bytes_pos_));
      }
      out[done + i] =
          View(reinterpret_cast<const char*>(bytes_ + bytes_pos_), static_cast<uint32_t>(length));
      bytes_pos_ += static_cast<size_t>(length);
    }
    done += n;
  }
}

template void DeltaLengthByteArrayDecoder::Decode(std::string_view*, size_t);
template void DeltaLengthByteArrayDecoder::Decode(StringRef*, size_t);

// ---- DELTA_BYTE_ARRAY ----

DeltaByteArrayDecoder::DeltaByteArrayDecoder(const uint8_t* data, size_t size)
    : prefixes_(data, size) {
  DeltaBinaryPackedDecoder walker = prefixes_;
  const size_t prefixes_size = walker.SkipToEnd();
  suffixes_ = DeltaLengthByteArrayDecoder(data + prefixes_size, size - prefixes_size);
}

template <typename View>
void DeltaByteArrayDecoder::Decode(View* out, size_t count, Arena* arena) {
  CheckCount("DELTA_BYTE_ARRAY", count, values_left());
  int32_t prefixes[kChunk];
  std::string_view suffixes[kChunk];
  // The previous value; it always points at memory that outlives the batch
  // (the page, the arena, an inline StringRef in out, or last_value_).
  std::string_view previous = last_value_;
  for (size_t done = 0; done < count;) {
    const size_t n = std::min(count - done, kChunk);
    prefixes_.Decode(prefixes, n);
    suffixes_.Decode(suffixes, n);
    for (size_t i = 0; i < n; i++) {
      const int32_t prefix = prefixes[i];
      const std::string_view suffix = suffixes[i];
      if (prefix < 0 || static_cast<size_t>(prefix) > previous.size()) {
        throw ParquetDecodeError(
            fmt::format("DELTA_BYTE_ARRAY prefix length {} exceeds the previous value's {} bytes",
                        prefix, previous.size()));
      }
      View& value = out[done + i];
      const size_t length = static_cast<size_t>(prefix) + suffix.size();
      if (length > std::numeric_limits<uint32_t>::max()) {
        throw ParquetDecodeError("DELTA_BYTE_ARRAY value longer than 4 GiB");
      }
      if (prefix == 0) {
        value = View(suffix.data(), static_cast<uint32_t>(suffix.size()));
      } else if (std::is_same_v<View, StringRef> && length <= StringRef::kInlineLength) {
        // Short enough to live inside the StringRef itself: no arena bytes.
        char buffer[StringRef::kInlineLength];
        std::memcpy(buffer, previous.data(), static_cast<size_t>(prefix));
        std::memcpy(buffer + prefix, suffix.data(), suffix.size());
        value = View(buffer, static_cast<uint32_t>(length));
      } else {
        char* bytes = arena->Allocate(length);
        std::memcpy(bytes, previous.data(), static_cast<size_t>(prefix));
        std::memcpy(bytes + prefix, suffix.data(), suffix.size());
        value = View(bytes, static_cast<uint32_t>(length));
      }
      previous = std::string_view(value.data(), length);
    }
    done += n;
  }
  if (count > 0) last_value_.assign(previous.data(), previous.size());
}

template void DeltaByteArrayDecoder::Decode(std::string_view*, size_t, Arena*);
template void DeltaByteArrayDecoder::Decode(StringRef*, size_t, Arena*);

// ---- BYTE_STREAM_SPLIT ----

ByteStreamSplitDecoder::ByteStreamSplitDecoder(const uint8_t* data, size_t size, size_t value_width)
    : data_(data), value_width_(value_width) {
  if (value_width == 0 || size % value_width != 0) {
    throw ParquetDecodeError(
        fmt::format("BYTE_STREAM_SPLIT data of {} bytes is not a whole number of {}-byte values",
                    size, value_width));
  }
  total_values_ = size / value_width;
}

namespace {

template <size_t kWidth>
void MergeStreams(const uint8_t* data, size_t stream_size, size_t first, size_t count,
                  uint8_t* out) {
  for (size_t i = 0; i < count; i++) {
    for (size_t k = 0; k < kWidth; k++) out[i * kWidth + k] = data[k * stream_size + first + i];
  }
}

}  // namespace

void ByteStreamSplitDecoder::Decode(uint8_t* out, size_t count) {
  CheckCount("BYTE_STREAM_SPLIT", count, values_left());
  switch (value_width_) {
    case 4:
      MergeStreams<4>(data_, total_values_, next_, count, out);
      break;
    case 8:
      MergeStreams<8>(data_, total_values_, next_, count, out);
      break;
    default:
      for (size_t i = 0; i < count; i++) {
        for (size_t k = 0; k < value_width_; k++) {
          out[i * value_width_ + k] = data_[k * total_values_ + next_ + i];
        }
      }
  }
  next_ += count;
}

}  // namespace basalt::parquet
