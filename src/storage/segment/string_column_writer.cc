#include "storage/segment/string_column_writer.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "common/exception.h"
#include "storage/segment/bit_packing.h"
#include "storage/segment/bitmap_index.h"
#include "storage/segment/integer_encoding.h"
#include "storage/segment/string_dictionary_builder.h"
#include "storage/segment/string_list.h"

namespace basalt::segment {

namespace {

inline bool BitSet(const uint64_t* words, uint64_t i) { return (words[i >> 6] >> (i & 63)) & 1; }
inline void ClearBit(uint64_t* words, uint64_t i) { words[i >> 6] &= ~(uint64_t{1} << (i & 63)); }

class StringColumnWriter final : public ColumnWriter {
 public:
  StringColumnWriter(std::string name, const LogicalType& type, RegionSink* sink,
                     const ColumnWriterOptions& options)
      : name_(std::move(name)),
        type_(type),
        sink_(sink),
        options_(options),
        validity_((options.block_rows + 63) / 64, ~uint64_t{0}) {
    offsets_.push_back(0);
  }

  void Append(const ColumnInput& input, idx_t start, idx_t count) override {
    if (mode_ == Mode::kCollecting) {
      AppendCollecting(input, start, count);
    } else {
      AppendPerBlock(input, start, count);
    }
  }

  void EndBlock() override {
    if (mode_ == Mode::kCollecting) {
      if (rows_ == block_nulls_.size() * options_.block_rows) return;  // empty block
      block_nulls_.push_back(current_nulls_);
      current_nulls_ = 0;
    } else if (count_ > 0) {
      EncodeBlock();
      ResetBlock();
    }
  }

  void Finish(ColumnMeta* meta) override {
    if (mode_ == Mode::kCollecting) {
      if (DictionaryPays()) {
        FinishWithDictionary(meta);
        return;
      }
      SwitchToPerBlock();
    }
    meta->blocks = std::move(blocks_);
    meta->null_count = total_nulls_;
  }

 private:
  enum class Mode { kCollecting, kPerBlock };

  // ---- collecting a segment dictionary ----

  void AppendCollecting(const ColumnInput& input, idx_t start, idx_t count) {
    const StringRef* src = input.format.Data<StringRef>();
    all_validity_.resize((rows_ + count + 63) / 64, ~uint64_t{0});
    codes_.resize(rows_ + count);
    const bool all_valid = input.AllValid();
    for (idx_t i = 0; i < count; i++) {
      const uint64_t row = input.Row(start + i);
      const uint64_t r = rows_ + i;
      if (all_valid || input.format.validity->IsValid(row)) {
        const std::string_view s = src[row].view();
        codes_[r] = dictionary_.Insert(s);
        value_bytes_ += s.size();
      } else {
        codes_[r] = 0;
        ClearBit(all_validity_.data(), r);
        current_nulls_++;
      }
    }
    rows_ += count;
    if (dictionary_.size() > kMaxDictionaryValues || dictionary_.bytes() > kMaxDictionaryBytes) {
      SwitchToPerBlock();
    }
  }

  // Whether the dictionary plus the codes are smaller than the strings.
  bool DictionaryPays() const {
    const uint64_t ndv = dictionary_.size();
    if (ndv == 0) return false;
    const uint64_t dictionary_cost =
        dictionary_.bytes() + ndv * 2 + PackedBytes(rows_, BitWidth(ndv - 1));
    const uint64_t plain_cost = value_bytes_ + rows_;
    return dictionary_cost < plain_cost;
  }

  // Gives up the segment dictionary: encodes the blocks collected so far on
  // their own and keeps collecting the current block as strings.
  void SwitchToPerBlock() {
    const uint64_t b_rows = options_.block_rows;
    const uint64_t ended = block_nulls_.size();
    for (uint64_t b = 0; b < ended; b++) {
      const uint64_t first = b * b_rows;
      LoadBlockFromCodes(first, std::min(b_rows, rows_ - first));
      EncodeBlock();
    }
    ResetBlock();
    const uint64_t partial_first = ended * b_rows;
    if (rows_ > partial_first) LoadBlockFromCodes(partial_first, rows_ - partial_first);
    codes_ = {};
    all_validity_ = {};
    block_nulls_ = {};
    dictionary_.Clear();
    mode_ = Mode::kPerBlock;
  }

  void LoadBlockFromCodes(uint64_t first, uint64_t count) {
    ResetBlock();
    for (uint64_t i = 0; i < count; i++) {
      const uint64_t r = first + i;
      if (BitSet(all_validity_.data(), r)) {
        AppendBlockString(dictionary_.value(codes_[r]));
      } else {
        ClearBit(validity_.data(), i);
        nulls_++;
      }
      offsets_.push_back(static_cast<uint32_t>(bytes_.size()));
    }
    count_ = count;
  }

  void FinishWithDictionary(ColumnMeta* meta) {
    const uint64_t ndv = dictionary_.size();
    const std::vector<uint32_t> order = dictionary_.SortedCodes();
    std::vector<uint32_t> rank(ndv);
    for (uint64_t k = 0; k < ndv; k++) rank[order[k]] = static_cast<uint32_t>(k);

    // The dictionary: count, then the values in sorted order.
    payload_.Clear();
    payload_.PutVarint(ndv);
    WriteStringList(
        ndv, [&](uint64_t k) { return dictionary_.value(order[k]); }, &payload_);
    meta->has_dictionary = true;
    meta->dictionary_size = ndv;
    meta->dictionary = sink_->Write(payload_.data(), payload_.size());

    for (uint64_t r = 0; r < rows_; r++) {
      if (BitSet(all_validity_.data(), r)) codes_[r] = rank[codes_[r]];
    }

    const uint64_t b_rows = options_.block_rows;
    for (uint64_t b = 0; b < block_nulls_.size(); b++) {
      const uint64_t first = b * b_rows;
      const uint64_t n = std::min(b_rows, rows_ - first);
      const uint64_t nulls = block_nulls_[b];
      const uint64_t* validity = all_validity_.data() + first / 64;
      BlockMeta block;
      payload_.Clear();
      if (nulls == n) {
        block.encoding = BlockEncoding::kAllNull;
        block.zone_map = BuildStringZoneMap(false, {}, {}, nulls);
      } else {
        if (nulls > 0) PutValidity(validity, n, &payload_);
        ints_.resize(n);
        uint32_t lo = UINT32_MAX;
        uint32_t hi = 0;
        for (uint64_t i = 0; i < n; i++) {
          const uint32_t code = codes_[first + i];
          ints_[i] = code;
          if (nulls == 0 || BitSet(validity, i)) {
            lo = std::min(lo, code);
            hi = std::max(hi, code);
          }
        }
        if (nulls > 0) FillNulls(ints_.data(), validity, n);
        block.encoding = BlockEncoding::kDictionary;
        EncodeIntegerStream(ints_.data(), n, 4, &payload_);
        block.zone_map = BuildStringZoneMap(true, dictionary_.value(order[lo]),
                                            dictionary_.value(order[hi]), nulls);
      }
      block.region = sink_->Write(payload_.data(), payload_.size());
      blocks_.push_back(std::move(block));
      total_nulls_ += nulls;
    }

    if (options_.bitmap_indexes) {
      std::vector<uint8_t> bitmaps;
      payload_.Clear();
      BuildBitmapIndex(codes_.data(), all_validity_.data(), rows_, ndv, &bitmaps, &payload_);
      meta->has_bitmap_index = true;
      meta->bitmaps_offset = sink_->WriteRaw(bitmaps.data(), bitmaps.size());
      meta->bitmaps_size = bitmaps.size();
      meta->bitmap_directory = sink_->Write(payload_.data(), payload_.size());
    }
    meta->blocks = std::move(blocks_);
    meta->null_count = total_nulls_;
  }

  // ---- one block at a time ----

  std::string_view Value(idx_t i) const {
    return {bytes_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]};
  }

  void ResetBlock() {
    bytes_.clear();
    offsets_.assign(1, 0);
    std::fill(validity_.begin(), validity_.end(), ~uint64_t{0});
    count_ = 0;
    nulls_ = 0;
  }

  void AppendPerBlock(const ColumnInput& input, idx_t start, idx_t count) {
    const StringRef* src = input.format.Data<StringRef>();
    const bool all_valid = input.AllValid();
    for (idx_t i = 0; i < count; i++) {
      const uint64_t row = input.Row(start + i);
      if (all_valid || input.format.validity->IsValid(row)) {
        AppendBlockString(src[row].view());
      } else {
        ClearBit(validity_.data(), count_ + i);
        nulls_++;
      }
      offsets_.push_back(static_cast<uint32_t>(bytes_.size()));
    }
    count_ += count;
  }

  // Adds one row's bytes to the current block. Every way a string enters a
  // block comes through here: appended rows, and the rows re-expanded from
  // codes when the column gives its segment dictionary up (where a few
  // distinct long values may repeat across a whole block). Checking before
  // the append bounds the block's region and keeps offsets_ within uint32.
  void AppendBlockString(std::string_view s) {
    const uint64_t limit = options_.max_block_string_bytes;
    if (s.size() > limit - bytes_.size()) {
      ThrowError(sqlstate::kProgramLimitExceeded,
                 "column \"{}\": the strings of one segment block ({} rows) would exceed {} "
                 "bytes, the most a block holds; write segments with fewer rows per block "
                 "(SegmentWriterOptions::block_rows), or keep values this long out of segments",
                 name_, options_.block_rows, limit);
    }
    bytes_.append(s);
  }

  void EncodeBlock() {
    BlockMeta block;
    payload_.Clear();
    if (nulls_ == count_) {
      block.encoding = BlockEncoding::kAllNull;
      block.zone_map = BuildStringZoneMap(false, {}, {}, nulls_);
    } else {
      if (nulls_ > 0) PutValidity(validity_.data(), count_, &payload_);
      const uint64_t* validity = validity_.data();
      // A block dictionary is worth trying only while values repeat.
      block_dictionary_.Clear();
      block_codes_.resize(count_);
      bool dictionary_ok = true;
      uint32_t max_length = 0;
      for (idx_t i = 0; i < count_; i++) {
        max_length = std::max(max_length, offsets_[i + 1] - offsets_[i]);
      }
      for (idx_t i = 0; i < count_; i++) {
        if (nulls_ > 0 && !BitSet(validity, i)) {
          block_codes_[i] = 0;
          continue;
        }
        block_codes_[i] = block_dictionary_.Insert(Value(i));
        if (block_dictionary_.size() > count_ / 2) {
          dictionary_ok = false;
          break;
        }
      }
      const unsigned length_width = BitWidth(max_length);
      const uint64_t plain_cost = bytes_.size() + PackedBytes(count_, length_width);
      uint64_t dictionary_cost = ~uint64_t{0};
      if (dictionary_ok) {
        const uint64_t ndv = block_dictionary_.size();
        dictionary_cost = 16 + block_dictionary_.bytes() + PackedBytes(ndv, length_width) +
                          PackedBytes(count_, BitWidth(ndv - 1));
      }
      if (dictionary_cost < plain_cost) {
        EncodeBlockDictionary(&block);
      } else {
        EncodePlain(&block);
      }
    }
    block.region = sink_->Write(payload_.data(), payload_.size());
    blocks_.push_back(std::move(block));
    total_nulls_ += nulls_;
  }

  void EncodePlain(BlockMeta* block) {
    ints_.resize(count_);
    for (idx_t i = 0; i < count_; i++) ints_[i] = offsets_[i + 1] - offsets_[i];
    EncodeIntegerStream(ints_.data(), count_, 4, &payload_);
    payload_.PutBytes(bytes_.data(), bytes_.size());
    block->encoding = BlockEncoding::kPlain;
    std::string_view lo;
    std::string_view hi;
    bool any = false;
    for (idx_t i = 0; i < count_; i++) {
      if (nulls_ > 0 && !BitSet(validity_.data(), i)) continue;
      const std::string_view v = Value(i);
      if (!any || v < lo) lo = v;
      if (!any || hi < v) hi = v;
      any = true;
    }
    block->zone_map = BuildStringZoneMap(any, lo, hi, nulls_);
  }

  void EncodeBlockDictionary(BlockMeta* block) {
    const uint64_t ndv = block_dictionary_.size();
    const std::vector<uint32_t> order = block_dictionary_.SortedCodes();
    rank_.resize(ndv);
    for (uint64_t k = 0; k < ndv; k++) rank_[order[k]] = static_cast<uint32_t>(k);
    payload_.PutVarint(ndv);
    WriteStringList(
        ndv, [&](uint64_t k) { return block_dictionary_.value(order[k]); }, &payload_);
    ints_.resize(count_);
    for (idx_t i = 0; i < count_; i++) ints_[i] = rank_[block_codes_[i]];
    if (nulls_ > 0) FillNulls(ints_.data(), validity_.data(), count_);
    EncodeIntegerStream(ints_.data(), count_, 4, &payload_);
    block->encoding = BlockEncoding::kBlockDictionary;
    block->zone_map = BuildStringZoneMap(true, block_dictionary_.value(order.front()),
                                         block_dictionary_.value(order.back()), nulls_);
  }

  std::string name_;
  LogicalType type_;
  RegionSink* sink_;
  ColumnWriterOptions options_;
  Mode mode_ = Mode::kCollecting;

  // Collecting: a provisional code and a validity bit per row of the
  // segment, the NULL count of every ended block.
  StringDictionaryBuilder dictionary_;
  std::vector<uint32_t> codes_;
  std::vector<uint64_t> all_validity_;
  std::vector<uint64_t> block_nulls_;
  uint64_t rows_ = 0;
  uint64_t current_nulls_ = 0;
  uint64_t value_bytes_ = 0;

  // One block as strings: bytes_[offsets_[i], offsets_[i + 1]) is row i.
  std::string bytes_;
  std::vector<uint32_t> offsets_;
  std::vector<uint64_t> validity_;
  idx_t count_ = 0;
  idx_t nulls_ = 0;
  StringDictionaryBuilder block_dictionary_;
  std::vector<uint32_t> block_codes_;
  std::vector<uint32_t> rank_;

  std::vector<int64_t> ints_;
  ByteWriter payload_;
  std::vector<BlockMeta> blocks_;
  uint64_t total_nulls_ = 0;
};

}  // namespace

std::unique_ptr<ColumnWriter> MakeStringColumnWriter(const std::string& name,
                                                     const LogicalType& type, RegionSink* sink,
                                                     const ColumnWriterOptions& options) {
  return std::make_unique<StringColumnWriter>(name, type, sink, options);
}

}  // namespace basalt::segment
