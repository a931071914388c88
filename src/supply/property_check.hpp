#pragma once
// Runs a rapidcheck property inside a GoogleTest test with a chosen number of cases (RC_PARAMS may still set the
// seed), failing the test with rapidcheck's report (the shrunk counterexample) when the property fails.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <sstream>
#include <string>

namespace doseflow::supply::testing {

template <class Testable>
void check_property(int cases, Testable&& testable) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    rc::detail::TestMetadata metadata;
    metadata.id = std::string(info->test_suite_name()) + "/" + info->name();
    metadata.description = info->name();
    rc::detail::TestParams params = rc::detail::configuration().testParams;
    params.maxSuccess = cases;
    params.maxSize = 100;
    const auto result = rc::detail::checkTestable(std::forward<Testable>(testable), metadata, params);
    if (!result.template is<rc::detail::SuccessResult>()) {
        std::ostringstream report;
        rc::detail::printResultMessage(result, report);
        FAIL() << report.str();
    }
}

}  // namespace doseflow::supply::testing
