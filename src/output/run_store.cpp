#include "output/run_store.hpp"
#include "engine/run_record.hpp"

#include <charconv>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "core/csv.hpp"

namespace doseflow::output {
namespace {

// Inserts a table as written to its CSV file (header + records, read back by the same RFC 4180 rules, so a field
// holding a line break stays one field) into `table`, creating it with a leading run_id column.
void insert_csv(SQLite::Database& db, const std::string& table, const std::string& text, long long run_id) {
    const auto records = csv::parse(text);
    const auto& header = records.front();
    std::string columns = "run_id INTEGER", placeholders = "?";
    for (const auto& name : header) {
        columns += ", \"" + name + "\"";
        placeholders += ", ?";
    }
    db.exec(fmt::format("CREATE TABLE IF NOT EXISTS {} ({})", table, columns));
    SQLite::Statement insert(db, fmt::format("INSERT INTO {} VALUES ({})", table, placeholders));
    for (std::size_t r = 1; r < records.size(); ++r) {
        const auto& fields = records[r];
        insert.reset();
        insert.bind(1, static_cast<int64_t>(run_id));
        for (std::size_t i = 0; i < header.size(); ++i) {
            const std::string& field = i < fields.size() ? fields[i] : std::string();
            double number = 0;
            const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), number);
            if (!field.empty() && error == std::errc() && end == field.data() + field.size())
                insert.bind(static_cast<int>(i + 2), number);
            else
                insert.bind(static_cast<int>(i + 2), field);
        }
        insert.exec();
    }
}

}  // namespace

long long store_run(const std::filesystem::path& database, const Results& results, const RunManifest& manifest,
                    const nlohmann::ordered_json& figures) {
    try {
        SQLite::Database db(database.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        SQLite::Transaction transaction(db);
        db.exec("CREATE TABLE IF NOT EXISTS runs (run_id INTEGER PRIMARY KEY AUTOINCREMENT, scenario_name TEXT, "
                "scenario_sha256 TEXT, seed INTEGER, days INTEGER, start TEXT, \"end\" TEXT, version TEXT, "
                "git_revision TEXT, figures TEXT)");
        SQLite::Statement run(db, "INSERT INTO runs (scenario_name, scenario_sha256, seed, days, start, \"end\", "
                                  "version, git_revision, figures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        run.bind(1, manifest.scenario_name);
        run.bind(2, manifest.scenario_sha256);
        run.bind(3, static_cast<int64_t>(manifest.seed));
        run.bind(4, manifest.days);
        run.bind(5, manifest.start.iso());
        run.bind(6, manifest.end.iso());
        run.bind(7, manifest.version);
        run.bind(8, manifest.git_revision);
        run.bind(9, figures.dump());
        run.exec();
        const long long run_id = db.getLastInsertRowid();
        insert_csv(db, "timeseries", timeseries_csv(results, results.recorded->world->simulation.weekly_output), run_id);
        insert_csv(db, "deliveries", deliveries_csv(results), run_id);
        insert_csv(db, "contracts", contracts_csv(results), run_id);
        insert_csv(db, "events", events_csv(results), run_id);
        insert_csv(db, "diplomacy", diplomacy_csv(results), run_id);
        transaction.commit();  // all or nothing: a failed store leaves the database as it was
        return run_id;
    } catch (const SQLite::Exception& error) {
        throw std::runtime_error(fmt::format("--db {}: {}", database.string(), error.what()));
    }
}

}  // namespace doseflow::output
