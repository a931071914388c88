#pragma once
// SHA-256 (FIPS 180-4) of a byte string, as lowercase hex; identifies a scenario in a run's manifest.
#include <string>
#include <string_view>

namespace doseflow {

std::string sha256_hex(std::string_view data);

}  // namespace doseflow
