#pragma once
// `doseflow serve`: the what-if page and its JSON API (docs/serve.md) over HTTP, on the loopback address only.
// Runs are bounded: one at a time in all, one in flight per client, a short queue, and a time limit per run.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "doseflow/scenario.hpp"
#include "doseflow/serve.hpp"

namespace httplib { class Server; struct Request; }

namespace doseflow::serve {

// Why a request is refused before it is routed (empty when it is not): it came from, or was addressed to, a host
// other than the loopback address.
std::string refusal_reason(const httplib::Request& request);

// Admits runs one at a time: a client with a run in flight or in the queue is told to wait; so is anyone when the
// queue is full; a wait ends at the deadline.
class RunGate {
public:
    explicit RunGate(int queue_limit) : queue_limit_(queue_limit) {}
    enum class Admission { admitted, client_busy, queue_full, timed_out };
    Admission enter(const std::string& client, std::chrono::steady_clock::time_point deadline);
    void leave(const std::string& client);
    int waiting() const;  // runs in the queue now

private:
    mutable std::mutex mutex_;
    std::condition_variable turn_;
    std::set<std::string> clients_;
    int waiting_ = 0;
    bool running_ = false;
    int queue_limit_;
};

class WhatIfRunner;

class Server {
public:
    // Loads the base scenario (throws ScenarioError) and makes the temporary folder the runs write into.
    explicit Server(ServeOptions options);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds (throws std::invalid_argument for a non-loopback host, std::runtime_error when the port is taken)
    // and serves until stop().
    void listen();
    void stop();

private:
    ServeOptions options_;
    std::filesystem::path work_dir_;
    std::unique_ptr<WhatIfRunner> runner_;
    std::unique_ptr<httplib::Server> http_;
    RunGate gate_;
};

}  // namespace doseflow::serve
