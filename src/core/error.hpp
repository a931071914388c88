#pragma once
// Diagnostics are part of the public API (include/doseflow/error.hpp).
#include "doseflow/error.hpp"
