// Feeds random and mutated scenario files to the loader: every input must end in a valid Scenario or in a
// clear error (at least one diagnostic of severity error, with a message), never a crash or a hang.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <boost/random/uniform_int_distribution.hpp>

#include "core/random.hpp"
#include "doseflow/scenario.hpp"

using namespace doseflow;

namespace {

std::string seed_scenario() {
    std::ifstream in(std::string(DOSEFLOW_SOURCE_DIR) + "/tests/scenarios/two-countries.toml");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// One random edit of the kinds a hand-edited file suffers: flipped, deleted, inserted or duplicated text.
std::string mutate(std::string text, RandomEngine& random) {
    boost::random::uniform_int_distribution<int> kind(0, 7);
    boost::random::uniform_int_distribution<std::size_t> position(0, text.empty() ? 0 : text.size() - 1);
    static const std::string alphabet = "[]{}=,.\"'#\n 0123456789-eE+abcxyz_\\\t";
    boost::random::uniform_int_distribution<std::size_t> letter(0, alphabet.size() - 1);
    boost::random::uniform_int_distribution<int> byte(0, 255);
    const std::size_t at = position(random);
    switch (kind(random)) {
        case 0: if (!text.empty()) text[at] = alphabet[letter(random)]; break;
        case 1: if (!text.empty()) text.erase(at, std::min<std::size_t>(1 + at % 17, text.size() - at)); break;
        case 2: text.insert(at, 1, alphabet[letter(random)]); break;
        case 3: text.insert(at, 1, static_cast<char>(byte(random))); break;  // stray bytes, broken UTF-8
        case 4: {  // duplicate a line
            const auto start = text.rfind('\n', at);
            const auto end = text.find('\n', at);
            const auto b = start == std::string::npos ? 0 : start + 1;
            const auto e = end == std::string::npos ? text.size() : end;
            text.insert(b, text.substr(b, e - b) + "\n");
            break;
        }
        case 5: text.resize(at); break;  // truncated file
        case 6: {  // a number replaced by an extreme one
            const auto digit = text.find_first_of("0123456789", at);
            if (digit != std::string::npos) text.replace(digit, 1, at % 2 ? "-1e308" : "1e400");
            break;
        }
        default: {  // a value replaced by a value of another type
            const auto equals = text.find('=', at);
            if (equals != std::string::npos) text.insert(equals + 1, at % 2 ? " \"text\" #" : " [1, [2]] #");
            break;
        }
    }
    return text;
}

void expect_valid_or_clear_error(const std::string& text, const std::string& label) {
    const auto result = load_scenario(ScenarioSource::from_text(text, "fuzz.toml"));
    if (result.scenario) return;
    ASSERT_TRUE(result.diagnostics.has_errors()) << label << ": no scenario and no error";
    for (const auto& d : result.diagnostics.all()) ASSERT_FALSE(d.message.empty()) << label;
}

// An input that can never be a scenario: it must end in errors, each located in the file, one of them saying
// `expected` (what is wrong), with no crash, hang or scenario.
void expect_clear_error(const std::string& text, const std::string& label, const std::string& expected) {
    const auto result = load_scenario(ScenarioSource::from_text(text, "fuzz.toml"));
    ASSERT_FALSE(result.scenario) << label << ": accepted";
    ASSERT_TRUE(result.diagnostics.has_errors()) << label << ": no error";
    bool says = false;
    for (const auto& d : result.diagnostics.all()) {
        EXPECT_FALSE(d.message.empty()) << label;
        EXPECT_EQ(d.where.file, "fuzz.toml") << label << ": " << d.format();
        says = says || d.message.find(expected) != std::string::npos;
    }
    EXPECT_TRUE(says) << label << ": no error says '" << expected << "':\n" << result.diagnostics.format();
}

}  // namespace

TEST(ScenarioFuzz, MutatedScenariosEndInAScenarioOrAClearError) {
    const std::string seed = seed_scenario();
    ASSERT_FALSE(seed.empty());
    int valid = 0;
    for (int i = 0; i < 3000; ++i) {
        auto random = make_stream(2021, static_cast<std::uint64_t>(i), StreamPurpose::test);
        std::string text = seed;
        const int edits = 1 + i % 4;
        for (int k = 0; k < edits; ++k) text = mutate(std::move(text), random);
        const auto result = load_scenario(ScenarioSource::from_text(text, "fuzz.toml"));
        if (result.scenario) {
            ++valid;
            continue;
        }
        ASSERT_TRUE(result.diagnostics.has_errors()) << "case " << i << ": no scenario and no error";
    }
    // Some edits (comments, whitespace) leave the scenario valid; most do not.
    EXPECT_GT(valid, 0);
    EXPECT_LT(valid, 3000);
}

TEST(ScenarioFuzz, RandomBytesEndInAClearError) {
    for (int i = 0; i < 1000; ++i) {
        auto random = make_stream(7, static_cast<std::uint64_t>(i), StreamPurpose::test);
        boost::random::uniform_int_distribution<int> byte(0, 255), length(0, 400);
        std::string text(static_cast<std::size_t>(length(random)), '\0');
        for (auto& c : text) c = static_cast<char>(byte(random));
        expect_valid_or_clear_error(text, "random bytes " + std::to_string(i));
    }
}

TEST(ScenarioFuzz, HostileShapesEndInAClearError) {
    expect_clear_error(std::string(100000, '['), "deep nesting", "not valid TOML");
    expect_clear_error("format = 1\nx = " + std::string(5000, '[') + std::string(5000, ']'), "deep arrays",
                       "exceeded maximum nested value depth");
    expect_clear_error("format = 1\nname = \"" + std::string(4 << 20, 'a') + "\"\n", "long line",
                       "the scenario has no countries");
    expect_clear_error(std::string(17 << 20, 'a'), "over the size limit", "scenarios may be at most 16777216 bytes");
    static constexpr char utf16[] = "\xff\xfe" "f\0o\0r\0m\0a\0t\0 \0=\0 \0" "1\0";  // "format = 1", UTF-16LE with BOM
    expect_clear_error(std::string(utf16, sizeof utf16 - 1), "UTF-16", "invalid utf-8");
    expect_clear_error("format = 1\n[a]\n[a]\n", "duplicate table", "cannot redefine existing table");
    expect_clear_error("", "empty file", "missing required key 'format'");
}
