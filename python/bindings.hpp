#pragma once
// The functions and classes of doseflow._core, added to a module (the extension's or the test host's).
#include <pybind11/pybind11.h>

namespace doseflow::python {

void define_core(pybind11::module_& module);

}  // namespace doseflow::python
