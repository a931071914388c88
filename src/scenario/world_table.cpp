#include "scenario/world_table.hpp"

#include <charconv>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "core/csv.hpp"
#include "core/embedded.hpp"

namespace doseflow::scenario {

namespace {

std::vector<std::vector<std::string>> read_table(std::string_view name, std::size_t min_columns,
                                                 Diagnostics& diagnostics) {
    std::vector<std::vector<std::string>> rows;
    const auto text = embedded_file(name);
    if (!text) {
        diagnostics.error({std::string(name), 0, 0}, "the embedded world table is missing from this build");
        return rows;
    }
    auto records = csv::RecordReader::from_text(*text);
    std::vector<std::string> fields;
    bool header = true;
    while (true) {
        try {
            if (!records.next(fields)) break;
        } catch (const csv::ParseError& error) {
            diagnostics.error({std::string(name), error.line(), 1}, error.what());
            break;
        }
        if (std::exchange(header, false)) continue;
        if (fields.size() < min_columns) {
            diagnostics.error({std::string(name), records.line(), 1},
                              fmt::format("{} columns; expected at least {}", fields.size(), min_columns));
            continue;
        }
        rows.push_back(std::move(fields));
    }
    return rows;
}

std::optional<double> parse_double(const std::string& text) {
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace

std::vector<WorldTableRow> load_world_table(Diagnostics& diagnostics) {
    constexpr std::size_t bands = 16;
    const auto countries = read_table("tables/countries.csv", 5 + bands, diagnostics);
    const auto contacts = read_table("tables/contacts.csv", 1 + bands * bands, diagnostics);
    std::map<std::string, const std::vector<std::string>*> contacts_by_code;
    for (const auto& row : contacts) contacts_by_code[row[0]] = &row;
    std::vector<WorldTableRow> table;
    for (const auto& row : countries) {
        WorldTableRow country{row[0], row[1], row[2], row[3], row[4], {}, {}};
        bool ok = true;
        for (std::size_t i = 0; i < bands; ++i) {
            const auto value = parse_double(row[5 + i]);
            ok = ok && value.has_value();
            country.population_by_age.push_back(value.value_or(0.0));
        }
        const auto found = contacts_by_code.find(country.code);
        if (found != contacts_by_code.end())
            for (std::size_t i = 0; i < bands * bands; ++i) {
                const auto value = parse_double((*found->second)[1 + i]);
                ok = ok && value.has_value();
                country.contacts.push_back(value.value_or(0.0));
            }
        if (!ok || country.contacts.empty()) {
            diagnostics.error({"tables/countries.csv", 0, 0},
                              fmt::format("embedded world table: incomplete row for {}", country.code));
            continue;
        }
        table.push_back(std::move(country));
    }
    return table;
}

}  // namespace doseflow::scenario
