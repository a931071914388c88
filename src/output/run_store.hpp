#pragma once
// A SQLite store that keeps many runs side by side: one table per output, each row tagged with its run id.
#include <filesystem>

#include <nlohmann/json.hpp>

#include "output/run_writer.hpp"

namespace doseflow::output {

// Appends the run to the database (created when missing); returns its run id. Throws std::runtime_error.
long long store_run(const std::filesystem::path& database, const Results& results, const RunManifest& manifest,
                    const nlohmann::ordered_json& figures);

}  // namespace doseflow::output
