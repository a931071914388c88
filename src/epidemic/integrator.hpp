#pragma once
// Explicit Runge-Kutta tableaux of the epidemic integrator, and the linear stability limit of each (how large a
// step h x rate a pure decay may take before the method amplifies instead of damping it).
#include <cstddef>
#include <utility>
#include <vector>

namespace doseflow::epidemic {

struct ButcherTableau {
    int stages = 0;
    std::vector<std::vector<double>> a;  // a[i][j], j < i
    std::vector<double> b;               // weights of the solution
    // The largest z > 0 such that the method is stable on x' = -r x for every h r <= z (the negative real axis
    // of its stability region): 2.785 for classical RK4, 3.307 for Dormand-Prince 5. Computed from a and b.
    double real_stability_limit = 0.0;
};

// Classical fourth-order Runge-Kutta.
const ButcherTableau& classical_rk4_tableau();
// Dormand-Prince 5(4), fifth-order weights (Dormand & Prince 1980, J Comput Appl Math 6:19), six stages (the
// seventh only serves the error estimate of adaptive use).
const ButcherTableau& dormand_prince5_tableau();
// Runge-Kutta-Fehlberg 7(8), eighth-order weights (Fehlberg 1968, NASA TR R-287; coefficients as in
// Boost.Odeint's runge_kutta_fehlberg78).
const ButcherTableau& fehlberg78_tableau();

using IndexRanges = std::vector<std::pair<std::size_t, std::size_t>>;  // [begin, end)

// The amplification factor of one step of the method on x' = -r x with h r = z (its stability function at -z).
double stability_function(const ButcherTableau& tableau, double z);

}  // namespace doseflow::epidemic
