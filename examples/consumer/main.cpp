// Runs the first 30 days of the embedded default scenario through the public API and prints the doses
// first doses administered and the deaths of that month, from the run's own tables.
#include <cstdio>
#include <exception>
#include <numeric>
#include <string>

#include <doseflow/error.hpp>
#include <doseflow/scenario.hpp>
#include <doseflow/simulation.hpp>
#include <doseflow/tables.hpp>

namespace {

// The sum of a number column of `table` over the rows whose `metric` column is `metric`.
double sum_of_metric(const doseflow::Table& table, const std::string& metric) {
    const doseflow::Column* metrics = nullptr;
    const doseflow::Column* values = nullptr;
    for (const auto& column : table.columns) {
        if (column.name == "metric") metrics = &column;
        if (column.name == "value") values = &column;
    }
    if (metrics == nullptr || values == nullptr) throw std::runtime_error("timeseries table without metric and value");
    double sum = 0.0;
    for (std::size_t row = 0; row < table.rows; ++row) {
        const auto code = metrics->codes[row];
        if (code >= 0 && metrics->levels[static_cast<std::size_t>(code)] == metric) sum += values->numbers[row];
    }
    return sum;
}

}  // namespace

int main() {
    try {
        const auto scenario = doseflow::Scenario::load(doseflow::ScenarioSource::embedded("default-2021")).with_days(30);
        const doseflow::Results results = doseflow::Simulation(scenario).run();
        const double deaths = std::accumulate(results.deaths_by_country.begin(), results.deaths_by_country.end(), 0.0);
        // The default scenario records weeks (simulation.output_resolution); weekly rows read either way.
        const doseflow::Table series = doseflow::timeseries_table(results, /*weekly=*/true);
        std::printf("%s, first 30 days: %.0f first doses administered, %.0f deaths in %zu countries\n",
                    scenario.name().c_str(), sum_of_metric(series, "administered_dose1"), deaths,
                    results.deaths_by_country.size());
        return 0;
    } catch (const doseflow::ScenarioError& e) {
        std::fputs(e.diagnostics().format().c_str(), stderr);
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "doseflow_consumer: %s\n", e.what());
        return 1;
    }
}
