#pragma once
// Spectral radius of a nonnegative square matrix (the dominant eigenvalue of a next-generation matrix).
#include <vector>

namespace doseflow::epidemic {

// Perron root of the n x n nonnegative matrix `m` (row-major), to about 1e-14 relative. Uses power iteration on
// m + I (which has the same Perron vector and is primitive when m is irreducible) and stops when the
// Collatz-Wielandt bounds min_i (Ax)_i / x_i <= rho <= max_i (Ax)_i / x_i agree; falls back to a general
// eigen-solver when they do not converge (reducible or nearly periodic matrices). Throws std::invalid_argument
// for negative entries or a size mismatch.
double spectral_radius(const std::vector<double>& m, int n);

// The same through Eigen's general eigen-solver (the maximum eigenvalue modulus); the reference for tests.
double spectral_radius_eigen(const std::vector<double>& m, int n);

// Next-generation matrix K_ij = susceptibility_i * contacts_ij * infectious_days (Bubar et al. 2021 after
// Davies et al. 2020; similar to the population-weighted NGM, so it has the same spectral radius).
std::vector<double> next_generation_matrix(const std::vector<double>& contacts, const std::vector<double>& susceptibility,
                                           double infectious_days);

}  // namespace doseflow::epidemic
