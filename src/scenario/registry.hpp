#pragma once
// The parameter registry: every scenario parameter is declared here once (path, type, unit, default, valid
// range, help, source). Validation, defaults in decoding, `doseflow params` and docs/parameters.md all read it.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <typeindex>
#include <vector>

#include "core/date.hpp"

namespace toml { inline namespace v3 { class node; } }

namespace doseflow::scenario {

class Reader;

// A typed read of one key through a Reader (its value, else the fallback, else the declared default). Defined in
// reader.cpp for double, int, std::int64_t, std::uint64_t, bool, std::string, Date and lists of numbers and texts.
template <class T>
T read_as(const Reader& reader, std::string_view key);
template <> double read_as<double>(const Reader&, std::string_view);
template <> int read_as<int>(const Reader&, std::string_view);
template <> std::int64_t read_as<std::int64_t>(const Reader&, std::string_view);
template <> std::uint64_t read_as<std::uint64_t>(const Reader&, std::string_view);
template <> bool read_as<bool>(const Reader&, std::string_view);
template <> std::string read_as<std::string>(const Reader&, std::string_view);
template <> Date read_as<Date>(const Reader&, std::string_view);
template <> std::vector<double> read_as<std::vector<double>>(const Reader&, std::string_view);
template <> std::vector<std::string> read_as<std::vector<std::string>>(const Reader&, std::string_view);

enum class ValueType {
    boolean,
    integer,
    number,
    text,
    date,
    number_list,     // [1, 2, 3]
    text_list,       // ["a", "b"]
    number_or_list,  // 0.7 or [0.6, 0.7, ...]
    schedule,        // [[2021-01-01, 100.0], [2021-06-01, 200.0]]
    matrix,          // [[...], [...]] of numbers, or one of `choices` as text
    table,           // a table whose keys are declared below this path
    table_array,     // [[x]] or [{...}, {...}]: an array of tables declared below "path[]"
};
const char* to_string(ValueType type);

struct ParamSpec {
    std::string path;  // dotted; "[]" marks the elements of an array of tables: "contracts[].doses"
    ValueType type = ValueType::number;
    std::string unit;
    std::string default_toml;  // the default as TOML text; empty when there is none
    bool required = false;
    std::optional<double> min;  // inclusive bounds for numbers, integers and list elements
    std::optional<double> max;
    // The most entries a list or an array of tables may hold, checked before anything is built from it (memory
    // and run time grow with it).
    std::optional<std::size_t> max_entries;
    std::vector<std::string> choices;  // allowed texts
    std::string reference;  // the value names an entity: "country", "product", "site", "contract", "variant"
    std::string help;
    std::string source;
    std::shared_ptr<const toml::node> default_value;  // parsed default_toml
    // The member of the built world this parameter sets: the type that owns it, and how to assign it from a Reader
    // positioned on the table that holds the key. Empty for parameters the builder resolves itself (references to
    // other entities, matrices, schedules, values that depend on others).
    std::optional<std::type_index> owner;
    std::function<void(void* object, const Reader& reader, std::string_view key)> assign;
    std::string range_text() const;        // e.g. "0 to 1", ">= 0", one of "a", "b"; "; at most N entries"
    std::string value_range_text() const;  // the same without the count of entries
    std::string key() const;         // the last part of the path
};

class Registry;

// Fluent declaration: registry.add("epidemic.r0", ValueType::number).unit("1").def("2.6").range(0.1, 20)...
class ParamBuilder {
public:
    ParamBuilder(Registry& registry, std::size_t index) : registry_(registry), index_(index) {}
    ParamBuilder& unit(std::string text);
    ParamBuilder& def(std::string toml_text);
    ParamBuilder& required();
    ParamBuilder& range(double min, double max);
    ParamBuilder& at_least(double min);
    ParamBuilder& at_most_entries(std::size_t count);
    ParamBuilder& choices(std::vector<std::string> values);
    ParamBuilder& refers_to(std::string entity);
    ParamBuilder& help(std::string text);
    ParamBuilder& source(std::string text);

    // The member it sets in the built world: `.sets(&DiplomacyParameters::miss_weight)`.
    template <class Owner, class Member>
    ParamBuilder& sets(Member Owner::*member) {
        return bind(typeid(Owner), [member](void* object, const Reader& reader, std::string_view key) {
            static_cast<Owner*>(object)->*member = read_member<Member>(reader, key);
        });
    }
    // The member it sets from its text through `convert` (choices that become an enumeration or a flag).
    template <class Owner, class Member, class Convert>
    ParamBuilder& sets(Member Owner::*member, Convert convert) {
        return bind(typeid(Owner), [member, convert](void* object, const Reader& reader, std::string_view key) {
            static_cast<Owner*>(object)->*member = convert(read_as<std::string>(reader, key));
        });
    }

private:
    template <class T> struct is_optional : std::false_type {};
    template <class T> struct is_optional<std::optional<T>> : std::true_type {};
    template <class Member>
    static Member read_member(const Reader& reader, std::string_view key) {
        if constexpr (is_optional<Member>::value) return read_as<typename Member::value_type>(reader, key);
        else return read_as<Member>(reader, key);
    }
    ParamBuilder& bind(std::type_index owner,
                       std::function<void(void*, const Reader&, std::string_view)> assign);
    ParamSpec& spec();
    Registry& registry_;
    std::size_t index_;
};

class Registry {
public:
    ParamBuilder add(std::string path, ValueType type);
    const ParamSpec* find(std::string_view path) const;
    // Declared keys directly below `parent` ("" for the top level; "contracts[]" for a contract's keys).
    std::vector<const ParamSpec*> children(std::string_view parent) const;
    const std::vector<ParamSpec>& all() const { return specs_; }
    ParamSpec& at(std::size_t index) { return specs_[index]; }

    std::string markdown() const;  // the reference table, as in docs/parameters.md
    std::string json() const;

private:
    std::vector<ParamSpec> specs_;
};

// The registry of every parameter doseflow reads (declared in params.cpp).
const Registry& parameter_registry();

// Sets every member of `object` that a parameter declared directly below `reader`'s table sets, from the
// table, its fallback or the declared default. A parameter with neither a value nor a default leaves its member.
void assign_declared(const Registry& registry, const Reader& reader, std::type_index owner, void* object);
template <class Owner>
void assign_declared(const Registry& registry, const Reader& reader, Owner& object) {
    assign_declared(registry, reader, typeid(Owner), &object);
}

// An object holding the declared defaults of every parameter below `pattern` that sets one of its members
// ("diplomacy", "countries[]"): how code outside a scenario file (tests, benchmarks) gets the same defaults.
void assign_declared_defaults(std::string_view pattern, std::type_index owner, void* object);
template <class Owner>
Owner declared_defaults(std::string_view pattern) {
    Owner object{};
    assign_declared_defaults(pattern, typeid(Owner), &object);
    return object;
}

// The closest of `candidates` to `word` by edit distance, if close enough to be a plausible typo.
std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace doseflow::scenario
