#include "core/error.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace doseflow {

std::string Diagnostic::format() const {
    const char* label = severity == Severity::error ? "error" : "warning";
    if (where.line > 0) return fmt::format("{}:{}:{}: {}: {}", where.file, where.line, where.column, label, message);
    return fmt::format("{}: {}: {}", where.file, label, message);
}

void Diagnostics::error(SourcePosition where, std::string message) {
    items_.push_back({Severity::error, std::move(where), std::move(message)});
}

void Diagnostics::warning(SourcePosition where, std::string message) {
    items_.push_back({Severity::warning, std::move(where), std::move(message)});
}

bool Diagnostics::has_errors() const {
    return std::any_of(items_.begin(), items_.end(), [](const Diagnostic& d) { return d.severity == Severity::error; });
}

std::string Diagnostics::format() const {
    std::string text;
    for (const auto& item : items_) text += item.format() + "\n";
    return text;
}

void Diagnostics::sort_by_position() {
    std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
        if (a.where.file != b.where.file) return false;  // keep files in the order they were met
        return a.where.line != b.where.line ? a.where.line < b.where.line : a.where.column < b.where.column;
    });
}

void Diagnostics::append(const Diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

ScenarioError::ScenarioError(Diagnostics diagnostics)
    : std::runtime_error(diagnostics.format()), diagnostics_(std::move(diagnostics)) {}

}  // namespace doseflow
