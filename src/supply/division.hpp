#pragma once
// Dividing an amount of doses between claimants: groups are served in order; inside a group the amount is
// shared in proportion to weights without giving anyone more than it claims (water-filling).
#include <span>

namespace doseflow::supply {

struct Claim {
    double amount = 0.0;   // the most this claimant may receive in total
    double weight = 0.0;   // share key inside its group; <= 0 everywhere in a group means "by open amount"
    double group = 0.0;    // groups are served in ascending order; claims must be sorted by group
    double granted = 0.0;  // in/out: what the claimant has received so far
    double open() const { return amount > granted ? amount - granted : 0.0; }
};

// Adds to `granted` from `available` and returns what is left. Claims keep what they were granted before.
double divide(double available, std::span<Claim> claims);

// The slow, obvious version of divide(): finds the water level of each group by bisection. Used to test the
// fast one.
double divide_reference(double available, std::span<Claim> claims);

}  // namespace doseflow::supply
