#include "world/cold_chain_fit.hpp"

#include <algorithm>

namespace doseflow {

std::vector<TemperatureClass> storage_classes(const Product& product) {
    std::vector<TemperatureClass> others;
    for (int i = 0; i < temperature_class_count; ++i) {
        const auto temperature = static_cast<TemperatureClass>(i);
        if (temperature != product.storage && product.shelf_life_days[static_cast<std::size_t>(i)].has_value())
            others.push_back(temperature);
    }
    // Longest shelf life first; stable on the class order (colder first) for ties.
    std::stable_sort(others.begin(), others.end(), [&](TemperatureClass a, TemperatureClass b) {
        return *product.shelf_life_days[static_cast<std::size_t>(a)] >
               *product.shelf_life_days[static_cast<std::size_t>(b)];
    });
    std::vector<TemperatureClass> classes{product.storage};
    classes.insert(classes.end(), others.begin(), others.end());
    return classes;
}

double cold_chain_capacity_doses(const Country& country, TemperatureClass temperature, Date date) {
    double capacity = country.cold_chain_doses[static_cast<std::size_t>(temperature)];
    for (const ColdChainStep& step : country.cold_chain_growth)
        if (step.temperature == temperature && step.date <= date) capacity += step.doses;
    return capacity;
}

double peak_capacity_doses(const Country& country, TemperatureClass temperature) {
    std::vector<ColdChainStep> steps;
    for (const auto& step : country.cold_chain_growth)
        if (step.temperature == temperature) steps.push_back(step);
    std::stable_sort(steps.begin(), steps.end(), [](const auto& a, const auto& b) { return a.date < b.date; });
    double capacity = country.cold_chain_doses[static_cast<std::size_t>(temperature)];
    double peak = capacity;
    for (const auto& step : steps) {
        capacity += step.doses;
        peak = std::max(peak, capacity);
    }
    return peak;
}

bool can_store(const Country& country, const Product& product, Date date) {
    const auto classes = storage_classes(product);
    return std::any_of(classes.begin(), classes.end(), [&](TemperatureClass temperature) {
        return cold_chain_capacity_doses(country, temperature, date) > 0.0;
    });
}

bool can_ever_store(const Country& country, const Product& product) {
    const auto classes = storage_classes(product);
    return std::any_of(classes.begin(), classes.end(), [&](TemperatureClass temperature) {
        return peak_capacity_doses(country, temperature) > 0.0;
    });
}

}  // namespace doseflow
