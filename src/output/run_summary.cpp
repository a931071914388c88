// The public face of run directories (doseflow/run_directory.hpp) over the writer, the key figures and the store.
#include <nlohmann/json.hpp>

#include "doseflow/run_directory.hpp"
#include "doseflow/scenario.hpp"
#include "output/run_store.hpp"
#include "output/run_writer.hpp"
#include "output/summary.hpp"
#include "world/world.hpp"

namespace doseflow::output {

struct RunSummary::Parts {
    RunManifest manifest;
    nlohmann::ordered_json figures;
};

RunSummary::RunSummary(const Scenario& scenario, const RunWithCounterfactual& run, std::string version,
                       std::string git_revision, const std::vector<std::string>& overrides)
    : parts_(std::make_unique<Parts>(Parts{
          run_manifest(scenario, std::move(version), std::move(git_revision), overrides, run.counterfactual.has_value()),
          key_figures(run.results, run.counterfactual ? &*run.counterfactual : nullptr)})) {}

RunSummary::~RunSummary() = default;
RunSummary::RunSummary(const RunSummary& other) : parts_(std::make_unique<Parts>(*other.parts_)) {}
RunSummary& RunSummary::operator=(const RunSummary& other) {
    if (this != &other) parts_ = std::make_unique<Parts>(*other.parts_);
    return *this;
}

std::uint64_t RunSummary::seed() const { return parts_->manifest.seed; }
int RunSummary::days() const { return parts_->manifest.days; }
Date RunSummary::start() const { return parts_->manifest.start; }
std::string RunSummary::text() const { return format_summary(parts_->figures); }
std::string RunSummary::manifest_json() const { return output::manifest_json(parts_->manifest).dump(); }
std::string RunSummary::figures_json() const { return parts_->figures.dump(); }

void write_run_directory(const std::filesystem::path& dir, const Scenario& scenario, const Results& results,
                         const RunSummary& summary) {
    write_run_directory(dir, results, summary.parts().manifest, summary.parts().figures,
                        {scenario.world().simulation.weekly_output, scenario.canonical_toml()});
}

long long store_run(const std::filesystem::path& database, const Results& results, const RunSummary& summary) {
    return store_run(database, results, summary.parts().manifest, summary.parts().figures);
}

}  // namespace doseflow::output
