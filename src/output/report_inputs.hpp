#pragma once
// What `doseflow report` reads from a run directory (formats: docs/report.md): its tables summed as the charts
// need them, summary.json, and the products the run's scenario features (output/run_scenario.hpp).
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.hpp"
#include "output/run_scenario.hpp"
#include "output/run_tables.hpp"

namespace doseflow::output::report {

using Json = nlohmann::ordered_json;

struct RunPaths {
    std::filesystem::path summary, timeseries, deliveries, contracts, events, diplomacy;
};

struct ContractRow {
    std::string contract, kind, supplier, recipient, product, status;
    std::optional<Date> signed_on;
    double ordered_doses = 0, due_doses = 0, delivered_doses = 0;
    double shortfall_doses = 0;  // due minus delivered, never negative (ContractRecord::shortfall_doses)
    double delivered_component_1 = 0, delivered_component_2 = 0;
};

// Deliveries of a featured product per component (its id in deliveries.csv, "" where none is named).
struct ComponentDeliveries {
    std::map<std::string, DatedValues> weekly;
    std::map<std::string, Date> first_delivery;
};

struct DeliveryTotals {
    std::map<std::string, DatedValues> weekly_by_supplier;
    std::map<std::string, ComponentDeliveries> featured;  // by product id (FeaturedProduct::product)
    std::map<std::string, DatedValues> covax_weekly_by_product;
    std::optional<Date> first, last;
};

struct TimeseriesTotals {
    CountrySeries people_full, deaths;
    std::map<std::string, std::pair<Date, double>> population;  // first date and its value
    std::optional<Date> first, last;
};

struct MeanAccumulator {
    double sum = 0.0;
    int count = 0;
    void add(double value) { sum += value; ++count; }
    std::optional<double> mean() const { return count ? std::optional(sum / count) : std::nullopt; }
};

struct DiplomacyDay {
    MeanAccumulator credibility, influence;
};

// Per supplier and day: the mean over buyers, or the supplier-wide value where a row has no buyer.
struct DiplomacyTotals {
    std::map<std::string, std::map<Date, DiplomacyDay>> over_buyers, supplier_wide;
};

struct ReportInputs {
    Json summary;
    std::vector<FeaturedProduct> featured;
    std::vector<ContractRow> contracts;
    DeliveryTotals deliveries;
    TimeseriesTotals timeseries;
    DiplomacyTotals diplomacy;
    std::map<std::pair<Date, std::string>, int> event_counts;  // (week, kind) -> events
};

// Reads every input of the report. Throws std::runtime_error naming the file, and the line for a CSV problem,
// when a file is missing or malformed.
ReportInputs read_report_inputs(const std::filesystem::path& run_dir);

}  // namespace doseflow::output::report
