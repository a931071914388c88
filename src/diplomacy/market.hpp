#pragma once
// What buyers can see of the vaccine market: who makes which product (from the World's sites), how many doses a
// day it could deliver, where it may export, and whether a buyer can store it (docs/model/diplomacy.md,
// "Procurement").
#include <vector>

#include "core/date.hpp"
#include "core/ids.hpp"
#include "world/cold_chain_fit.hpp"  // can_store: the cold-chain fit, a hard constraint on offers
#include "world/world.hpp"

namespace doseflow::diplomacy {

// A supplier country making one product at one or more sites.
struct Producer {
    CountryId supplier;
    ProductId product;
    std::vector<SiteId> sites;
    bool exports_freely = false;    // at least one own (not licensed) site
    std::vector<CountryId> export_to;  // licensed sites only: where they may export (their trade bloc)
};

// Every (supplier, product) with a site in the World, ordered by supplier then product.
std::vector<Producer> find_producers(const World& world);

// Balanced doses a day of the product as buyers expect it: each site's output (site_doses_per_day with the middle
// of a licence's realised-share range, world/site_capacity.hpp), each component's output over its share of the
// course's doses, the scarcest component deciding (Sputnik V's rAd5 line limits its courses).
double estimated_producer_doses_per_day(const World& world, const Producer& producer, Date date);

// Whether the producer may sell to the buyer: open exports, or the buyer is in its licensed sites' export list;
// and no export ban (cap 0) of the supplier covers the product and the buyer on `date`.
bool may_sell_to(const World& world, const Producer& producer, CountryId buyer, Date date);

}  // namespace doseflow::diplomacy
