#pragma once
// Typed reads of a validated table, falling back to the registry's declared default: the default of every
// parameter lives in the registry alone.
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/date.hpp"
#include "core/error.hpp"
#include "core/schedule.hpp"
#include "scenario/registry.hpp"

namespace doseflow::scenario {

Date to_date(const toml::date& date);

class Reader {
public:
    // `pattern` is the registry path of the table ("contracts[]"); `fallback` is consulted before the registry
    // default (country_defaults for countries).
    Reader(const toml::table* table, std::string pattern, const Registry& registry,
           const toml::table* fallback = nullptr);

    bool has(std::string_view key) const;  // set in the table or the fallback
    const toml::node* node(std::string_view key) const;  // the table's, the fallback's, or the default
    SourcePosition where(std::string_view key) const;
    SourcePosition where() const;

    double number(std::string_view key) const;
    std::int64_t integer(std::string_view key) const;
    bool boolean(std::string_view key) const;
    std::string text(std::string_view key) const;
    Date date(std::string_view key) const;
    std::vector<double> numbers(std::string_view key) const;  // also a single number -> one element
    std::vector<std::string> texts(std::string_view key) const;
    std::vector<SchedulePoint> schedule(std::string_view key) const;
    std::vector<const toml::table*> tables(std::string_view key) const;  // entries of an array of tables
    const toml::table* table(std::string_view key) const;
    Reader child(std::string_view key) const;  // a sub-table (may be absent: then defaults only)
    const std::string& pattern() const { return pattern_; }

private:
    const toml::table* table_;
    std::string pattern_;
    const Registry& registry_;
    const toml::table* fallback_;
};

}  // namespace doseflow::scenario
