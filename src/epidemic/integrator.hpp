#pragma once
// Fixed-step explicit Runge-Kutta on a flat state, restricted to index ranges (the strata people are in), with
// the zero coefficients of the tableau skipped.
#include <cstddef>
#include <utility>
#include <vector>

namespace doseflow::epidemic {

struct ButcherTableau {
    int stages = 0;
    std::vector<std::vector<double>> a;  // a[i][j], j < i
    std::vector<double> b;               // weights of the solution
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

class RangeRungeKutta {
public:
    // One step of size h. `system(const double* x, double* dxdt)` must fill dxdt on every range and may read x
    // only on the ranges.
    template <class System>
    void step(System&& system, std::vector<double>& x, double h, const IndexRanges& ranges, const ButcherTableau& t) {
        resize(x.size(), t.stages);
        for (int i = 0; i < t.stages; ++i) {
            const double* input = x.data();
            if (i > 0) {
                for (const auto& [begin, end] : ranges)
                    for (std::size_t k = begin; k < end; ++k) stage_input_[k] = x[k];
                for (int j = 0; j < i; ++j) {
                    const double coefficient = h * t.a[i][j];
                    if (coefficient == 0.0) continue;
                    const double* kj = k_[j].data();
                    for (const auto& [begin, end] : ranges)
                        for (std::size_t k = begin; k < end; ++k) stage_input_[k] += coefficient * kj[k];
                }
                input = stage_input_.data();
            }
            system(input, k_[i].data());
        }
        for (int i = 0; i < t.stages; ++i) {
            const double weight = h * t.b[i];
            if (weight == 0.0) continue;
            const double* ki = k_[i].data();
            for (const auto& [begin, end] : ranges)
                for (std::size_t k = begin; k < end; ++k) x[k] += weight * ki[k];
        }
    }

private:
    void resize(std::size_t size, int stages) {
        if (stage_input_.size() != size) stage_input_.assign(size, 0.0);
        if (static_cast<int>(k_.size()) < stages) k_.resize(static_cast<std::size_t>(stages));
        for (auto& k : k_)
            if (k.size() != size) k.assign(size, 0.0);
    }

    std::vector<std::vector<double>> k_;
    std::vector<double> stage_input_;
};

}  // namespace doseflow::epidemic
