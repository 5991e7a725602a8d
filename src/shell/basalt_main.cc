// The basalt shell; everything but main() is in basalt_shell_lib.
#include "shell/run_shell.h"

int main(int argc, char** argv) { return basalt::RunShell(argc, argv); }
