// A fragmented plan with what each operator did, as the JSON the REST API
// and the web console read (docs/http_api.md, GET /api/v1/queries/{id}):
// fragments, each an operator tree with rows, time and memory, and the
// operator with the most self time marked "slowest".
#pragma once

#include <string>

#include "exec/fragment.h"
#include "exec/query_profile.h"

namespace basalt {

// Compact JSON text. Nodes no instance has finished yet have no figures.
std::string PlanProfileJson(const FragmentedPlan& plan, const QueryProfile& profile);

}  // namespace basalt
