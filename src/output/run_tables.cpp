#include "output/run_tables.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/embedded.hpp"

namespace doseflow::output {

namespace {

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += ", ";
        out += item;
    }
    return out;
}

std::string_view embedded_or_throw(std::string_view name) {
    const auto contents = embedded_file(name);
    if (!contents) throw std::runtime_error(fmt::format("embedded table {} is missing from this build", name));
    return *contents;
}

}  // namespace

CsvReader::CsvReader(std::string source, std::unique_ptr<std::istream> input)
    : source_(std::move(source)), records_(std::move(input)) {
    if (!read_record(header_)) {
        record_line_ = 1;
        fail("empty file: expected a header row");
    }
    for (auto& name : header_)  // tolerate a UTF-8 byte order mark and CR line ends
        if (!name.empty() && name.back() == '\r') name.pop_back();
    if (!header_.empty() && header_.front().starts_with("\xEF\xBB\xBF")) header_.front().erase(0, 3);
}

CsvReader CsvReader::open(const std::filesystem::path& path) {
    auto input = std::make_unique<std::ifstream>(path, std::ios::binary);
    if (!*input) throw std::runtime_error(fmt::format("{}: cannot open (missing or unreadable)", path.string()));
    return CsvReader(path.string(), std::move(input));
}

CsvReader CsvReader::from_text(std::string source_name, std::string_view text) {
    return CsvReader(std::move(source_name), std::make_unique<std::istringstream>(std::string(text)));
}

std::optional<std::size_t> CsvReader::find_column(std::string_view name) const {
    for (std::size_t i = 0; i < header_.size(); ++i)
        if (header_[i] == name) return i;
    return std::nullopt;
}

std::size_t CsvReader::column(std::string_view name) const {
    if (const auto index = find_column(name)) return *index;
    throw std::runtime_error(
        fmt::format("{}:1: missing column '{}' (columns: {})", source_, name, join(header_)));
}

// Reads one record, which may span lines where a quoted field holds a line break (RFC 4180).
bool CsvReader::read_record(std::vector<std::string>& fields) {
    try {
        const bool found = records_.next(fields);
        record_line_ = records_.line();
        return found;
    } catch (const csv::ParseError& error) {
        record_line_ = error.line();
        fail(error.what());
    }
}

bool CsvReader::next() {
    if (!read_record(fields_)) return false;
    if (fields_.size() != header_.size())
        fail(fmt::format("{} fields, expected {} ({})", fields_.size(), header_.size(), join(header_)));
    return true;
}

std::string_view CsvReader::text(std::size_t column) const { return fields_.at(column); }

std::optional<double> CsvReader::optional_number(std::size_t column) const {
    const std::string_view field = text(column);
    if (field.empty()) return std::nullopt;
    double value = 0.0;
    const char* first = field.data();
    const char* last = field.data() + field.size();
    if (*first == '+') ++first;  // from_chars rejects a leading plus
    const auto [end, error] = std::from_chars(first, last, value);
    if (error != std::errc() || end != last || !std::isfinite(value))
        fail(fmt::format("column '{}': '{}' is not a finite number", header_[column], field));
    return value;
}

double CsvReader::number(std::size_t column) const {
    if (const auto value = optional_number(column)) return *value;
    fail(fmt::format("column '{}' is empty, expected a number", header_[column]));
}

std::optional<Date> CsvReader::optional_date(std::size_t column) const {
    const std::string_view field = text(column);
    if (field.empty()) return std::nullopt;
    if (const auto value = Date::parse(field)) return value;
    fail(fmt::format("column '{}': '{}' is not a date (YYYY-MM-DD)", header_[column], field));
}

Date CsvReader::date(std::size_t column) const {
    if (const auto value = optional_date(column)) return *value;
    fail(fmt::format("column '{}' is empty, expected a date (YYYY-MM-DD)", header_[column]));
}

void CsvReader::fail(std::string_view message) const {
    throw std::runtime_error(fmt::format("{}:{}: {}", source_, record_line_, message));
}

void verify_run_directory(const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    std::error_code error;
    if (!fs::is_directory(dir, error))
        throw std::runtime_error(fmt::format("{}: not a run directory (missing or not a folder)", dir.string()));
    const fs::path summary_path = dir / "summary.json";
    if (!fs::is_regular_file(summary_path, error))
        throw std::runtime_error(fmt::format(
            "{}: not a whole run directory: summary.json is missing (the run was interrupted, or the folder holds no "
            "run); run `doseflow run --out {}` again", dir.string(), dir.string()));
    nlohmann::json summary;
    try {
        summary = nlohmann::json::parse(read_text_file(summary_path));
    } catch (const nlohmann::json::exception& failure) {
        throw std::runtime_error(fmt::format("{}: malformed JSON: {}", summary_path.string(), failure.what()));
    }
    for (const char* key : {"manifest", "figures", "tables"})
        if (!summary.is_object() || !summary.contains(key) || !summary[key].is_object())
            throw std::runtime_error(fmt::format("{}: expected an object with a \"{}\" object (written by doseflow run)",
                                                 summary_path.string(), key));
    const auto& tables = summary["tables"];
    for (const char* name : run_table_names) {
        const fs::path path = dir / name;
        if (!tables.contains(name) || !tables[name].is_object() || !tables[name].contains("bytes") ||
            !tables[name]["bytes"].is_number_unsigned())
            throw std::runtime_error(fmt::format("{}: \"tables\" records no size for {}", summary_path.string(), name));
        const auto expected = tables[name]["bytes"].get<std::uintmax_t>();
        const auto size = fs::file_size(path, error);
        if (error)
            throw std::runtime_error(fmt::format("{}: missing from the run directory ({})", path.string(),
                                                 error.message()));
        if (size != expected)
            throw std::runtime_error(fmt::format(
                "{}: {} bytes where summary.json records {}: the table was cut short or changed after the run",
                path.string(), size, expected));
    }
}

std::string read_text_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(fmt::format("{}: cannot open (missing or unreadable)", path.string()));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

CsvReader embedded_table(std::string_view name) {
    return CsvReader::from_text(std::string(name), embedded_or_throw(name));
}

std::unordered_map<std::string, CountryInfo> embedded_countries() {
    auto reader = embedded_table("tables/countries.csv");
    const auto code = reader.column("code");
    const auto name = reader.column("name");
    const auto income_group = reader.column("income_group");
    std::vector<std::size_t> bands;
    for (int lower_years = 0; lower_years <= 75; lower_years += 5)
        bands.push_back(reader.column(fmt::format("pop_{}", lower_years)));
    std::unordered_map<std::string, CountryInfo> countries;
    while (reader.next()) {
        CountryInfo info{std::string(reader.text(name)), std::string(reader.text(income_group)), 0.0};
        for (const auto band : bands) info.population += reader.number(band);
        countries.emplace(reader.text(code), std::move(info));
    }
    return countries;
}

std::unordered_map<std::string, std::string> embedded_iso_numeric_codes() {
    auto reader = CsvReader::from_text("tables/iso_numeric.csv", embedded_or_throw("tables/iso_numeric.csv"));
    const auto code = reader.column("code");
    const auto numeric = reader.column("numeric");
    std::unordered_map<std::string, std::string> codes;
    while (reader.next()) codes.emplace(reader.text(code), reader.text(numeric));
    return codes;
}

std::map<std::string, DatedValues> CountrySeries::resolved() const {
    std::map<std::string, DatedValues> out = total_;
    for (const auto& [country, values] : by_product_sum_)
        if (!out.contains(country)) out.emplace(country, values);
    return out;
}

CountryPopulation resolve_population(const std::vector<std::string>& run_countries,
                                     const std::map<std::string, double>& run_population,
                                     const std::unordered_map<std::string, CountryInfo>& countries) {
    CountryPopulation out;
    for (const auto& country : run_countries) {
        if (country.empty()) continue;  // world rows
        if (const auto at = run_population.find(country); at != run_population.end() && at->second > 0.0) {
            out.persons[country] = at->second;
        } else if (const auto info = countries.find(country); info != countries.end() && info->second.population > 0.0) {
            out.persons[country] = info->second.population;
        } else {
            out.missing.push_back(country);
        }
    }
    return out;
}

Date month_end(Date date) {
    const int next_month = date.month() == 12 ? 1 : date.month() + 1;
    const int next_year = date.month() == 12 ? date.year() + 1 : date.year();
    return Date::from_ymd(next_year, next_month, 1) - 1;
}

}  // namespace doseflow::output
