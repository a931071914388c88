#include "output/run_writer.hpp"
#include "engine/run_record.hpp"
#include "core/csv.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <functional>
#include <ostream>
#include <stdexcept>

#include <cerrno>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace doseflow::output {

namespace {

// The tables are millions of rows: their fields are appended in place, with the format strings compiled, instead
// of formatted through temporaries. The text is the same as fmt::format("{}") and csv::field give.
// Writes the number at `begin` (at least 48 chars of room) and returns its end.
char* number_to(char* begin, double value) {
    if (value == 0.0) {  // also folds -0
        *begin = '0';
        return begin + 1;
    }
    if (std::abs(value) < 1e15 && value == static_cast<double>(static_cast<long long>(value)))
        return fmt::format_to(begin, FMT_COMPILE("{}"), static_cast<long long>(value));
    return fmt::format_to(begin, FMT_COMPILE("{}"), value);
}

// Where a table's text goes: a string, or a file as it is formed, counting its bytes and lines.
struct StringSink {
    std::string& text;
    void append(const char* data, std::size_t n) { text.append(data, n); }
};

struct StreamSink {
    std::ostream& out;
    std::size_t bytes = 0;
    std::size_t lines = 0;
    void append(const char* data, std::size_t n) {
        out.write(data, static_cast<std::streamsize>(n));
        bytes += n;
        lines += static_cast<std::size_t>(std::count(data, data + n, '\n'));
    }
};

// Rows are formed in a local buffer and handed to the sink in large pieces.
template <class Sink>
class RowWriter {
public:
    explicit RowWriter(Sink& out) : out_(out) {}
    RowWriter(const RowWriter&) = delete;
    RowWriter& operator=(const RowWriter&) = delete;
    ~RowWriter() { flush(); }

    void put(char c) {
        room(1);
        buffer_[used_++] = c;
    }
    void put(std::string_view text) {
        if (text.empty()) return;  // an empty view may hold no pointer at all, which memcpy must not be given
        if (text.size() > capacity / 2) {  // a long field goes straight through
            flush();
            out_.append(text.data(), text.size());
            return;
        }
        room(text.size());
        std::memcpy(buffer_ + used_, text.data(), text.size());
        used_ += text.size();
    }
    void put_number(double value) {
        room(48);
        used_ = static_cast<std::size_t>(number_to(buffer_ + used_, value) - buffer_);
    }
    // As csv::field (the rare quoted field goes through it).
    void put_field(std::string_view text) {
        if (csv::needs_quotes(text)) put(csv::field(text));
        else put(text);
    }
    void flush() {
        if (used_ > 0) out_.append(buffer_, used_);
        used_ = 0;
    }

private:
    static constexpr std::size_t capacity = 1 << 16;
    void room(std::size_t n) {
        if (used_ + n > capacity) flush();
    }
    Sink& out_;
    char buffer_[capacity];
    std::size_t used_ = 0;
};

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
    write_file_atomically(path, [&](std::ostream& out) {
        out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    });
}

void write_file_atomically(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write) {
    const auto temporary = path.parent_path() / ("." + path.filename().string() + ".partial");
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error(fmt::format("cannot write {}: cannot open the file", temporary.string()));
        try {
            write(out);
        } catch (...) {
            out.close();
            std::filesystem::remove(temporary);
            throw;
        }
        out.flush();
        if (!out) {
            out.close();
            std::filesystem::remove(temporary);
            throw std::runtime_error(fmt::format("cannot write {}: the write failed (disk full?)", path.string()));
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) {
        std::filesystem::remove(temporary);
        throw std::runtime_error(fmt::format("cannot write {}: {}", path.string(), error.message()));
    }
}

namespace {

namespace fs = std::filesystem;

std::string system_error_text(int code) { return std::error_code(code, std::generic_category()).message(); }

bool same_inode(int descriptor, const fs::path& path) {
    struct stat opened {}, named {};
    return ::fstat(descriptor, &opened) == 0 && ::stat(path.c_str(), &named) == 0 && opened.st_dev == named.st_dev &&
           opened.st_ino == named.st_ino;
}

// Swaps two directory entries in one step (Linux renameat2), so that no moment exists without a run directory.
bool exchange(const fs::path& a, const fs::path& b) {
#ifdef SYS_renameat2
    return ::syscall(SYS_renameat2, AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), 1 /* RENAME_EXCHANGE */) == 0;
#else
    (void)a, (void)b;
    return false;
#endif
}

}  // namespace

StagedRunDirectory::StagedRunDirectory(const fs::path& target, bool replace, std::string marker)
    : replace_(replace), marker_(std::move(marker)) {
    if (target.empty()) throw std::invalid_argument("--out is empty; name the directory to write the run into");
    std::error_code error;
    fs::path absolute = fs::absolute(target, error).lexically_normal();
    if (!absolute.has_filename()) absolute = absolute.parent_path();  // a trailing slash
    const std::string name = absolute.filename().string();
    if (name.empty() || name == "." || name == ".." || absolute == absolute.root_path())
        throw std::invalid_argument(fmt::format("--out {}: name a directory of its own for the run, e.g. out/run1",
                                                target.string()));
    target_ = absolute;
    staging_ = absolute.parent_path() / ("." + name + ".partial");
    if (fs::exists(target_, error) && !fs::is_directory(target_, error))
        throw std::invalid_argument(fmt::format("--out {}: exists and is not a directory; name a new or empty directory",
                                                target.string()));
    fs::create_directories(target_.parent_path(), error);
    if (error)
        throw std::runtime_error(fmt::format("--out {}: cannot create {}: {}", target.string(),
                                             target_.parent_path().string(), error.message()));
    if (::mkdir(staging_.c_str(), 0777) != 0 && errno != EEXIST)
        throw std::runtime_error(fmt::format("--out {}: cannot create the staging folder {}: {}", target.string(),
                                             staging_.string(), system_error_text(errno)));
    lock_descriptor_ = ::open(staging_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (lock_descriptor_ < 0)
        throw std::runtime_error(fmt::format("--out {}: cannot open the staging folder {}: {}", target.string(),
                                             staging_.string(), system_error_text(errno)));
    // The lock dies with its process, so a folder left by a killed run is free; a running writer's is not. The
    // inode check catches a folder renamed into place by a writer that finished between mkdir and open.
    if (::flock(lock_descriptor_, LOCK_EX | LOCK_NB) != 0 || !same_inode(lock_descriptor_, staging_)) {
        ::close(lock_descriptor_);
        lock_descriptor_ = -1;
        throw std::invalid_argument(fmt::format(
            "--out {}: another doseflow run is writing this directory (its staging folder {} is locked); wait for "
            "it to finish or name another --out", target.string(), staging_.string()));
    }
    try {
        check_target();
        for (const auto& entry : fs::directory_iterator(staging_)) fs::remove_all(entry.path());  // a killed run's
    } catch (...) {
        fs::remove_all(staging_, error);
        ::close(lock_descriptor_);
        throw;
    }
}

void StagedRunDirectory::check_target() const {
    std::error_code error;
    if (!fs::exists(target_, error) || fs::is_empty(target_, error)) return;
    if (!fs::is_directory(target_, error))
        throw std::invalid_argument(fmt::format("--out {}: exists and is not a directory; name a new or empty directory",
                                                target_.string()));
    if (!replace_)
        throw std::invalid_argument(fmt::format("--out {}: the directory is not empty; name a new or empty directory, "
                                                "or add --force to replace the previous run in it", target_.string()));
    if (!fs::is_regular_file(target_ / marker_, error))
        throw std::invalid_argument(fmt::format(
            "--out {}: the directory is not empty and holds no {}, so it is not a previous run of this command; "
            "--force replaces only such a directory as a whole; name a new or empty directory", target_.string(),
            marker_));
}

void StagedRunDirectory::commit() {
    check_target();
    std::error_code error;
    if (::rename(staging_.c_str(), target_.c_str()) != 0) {  // succeeds where the target is missing or empty
        const int failure = errno;
        if ((failure != ENOTEMPTY && failure != EEXIST) || !replace_)
            throw std::runtime_error(fmt::format("--out {}: cannot move the finished run into place: {}",
                                                 target_.string(), system_error_text(failure)));
        if (!exchange(staging_, target_)) {
            const fs::path previous = target_.parent_path() / ("." + target_.filename().string() + ".replaced");
            fs::remove_all(previous, error);
            fs::rename(target_, previous);
            fs::rename(staging_, target_);
            fs::remove_all(previous, error);
        }
        fs::remove_all(staging_, error);  // holds the previous run after the exchange
    }
    committed_ = true;
    ::close(lock_descriptor_);
    lock_descriptor_ = -1;
}

StagedRunDirectory::~StagedRunDirectory() {
    if (!committed_) {
        std::error_code error;
        fs::remove_all(staging_, error);
    }
    if (lock_descriptor_ >= 0) ::close(lock_descriptor_);
}

RunManifest run_manifest(const Scenario& scenario, std::string version, std::string git_revision,
                         const std::vector<std::string>& overrides, bool counterfactual) {
    const auto& simulation = scenario.world().simulation;
    RunManifest manifest;
    manifest.version = std::move(version);
    manifest.git_revision = std::move(git_revision);
    manifest.scenario_name = scenario.name();
    manifest.scenario_sha256 = scenario.sha256();
    manifest.seed = simulation.seed;
    manifest.days = simulation.days();
    manifest.start = simulation.start;
    manifest.end = simulation.end;
    manifest.options["overrides"] = overrides;
    manifest.options["resolution"] = simulation.weekly_output ? "weekly" : "daily";
    manifest.options["counterfactual"] = counterfactual;
    manifest.options["epidemic_mode"] = simulation.stochastic_epidemic ? "stochastic" : "deterministic";
    return manifest;
}

std::string format_number(double value) {
    char text[48];
    return std::string(text, number_to(text, value));
}

const SeriesPoints& timeseries_rows(const Results& results, bool weekly, Recorder& scratch) {
    const Date start = results.recorded->world->simulation.start;
    if (!weekly && results.recorded->series.period_days() > 1)
        throw std::logic_error("timeseries_csv: daily output asked of a run recorded per week");
    // Points are already per period when the run recorded at this resolution; otherwise a weekly recorder sums the
    // daily points into weeks, by the same rule the run records with.
    if (!weekly || results.recorded->series.period_days() == 7) return results.recorded->series.points();
    scratch = Recorder(start, 7);
    for (const auto& point : results.recorded->series.points()) {
        if (point.kind == MetricKind::flow) scratch.flow(point.date, point.key, point.value);
        else scratch.level(point.date, point.key, point.value);
    }
    return scratch.points();
}

namespace {

// A key's component column names the component by number (1-based) when the key has a component but no tag and no
// product to take its name from; otherwise it holds component_text.
bool component_is_number(const SeriesKey& key) { return key.tag.empty() && key.component >= 0 && key.product < 0; }

std::string_view component_text(const World& world, const SeriesKey& key) {
    if (!key.tag.empty()) return key.tag;
    if (key.component >= 0 && key.product >= 0) return world.products[key.product].components[key.component];
    return {};
}

}  // namespace

std::string component_label(const World& world, const SeriesKey& key) {
    if (component_is_number(key)) return fmt::format("{}", key.component + 1);
    return std::string(component_text(world, key));
}

namespace {

template <class Sink>
void write_timeseries(const Results& results, bool weekly, Sink& sink) {
    const World& world = *results.recorded->world;
    Recorder weekly_series;
    const SeriesPoints& rows = timeseries_rows(results, weekly, weekly_series);
    std::string period_text;
    Date period_cached = Date::from_days(-1);
    RowWriter<Sink> out(sink);
    out.put("date,country,product,component,metric,value\n");
    for (const auto& row : rows) {
        if (row.date != period_cached) {
            period_text = row.date.iso();
            period_cached = row.date;
        }
        const auto& key = row.key;
        out.put(period_text);
        out.put(',');
        if (key.country >= 0) out.put(world.countries[key.country].code);
        out.put(',');
        if (key.product >= 0) out.put(world.products[key.product].id);
        out.put(',');
        if (component_is_number(key)) out.put_number(key.component + 1);
        else out.put_field(component_text(world, key));
        out.put(',');
        out.put(key.metric);
        out.put(',');
        out.put_number(row.value);
        out.put('\n');
    }
}

template <class Sink>
void write_deliveries(const Results& results, Sink& sink) {
    const World& world = *results.recorded->world;
    std::string date_text;
    Date date_cached = Date::from_days(-1);
    RowWriter<Sink> out(sink);
    out.put("date,contract,kind,supplier,recipient,product,component,doses\n");
    for (const auto& row : results.recorded->deliveries) {
        const bool has_contract = row.contract.valid() && row.contract.value() < results.recorded->contracts.size();
        const auto& product = world.product(row.product);
        if (row.date != date_cached) {
            date_text = row.date.iso();
            date_cached = row.date;
        }
        out.put(date_text);
        out.put(',');
        if (has_contract) out.put_field(results.recorded->contracts[row.contract].terms.id);
        out.put(',');
        out.put(has_contract ? to_string(results.recorded->contracts[row.contract].terms.channel()) : "domestic");
        out.put(',');
        if (row.supplier.valid()) out.put(world.country(row.supplier).code);
        out.put(',');
        if (row.recipient.valid()) out.put(world.country(row.recipient).code);
        out.put(',');
        out.put(product.id);
        out.put(',');
        out.put_field(product.components[static_cast<std::size_t>(row.component)]);
        out.put(',');
        out.put_number(row.doses);
        out.put('\n');
    }
}

std::string country_code(const World& world, CountryId id) { return id.valid() ? world.country(id).code : ""; }

}  // namespace

std::string timeseries_csv(const Results& results, bool weekly) {
    std::string text;
    text.reserve(results.recorded->series.points().size() * 64);  // the default run's rows average about 54 bytes
    StringSink sink{text};
    write_timeseries(results, weekly, sink);
    return text;
}

std::string deliveries_csv(const Results& results) {
    std::string text;
    text.reserve(results.recorded->deliveries.size() * 96);  // about 77 bytes a row in the default run
    StringSink sink{text};
    write_deliveries(results, sink);
    return text;
}

std::string contracts_csv(const Results& results) {
    const World& world = *results.recorded->world;
    std::string text =
        "contract,kind,supplier,recipient,product,signed,ordered_doses,due_doses,delivered_doses,shortfall_doses,"
        "delivered_component_1,delivered_component_2,wasted_doses,prepaid_usd,refunded_usd,status,first_delivery,"
        "last_delivery\n";
    for (const auto& record : results.recorded->contracts.records) {
        const auto& terms = record.terms;
        const auto component = [&](std::size_t k) {
            return k < record.delivered_by_component.size() ? format_number(record.delivered_by_component[k]) : "";
        };
        fmt::format_to(std::back_inserter(text), "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                       csv::field(terms.id), to_string(terms.kind), country_code(world, terms.supplier),
                       country_code(world, terms.recipient), world.product(terms.product).id, terms.signed_on.iso(),
                       format_number(terms.doses), format_number(record.due_doses),
                       format_number(record.delivered_doses), format_number(record.shortfall_doses()),
                       component(0), component(1),
                       format_number(record.wasted_doses), format_number(terms.prepaid_usd),
                       format_number(record.refunded_usd), to_string(record.status),
                       record.first_delivery ? record.first_delivery->iso() : "",
                       record.last_delivery ? record.last_delivery->iso() : "");
    }
    return text;
}

std::string events_csv(const Results& results) {
    std::string text = "date,kind,supplier,recipient,contract,product,value,detail\n";
    for (const auto& e : results.recorded->events.events())
        fmt::format_to(std::back_inserter(text), "{},{},{},{},{},{},{},{}\n", e.date.iso(), csv::field(e.kind),
                       csv::field(e.supplier), csv::field(e.recipient), csv::field(e.contract), csv::field(e.product),
                       format_number(e.value), csv::field(e.detail));
    return text;
}

std::string diplomacy_csv(const Results& results) {
    const World& world = *results.recorded->world;
    std::string text = "date,buyer,supplier,credibility,influence\n";
    for (const auto& row : results.recorded->diplomacy)
        fmt::format_to(std::back_inserter(text), "{},{},{},{:.6g},{:.6g}\n", row.date.iso(),
                       country_code(world, row.buyer), country_code(world, row.supplier), row.credibility,
                       row.influence);
    return text;
}

nlohmann::ordered_json manifest_json(const RunManifest& manifest) {
    nlohmann::ordered_json m;
    m["version"] = manifest.version;
    m["git_revision"] = manifest.git_revision;
    m["scenario_name"] = manifest.scenario_name;
    m["scenario_sha256"] = manifest.scenario_sha256;
    m["seed"] = manifest.seed;
    m["days"] = manifest.days;
    m["start"] = manifest.start.iso();
    m["end"] = manifest.end.iso();
    m["options"] = manifest.options;
    return m;
}

void write_run_directory(const std::filesystem::path& dir, const Results& results, const RunManifest& manifest,
                         const nlohmann::ordered_json& figures, const WriteOptions& options) {
    nlohmann::ordered_json tables = nlohmann::ordered_json::object();
    const auto write_table = [&](const char* name, const std::string& text) {
        write_file_atomically(dir / name, text);
        tables[name] = {{"bytes", text.size()}, {"lines", std::count(text.begin(), text.end(), '\n')}};
    };
    // The two long tables go to their files as they are formed, not held whole in memory first.
    const auto stream_table = [&](const char* name, const auto& write) {
        std::size_t bytes = 0, lines = 0;
        write_file_atomically(dir / name, [&](std::ostream& out) {
            StreamSink sink{out};
            write(sink);
            bytes = sink.bytes;
            lines = sink.lines;
        });
        tables[name] = {{"bytes", bytes}, {"lines", lines}};
    };
    stream_table("timeseries.csv", [&](StreamSink& sink) { write_timeseries(results, options.weekly, sink); });
    {
        // A weekly table whose span is not whole weeks ends in a shorter week: its sums cover fewer days.
        const auto& simulation = results.recorded->world->simulation;
        const int period_days = options.weekly ? 7 : 1;
        const int days = simulation.end - simulation.start + 1;
        const int last_days = days % period_days == 0 ? period_days : days % period_days;
        auto& timeseries = tables["timeseries.csv"];
        timeseries["period_days"] = period_days;
        timeseries["last_period_start"] = (simulation.end - (last_days - 1)).iso();
        timeseries["last_period_days"] = last_days;
        timeseries["last_period_partial"] = last_days < period_days;
    }
    stream_table("deliveries.csv", [&](StreamSink& sink) { write_deliveries(results, sink); });
    write_table("contracts.csv", contracts_csv(results));
    write_table("events.csv", events_csv(results));
    write_table("diplomacy.csv", diplomacy_csv(results));
    // The merged scenario (extends resolved, overrides applied): `doseflow run scenario.toml --seed N` repeats
    // the run byte for byte.
    if (!options.scenario_toml.empty()) write_file_atomically(dir / "scenario.toml", options.scenario_toml);
    nlohmann::ordered_json summary;
    summary["manifest"] = manifest_json(manifest);
    summary["figures"] = figures;
    summary["tables"] = tables;
    // summary.json last: its presence marks a complete run directory.
    write_file_atomically(dir / "summary.json", summary.dump(2) + "\n");
}

}  // namespace doseflow::output
