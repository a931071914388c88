// Each parameter is declared once, in src/scenario/params.cpp: the registry holds each path once, no other source
// declares one, and the stages, the world and the engine never name a parameter path in a string literal (they
// read the member of the built World that the declaration sets; a message or check naming a path there would be a
// second statement of the parameter's range or shape, which the registry and the builder already give).
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "scenario/registry.hpp"

namespace doseflow::scenario {
namespace {

namespace fs = std::filesystem;

// Every dotted path of the registry, also as a scenario or --set writes it ("contracts[].doses", "contracts.doses").
std::set<std::string> dotted_paths() {
    std::set<std::string> paths;
    for (const auto& spec : parameter_registry().all()) {
        std::string plain = spec.path;
        for (auto at = plain.find("[]"); at != std::string::npos; at = plain.find("[]")) plain.erase(at, 2);
        for (const auto& path : {spec.path, plain})
            if (path.find('.') != std::string::npos) paths.insert(path);
    }
    return paths;
}

struct Finding {
    int line = 0;
    std::string what;
};

bool starts_with_at(const std::string& text, std::size_t at, std::string_view prefix) {
    return text.compare(at, prefix.size(), prefix) == 0;
}

std::size_t skip_spaces(const std::string& text, std::size_t at) {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
    return at;
}

// Declarations of parameters: calls such as r.add("epidemic.r0", T::number), comments aside.
std::vector<Finding> declarations_in(const std::string& text) {
    std::vector<Finding> findings;
    std::istringstream lines(text);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
        const std::string code = line.substr(0, line.find("//"));
        for (auto at = code.find("add("); at != std::string::npos; at = code.find("add(", at + 1)) {
            if (at > 0 && (std::isalnum(static_cast<unsigned char>(code[at - 1])) || code[at - 1] == '_')) continue;
            std::size_t i = skip_spaces(code, at + 4);
            if (i >= code.size() || code[i] != '"') continue;
            const auto close = code.find('"', i + 1);
            if (close == std::string::npos) continue;
            i = skip_spaces(code, close + 1);
            if (i >= code.size() || code[i] != ',') continue;
            i = skip_spaces(code, i + 1);
            if (starts_with_at(code, i, "T::") || starts_with_at(code, i, "ValueType::")) {
                findings.push_back({number, line});
                break;
            }
        }
    }
    return findings;
}

// The string literals of a line of C++, up to a // comment ('"' and other character literals skipped).
std::vector<std::string> literals_of(const std::string& line) {
    std::vector<std::string> literals;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '/' && i + 1 < line.size() && line[i + 1] == '/') break;
        if (line[i] == '\'') {
            i += (i + 1 < line.size() && line[i + 1] == '\\') ? 3 : 2;
            continue;
        }
        if (line[i] != '"') continue;
        std::string content;
        for (++i; i < line.size() && line[i] != '"'; ++i) {
            if (line[i] == '\\' && i + 1 < line.size()) ++i;
            content += line[i];
        }
        literals.push_back(std::move(content));
    }
    return literals;
}

// Parameter paths named inside the string literals of `text` (comments aside).
std::vector<Finding> paths_named_in(const std::string& text, const std::set<std::string>& paths) {
    const auto in_word = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '[' || c == ']';
    };
    std::vector<Finding> findings;
    std::istringstream lines(text);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number)
        for (const auto& content : literals_of(line))
            for (std::size_t i = 0; i < content.size();) {
                if (!in_word(content[i])) {
                    ++i;
                    continue;
                }
                std::size_t end = i;
                while (end < content.size() && in_word(content[end])) ++end;
                std::string word = content.substr(i, end - i);
                while (!word.empty() && word.back() == '.') word.pop_back();
                if (paths.contains(word)) findings.push_back({number, word});
                i = end;
            }
    return findings;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The non-test sources of src/ (tests set parameters by path on purpose).
std::vector<fs::path> library_sources() {
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(DOSEFLOW_SOURCE_DIR) / "src")) {
        const fs::path& path = entry.path();
        if (!entry.is_regular_file() || (path.extension() != ".cpp" && path.extension() != ".hpp")) continue;
        if (path.filename().string().find("test") != std::string::npos) continue;
        files.push_back(path);
    }
    return files;
}

TEST(ParametersDeclaredOnce, TheRegistryHoldsEachPathOnce) {
    std::map<std::string, int> count;
    for (const auto& spec : parameter_registry().all()) ++count[spec.path];
    for (const auto& [path, n] : count) EXPECT_EQ(n, 1) << path << " is declared " << n << " times";
    EXPECT_GT(count.size(), 100u);
}

TEST(ParametersDeclaredOnce, OnlyParamsCppDeclaresParameters) {
    const fs::path registry_file = fs::path(DOSEFLOW_SOURCE_DIR) / "src" / "scenario" / "params.cpp";
    int in_registry = 0;
    for (const auto& path : library_sources()) {
        const auto found = declarations_in(read_file(path));
        if (path == registry_file) {
            in_registry = static_cast<int>(found.size());
            continue;
        }
        for (const auto& finding : found)
            ADD_FAILURE() << path.string() << ":" << finding.line << ": declares a parameter outside "
                          << "src/scenario/params.cpp: " << finding.what;
    }
    EXPECT_GT(in_registry, 100);
}

TEST(ParametersDeclaredOnce, StagesWorldAndEngineNameNoParameterPath) {
    const auto paths = dotted_paths();
    int scanned = 0;
    for (const auto& path : library_sources()) {
        const std::string module = path.parent_path().filename().string();
        const std::set<std::string> stage_modules{"supply", "uptake", "epidemic", "diplomacy", "world", "engine", "core"};
        if (!stage_modules.contains(module)) continue;
        ++scanned;
        for (const auto& finding : paths_named_in(read_file(path), paths))
            ADD_FAILURE() << path.string() << ":" << finding.line << ": names the parameter " << finding.what
                          << "; read the World member its declaration (src/scenario/params.cpp) sets, and leave its "
                          << "range and shape to the registry and the builder";
    }
    EXPECT_GT(scanned, 30);
}

TEST(ParametersDeclaredOnce, TheScansFindWhatTheyLookFor) {
    const auto paths = dotted_paths();
    const auto named = paths_named_in("if (r0 > 20) fail(\"epidemic.r0 must be at most 20\");\n"
                                      "auto doses = lookup(\"contracts.doses\");  // \"epidemic.r0\" in a comment\n"
                                      "log(\"epidemic r0\");\n",
                                      paths);
    ASSERT_EQ(named.size(), 2u);
    EXPECT_EQ(named[0].line, 1);
    EXPECT_EQ(named[0].what, "epidemic.r0");
    EXPECT_EQ(named[1].line, 2);
    EXPECT_EQ(named[1].what, "contracts.doses");
    const auto declared = declarations_in("void f(Registry& r) {\n"
                                          "    r.add(\"diplomacy.miss_weight\", T::number).range(0, 10);\n"
                                          "    // r.add(\"epidemic.r0\", T::number) in a comment\n}\n");
    ASSERT_EQ(declared.size(), 1u);
    EXPECT_EQ(declared[0].line, 2);
}

}  // namespace
}  // namespace doseflow::scenario
