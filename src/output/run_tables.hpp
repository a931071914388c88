#pragma once
// Reading a run directory's tables back (for `doseflow report` and `doseflow compare`): a streaming CSV reader
// whose errors name the file and line, and the embedded country tables.
#include <cstddef>
#include <filesystem>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/date.hpp"
#include "doseflow/run_directory.hpp"
#include "core/csv.hpp"

namespace doseflow::output {

// Reads an RFC 4180 CSV table (header row, comma-separated, fields quoted with "" where they hold a comma, a
// quote or a line break) one record at a time, so that a daily timeseries of a few million rows never sits in
// memory. Every error is a std::runtime_error starting "<source>:<line>: ".
class CsvReader {
public:
    // Throws when the file cannot be opened or has no header row.
    static CsvReader open(const std::filesystem::path& path);
    // Reads text held in memory (an embedded table); `source_name` names it in messages.
    static CsvReader from_text(std::string source_name, std::string_view text);

    // The index of a header column; throws "<source>:1: missing column 'name' (columns: ...)".
    std::size_t column(std::string_view name) const;
    std::optional<std::size_t> find_column(std::string_view name) const;

    // Moves to the next record; false at the end. Blank lines are skipped. Throws when a record has a different
    // number of fields than the header or an unterminated quote.
    bool next();

    std::string_view text(std::size_t column) const;
    // A finite number; throws naming the column and the text when it is empty or not a number.
    double number(std::size_t column) const;
    // As number(), but an empty field is "not given".
    std::optional<double> optional_number(std::size_t column) const;
    // A YYYY-MM-DD date; throws naming the column and the text otherwise.
    Date date(std::size_t column) const;
    std::optional<Date> optional_date(std::size_t column) const;

    int line() const { return record_line_; }  // 1-based line where the current record starts
    const std::string& source() const { return source_; }
    [[noreturn]] void fail(std::string_view message) const;  // throws "<source>:<line>: message"

private:
    CsvReader(std::string source, std::unique_ptr<std::istream> input);
    bool read_record(std::vector<std::string>& fields);

    std::string source_;
    csv::RecordReader records_;
    std::vector<std::string> header_;
    std::vector<std::string> fields_;
    int record_line_ = 0;
};

// The tables of a run directory, in the order the writer writes them.
inline constexpr const char* run_table_names[] = {"timeseries.csv", "deliveries.csv", "contracts.csv", "events.csv",
                                                  "diplomacy.csv"};

// Reads a whole file; throws std::runtime_error naming the path when it cannot.
std::string read_text_file(const std::filesystem::path& path);

// A table compiled into the binary from data/ (e.g. "observed/deaths_monthly.csv"); throws std::runtime_error
// when this build lacks it.
CsvReader embedded_table(std::string_view name);

// Rows of the embedded data/tables/countries.csv that the report and the comparison need.
struct CountryInfo {
    std::string name;
    std::string income_group;
    double population = 0.0;  // persons on 1 July 2020 (WPP 2019), the sum of the age bands
};
std::unordered_map<std::string, CountryInfo> embedded_countries();

// ISO 3166-1 alpha-3 -> ISO 3166-1 numeric as a three-digit string (embedded data/tables/iso_numeric.csv).
std::unordered_map<std::string, std::string> embedded_iso_numeric_codes();

using DatedValues = std::map<Date, double>;

// One per-country metric of timeseries.csv. A country's rows without a product are its total; where a country
// has none, the sum of its per-product rows stands in (a writer may break a metric down by product only).
class CountrySeries {
public:
    void add(const std::string& country, bool has_product, Date date, double value) {
        (has_product ? by_product_sum_ : total_)[country][date] += value;
    }
    std::map<std::string, DatedValues> resolved() const;

private:
    std::map<std::string, std::map<Date, double>> total_, by_product_sum_;
};

// Persons per country: the run's own `population` metric (its value at the first date, `run_population`) where
// given, else the embedded WPP 2019 table. Countries with neither are listed in `missing`.
struct CountryPopulation {
    std::map<std::string, double> persons;
    std::vector<std::string> missing;
};
CountryPopulation resolve_population(const std::vector<std::string>& run_countries,
                                     const std::map<std::string, double>& run_population,
                                     const std::unordered_map<std::string, CountryInfo>& countries);

// Last day of the month of `date`.
Date month_end(Date date);

}  // namespace doseflow::output
