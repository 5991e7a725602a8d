// The one error type of the Parquet decoders (docs/parquet.md, "Contracts
// between the layers"). A decoder that meets damaged bytes throws it with a
// short description of what was wrong; it knows neither the file nor the
// column, so the reader catches it where it does and raises BasaltError XX001
// with that context. Keeping it a plain std::runtime_error lets the decoders
// stay free of SQLSTATEs and of everything above storage/.
#pragma once

#include <stdexcept>
#include <string>

namespace basalt::parquet {

class ParquetDecodeError : public std::runtime_error {
 public:
  explicit ParquetDecodeError(const std::string& what) : std::runtime_error(what) {}
  explicit ParquetDecodeError(const char* what) : std::runtime_error(what) {}
};

}  // namespace basalt::parquet
