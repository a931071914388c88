// Tests of the comparison of a run's deliveries with published delivery figures; expected sums worked out by hand
// in the comments.
#include "output/delivery_compare.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace doseflow::output {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

fs::path temp_dir() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    const fs::path path = fs::temp_directory_path() /
                          (std::string("doseflow-deliveries-") + test->name() + "-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
    return path;
}

std::string read(const fs::path& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

constexpr std::string_view header = "id,supplier,route,recipient,product,component,date,doses,source,url\n";

std::string error_of(std::string_view rows) {
    try {
        read_observed_deliveries("t.csv", std::string(header) + std::string(rows));
    } catch (const std::runtime_error& error) {
        return error.what();
    }
    return "";
}

TEST(ObservedDeliveries, BadRowsNameTheLineAndWhatWouldBeValid) {
    EXPECT_THAT(error_of("a,RUS,shipped,ARG,*,*,2021-03-01,5,src,u\n"),
                HasSubstr("t.csv:2: column 'route': 'shipped' is not a route; expected one of sale"));
    EXPECT_THAT(error_of("a,RUS,sale,ARG,*,*,2021-03-01,5,src,u\na,RUS,sale,ARG,*,*,2021-03-02,5,src,u\n"),
                HasSubstr("t.csv:3: id 'a' appears twice"));
    EXPECT_THAT(error_of("a,Russia,sale,ARG,*,*,2021-03-01,5,src,u\n"), HasSubstr("t.csv:2: 'Russia' is not a country"));
    EXPECT_THAT(error_of("a,RUS,sale,ARG,*,*,2021-03-01,0,src,u\n"), HasSubstr("not a positive dose count"));
    EXPECT_THAT(error_of("a,RUS,sale,ARG,*,*,2021-03-01,5,,u\n"), HasSubstr("must name the outlet"));
    EXPECT_THAT(error_of("a,RUS,sale,ARG,*,*,2021-02-30,5,src,u\n"), HasSubstr("t.csv:2:"));
    EXPECT_EQ(error_of("a,RUS,sale,ARG,*,*,2021-03-01,5,src,u\n"), "");
}

TEST(ObservedDeliveries, EmbeddedTableIsReadableAndEveryRowHasASource) {
    const auto& rows = embedded_observed_deliveries();
    ASSERT_GE(rows.size(), 25u);
    for (const auto& row : rows) {
        EXPECT_FALSE(row.source.empty()) << row.id;
        EXPECT_THAT(row.url, ::testing::StartsWith("http")) << row.id;
    }
}

TEST(DeliveryComparison, SumsTheMatchingDeliveriesUpToEachDateAndCountsThoseWithin25Percent) {
    const fs::path dir = temp_dir();
    std::ofstream(dir / "deliveries.csv")
        << "date,contract,kind,supplier,recipient,product,component,doses\n"
           "2021-02-01,arg,sale,RUS,ARG,sputnik_v,rAd26,100\n"
           "2021-02-10,arg,sale,RUS,ARG,sputnik_v,rAd5,50\n"
           "2021-02-10,,domestic,ARG,ARG,sputnik_v,rAd26,30\n"
           "2021-02-11,c,covax,IND,NGA,astrazeneca,ChAdOx1-S,400\n"
           "2021-03-01,arg,sale,RUS,ARG,sputnik_v,rAd26,1000\n";
    std::ofstream(dir / "summary.json") << R"({"manifest": {"start": "2021-01-01", "end": "2021-06-30"}})";
    const auto observed = read_observed_deliveries(
        "t.csv", std::string(header) +
                     // sale RUS->ARG by 10 Feb: 100 + 50 = 150 (the 1 Mar row is later); 150/160 = 0.94: within
                     "a,RUS,sale,ARG,sputnik_v,*,2021-02-10,160,s,u\n"
                     // component 2 only: 50; 50/100 = 0.5: not within
                     "b,RUS,exports,ARG,*,rAd5,2021-03-31,100,s,u\n"
                     // any route into ARG by 1 Mar: 100 + 50 + 30 + 1000 = 1180; 1180/1000 = 1.18: within
                     "c,*,any,ARG,sputnik_v,*,2021-03-01,1000,s,u\n"
                     // exports leave out ARG's home programme: 1150/1000 = 1.15
                     "d,*,exports,ARG,*,*,2021-03-01,1000,s,u\n"
                     // COVAX anywhere: 400/300 = 1.33: not within
                     "e,*,covax,*,*,*,2021-06-30,300,s,u\n"
                     // after the run's end: listed, not counted
                     "f,*,covax,*,*,*,2021-07-01,300,s,u\n");
    const auto comparison = compare_deliveries(dir, observed);
    ASSERT_EQ(comparison.rows.size(), 6u);
    EXPECT_DOUBLE_EQ(comparison.rows[0].simulated, 150.0);
    EXPECT_TRUE(comparison.rows[0].within_25pct());
    EXPECT_DOUBLE_EQ(comparison.rows[1].simulated, 50.0);
    EXPECT_FALSE(comparison.rows[1].within_25pct());
    EXPECT_DOUBLE_EQ(comparison.rows[2].simulated, 1180.0);
    EXPECT_DOUBLE_EQ(comparison.rows[3].simulated, 1150.0);
    EXPECT_DOUBLE_EQ(comparison.rows[4].simulated, 400.0);
    EXPECT_FALSE(comparison.rows[4].within_25pct());
    EXPECT_FALSE(comparison.rows[5].covered);
    EXPECT_EQ(comparison.compared, 5u);
    EXPECT_EQ(comparison.within_25pct, 3u);
    EXPECT_THAT(format_delivery_comparison(comparison), HasSubstr("within 25%: 3 of 5 figures (60%)"));
    EXPECT_THAT(comparison.notes.at(0), HasSubstr("f (2021-07-01) lies outside the run"));

    write_delivery_comparison_csv(comparison, dir);
    const std::string csv = read(dir / "compare_deliveries.csv");
    EXPECT_THAT(csv, HasSubstr("a,RUS,sale,ARG,sputnik_v,*,2021-02-10,160,150,0.9375,true,\"s\",\"u\"\n"));
    EXPECT_THAT(csv, HasSubstr("f,*,covax,*,*,*,2021-07-01,300,,,,\"s\",\"u\"\n"));
    fs::remove_all(dir);
}

TEST(DeliveryComparison, MalformedDeliveriesNameTheFileAndLine) {
    const fs::path dir = temp_dir();
    std::ofstream(dir / "deliveries.csv") << "date,contract,kind,supplier,recipient,product,component,doses\n"
                                             "2021-02-01,arg,sale,RUS,ARG,sputnik_v,rAd26,many\n";
    try {
        compare_deliveries(dir, embedded_observed_deliveries());
        FAIL() << "expected an error";
    } catch (const std::runtime_error& error) {
        EXPECT_THAT(error.what(), HasSubstr("deliveries.csv:2:"));
    }
    fs::remove_all(dir);
}

}  // namespace
}  // namespace doseflow::output
