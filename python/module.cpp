// The extension module doseflow._core that `make python` installs.
#include "bindings.hpp"

PYBIND11_MODULE(_core, module) { doseflow::python::define_core(module); }
