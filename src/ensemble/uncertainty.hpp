#pragma once
// The uncertain values of a scenario: its [[uncertainty]] tables, each naming a parameter path and the distribution
// its value is drawn from (docs/uncertainty.md). Draws are truncated to the parameter's valid range from the
// registry, so a member never holds a value the loader would reject.
#include <limits>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/error.hpp"

namespace doseflow::ensemble {

enum class DistributionKind { uniform, normal, lognormal, beta, triangular, values };
const char* to_string(DistributionKind kind);

struct Uncertainty {
    std::string path;  // as written: "contracts.rus_arg_sputnik.doses", "sites.ru_generium.component_yield[1]"
    DistributionKind kind = DistributionKind::uniform;
    // uniform, triangular and beta: the support; normal and lognormal: optional truncation.
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    double mode = 0.0;          // triangular
    double mean = 0.0, sd = 0.0;          // normal
    double median = 0.0, sigma = 0.0;     // lognormal: median and standard deviation of the logarithm
    double alpha = 0.0, beta = 0.0;       // beta on [min, max]
    std::vector<double> values;  // discrete, equally likely
    bool integer = false;        // the parameter is an integer: draws are rounded
    double nominal = 0.0;        // the scenario's own value
    std::string source;
    SourcePosition where;

    // The value at probability `u` in [0, 1) of the distribution truncated to [min, max] (inverse CDF), so that
    // evenly spread u give evenly spread probability (Latin hypercube). Always within [min, max].
    double value_at(double u) const;
    // The same value as TOML text for the scenario document.
    std::string toml_text(double value) const;
};

// Reads and checks every [[uncertainty]] table of a merged document (after extends and overrides). Problems go to
// `diagnostics` with file:line:column; entries with problems are left out.
std::vector<Uncertainty> read_uncertainties(toml::table& document, Diagnostics& diagnostics);

}  // namespace doseflow::ensemble
