#pragma once
// Files compiled into the binary (data/scenarios, data/tables, the report's scripts); see data/CMakeLists.txt.
#include <optional>
#include <string_view>
#include <vector>

namespace doseflow {

struct EmbeddedFile {
    std::string_view name;  // path relative to data/ (e.g. "scenarios/default-2021.toml"), or "web/<file>"
    std::string_view contents;
};

const std::vector<EmbeddedFile>& embedded_files();

inline std::optional<std::string_view> embedded_file(std::string_view name) {
    for (const auto& file : embedded_files())
        if (file.name == name) return file.contents;
    return std::nullopt;
}

}  // namespace doseflow
