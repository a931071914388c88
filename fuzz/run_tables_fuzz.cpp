// libFuzzer harness of the run-table readers of `doseflow report` and `doseflow compare`: any table text ends in
// the tables read or in a std::runtime_error naming the file and line, never in a crash, a sanitizer report,
// another exception or a hang. The first byte of an input picks the file it stands in for (its value modulo 6:
// the five tables of run_table_names, then summary.json); the rest is the file's text. Every input is read
// twice: by the RFC 4180 reader alone, every field as text, number and date, and as that file of a small run
// directory (written once, by a short run of tests/scenarios/two-countries.toml, each table cut to its first rows) through the report and the
// comparisons with observed deaths and deliveries.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "doseflow/simulation.hpp"
#include "output/deaths_compare.hpp"
#include "output/delivery_compare.hpp"
#include "output/report.hpp"
#include "output/run_tables.hpp"
#include "output/run_writer.hpp"
#include "output/summary.hpp"

namespace fs = std::filesystem;
using namespace doseflow;

namespace {

constexpr std::size_t file_count = std::size(output::run_table_names) + 1;  // the tables and summary.json
constexpr int run_days = 21;     // three weeks: every table has rows
constexpr int kept_lines = 40;  // rows kept of each table

struct RunDirectory {
    fs::path dir;
    std::string summary_text;
    nlohmann::json summary;
};

void write(const fs::path& path, std::string_view text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) {
        std::cerr << path << ": cannot write\n";
        std::abort();
    }
}

RunDirectory make_run_directory() {
    const Scenario scenario =
        Scenario::load(ScenarioSource::file(DOSEFLOW_SOURCE_DIR "/tests/scenarios/two-countries.toml"))
            .with_days(run_days);
    const RunWithCounterfactual run = run_with_counterfactual(scenario, {}, false);
    RunDirectory made;
    made.dir = fs::temp_directory_path() / ("doseflow_run_tables_fuzz_" + std::to_string(::getpid()));
    fs::remove_all(made.dir);
    fs::create_directories(made.dir);
    output::write_run_directory(made.dir, run.results,
                                output::run_manifest(scenario, "fuzz", "fuzz", {}, false),
                                output::key_figures(run.results, nullptr), {false, scenario.canonical_toml()});
    // Each table cut to its first rows (and its size recorded), so that every input is read in milliseconds.
    made.summary = nlohmann::json::parse(output::read_text_file(made.dir / "summary.json"));
    for (const char* name : output::run_table_names) {
        const std::string table = output::read_text_file(made.dir / name);
        std::size_t end = 0;
        for (int line = 0; line < kept_lines && end != std::string::npos; ++line) end = table.find('\n', end + 1);
        const std::string kept = end == std::string::npos ? table : table.substr(0, end + 1);
        write(made.dir / name, kept);
        made.summary["tables"][name]["bytes"] = kept.size();
    }
    made.summary_text = made.summary.dump(2);
    write(made.dir / "summary.json", made.summary_text);
    return made;
}

const RunDirectory& run_directory() {
    static const RunDirectory made = make_run_directory();
    return made;
}

// The reader alone: every record, every field read as each type it may be asked for.
void read_every_field(std::string_view text) {
    try {
        auto csv = output::CsvReader::from_text("fuzz.csv", text);
        (void)csv.find_column("date");
        while (csv.next())
            for (std::size_t column = 0;; ++column) {
                try {
                    (void)csv.text(column);
                } catch (const std::out_of_range&) {
                    break;
                }
                try { (void)csv.optional_number(column); } catch (const std::runtime_error&) {}
                try { (void)csv.optional_date(column); } catch (const std::runtime_error&) {}
            }
    } catch (const std::runtime_error&) {
    }
}

// The readers of report and compare, with the input standing in for one file of a whole run directory.
void read_as_run_file(std::size_t file, std::string_view text) {
    const RunDirectory& run = run_directory();
    const bool is_summary = file == std::size(output::run_table_names);
    const fs::path path = run.dir / (is_summary ? "summary.json" : output::run_table_names[file]);
    const std::string original = output::read_text_file(path);
    write(path, text);
    if (!is_summary) {  // the recorded size matches, so the readers go past the whole-directory check
        nlohmann::json summary = run.summary;
        summary["tables"][output::run_table_names[file]]["bytes"] = text.size();
        write(run.dir / "summary.json", summary.dump(2));
    }
    for (int reader = 0; reader < 3; ++reader) {
        try {
            if (reader == 0) (void)output::report_charts(run.dir);
            if (reader == 1) (void)output::read_simulated_monthly_deaths(run.dir / "timeseries.csv");
            if (reader == 2) (void)output::compare_deliveries(run.dir, output::embedded_observed_deliveries());
        } catch (const std::runtime_error&) {
            // a clear error naming the file: what bad input should give
        }
    }
    write(path, original);
    write(run.dir / "summary.json", run.summary_text);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    (void)run_directory();
    std::atexit([] { fs::remove_all(run_directory().dir); });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    read_every_field(text);
    read_as_run_file(data[0] % file_count, text);
    return 0;
}
