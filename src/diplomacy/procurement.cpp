#include "diplomacy/procurement.hpp"

#include <algorithm>
#include <cmath>

#include <boost/random/uniform_real_distribution.hpp>

namespace doseflow::diplomacy {

double offer_utility(const DiplomacyParameters& p, const Offer& offer) {
    return -p.choice_price_weight * offer.price_usd_per_dose + p.choice_delivery_weight * offer.expected_delivery +
           p.choice_approval_weight * (offer.approved ? 1.0 : 0.0) + p.choice_alignment_weight * offer.alignment +
           p.choice_bloc_weight * (offer.bloc_access ? 1.0 : 0.0);
}

namespace {
constexpr double unfilled_tolerance = 1e-9;  // relative: the rounding of sums of allowances

// Logit probabilities over the offers whose `open` flag is set (0 for the others).
std::vector<double> open_probabilities(const DiplomacyParameters& p, const std::vector<Offer>& offers,
                                       const std::vector<bool>& open) {
    std::vector<double> weights(offers.size(), 0.0);
    double best = -INFINITY;
    for (std::size_t i = 0; i < offers.size(); ++i)
        if (open[i]) best = std::max(best, offer_utility(p, offers[i]));
    double sum = 0.0;
    for (std::size_t i = 0; i < offers.size(); ++i) {
        if (!open[i]) continue;
        weights[i] = std::exp(offer_utility(p, offers[i]) - best);  // shifted by the best: no overflow
        sum += weights[i];
    }
    if (sum > 0.0)
        for (double& w : weights) w /= sum;
    return weights;
}

std::size_t draw_index(const std::vector<double>& probabilities, const std::vector<bool>& open, RandomEngine& rng) {
    boost::random::uniform_real_distribution<double> uniform(0.0, 1.0);
    const double u = uniform(rng);
    double cumulative = 0.0;
    std::size_t last_open = 0;
    for (std::size_t i = 0; i < probabilities.size(); ++i) {
        if (!open[i]) continue;
        last_open = i;
        cumulative += probabilities[i];
        if (u < cumulative) return i;
    }
    return last_open;  // u at the rounding edge of the cumulative sum
}

double supplier_doses(const Portfolio& portfolio, CountryId supplier) {
    return supplier.value() < portfolio.doses_by_supplier.size() ? portfolio.doses_by_supplier[supplier.value()] : 0.0;
}

// The drawn suppliers cannot fill the order within the cap: find the final portfolio total X at which every
// member is exactly at the cap, S_s + q_s = cap X with sum q_s = X - T, dropping members already above it.
void shrink_to_cap(double cap, const std::vector<Offer>& offers, const Portfolio& portfolio,
                   std::vector<Award>& awards) {
    std::vector<Award> members = awards;
    double final_total = portfolio.total_doses;
    while (!members.empty()) {
        double held = 0.0;
        for (const Award& a : members) held += supplier_doses(portfolio, offers[a.offer].supplier);
        const double k = static_cast<double>(members.size());
        // With cap k >= 1 the allowances fill any order: what is left is rounding, and the awards stand.
        if (cap * k >= 1.0) return;
        final_total = (portfolio.total_doses - held) / (1.0 - cap * k);
        const auto above = [&](const Award& a) {
            return cap * final_total - supplier_doses(portfolio, offers[a.offer].supplier) <= 0.0;
        };
        const auto kept_end = std::remove_if(members.begin(), members.end(), above);
        if (kept_end == members.end()) break;
        members.erase(kept_end, members.end());
    }
    for (Award& a : members) a.doses = cap * final_total - supplier_doses(portfolio, offers[a.offer].supplier);
    awards = std::move(members);
}
}  // namespace

std::vector<double> choice_probabilities(const DiplomacyParameters& p, const std::vector<Offer>& offers) {
    return open_probabilities(p, offers, std::vector<bool>(offers.size(), true));
}

double Portfolio::share(CountryId supplier) const {
    return total_doses > 0.0 ? supplier_doses(*this, supplier) / total_doses : 0.0;
}

double portfolio_allowance(double cap, double supplier_doses_now, double final_total_doses) {
    if (cap >= 1.0) return INFINITY;
    return std::max(0.0, cap * final_total_doses - supplier_doses_now);
}

std::vector<Award> award_tender(const DiplomacyParameters& p, const std::vector<Offer>& offers,
                                const Portfolio& portfolio, double doses_wanted, RandomEngine& rng) {
    std::vector<Award> awards;
    if (!(doses_wanted > 0.0) || offers.empty()) return awards;
    const double cap = p.portfolio_cap;
    const double target_total = portfolio.total_doses + doses_wanted;
    const auto allowance = [&](const Offer& offer) {
        return portfolio_allowance(cap, supplier_doses(portfolio, offer.supplier), target_total);
    };
    std::vector<bool> open(offers.size());
    for (std::size_t i = 0; i < offers.size(); ++i) open[i] = allowance(offers[i]) > 0.0;

    double remaining = doses_wanted;
    while (remaining > 0.0 && std::find(open.begin(), open.end(), true) != open.end()) {
        const std::size_t pick = draw_index(open_probabilities(p, offers, open), open, rng);
        const double doses = std::min(remaining, allowance(offers[pick]));
        awards.push_back({pick, doses});
        remaining -= doses;
        for (std::size_t i = 0; i < offers.size(); ++i)
            if (offers[i].supplier == offers[pick].supplier) open[i] = false;
    }
    // Left over beyond rounding: the drawn suppliers cannot fill the order within the cap.
    if (remaining > unfilled_tolerance * doses_wanted && cap < 1.0) shrink_to_cap(cap, offers, portfolio, awards);
    std::erase_if(awards, [](const Award& a) { return !(a.doses > 0.0); });
    return awards;
}

}  // namespace doseflow::diplomacy
