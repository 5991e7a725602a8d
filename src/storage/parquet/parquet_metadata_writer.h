// Encoders of the parquet.thrift structures the Parquet writer produces:
// the mirror of ReadFileMetaData and ReadPageHeader (parquet_metadata.h), on
// the same structs. Every field that is set is written under its Thrift id;
// optional fields that are empty are left out. FileMetaData also gets
// column_orders (TYPE_DEFINED_ORDER for every leaf), without which readers
// such as Arrow ignore min_value / max_value. Stateless.
#pragma once

#include <cstdint>
#include <vector>

#include "storage/parquet/parquet_metadata.h"

namespace basalt::parquet {

std::vector<uint8_t> WriteFileMetaData(const FileMetaData& metadata);
std::vector<uint8_t> WritePageHeader(const PageHeader& header);

}  // namespace basalt::parquet
