// Runs pytest in an interpreter embedded in this program, with doseflow._core compiled in. The test build is
// sanitized (ASan + UBSan), and ASan must be the first library of the process: as a program of its own the
// sanitizer runtime comes first without preloading it into /usr/bin/python3, and the libraries stay as they are
// (position-dependent code cannot go into a shared extension module; `make python` builds that separately).
// Arguments are pytest's.
#include <pybind11/embed.h>

#include "bindings.hpp"

namespace py = pybind11;

PYBIND11_EMBEDDED_MODULE(_doseflow_core, module) { doseflow::python::define_core(module); }

int main(int argc, char** argv) {
    py::scoped_interpreter interpreter{true, argc, argv};
    try {
        // `from . import _core` in doseflow/__init__.py finds the compiled-in module here.
        py::module_::import("sys").attr("modules")["doseflow._core"] = py::module_::import("_doseflow_core");
        py::list arguments;
        for (int i = 1; i < argc; ++i) arguments.append(argv[i]);
        return py::module_::import("pytest").attr("main")(arguments).cast<int>();
    } catch (const py::error_already_set& error) {
        py::print("doseflow_python_tests:", error.what());
        return 1;
    }
}
