#include "storage/managed/fault_point.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace basalt {

void FaultPoint(const char* name) {
  static const char* armed = std::getenv("BASALT_FAULT_POINT");
  if (armed != nullptr && std::strcmp(armed, name) == 0) {
    ::kill(::getpid(), SIGKILL);
    ::pause();
  }
}

}  // namespace basalt
