#include "serve/levers.hpp"

#include <toml++/toml.h>

#include "scenario/document.hpp"
#include "scenario/registry.hpp"

namespace doseflow::serve {

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> parts;
    std::size_t begin = 0;
    while (true) {
        const auto end = path.find('.', begin);
        parts.push_back(path.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
        if (end == std::string::npos) return parts;
        begin = end + 1;
    }
}

namespace {

using Json = nlohmann::json;

Json json_of(const toml::node& node) {
    if (const auto* value = node.as_boolean()) return value->get();
    if (const auto* value = node.as_integer()) return value->get();
    if (const auto* value = node.as_floating_point()) return value->get();
    if (const auto* value = node.as_string()) return value->get();
    if (const auto* value = node.as_date()) {
        const auto& date = value->get();
        char text[16];
        std::snprintf(text, sizeof text, "%04d-%02d-%02d", static_cast<int>(date.year), static_cast<int>(date.month),
                      static_cast<int>(date.day));
        return std::string(text);
    }
    if (const auto* array = node.as_array()) {
        Json items = Json::array();
        for (const auto& item : *array) items.push_back(json_of(item));
        return items;
    }
    return nullptr;  // tables are not lever values
}

Json value_at_path(const Scenario& scenario, const std::string& set_path);

// A lever inside entries of arrays of tables ("suppliers.RUS.…") applies only when the scenario has them.
bool entries_exist(const Scenario& scenario, const std::string& set_path) {
    const auto& registry = scenario::parameter_registry();
    const auto parts = split_path(set_path);
    std::string declared, walked;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        declared += (declared.empty() ? "" : ".") + parts[i];
        walked += (walked.empty() ? "" : ".") + parts[i];
        const auto* spec = registry.find(declared);
        if (!spec || spec->type != scenario::ValueType::table_array) continue;
        walked += "." + parts[i + 1];
        if (value_at_path(scenario, walked + "." + scenario::entry_key(parts[i])).is_null()) return false;
        declared += "[]";
        ++i;
    }
    return true;
}

}  // namespace

const std::vector<Lever>& default_levers() {
    static const std::vector<Lever> levers = {
        {"suppliers.RUS.domestic_share", "Who gets the doses", "Share of Russia's Sputnik V output kept at home"},
        {"suppliers.RUS.policy", "Who gets the doses", "How Russia allocates what it makes"},
        {"suppliers.IND.domestic_share", "Who gets the doses", "Share of India's output kept at home"},
        {"suppliers.USA.policy", "Who gets the doses", "How the United States allocates what it makes"},
        {"export_controls.ind_export_halt.remove", "Export controls", "Lift India's export halt of 2021 entirely"},
        {"export_controls.ind_export_halt.start", "Export controls", "First day of India's export halt"},
        {"export_controls.ind_export_halt.end", "Export controls", "Last day of India's export halt"},
        {"export_controls.usa_defense_production_act.remove", "Export controls",
         "Lift the US hold on exports (Defense Production Act) entirely"},
        {"export_controls.usa_defense_production_act.end", "Export controls", "Last day of the US hold on exports"},
        {"covax.coverage_cap", "COVAX", "COVAX's cap: share of each participant's population it covers"},
        {"suppliers.IND.covax_share", "COVAX", "Share of India's daily stock set aside for COVAX"},
        {"suppliers.USA.covax_share", "COVAX", "Share of the United States' daily stock set aside for COVAX"},
        {"suppliers.USA.donation_share", "Dose sharing", "Share of the United States' daily stock given away"},
        {"suppliers.CHN.donation_share", "Dose sharing", "Share of China's daily stock given away"},
        {"suppliers.RUS.donation_share", "Dose sharing", "Share of Russia's daily stock given away"},
        {"uptake.fear_coefficient", "Vaccine hesitancy", "How much fear of the home epidemic raises willingness"},
        {"uptake.trust_coefficient", "Vaccine hesitancy", "How much distrust of a vaccine's supplier lowers willingness"},
        {"uptake.disinformation_coefficient", "Vaccine hesitancy", "How much disinformation lowers willingness"},
        {"epidemic.r0", "Transmission", "Basic reproduction number of the original strain"},
        {"epidemic.variants.alpha.transmissibility", "Transmission", "Alpha's transmissibility, relative to the original"},
        {"epidemic.variants.delta.transmissibility", "Transmission", "Delta's transmissibility, relative to the original"},
        {"contracts.gtm_sputnik.doses", "A contract: Guatemala's Sputnik V order", "Doses Guatemala orders from Russia"},
        {"contracts.gtm_sputnik.signed", "A contract: Guatemala's Sputnik V order", "Day Guatemala signs"},
        {"contracts.gtm_sputnik.supplier", "A contract: Guatemala's Sputnik V order",
         "Country Guatemala buys from (it must make the product)"},
    };
    return levers;
}

std::string registry_path(const std::string& set_path) {
    const auto& registry = scenario::parameter_registry();
    std::string declared;
    const auto parts = split_path(set_path);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        declared += (declared.empty() ? "" : ".") + parts[i];
        const auto* spec = registry.find(declared);
        if (!spec) return {};
        if (spec->type == scenario::ValueType::table_array) {
            if (i + 1 >= parts.size()) return {};
            declared += "[]";
            ++i;  // the entry's key
        }
    }
    return declared;
}

Json value_at(const Scenario& scenario, const std::string& set_path) {
    toml::table document;
    try {
        document = toml::parse(scenario.canonical_toml(), std::string("scenario"));
    } catch (const toml::parse_error&) {
        return nullptr;
    }
    const auto parts = split_path(set_path);
    const toml::node* node = &document;
    for (std::size_t i = 0; i < parts.size() && node; ++i) {
        const auto* table = node->as_table();
        if (!table) return nullptr;
        node = table->get(parts[i]);
        if (const auto* array = node ? node->as_array() : nullptr; array && array->is_array_of_tables()) {
            if (i + 1 >= parts.size()) return nullptr;
            const std::string& key = parts[++i];
            const toml::node* found = nullptr;
            for (const auto& entry : *array) {
                const auto* id = entry.as_table() ? entry.as_table()->get(scenario::entry_key(parts[i - 1])) : nullptr;
                if (id && id->value<std::string>() == key) found = &entry;
            }
            node = found;
        }
    }
    return node ? json_of(*node) : Json(nullptr);
}

namespace {
Json value_at_path(const Scenario& scenario, const std::string& set_path) { return value_at(scenario, set_path); }
}  // namespace

nlohmann::ordered_json lever_json(const Scenario& scenario, const std::vector<Lever>& levers) {
    const auto& registry = scenario::parameter_registry();
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& lever : levers) {
        const auto* spec = registry.find(registry_path(lever.path));
        if (!spec) continue;
        if (!entries_exist(scenario, lever.path)) continue;
        Json value = value_at(scenario, lever.path);
        if (value.is_null() && spec->default_value) value = json_of(*spec->default_value);
        if (value.is_null() && spec->type == scenario::ValueType::boolean) value = false;
        if (value.is_null()) continue;
        nlohmann::ordered_json item;
        item["path"] = lever.path;
        item["group"] = lever.group;
        item["label"] = lever.label;
        item["type"] = scenario::to_string(spec->type);
        item["unit"] = spec->unit;
        item["min"] = spec->min ? Json(*spec->min) : Json(nullptr);
        item["max"] = spec->max ? Json(*spec->max) : Json(nullptr);
        item["range"] = spec->range_text();
        item["choices"] = spec->choices;
        item["reference"] = spec->reference;
        item["help"] = spec->help;
        item["source"] = spec->source;
        item["value"] = value;
        out.push_back(std::move(item));
    }
    return out;
}

}  // namespace doseflow::serve
