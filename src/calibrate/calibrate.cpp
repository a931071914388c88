#include "doseflow/calibrate.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>
#include <nlopt.hpp>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "doseflow/simulation.hpp"
#include "epidemic/epidemic_model.hpp"
#include "epidemic/input_log.hpp"
#include "output/deaths_compare.hpp"
#include "output/run_writer.hpp"

namespace doseflow::calibrate {
namespace {

using output::month_key;

// Bounds of a knot's multiplier: inside the registry's 0.01-20 for countries[].transmission_path.
constexpr double lowest_multiplier = 0.02;
constexpr double highest_multiplier = 15.0;
// Penalty on the squared step in log multiplier from one knot to the next, against the squared log error of the
// window's deaths: a step of 0.3 (35%) costs as much as a 10% error of the deaths.
constexpr double smoothness = 0.1;
// Evaluations NLopt may spend on one knot.
constexpr int evaluations_per_knot = 40;
// Points of the coarse scan of a knot's range before NLopt refines the best of them.
constexpr int scan_points = 9;
// Multipliers of the infection fatality ratio tried, in this order, for a country whose path saturates (reaches
// highest_multiplier) with the ratio as given; the registry allows 0.25-4 for countries[].fatality_multiplier.
constexpr double fatality_candidates[] = {1.5, 2.0, 3.0, 4.0};
// Prior against departing from the fatality ratio as given: a multiplier m must lower the mean squared log error
// of the monthly deaths by more than this times (ln m)^2 (m = 2: by 0.048, about a 22% error in every month).
constexpr double fatality_prior = 0.1;

Date first_of_month(const std::string& key) { return *Date::parse(key + "-01"); }

int days_in_month(const std::string& key) {
    const Date first = first_of_month(key);
    const Date next = first.month() == 12 ? Date::from_ymd(first.year() + 1, 1, 1)
                                          : Date::from_ymd(first.year(), first.month() + 1, 1);
    return next - first;
}

// Rounds to 4 significant digits, the precision the overlay is written with, so the fit and the overlay agree.
double rounded(double multiplier) { return std::stod(fmt::format("{:.4g}", multiplier)); }

std::string path_text(const std::vector<std::pair<Date, double>>& path) {
    std::string text = "[";
    for (std::size_t i = 0; i < path.size(); ++i)
        text += fmt::format("{}[{}, {}]", i ? ", " : "", path[i].first.iso(), fmt::format("{:.4g}", path[i].second));
    return text + "]";
}

Ramp log_ramp(const std::vector<std::pair<Date, double>>& path) {
    std::vector<SchedulePoint> points;
    for (const auto& [date, multiplier] : path) points.push_back({date, std::log(multiplier)});
    return Ramp(std::move(points));
}

// Deaths per day from `start` to `end` whose sums over each month are the month's deaths: the days of the
// cumulative deaths' monotone cubic through the month boundaries (Fritsch and Carlson 1980, SIAM J Numer Anal
// 17:238). Spread evenly instead, a month in a steep wave gives its first days the deaths of its last, and the
// knot that drives them is fitted to rise early (India, March-April 2021).
std::vector<double> daily_from_monthly(const std::vector<std::string>& months, const std::vector<double>& monthly,
                                       Date start, Date end) {
    const std::size_t n = months.size();
    if (n == 0) return {};
    std::vector<double> x(n + 1), y(n + 1, 0.0);  // days since `start` of each month's first day, cumulative deaths
    for (std::size_t m = 0; m < n; ++m) {
        x[m] = first_of_month(months[m]) - start;
        y[m + 1] = y[m] + monthly[m];
    }
    x[n] = x[n - 1] + days_in_month(months[n - 1]);
    std::vector<double> slope(n), tangent(n + 1);
    for (std::size_t m = 0; m < n; ++m) slope[m] = (y[m + 1] - y[m]) / (x[m + 1] - x[m]);
    tangent[0] = slope[0];
    tangent[n] = slope[n - 1];
    for (std::size_t m = 1; m < n; ++m) {
        if (slope[m - 1] <= 0.0 || slope[m] <= 0.0) continue;  // flat on a side: flat here, so it never falls
        const double h0 = x[m] - x[m - 1], h1 = x[m + 1] - x[m];
        const double w0 = 2 * h1 + h0, w1 = h1 + 2 * h0;
        tangent[m] = (w0 + w1) / (w0 / slope[m - 1] + w1 / slope[m]);
    }
    auto cumulative = [&](double t) {
        const std::size_t m = std::min<std::size_t>(
            n - 1, static_cast<std::size_t>(std::upper_bound(x.begin(), x.end(), t) - x.begin()) - 1);
        const double h = x[m + 1] - x[m], u = (t - x[m]) / h;
        const double u2 = u * u, u3 = u2 * u;
        return (2 * u3 - 3 * u2 + 1) * y[m] + (u3 - 2 * u2 + u) * h * tangent[m] + (-2 * u3 + 3 * u2) * y[m + 1] +
               (u3 - u2) * h * tangent[m + 1];
    };
    std::vector<double> daily;
    double before = cumulative(0.0);  // at the start of the day
    for (Date d = start; d <= end; d = d + 1) {
        const double after = cumulative(static_cast<double>(d - start) + 1);
        daily.push_back(std::max(0.0, after - before));
        before = after;
    }
    return daily;
}

// One country's record: deaths per day from the history's start to the end of the fit (daily_from_monthly).
struct Record {
    std::string target;
    std::vector<std::string> months;
    std::vector<double> monthly;
    std::vector<double> daily;  // from history_start
    std::vector<double> reported;  // JHU's reported deaths per month; NaN where JHU gives none
};

std::optional<Record> record_of(const std::string& code, Date start, Date end) {
    const auto& observed = output::embedded_observed_deaths();
    const auto it = observed.find(code);
    if (it == observed.end()) return std::nullopt;
    Record record;
    std::vector<std::string> months;
    for (Date d = start; d <= end; d = d + 1)
        if (months.empty() || months.back() != month_key(d)) months.push_back(month_key(d));
    // WHO's excess deaths where it has every month; JHU's reported deaths otherwise.
    for (const char* target : {"who_excess", "jhu_reported"}) {
        const bool excess = std::string_view(target) == "who_excess";
        std::vector<double> values;
        for (const auto& month : months) {
            const auto cell = it->second.find(month);
            std::optional<double> value;
            if (cell != it->second.end()) value = excess ? cell->second.excess : cell->second.reported;
            if (!value) break;
            // A month at or below the expected deaths (other causes of death fell, as under lockdowns) is fitted
            // to the deaths reported as COVID-19's, which it still had; with none reported it counts as none.
            // Months with excess keep it: reported and excess deaths are dated differently (report, death), so
            // taking the larger of the two month by month would inflate the year.
            double deaths = std::max(0.0, *value);
            if (excess && deaths == 0.0 && cell->second.reported) deaths = std::max(0.0, *cell->second.reported);
            values.push_back(deaths);
        }
        if (values.size() != months.size()) continue;
        record.target = target;
        record.months = months;
        for (const auto& month : months) {
            const auto cell = it->second.find(month);
            record.reported.push_back(cell != it->second.end() && cell->second.reported
                                          ? std::max(0.0, *cell->second.reported)
                                          : std::nan(""));
        }
        record.monthly = values;
        record.daily = daily_from_monthly(months, values, start, end);
        return record;
    }
    return std::nullopt;
}

// What one country's fit needs from a world run.
struct FitInputs {
    const EpidemicModel* model;
    const std::vector<EpidemicInputAction>* actions;
    const EpidemicParameters* parameters;
    CountryId country;
    double population = 0;
    double fatality_multiplier = 1;
};

// Replays the country from the history's start with `path` up to `last_day`; deaths per day from the start.
std::vector<double> replay_deaths(const FitInputs& in, const std::vector<std::pair<Date, double>>& path, Date last_day,
                                  epidemic::IntegratorWorkspace& workspace) {
    auto epidemic = in.model->initial_country_epidemic(in.country, in.fatality_multiplier);
    std::vector<double> deaths;
    replay_epidemic_inputs(*epidemic, *in.actions, 0, last_day, log_ramp(path), *in.parameters, in.model->integrator(),
                           workspace, &deaths);
    return deaths;
}

// Fits the knots in time order (see the header). Returns the knots, multipliers rounded as written.
std::vector<std::pair<Date, double>> fit_country(const FitInputs& in, const Record& record, Date start, Date end,
                                                 int knot_days, int lag_days,
                                                 const std::vector<std::pair<Date, double>>& previous) {
    epidemic::IntegratorWorkspace workspace;
    auto epidemic = in.model->initial_country_epidemic(in.country, in.fatality_multiplier);
    const double floor = 1.0 + 1e-7 * in.population;  // deaths in a window: one, or 0.1 per million
    std::vector<Date> knots;
    for (Date t = start; t <= end; t = t + knot_days) knots.push_back(t);
    std::vector<std::pair<Date, double>> path;
    std::vector<double> state = epidemic->state();  // at the start of checkpoint_day
    Date checkpoint_day = start;
    std::size_t position = 0;  // first action not replayed into `state`
    // The deaths a knot drives: those of the weeks around it, a lag later. Its window and the next one count, so
    // that a knot is not chosen to fit its own weeks by putting out an epidemic the next weeks' record needs.
    auto window_of = [&](std::size_t k) {
        const Date from = std::max(start, knots[k] - knot_days / 2 + lag_days);
        const Date to = k + 1 == knots.size() ? end : std::min(end, knots[k] + knot_days / 2 + lag_days - 1);
        double observed = 0;
        for (Date d = from; d <= to; d = d + 1) observed += record.daily[static_cast<std::size_t>(d - start)];
        return std::tuple{from, to, observed};
    };
    for (std::size_t k = 0; k < knots.size(); ++k) {
        const auto [window_start, window_end, observed] = window_of(k);
        const auto [next_start, next_end, next_observed] = window_of(std::min(k + 1, knots.size() - 1));
        const bool has_next = k + 1 < knots.size() && next_start <= next_end;
        const Date replay_end = has_next ? std::max(window_end, next_end) : window_end;
        const double previous_x = path.empty() ? 0.0 : std::log(path.back().second);
        const double warm_start = k < previous.size() ? std::log(previous[k].second) : previous_x;
        std::vector<double> deaths;
        auto deaths_between = [&](Date from, Date to) {
            double sum = 0;
            for (Date d = from; d <= to; d = d + 1) {
                const auto i = static_cast<std::size_t>(d - checkpoint_day);
                if (i < deaths.size()) sum += deaths[i];
            }
            return sum;
        };
        // The next window's deaths are driven by the next knot as well, which is free here (and fitted again in
        // its turn): held at this knot's value, a steep rise in the next weeks could only be met by raising this
        // knot, which makes this window's deaths rise too early (India, March 2021).
        auto objective = [&](double x, double next_x) {
            auto trial = path;
            trial.push_back({knots[k], std::exp(x)});
            if (has_next) trial.push_back({knots[k + 1], std::exp(next_x)});
            epidemic->state() = state;
            deaths.clear();
            replay_epidemic_inputs(*epidemic, *in.actions, position, replay_end, log_ramp(trial), *in.parameters,
                                   in.model->integrator(), workspace, &deaths);
            const double error = std::log(deaths_between(window_start, window_end) + floor) - std::log(observed + floor);
            double value = error * error + smoothness * (x - previous_x) * (x - previous_x);
            if (has_next) {
                const double next = std::log(deaths_between(next_start, next_end) + floor) - std::log(next_observed + floor);
                value += next * next + smoothness * (next_x - x) * (next_x - x);
            }
            return value;
        };
        double best_x = std::clamp(warm_start, std::log(lowest_multiplier), std::log(highest_multiplier));
        if (window_start <= window_end) {
            // A coarse scan first, so that NLopt starts in the right basin (the deaths of a window are flat in the
            // knot where the epidemic is nearly out).
            double best_value = objective(best_x, best_x);
            for (int g = 0; g < scan_points; ++g) {
                const double x = std::log(lowest_multiplier) +
                                 (std::log(highest_multiplier) - std::log(lowest_multiplier)) * g / (scan_points - 1);
                const double value = objective(x, x);
                if (value < best_value) best_value = value, best_x = x;
            }
            const unsigned dimensions = has_next ? 2 : 1;
            nlopt::opt optimiser(nlopt::LN_SBPLX, dimensions);
            optimiser.set_lower_bounds(std::log(lowest_multiplier));
            optimiser.set_upper_bounds(std::log(highest_multiplier));
            optimiser.set_xtol_abs(1e-3);
            optimiser.set_maxeval(evaluations_per_knot * static_cast<int>(dimensions));
            optimiser.set_initial_step(0.3);
            using Objective = decltype(objective);
            optimiser.set_min_objective(
                [](const std::vector<double>& x, std::vector<double>&, void* data) {
                    return (*static_cast<Objective*>(data))(x[0], x.size() > 1 ? x[1] : x[0]);
                },
                &objective);
            std::vector<double> x(dimensions, best_x);
            double value = 0;
            try {
                optimiser.optimize(x, value);
            } catch (const nlopt::roundoff_limited&) {
                // the best point so far stands
            }
            best_x = x[0];
        }
        path.push_back({knots[k], rounded(std::exp(best_x))});
        // Move the checkpoint to the start of this knot's day: the path up to it no longer changes.
        epidemic->state() = state;
        if (knots[k] > checkpoint_day)
            position = replay_epidemic_inputs(*epidemic, *in.actions, position, knots[k] - 1, log_ramp(path),
                                              *in.parameters, in.model->integrator(), workspace, nullptr);
        state = epidemic->state();
        checkpoint_day = knots[k];
    }
    return path;
}

std::vector<Override> with_paths(const CalibrationOptions& options, const std::vector<std::string>& codes,
                                 const std::vector<std::vector<std::pair<Date, double>>>& paths,
                                 const std::vector<double>& fatality, const std::vector<double>& given_fatality,
                                 const std::vector<double>& reporting, const std::vector<double>& given_reporting) {
    auto overrides = options.overrides;
    overrides.push_back({"epidemic.history_start", options.history_start.iso()});
    overrides.push_back({"country_defaults.initial_immune_share", "0"});
    for (std::size_t i = 0; i < codes.size(); ++i) {
        if (!paths[i].empty()) overrides.push_back({"countries." + codes[i] + ".transmission_path", path_text(paths[i])});
        if (fatality[i] != given_fatality[i])
            overrides.push_back({"countries." + codes[i] + ".fatality_multiplier", fmt::format("{}", fatality[i])});
        if (reporting[i] != given_reporting[i])
            overrides.push_back({"countries." + codes[i] + ".death_reporting_ratio", fmt::format("{}", reporting[i])});
    }
    return overrides;
}

std::vector<double> monthly(const std::vector<double>& daily, Date first_day, const std::vector<std::string>& months) {
    std::vector<double> sums(months.size(), std::nan(""));
    for (std::size_t i = 0; i < daily.size(); ++i) {
        const auto m = std::find(months.begin(), months.end(), month_key(first_day + static_cast<std::int32_t>(i)));
        if (m == months.end()) continue;
        auto& sum = sums[static_cast<std::size_t>(m - months.begin())];
        sum = std::isnan(sum) ? daily[i] : sum + daily[i];
    }
    return sums;
}

double log_error_2021(const std::vector<std::string>& months, const std::vector<double>& simulated,
                      const std::vector<double>& observed, double population) {
    const double floor = 1.0 + 1e-6 * population;
    double sum = 0;
    int n = 0;
    for (std::size_t m = 0; m < months.size(); ++m) {
        if (months[m].rfind("2021-", 0) != 0 || std::isnan(simulated[m])) continue;
        sum += std::abs(std::log((simulated[m] + floor) / (observed[m] + floor)));
        ++n;
    }
    return n ? sum / n : std::nan("");
}

double sum_2021(const std::vector<std::string>& months, const std::vector<double>& values) {
    double sum = 0;
    for (std::size_t m = 0; m < months.size(); ++m)
        if (months[m].rfind("2021-", 0) == 0 && !std::isnan(values[m])) sum += values[m];
    return sum;
}

// A path that reaches the highest multiplier somewhere: transmission alone could not make the deaths recorded.
bool saturates(const std::vector<std::pair<Date, double>>& path) {
    const double top = rounded(highest_multiplier);
    return std::any_of(path.begin(), path.end(), [&](const auto& knot) { return knot.second >= top; });
}

// Mean squared log error of the monthly deaths over the whole record, history included, for `path`.
double record_error(const FitInputs& in, const Record& record, const std::vector<std::pair<Date, double>>& path,
                    Date start, Date end) {
    epidemic::IntegratorWorkspace workspace;
    const auto simulated = monthly(replay_deaths(in, path, end, workspace), start, record.months);
    const double floor = 1.0 + 1e-6 * in.population;
    double sum = 0;
    int n = 0;
    for (std::size_t m = 0; m < record.months.size(); ++m) {
        if (std::isnan(simulated[m])) continue;
        const double error = std::log((simulated[m] + floor) / (record.monthly[m] + floor));
        sum += error * error;
        ++n;
    }
    return n ? sum / n : 0.0;
}

// Deaths reported over deaths fitted, over the months of the record where JHU reports (3 significant digits, as
// written); the ratio given where there is nothing to compare. Bounded by the registry's 0.001-5.
double reporting_ratio(const Record& record, const std::vector<double>& fitted, double given) {
    double reported = 0, simulated = 0;
    for (std::size_t m = 0; m < record.months.size(); ++m) {
        if (std::isnan(record.reported[m]) || std::isnan(fitted[m])) continue;
        reported += record.reported[m];
        simulated += fitted[m];
    }
    if (!(reported > 0 && simulated > 0)) return given;
    return std::stod(fmt::format("{:.3g}", std::clamp(reported / simulated, 0.001, 5.0)));
}

struct FittedCountry {
    std::vector<std::pair<Date, double>> path;
    double fatality_multiplier = 1;
};

// The path for the country's fatality ratio; where `choose_fatality` and that path saturates, also the path for
// each larger multiplier of fatality_candidates in turn, while the record's error with the prior keeps falling
// (docs/calibration.md, fatality).
FittedCountry fit_country_and_fatality(FitInputs in, const Record& record, Date start, Date end, int knot_days,
                                       int lag_days, const std::vector<std::pair<Date, double>>& previous,
                                       bool choose_fatality) {
    FittedCountry best{fit_country(in, record, start, end, knot_days, lag_days, previous), in.fatality_multiplier};
    if (!choose_fatality || !saturates(best.path)) return best;
    auto score = [&](const std::vector<std::pair<Date, double>>& path, double multiplier) {
        const double departure = std::log(multiplier);
        in.fatality_multiplier = multiplier;
        return record_error(in, record, path, start, end) + fatality_prior * departure * departure;
    };
    double best_score = score(best.path, best.fatality_multiplier);
    for (double multiplier : fatality_candidates) {
        if (multiplier <= best.fatality_multiplier) continue;
        in.fatality_multiplier = multiplier;
        auto path = fit_country(in, record, start, end, knot_days, lag_days, previous);
        const double value = score(path, multiplier);
        if (!(value < best_score)) break;
        best = {std::move(path), multiplier};
        best_score = value;
        if (!saturates(best.path)) break;
    }
    return best;
}

// Whether `fitted` does at least as well over the whole record as the last round's path and fatality multiplier
// (both replayed with this round's inputs); see docs/calibration.md, rounds.
bool at_least_as_good_as_before(FitInputs in, const Record& record, Date start, Date end,
                                const std::vector<std::pair<Date, double>>& previous_path, double previous_fatality,
                                const FittedCountry& fitted) {
    if (previous_path.empty()) return true;
    in.fatality_multiplier = fitted.fatality_multiplier;
    const double now = record_error(in, record, fitted.path, start, end);
    in.fatality_multiplier = previous_fatality;
    const double before = record_error(in, record, previous_path, start, end);
    return !(before < now);
}

}  // namespace

Calibration calibrate(const CalibrationOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    auto progress = [&](const std::string& text) {
        if (options.on_progress) options.on_progress(text);
    };
    if (options.knot_days < 7 || options.knot_days > 182)
        throw std::invalid_argument(fmt::format("--knot-days {}: between 7 and 182 days", options.knot_days));
    if (options.rounds < 1 || options.rounds > 10)
        throw std::invalid_argument(fmt::format("--rounds {}: between 1 and 10", options.rounds));
    if (options.threads < 1) throw std::invalid_argument("--threads must be at least 1");

    const Scenario base = Scenario::load(options.source, options.overrides);
    const World& base_world = base.world();
    if (base_world.simulation.stochastic_epidemic)
        throw std::invalid_argument("calibrate fits the deterministic epidemic; set simulation.epidemic_mode = "
                                    "\"deterministic\"");
    if (options.history_start >= base_world.simulation.start)
        throw std::invalid_argument(fmt::format("--history-start {}: must be before the scenario's start {}",
                                                options.history_start.iso(), base_world.simulation.start.iso()));
    const Date end = std::min(options.fit_end, base_world.simulation.end);

    // The countries to fit and their records.
    std::vector<std::string> codes;
    std::vector<Record> records;
    if (!options.countries.empty()) {
        for (const auto& code : options.countries) {
            const auto it = std::find_if(base_world.countries.begin(), base_world.countries.end(),
                                         [&](const Country& c) { return c.code == code; });
            if (it == base_world.countries.end() || it->population() <= 0)
                throw std::invalid_argument(fmt::format("--countries: '{}' is not a populated country of {}", code,
                                                        base.name()));
            auto record = record_of(code, options.history_start, end);
            if (!record)
                throw std::invalid_argument(fmt::format("--countries: '{}' has no monthly death record (WHO excess "
                                                        "or JHU reported) from {} to {}", code,
                                                        options.history_start.iso(), end.iso()));
            codes.push_back(code);
            records.push_back(std::move(*record));
        }
    } else {
        for (const Country& c : base_world.countries) {
            if (c.population() <= 0) continue;
            if (auto record = record_of(c.code, options.history_start, end)) {
                codes.push_back(c.code);
                records.push_back(std::move(*record));
            }
        }
    }
    if (codes.empty()) throw std::invalid_argument("no country of the scenario has a death record to fit");
    std::vector<std::size_t> index;  // into the World's countries
    for (const auto& code : codes)
        index.push_back(static_cast<std::size_t>(
            std::find_if(base_world.countries.begin(), base_world.countries.end(),
                         [&](const Country& c) { return c.code == code; }) - base_world.countries.begin()));

    // The scenario as given, for the "before" figures.
    progress(fmt::format("the scenario as given: {} countries to fit", codes.size()));
    RunOptions quiet;
    quiet.record_series = false;
    const Results given = Simulation(base).run(quiet);

    std::vector<std::vector<std::pair<Date, double>>> paths(codes.size());
    std::vector<double> given_fatality, fatality;
    for (std::size_t i : index) given_fatality.push_back(base_world.countries[i].fatality_multiplier);
    fatality = given_fatality;
    std::vector<double> given_reporting, reporting;
    for (std::size_t i : index) given_reporting.push_back(base_world.countries[i].death_reporting_ratio);
    reporting = given_reporting;
    tbb::task_arena arena(options.threads);
    const int lag = static_cast<int>(std::lround(base_world.epidemic.latent_days + base_world.epidemic.infectious_days));
    std::vector<std::vector<double>> fitted_daily(codes.size());
    for (int round = 0; round <= options.rounds; ++round) {
        const Scenario scenario =
            Scenario::load(options.source,
                           with_paths(options, codes, paths, fatality, given_fatality, reporting, given_reporting));
        const World& world = scenario.world();
        EpidemicInputLog log;
        log.wanted.assign(world.countries.size(), 0);
        for (std::size_t i : index) log.wanted[i] = 1;
        RunOptions run_options;
        run_options.record_series = false;
        run_options.epidemic_inputs = &log;
        progress(round < options.rounds ? fmt::format("round {} of {}: world run", round + 1, options.rounds)
                                        : std::string("the calibrated world"));
        Simulation(scenario).run(run_options);
        const EpidemicModel model(world, world.simulation.seed);
        arena.execute([&] {
            tbb::parallel_for(std::size_t{0}, codes.size(), [&](std::size_t i) {
                const FitInputs in{&model, &log.countries[index[i]], &world.epidemic, CountryId(index[i]),
                                   world.countries[index[i]].population(), fatality[i]};
                if (round < options.rounds) {
                    // The fatality ratio is chosen in the first round only, for countries left at the ratio given.
                    auto fitted = fit_country_and_fatality(in, records[i], options.history_start, end,
                                                           options.knot_days, lag, paths[i],
                                                           round == 0 && given_fatality[i] == 1.0);
                    if (round > 0 && !at_least_as_good_as_before(in, records[i], options.history_start, end,
                                                                 paths[i], fatality[i], fitted)) {
                        // The knots are fitted one at a time, each looking a window ahead; from the warm start of
                        // the last round's path that can end in a worse basin (an epidemic put out, then driven
                        // at the highest multiplier until it overshoots). A round never leaves a fit worse over
                        // the whole record than the one it started from.
                        fitted = {paths[i], fatality[i]};
                    }
                    paths[i] = std::move(fitted.path);
                    fatality[i] = fitted.fatality_multiplier;
                    if (given_reporting[i] == 1.0) {  // a ratio the scenario sets is kept
                        FitInputs with_fatality = in;
                        with_fatality.fatality_multiplier = fatality[i];
                        epidemic::IntegratorWorkspace workspace;
                        const auto daily = replay_deaths(with_fatality, paths[i], end, workspace);
                        reporting[i] = reporting_ratio(
                            records[i], monthly(daily, options.history_start, records[i].months), given_reporting[i]);
                    }
                } else {
                    epidemic::IntegratorWorkspace workspace;
                    fitted_daily[i] = replay_deaths(in, paths[i], end, workspace);
                }
            });
        });
        if (round < options.rounds) progress(fmt::format("round {} of {}: {} countries fitted", round + 1, options.rounds, codes.size()));
    }

    Calibration calibration;
    calibration.rounds = options.rounds;
    for (std::size_t i = 0; i < codes.size(); ++i) {
        const Record& record = records[i];
        CountryFit fit;
        fit.code = codes[i];
        fit.target = record.target;
        fit.path = paths[i];
        fit.fatality_multiplier = fatality[i];
        fit.death_reporting_ratio = reporting[i];
        fit.months = record.months;
        fit.observed = record.monthly;
        std::vector<double> given_daily;
        for (const auto& day : given.daily_deaths) given_daily.push_back(day[index[i]]);
        fit.before = monthly(given_daily, base_world.simulation.start, record.months);
        fit.after = monthly(fitted_daily[i], options.history_start, record.months);
        const double population = base_world.countries[index[i]].population();
        fit.observed_2021 = sum_2021(fit.months, fit.observed);
        fit.before_2021 = sum_2021(fit.months, fit.before);
        fit.after_2021 = sum_2021(fit.months, fit.after);
        fit.error_before = log_error_2021(fit.months, fit.before, fit.observed, population);
        fit.error_after = log_error_2021(fit.months, fit.after, fit.observed, population);
        std::vector<double> a, o;
        for (std::size_t m = 0; m < fit.months.size(); ++m)
            if (fit.months[m].rfind("2021-", 0) == 0) a.push_back(fit.after[m]), o.push_back(fit.observed[m]);
        fit.correlation_after = output::pearson(a, o).value_or(0.0);
        calibration.countries.push_back(std::move(fit));
    }

    // The overlay.
    std::string toml = fmt::format(
        "# Calibrated by `doseflow calibrate` (docs/calibration.md): each country's transmission path fitted to its\n"
        "# monthly deaths from {} to {} (WHO excess deaths; JHU reported deaths where WHO gives none), {} rounds,\n"
        "# knots every {} days. Regenerate it with the command below rather than editing the values.\n"
        "format = 1\nextends = \"{}\"\nname = \"{}\"\n\n",
        options.history_start.iso(), end.iso(), options.rounds, options.knot_days, options.extends,
        options.name.empty() ? base.name() + "-calibrated" : options.name);
    if (!options.command.empty()) toml += fmt::format("# Regenerate: {}\n", options.command);
    for (const auto& item : options.overrides)
        toml += fmt::format("# also set when fitted: {} = {}\n", item.path, item.value);
    toml += fmt::format("\n[epidemic]\n# The epidemic of each country runs from here, so the state in 2021 follows from its own "
                        "history.\nhistory_start = {}\n\n[country_defaults]\n# Immunity on the first day follows from the "
                        "history instead.\ninitial_immune_share = 0\n",
                        options.history_start.iso());
    for (const auto& fit : calibration.countries) {
        toml += fmt::format("\n[[countries]]\ncode = \"{}\"\n# fitted to {}; mean |log error| of 2021's months {:.3f} "
                            "(before {:.3f}); 2021 deaths {:.0f} against {:.0f}\ntransmission_path = {}\n",
                            fit.code, fit.target, fit.error_after, fit.error_before, fit.after_2021, fit.observed_2021,
                            path_text(fit.path));
        if (fit.fatality_multiplier != 1.0)
            toml += fmt::format("# the path saturated with the fatality ratio as given; this multiplier fitted it "
                                "better (docs/calibration.md, fatality)\nfatality_multiplier = {}\n",
                                fit.fatality_multiplier);
        if (fit.death_reporting_ratio != 1.0)
            toml += fmt::format("# JHU reported deaths over the fitted deaths, 2020-2021\ndeath_reporting_ratio = {}\n",
                                fit.death_reporting_ratio);
    }
    calibration.overlay_toml = std::move(toml);
    calibration.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return calibration;
}

namespace {

std::string number_or_empty(double value) { return std::isnan(value) ? "" : fmt::format("{:.6g}", value); }

std::string chart_svg(const CountryFit& fit) {
    const double width = 360, height = 160, left = 8, top = 18;
    double highest = 1;
    for (std::size_t m = 0; m < fit.months.size(); ++m)
        for (double v : {fit.observed[m], fit.after[m], fit.before[m]})
            if (!std::isnan(v)) highest = std::max(highest, v);
    auto line = [&](const std::vector<double>& values, const char* colour, const char* dash) {
        std::string points;
        for (std::size_t m = 0; m < values.size(); ++m) {
            if (std::isnan(values[m])) continue;
            const double x = left + (width - 2 * left) * static_cast<double>(m) / std::max(1.0, static_cast<double>(values.size()) - 1.0);
            const double y = top + (height - top - 8) * (1 - values[m] / highest);
            points += fmt::format("{:.1f},{:.1f} ", x, y);
        }
        return fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"{}\" points=\"{}\"/>",
                           colour, dash, points);
    };
    return fmt::format("<figure><svg width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{} deaths by month\">"
                       "<text x=\"4\" y=\"13\" font-size=\"12\">{} — peak {:.0f} a month</text>{}{}{}</svg>"
                       "<figcaption>{}: 2021 observed {:.0f}, fitted {:.0f}; r = {:.2f}</figcaption></figure>\n",
                       width, height, fit.code, fit.code, highest, line(fit.observed, "#222", "0"),
                       line(fit.before, "#bbb", "4 3"), line(fit.after, "#c0392b", "0"), fit.target,
                       fit.observed_2021, fit.after_2021, fit.correlation_after);
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

void write_calibration(const Calibration& calibration, const std::filesystem::path& out, bool force) {
    output::StagedRunDirectory staged(out, force, "fit_summary.csv");
    write_text(staged.path() / "scenario.toml", calibration.overlay_toml);
    std::string months = "country,target,month,observed,before,fitted\n";
    std::string summary = "country,target,observed_2021,before_2021,fitted_2021,error_before,error_fitted,"
                          "correlation_fitted,fatality_multiplier,death_reporting_ratio\n";
    for (const auto& fit : calibration.countries) {
        for (std::size_t m = 0; m < fit.months.size(); ++m)
            months += fmt::format("{},{},{},{},{},{}\n", fit.code, fit.target, fit.months[m],
                                  number_or_empty(fit.observed[m]), number_or_empty(fit.before[m]),
                                  number_or_empty(fit.after[m]));
        summary += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", fit.code, fit.target,
                               number_or_empty(fit.observed_2021), number_or_empty(fit.before_2021),
                               number_or_empty(fit.after_2021), number_or_empty(fit.error_before),
                               number_or_empty(fit.error_after), number_or_empty(fit.correlation_after),
                               number_or_empty(fit.fatality_multiplier), number_or_empty(fit.death_reporting_ratio));
    }
    write_text(staged.path() / "fit.csv", months);
    write_text(staged.path() / "fit_summary.csv", summary);
    auto largest = calibration.countries;
    std::sort(largest.begin(), largest.end(), [](const auto& a, const auto& b) {
        return a.observed_2021 != b.observed_2021 ? a.observed_2021 > b.observed_2021 : a.code < b.code;
    });
    if (largest.size() > 24) largest.resize(24);
    std::string html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>doseflow calibration"
                       "</title><style>body{font-family:sans-serif;margin:2em}figure{display:inline-block;margin:0 1em 1em 0}"
                       "figcaption{font-size:12px;color:#444}</style></head><body>\n<h1>Calibration</h1>\n"
                       "<p>Deaths by month, January 2020 to the end of the fit: observed (black), the scenario as given "
                       "(grey, dashed; it starts in 2021) and the calibrated scenario (red), for the countries with the "
                       "most observed deaths in 2021. Method and remaining error: docs/calibration.md.</p>\n";
    for (const auto& fit : largest) html += chart_svg(fit);
    html += "</body></html>\n";
    write_text(staged.path() / "fit.html", html);
    staged.commit();
}

}  // namespace doseflow::calibrate
