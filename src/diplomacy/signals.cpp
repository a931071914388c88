#include "diplomacy/signals.hpp"

#include <algorithm>
#include <cassert>

namespace doseflow::diplomacy {

double surge_signal(double deaths_per_million_7d, double scale_deaths_per_million) {
    assert(scale_deaths_per_million > 0.0);
    const double x = std::max(0.0, deaths_per_million_7d) / scale_deaths_per_million;
    return x / (1.0 + x);
}

double domestic_share_boost(double surge_response, double deaths_per_million_7d, double scale_deaths_per_million) {
    return surge_response * surge_signal(deaths_per_million_7d, scale_deaths_per_million);
}

bool campaign_active(const DisinformationCampaign& campaign, Date date) {
    return campaign.start <= date && date <= campaign.end;
}

bool campaign_targets(const DisinformationCampaign& campaign, CountryId country) {
    return campaign.targets.empty() ||
           std::find(campaign.targets.begin(), campaign.targets.end(), country) != campaign.targets.end();
}

bool campaign_attacks(const DisinformationCampaign& campaign, ProductId product) {
    return std::find(campaign.products.begin(), campaign.products.end(), product) != campaign.products.end();
}

double trust_from_credibility(double credibility, double prior_credibility) {
    if (prior_credibility <= 0.0) return 1.0;  // nothing was expected, nothing can be lost
    return std::min(1.0, credibility / prior_credibility);
}

}  // namespace doseflow::diplomacy
