#include "common/hyperloglog.h"

#include <cmath>

namespace basalt {

double HyperLogLog::Estimate() const {
  const double m = kRegisters;
  double sum = 0;
  uint32_t zeros = 0;
  for (uint8_t r : registers_) {
    sum += std::ldexp(1.0, -r);
    zeros += r == 0;
  }
  const double alpha = 0.7213 / (1 + 1.079 / m);
  double estimate = alpha * m * m / sum;
  // Small cardinalities: linear counting over the empty registers is exact-ish.
  if (estimate <= 2.5 * m && zeros > 0) estimate = m * std::log(m / zeros);
  return estimate;
}

bool HyperLogLog::FromRegisters(const std::vector<uint8_t>& registers, HyperLogLog* out) {
  if (registers.size() != kRegisters) return false;
  for (uint8_t r : registers) {
    if (r > 64 - kPrecision + 1) return false;
  }
  out->registers_ = registers;
  return true;
}

}  // namespace basalt
