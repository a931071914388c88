// The what-if server: loopback-only binding and requests, request parsing, the scenario a what-if downloads as,
// and the JSON API end to end on a small scenario (docs/serve.md).
#include <chrono>
#include <fstream>
#include <future>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "doseflow/simulation.hpp"
#include "output/summary.hpp"
#include "serve/levers.hpp"
#include "serve/server.hpp"
#include "serve/what_if.hpp"
#include "world/world.hpp"

namespace doseflow::serve {
namespace {

using Json = nlohmann::json;
const std::string small_scenario = std::string(DOSEFLOW_SOURCE_DIR) + "/tests/scenarios/two-countries.toml";

TEST(Loopback, AcceptsOnlyLoopbackAddresses) {
    for (const char* address : {"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"})
        EXPECT_TRUE(is_loopback_address(address)) << address;
    for (const char* address : {"0.0.0.0", "192.168.1.5", "10.0.0.1", "::", "::ffff:10.0.0.1", "127.0.0.1.evil.com",
                                "localhost", ""})
        EXPECT_FALSE(is_loopback_address(address)) << address;
}

TEST(Loopback, RefusesToBindElsewhere) {
    EXPECT_THROW(check_bind_address("0.0.0.0"), std::invalid_argument);
    EXPECT_THROW(check_bind_address("192.168.1.5"), std::invalid_argument);
    EXPECT_NO_THROW(check_bind_address("127.0.0.1"));
    ServeOptions options;
    options.scenario = ScenarioSource::file(small_scenario);
    options.host = "0.0.0.0";
    EXPECT_THROW(Server{options}, std::invalid_argument);
}

TEST(Loopback, RefusesRequestsFromOrToOtherHosts) {
    httplib::Request request;
    request.remote_addr = "127.0.0.1";
    request.set_header("Host", "127.0.0.1:8021");
    EXPECT_EQ(refusal_reason(request), "");
    request.remote_addr = "192.168.1.5";
    EXPECT_NE(refusal_reason(request).find("192.168.1.5"), std::string::npos);
    httplib::Request rebound;
    rebound.remote_addr = "127.0.0.1";
    rebound.set_header("Host", "attacker.example:8021");  // a DNS name rebound to 127.0.0.1
    EXPECT_NE(refusal_reason(rebound).find("attacker.example"), std::string::npos);
}

TEST(Request, ParsesSetAndDays) {
    const auto request = parse_what_if(
        R"({"set": {"epidemic.r0": 3, "covax.coverage_cap": 0.25, "export_controls.x.remove": true,
                    "contracts.c.signed": "2021-05-01", "suppliers.RUS.policy": "pro_rata"}, "days": 30})");
    ASSERT_EQ(request.set.size(), 5u);
    EXPECT_EQ(request.set[0].path, "epidemic.r0");
    EXPECT_EQ(request.set[0].value, "3");
    EXPECT_EQ(request.set[1].value, "0.25");
    EXPECT_EQ(request.set[2].value, "true");
    EXPECT_EQ(request.set[3].value, "2021-05-01");
    EXPECT_EQ(toml::parse("v = " + request.set[4].value, std::string("test"))["v"].value<std::string>(), "pro_rata");
    EXPECT_EQ(request.days, 30);
}

TEST(Request, RejectsBadBodiesWithWhatWouldBeValid) {
    for (const char* body : {"not json", "[1]", R"({"set": 3})", R"({"days": 0})", R"({"days": 2.5})",
                             R"({"set": {"a": {"b": 1}}})", R"({"sett": {}})", R"({"set": {"": 1}})",
                             R"({"set": {"epidemic.r0": 62e29850833}})"})
        EXPECT_THROW(parse_what_if(body), BadRequest) << body;
}

TEST(Levers, TakeUnitRangeAndValueFromTheRegistryAndScenario) {
    EXPECT_EQ(registry_path("suppliers.RUS.domestic_share"), "suppliers[].domestic_share");
    EXPECT_EQ(registry_path("epidemic.variants.delta.transmissibility"), "epidemic.variants[].transmissibility");
    EXPECT_EQ(registry_path("epidemic.nonsense"), "");
    const Scenario scenario = Scenario::load(ScenarioSource::embedded("default-2021"));
    const auto levers = lever_json(scenario, default_levers());
    ASSERT_GE(levers.size(), 15u);
    bool found_share = false, found_halt = false;
    for (const auto& lever : levers) {
        if (lever["path"] == "suppliers.RUS.domestic_share") {
            found_share = true;
            EXPECT_EQ(lever["unit"], "share");
            EXPECT_EQ(lever["min"], 0.0);
            EXPECT_EQ(lever["max"], 1.0);
            EXPECT_EQ(lever["value"], 0.7);
        }
        if (lever["path"] == "export_controls.ind_export_halt.end") {
            found_halt = true;
            EXPECT_EQ(lever["type"], "date");
            EXPECT_EQ(lever["value"], "2021-09-30");
        }
    }
    EXPECT_TRUE(found_share);
    EXPECT_TRUE(found_halt);
    // A scenario without those entries offers none of their levers.
    const Scenario small = Scenario::load(ScenarioSource::file(small_scenario));
    for (const auto& lever : lever_json(small, default_levers()))
        EXPECT_EQ(lever["path"].get<std::string>().find("export_controls.ind_export_halt"), std::string::npos);
}

TEST(WhatIf, DownloadedScenarioReproducesTheRun) {
    const auto work = std::filesystem::temp_directory_path() / "doseflow-serve-test-download";
    std::filesystem::create_directories(work);
    const WhatIfRunner runner(ScenarioSource::file(small_scenario), small_scenario, work);
    const auto request = parse_what_if(R"({"set": {"suppliers.RUS.domestic_share": 0.2,
        "contracts.arg_order.doses": 30e6, "epidemic.r0": 3.1}, "days": 120})");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
    const auto answer = runner.run(request, deadline);
    const auto baseline = runner.run(parse_what_if(R"({"days": 120})"), deadline);
    EXPECT_NE(answer["figures"].dump(), baseline["figures"].dump());  // the levers change the run
    EXPECT_EQ(answer["days"], 120);

    const std::string toml = runner.scenario_toml(request);
    const auto file = work / "what-if.toml";
    {
        std::ofstream out(file);
        out << toml;
    }
    const Scenario reloaded = Scenario::load(ScenarioSource::file(file));
    EXPECT_EQ(reloaded.world().simulation.days(), 120);
    const Results results = Simulation(reloaded).run();
    RunOptions counterfactual_options;
    counterfactual_options.record_series = false;
    counterfactual_options.epidemic_only = true;
    const Results counterfactual = Simulation(reloaded.without_vaccination()).run(counterfactual_options);
    const auto figures = output::key_figures(results, &counterfactual);
    EXPECT_EQ(nlohmann::ordered_json(answer["figures"]).dump(), figures.dump());
    std::filesystem::remove_all(work);
}

TEST(WhatIf, RejectsValuesTheScenarioRejectsWithLocatedMessages) {
    const auto work = std::filesystem::temp_directory_path() / "doseflow-serve-test-reject";
    std::filesystem::create_directories(work);
    const WhatIfRunner runner(ScenarioSource::file(small_scenario), small_scenario, work);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    try {
        runner.run(parse_what_if(R"({"set": {"epidemic.r0": 99}})"), deadline);
        ADD_FAILURE() << "r0 = 99 is outside the registry's range";
    } catch (const ScenarioError& error) {
        EXPECT_NE(error.diagnostics().format().find("epidemic.r0"), std::string::npos);
    }
    EXPECT_THROW(runner.run(parse_what_if(R"({"days": 60})"), std::chrono::steady_clock::now() - std::chrono::seconds(1)),
                 RunTimedOut);
    std::filesystem::remove_all(work);
}

TEST(RunGate, OneRunPerClientAndABoundedQueue) {
    RunGate gate(1);
    const auto later = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    ASSERT_EQ(gate.enter("a", later), RunGate::Admission::admitted);
    EXPECT_EQ(gate.enter("a", later), RunGate::Admission::client_busy);
    auto waiting = std::async(std::launch::async, [&] { return gate.enter("b", later); });
    while (gate.waiting() == 0) std::this_thread::yield();  // until b is queued
    EXPECT_EQ(gate.enter("c", later), RunGate::Admission::queue_full);
    gate.leave("a");
    EXPECT_EQ(waiting.get(), RunGate::Admission::admitted);
    EXPECT_EQ(gate.enter("c", std::chrono::steady_clock::now() + std::chrono::milliseconds(20)),
              RunGate::Admission::timed_out);
    gate.leave("b");
}

TEST(Server, AnswersThePageAndTheApiOnLoopback) {
    ServeOptions options;
    options.scenario = ScenarioSource::file(small_scenario);
    options.scenario_reference = small_scenario;
    options.port = 0;
    std::promise<int> bound;
    options.on_listening = [&](int port) { bound.set_value(port); };
    Server server(options);
    std::thread thread([&] { server.listen(); });
    const int port = bound.get_future().get();
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(300, 0);
    const auto page = client.Get("/");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    EXPECT_NE(page->body.find("/assets/serve.js"), std::string::npos);
    const auto levers = client.Get("/api/levers");
    ASSERT_TRUE(levers);
    EXPECT_EQ(Json::parse(levers->body)["days"].get<int>(), Scenario::load(options.scenario).world().simulation.days());
    const auto run = client.Post("/api/run", R"({"set": {"epidemic.r0": 3}, "days": 40})", "application/json");
    ASSERT_TRUE(run);
    EXPECT_EQ(run->status, 200);
    const Json answer = Json::parse(run->body);
    EXPECT_TRUE(answer["figures"].contains("deaths"));
    EXPECT_FALSE(answer["charts"].empty());
    const auto bad = client.Post("/api/run", R"({"set": {"epidemic.r0": "fast"}})", "application/json");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);
    EXPECT_NE(Json::parse(bad->body)["problems"][0]["message"].get<std::string>().find("epidemic.r0"),
              std::string::npos);
    const auto not_json = client.Post("/api/run", "{", "application/json");
    ASSERT_TRUE(not_json);
    EXPECT_EQ(not_json->status, 400);
    httplib::Headers rebound{{"Host", "attacker.example"}};
    const auto refused = client.Get("/api/levers", rebound);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 403);
    server.stop();
    thread.join();
}

}  // namespace
}  // namespace doseflow::serve
