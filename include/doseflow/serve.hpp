#pragma once
// `doseflow serve`: the what-if page and its JSON API (docs/serve.md) over HTTP, on the loopback address only.
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "doseflow/scenario.hpp"

namespace doseflow::serve {

struct ServeOptions {
    ScenarioSource scenario;       // the base of every what-if
    std::string scenario_reference = "default-2021";  // what a downloaded what-if `extends`
    std::string host = "127.0.0.1";
    int port = 8021;               // 0 = any free port
    int queue_limit = 4;           // runs waiting behind the one in progress, over all clients
    std::chrono::seconds run_time_limit{120};  // a run, its wait in the queue included
    std::function<void(int)> on_listening;     // called with the port once bound
};

// 127.0.0.0/8, ::1 and ::ffff:127.x.y.z.
bool is_loopback_address(std::string_view address);

// Throws std::invalid_argument unless `host` is a loopback address (the server never listens elsewhere).
void check_bind_address(const std::string& host);

// Loads the base scenario (throws ScenarioError), binds (throws std::invalid_argument for a non-loopback host,
// std::runtime_error when the port is taken) and serves until the process ends.
void run_server(ServeOptions options);

}  // namespace doseflow::serve
