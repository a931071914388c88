#pragma once
// What the readers of a run directory take from its scenario.toml, the merged scenario of the run: the products the
// report gives a section of their own (report.featured_products) and the names observed records give products
// (products[].observed_name). Output code knows no product by name; the scenario says which (docs/report.md).
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace doseflow::output {

struct FeaturedProduct {
    std::string product;  // products[].id
    std::string anchor;   // id of the report's section and of its charts
    std::string title;    // the product's name in the section's titles
    std::string note;     // what the section explains, above its charts
};

struct RunScenarioNotes {
    std::vector<FeaturedProduct> featured_products;
    std::map<std::string, std::string, std::less<>> product_by_observed_name;  // e.g. "Sputnik V" -> "sputnik_v"
};

// Reads run_dir/scenario.toml; a directory without one (written before runs kept their scenario) gives empty
// notes. Throws std::runtime_error naming the file, line and column when it is not TOML.
RunScenarioNotes read_run_scenario(const std::filesystem::path& run_dir);

}  // namespace doseflow::output
