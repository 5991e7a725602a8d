#include "storage/csv_split.h"

#include <algorithm>
#include <cstring>
#include <memory>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace basalt {

namespace {

// Quote scans read whole ranges (megabytes), boundary searches usually only
// a line or two.
constexpr size_t kScanBlock = size_t{1} << 20;
constexpr size_t kSearchBlock = size_t{64} << 10;


}  // namespace

uint64_t FindLineStart(const InputFile& file, uint64_t offset) {
  const uint64_t size = file.size();
  if (offset == 0) return 0;
  if (offset >= size) return size;
  auto block = std::make_unique_for_overwrite<char[]>(kSearchBlock);
  // Starting one byte early makes a line feed just before `offset` count.
  uint64_t at = offset - 1;
  while (at < size) {
    size_t n = file.ReadAt(block.get(), std::min<uint64_t>(kSearchBlock, size - at), at);
    if (n == 0) break;
    const void* newline = std::memchr(block.get(), '\n', n);
    if (newline != nullptr) return at + (static_cast<const char*>(newline) - block.get()) + 1;
    at += n;
  }
  return size;
}

CsvQuoteScan ScanCsvQuotes(const InputFile& file, uint64_t begin, uint64_t end, char delimiter,
                           char quote) {
  CsvQuoteScan scan;
  const uint64_t size = file.size();
  end = std::min(end, size);
  // Each block is read with one byte of context on either side, since a
  // quote's place is judged by its neighbours.
  auto block = std::make_unique_for_overwrite<char[]>(kScanBlock + 2);
  uint64_t at = begin;
  while (at < end) {
    const uint64_t count = std::min<uint64_t>(kScanBlock, end - at);
    const uint64_t from = at == 0 ? 0 : at - 1;
    const uint64_t to = std::min(at + count + 1, size);
    const size_t got = file.ReadAt(block.get(), to - from, from);
    // A file that shrank since it was opened ends early; the reader reports it.
    if (got < at - from + count) break;
    const char* data = block.get();
    const size_t first = at - from;  // index of `at` in the block
    const size_t last = first + count;
    auto visit = [&](size_t i) {
      const uint64_t position = from + i;
      const char before = i > 0 ? data[i - 1] : '\n';
      const bool at_file_end = position + 1 >= size;
      const char after = i + 1 < got ? data[i + 1] : '\n';
      // An opening quote begins a field; a closing one ends it or is the
      // first of a doubled quote. A quote after another is the second of a
      // doubled one, which reopens.
      const bool opens = position == 0 || before == delimiter || before == '\n' || before == quote;
      const bool closes = at_file_end || after == delimiter || after == '\n' || after == '\r' ||
                          after == quote;
      // Starting outside, even-numbered quotes of the range open and odd ones
      // close; starting inside, the other way round.
      const bool even = (scan.quotes & 1) == 0;
      scan.proper_if_outside = scan.proper_if_outside && (even ? opens : closes);
      scan.proper_if_inside = scan.proper_if_inside && (even ? closes : opens);
      scan.quotes++;
    };
    size_t i = first;
#ifdef __SSE2__
    // 64 bytes at a time, without a branch per quote: quoted CSV has a quote
    // every few bytes, so this pass would otherwise cost as much as parsing.
    // Bit j of each mask stands for byte i + j.
    const __m128i quotes = _mm_set1_epi8(quote);
    const __m128i delimiters = _mm_set1_epi8(delimiter);
    const __m128i newlines = _mm_set1_epi8('\n');
    const __m128i returns = _mm_set1_epi8('\r');
    // Whether the byte before the chunk lets a quote open (see `visit`).
    uint64_t opener_before = 1;
    if (from + i > 0) {
      const char b = data[i - 1];
      opener_before = b == delimiter || b == '\n' || b == quote;
    }
    for (; i + 64 <= last; i += 64) {
      uint64_t q = 0, openers = 0, closers = 0;
      for (int k = 0; k < 4; k++) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i + 16 * k));
        const __m128i is_quote = _mm_cmpeq_epi8(v, quotes);
        const __m128i opener = _mm_or_si128(
            is_quote, _mm_or_si128(_mm_cmpeq_epi8(v, delimiters), _mm_cmpeq_epi8(v, newlines)));
        const __m128i closer = _mm_or_si128(opener, _mm_cmpeq_epi8(v, returns));
        q |= uint64_t{static_cast<uint32_t>(_mm_movemask_epi8(is_quote))} << (16 * k);
        openers |= uint64_t{static_cast<uint32_t>(_mm_movemask_epi8(opener))} << (16 * k);
        closers |= uint64_t{static_cast<uint32_t>(_mm_movemask_epi8(closer))} << (16 * k);
      }
      // A quote opens properly when the byte before it is an opener, closes
      // properly when the byte after it is a closer or the file ends there.
      const uint64_t opens = (openers << 1) | opener_before;
      uint64_t closer_after = 1;  // the end of the file
      if (i + 64 < got) {
        const char a = data[i + 64];
        closer_after = a == delimiter || a == '\n' || a == '\r' || a == quote;
      }
      const uint64_t closes = (closers >> 1) | (closer_after << 63);
      opener_before = openers >> 63;
      if (q == 0) continue;
      // The parity of the quotes before each bit: a prefix XOR, then the
      // quotes before this chunk.
      uint64_t before = q << 1;
      before ^= before << 1;
      before ^= before << 2;
      before ^= before << 4;
      before ^= before << 8;
      before ^= before << 16;
      before ^= before << 32;
      if (scan.quotes & 1) before = ~before;
      const uint64_t odd = q & before;  // closing when the range starts outside
      const uint64_t even = q & ~before;
      if ((even & ~opens) | (odd & ~closes)) scan.proper_if_outside = false;
      if ((even & ~closes) | (odd & ~opens)) scan.proper_if_inside = false;
      scan.quotes += static_cast<uint64_t>(__builtin_popcountll(q));
    }
#endif
    for (; i < last; i++) {
      if (data[i] == quote) visit(i);
    }
    at += count;
  }
  return scan;
}

uint64_t FindCsvRecordStart(const InputFile& file, uint64_t offset, bool inside_quotes,
                            char quote) {
  const uint64_t size = file.size();
  if (offset == 0) return 0;
  if (offset >= size) return size;
  auto block = std::make_unique_for_overwrite<char[]>(kSearchBlock);
  // The byte before `offset` is read too: a line feed there, outside quotes,
  // makes `offset` itself a record start. (A line feed does not change the
  // parity, so the parity at `offset` holds for it.)
  uint64_t at = offset - 1;
  bool inside = inside_quotes;
  bool first = true;
  while (at < size) {
    size_t n = file.ReadAt(block.get(), std::min<uint64_t>(kSearchBlock, size - at), at);
    if (n == 0) break;
    size_t i = 0;
    if (first) {
      first = false;
      if (block[0] == '\n' && !inside) return offset;
      i = 1;
    }
    for (; i < n; i++) {
      const char c = block[i];
      if (c == quote) {
        inside = !inside;
      } else if (c == '\n' && !inside) {
        return at + i + 1;
      }
    }
    at += n;
  }
  return size;
}

}  // namespace basalt
