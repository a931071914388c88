#pragma once
// Date is part of the public API (include/doseflow/date.hpp).
#include "doseflow/date.hpp"
