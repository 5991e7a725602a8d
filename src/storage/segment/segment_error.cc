#include "storage/segment/segment_error.h"

#include "common/exception.h"

namespace basalt::segment {

void ThrowCorruptSegment(const std::string& path, std::string_view where, std::string_view detail) {
  if (where.empty()) {
    throw BasaltError(sqlstate::kDataCorrupted,
                      fmt::format("segment file \"{}\" is corrupt: {}", path, detail));
  }
  throw BasaltError(sqlstate::kDataCorrupted,
                    fmt::format("segment file \"{}\" is corrupt: {}: {}", path, where, detail));
}

}  // namespace basalt::segment
