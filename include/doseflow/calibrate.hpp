#pragma once
// `doseflow calibrate`: fits each country's transmission path (countries[].transmission_path, dated knots in log
// space) to its mortality record — WHO's excess deaths by month as the true burden, JHU's reported deaths where WHO
// gives none — and writes a scenario overlay that extends the scenario it fitted, with a fit report.
//
// The method (docs/calibration.md): the epidemic runs from epidemic.history_start (early 2020) so that the state
// in 2021 follows from each country's own history. A world run records what each country's epidemic was fed
// (variant seeds, imported infections, willing shares, doses); each country is then fitted alone by replaying
// those inputs, knot after knot in time order, each knot chosen by NLopt (Subplex, bounded) to match the deaths of
// the weeks it drives, with a penalty on the step from the previous knot. Countries are independent in this step
// and run in parallel. Rounds alternate world runs and fits, so that imports and doses follow the fitted epidemics.
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "doseflow/date.hpp"
#include "doseflow/scenario.hpp"

namespace doseflow::calibrate {

struct CalibrationOptions {
    ScenarioSource source;
    std::vector<Override> overrides;     // --set, applied before the fit (and written into the overlay)
    std::string extends;                 // what the overlay's `extends` names: an embedded name or a path
    std::string name;                    // the overlay's scenario name; empty: the base's name + "-calibrated"
    std::string command;                 // the command that regenerates the overlay, for its header; may be empty
    std::vector<std::string> countries;  // ISO3 codes to fit; empty: every populated country with a record
    Date history_start = Date::from_ymd(2020, 2, 1);
    Date fit_end = Date::from_ymd(2021, 12, 31);  // the last day of the record (cut to the scenario's end)
    int knot_days = 28;
    int rounds = 2;
    int threads = 1;
    std::function<void(const std::string&)> on_progress;
};

struct CountryFit {
    std::string code;
    std::string target;                      // "who_excess" or "jhu_reported"
    std::vector<std::pair<Date, double>> path;  // knots: date, multiplier (rounded as written)
    double fatality_multiplier = 1;             // of the infection fatality ratio (countries[].fatality_multiplier)
    double death_reporting_ratio = 1;           // JHU reported over fitted deaths (countries[].death_reporting_ratio)
    std::vector<std::string> months;         // "YYYY-MM", whole months fitted
    std::vector<double> observed;            // per month
    std::vector<double> before;              // the scenario as given (months it simulates; NaN before its start)
    std::vector<double> after;               // the calibrated scenario, history included
    double observed_2021 = 0, before_2021 = 0, after_2021 = 0;
    double error_before = 0, error_after = 0;  // mean |log((sim + c) / (obs + c))| over the months of 2021
    double correlation_after = 0;               // Pearson, monthly deaths of 2021, fitted against observed
};

struct Calibration {
    std::string overlay_toml;  // the scenario overlay
    std::vector<CountryFit> countries;
    int rounds = 0;
    double seconds = 0;
};

// Throws ScenarioError for a scenario that does not load and std::invalid_argument for options out of range
// (unknown country, knot spacing, stochastic epidemic).
Calibration calibrate(const CalibrationOptions& options);

// Writes scenario.toml (the overlay), fit.csv (per country and month), fit_summary.csv (per country) and fit.html
// (fitted against observed deaths for the countries with the most deaths) into `out`, whole or not at all.
void write_calibration(const Calibration& calibration, const std::filesystem::path& out, bool force);

}  // namespace doseflow::calibrate
