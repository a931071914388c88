#pragma once
// A Scenario is an immutable, validated description of a world to simulate. Load it from a TOML file, an
// embedded name ("default-2021") or text; every problem is reported at once with file:line:column.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "scenario/document.hpp"
#include "world/world.hpp"

namespace doseflow {

using scenario::Override;
using scenario::ScenarioSource;

// The longest simulated span, simulation.end - simulation.start, in days (30 years: bounds run time and memory).
inline constexpr int max_simulated_span_days = 3650 * 3;
// The largest seed (simulation.seed's range; exact in a double, as TOML readers may hold integers).
inline constexpr std::uint64_t max_seed = 9'000'000'000'000'000;

class Scenario {
public:
    // Throws ScenarioError carrying every problem found.
    static Scenario load(const ScenarioSource& source, const std::vector<Override>& overrides = {});

    const World& world() const { return *world_; }
    std::shared_ptr<const World> world_ptr() const { return world_; }
    const std::string& name() const { return world_->name; }
    // SHA-256 of the merged document (after extends and overrides), in canonical TOML form.
    const std::string& sha256() const { return sha256_; }
    const std::string& canonical_toml() const { return canonical_; }
    const Diagnostics& warnings() const { return warnings_; }

    // A copy with a different seed or horizon (for ensembles and counterfactuals).
    Scenario with_seed(std::uint64_t seed) const;
    // `days` from 1 to max_simulated_span_days + 1; std::invalid_argument otherwise.
    Scenario with_days(int days) const;
    // A copy in which nobody is vaccinated (the no-vaccine counterfactual).
    Scenario without_vaccination() const;

private:
    Scenario() = default;
    std::shared_ptr<const World> world_;
    std::string sha256_;
    std::string canonical_;
    Diagnostics warnings_;
    friend struct ScenarioLoader;
};

struct LoadResult {
    std::optional<Scenario> scenario;
    Diagnostics diagnostics;  // errors when scenario is empty; warnings otherwise
};

// Loads without throwing.
LoadResult load_scenario(const ScenarioSource& source, const std::vector<Override>& overrides = {});

}  // namespace doseflow
