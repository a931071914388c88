#include "serve/server.hpp"

#include <cstdlib>
#include <map>
#include <stdexcept>

#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/embedded.hpp"
#include "serve/levers.hpp"
#include "serve/what_if.hpp"
#include "world/world.hpp"

namespace doseflow::serve {
namespace {

using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

// Files of the page, embedded in the binary (data/CMakeLists.txt): URL -> (embedded name, content type).
const std::map<std::string, std::pair<std::string, std::string>>& page_files() {
    static const std::map<std::string, std::pair<std::string, std::string>> files = {
        {"/", {"web/serve.html", "text/html; charset=utf-8"}},
        {"/assets/serve.js", {"web/serve.js", "text/javascript; charset=utf-8"}},
        {"/assets/vega.min.js", {"web/vega.min.js", "text/javascript; charset=utf-8"}},
        {"/assets/vega-lite.min.js", {"web/vega-lite.min.js", "text/javascript; charset=utf-8"}},
        {"/assets/vega-embed.min.js", {"web/vega-embed.min.js", "text/javascript; charset=utf-8"}},
    };
    return files;
}

void send_json(httplib::Response& response, int status, const Json& body) {
    response.status = status;
    response.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

void send_error(httplib::Response& response, int status, const std::string& message) {
    send_json(response, status, Json{{"error", message}});
}

Json problems_json(const Diagnostics& diagnostics) {
    Json problems = Json::array();
    for (const auto& item : diagnostics.all())
        problems.push_back(Json{{"severity", item.severity == Severity::error ? "error" : "warning"},
                                {"file", item.where.file}, {"line", item.where.line}, {"column", item.where.column},
                                {"message", item.message}, {"text", item.format()}});
    return problems;
}

// The host part of a Host header: "127.0.0.1:8021" -> "127.0.0.1", "[::1]:8021" -> "::1".
std::string host_of(const std::string& header) {
    if (!header.empty() && header.front() == '[') return header.substr(1, header.find(']') - 1);
    return header.substr(0, header.find(':'));
}

fs::path make_work_dir() {
    std::string pattern = (fs::temp_directory_path() / "doseflow-serve-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot make a temporary folder in " +
                                                          fs::temp_directory_path().string());
    return pattern;
}

}  // namespace

bool is_loopback_address(std::string_view address) {
    if (address == "::1") return true;
    if (address.starts_with("::ffff:")) address.remove_prefix(7);
    if (!address.starts_with("127.")) return false;
    int dots = 0;
    for (const char c : address) {
        if (c == '.') ++dots;
        else if (c < '0' || c > '9') return false;
    }
    return dots == 3;
}

void check_bind_address(const std::string& host) {
    if (!is_loopback_address(host))
        throw std::invalid_argument(fmt::format(
            "doseflow serve listens on the loopback address only (127.0.0.1 or ::1), not '{}': the page runs "
            "whatever values it is sent, so it is not offered to other machines",
            host));
}

std::string refusal_reason(const httplib::Request& request) {
    if (!is_loopback_address(request.remote_addr))
        return fmt::format("requests from {} are refused: doseflow serve answers the loopback address only",
                           request.remote_addr);
    if (request.has_header("Host")) {
        const std::string host = host_of(request.get_header_value("Host"));
        if (host != "localhost" && !is_loopback_address(host))
            return fmt::format("requests addressed to '{}' are refused: open http://127.0.0.1:PORT/", host);
    }
    return {};
}

RunGate::Admission RunGate::enter(const std::string& client, std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    if (clients_.contains(client)) return Admission::client_busy;
    if (running_ && waiting_ >= queue_limit_) return Admission::queue_full;
    clients_.insert(client);
    ++waiting_;
    const bool turn = turn_.wait_until(lock, deadline, [this] { return !running_; });
    --waiting_;
    if (!turn) {
        clients_.erase(client);
        return Admission::timed_out;
    }
    running_ = true;
    return Admission::admitted;
}

void RunGate::leave(const std::string& client) {
    {
        std::lock_guard lock(mutex_);
        running_ = false;
        clients_.erase(client);
    }
    turn_.notify_all();
}

int RunGate::waiting() const {
    std::lock_guard lock(mutex_);
    return waiting_;
}

Server::Server(ServeOptions options)
    : options_(std::move(options)), gate_(options_.queue_limit) {
    check_bind_address(options_.host);
    work_dir_ = make_work_dir();
    try {
        runner_ = std::make_unique<WhatIfRunner>(options_.scenario, options_.scenario_reference, work_dir_);
    } catch (...) {
        std::error_code ignored;
        fs::remove_all(work_dir_, ignored);
        throw;
    }
    http_ = std::make_unique<httplib::Server>();
    auto& http = *http_;
    http.set_payload_max_length(1u << 20);
    http.set_pre_routing_handler([](const httplib::Request& request, httplib::Response& response) {
        const std::string reason = refusal_reason(request);
        if (reason.empty()) return httplib::Server::HandlerResponse::Unhandled;
        send_error(response, 403, reason);
        return httplib::Server::HandlerResponse::Handled;
    });
    for (const auto& [url, file] : page_files()) {
        http.Get(url, [name = file.first, type = file.second](const httplib::Request&, httplib::Response& response) {
            const auto contents = embedded_file(name);
            if (!contents) {
                send_error(response, 500, name + " is not embedded in this build: run scripts/install-deps and rebuild");
                return;
            }
            response.set_content(std::string(*contents), type);
        });
    }
    http.Get("/api/levers", [this](const httplib::Request&, httplib::Response& response) {
        const auto& world = runner_->base().world();
        send_json(response, 200,
                  Json{{"scenario", runner_->base().name()}, {"extends", options_.scenario_reference},
                       {"start", world.simulation.start.iso()}, {"end", world.simulation.end.iso()},
                       {"days", world.simulation.days()}, {"max_days", max_request_days},
                       {"levers", lever_json(runner_->base(), default_levers())}});
    });
    // Parses the request and answers bad ones with 400 and the loader's located messages.
    const auto handle = [](httplib::Response& response, const std::function<void()>& work) {
        try {
            work();
        } catch (const ScenarioError& error) {
            send_json(response, 400, Json{{"error", "these values do not make a valid scenario"},
                                          {"problems", problems_json(error.diagnostics())}});
        } catch (const BadRequest& error) {
            send_error(response, 400, error.what());
        } catch (const RunTimedOut& error) {
            send_error(response, 503, error.what());
        } catch (const std::exception& error) {
            send_error(response, 500, error.what());
        }
    };
    http.Post("/api/run", [this, handle](const httplib::Request& request, httplib::Response& response) {
        handle(response, [&] {
            const WhatIfRequest what_if = parse_what_if(request.body);
            const std::string client = request.has_header("X-Doseflow-Client")
                                           ? request.get_header_value("X-Doseflow-Client")
                                           : request.remote_addr;
            const auto deadline = std::chrono::steady_clock::now() + options_.run_time_limit;
            switch (gate_.enter(client, deadline)) {
                case RunGate::Admission::admitted: break;
                case RunGate::Admission::client_busy:
                    send_error(response, 429, "a run of yours is still in progress; send the next when it answers");
                    return;
                case RunGate::Admission::queue_full:
                    response.set_header("Retry-After", "2");
                    send_error(response, 503, fmt::format("{} runs are already waiting; try again shortly",
                                                          options_.queue_limit));
                    return;
                case RunGate::Admission::timed_out:
                    send_error(response, 503, "the queue did not reach this run within the time limit");
                    return;
            }
            try {
                send_json(response, 200, runner_->run(what_if, deadline));
            } catch (...) {
                gate_.leave(client);
                throw;
            }
            gate_.leave(client);
        });
    });
    http.Post("/api/scenario", [this, handle](const httplib::Request& request, httplib::Response& response) {
        handle(response, [&] {
            const std::string text = runner_->scenario_toml(parse_what_if(request.body));
            response.set_header("Content-Disposition", "attachment; filename=\"what-if.toml\"");
            response.set_content(text, "application/toml");
        });
    });
}

Server::~Server() {
    std::error_code ignored;
    fs::remove_all(work_dir_, ignored);
}

void Server::listen() {
    check_bind_address(options_.host);
    const int port = options_.port == 0 ? http_->bind_to_any_port(options_.host)
                                        : (http_->bind_to_port(options_.host, options_.port) ? options_.port : -1);
    if (port < 0)
        throw std::runtime_error(fmt::format("cannot listen on {}:{} (in use?); choose another with --port",
                                             options_.host, options_.port));
    if (options_.on_listening) options_.on_listening(port);
    http_->listen_after_bind();
}

void Server::stop() { http_->stop(); }

void run_server(ServeOptions options) {
    Server server(std::move(options));
    server.listen();
}

}  // namespace doseflow::serve
