#include "storage/segment/column_block_cursor.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "storage/segment/bit_packing.h"

namespace basalt::segment {

namespace {

// Codes are decoded and checked this many at a time.
constexpr uint64_t kCodeSlice = 2048;

void CheckStreamKind(BlockEncoding stream, BlockEncoding block) {
  if (stream != block) {
    ThrowDecodeError("the block says {} but its values are {}", BlockEncodingName(block),
                     BlockEncodingName(stream));
  }
}

}  // namespace

void ColumnBlockCursor::Open(const LogicalType& type, BlockEncoding encoding, uint64_t rows,
                             uint64_t null_count, std::shared_ptr<const uint8_t[]> raw, size_t size,
                             std::shared_ptr<const SegmentDictionary> dictionary) {
  rows_ = rows;
  pos_ = 0;
  raw_ = std::move(raw);
  validity_ = nullptr;
  keep_alive_.reset();
  dictionary_.reset();
  ByteReader in(raw_.get(), size);
  if (encoding == BlockEncoding::kAllNull) {
    kind_ = Kind::kAllNull;
    in.ExpectEnd("an all-NULL block");
    return;
  }
  if (null_count > 0) {
    const uint64_t words = (rows + 63) / 64;
    validity_ = in.GetBytes(words * 8, "validity bitmap");
    // The bitmap must agree with the NULL count the zone map reports.
    uint64_t valid = 0;
    for (uint64_t w = 0; w < words; w++) {
      uint64_t bits;
      std::memcpy(&bits, validity_ + w * 8, 8);
      if (w + 1 == words && rows % 64 != 0) bits &= LowBitsMask(rows % 64);
      valid += static_cast<uint64_t>(std::popcount(bits));
    }
    if (rows - valid != null_count) {
      ThrowDecodeError("the validity bitmap has {} NULLs, the footer says {}", rows - valid,
                       null_count);
    }
  }
  switch (type.physical()) {
    case PhysicalType::kBool:
      kind_ = Kind::kBool;
      data_ = in.GetBytes(PackedBytes(rows, 1), "boolean bits");
      break;
    case PhysicalType::kInt16:
      kind_ = Kind::kInt16;
      int16_.Open(&in, rows);
      CheckStreamKind(int16_.kind(), encoding);
      break;
    case PhysicalType::kInt32:
      kind_ = Kind::kInt32;
      int32_.Open(&in, rows);
      CheckStreamKind(int32_.kind(), encoding);
      break;
    case PhysicalType::kInt64:
      kind_ = Kind::kInt64;
      int64_.Open(&in, rows);
      CheckStreamKind(int64_.kind(), encoding);
      break;
    case PhysicalType::kInt128:
      if (encoding == BlockEncoding::kPlain) {
        kind_ = Kind::kFixedPlain;
        value_size_ = sizeof(int128_t);
        data_ = in.GetBytes(rows * value_size_, "plain values");
      } else {
        kind_ = Kind::kInt128;
        int128_.Open(&in, rows);
        CheckStreamKind(int128_.kind(), encoding);
      }
      break;
    case PhysicalType::kFloat:
    case PhysicalType::kDouble:
    case PhysicalType::kInterval:
      kind_ = Kind::kFixedPlain;
      value_size_ = type.ValueSize();
      data_ = in.GetBytes(rows * value_size_, "plain values");
      break;
    case PhysicalType::kString:
      if (encoding == BlockEncoding::kPlain) {
        kind_ = Kind::kStringPlain;
        lengths_.resize(rows);
        IntegerStreamCursor<uint32_t> lengths;
        lengths.Open(&in, rows);
        lengths.Read(rows, lengths_.data());
        uint64_t total = 0;
        bool any_long = false;
        for (uint32_t len : lengths_) {
          total += len;
          any_long |= len > StringRef::kInlineLength;
        }
        bytes_ = reinterpret_cast<const char*>(in.GetBytes(total, "string bytes"));
        byte_pos_ = 0;
        if (any_long) keep_alive_ = raw_;
      } else if (encoding == BlockEncoding::kBlockDictionary) {
        kind_ = Kind::kStringDictionary;
        const uint64_t ndv = in.GetVarint("block dictionary size");
        if (ndv == 0 || ndv > rows) ThrowDecodeError("block dictionary of {} values", ndv);
        bool any_long = false;
        ReadStringList(&in, ndv, &block_dictionary_, &any_long);
        codes_.Open(&in, rows);
        dictionary_values_ = block_dictionary_.data();
        dictionary_size_ = ndv;
        if (any_long) keep_alive_ = raw_;
      } else {
        if (!dictionary) ThrowDecodeError("dictionary codes without a dictionary");
        kind_ = Kind::kStringDictionary;
        codes_.Open(&in, rows);
        dictionary_ = std::move(dictionary);
        dictionary_values_ = dictionary_->values.data();
        dictionary_size_ = dictionary_->values.size();
        if (dictionary_->has_long_values) keep_alive_ = dictionary_;
      }
      break;
  }
  in.ExpectEnd("the block's values");
}

void ColumnBlockCursor::Read(uint64_t count, Vector* out, idx_t offset) {
  if (count > rows_ - pos_) {
    ThrowDecodeError("read of {} rows at {} runs past the block's {}", count, pos_, rows_);
  }
  switch (kind_) {
    case Kind::kAllNull:
      for (uint64_t j = 0; j < count; j++) out->validity().SetInvalid(offset + j);
      pos_ += count;
      return;
    case Kind::kBool: {
      bool* dst = out->Data<bool>() + offset;
      for (uint64_t j = 0; j < count; j++) {
        const uint64_t i = pos_ + j;
        dst[j] = (data_[i >> 3] >> (i & 7)) & 1;
      }
      break;
    }
    case Kind::kInt16:
      int16_.Read(count, out->Data<int16_t>() + offset);
      break;
    case Kind::kInt32:
      int32_.Read(count, out->Data<int32_t>() + offset);
      break;
    case Kind::kInt64:
      int64_.Read(count, out->Data<int64_t>() + offset);
      break;
    case Kind::kInt128:
      int128_.Read(count, out->Data<int128_t>() + offset);
      break;
    case Kind::kFixedPlain:
      std::memcpy(out->RawData() + offset * value_size_, data_ + pos_ * value_size_,
                  count * value_size_);
      break;
    case Kind::kStringPlain: {
      StringRef* dst = out->Data<StringRef>() + offset;
      for (uint64_t j = 0; j < count; j++) {
        const uint32_t len = lengths_[pos_ + j];
        dst[j] = StringRef(bytes_ + byte_pos_, len);
        byte_pos_ += len;
      }
      break;
    }
    case Kind::kStringDictionary:
      ReadCodes(count, out->Data<StringRef>() + offset);
      break;
  }
  if (validity_) ApplyValidity(count, out, offset);
  pos_ += count;
}

void ColumnBlockCursor::KeepAliveIn(Vector* out) const {
  if (keep_alive_) out->KeepAlive(keep_alive_);
}

void ColumnBlockCursor::ReadCodes(uint64_t count, StringRef* out) {
  if (scratch_.size() < std::min(count, kCodeSlice)) scratch_.resize(std::min(count, kCodeSlice));
  uint32_t* codes = scratch_.data();
  for (uint64_t done = 0; done < count;) {
    const uint64_t m = std::min(kCodeSlice, count - done);
    codes_.Read(m, codes);
    uint32_t max_code = 0;
    for (uint64_t k = 0; k < m; k++) max_code = std::max(max_code, codes[k]);
    if (max_code >= dictionary_size_) {
      ThrowDecodeError("code {} is outside the dictionary of {} values", max_code,
                       dictionary_size_);
    }
    for (uint64_t k = 0; k < m; k++) out[done + k] = dictionary_values_[codes[k]];
    done += m;
  }
}

void ColumnBlockCursor::Skip(uint64_t count) {
  if (count > rows_ - pos_) {
    ThrowDecodeError("skip of {} rows at {} runs past the block's {}", count, pos_, rows_);
  }
  switch (kind_) {
    case Kind::kInt16:
      int16_.Skip(count);
      break;
    case Kind::kInt32:
      int32_.Skip(count);
      break;
    case Kind::kInt64:
      int64_.Skip(count);
      break;
    case Kind::kInt128:
      int128_.Skip(count);
      break;
    case Kind::kStringPlain:
      for (uint64_t j = 0; j < count; j++) byte_pos_ += lengths_[pos_ + j];
      break;
    case Kind::kStringDictionary:
      codes_.Skip(count);
      break;
    default:
      break;  // random access: the position is all there is
  }
  pos_ += count;
}

void ColumnBlockCursor::ApplyValidity(uint64_t count, Vector* out, idx_t offset) const {
  // 57 to 64 bits per step from one unaligned load (the block buffer has
  // padding after it); valid runs cost one compare.
  ValidityMask& mask = out->validity();
  uint64_t j = 0;
  while (j < count) {
    const uint64_t p = pos_ + j;
    const unsigned shift = static_cast<unsigned>(p & 7);
    uint64_t word;
    std::memcpy(&word, validity_ + (p >> 3), 8);
    word >>= shift;
    const uint64_t take = std::min<uint64_t>(count - j, 64 - shift);
    uint64_t invalid = ~word & LowBitsMask(static_cast<unsigned>(take));
    while (invalid != 0) {
      mask.SetInvalid(offset + j + static_cast<uint64_t>(std::countr_zero(invalid)));
      invalid &= invalid - 1;
    }
    j += take;
  }
}

}  // namespace basalt::segment
