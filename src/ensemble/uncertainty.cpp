#include "ensemble/uncertainty.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <fmt/format.h>

#include "ensemble/document_path.hpp"
#include "scenario/document.hpp"
#include "scenario/registry.hpp"

namespace doseflow::ensemble {

const char* to_string(DistributionKind kind) {
    switch (kind) {
        case DistributionKind::uniform: return "uniform";
        case DistributionKind::normal: return "normal";
        case DistributionKind::lognormal: return "lognormal";
        case DistributionKind::beta: return "beta";
        case DistributionKind::triangular: return "triangular";
        case DistributionKind::values: return "values";
    }
    return "?";
}

namespace {

// Inverse CDF of `distribution` restricted to [low, high].
template <class Distribution>
double truncated_quantile(const Distribution& distribution, double low, double high, double u) {
    const double p_low = std::isfinite(low) ? boost::math::cdf(distribution, low) : 0.0;
    const double p_high = std::isfinite(high) ? boost::math::cdf(distribution, high) : 1.0;
    const double p = std::clamp(p_low + u * (p_high - p_low), 0.0, 1.0);
    // The ends of the support have infinite quantiles for some laws; a probability there maps to the bound.
    if (p <= 0.0) return low;
    if (p >= 1.0) return high;
    return std::clamp(boost::math::quantile(distribution, p), low, high);
}

}  // namespace

double Uncertainty::value_at(double u) const {
    double x = 0.0;
    switch (kind) {
        case DistributionKind::uniform: x = min + u * (max - min); break;
        case DistributionKind::normal: x = truncated_quantile(boost::math::normal(mean, sd), min, max, u); break;
        case DistributionKind::lognormal:
            x = truncated_quantile(boost::math::lognormal(std::log(median), sigma), min, max, u);
            break;
        case DistributionKind::triangular:
            x = truncated_quantile(boost::math::triangular(min, mode, max), min, max, u);
            break;
        case DistributionKind::beta: x = min + (max - min) * truncated_quantile(boost::math::beta_distribution<>(alpha, beta), 0.0, 1.0, u); break;
        case DistributionKind::values: {
            const auto k = std::min(values.size() - 1, static_cast<std::size_t>(u * static_cast<double>(values.size())));
            x = values[k];
            break;
        }
    }
    if (integer) x = std::clamp(std::round(x), std::ceil(min), std::floor(max));
    return x;
}

std::string Uncertainty::toml_text(double value) const {
    if (integer) return fmt::format("{}", static_cast<long long>(value));
    return fmt::format("{:.17g}", value).find_first_of(".en") == std::string::npos ? fmt::format("{:.17g}.0", value)
                                                                                    : fmt::format("{:.17g}", value);
}

namespace {

struct EntryReader {
    const toml::table& entry;
    Diagnostics& diagnostics;
    SourcePosition where;

    const toml::node* get(const char* key) const { return entry.get(key); }
    SourcePosition at(const char* key) const { return scenario::position_of(get(key), where); }
    std::optional<double> number(const char* key) const {
        const auto* node = get(key);
        if (!node) return std::nullopt;
        return node->value<double>();
    }
};

// Keys each distribution takes, besides path, distribution and source.
const std::vector<std::string>& keys_of(DistributionKind kind) {
    static const std::vector<std::string> uniform{"min", "max"}, normal{"mean", "sd", "min", "max"},
        lognormal{"median", "sigma", "min", "max"}, beta{"alpha", "beta", "min", "max"},
        triangular{"min", "mode", "max"}, values{"values"};
    switch (kind) {
        case DistributionKind::uniform: return uniform;
        case DistributionKind::normal: return normal;
        case DistributionKind::lognormal: return lognormal;
        case DistributionKind::beta: return beta;
        case DistributionKind::triangular: return triangular;
        case DistributionKind::values: return values;
    }
    return values;
}

std::optional<DistributionKind> kind_named(std::string_view name) {
    for (auto kind : {DistributionKind::uniform, DistributionKind::normal, DistributionKind::lognormal,
                      DistributionKind::beta, DistributionKind::triangular, DistributionKind::values})
        if (name == to_string(kind)) return kind;
    return std::nullopt;
}

// Fills `u` from one table; false (after reporting) when it cannot be used.
bool read_entry(toml::table& document, const toml::table& entry, Uncertainty& u, Diagnostics& diagnostics) {
    const EntryReader r{entry, diagnostics, scenario::position_of(entry)};
    u.where = r.where;
    // Types, required keys and choices are checked by the registry (uncertainty[] in params.cpp).
    u.path = r.get("path") ? r.get("path")->value_or(std::string()) : std::string();
    const auto kind = kind_named(r.get("distribution") ? r.get("distribution")->value_or(std::string()) : "");
    if (u.path.empty() || !kind) return false;
    u.kind = *kind;
    if (const auto* source = r.get("source")) u.source = source->value_or(std::string());
    bool ok = true;
    const auto& allowed = keys_of(u.kind);
    for (const auto& [key, node] : entry) {
        const std::string name(key.str());
        if (name == "path" || name == "distribution" || name == "source") continue;
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            diagnostics.error(scenario::position_of(node), fmt::format("'{}' does not apply to a {} distribution; it "
                                                                       "takes {}", name, to_string(u.kind), list));
            ok = false;
        }
    }
    auto require = [&](const char* key) -> double {
        const auto value = r.number(key);
        if (!value) {
            diagnostics.error(r.where, fmt::format("a {} distribution needs '{}'", to_string(u.kind), key));
            ok = false;
            return 0.0;
        }
        return *value;
    };

    // The parameter: where it is, what it is, which values are valid.
    std::string why;
    const auto target = resolve_path(document, u.path, why);
    if (!target) {
        diagnostics.error(r.at("path"), fmt::format("path '{}': {}", u.path, why));
        return false;
    }
    const auto* spec = scenario::parameter_registry().find(target->registry_path);
    const bool element = target->array != nullptr;
    const bool numeric = spec && (spec->type == scenario::ValueType::number || spec->type == scenario::ValueType::integer ||
                                  ((spec->type == scenario::ValueType::number_list ||
                                    spec->type == scenario::ValueType::number_or_list) && element) ||
                                  spec->type == scenario::ValueType::number_or_list);
    const toml::node* current = target->node();
    if (!spec || !numeric || (current && !current->is_number())) {
        diagnostics.error(r.at("path"),
                          fmt::format("path '{}' ({}) is not a number; an uncertainty varies one number (index a list "
                                      "entry as name[0])", u.path,
                                      spec ? scenario::to_string(spec->type) : "not a declared parameter"));
        return false;
    }
    u.integer = spec->type == scenario::ValueType::integer;
    // A country's value may come from [country_defaults] rather than its own entry.
    if (!current && target->registry_path.starts_with("countries[].")) {
        if (const auto* defaults = document.get("country_defaults"); defaults && defaults->is_table())
            current = defaults->as_table()->get(target->registry_path.substr(std::string_view("countries[].").size()));
        if (current && !current->is_number()) current = nullptr;
    }
    if (current) u.nominal = current->value<double>().value_or(0.0);
    else if (spec->default_value && spec->default_value->is_number()) u.nominal = spec->default_value->value<double>().value_or(0.0);
    const double valid_min = spec->min.value_or(-std::numeric_limits<double>::infinity());
    const double valid_max = spec->max.value_or(std::numeric_limits<double>::infinity());
    const std::string valid = spec->value_range_text().empty() ? "any number" : spec->value_range_text();

    auto check_bound = [&](const char* key, double value) {
        if (value < valid_min || value > valid_max) {
            diagnostics.error(r.at(key), fmt::format("{} = {} is outside the valid range of '{}' ({})", key, value,
                                                     u.path, valid));
            ok = false;
        }
    };
    if (u.kind == DistributionKind::values) {
        const auto* list = r.get("values") ? r.get("values")->as_array() : nullptr;
        if (!list || list->empty()) {
            diagnostics.error(r.at("values"), "a 'values' distribution needs a non-empty list: values = [1, 2, 3]");
            return false;
        }
        for (const auto& item : *list) {
            const auto value = item.value<double>();
            if (!value) continue;  // reported by the registry
            if (*value < valid_min || *value > valid_max) {
                diagnostics.error(scenario::position_of(item),
                                  fmt::format("{} is outside the valid range of '{}' ({})", *value, u.path, valid));
                ok = false;
            } else if (u.integer && std::round(*value) != *value) {
                diagnostics.error(scenario::position_of(item), fmt::format("'{}' is an integer; {} is not", u.path, *value));
                ok = false;
            }
            u.values.push_back(*value);
        }
        return ok;
    }
    const bool support = u.kind == DistributionKind::uniform || u.kind == DistributionKind::triangular ||
                         u.kind == DistributionKind::beta;
    if (support) {
        u.min = require("min");
        u.max = require("max");
    } else {
        u.min = r.number("min").value_or(-std::numeric_limits<double>::infinity());
        u.max = r.number("max").value_or(std::numeric_limits<double>::infinity());
    }
    if (r.get("min")) check_bound("min", u.min);
    if (r.get("max")) check_bound("max", u.max);
    if (!ok) return false;
    u.min = std::max(u.min, valid_min);
    u.max = std::min(u.max, valid_max);
    if (!(u.min < u.max)) {
        diagnostics.error(r.where, fmt::format("the range of '{}' is empty: min {} must be below max {}", u.path,
                                               u.min, u.max));
        return false;
    }
    switch (u.kind) {
        case DistributionKind::normal:
            u.mean = require("mean");
            u.sd = require("sd");
            if (ok && !(u.sd > 0)) diagnostics.error(r.at("sd"), "sd must be above 0"), ok = false;
            break;
        case DistributionKind::lognormal:
            u.median = require("median");
            u.sigma = require("sigma");
            if (ok && !(u.median > 0)) diagnostics.error(r.at("median"), "median must be above 0"), ok = false;
            if (ok && !(u.sigma > 0)) diagnostics.error(r.at("sigma"), "sigma (of the logarithm) must be above 0"), ok = false;
            if (ok) u.min = std::max(u.min, 0.0);
            break;
        case DistributionKind::beta:
            u.alpha = require("alpha");
            u.beta = require("beta");
            if (ok && !(u.alpha > 0 && u.beta > 0))
                diagnostics.error(r.where, "alpha and beta must be above 0"), ok = false;
            break;
        case DistributionKind::triangular:
            u.mode = require("mode");
            if (ok && (u.mode < u.min || u.mode > u.max))
                diagnostics.error(r.at("mode"), fmt::format("mode {} must lie between min {} and max {}", u.mode,
                                                            u.min, u.max)), ok = false;
            break;
        default: break;
    }
    if (ok && u.integer && std::ceil(u.min) > std::floor(u.max)) {
        diagnostics.error(r.where, fmt::format("'{}' is an integer and no integer lies in [{}, {}]", u.path, u.min, u.max));
        ok = false;
    }
    if (ok && (u.kind == DistributionKind::normal || u.kind == DistributionKind::lognormal)) {
        // Truncation must leave some probability, or every draw would sit on a bound.
        const double p = u.kind == DistributionKind::normal
            ? boost::math::cdf(boost::math::normal(u.mean, u.sd), std::min(u.max, 1e300)) -
                  boost::math::cdf(boost::math::normal(u.mean, u.sd), std::max(u.min, -1e300))
            : boost::math::cdf(boost::math::lognormal(std::log(u.median), u.sigma), std::min(u.max, 1e300)) -
                  (u.min > 0 ? boost::math::cdf(boost::math::lognormal(std::log(u.median), u.sigma), u.min) : 0.0);
        if (!(p > 1e-9)) {
            diagnostics.error(r.where, fmt::format("the distribution has no probability within [{}, {}]; move it or "
                                                   "widen the bounds", u.min, u.max));
            ok = false;
        }
    }
    return ok;
}

}  // namespace

std::vector<Uncertainty> read_uncertainties(toml::table& document, Diagnostics& diagnostics) {
    std::vector<Uncertainty> result;
    const auto* node = document.get("uncertainty");
    if (!node) return result;
    const auto* entries = node->as_array();
    if (!entries) return result;  // reported by the registry
    std::set<std::string> paths;
    for (const auto& entry : *entries) {
        const auto* table = entry.as_table();
        if (!table) continue;
        Uncertainty u;
        if (!read_entry(document, *table, u, diagnostics)) continue;
        if (!paths.insert(u.path).second) {
            diagnostics.error(u.where, fmt::format("'{}' already has an uncertainty; give each path once", u.path));
            continue;
        }
        result.push_back(std::move(u));
    }
    return result;
}

}  // namespace doseflow::ensemble
