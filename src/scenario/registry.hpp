#pragma once
// The parameter registry: every scenario parameter is declared here once (path, type, unit, default, valid
// range, help, source). Validation, defaults in decoding, `doseflow params` and docs/parameters.md all read it.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace toml { inline namespace v3 { class node; } }

namespace doseflow::scenario {

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
    std::vector<std::string> choices;  // allowed texts
    std::string reference;  // the value names an entity: "country", "product", "site", "contract", "variant"
    std::string help;
    std::string source;
    std::shared_ptr<const toml::node> default_value;  // parsed default_toml
    std::string range_text() const;  // e.g. "0 to 1", ">= 0", one of "a", "b"
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
    ParamBuilder& choices(std::vector<std::string> values);
    ParamBuilder& refers_to(std::string entity);
    ParamBuilder& help(std::string text);
    ParamBuilder& source(std::string text);

private:
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

// The closest of `candidates` to `word` by edit distance, if close enough to be a plausible typo.
std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace doseflow::scenario
