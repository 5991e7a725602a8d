// `basalt cluster start|status|stop --dir DIR`: a local cluster on loopback
// ports for trying Basalt out and for tests. `start` runs one node with the
// statestore, catalog and coordinator roles (its SQL port is --port) and N
// executor nodes, each a `basalt server` process of its own, and returns once
// all of them have registered. See docs/cluster.md.
#pragma once

namespace basalt {

// argv[1] is "cluster". Returns the exit status.
int RunClusterCommand(int argc, const char* const* argv);

}  // namespace basalt
