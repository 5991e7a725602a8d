// Fault points: named places in the write path where a test can have the
// process killed (SIGKILL, as the kernel or an operator would), to prove
// that a restart finds either the old or the new state and nothing between.
//
// BASALT_FAULT_POINT=<name> in the environment arms one point; reaching it
// kills the process at once. Unset (always, outside the kill tests), a fault
// point costs one comparison of a cached pointer.
#pragma once

namespace basalt {

// Kills the process if `name` is the armed fault point.
void FaultPoint(const char* name);

}  // namespace basalt
