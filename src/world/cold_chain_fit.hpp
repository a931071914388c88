#pragma once
// Whether a country can keep a product: one rule for the uptake stage's stores (which class a lot goes into, which
// contracts can never be received) and for diplomacy's market (which buyers a producer may sell to),
// docs/model/uptake.md, "Cold chain".
#include <vector>

#include "core/date.hpp"
#include "world/world.hpp"

namespace doseflow {

// The classes a product may be kept in, in the order the stores try them: its required class first, then every
// other class with a shelf life, longest shelf life first (colder first on ties). A warmer class counts: mRNA
// vaccines were kept 30 days in a 2-8C fridge where no ultra-cold freezer stood.
std::vector<TemperatureClass> storage_classes(const Product& product);

// A country's storage capacity in one class on `date`: its start capacity plus the dated steps up to that date.
double cold_chain_capacity_doses(const Country& country, TemperatureClass temperature, Date date);

// Largest capacity a class ever reaches for this country (start capacity plus dated steps, in date order).
double peak_capacity_doses(const Country& country, TemperatureClass temperature);

// The country has room in some class the product keeps in on `date` (before counting what is already stored).
bool can_store(const Country& country, const Product& product, Date date);

// The country has room in some class the product keeps in at some date of the run.
bool can_ever_store(const Country& country, const Product& product);

}  // namespace doseflow
