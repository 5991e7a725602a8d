#include "exec/operators/window_frame.h"

#include <algorithm>
#include <cmath>

#include "common/exception.h"

namespace basalt {

namespace {

// SQLSTATEs PostgreSQL uses for bad frames.
constexpr const char* kWindowingError = "42P20";
constexpr const char* kInvalidPrecedingOrFollowingSize = "22013";

int64_t CappedOffset(int64_t offset) { return std::min(offset, kMaxWindowOffset); }

bool HasOffset(WindowBoundKind kind) {
  return kind == WindowBoundKind::kPreceding || kind == WindowBoundKind::kFollowing;
}

// RANGE with a value offset: positions of the partition whose key lies
// within [key - offset, ...) for starts, (..., key + offset] for ends.
bool IsRangeOffset(const WindowFrame& frame, WindowBoundKind kind) {
  return frame.unit == WindowFrameUnit::kRange && HasOffset(kind);
}

void ComputeRangeBounds(const WindowBatch& batch, WindowBoundKind kind, double offset, bool is_start,
                        uint32_t* out) {
  const double* keys = batch.range_keys;
  // The binder allows value offsets only with one numeric ORDER BY key.
  BASALT_CHECK(keys != nullptr);
  for (idx_t j = 0; j < batch.count; j++) {
    const uint32_t p = static_cast<uint32_t>(batch.first + j);
    const double key = keys[p];
    if (std::isinf(key)) {
      // A NULL key: its frame is its peers, the other NULLs.
      out[j] = is_start ? batch.peer_begin[j] : batch.peer_end[j];
      continue;
    }
    const double bound = kind == WindowBoundKind::kPreceding ? key - offset : key + offset;
    const double* lo = keys + batch.partition_begin[j];
    const double* hi = keys + batch.partition_end[j];
    const double* at = is_start ? std::lower_bound(lo, hi, bound) : std::upper_bound(lo, hi, bound);
    out[j] = static_cast<uint32_t>(at - keys);
  }
}

void ComputeStarts(const WindowFrame& frame, const WindowBatch& batch, uint32_t* begin) {
  if (IsRangeOffset(frame, frame.start)) {
    ComputeRangeBounds(batch, frame.start, frame.start_range, true, begin);
    return;
  }
  const idx_t count = batch.count;
  const int64_t first = static_cast<int64_t>(batch.first);
  const int64_t n = CappedOffset(frame.start_offset);
  switch (frame.start) {
    case WindowBoundKind::kUnboundedPreceding:
      std::copy_n(batch.partition_begin.begin(), count, begin);
      return;
    case WindowBoundKind::kPreceding:
      for (idx_t j = 0; j < count; j++) {
        const int64_t start = first + static_cast<int64_t>(j) - n;
        begin[j] = static_cast<uint32_t>(std::max<int64_t>(start, batch.partition_begin[j]));
      }
      return;
    case WindowBoundKind::kCurrentRow:
      if (frame.unit == WindowFrameUnit::kRange) {
        std::copy_n(batch.peer_begin.begin(), count, begin);
      } else {
        for (idx_t j = 0; j < count; j++) begin[j] = static_cast<uint32_t>(first + j);
      }
      return;
    case WindowBoundKind::kFollowing:
      for (idx_t j = 0; j < count; j++) {
        const int64_t start = first + static_cast<int64_t>(j) + n;
        begin[j] = static_cast<uint32_t>(std::min<int64_t>(start, batch.partition_end[j]));
      }
      return;
    case WindowBoundKind::kUnboundedFollowing:
      break;
  }
  ThrowError(sqlstate::kInternalError, "internal error: frame start UNBOUNDED FOLLOWING");
}

void ComputeEnds(const WindowFrame& frame, const WindowBatch& batch, uint32_t* end) {
  if (IsRangeOffset(frame, frame.end)) {
    ComputeRangeBounds(batch, frame.end, frame.end_range, false, end);
    return;
  }
  const idx_t count = batch.count;
  const int64_t first = static_cast<int64_t>(batch.first);
  const int64_t n = CappedOffset(frame.end_offset);
  switch (frame.end) {
    case WindowBoundKind::kUnboundedFollowing:
      std::copy_n(batch.partition_end.begin(), count, end);
      return;
    case WindowBoundKind::kFollowing:
      for (idx_t j = 0; j < count; j++) {
        const int64_t stop = first + static_cast<int64_t>(j) + n + 1;
        end[j] = static_cast<uint32_t>(std::min<int64_t>(stop, batch.partition_end[j]));
      }
      return;
    case WindowBoundKind::kCurrentRow:
      // RANGE: through the row's last peer.
      if (frame.unit == WindowFrameUnit::kRange) {
        std::copy_n(batch.peer_end.begin(), count, end);
      } else {
        for (idx_t j = 0; j < count; j++) end[j] = static_cast<uint32_t>(first + j + 1);
      }
      return;
    case WindowBoundKind::kPreceding:
      for (idx_t j = 0; j < count; j++) {
        const int64_t stop = first + static_cast<int64_t>(j) - n + 1;
        end[j] = static_cast<uint32_t>(std::max<int64_t>(stop, batch.partition_begin[j]));
      }
      return;
    case WindowBoundKind::kUnboundedPreceding:
      break;
  }
  ThrowError(sqlstate::kInternalError, "internal error: frame end UNBOUNDED PRECEDING");
}

std::string BoundToString(WindowBoundKind kind, int64_t offset) {
  switch (kind) {
    case WindowBoundKind::kUnboundedPreceding:
      return "UNBOUNDED PRECEDING";
    case WindowBoundKind::kPreceding:
      return std::to_string(offset) + " PRECEDING";
    case WindowBoundKind::kCurrentRow:
      return "CURRENT ROW";
    case WindowBoundKind::kFollowing:
      return std::to_string(offset) + " FOLLOWING";
    case WindowBoundKind::kUnboundedFollowing:
      return "UNBOUNDED FOLLOWING";
  }
  return "?";
}

}  // namespace

void ValidateWindowFrame(const WindowFrame& frame) {
  using K = WindowBoundKind;
  if (frame.start == K::kUnboundedFollowing) {
    ThrowError(kWindowingError, "frame start cannot be UNBOUNDED FOLLOWING");
  }
  if (frame.end == K::kUnboundedPreceding) {
    ThrowError(kWindowingError, "frame end cannot be UNBOUNDED PRECEDING");
  }
  if (frame.start == K::kCurrentRow && frame.end == K::kPreceding) {
    ThrowError(kWindowingError, "frame starting from current row cannot have preceding rows");
  }
  if (frame.start == K::kFollowing && frame.end == K::kCurrentRow) {
    ThrowError(kWindowingError, "frame starting from following row cannot end with current row");
  }
  if (frame.start == K::kFollowing && frame.end == K::kPreceding) {
    ThrowError(kWindowingError, "frame starting from following row cannot have preceding rows");
  }
  if (frame.unit == WindowFrameUnit::kRange &&
      ((HasOffset(frame.start) && !(frame.start_range >= 0)) ||
       (HasOffset(frame.end) && !(frame.end_range >= 0)))) {
    ThrowError(kInvalidPrecedingOrFollowingSize, "RANGE frame offsets must not be negative");
  }
  if (HasOffset(frame.start) && frame.start_offset < 0) {
    ThrowError(kInvalidPrecedingOrFollowingSize, "frame starting offset must not be negative");
  }
  if (HasOffset(frame.end) && frame.end_offset < 0) {
    ThrowError(kInvalidPrecedingOrFollowingSize, "frame ending offset must not be negative");
  }
}

void ComputeFrameBounds(const WindowFrame& frame, const WindowBatch& batch, uint32_t* begin,
                        uint32_t* end) {
  ComputeStarts(frame, batch, begin);
  ComputeEnds(frame, batch, end);
  // Frames such as ROWS BETWEEN 1 PRECEDING AND 2 PRECEDING are empty.
  for (idx_t j = 0; j < batch.count; j++) end[j] = std::max(end[j], begin[j]);
}

std::string WindowFrameToString(const WindowFrame& frame) {
  return std::string(frame.unit == WindowFrameUnit::kRows ? "ROWS" : "RANGE") + " BETWEEN " +
         BoundToString(frame.start, frame.start_offset) + " AND " +
         BoundToString(frame.end, frame.end_offset);
}

}  // namespace basalt
