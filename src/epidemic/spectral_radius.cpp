#include "epidemic/spectral_radius.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <Eigen/Eigenvalues>

namespace doseflow::epidemic {
namespace {

void check(const std::vector<double>& m, int n) {
    if (n <= 0 || m.size() != static_cast<std::size_t>(n) * static_cast<std::size_t>(n))
        throw std::invalid_argument("spectral_radius: the matrix must have n x n entries");
    for (double value : m)
        if (!(value >= 0.0)) throw std::invalid_argument("spectral_radius: entries must be nonnegative and finite");
}

}  // namespace

double spectral_radius_eigen(const std::vector<double>& m, int n) {
    if (n <= 0 || m.size() != static_cast<std::size_t>(n) * static_cast<std::size_t>(n))
        throw std::invalid_argument("spectral_radius_eigen: the matrix must have n x n entries");
    Eigen::MatrixXd a(n, n);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) a(i, j) = m[static_cast<std::size_t>(i * n + j)];
    const Eigen::EigenSolver<Eigen::MatrixXd> solver(a, false);
    return solver.eigenvalues().cwiseAbs().maxCoeff();
}

double spectral_radius(const std::vector<double>& m, int n) {
    check(m, n);
    const auto size = static_cast<std::size_t>(n);
    std::vector<double> x(size, 1.0), y(size);
    constexpr int max_iterations = 20000;
    constexpr double tolerance = 1e-14;
    for (int iteration = 0; iteration < max_iterations; ++iteration) {
        double low = std::numeric_limits<double>::infinity();
        double high = 0.0;
        double norm = 0.0;
        bool positive = true;
        for (std::size_t i = 0; i < size; ++i) {
            double sum = x[i];  // the shift by I
            for (std::size_t j = 0; j < size; ++j) sum += m[i * size + j] * x[j];
            y[i] = sum;
            if (x[i] <= 0.0) {
                positive = false;
            } else {
                low = std::min(low, sum / x[i]);
                high = std::max(high, sum / x[i]);
            }
            norm = std::max(norm, sum);
        }
        if (positive && high - low <= tolerance * high) return 0.5 * (low + high) - 1.0;
        if (norm == 0.0) break;
        for (std::size_t i = 0; i < size; ++i) x[i] = y[i] / norm;
    }
    return spectral_radius_eigen(m, n);
}

std::vector<double> next_generation_matrix(const std::vector<double>& contacts, const std::vector<double>& susceptibility,
                                           double infectious_days) {
    const auto n = susceptibility.size();
    if (contacts.size() != n * n)
        throw std::invalid_argument("next_generation_matrix: contacts must be bands x bands");
    std::vector<double> k(n * n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) k[i * n + j] = susceptibility[i] * contacts[i * n + j] * infectious_days;
    return k;
}

}  // namespace doseflow::epidemic
