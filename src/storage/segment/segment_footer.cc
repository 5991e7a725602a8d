#include "storage/segment/segment_footer.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "common/nested_type.h"

namespace basalt::segment {

namespace {

enum ColumnFlags : uint8_t {
  kHasDictionary = 1,
  kHasBitmapIndex = 2,
};

void WriteRegion(const RegionRef& r, ByteWriter* out) {
  out->PutVarint(r.offset);
  out->PutVarint(r.stored_size);
  out->PutVarint(r.raw_size);
  out->PutU8(static_cast<uint8_t>(r.compression));
  out->PutU64(r.checksum);
}

RegionRef ReadRegion(ByteReader* in, uint64_t data_end, const std::string& where) {
  RegionRef r;
  r.offset = in->GetVarint("region offset");
  r.stored_size = in->GetVarint("region size");
  r.raw_size = in->GetVarint("region raw size");
  const uint8_t compression = in->GetU8("region compression");
  r.checksum = in->GetU64("region checksum");
  if (compression > static_cast<uint8_t>(SegmentCompression::kZstd)) {
    ThrowDecodeError("{}: unknown compression {}", where, compression);
  }
  r.compression = static_cast<SegmentCompression>(compression);
  if (r.stored_size > kMaxRegionBytes || r.raw_size > kMaxRegionBytes) {
    ThrowDecodeError("{}: region of {} bytes ({} raw) is over the limit", where, r.stored_size,
                     r.raw_size);
  }
  if (r.offset < kHeaderSize || r.offset > data_end || r.stored_size > data_end - r.offset) {
    ThrowDecodeError("{}: region [{}, +{}) lies outside the data area [{}, {})", where, r.offset,
                     r.stored_size, kHeaderSize, data_end);
  }
  if (r.compression == SegmentCompression::kNone && r.raw_size != r.stored_size) {
    ThrowDecodeError("{}: uncompressed region of {} bytes claims {} raw bytes", where,
                     r.stored_size, r.raw_size);
  }
  return r;
}

LogicalType ReadType(ByteReader* in, const std::string& where) {
  const uint8_t id = in->GetU8("column type");
  const uint8_t precision = in->GetU8("decimal precision");
  const uint8_t scale = in->GetU8("decimal scale");
  LogicalType type;
  if (id == static_cast<uint8_t>(TypeId::kList) || id == static_cast<uint8_t>(TypeId::kStruct)) {
    // A nested type is followed by its text, since registry indices are per process.
    std::string_view text = in->GetString("nested column type");
    std::optional<LogicalType> parsed = ParseTypeString(text);
    if (!parsed || static_cast<uint8_t>(parsed->id()) != id || precision != 0 || scale != 0) {
      ThrowDecodeError("{}: invalid nested column type \"{}\"", where, text);
    }
    type = *parsed;
  } else if (id == static_cast<uint8_t>(TypeId::kDecimal)) {
    if (precision < 1 || precision > kMaxDecimalPrecision || scale > precision) {
      ThrowDecodeError("{}: invalid DECIMAL({},{})", where, precision, scale);
    }
    type = LogicalType::Decimal(precision, scale);
  } else {
    if (id > static_cast<uint8_t>(TypeId::kInterval) || precision != 0 || scale != 0) {
      ThrowDecodeError("{}: unknown column type {} ({}, {})", where, id, precision, scale);
    }
    type = LogicalType(static_cast<TypeId>(id));
  }
  if (!SegmentTypeSupported(type)) {
    ThrowDecodeError("{}: unsupported column type {}", where, type.ToString());
  }
  return type;
}

}  // namespace

bool SegmentTypeSupported(const LogicalType& type) {
  switch (type.id()) {
    case TypeId::kNull:
    case TypeId::kBoolean:
    case TypeId::kSmallint:
    case TypeId::kInteger:
    case TypeId::kBigint:
    case TypeId::kReal:
    case TypeId::kDouble:
    case TypeId::kDecimal:
    case TypeId::kVarchar:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kInterval:
    case TypeId::kList:  // stored as their encoded strings
    case TypeId::kStruct:
      return true;
    case TypeId::kInvalid:
      break;
  }
  return false;
}

bool EncodingAllowed(const LogicalType& type, BlockEncoding encoding) {
  if (encoding == BlockEncoding::kAllNull) return true;
  switch (type.physical()) {
    case PhysicalType::kBool:
      return encoding == BlockEncoding::kBitPacked;
    case PhysicalType::kInt16:
    case PhysicalType::kInt32:
    case PhysicalType::kInt64:
    case PhysicalType::kInt128:
      return encoding == BlockEncoding::kPlain || encoding == BlockEncoding::kFrameOfReference ||
             encoding == BlockEncoding::kDelta || encoding == BlockEncoding::kRunLength;
    case PhysicalType::kFloat:
    case PhysicalType::kDouble:
    case PhysicalType::kInterval:
      return encoding == BlockEncoding::kPlain;
    case PhysicalType::kString:
      return encoding == BlockEncoding::kPlain || encoding == BlockEncoding::kDictionary ||
             encoding == BlockEncoding::kBlockDictionary;
  }
  return false;
}

void WriteFooter(const SegmentFooter& footer, ByteWriter* out) {
  out->PutVarint(footer.row_count);
  out->PutVarint(footer.block_rows);
  out->PutVarint(footer.columns.size());
  for (const ColumnMeta& c : footer.columns) {
    out->PutString(c.name);
    out->PutU8(static_cast<uint8_t>(c.type.id()));
    out->PutU8(c.type.precision());
    out->PutU8(c.type.scale());
    if (c.type.IsNested()) out->PutString(c.type.ToString());
    out->PutVarint(c.null_count);
    uint8_t flags = 0;
    if (c.has_dictionary) flags |= kHasDictionary;
    if (c.has_bitmap_index) flags |= kHasBitmapIndex;
    out->PutU8(flags);
    if (c.has_dictionary) {
      out->PutVarint(c.dictionary_size);
      WriteRegion(c.dictionary, out);
    }
    if (c.has_bitmap_index) {
      WriteRegion(c.bitmap_directory, out);
      out->PutVarint(c.bitmaps_offset);
      out->PutVarint(c.bitmaps_size);
    }
    for (const BlockMeta& b : c.blocks) {
      WriteRegion(b.region, out);
      out->PutU8(static_cast<uint8_t>(b.encoding));
      out->PutVarint(b.zone_map.null_count);
      WriteZoneMap(b.zone_map, c.type, out);
    }
  }
}

SegmentFooter ReadFooter(const uint8_t* data, size_t size, uint64_t data_end) {
  ByteReader in(data, size);
  SegmentFooter f;
  f.row_count = in.GetVarint("row count");
  f.block_rows = in.GetVarint("block rows");
  const uint64_t column_count = in.GetVarint("column count");
  if (f.row_count > kMaxSegmentRows) ThrowDecodeError("{} rows is over the limit", f.row_count);
  if (f.block_rows == 0 || f.block_rows > kMaxBlockRows) {
    ThrowDecodeError("invalid block size of {} rows", f.block_rows);
  }
  // Every column takes at least 6 bytes: bound the count before reserving.
  if (column_count == 0 || column_count > in.remaining() / 6) {
    ThrowDecodeError("invalid column count {}", column_count);
  }
  const uint64_t block_count = f.BlockCount();
  // Intervals of every region, to check that they tile the data area.
  std::vector<std::pair<uint64_t, uint64_t>> regions;
  f.columns.resize(column_count);
  for (uint64_t ci = 0; ci < column_count; ci++) {
    ColumnMeta& c = f.columns[ci];
    c.name = std::string(in.GetString("column name"));
    const std::string where = "column \"" + c.name + "\"";
    c.type = ReadType(&in, where);
    c.null_count = in.GetVarint("column null count");
    const uint8_t flags = in.GetU8("column flags");
    if (flags & ~(kHasDictionary | kHasBitmapIndex)) {
      ThrowDecodeError("{}: unknown flags 0x{:x}", where, flags);
    }
    c.has_dictionary = flags & kHasDictionary;
    c.has_bitmap_index = flags & kHasBitmapIndex;
    if ((c.has_dictionary && c.type.physical() != PhysicalType::kString) ||
        (c.has_bitmap_index && !c.has_dictionary)) {
      ThrowDecodeError("{}: dictionary flags 0x{:x} do not fit type {}", where, flags,
                       c.type.ToString());
    }
    if (c.has_dictionary) {
      c.dictionary_size = in.GetVarint("dictionary size");
      if (c.dictionary_size == 0 || c.dictionary_size > f.row_count ||
          c.dictionary_size > kMaxDictionaryValues) {
        ThrowDecodeError("{}: dictionary of {} values for {} rows", where, c.dictionary_size,
                         f.row_count);
      }
      c.dictionary = ReadRegion(&in, data_end, where + " dictionary");
      regions.emplace_back(c.dictionary.offset, c.dictionary.stored_size);
    }
    if (c.has_bitmap_index) {
      c.bitmap_directory = ReadRegion(&in, data_end, where + " bitmap directory");
      regions.emplace_back(c.bitmap_directory.offset, c.bitmap_directory.stored_size);
      c.bitmaps_offset = in.GetVarint("bitmaps offset");
      c.bitmaps_size = in.GetVarint("bitmaps size");
      if (c.bitmaps_offset < kHeaderSize || c.bitmaps_offset > data_end ||
          c.bitmaps_size > data_end - c.bitmaps_offset) {
        ThrowDecodeError("{}: bitmaps lie outside the data area", where);
      }
      regions.emplace_back(c.bitmaps_offset, c.bitmaps_size);
    }
    // Every block entry takes at least 14 bytes.
    if (block_count > in.remaining() / 14) {
      ThrowDecodeError("{}: {} blocks do not fit in the footer", where, block_count);
    }
    c.blocks.resize(block_count);
    uint64_t nulls = 0;
    for (uint64_t bi = 0; bi < block_count; bi++) {
      BlockMeta& b = c.blocks[bi];
      const std::string block_where = where + " block " + std::to_string(bi);
      b.region = ReadRegion(&in, data_end, block_where);
      regions.emplace_back(b.region.offset, b.region.stored_size);
      const uint8_t encoding = in.GetU8("block encoding");
      if (encoding > kMaxBlockEncoding ||
          !EncodingAllowed(c.type, static_cast<BlockEncoding>(encoding))) {
        ThrowDecodeError("{}: encoding {} is not valid for type {}", block_where, encoding,
                         c.type.ToString());
      }
      b.encoding = static_cast<BlockEncoding>(encoding);
      const uint64_t rows = f.BlockRowCount(bi);
      const uint64_t block_nulls = in.GetVarint("block null count");
      if (block_nulls > rows) {
        ThrowDecodeError("{}: {} NULLs in {} rows", block_where, block_nulls, rows);
      }
      if ((block_nulls == rows) != (b.encoding == BlockEncoding::kAllNull)) {
        ThrowDecodeError("{}: {} NULLs in {} rows does not fit encoding {}", block_where,
                         block_nulls, rows, BlockEncodingName(b.encoding));
      }
      if (b.encoding == BlockEncoding::kDictionary && !c.has_dictionary) {
        ThrowDecodeError("{}: dictionary codes without a dictionary", block_where);
      }
      nulls += block_nulls;
      b.zone_map = ReadZoneMap(&in, c.type, block_nulls);
      if (block_nulls == rows && (b.zone_map.has_min || b.zone_map.has_max)) {
        ThrowDecodeError("{}: bounds for an all-NULL block", block_where);
      }
    }
    if (nulls != c.null_count) {
      ThrowDecodeError("{}: {} NULLs in the column but {} in its blocks", where, c.null_count,
                       nulls);
    }
  }
  in.ExpectEnd("the footer");
  // Regions must cover the data area exactly once: no overlaps, no gaps.
  std::sort(regions.begin(), regions.end());
  uint64_t at = kHeaderSize;
  for (const auto& [offset, size] : regions) {
    if (size == 0) continue;
    if (offset != at) {
      ThrowDecodeError("regions {} at byte {} (expected {})",
                       offset < at ? "overlap" : "leave a gap", offset, at);
    }
    at = offset + size;
  }
  if (at != data_end) {
    ThrowDecodeError("regions end at byte {} but the data area ends at {}", at, data_end);
  }
  return f;
}

}  // namespace basalt::segment
