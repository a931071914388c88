// Writes the HTML report of a run directory: the browser test's way to make a page without the doseflow CLI.
// Usage: doseflow_report_fixture RUN_DIR HTML_OUT
#include <cstdio>
#include <exception>

#include "output/report.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s RUN_DIR HTML_OUT\n", argv[0]);
        return 2;
    }
    try {
        doseflow::output::write_report(argv[1], argv[2]);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "doseflow_report_fixture: %s\n", error.what());
        return 1;
    }
    return 0;
}
