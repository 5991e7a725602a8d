#include "storage/segment/string_list.h"

#include "storage/segment/integer_encoding.h"

namespace basalt::segment {

void ReadStringList(ByteReader* in, uint64_t count, std::vector<StringRef>* out, bool* has_long) {
  std::vector<uint32_t> lengths(count);
  IntegerStreamCursor<uint32_t> cursor;
  cursor.Open(in, count);
  cursor.Read(count, lengths.data());
  uint64_t total = 0;
  bool any_long = false;
  for (uint32_t len : lengths) {
    total += len;
    any_long |= len > StringRef::kInlineLength;
  }
  const auto* bytes = reinterpret_cast<const char*>(in->GetBytes(total, "string bytes"));
  out->resize(count);
  uint64_t at = 0;
  for (uint64_t i = 0; i < count; i++) {
    (*out)[i] = StringRef(bytes + at, lengths[i]);
    at += lengths[i];
  }
  *has_long = any_long;
}

std::shared_ptr<const SegmentDictionary> ParseSegmentDictionary(
    std::shared_ptr<const uint8_t[]> raw, size_t size, uint64_t count) {
  auto dict = std::make_shared<SegmentDictionary>();
  ByteReader in(raw.get(), size);
  const uint64_t stored_count = in.GetVarint("dictionary size");
  if (stored_count != count) {
    ThrowDecodeError("the dictionary holds {} values, the footer says {}", stored_count, count);
  }
  if (count > size) ThrowDecodeError("{} values cannot fit in {} bytes", count, size);
  ReadStringList(&in, count, &dict->values, &dict->has_long_values);
  in.ExpectEnd("the dictionary");
  for (uint64_t i = 1; i < count; i++) {
    if (!(dict->values[i - 1] < dict->values[i])) {
      ThrowDecodeError("dictionary values {} and {} are out of order", i - 1, i);
    }
  }
  dict->bytes = std::move(raw);
  return dict;
}

}  // namespace basalt::segment
