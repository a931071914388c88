// libFuzzer harness of the scenario loader: any bytes end in a Scenario or in errors with a message, never in a
// crash, a sanitizer report, an exception or a hang. The input is scenario text; where it holds a NUL byte, the
// text after it is read as --set overrides, one PATH=VALUE a line (docs/architecture.md, loading a scenario).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "doseflow/scenario.hpp"

namespace {

std::vector<doseflow::Override> overrides_of(std::string_view lines) {
    std::vector<doseflow::Override> overrides;
    while (!lines.empty()) {
        const auto end = lines.find('\n');
        const std::string_view line = lines.substr(0, end);
        lines = end == std::string_view::npos ? std::string_view{} : lines.substr(end + 1);
        const auto equals = line.find('=');
        if (equals == std::string_view::npos) continue;
        overrides.push_back({std::string(line.substr(0, equals)), std::string(line.substr(equals + 1))});
    }
    return overrides;
}

[[noreturn]] void fail(std::string_view what) {
    std::cerr << "scenario loader fuzz: " << what << '\n';
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto nul = input.find('\0');
    const std::string text(input.substr(0, nul));
    const auto overrides = nul == std::string_view::npos ? std::vector<doseflow::Override>{}
                                                         : overrides_of(input.substr(nul + 1));
    const auto result = doseflow::load_scenario(doseflow::ScenarioSource::from_text(text, "fuzz.toml"), overrides);
    if (!result.scenario) {
        if (!result.diagnostics.has_errors()) fail("no scenario and no error");
        for (const auto& diagnostic : result.diagnostics.all())
            if (diagnostic.message.empty()) fail("an error without a message");
        return 0;
    }
    // A loaded scenario answers what its callers ask of it.
    const doseflow::Scenario& scenario = *result.scenario;
    if (scenario.sha256().size() != 64) fail("a scenario without its SHA-256");
    for (const char* path : {"simulation.seed", "epidemic.r0", "world.age_bands"})
        if (!scenario.get(path)) fail("a declared parameter without a value");
    return 0;
}
