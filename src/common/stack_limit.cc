#include "common/stack_limit.h"

#include <cstdint>

#if defined(__linux__)
#include <pthread.h>
#endif

namespace basalt {
namespace {

// The lowest address of the current thread's stack (stacks grow down on
// every platform Basalt targets), or 0 when unknown.
uintptr_t StackLowAddress() {
#if defined(__linux__)
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;
  void* address = nullptr;
  size_t size = 0;
  int rc = pthread_attr_getstack(&attr, &address, &size);
  pthread_attr_destroy(&attr);
  if (rc != 0) return 0;
  return reinterpret_cast<uintptr_t>(address);
#else
  return 0;
#endif
}

}  // namespace

size_t RemainingStackBytes() {
  // A thread's stack never moves; finding it can read /proc (main thread), so
  // it is done once per thread.
  thread_local const uintptr_t low = StackLowAddress();
  if (low == 0) return SIZE_MAX;
  auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  return here > low ? here - low : 0;
}

}  // namespace basalt
