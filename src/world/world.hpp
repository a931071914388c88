#pragma once
// The built, immutable description of a scenario: countries, products, production sites, contracts, supplier
// policies, export controls, shipping, dated events, and the parameters of each stage. Built once by
// src/scenario from a validated TOML document; every stage reads it and none changes it.
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/date.hpp"
#include "core/ids.hpp"
#include "core/schedule.hpp"

namespace doseflow {

// ---------------------------------------------------------------------------------------------------------- time
struct SimulationSettings {
    Date start;
    Date end;  // inclusive
    std::uint64_t seed = 1;
    bool stochastic_epidemic = false;
    bool weekly_output = false;
    int days() const { return (end - start) + 1; }
};

// ------------------------------------------------------------------------------------------------------ products
enum class TemperatureClass { ultra_cold = 0, frozen = 1, fridge = 2 };  // -70C, -20C, 2-8C
inline constexpr int temperature_class_count = 3;
const char* to_string(TemperatureClass value);

struct Product {
    std::string id;
    std::string name;
    std::string origin;                   // ISO3 of the developer's country
    std::vector<std::string> components;  // distinct components, in order (Sputnik V: rAd26, rAd5)
    std::vector<int> course;              // 0-based component index given at each dose (Pfizer: 0, 0)
    std::string group;                    // epidemic product group (efficacy, waning, escape)
    TemperatureClass storage = TemperatureClass::fridge;  // the class it needs on arrival
    // Shelf life in days per class it may be kept in; nullopt where it may not be kept in that class.
    std::array<std::optional<int>, temperature_class_count> shelf_life_days{};
    int min_interval_days = 0;
    int recommended_interval_days = 0;
    double price_usd_per_dose = 0.0;
    double open_vial_wastage = 0.0;      // share of doses lost on opening vials
    std::vector<std::string> approvals;  // "who_eul", "ema", "national"
    int doses_per_course() const { return static_cast<int>(course.size()); }
    int component_count() const { return static_cast<int>(components.size()); }
};

// ------------------------------------------------------------------------------------------------------- sites
struct Disruption {
    Date start;
    Date end;  // inclusive
    double capacity_loss = 0.0;  // share of capacity lost
};

struct RandomDisruption {
    double daily_probability = 0.0;
    double mean_duration_days = 0.0;
    double capacity_loss = 0.0;
};

struct Licence {
    CountryId licensor;
    double announced_doses_per_day = 0.0;
    Date signed_on;
    int start_lag_days = 0;
    double realised_share_min = 1.0;  // equal to max when fixed; drawn uniformly per seed otherwise
    double realised_share_max = 1.0;
    bool may_export = false;
    std::vector<CountryId> export_to;  // the trade bloc's members (resolved from a bloc name or listed)
};

struct Site {
    std::string id;
    CountryId country;
    ProductId product;
    std::vector<int> components;        // 0-based indices into the product's components
    std::vector<double> component_yield;  // same length as components
    Ramp capacity_doses_per_day;        // for a licensed site: empty; capacity follows the licence
    StepSchedule share{1.0};            // share of the line given to this product
    int release_delay_days = 0;
    std::vector<Disruption> disruptions;
    RandomDisruption random_disruption;
    std::optional<Licence> licence;
};

// --------------------------------------------------------------------------------------------------- contracts
enum class ContractKind { sale, donation, covax, licence };
const char* to_string(ContractKind value);

struct Tranche {
    Date due;
    double cumulative_doses = 0.0;  // doses due by this date, counted over all doses of the course
};

struct Contract {
    std::string id;
    ContractKind kind = ContractKind::sale;
    CountryId supplier;
    CountryId recipient;  // invalid for covax (the facility allocates to participants)
    ProductId product;
    double doses = 0.0;  // ordered doses over all doses of the course (8 M courses of Sputnik V = 16 M)
    double price_usd_per_dose = 0.0;
    double prepaid_usd = 0.0;
    Date signed_on;
    std::vector<Tranche> schedule;  // ascending; empty when as_available
    bool as_available = false;
    std::string source;  // where the figures come from
};

// ---------------------------------------------------------------------------------------------------- suppliers
enum class AllocationPolicy { domestic_first, pro_rata, fifo, priority, need_based };
const char* to_string(AllocationPolicy value);

struct SupplierPolicy {
    CountryId country;
    AllocationPolicy policy = AllocationPolicy::domestic_first;
    int domestic_reserve_days = 14;
    std::optional<double> domestic_share;  // a fixed share instead of the reserve rule
    std::vector<CountryId> priority_order;
    std::vector<double> priority_weights;  // same length as priority_order when given
    double covax_share = 0.0;
    double donation_share = 0.0;
    double surge_response = 0.0;  // rise of the domestic share per unit of home-epidemic signal
};

struct ExportControl {
    CountryId exporter;
    std::optional<ProductId> product;  // all products when empty
    Date start;
    Date end;  // inclusive
    double cap_doses_per_day = 0.0;  // 0 = ban
    std::vector<CountryId> exempt;
    std::string source;
};

struct ShippingRoute {
    CountryId from;
    CountryId to;
    int lead_days = 0;
};

struct ShippingSettings {
    int default_lead_days = 10;
    int same_region_lead_days = 5;
    int same_subregion_lead_days = 3;
    int domestic_lead_days = 1;
    std::vector<ShippingRoute> routes;
};

// ------------------------------------------------------------------------------------------------------ events
enum class EventKind { policy_change, capacity_shock, variant_arrival, price_change, campaign_start, domestic_share };
const char* to_string(EventKind value);

struct ScenarioEvent {
    Date date;
    EventKind kind = EventKind::policy_change;
    CountryId country;  // supplier (policy_change, domestic_share) or country (variant_arrival, campaign_start)
    std::optional<SiteId> site;           // capacity_shock
    std::optional<ProductId> product;     // price_change
    std::optional<VariantId> variant;     // variant_arrival
    std::optional<AllocationPolicy> policy;
    double value = 0.0;     // capacity factor, price, domestic share, seed infections
    int duration_days = 0;  // capacity_shock: 0 = until the end
    std::string note;
};

// --------------------------------------------------------------------------------------------------- countries
enum class PriorityRule { oldest_first, health_workers_then_oldest, uniform };
enum class SecondDosePolicy { first_doses_first, hold_back_second };

struct ColdChainStep {
    Date date;
    TemperatureClass temperature;
    double doses = 0.0;  // capacity added on that date
};

struct Country {
    std::string code;  // ISO 3166-1 alpha-3
    std::string name;
    std::string region;     // UN region
    std::string subregion;  // UN subregion
    std::string income_group;  // World Bank, July 2021
    std::vector<std::string> trade_blocs;
    std::vector<double> population_by_age;  // persons per age band
    std::vector<double> contacts;           // bands x bands, row-major, row = participant (per day)
    bool covax_participant = false;

    // uptake
    std::array<double, temperature_class_count> cold_chain_doses{};  // storage capacity per class at start
    std::vector<ColdChainStep> cold_chain_growth;
    Ramp admin_capacity_doses_per_day;  // resolved from the share of population when given as a share
    PriorityRule priority = PriorityRule::oldest_first;
    double health_worker_share = 0.0;
    int min_age_years = 18;
    SecondDosePolicy second_dose_policy = SecondDosePolicy::first_doses_first;
    std::vector<double> willing_share_by_age;  // per age band, with no recent deaths, full trust, no disinformation
    double certificate_fraud_share = 0.0;
    Date campaign_start;  // administration starts on this date

    // diplomacy
    double target_coverage = 0.7;
    double alignment_west = 0.0;   // political alignment scores in [-1, 1]; see docs/model.md
    double alignment_russia = 0.0;
    double alignment_china = 0.0;

    // epidemic
    std::optional<double> r0;
    double initial_infections = 0.0;
    double initial_immune_share = 0.0;
    double travel_weight = 1.0;

    double population() const;
};

// ------------------------------------------------------------------------------------------- stage parameters
struct SubstitutionRule {
    ProductId product;  // the course being completed
    int dose = 2;       // 1-based dose number that may be substituted
    ProductId substitute;
    int after_days = 0;  // allowed once this many days have passed since the previous dose
};

// Hesitancy coefficients act on the log-odds of willingness (docs/model/uptake.md, where the fits are worked out).
struct UptakeParameters {
    std::vector<SubstitutionRule> substitutions;
    // Log-odds gained at full fear (deaths per million per day far above the half saturation). Least-squares fit
    // to Levada Center polls, Feb-Oct 2021 (not ready to vaccinate 62, 62, 54, 52, 45%) against Russia's official
    // deaths (about 3.1, 2.6, 4.5, 5.4, 7.2 per million per day); includes the regional mandates of June 2021, so
    // an upper bound for fear alone.
    double fear_coefficient = 2.9;
    // Deaths per million per day at half the fear effect: the middle of the range of the Levada fit above.
    double fear_half_saturation = 5.0;
    // Log-odds lost as trust in the product goes from 1 to 0: unvaccinated Russians confident in their government
    // would take a free vaccine 34% vs 19% (Gallup, May-July 2021): ln(34/66) - ln(19/81) = 0.79.
    double trust_coefficient = 0.8;
    // Log-odds lost per unit of disinformation exposure, one unit being the misinformation treatment of Loomba et
    // al. 2021 (Nat Hum Behav 5:337): "definitely" intent fell 6.2 pp from 54.1% (UK) and 6.4 pp from 41.2% (US),
    // 0.25 and 0.27 in log-odds.
    double disinformation_coefficient = 0.25;
    // Days for willingness to close 63% of the gap to its target: Russia's daily doses rose from 259 k (14 June
    // 2021) to 505 k (28 June) and 682 k (12 July), then levelled (OWID), a response within 2-3 weeks.
    double willingness_relaxation_days = 21;
};

struct VaccineGroupParameters {
    std::string group;
    std::vector<double> efficacy_infection_by_dose;     // after dose k (1-based index k-1)
    std::vector<double> efficacy_death_by_dose;
    std::vector<double> efficacy_transmission_by_dose;  // reduction of onward transmission when infected
    double waning_days = 0.0;  // mean duration of protection; 0 = no waning
};

struct Variant {
    std::string id;
    double transmissibility = 1.0;  // multiplier of R0
    double severity = 1.0;          // multiplier of the infection fatality ratio
    std::unordered_map<std::string, double> escape;  // per product group: share of protection lost
    Date emergence;                 // first seeded
    CountryId origin;
    double seed_infections = 0.0;
};

struct EpidemicParameters {
    std::vector<int> age_band_lower;      // lower bounds in years; the last band is open
    double r0 = 2.6;
    double latent_days = 3.0;
    double infectious_days = 5.0;
    std::vector<double> susceptibility;   // relative, per age band
    std::vector<double> infection_fatality_ratio;  // per age band (fraction)
    bool leaky = false;                   // vaccine mode: leaky or all-or-nothing
    double infection_immunity_days = 0.0; // 0 = lifelong in the horizon
    double importation_rate = 0.0;        // imported infections per day per (world prevalence x travel weight)
    double stochastic_steps_per_day = 4;
    double seasonality_amplitude = 0.0;
    std::vector<VaccineGroupParameters> vaccine_groups;
    std::vector<Variant> variants;
};

struct DisinformationCampaign {
    CountryId source;
    std::vector<CountryId> targets;  // every country when empty
    std::vector<ProductId> products;  // products attacked
    Date start;
    Date end;
    double intensity = 0.0;  // exposure added per day while active
};

struct DiplomacyParameters {
    double credibility_prior = 0.7;
    double credibility_alignment_weight = 0.2;
    double credibility_memory_days = 60;
    double miss_weight = 2.0;  // a missed dose weighs this many times a dose on time
    double escalation_base_hazard = 0.0;
    double escalation_shortfall_weight = 0.0;
    double escalation_lateness_weight = 0.0;
    double escalation_prepaid_weight = 0.0;
    double escalation_alignment_weight = 0.0;
    double escalation_alternatives_weight = 0.0;
    double refund_success_probability = 0.5;
    int tender_interval_days = 30;
    double choice_price_weight = 0.0;
    double choice_delivery_weight = 0.0;
    double choice_approval_weight = 0.0;
    double choice_alignment_weight = 0.0;
    double choice_bloc_weight = 0.0;
    double portfolio_cap = 0.5;
    double surge_deaths_per_million_scale = 1.0;
    double influence_memory_days = 180;
    std::vector<DisinformationCampaign> campaigns;
};

struct CovaxSettings {
    double coverage_cap = 0.2;  // share of a participant's population COVAX covers
};

// -------------------------------------------------------------------------------------------------------- world
struct World {
    std::string name;
    SimulationSettings simulation;
    std::vector<int> age_band_lower;  // same as epidemic.age_band_lower
    std::vector<Country> countries;
    std::vector<Product> products;
    std::vector<Site> sites;
    std::vector<Contract> contracts;
    std::vector<SupplierPolicy> suppliers;
    std::vector<ExportControl> export_controls;
    ShippingSettings shipping;
    CovaxSettings covax;
    std::vector<ScenarioEvent> events;  // sorted by date
    UptakeParameters uptake;
    EpidemicParameters epidemic;
    DiplomacyParameters diplomacy;

    std::optional<CountryId> find_country(std::string_view code) const;
    std::optional<ProductId> find_product(std::string_view id) const;
    std::optional<SiteId> find_site(std::string_view id) const;
    std::optional<ContractId> find_contract(std::string_view id) const;

    const Country& country(CountryId id) const { return countries[id.value()]; }
    const Product& product(ProductId id) const { return products[id.value()]; }
    const Site& site(SiteId id) const { return sites[id.value()]; }
    const Contract& contract(ContractId id) const { return contracts[id.value()]; }
    const SupplierPolicy* supplier_policy(CountryId country) const;
    int age_band_count() const { return static_cast<int>(age_band_lower.size()); }
};

}  // namespace doseflow
