#pragma once
// Step 3 of loading (after parse and decode of the document): check every key and value against the registry,
// reporting every problem at once with its position and what would be valid.
#include <set>
#include <utility>
#include <string>
#include <toml++/toml.h>

#include "core/error.hpp"
#include "scenario/registry.hpp"

namespace doseflow::scenario {

// Ids the document defines or takes from the embedded tables, by entity ("country", "product", ...).
struct KnownIds {
    std::set<std::string> countries, products, sites, contracts, variants;
    const std::set<std::string>* of(std::string_view entity) const;
    std::set<std::string>* mutable_of(std::string_view entity) {
        return const_cast<std::set<std::string>*>(std::as_const(*this).of(entity));
    }
};

// Checks keys, types, ranges, choices, required keys, duplicate ids and references; `known` must hold the
// countries of the embedded table when world.countries = "all" (the rest is collected from the document).
void validate_document(const toml::table& document, const Registry& registry, KnownIds known, Diagnostics& diagnostics);

// The registry path for a document path: "country_defaults.x" is checked as "countries[].x".
std::string registry_path(std::string_view pattern);

}  // namespace doseflow::scenario
