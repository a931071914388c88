// doseflow._core: the C++ side of the Python package. It loads scenarios, runs them with the GIL released, and
// hands the result tables to numpy as arrays that own the C++ vectors (no Python object per value). The Python
// side (doseflow/__init__.py) turns them into pandas DataFrames. Compiled into the extension module (module.cpp)
// and into the test host (test_host.cpp).
#include "bindings.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "doseflow/ensemble.hpp"
#include "doseflow/report.hpp"
#include "doseflow/run_directory.hpp"
#include "doseflow/scenario.hpp"
#include "doseflow/simulation.hpp"
#include "doseflow/tables.hpp"

#ifndef DOSEFLOW_VERSION
#define DOSEFLOW_VERSION "0.0.0"
#endif
#ifndef DOSEFLOW_GIT_REVISION
#define DOSEFLOW_GIT_REVISION "unknown"
#endif

namespace py = pybind11;

namespace doseflow::python {
namespace {

// A numpy array over a vector moved to the heap; the array's base object frees it.
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& values) {
    auto* owned = new std::vector<T>(std::move(values));
    py::capsule owner(owned, [](void* pointer) { delete static_cast<std::vector<T>*>(pointer); });
    return py::array_t<T>(static_cast<py::ssize_t>(owned->size()), owned->data(), owner);
}

// {"rows": n, "columns": [(name, kind, data, levels), ...]} with kind "number" (float64 array), "date" (int64 days
// since 1970, missing as the minimum int64, which numpy reads as NaT) or "text" (int32 codes into `levels`, -1
// for empty).
py::dict table_to_python(Table&& table) {
    py::list columns;
    for (auto& column : table.columns) {
        switch (column.kind) {
        case Column::Kind::number:
            columns.append(py::make_tuple(column.name, "number", to_numpy(std::move(column.numbers)), py::none()));
            break;
        case Column::Kind::date:
            columns.append(py::make_tuple(column.name, "date", to_numpy(std::move(column.days)), py::none()));
            break;
        case Column::Kind::text:
            columns.append(py::make_tuple(column.name, "text", to_numpy(std::move(column.codes)),
                                          py::cast(column.levels)));
            break;
        }
    }
    py::dict result;
    result["rows"] = table.rows;
    result["columns"] = columns;
    return result;
}

// Carries every problem of a ScenarioError to doseflow.ScenarioError (defined in Python, doseflow/_errors.py).
void translate_scenario_error(const ScenarioError& error) {
    py::list problems;
    for (const auto& diagnostic : error.diagnostics().all())
        problems.append(py::make_tuple(diagnostic.where.file, diagnostic.where.line, diagnostic.where.column,
                                       diagnostic.message,
                                       diagnostic.severity == Severity::error ? "error" : "warning"));
    py::object type = py::module_::import("doseflow._errors").attr("ScenarioError");
    py::object instance = type(problems);
    PyErr_SetObject(type.ptr(), instance.ptr());
}

std::vector<Override> to_overrides(const std::vector<std::pair<std::string, std::string>>& items) {
    std::vector<Override> overrides;
    overrides.reserve(items.size());
    for (const auto& [path, value] : items) overrides.push_back({path, value});
    return overrides;
}

// A loaded scenario and what it was loaded from (a Scenario is immutable; changes load a new one).
struct LoadedScenario {
    ScenarioSource source;
    std::vector<std::pair<std::string, std::string>> overrides;
    Scenario scenario;
};

LoadedScenario load(const std::string& name_or_path, std::vector<std::pair<std::string, std::string>> overrides) {
    ScenarioSource source = ScenarioSource::named(name_or_path);
    Scenario scenario = [&] {
        py::gil_scoped_release release;
        return Scenario::load(source, to_overrides(overrides));
    }();
    return {std::move(source), std::move(overrides), std::move(scenario)};
}

LoadedScenario reload(const LoadedScenario& loaded, std::vector<std::pair<std::string, std::string>> overrides) {
    Scenario scenario = [&] {
        py::gil_scoped_release release;
        return Scenario::load(loaded.source, to_overrides(overrides));
    }();
    return {loaded.source, std::move(overrides), std::move(scenario)};
}

LoadedScenario from_text(const std::string& text, const std::string& name) {
    ScenarioSource source = ScenarioSource::from_text(text, name);
    Scenario scenario = Scenario::load(source);
    return {std::move(source), {}, std::move(scenario)};
}

// A finished run: the results (with the no-vaccination counterfactual, for deaths averted), the scenario it ran
// and its manifest and key figures.
struct Run {
    RunWithCounterfactual run;
    Scenario scenario;
    output::RunSummary summary;
};

// `override_texts`: the PATH=VALUE texts the manifest lists (the CLI's --set values).
std::shared_ptr<Run> run(const LoadedScenario& loaded, std::optional<int> days, bool counterfactual,
                         const std::vector<std::string>& override_texts) {
    py::gil_scoped_release release;
    Scenario scenario = days ? loaded.scenario.with_days(*days) : loaded.scenario;
    auto outcome = run_with_counterfactual(scenario, {}, counterfactual);
    output::RunSummary summary(scenario, outcome, DOSEFLOW_VERSION, DOSEFLOW_GIT_REVISION, override_texts);
    return std::make_shared<Run>(Run{std::move(outcome), std::move(scenario), std::move(summary)});
}

py::dict table_of(const Run& run, const std::string& name) {
    const Results& results = run.run.results;
    Table table;
    {
        py::gil_scoped_release release;
        if (name == "timeseries") table = timeseries_table(results);
        else if (name == "deliveries") table = deliveries_table(results);
        else if (name == "contracts") table = contracts_table(results);
        else if (name == "events") table = events_table(results);
        else if (name == "diplomacy") table = diplomacy_table(results);
        else if (name == "countries")
            table = countries_table(results, run.run.counterfactual ? &*run.run.counterfactual : nullptr);
        else
            throw std::invalid_argument("unknown table '" + name +
                                        "'; known: timeseries, deliveries, contracts, events, diplomacy, countries");
    }
    return table_to_python(std::move(table));
}

void write_directory(const Run& run, const std::filesystem::path& dir, bool force) {
    py::gil_scoped_release release;
    output::StagedRunDirectory staged(dir, force);  // written whole, renamed into place
    output::write_run_directory(staged.path(), run.scenario, run.run.results, run.summary);
    staged.commit();
}

py::dict parameters() {
    std::vector<std::string> path, type, unit, default_value, range, help, source;
    for (const auto& parameter : doseflow::parameters()) {
        path.push_back(parameter.path);
        type.push_back(parameter.type);
        unit.push_back(parameter.unit);
        default_value.push_back(parameter.default_toml);
        range.push_back(parameter.valid);
        help.push_back(parameter.help);
        source.push_back(parameter.source);
    }
    py::dict columns;
    columns["path"] = path;
    columns["type"] = type;
    columns["unit"] = unit;
    columns["default"] = default_value;
    columns["range"] = range;
    columns["help"] = help;
    columns["source"] = source;
    return columns;
}

// `doseflow compare`: writes compare*.csv into `run_dir` and returns the text the CLI prints.
std::string compare(const std::filesystem::path& run_dir, const std::optional<std::filesystem::path>& observed) {
    py::gil_scoped_release release;
    return output::compare_run_directory(run_dir, observed);
}

void report(const std::filesystem::path& run_dir, const std::filesystem::path& html) {
    py::gil_scoped_release release;
    output::write_report(run_dir, html);
}

}  // namespace
}  // namespace doseflow::python

void doseflow::python::define_core(py::module_& m) {
    using namespace doseflow::python;
    namespace df = doseflow;
    m.doc() = "The compiled core of the doseflow package; use the functions of `doseflow` instead.";
    m.attr("__version__") = DOSEFLOW_VERSION;
    m.attr("git_revision") = DOSEFLOW_GIT_REVISION;
    py::register_exception_translator([](std::exception_ptr pointer) {
        try {
            if (pointer) std::rethrow_exception(pointer);
        } catch (const df::ScenarioError& error) {
            translate_scenario_error(error);
        }
    });

    py::class_<LoadedScenario>(m, "LoadedScenario")
        .def_property_readonly("name", [](const LoadedScenario& s) { return s.scenario.name(); })
        .def_property_readonly("source", [](const LoadedScenario& s) { return s.source.name_or_path; })
        .def_property_readonly("overrides", [](const LoadedScenario& s) { return s.overrides; })
        .def_property_readonly("sha256", [](const LoadedScenario& s) { return s.scenario.sha256(); })
        .def_property_readonly("canonical_toml", [](const LoadedScenario& s) { return s.scenario.canonical_toml(); })
        .def_property_readonly("warnings", [](const LoadedScenario& s) {
            std::vector<std::string> lines;
            for (const auto& d : s.scenario.warnings().all()) lines.push_back(d.format());
            return lines;
        });
    m.def("load", &load, py::arg("name_or_path"), py::arg("overrides"),
          "Loads a scenario file or embedded name with PATH=VALUE overrides; raises doseflow.ScenarioError.");
    m.def("reload", &reload, py::arg("scenario"), py::arg("overrides"),
          "Loads the source of a loaded scenario again with other overrides; raises doseflow.ScenarioError.");
    m.def(
        "get",
        [](const LoadedScenario& loaded, const std::string& path) {
            auto value = loaded.scenario.get(path);
            if (!value) throw std::invalid_argument("no parameter at '" + path + "'; the paths are those of doseflow params");
            return *value;
        },
        py::arg("scenario"), py::arg("path"),
        "The value at a dotted path as TOML text (the scenario's own or the declared default); ValueError when the "
        "path names no parameter.");
    m.def(
        "ensemble",
        [](const LoadedScenario& loaded, int members, int threads, std::optional<std::uint64_t> seed,
           std::optional<int> days, const std::filesystem::path& out, bool force, bool counterfactual) {
            py::gil_scoped_release release;
            ensemble::EnsembleOptions options;
            options.source = loaded.source;
            for (const auto& [path, value] : loaded.overrides) options.overrides.push_back(path + "=" + value);
            options.members = members;
            options.threads = threads;
            options.seed = seed;
            options.days = days;
            options.out = out;
            options.force = force;
            options.member.counterfactual = counterfactual;
            options.member.metrics = ensemble::default_series_metrics();
            return ensemble::run_ensemble(options).members;
        },
        py::arg("scenario"), py::arg("members"), py::arg("threads"), py::arg("seed"), py::arg("days"), py::arg("out"),
        py::arg("force"), py::arg("counterfactual"),
        "Runs an ensemble as doseflow ensemble does and writes members.csv, quantiles.csv and summary.json to out.");
    m.def("from_text", &from_text, py::arg("text"), py::arg("name"),
          "Loads a scenario from TOML text; raises doseflow.ScenarioError.");
    m.def("embedded_scenarios", &df::embedded_scenario_names);
    m.def("parameters", &parameters, "The parameter registry as columns of texts.");

    py::class_<Run, std::shared_ptr<Run>>(m, "Run")
        .def("table", &table_of, py::arg("name"))
        .def("figures_json", [](const Run& r) { return r.summary.figures_json(); })
        .def("manifest_json", [](const Run& r) { return r.summary.manifest_json(); })
        .def("summary_text", [](const Run& r) { return r.summary.text(); })
        .def("write_directory", &write_directory, py::arg("path"), py::arg("force"));
    m.def("run", &run, py::arg("scenario"), py::arg("days"), py::arg("counterfactual"), py::arg("override_texts"),
          "Runs a loaded scenario with the GIL released.");
    m.def("compare", &compare, py::arg("run_dir"), py::arg("observed"));
    m.def("report", &report, py::arg("run_dir"), py::arg("html"));
}
