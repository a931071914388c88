#include "ensemble/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <numeric>

#include <boost/random/uniform_int_distribution.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/csv.hpp"
#include "core/random.hpp"
#include "ensemble/quantile_sketch.hpp"
#include "output/html.hpp"
#include "output/run_writer.hpp"

namespace doseflow::ensemble {
namespace {

struct Estimate {
    double first_order = 0.0, total = 0.0;
};

// Saltelli et al. 2010 (Comput. Phys. Commun. 181:259), Table 2: first order (b) and Jansen's total (f), over the
// rows `rows` of the design.
Estimate estimate(const std::vector<double>& f_a, const std::vector<double>& f_b, const std::vector<double>& f_ab,
                  const std::vector<std::size_t>& rows) {
    const double n = static_cast<double>(rows.size());
    double mean = 0.0;
    for (std::size_t j : rows) mean += f_a[j] + f_b[j];
    mean /= 2 * n;
    double variance = 0.0, first = 0.0, total = 0.0;
    for (std::size_t j : rows) {
        variance += (f_a[j] - mean) * (f_a[j] - mean) + (f_b[j] - mean) * (f_b[j] - mean);
        first += f_b[j] * (f_ab[j] - f_a[j]);
        total += (f_a[j] - f_ab[j]) * (f_a[j] - f_ab[j]);
    }
    variance /= 2 * n - 1;
    if (!(variance > 0)) return {};  // the output does not move: no variance to share out
    return {first / n / variance, total / (2 * n) / variance};
}

}  // namespace

std::vector<SobolIndex> sobol_indices(const std::string& output, const std::vector<std::string>& parameters,
                                      const std::vector<double>& f_a, const std::vector<double>& f_b,
                                      const std::vector<std::vector<double>>& f_ab, int resamples, std::uint64_t seed) {
    const std::size_t n = f_a.size();
    std::vector<std::size_t> all(n);
    std::iota(all.begin(), all.end(), std::size_t{0});
    std::vector<SobolIndex> indices;
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        SobolIndex index{output, parameters[i]};
        const Estimate point = estimate(f_a, f_b, f_ab[i], all);
        index.first_order = point.first_order;
        index.total = point.total;
        // Percentile bootstrap over the rows of the design (stream purpose 1003: apart from the model's and the
        // ensemble design's); the same resamples for every parameter.
        auto stream = make_stream(seed, stable_hash(output), static_cast<StreamPurpose>(1003));
        boost::random::uniform_int_distribution<std::size_t> pick(0, n - 1);
        std::vector<double> first, total;
        std::vector<std::size_t> rows(n);
        for (int r = 0; r < resamples; ++r) {
            for (auto& row : rows) row = pick(stream);
            const Estimate e = estimate(f_a, f_b, f_ab[i], rows);
            first.push_back(e.first_order);
            total.push_back(e.total);
        }
        index.first_low = exact_quantile(first, 0.025);
        index.first_high = exact_quantile(first, 0.975);
        index.total_low = exact_quantile(total, 0.025);
        index.total_high = exact_quantile(total, 0.975);
        indices.push_back(index);
    }
    return indices;
}

namespace {

void write_text(const std::filesystem::path& path, const std::string& text) {
    const auto partial = std::filesystem::path(path.string() + ".partial");
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out) throw std::runtime_error("cannot write " + partial.string());
    }
    std::filesystem::rename(partial, path);
}

}  // namespace

std::vector<SobolIndex> run_sensitivity(const SensitivityOptions& options, MemberTransport& transport) {
    if (options.samples < 2) throw std::invalid_argument("--samples must be at least 2");
    if (options.outputs.empty()) throw std::invalid_argument("--outputs: name at least one key figure");
    const EnsemblePlan plan = EnsemblePlan::load(options.source, options.overrides, options.days);
    const std::size_t d = plan.uncertainties().size();
    if (d == 0)
        throw std::invalid_argument(fmt::format("scenario '{}' declares no [[uncertainty]]; sensitivity needs at least "
                                                "one uncertain value", plan.name()));
    const std::uint64_t seed = options.seed.value_or(plan.scenario_seed());
    MemberOptions member;
    member.simulation_seed = plan.scenario_seed();  // every run the same seed: indices measure the inputs only
    member.counterfactual = std::find(options.outputs.begin(), options.outputs.end(), "deaths_averted") != options.outputs.end();
    // The names a run reports, from a one-day run, so that a misspelt output fails before the design runs.
    {
        std::vector<double> nominal;
        for (const auto& u : plan.uncertainties()) nominal.push_back(u.nominal);
        const Results day = Simulation(plan.member_scenario(nominal, seed).with_days(1)).run();
        std::vector<std::string> names;
        for (const auto& [name, value] : flat_key_figures(day, member.counterfactual ? &day : nullptr)) names.push_back(name);
        for (const auto& output : options.outputs)
            if (std::find(names.begin(), names.end(), output) == names.end()) {
                std::string list;
                for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
                throw std::invalid_argument(fmt::format("--outputs: no key figure '{}'; key figures: {}", output, list));
            }
    }
    std::string problem;
    std::optional<output::StagedRunDirectory> staged;  // root only: written whole, renamed into place at the end
    if (transport.root()) {
        try {
            staged.emplace(options.out, options.force, "sensitivity.json");
        } catch (const std::exception& e) {
            problem = e.what();
        }
    }
    if (!transport.agree(problem.empty())) {
        if (!problem.empty()) throw std::invalid_argument(problem);
        return {};
    }
    // Saltelli design: A and B from one Latin hypercube of 2d columns; run k is row k / (d + 2) of A, B or A_B^(i).
    const auto n = static_cast<std::size_t>(options.samples);
    const auto base = latin_hypercube(options.samples, 2 * d, seed);
    const std::size_t per_row = d + 2;
    const int runs = static_cast<int>(n * per_row);
    auto probabilities = [&](int k) {
        const std::size_t row = static_cast<std::size_t>(k) / per_row, which = static_cast<std::size_t>(k) % per_row;
        std::vector<double> a(base[row].begin(), base[row].begin() + static_cast<std::ptrdiff_t>(d));
        if (which == 0) return a;
        std::vector<double> b(base[row].begin() + static_cast<std::ptrdiff_t>(d), base[row].end());
        if (which == 1) return b;
        a[which - 2] = b[which - 2];
        return a;
    };
    std::vector<std::vector<double>> values(options.outputs.size(), std::vector<double>(static_cast<std::size_t>(runs), 0.0));
    std::string error;
    int done = 0;
    run_members(
        runs, options.threads, transport, [&](int k) { return run_member(plan, k, probabilities(k), seed, member); },
        [&](MemberOutcome&& outcome) {
            if (!outcome.error.empty()) {
                if (error.empty()) error = fmt::format("run {} failed: {}", outcome.member, outcome.error);
                return;
            }
            for (std::size_t o = 0; o < options.outputs.size(); ++o) {
                const auto at = std::find(outcome.figure_names.begin(), outcome.figure_names.end(), options.outputs[o]);
                values[o][static_cast<std::size_t>(outcome.member)] =
                    outcome.figures[static_cast<std::size_t>(at - outcome.figure_names.begin())];
            }
            if (options.on_run) options.on_run(++done, runs);
        });
    if (!transport.root()) return {};
    if (!error.empty()) throw std::runtime_error(error);
    std::vector<std::string> parameters;
    for (const auto& u : plan.uncertainties()) parameters.push_back(u.path);
    std::vector<SobolIndex> indices;
    for (std::size_t o = 0; o < options.outputs.size(); ++o) {
        std::vector<double> f_a(n), f_b(n);
        std::vector<std::vector<double>> f_ab(d, std::vector<double>(n));
        for (std::size_t row = 0; row < n; ++row) {
            f_a[row] = values[o][row * per_row];
            f_b[row] = values[o][row * per_row + 1];
            for (std::size_t i = 0; i < d; ++i) f_ab[i][row] = values[o][row * per_row + 2 + i];
        }
        for (auto& index : sobol_indices(options.outputs[o], parameters, f_a, f_b, f_ab, options.resamples, seed))
            indices.push_back(std::move(index));
    }
    std::string csv = "output,parameter,first_order,first_order_low,first_order_high,total,total_low,total_high\n";
    nlohmann::ordered_json json;
    json["scenario"] = plan.name();
    json["seed"] = seed;
    json["samples"] = options.samples;
    json["runs"] = runs;
    json["method"] = "Sobol indices on a Saltelli design (A, B from a Latin hypercube); first order: Saltelli et al. "
                     "2010; total: Jansen 1999; 95% percentile bootstrap intervals";
    json["bootstrap_resamples"] = options.resamples;
    json["indices"] = nlohmann::ordered_json::array();
    for (const auto& i : indices) {
        csv += fmt::format("{},{},{},{},{},{},{},{}\n", csv::field(i.output), csv::field(i.parameter), i.first_order,
                           i.first_low, i.first_high, i.total, i.total_low, i.total_high);
        json["indices"].push_back({{"output", i.output}, {"parameter", i.parameter}, {"first_order", i.first_order},
                                   {"first_order_interval", {i.first_low, i.first_high}}, {"total", i.total},
                                   {"total_interval", {i.total_low, i.total_high}}});
    }
    write_text(staged->path() / "sensitivity.csv", csv);
    write_text(staged->path() / "sensitivity.json", json.dump(2) + "\n");
    write_text(staged->path() / "sensitivity.html", "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                                 "<title>doseflow sensitivity</title></head><body>\n" +
                                                     sensitivity_report_section(indices, options.samples) +
                                                     "</body></html>\n");
    staged->commit();
    return indices;
}

std::string sensitivity_report_section(const std::vector<SobolIndex>& indices, int samples) {
    std::string html = fmt::format("<section id=\"sensitivity\">\n<h2>Sensitivity (Sobol indices, N = {})</h2>\n<p>Bars: "
                                   "first-order (dark) and total (light) index of each uncertain value, largest total "
                                   "first; whiskers: 95% bootstrap intervals.</p>\n", samples);
    std::vector<std::string> outputs;
    for (const auto& i : indices)
        if (std::find(outputs.begin(), outputs.end(), i.output) == outputs.end()) outputs.push_back(i.output);
    for (const auto& output : outputs) {
        std::vector<const SobolIndex*> rows;
        for (const auto& i : indices)
            if (i.output == output) rows.push_back(&i);
        std::stable_sort(rows.begin(), rows.end(), [](auto* a, auto* b) { return a->total > b->total; });
        constexpr double row_height = 26, label_width = 380, plot_width = 360;
        const double height = row_height * static_cast<double>(rows.size()) + 24;
        auto x = [&](double v) { return label_width + std::clamp(v, 0.0, 1.0) * plot_width; };
        html += fmt::format("<h3>{}</h3>\n<table><tr><th>Uncertain value</th><th>First order</th><th>95%</th><th>Total</th>"
                            "<th>95%</th></tr>\n", output::html_escape(output));
        for (const auto* r : rows)
            html += fmt::format("<tr><td>{}</td><td>{:.3f}</td><td>{:.3f} to {:.3f}</td><td>{:.3f}</td><td>{:.3f} to {:.3f}"
                                "</td></tr>\n", output::html_escape(r->parameter), r->first_order, r->first_low, r->first_high,
                                r->total, r->total_low, r->total_high);
        html += fmt::format("</table>\n<svg width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"Sobol indices of {}\">",
                            label_width + plot_width + 20, height, output::html_escape(output));
        for (std::size_t k = 0; k < rows.size(); ++k) {
            const auto& r = *rows[k];
            const double y = 4 + row_height * static_cast<double>(k);
            html += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text>", label_width - 6,
                                y + 15, output::html_escape(r.parameter));
            html += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"10\" fill=\"#9ecae1\"/>", label_width,
                                y + 2, x(r.total) - label_width);
            html += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"10\" fill=\"#08519c\"/>", label_width,
                                y + 12, x(r.first_order) - label_width);
            html += fmt::format("<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{}\" y2=\"{}\" stroke=\"#333\"/>", x(r.total_low),
                                x(r.total_high), y + 7, y + 7);
            html += fmt::format("<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{}\" y2=\"{}\" stroke=\"#333\"/>", x(r.first_low),
                                x(r.first_high), y + 17, y + 17);
        }
        html += fmt::format("<line x1=\"{0}\" x2=\"{0}\" y1=\"0\" y2=\"{1}\" stroke=\"#888\"/><text x=\"{0}\" y=\"{2}\" "
                            "font-size=\"11\">0</text><text x=\"{3}\" y=\"{2}\" font-size=\"11\" text-anchor=\"end\">1"
                            "</text></svg>\n", label_width, height - 14, height - 2, label_width + plot_width);
    }
    return html + "</section>\n";
}

}  // namespace doseflow::ensemble
