#pragma once
// A SQLite store that keeps many runs side by side: one table per output (the run directory's CSV tables, with the
// same rows and columns, from doseflow/tables.hpp), each row tagged with its run id. Values the CSV leaves empty are
// NULL; diplomacy's credibility and influence keep every digit (the CSV rounds them to 6 significant digits).
#include <filesystem>

#include <nlohmann/json.hpp>

#include "output/run_writer.hpp"

namespace doseflow::output {

// Appends the run to the database (created when missing); returns its run id. Throws std::runtime_error.
long long store_run(const std::filesystem::path& database, const Results& results, const RunManifest& manifest,
                    const nlohmann::ordered_json& figures);

}  // namespace doseflow::output
