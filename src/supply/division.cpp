#include "supply/division.hpp"

#include <algorithm>

namespace doseflow::supply {
namespace {

bool any_positive_weight(std::span<const Claim> group) {
    return std::any_of(group.begin(), group.end(), [](const Claim& c) { return c.open() > 0.0 && c.weight > 0.0; });
}

// Serves one group by water-filling: each round offers every open claim its weighted part of what is left;
// claims the offer would fill are filled and leave; when no offer fills a claim, the offers are final.
double divide_group(double available, std::span<Claim> group) {
    double total_open = 0.0;
    for (const Claim& c : group) total_open += c.open();
    if (total_open <= available) {
        for (Claim& c : group) c.granted = std::max(c.granted, c.amount);
        return available - total_open;
    }
    bool by_weight = any_positive_weight(group);
    if (!by_weight) {
        // Pro rata by open amount: nobody is filled, so one scaling is the whole water-filling.
        const double fraction = available / total_open;
        for (Claim& c : group) c.granted += c.open() * fraction;
        return 0.0;
    }
    while (available > 0.0) {
        auto key = [by_weight](const Claim& c) { return by_weight ? std::max(c.weight, 0.0) : c.open(); };
        double total_key = 0.0;
        for (const Claim& c : group)
            if (c.open() > 0.0) total_key += key(c);
        if (total_key <= 0.0) {
            if (!by_weight) return available;  // nothing open
            by_weight = false;  // claims of zero weight share what the weighted ones left, by open amount
            continue;
        }
        double filled = 0.0;
        for (Claim& c : group) {
            const double open = c.open();
            if (open > 0.0 && key(c) > 0.0 && available * key(c) / total_key >= open) {
                c.granted = c.amount;
                filled += open;
            }
        }
        if (filled > 0.0) {
            available = std::max(0.0, available - filled);
            continue;
        }
        for (Claim& c : group)
            if (c.open() > 0.0 && key(c) > 0.0) c.granted += available * key(c) / total_key;
        return 0.0;
    }
    return available;
}

template <class GroupFn>
double for_each_group(double available, std::span<Claim> claims, GroupFn serve) {
    std::size_t begin = 0;
    while (begin < claims.size() && available > 0.0) {
        std::size_t end = begin + 1;
        while (end < claims.size() && claims[end].group == claims[begin].group) ++end;
        available = serve(available, claims.subspan(begin, end - begin));
        begin = end;
    }
    return available;
}

// Water level lambda such that sum min(open_i, lambda * key_i) = available, found by bisection.
double fill_to_level(double available, std::span<Claim> group, bool by_weight) {
    auto key = [by_weight](const Claim& c) { return by_weight ? std::max(c.weight, 0.0) : c.open(); };
    double sum_open = 0.0;
    for (const Claim& c : group)
        if (key(c) > 0.0) sum_open += c.open();
    if (sum_open <= available) {
        for (Claim& c : group)
            if (key(c) > 0.0) c.granted = std::max(c.granted, c.amount);
        return available - sum_open;
    }
    double low = 0.0, high = 1.0;
    auto given = [&](double level) {
        double total = 0.0;
        for (const Claim& c : group)
            if (key(c) > 0.0) total += std::min(c.open(), level * key(c));
        return total;
    };
    while (given(high) < available) high *= 2.0;
    for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (low + high);
        (given(mid) < available ? low : high) = mid;
    }
    for (Claim& c : group)
        if (key(c) > 0.0) c.granted += std::min(c.open(), high * key(c));
    return 0.0;
}

}  // namespace

double divide(double available, std::span<Claim> claims) {
    return for_each_group(std::max(available, 0.0), claims, divide_group);
}

double divide_reference(double available, std::span<Claim> claims) {
    return for_each_group(std::max(available, 0.0), claims, [](double left, std::span<Claim> group) {
        const bool weighted = any_positive_weight(group);
        if (weighted) left = fill_to_level(left, group, true);
        if (left > 0.0) left = fill_to_level(left, group, false);
        return left;
    });
}

}  // namespace doseflow::supply
