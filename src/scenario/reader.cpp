#include "scenario/reader.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "scenario/document.hpp"

namespace doseflow::scenario {

Date to_date(const toml::date& date) { return Date::from_ymd(date.year, date.month, date.day); }

Reader::Reader(const toml::table* table, std::string pattern, const Registry& registry, const toml::table* fallback)
    : table_(table), pattern_(std::move(pattern)), registry_(registry), fallback_(fallback) {}

bool Reader::has(std::string_view key) const {
    return (table_ && table_->get(key)) || (fallback_ && fallback_->get(key));
}

const toml::node* Reader::node(std::string_view key) const {
    if (table_)
        if (const auto* found = table_->get(key)) return found;
    if (fallback_)
        if (const auto* found = fallback_->get(key)) return found;
    const std::string path = pattern_.empty() ? std::string(key) : pattern_ + "." + std::string(key);
    const ParamSpec* spec = registry_.find(path);
    if (!spec) throw std::logic_error("undeclared parameter read: " + path);
    return spec->default_value.get();
}

SourcePosition Reader::where(std::string_view key) const {
    const auto* found = table_ ? table_->get(key) : nullptr;
    if (!found && fallback_) found = fallback_->get(key);
    return found ? position_of(*found) : where();
}

SourcePosition Reader::where() const {
    return table_ ? position_of(*table_) : SourcePosition{"<defaults>", 0, 0};
}

namespace {
[[noreturn]] void missing(const std::string& pattern, std::string_view key) {
    throw std::logic_error(fmt::format("parameter {}.{} has no value and no default", pattern, key));
}
}  // namespace

double Reader::number(std::string_view key) const {
    const auto* n = node(key);
    if (!n) missing(pattern_, key);
    return n->value<double>().value_or(0.0);
}

std::int64_t Reader::integer(std::string_view key) const {
    const auto* n = node(key);
    if (!n) missing(pattern_, key);
    return n->value<std::int64_t>().value_or(0);
}

bool Reader::boolean(std::string_view key) const {
    const auto* n = node(key);
    if (!n) missing(pattern_, key);
    return n->value<bool>().value_or(false);
}

std::string Reader::text(std::string_view key) const {
    const auto* n = node(key);
    if (!n) return {};
    return n->value<std::string>().value_or("");
}

Date Reader::date(std::string_view key) const {
    const auto* n = node(key);
    if (!n) missing(pattern_, key);
    const auto value = n->value<toml::date>();
    return value ? to_date(*value) : Date{};
}

std::vector<double> Reader::numbers(std::string_view key) const {
    std::vector<double> values;
    const auto* n = node(key);
    if (!n) return values;
    if (const auto* array = n->as_array()) {
        for (const auto& item : *array) values.push_back(item.value<double>().value_or(0.0));
    } else if (auto single = n->value<double>()) {
        values.push_back(*single);
    }
    return values;
}

std::vector<std::string> Reader::texts(std::string_view key) const {
    std::vector<std::string> values;
    const auto* n = node(key);
    if (const auto* array = n ? n->as_array() : nullptr)
        for (const auto& item : *array) values.push_back(item.value<std::string>().value_or(""));
    return values;
}

std::vector<SchedulePoint> Reader::schedule(std::string_view key) const {
    std::vector<SchedulePoint> points;
    const auto* n = node(key);
    if (const auto* array = n ? n->as_array() : nullptr)
        for (const auto& item : *array) {
            const auto* pair = item.as_array();
            if (!pair || pair->size() != 2) continue;
            const auto date = pair->get(0)->value<toml::date>();
            const auto value = pair->get(1)->value<double>();
            if (date && value) points.push_back({to_date(*date), *value});
        }
    return points;
}

std::vector<const toml::table*> Reader::tables(std::string_view key) const {
    std::vector<const toml::table*> entries;
    const auto* n = table_ ? table_->get(key) : nullptr;
    if (!n && fallback_) n = fallback_->get(key);
    if (const auto* array = n ? n->as_array() : nullptr)
        for (const auto& item : *array)
            if (const auto* entry = item.as_table()) entries.push_back(entry);
    return entries;
}

const toml::table* Reader::table(std::string_view key) const {
    const auto* n = table_ ? table_->get(key) : nullptr;
    if (!n && fallback_) n = fallback_->get(key);
    return n ? n->as_table() : nullptr;
}

Reader Reader::child(std::string_view key) const {
    const toml::table* fallback_child = nullptr;
    if (fallback_)
        if (const auto* n = fallback_->get(key)) fallback_child = n->as_table();
    const auto* own = table_ ? table_->get(key) : nullptr;
    const std::string path = pattern_.empty() ? std::string(key) : pattern_ + "." + std::string(key);
    return Reader(own ? own->as_table() : nullptr, path, registry_, fallback_child);
}

template <> double read_as<double>(const Reader& r, std::string_view key) { return r.number(key); }
template <> std::int64_t read_as<std::int64_t>(const Reader& r, std::string_view key) { return r.integer(key); }
template <> int read_as<int>(const Reader& r, std::string_view key) { return static_cast<int>(r.integer(key)); }
template <> std::uint64_t read_as<std::uint64_t>(const Reader& r, std::string_view key) {
    return static_cast<std::uint64_t>(r.integer(key));
}
template <> bool read_as<bool>(const Reader& r, std::string_view key) { return r.boolean(key); }
template <> std::string read_as<std::string>(const Reader& r, std::string_view key) { return r.text(key); }
template <> Date read_as<Date>(const Reader& r, std::string_view key) { return r.date(key); }
template <> std::vector<double> read_as<std::vector<double>>(const Reader& r, std::string_view key) {
    return r.numbers(key);
}
template <> std::vector<std::string> read_as<std::vector<std::string>>(const Reader& r, std::string_view key) {
    return r.texts(key);
}

void assign_declared(const Registry& registry, const Reader& reader, std::type_index owner, void* object) {
    for (const ParamSpec* spec : registry.children(reader.pattern())) {
        if (!spec->owner || *spec->owner != owner) continue;
        const std::string key = spec->key();
        if (!reader.has(key) && !spec->default_value) continue;
        spec->assign(object, reader, key);
    }
}

void assign_declared_defaults(std::string_view pattern, std::type_index owner, void* object) {
    const Registry& registry = parameter_registry();
    assign_declared(registry, Reader(nullptr, std::string(pattern), registry), owner, object);
}

}  // namespace doseflow::scenario
