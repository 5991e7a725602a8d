// The wire protocol's type OIDs and text format moved to common/pg_types.h,
// where the system tables and catalog functions can use them too.
#pragma once

#include "common/pg_types.h"
