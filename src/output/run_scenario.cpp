#include "output/run_scenario.hpp"

#include <stdexcept>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace doseflow::output {
namespace {

std::string text_of(const toml::table& table, std::string_view key) {
    return table[key].value_or(std::string());
}

}  // namespace

RunScenarioNotes read_run_scenario(const std::filesystem::path& run_dir) {
    const std::filesystem::path path = run_dir / "scenario.toml";
    RunScenarioNotes notes;
    if (!std::filesystem::is_regular_file(path)) return notes;
    toml::table document;
    try {
        document = toml::parse_file(path.string());
    } catch (const toml::parse_error& error) {
        throw std::runtime_error(fmt::format("{}:{}:{}: not a scenario: {}", path.string(), error.source().begin.line,
                                             error.source().begin.column, error.description()));
    }
    if (const auto* featured = document.at_path("report.featured_products").as_array())
        for (const auto& node : *featured)
            if (const auto* entry = node.as_table())
                notes.featured_products.push_back({text_of(*entry, "product"), text_of(*entry, "anchor"),
                                                   text_of(*entry, "title"), text_of(*entry, "note")});
    if (const auto* products = document["products"].as_array())
        for (const auto& node : *products) {
            const auto* entry = node.as_table();
            if (!entry || (*entry)["remove"].value_or(false)) continue;
            const std::string observed = text_of(*entry, "observed_name");
            if (!observed.empty()) notes.product_by_observed_name.emplace(observed, text_of(*entry, "id"));
        }
    return notes;
}

}  // namespace doseflow::output
