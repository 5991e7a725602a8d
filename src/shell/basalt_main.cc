// The basalt shell; everything but main() is in basalt_shell_lib.
#include <malloc.h>

#include "shell/run_shell.h"

int main(int argc, char** argv) {
  // glibc gives freed memory at the top of the heap back to the kernel once
  // more than 128 KiB is free there, and a query's operators free about
  // that much when it ends: every short query then grew the heap again and
  // faulted its pages in afresh, which cost more than the query. Keeping up
  // to 256 MiB (and asking for 16 MiB more at a time) stops that churn;
  // allocations of 64 MiB and more still get their own mappings, returned
  // when freed.
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  return basalt::RunShell(argc, argv);
}
