#pragma once
// What diplomacy tells the other stages: the domestic-priority boost of suppliers whose home epidemic surges,
// disinformation exposure and trust per country and product (docs/model/diplomacy.md, "Domestic surge",
// "Disinformation and trust").
#include "core/date.hpp"
#include "core/ids.hpp"
#include "world/world.hpp"

namespace doseflow::diplomacy {

// f(x) = x / (1 + x) with x = deaths_per_million_7d / scale: 0 without deaths, 1/2 at the scale, below 1 always.
double surge_signal(double deaths_per_million_7d, double scale_deaths_per_million);

// Added to the supplier's domestic share: surge_response x f(home deaths per million / scale).
double domestic_share_boost(double surge_response, double deaths_per_million_7d, double scale_deaths_per_million);

bool campaign_active(const DisinformationCampaign& campaign, Date date);
bool campaign_targets(const DisinformationCampaign& campaign, CountryId country);  // every country when none listed
bool campaign_attacks(const DisinformationCampaign& campaign, ProductId product);

// Trust in a product (1 = full): the share of its supplier's prior credibility the supplier still holds.
double trust_from_credibility(double credibility, double prior_credibility);

}  // namespace doseflow::diplomacy
