// `basalt tpch generate --sf SF --dir DIR [--format tbl|csv] [--threads N]
// [--tables LIST]`: writes TPC-H data with the generator of src/tpch/.
#pragma once

namespace basalt {

// argv[1] is "tpch". Returns the exit status: 0 done, 1 generation failed,
// 2 bad arguments (with a usage message on stderr).
int RunTpchCommand(int argc, const char* const* argv);

}  // namespace basalt
