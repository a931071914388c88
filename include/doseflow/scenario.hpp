#pragma once
// A Scenario is an immutable, validated description of a world to simulate. Load it from a TOML file, an
// embedded name ("default-2021") or text; every problem is reported at once with file:line:column.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doseflow/error.hpp"

namespace doseflow::scenario {

// Where a scenario comes from: a file, an embedded name ("default-2021"), or text (tests, stdin).
struct ScenarioSource {
    enum class Kind { file, embedded, text } kind = Kind::embedded;
    std::string name_or_path = "default-2021";
    std::string text;  // for Kind::text
    static ScenarioSource file(std::filesystem::path path);
    static ScenarioSource embedded(std::string name);
    static ScenarioSource from_text(std::string text, std::string name = "<text>");
    // What a user means by a name or path: the file when it exists, else the embedded scenario of that name,
    // else the file (which the loader then reports missing). Empty means "default-2021".
    static ScenarioSource named(const std::string& name_or_path);
};

struct Override {
    std::string path;   // dotted; arrays of tables addressed by key: contracts.gtm_sputnik.doses
    std::string value;  // TOML value text; a bare word is taken as a string
};

struct ScenarioDocument;  // the merged TOML document (scenario/document.hpp)

}  // namespace doseflow::scenario

namespace doseflow {

using scenario::Override;
using scenario::ScenarioSource;

struct World;  // the built world the stages read (world/world.hpp); opaque outside the library

// The longest simulated span, simulation.end - simulation.start, in days (30 years: bounds run time and memory).
inline constexpr int max_simulated_span_days = 3650 * 3;
// The most persons a country may have in all; a scenario with more is refused. The world had 7.8e9 people in 2021
// (UN WPP 2019); larger counts say nothing more and, near 1e308, overflow the epidemic's sums.
inline constexpr double max_country_population = 1e10;
// A contract of more doses than this many per person of the scenario's countries is warned about, not refused: a
// scenario of a few countries may carry a producer's world-scale order.
inline constexpr double contract_doses_warning_per_person = 10.0;
// The largest seed (simulation.seed's range; exact in a double, as TOML readers may hold integers).
inline constexpr std::uint64_t max_seed = 9'000'000'000'000'000;

// One declared scenario parameter, as `doseflow params` lists it.
struct ParameterInfo {
    std::string path;  // dotted; "[]" marks each entry of an array of tables: "contracts[].doses"
    std::string type;  // "number", "integer", "string", "date", "number list", ...
    std::string unit;
    std::string default_toml;  // empty when there is none
    bool required = false;
    std::optional<double> min;  // inclusive bounds of numbers, integers and list elements
    std::optional<double> max;
    std::vector<std::string> choices;  // allowed texts
    std::string valid;                 // the range as messages state it: "0 to 1", ">= 0", one of "a", "b"
    std::string help;
    std::string source;
};

// Every parameter a scenario may set, in declaration order.
std::vector<ParameterInfo> parameters();
// The reference of every parameter as `doseflow params` prints it: a Markdown table (docs/parameters.md) or JSON.
std::string parameters_markdown();
std::string parameters_json();
// The names of the scenarios built into the library ("default-2021", ...), which ScenarioSource::embedded loads.
std::vector<std::string> embedded_scenario_names();

struct LoadResult;

class Scenario {
public:
    // Throws ScenarioError carrying every problem found.
    static Scenario load(const ScenarioSource& source, const std::vector<Override>& overrides = {});

    // The built world, for the library's stages (its type is internal).
    const World& world() const;
    std::shared_ptr<const World> world_ptr() const { return world_; }
    const std::string& name() const;
    // SHA-256 of the merged document (after extends and overrides), in canonical TOML form.
    const std::string& sha256() const { return sha256_; }
    const std::string& canonical_toml() const { return canonical_; }
    const Diagnostics& warnings() const { return warnings_; }

    // The value at `path`, addressed as --set addresses it (epidemic.r0, countries.RUS.r0,
    // contracts.gtm_sputnik.doses), as TOML text: the scenario's own value, else the declared default; nullopt
    // when the path names no value.
    std::optional<std::string> get(std::string_view path) const;
    // A copy with values set by path, validated as a file is: throws ScenarioError carrying every problem, each
    // located at "--set PATH=VALUE".
    Scenario with(const std::vector<Override>& values) const;
    LoadResult try_with(const std::vector<Override>& values) const;

    // A copy with a shorter or longer horizon, simulation.end set in its document too (canonical_toml and sha256
    // describe the run): `days` from 1 to max_simulated_span_days + 1; std::invalid_argument otherwise.
    Scenario with_days(int days) const;
    // A copy in which nobody is vaccinated (the no-vaccine counterfactual).
    Scenario without_vaccination() const;

private:
    Scenario() = default;
    std::shared_ptr<const World> world_;
    std::shared_ptr<const scenario::ScenarioDocument> document_;  // merged, after extends and overrides
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

// What `doseflow validate` reports of a scenario that loads: its warnings and those of the plausibility checks of
// its world, and the size of that world.
struct ScenarioCheck {
    Diagnostics warnings;
    std::size_t countries = 0;
    std::size_t products = 0;
    std::size_t sites = 0;
    std::size_t contracts = 0;
};
ScenarioCheck check_scenario(const Scenario& scenario);

}  // namespace doseflow
