// How much stack the current thread has left, so that recursive code (the
// parser's NestingGuard) can fail with an error instead of overflowing,
// whatever the build (ASAN frames are several times larger) or the thread's
// stack size.
#pragma once

#include <cstddef>

namespace basalt {

// Bytes of stack between the caller's frame and the end of the current
// thread's stack; SIZE_MAX when the platform cannot tell (then only the
// callers' own depth limits apply).
size_t RemainingStackBytes();

}  // namespace basalt
