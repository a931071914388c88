#include "core/error.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace doseflow {

namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 where the bytes there are not one.
std::size_t utf8_length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    if (lead >= 0xC2 && lead <= 0xDF) length = 2;
    else if (lead >= 0xE0 && lead <= 0xEF) length = 3;
    else if (lead >= 0xF0 && lead <= 0xF4) length = 4;
    if (length == 0 || i + length > text.size()) return 0;
    for (std::size_t k = 1; k < length; ++k)
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    if (lead == 0xE0 && byte(i + 1) < 0xA0) return 0;  // overlong
    if (lead == 0xED && byte(i + 1) > 0x9F) return 0;  // surrogates
    if (lead == 0xF0 && byte(i + 1) < 0x90) return 0;  // overlong
    if (lead == 0xF4 && byte(i + 1) > 0x8F) return 0;  // beyond U+10FFFF
    return length;
}

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7F) {
            out += text[i++];
        } else if (c == '\t') {
            out += "\\t";
            ++i;
        } else if (const std::size_t length = c >= 0x80 ? utf8_length(text, i) : 0; length > 0) {
            out.append(text.substr(i, length));
            i += length;
        } else {
            out += fmt::format("\\x{:02X}", c);
            ++i;
        }
    }
    return out;
}

// Moves `at` back to the start of a UTF-8 sequence so that shortening never splits a character.
std::size_t character_boundary(std::string_view text, std::size_t at) {
    while (at > 0 && at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
    return at;
}

}  // namespace

std::string printable(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) return escape(text);
    const std::size_t head = character_boundary(text, limit * 2 / 3);
    const std::size_t tail = character_boundary(text, text.size() - limit / 3);
    return escape(text.substr(0, head)) + fmt::format("...[{} bytes left out]...", tail - head) +
           escape(text.substr(tail));
}

std::string Diagnostic::format() const {
    const char* label = severity == Severity::error ? "error" : "warning";
    if (where.line > 0) return fmt::format("{}:{}:{}: {}: {}", where.file, where.line, where.column, label, message);
    return fmt::format("{}: {}: {}", where.file, label, message);
}

// Messages quote what the user wrote, which may be megabytes long or binary: both are kept to a readable line.
void Diagnostics::error(SourcePosition where, std::string message) {
    where.file = printable(where.file, 400);
    items_.push_back({Severity::error, std::move(where), printable(message, 600)});
}

void Diagnostics::warning(SourcePosition where, std::string message) {
    where.file = printable(where.file, 400);
    items_.push_back({Severity::warning, std::move(where), printable(message, 600)});
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
