#include "epidemic/integrator.hpp"

#include <cmath>

namespace doseflow::epidemic {
namespace {

// Scans the negative real axis in steps of 1/1000 for the first point where the method stops damping a decay.
ButcherTableau with_stability_limit(ButcherTableau tableau) {
    double z = 0.0;
    while (z < 100.0 && std::abs(stability_function(tableau, z + 1e-3)) <= 1.0) z += 1e-3;
    tableau.real_stability_limit = z;
    return tableau;
}

}  // namespace

double stability_function(const ButcherTableau& t, double z) {
    // The method applied to x' = -x with step z from x = 1: stage values k_i = -(1 + z sum_j a_ij k_j).
    std::vector<double> k(static_cast<std::size_t>(t.stages), 0.0);
    double x = 1.0;
    for (int i = 0; i < t.stages; ++i) {
        double input = 1.0;
        for (int j = 0; j < i; ++j) input += z * t.a[i][j] * k[j];
        k[i] = -input;
        x += z * t.b[i] * k[i];
    }
    return x;
}

const ButcherTableau& classical_rk4_tableau() {
    static const ButcherTableau tableau = with_stability_limit({4, {{}, {0.5}, {0.0, 0.5}, {0.0, 0.0, 1.0}}, {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6}});
    return tableau;
}

const ButcherTableau& dormand_prince5_tableau() {
    static const ButcherTableau tableau = with_stability_limit({
        6,
        {{},
         {1.0 / 5},
         {3.0 / 40, 9.0 / 40},
         {44.0 / 45, -56.0 / 15, 32.0 / 9},
         {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
         {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656}},
        {35.0 / 384, 0.0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}});
    return tableau;
}

const ButcherTableau& fehlberg78_tableau() {
    static const ButcherTableau tableau = with_stability_limit({
        13,
        {{},
         {2.0 / 27},
         {1.0 / 36, 1.0 / 12},
         {1.0 / 24, 0.0, 1.0 / 8},
         {5.0 / 12, 0.0, -25.0 / 16, 25.0 / 16},
         {1.0 / 20, 0.0, 0.0, 1.0 / 4, 1.0 / 5},
         {-25.0 / 108, 0.0, 0.0, 125.0 / 108, -65.0 / 27, 125.0 / 54},
         {31.0 / 300, 0.0, 0.0, 0.0, 61.0 / 225, -2.0 / 9, 13.0 / 900},
         {2.0, 0.0, 0.0, -53.0 / 6, 704.0 / 45, -107.0 / 9, 67.0 / 90, 3.0},
         {-91.0 / 108, 0.0, 0.0, 23.0 / 108, -976.0 / 135, 311.0 / 54, -19.0 / 60, 17.0 / 6, -1.0 / 12},
         {2383.0 / 4100, 0.0, 0.0, -341.0 / 164, 4496.0 / 1025, -301.0 / 82, 2133.0 / 4100, 45.0 / 82, 45.0 / 164,
          18.0 / 41},
         {3.0 / 205, 0.0, 0.0, 0.0, 0.0, -6.0 / 41, -3.0 / 205, -3.0 / 41, 3.0 / 41, 6.0 / 41, 0.0},
         {-1777.0 / 4100, 0.0, 0.0, -341.0 / 164, 4496.0 / 1025, -289.0 / 82, 2193.0 / 4100, 51.0 / 82, 33.0 / 164,
          12.0 / 41, 0.0, 1.0}},
        {0.0, 0.0, 0.0, 0.0, 0.0, 34.0 / 105, 9.0 / 35, 9.0 / 35, 9.0 / 280, 9.0 / 280, 0.0, 41.0 / 840, 41.0 / 840}});
    return tableau;
}

}  // namespace doseflow::epidemic
