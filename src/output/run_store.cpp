#include "output/run_store.hpp"
#include "engine/run_record.hpp"

#include <cmath>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "doseflow/tables.hpp"

namespace doseflow::output {
namespace {

// Creates `name` with a leading run_id column and the table's columns, and inserts its rows as they are held in
// Results: numbers as REAL, dates as YYYY-MM-DD text, texts as text; a value the CSV file leaves empty (no date
// yet, no product, no second component) is NULL. Rows come from the tables themselves, not from CSV text, so a
// field holding a comma, a quote or a line break is one value of one row.
void insert_table(SQLite::Database& db, const std::string& name, const Table& table, long long run_id) {
    std::string columns = "run_id INTEGER", placeholders = "?";
    for (const auto& column : table.columns) {
        columns += fmt::format(", \"{}\" {}", column.name, column.kind == Column::Kind::number ? "REAL" : "TEXT");
        placeholders += ", ?";
    }
    db.exec(fmt::format("CREATE TABLE IF NOT EXISTS {} ({})", name, columns));
    SQLite::Statement insert(db, fmt::format("INSERT INTO {} VALUES ({})", name, placeholders));
    for (std::size_t row = 0; row < table.rows; ++row) {
        insert.reset();
        insert.bind(1, static_cast<int64_t>(run_id));
        for (std::size_t c = 0; c < table.columns.size(); ++c) {
            const Column& column = table.columns[c];
            const int index = static_cast<int>(c + 2);
            switch (column.kind) {
            case Column::Kind::number:
                if (std::isnan(column.numbers[row])) insert.bind(index);
                else insert.bind(index, column.numbers[row]);
                break;
            case Column::Kind::date:
                if (column.days[row] == Column::missing_date) insert.bind(index);
                else insert.bind(index, Date::from_days(static_cast<std::int32_t>(column.days[row])).iso());
                break;
            case Column::Kind::text:
                if (column.codes[row] < 0) insert.bind(index);
                else insert.bindNoCopy(index, column.levels[static_cast<std::size_t>(column.codes[row])]);
                break;
            }
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
        insert_table(db, "timeseries", timeseries_table(results), run_id);
        insert_table(db, "deliveries", deliveries_table(results), run_id);
        insert_table(db, "contracts", contracts_table(results), run_id);
        insert_table(db, "events", events_table(results), run_id);
        insert_table(db, "diplomacy", diplomacy_table(results), run_id);
        transaction.commit();  // all or nothing: a failed store leaves the database as it was
        return run_id;
    } catch (const SQLite::Exception& error) {
        throw std::runtime_error(fmt::format("--db {}: {}", database.string(), error.what()));
    }
}

}  // namespace doseflow::output
