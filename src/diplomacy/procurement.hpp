#pragma once
// Supplier choice: a multinomial logit over the offers open to a buyer, and the award of a tender under a cap on
// any one supplier's share of the buyer's portfolio (docs/model/diplomacy.md, "Procurement").
#include <cstddef>
#include <vector>

#include "core/ids.hpp"
#include "core/random.hpp"
#include "world/world.hpp"

namespace doseflow::diplomacy {

// One (supplier, product) a buyer may contract, with the attributes it is chosen on. Offers that fail a hard
// constraint (cold chain, export access) are never built.
struct Offer {
    CountryId supplier;
    ProductId product;
    std::size_t producer = 0;           // index into the market's producers
    double price_usd_per_dose = 0.0;
    double expected_delivery = 0.0;     // credibility x share of the order the supplier could make, [0, 1]
    bool approved = false;              // WHO EUL or EMA
    double alignment = 0.0;             // the buyer's alignment with the supplier's bloc, [-1, 1]
    bool bloc_access = false;           // buyer and supplier share a trade bloc
};

double offer_utility(const DiplomacyParameters& parameters, const Offer& offer);

// Logit choice probabilities of the offers (sum 1; empty for no offers).
std::vector<double> choice_probabilities(const DiplomacyParameters& parameters, const std::vector<Offer>& offers);

// A buyer's ordered doses by supplier (indexed by country), over its active sale and donation contracts.
struct Portfolio {
    std::vector<double> doses_by_supplier;
    double total_doses = 0.0;
    double share(CountryId supplier) const;
};

// The largest new order from a supplier that leaves its share of a portfolio of `final_total_doses` at or below
// `cap`; 0 when it is already at or above the cap.
double portfolio_allowance(double cap, double supplier_doses, double final_total_doses);

struct Award {
    std::size_t offer = 0;  // index into the tender's offers
    double doses = 0.0;
};

// Awards up to `doses_wanted` new doses: suppliers are drawn one after another, without replacement, by the
// logit over the offers left (one contract per supplier and tender), each taking as much as the cap allows,
// until the order is filled or no offer is left. When the suppliers drawn cannot fill the order within the cap,
// their awards shrink to the largest portfolio in which none exceeds the cap. After the awards, every awarded
// supplier's share of the buyer's portfolio is at most `parameters.portfolio_cap`.
std::vector<Award> award_tender(const DiplomacyParameters& parameters, const std::vector<Offer>& offers,
                                const Portfolio& portfolio, double doses_wanted, RandomEngine& rng);

}  // namespace doseflow::diplomacy
