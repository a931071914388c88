#include "doseflow/report.hpp"

#include "output/compare.hpp"
#include "output/deaths_compare.hpp"
#include "output/delivery_compare.hpp"

namespace doseflow::output {

std::string compare_run_directory(const std::filesystem::path& run_dir,
                                  const std::optional<std::filesystem::path>& observed_dir) {
    const auto result = compare_with_observed(run_dir, observed_dir);
    const auto deaths = compare_deaths(read_simulated_monthly_deaths(run_dir / "timeseries.csv"),
                                       embedded_observed_deaths());
    const auto deliveries = compare_deliveries(run_dir, embedded_observed_deliveries());
    write_comparison_csv(result, default_comparison_path(run_dir));
    write_death_comparison_csv(deaths, run_dir);
    write_delivery_comparison_csv(deliveries, run_dir);
    return format_comparison(result) + "\n" + format_death_comparison(deaths) + "\n" +
           format_delivery_comparison(deliveries);
}

}  // namespace doseflow::output
