#pragma once
// Problems found in user input, reported all at once with where they are and what would be valid.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace doseflow {

struct SourcePosition {
    std::string file;  // a path, an embedded scenario name, or "<--set>"
    int line = 0;      // 1-based; 0 when unknown
    int column = 0;
};

enum class Severity { error, warning };

struct Diagnostic {
    Severity severity = Severity::error;
    SourcePosition where;
    std::string message;  // what is wrong; what would be valid
    std::string format() const;  // file:line:column: error: message
};

class Diagnostics {
public:
    void error(SourcePosition where, std::string message);
    void warning(SourcePosition where, std::string message);
    bool has_errors() const;
    const std::vector<Diagnostic>& all() const { return items_; }
    std::string format() const;  // one line each, errors and warnings in the order found
    void append(const Diagnostics& other);
    // Orders the problems by file, line and column (stable), as a reader goes through the file.
    void sort_by_position();

private:
    std::vector<Diagnostic> items_;
};

// `text` made fit for a one-line message: control bytes and bytes that are not valid UTF-8 written as \xNN, and
// text longer than `limit` bytes shortened to its start and end around "...[N bytes left out]...".
std::string printable(std::string_view text, std::size_t limit = 120);

// Thrown by library entry points when a scenario cannot be loaded; carries every problem found.
class ScenarioError : public std::runtime_error {
public:
    explicit ScenarioError(Diagnostics diagnostics);
    const Diagnostics& diagnostics() const { return diagnostics_; }

private:
    Diagnostics diagnostics_;
};

}  // namespace doseflow
