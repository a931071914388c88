#pragma once
// A run's deliveries against delivery figures published during 2021 (news agencies, health ministries, Gavi,
// UNICEF and WHO releases, the Bridge Consulting tracker of Chinese vaccines): each published figure is a
// cumulative count of doses that one route brought to one recipient (or to all) by a date, and the run's
// deliveries.csv is summed the same way. The table is data/observed/deliveries.csv, embedded in the binary;
// its format and the rule for "within 25%" are in docs/report.md.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"

namespace doseflow::output {

// Which deliveries a published figure counts. "exports" are all deliveries that are not a producer's own home
// programme (sale, donation, covax); "any" also counts the home programme (e.g. a country's own production).
enum class DeliveryRoute { sale, donation, covax, domestic, exports, any };

std::string_view to_string(DeliveryRoute route);

struct ObservedDelivery {
    std::string id;         // short unique name, e.g. "covax_2021_12_30"
    std::string supplier;   // ISO3 of the supplying (shipping) country, or "*" for any
    DeliveryRoute route = DeliveryRoute::exports;
    std::string recipient;  // ISO3, or "*" for any
    std::string product;    // doseflow product id, or "*" for any
    std::string component;  // component name (e.g. "rAd26"), or "*" for all of the course's components
    Date date;              // cumulative through this day (deliveries arriving on it included)
    double doses = 0.0;     // the published cumulative figure
    std::string source;     // outlet and date of publication
    std::string url;
    int line = 0;           // line in the table, for messages
};

// Reads a table with the columns id,supplier,route,recipient,product,component,date,doses,source,url; throws
// std::runtime_error "<source>:<line>: ..." naming what would be valid for a bad row (an unknown route, a
// duplicate id, a non-positive dose count, a missing source or address).
std::vector<ObservedDelivery> read_observed_deliveries(std::string source_name, std::string_view text);

// The embedded data/observed/deliveries.csv.
const std::vector<ObservedDelivery>& embedded_observed_deliveries();

struct DeliveryComparisonRow {
    const ObservedDelivery* observed = nullptr;
    double simulated = 0.0;
    bool covered = false;  // the run's days include the figure's date
    double ratio() const { return observed->doses > 0.0 ? simulated / observed->doses : 0.0; }
    // |simulated / observed - 1| <= 0.25
    bool within_25pct() const { return covered && ratio() >= 0.75 && ratio() <= 1.25; }
};

struct DeliveryComparison {
    std::vector<DeliveryComparisonRow> rows;  // in the table's order
    std::size_t compared = 0;                 // rows whose date the run covers
    std::size_t within_25pct = 0;
    std::vector<std::string> notes;
};

// Sums run_dir/deliveries.csv (date,contract,kind,supplier,recipient,product,component,doses) for every
// figure. The run's span is summary.json's manifest start and end (the deliveries' own dates where there is no
// summary); a figure dated outside it is listed but not counted. Throws std::runtime_error naming the file and
// line of a malformed deliveries.csv.
DeliveryComparison compare_deliveries(const std::filesystem::path& run_dir,
                                      const std::vector<ObservedDelivery>& observed);

// Every figure: simulated, published, the ratio, whether within 25%; then the count.
std::string format_delivery_comparison(const DeliveryComparison& comparison);

// compare_deliveries.csv: id,supplier,route,recipient,product,component,date,observed,simulated,ratio,
// within_25pct,source,url
void write_delivery_comparison_csv(const DeliveryComparison& comparison, const std::filesystem::path& run_dir);

}  // namespace doseflow::output
