#pragma once
// Text for HTML pages written by doseflow (reports, ensemble and sensitivity pages, the fit report).
#include <string>
#include <string_view>

namespace doseflow::output {

// `text` with &, <, >, " and ' written as character references: safe in element text and quoted attributes.
std::string html_escape(std::string_view text);

}  // namespace doseflow::output
