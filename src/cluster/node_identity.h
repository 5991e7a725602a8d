// Who a node is: its roles, addresses and resources, as the statestore's
// membership topic carries them (NodeInfo in statestore.proto).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cluster/statestore.pb.h"

namespace basalt::cluster {

inline constexpr const char* kRoleCoordinator = "coordinator";
inline constexpr const char* kRoleExecutor = "executor";
inline constexpr const char* kRoleStatestore = "statestore";
inline constexpr const char* kRoleCatalog = "catalog";

// The topic the statestore keeps itself: key = node name, value = NodeInfo.
inline constexpr const char* kMembershipTopic = "membership";

// Parses "coordinator,executor" (any order, no repeats) into roles; returns
// an error message for an unknown, repeated or missing role, else "".
std::string ParseRoles(const std::string& text, std::vector<std::string>* roles);

bool HasRole(const NodeInfo& node, const char* role);

// A NodeInfo for this process: a fresh random incarnation, the pid, the
// start time, the machine's cores and memory.
NodeInfo MakeLocalNode(const std::string& host, uint32_t rpc_port, uint32_t sql_port,
                       const std::vector<std::string>& roles);

// "host:port".
std::string NodeName(const std::string& host, uint32_t port);

int64_t NowMillis();

}  // namespace basalt::cluster
