#include "storage/segment/column_writer.h"

#include "storage/segment/fixed_column_writer.h"
#include "storage/segment/string_column_writer.h"

namespace basalt::segment {

std::unique_ptr<ColumnWriter> MakeColumnWriter(const std::string& name, const LogicalType& type,
                                               RegionSink* sink,
                                               const ColumnWriterOptions& options) {
  if (type.physical() == PhysicalType::kString) {
    return MakeStringColumnWriter(name, type, sink, options);
  }
  return MakeFixedColumnWriter(type, sink, options);
}

}  // namespace basalt::segment
