// The process-wide memory cap. Basalt does not track every allocation yet;
// until it does, the shell bounds its address space (RLIMIT_AS), so that a
// query needing more memory than the machine has fails with std::bad_alloc,
// which the engine reports as SQLSTATE 53200 "out of memory", instead of the
// kernel killing the process and everything with it.
#pragma once

#include <cstdint>
#include <string>

namespace basalt {

// `limit_mb` < 0: three quarters of physical memory; 0: no limit.
// Returns an error message, or "" on success.
std::string ApplyMemoryLimit(int64_t limit_mb);

}  // namespace basalt
