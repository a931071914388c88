#include "doseflow/tables.hpp"
#include "engine/run_record.hpp"

#include <cmath>
#include <map>
#include <string_view>

#include "output/run_writer.hpp"

namespace doseflow {
namespace {

// Builds one column; text values become codes into the distinct texts seen so far.
class ColumnBuilder {
public:
    ColumnBuilder(std::string name, Column::Kind kind, std::size_t rows) {
        column_.name = std::move(name);
        column_.kind = kind;
        switch (kind) {
        case Column::Kind::number: column_.numbers.reserve(rows); break;
        case Column::Kind::date: column_.days.reserve(rows); break;
        case Column::Kind::text: column_.codes.reserve(rows); break;
        }
    }
    void number(double value) { column_.numbers.push_back(value); }
    void date(Date value) { column_.days.push_back(value.days_since_1970()); }
    void date(const std::optional<Date>& value) {
        column_.days.push_back(value ? value->days_since_1970() : Column::missing_date);
    }
    void text(std::string_view value) {
        if (value.empty()) {
            column_.codes.push_back(-1);
            return;
        }
        // Consecutive rows often repeat a text (a date's rows, a country's metrics): skip the lookup then.
        if (last_code_ >= 0 && column_.levels[static_cast<std::size_t>(last_code_)] == value) {
            column_.codes.push_back(last_code_);
            return;
        }
        auto found = index_.find(value);
        if (found == index_.end()) {
            found = index_.emplace(std::string(value), static_cast<std::int32_t>(column_.levels.size())).first;
            column_.levels.emplace_back(value);
        }
        last_code_ = found->second;
        column_.codes.push_back(last_code_);
    }
    Column take() { return std::move(column_); }

private:
    Column column_;
    std::map<std::string, std::int32_t, std::less<>> index_;
    std::int32_t last_code_ = -1;
};

Table assemble(std::size_t rows, std::vector<ColumnBuilder>& builders) {
    Table table;
    table.rows = rows;
    for (auto& builder : builders) table.columns.push_back(builder.take());
    return table;
}

std::string_view country_code(const World& world, CountryId id) {
    return id.valid() ? std::string_view(world.country(id).code) : std::string_view();
}

}  // namespace

Table timeseries_table(const Results& results, bool weekly) {
    const World& world = *results.recorded->world;
    Recorder scratch;
    const auto& rows = output::timeseries_rows(results, weekly, scratch);
    std::vector<ColumnBuilder> b;
    b.emplace_back("date", Column::Kind::date, rows.size());
    for (const char* name : {"country", "product", "component", "metric"}) b.emplace_back(name, Column::Kind::text, rows.size());
    b.emplace_back("value", Column::Kind::number, rows.size());
    for (const auto& row : rows) {
        const auto& key = row.key;
        b[0].date(row.date);
        b[1].text(key.country >= 0 ? std::string_view(world.countries[key.country].code) : "");
        b[2].text(key.product >= 0 ? std::string_view(world.products[key.product].id) : "");
        b[3].text(output::component_label(world, key));
        b[4].text(key.metric);
        b[5].number(row.value);
    }
    return assemble(rows.size(), b);
}

Table timeseries_table(const Results& results) {
    return timeseries_table(results, results.recorded->world->simulation.weekly_output);
}

Table deliveries_table(const Results& results) {
    const World& world = *results.recorded->world;
    const auto rows = results.recorded->deliveries.size();
    std::vector<ColumnBuilder> b;
    b.emplace_back("date", Column::Kind::date, rows);
    for (const char* name : {"contract", "kind", "supplier", "recipient", "product", "component"})
        b.emplace_back(name, Column::Kind::text, rows);
    b.emplace_back("doses", Column::Kind::number, rows);
    for (const auto& row : results.recorded->deliveries) {
        const bool has_contract = row.contract.valid() && row.contract.value() < results.recorded->contracts.size();
        const auto& product = world.product(row.product);
        b[0].date(row.date);
        b[1].text(has_contract ? std::string_view(results.recorded->contracts[row.contract].terms.id) : "");
        b[2].text(has_contract ? to_string(results.recorded->contracts[row.contract].terms.channel()) : "domestic");
        b[3].text(country_code(world, row.supplier));
        b[4].text(country_code(world, row.recipient));
        b[5].text(product.id);
        b[6].text(product.components[static_cast<std::size_t>(row.component)]);
        b[7].number(row.doses);
    }
    return assemble(rows, b);
}

Table contracts_table(const Results& results) {
    const World& world = *results.recorded->world;
    const auto rows = results.recorded->contracts.records.size();
    std::vector<ColumnBuilder> b;
    for (const char* name : {"contract", "kind", "supplier", "recipient", "product"}) b.emplace_back(name, Column::Kind::text, rows);
    b.emplace_back("signed", Column::Kind::date, rows);
    for (const char* name : {"ordered_doses", "due_doses", "delivered_doses", "shortfall_doses", "delivered_component_1",
                             "delivered_component_2", "wasted_doses", "prepaid_usd", "refunded_usd"})
        b.emplace_back(name, Column::Kind::number, rows);
    b.emplace_back("status", Column::Kind::text, rows);
    b.emplace_back("first_delivery", Column::Kind::date, rows);
    b.emplace_back("last_delivery", Column::Kind::date, rows);
    for (const auto& record : results.recorded->contracts.records) {
        const auto& terms = record.terms;
        const auto component = [&](std::size_t k) {
            return k < record.delivered_by_component.size() ? record.delivered_by_component[k] : std::nan("");
        };
        b[0].text(terms.id);
        b[1].text(to_string(terms.kind));
        b[2].text(country_code(world, terms.supplier));
        b[3].text(country_code(world, terms.recipient));
        b[4].text(world.product(terms.product).id);
        b[5].date(terms.signed_on);
        b[6].number(terms.doses);
        b[7].number(record.due_doses);
        b[8].number(record.delivered_doses);
        b[9].number(record.shortfall_doses());
        b[10].number(component(0));
        b[11].number(component(1));
        b[12].number(record.wasted_doses);
        b[13].number(terms.prepaid_usd);
        b[14].number(record.refunded_usd);
        b[15].text(to_string(record.status));
        b[16].date(record.first_delivery);
        b[17].date(record.last_delivery);
    }
    return assemble(rows, b);
}

Table events_table(const Results& results) {
    const auto& events = results.recorded->events.events();
    std::vector<ColumnBuilder> b;
    b.emplace_back("date", Column::Kind::date, events.size());
    for (const char* name : {"kind", "supplier", "recipient", "contract", "product"})
        b.emplace_back(name, Column::Kind::text, events.size());
    b.emplace_back("value", Column::Kind::number, events.size());
    b.emplace_back("detail", Column::Kind::text, events.size());
    for (const auto& e : events) {
        b[0].date(e.date);
        b[1].text(e.kind);
        b[2].text(e.supplier);
        b[3].text(e.recipient);
        b[4].text(e.contract);
        b[5].text(e.product);
        b[6].number(e.value);
        b[7].text(e.detail);
    }
    return assemble(events.size(), b);
}

Table diplomacy_table(const Results& results) {
    const World& world = *results.recorded->world;
    const auto rows = results.recorded->diplomacy.size();
    std::vector<ColumnBuilder> b;
    b.emplace_back("date", Column::Kind::date, rows);
    b.emplace_back("buyer", Column::Kind::text, rows);
    b.emplace_back("supplier", Column::Kind::text, rows);
    b.emplace_back("credibility", Column::Kind::number, rows);
    b.emplace_back("influence", Column::Kind::number, rows);
    for (const auto& row : results.recorded->diplomacy) {
        b[0].date(row.date);
        b[1].text(country_code(world, row.buyer));
        b[2].text(country_code(world, row.supplier));
        b[3].number(row.credibility);
        b[4].number(row.influence);
    }
    return assemble(rows, b);
}

Table countries_table(const Results& results, const Results* counterfactual) {
    const World& world = *results.recorded->world;
    const auto rows = world.countries.size();
    const auto at = [](const std::vector<double>& values, std::size_t i) {
        return i < values.size() ? values[i] : 0.0;
    };
    std::vector<ColumnBuilder> b;
    for (const char* name : {"country", "name", "income_group"}) b.emplace_back(name, Column::Kind::text, rows);
    for (const char* name : {"population", "people_dose1", "people_full", "deaths"})
        b.emplace_back(name, Column::Kind::number, rows);
    if (counterfactual) {
        b.emplace_back("deaths_without_vaccination", Column::Kind::number, rows);
        b.emplace_back("deaths_averted", Column::Kind::number, rows);
    }
    for (std::size_t c = 0; c < rows; ++c) {
        const auto& country = world.countries[c];
        b[0].text(country.code);
        b[1].text(country.name);
        b[2].text(country.income_group);
        b[3].number(country.population());
        b[4].number(at(results.people_dose1_by_country, c));
        b[5].number(at(results.people_full_by_country, c));
        const double deaths = at(results.deaths_by_country, c);
        b[6].number(deaths);
        if (counterfactual) {
            const double without = at(counterfactual->deaths_by_country, c);
            b[7].number(without);
            b[8].number(without - deaths);
        }
    }
    return assemble(rows, b);
}

}  // namespace doseflow
