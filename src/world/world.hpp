#pragma once
// The built, immutable description of a scenario: countries, products, production sites, contracts, supplier
// policies, export controls, shipping, dated events, and the parameters of each stage. Built once by
// src/scenario from a validated TOML document; every stage reads it and none changes it. Defaults, ranges and
// sources of every value are declared in the parameter registry (src/scenario/params.cpp) alone; members here are
// zero or neutral until built (code outside a scenario takes the defaults with scenario::declared_defaults).
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
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
    std::uint64_t seed = 0;
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
    // The day WHO listed it for emergency use: "who_eul" counts as an approval from then, and with
    // covax.listed_only COVAX ships it from then. Unset with "who_eul" in approvals: listed before the run.
    std::optional<Date> who_eul_date;
    std::optional<Date> ema_date;  // the day of the EMA authorisation: "ema" counts from then (unset: before the run)
    // Whether `approval` ("who_eul", "ema", "national") is among its approvals, whatever its date.
    bool has_approval(std::string_view approval) const;
    // Whether "who_eul" or "ema" is among its approvals on `date`.
    bool has_stringent_approval(Date date) const;
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
    double stock_at_start_doses = 0.0;  // made before the run (per unit of capacity), released on its first day
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
    // covax or donation only: the doses come out of these countries' own contracts (kind sale) with the same
    // supplier and product; supply serves the donation from their share and takes it off their orders
    // (docs/model/supply.md, "Donations out of donors' contracts"). Empty: the supplier's own doses.
    std::vector<CountryId> donors;
    // donation only: the donor chose the recipient and COVAX shipped the doses (most US gifts of 2021); they count
    // among COVAX's deliveries.
    bool through_covax = false;
    std::string source;  // where the figures come from

    // The channel the doses reached the recipient by: covax for the Facility's contracts and the gifts it shipped.
    ContractKind channel() const { return through_covax ? ContractKind::covax : kind; }
};

// ---------------------------------------------------------------------------------------------------- suppliers
enum class AllocationPolicy { domestic_first, pro_rata, fifo, priority, need_based };
const char* to_string(AllocationPolicy value);

struct SupplierPolicy {
    CountryId country;
    AllocationPolicy policy = AllocationPolicy::domestic_first;
    int domestic_reserve_days = 0;
    std::optional<double> domestic_share;  // a fixed share instead of the reserve rule
    std::vector<CountryId> priority_order;
    std::vector<double> priority_weights;  // same length as priority_order when given
    double covax_share = 0.0;
    double donation_share = 0.0;
    double surge_response = 0.0;  // rise of the domestic share per unit of home-epidemic signal
};

// At most this many export controls may apply to one exporter and product on one day: the supply stage marks the
// controls a claim is subject to in one 64-bit mask. The scenario checks refuse a scenario with more.
inline constexpr std::size_t max_export_controls_at_once = 64;

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
    int default_lead_days = 0;
    int same_region_lead_days = 0;
    int same_subregion_lead_days = 0;
    int domestic_lead_days = 0;
    // A contract, or a producer's home programme, ships to a recipient only while its stores and the doses on their
    // way hold less than this many days of its administration capacity (recipients deferred what they could not
    // use); 0: no limit.
    int recipient_stock_days = 0;
    std::vector<ShippingRoute> routes;
};

// ------------------------------------------------------------------------------------------------------ events
enum class EventKind { policy_change, capacity_shock, variant_arrival, price_change, domestic_share };
const char* to_string(EventKind value);

struct ScenarioEvent {
    Date date;
    EventKind kind = EventKind::policy_change;
    CountryId country;  // supplier (policy_change, domestic_share) or country (variant_arrival)
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
    int min_age_years = 0;
    SecondDosePolicy second_dose_policy = SecondDosePolicy::first_doses_first;
    std::vector<double> willing_share_by_age;  // per age band, with no recent deaths, full trust, no disinformation
    double certificate_fraud_share = 0.0;
    Date campaign_start;  // administration starts on this date

    // diplomacy
    double target_coverage = 0.0;
    double alignment_west = 0.0;   // political alignment scores in [-1, 1]; see docs/model.md
    double alignment_russia = 0.0;
    double alignment_china = 0.0;

    // epidemic
    std::optional<double> r0;
    double initial_infections = 0.0;
    double initial_immune_share = 0.0;
    // Multiplier of the infection fatality ratio by age: care and its strain (docs/model.md, fatality by country).
    double fatality_multiplier = 1.0;
    // Share of the deaths that surveillance reports (reported over true, e.g. JHU over WHO excess); people and
    // governments respond to what is reported (docs/model.md, Reported deaths).
    double death_reporting_ratio = 1.0;
    double travel_weight = 1.0;
    // Natural logarithm of the transmission multiplier at dated knots, interpolated linearly (so the multiplier
    // itself moves geometrically between knots); empty: multiplier 1.
    Ramp log_transmission_path;

    double population() const;
};

// ------------------------------------------------------------------------------------------- stage parameters
struct SubstitutionRule {
    ProductId product;  // the course being completed
    int dose = 0;       // 1-based dose number that may be substituted
    ProductId substitute;
    int after_days = 0;  // allowed once this many days have passed since the previous dose
    Date start = Date::from_ymd(1900, 1, 1);  // first day the rule holds (national recommendations were dated)
    std::vector<CountryId> countries;          // sorted; every country when empty

    bool applies_to(CountryId country) const {
        return countries.empty() || std::binary_search(countries.begin(), countries.end(), country);
    }
};

// Dated widening of eligibility to younger ages (docs/model/uptake.md, "Eligibility over time").
struct EligibilityExpansion {
    Date date;
    std::vector<CountryId> countries;  // resolved from the scenario's countries and income groups
    int min_age_years = 0;             // from `date`, people this old or older may take `products`
    std::vector<ProductId> products;   // every product when empty
};

// A dated booster programme (docs/model/uptake.md, "Boosters"). A country follows the latest programme that names
// it and has started.
struct BoosterProgramme {
    Date start;
    std::vector<CountryId> countries;
    int min_age_years = 0;
    int interval_days = 0;               // since the last dose of the primary course
    std::vector<ProductId> products;     // products that may be given as a booster; every product when empty
    std::vector<ProductId> courses;      // primary courses whose completers are offered one; all when empty
    double uptake_share = 0.0;           // share of the eligible completers who take it
    int repeat_days = 0;                 // boosted people are offered another after this many days; 0 = never
    bool ahead_of_first_doses = false;   // given before (true) or after (false) the day's first doses
};

// A dated vaccination requirement (certificate for venues, travel, work; health workers) (docs/model/uptake.md,
// "Mandates and certificates").
struct Mandate {
    Date start;
    Date end;                              // inclusive
    std::vector<CountryId> countries;
    int min_age_years = 0;                 // ages the requirement touches
    double willingness_log_odds = 0.0;     // added to the log-odds of willingness in the touched ages
    double fake_certificate_share = 0.0;   // share of the touched unwilling who obtain a fake certificate
};

// Surplus offered to other countries before it expires (docs/model/uptake.md, "Dose sharing").
struct DoseSharing {
    bool enabled = false;
    Date start;
    std::vector<CountryId> donors;       // every country when empty
    int offer_days_before_expiry = 0;    // stock this close to expiry that the donor cannot use is offered
    int min_shelf_life_days = 0;         // recipients refuse lots with less life left on arrival
    int lead_days = 0;                   // from offer to the recipient's store
    int absorb_days = 0;                 // a recipient takes at most this many days of its capacity, less its stock
};

// Hesitancy coefficients act on the log-odds of willingness (docs/model/uptake.md, where the fits are worked out).
// Values come from the parameter registry (src/scenario/params.cpp), which declares each default with its source.
struct UptakeParameters {
    std::vector<SubstitutionRule> substitutions;
    std::vector<EligibilityExpansion> eligibility;  // sorted by date
    std::vector<BoosterProgramme> boosters;         // sorted by start
    std::vector<Mandate> mandates;
    DoseSharing sharing;
    // Log-odds gained at full fear (deaths per million per day far above the half saturation). Least-squares fit
    // to Levada Center polls, Feb-Oct 2021 (not ready to vaccinate 62, 62, 54, 52, 45%) against Russia's official
    // deaths (about 3.1, 2.6, 4.5, 5.4, 7.2 per million per day); includes the regional mandates of June 2021, so
    // an upper bound for fear alone.
    double fear_coefficient = 0.0;
    // Deaths per million per day at half the fear effect: the middle of the range of the Levada fit above.
    double fear_half_saturation = 0.0;
    // Log-odds lost as trust in the product goes from 1 to 0: unvaccinated Russians confident in their government
    // would take a free vaccine 34% vs 19% (Gallup, May-July 2021): ln(34/66) - ln(19/81) = 0.79.
    double trust_coefficient = 0.0;
    // Log-odds lost per unit of disinformation exposure, one unit being the misinformation treatment of Loomba et
    // al. 2021 (Nat Hum Behav 5:337): "definitely" intent fell 6.2 pp from 54.1% (UK) and 6.4 pp from 41.2% (US),
    // 0.25 and 0.27 in log-odds.
    double disinformation_coefficient = 0.0;
    // Days for willingness to close 63% of the gap to its target: Russia's daily doses rose from 259 k (14 June
    // 2021) to 505 k (28 June) and 682 k (12 July), then levelled (OWID), a response within 2-3 weeks.
    double willingness_relaxation_days = 0.0;
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
    double escape_infection = 0.0;  // share of infection-acquired protection lost (reinfection of the recovered)
    // Per product group: share of the protection against death given infection lost; a group not named here
    // loses the share of `escape`.
    std::unordered_map<std::string, double> escape_death;
};

struct EpidemicParameters {
    std::vector<int> age_band_lower;      // lower bounds in years; the last band is open
    double r0 = 0.0;
    double latent_days = 0.0;
    double infectious_days = 0.0;
    std::vector<double> susceptibility;   // relative, per age band
    std::vector<double> infection_fatality_ratio;  // per age band (fraction)
    bool leaky = false;                   // vaccine mode: leaky or all-or-nothing
    double infection_immunity_days = 0.0; // 0 = lifelong in the horizon
    double importation_rate = 0.0;        // imported infections per day per (world prevalence x travel weight)
    double stochastic_steps_per_day = 0.0;
    double seasonality_amplitude = 0.0;
    std::optional<Date> history_start;    // the epidemic alone runs from here to simulation.start
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

// Values come from the parameter registry (src/scenario/params.cpp), which declares each default with its source;
// the reasoning behind them is below and in docs/model/diplomacy.md. "Calibration" marks values chosen to reproduce
// the 2021 events named beside them, where no study measures the quantity itself.
struct DiplomacyParameters {
    // Calibration: buyers expected most, not all, of a new partner's promise on time; in the EU's Q1 2021
    // contracts Pfizer-BioNTech and Moderna delivered close to schedule and AstraZeneca 30 M of 120 M doses
    // (European Commission, March 2021), a dose-weighted 0.55-0.9.
    double credibility_prior = 0.0;
    // Share of the way alignment moves the prior to 1 (or 0). Direction: respondents favour vaccines from
    // aligned origins (Kreps et al. 2020, JAMA Netw Open 3:e2025594; Stöckli et al. 2022, PLoS One 17:e0266003);
    // size: calibration.
    double credibility_alignment_weight = 0.0;
    // Calibration: about two monthly delivery rounds; persuasion effects mostly fade within weeks, some last
    // 6 weeks (Hill, Lo, Vavreck and Zaller 2013, Political Communication 30:521).
    double credibility_memory_days = 0.0;
    // Loss aversion coefficient 2.25 (Tversky and Kahneman 1992, J Risk Uncertain 5:297); trust is lost faster
    // than it is gained (Slovic 1993, Risk Analysis 13:675).
    double miss_weight = 0.0;  // a missed dose weighs this many times a dose on time
    // Escalation hazards, h = base exp(w_s shortfall + w_l ln(1 + months late) + w_p prepaid - w_a alignment
    // - w_alt (1 - alternatives)), calibrated on the 2021 Sputnik V disputes: Guatemala (50% prepaid, 150 k of
    // 16 M doses delivered) paid in April, got a first batch on 5 May and demanded delivery or a refund on 29 June
    // 2021, 2.7 months after signing (Reuters/AFP, 2021-06-29/30); Argentina (aligned with Russia) complained in
    // public only in July 2021, seven months after its first doses (Rossiyskaya Gazeta, 2021-07-23); moderate,
    // persistent shortfalls were the rule in 2021 and rarely ended contracts. With these values a Guatemala-like
    // contract reaches its refund demand after a median 3.3 months, and a contract 20% short all year is left in
    // fewer than 1 in 10 runs (docs/model/diplomacy.md).
    double escalation_base_hazard = 0.0;          // per day, at no shortfall, neutral buyer
    double escalation_shortfall_weight = 0.0;     // per unit share of due doses missing
    double escalation_lateness_weight = 0.0;      // exponent of (1 + months late)
    double escalation_prepaid_weight = 0.0;       // per unit share prepaid
    double escalation_alignment_weight = 0.0;     // per unit alignment with the supplier's bloc
    double escalation_alternatives_weight = 0.0;  // per unit lack of alternatives
    // Outcomes of the 2021 disputes split between repayment and renegotiated delivery (Guatemala kept its advance
    // as credit and cut its order by half, 28 July 2021, Coda Story 2021-08-02); no systematic data: midpoint.
    double refund_success_probability = 0.0;
    // Calibration: a monthly procurement review; Guatemala renegotiated a month after its ultimatum (29 June to
    // 28 July 2021).
    int tender_interval_days = 0;
    // Supplier choice (multinomial logit). Calibration: delivery dominated 2021 choices (buyers took whatever
    // arrived first: Serbia, Hungary, Chile and Indonesia with Chinese and Russian vaccines); prices spanned
    // about USD 3-20 per dose (UNICEF COVID-19 Vaccine Market Dashboard), so a USD 10 difference moves the odds by
    // e^-1; WHO EUL or EMA approval opened COVAX and travel certificates; origin and alignment matter (Kreps et al.
    // 2020; Stöckli et al. 2022); licensed partners exported within their trade blocs (EAEU, SAARC).
    double choice_price_weight = 0.0;  // per USD per dose
    double choice_delivery_weight = 0.0;
    double choice_approval_weight = 0.0;
    double choice_alignment_weight = 0.0;
    double choice_bloc_weight = 0.0;
    // The EU's portfolio, the most diversified of 2021: Pfizer-BioNTech 2.4 bn of about 4.6 bn doses contracted
    // (European Commission, EU Vaccines Strategy, 2021), about one half.
    double portfolio_cap = 0.0;
    // Russia's official Delta peak, about 800 deaths a day in July 2021 (5.5 per million), when domestic demand
    // more than doubled (260 k to 680 k doses a day, June to July; OWID) and the Kremlin put it first (Peskov,
    // 2021-06-29 and 2021-07-23): half the surge effect at 5 deaths per million per day.
    double surge_deaths_per_million_scale = 0.0;
    // Calibration: goodwill from vaccine deliveries measured over 2021 panels (Barham et al. 2022, trust in
    // foreign governments in six Latin American countries; Urdinez 2024, Rev Int Organ 19:243); aid goodwill
    // can last years (Andrabi and Das 2017, Rev Econ Stat 99:371): a half-year memory.
    double influence_memory_days = 0.0;
    std::vector<DisinformationCampaign> campaigns;
    // Delivered doses are compared with the doses due this many days earlier, so that shipping (default lead
    // 10 days, ShippingSettings) and customs do not count as lateness.
    int delivery_grace_days = 0;
    // Calibration: a contract is late when more than this share of its due doses is missing: one shipment
    // (0.3-1 M doses for Sputnik V to Latin America) of a 10-20 M dose contract.
    double late_shortfall_share = 0.0;
    // Calibration: new contracts promise delivery over two quarters, as 2021 contracts scheduled by quarter (EU
    // advance purchase agreements) and monthly (Guatemala's renegotiated contract, July 2021); buyers judge
    // a supplier's free capacity over the same horizon.
    int procurement_horizon_days = 0;
    // A buyer of an as_available contract expects the whole order within this many days of signing, at an even
    // pace: Guatemala counted on its 16 M Sputnik V doses (signed 5 Apr 2021) to immunise nearly half its
    // population by the end of 2021 (AFP, 30 Jun 2021): 270 days.
    int as_available_expected_days = 0;
    // ... and the first delivery a month after signing, as for the contracts buyers sign during the run (the
    // first monthly tranche): Guatemala paid on 5 Apr 2021 and received its first doses on 5 May (RBC, 2021-06-29).
    int as_available_first_delivery_days = 0;
    // A buyer at the end of the escalation ladder leaves a contract only when the doses its alternatives are
    // expected to bring over the procurement horizon (free capacity times the buyer's credibility of each
    // supplier) exceed what the current supplier brings at its pace of the last 30 days by this factor.
    // ASSUMPTION 1.5: switching costs a new approval, storage and, for two-vector products such as Sputnik V,
    // second doses for those given the first (Mexico kept ordering Sputnik V through 2021, TASS 2021-10-24).
    double switch_advantage = 0.0;
    // Calibration: a donated dose counts twice a sold dose in the influence index; recipients credit donors more
    // than sellers (Barham et al. 2022; donations favoured aligned recipients, Zhu 2023 MIT CIS; Vadlamannati and
    // Jung 2023, Business and Politics).
    double donation_influence_weight = 0.0;
    // E-folding time of disinformation exposure once a campaign stops: persuasion effects mostly fade within a
    // week or two and partly last 6 weeks (Hill et al. 2013); 21 days.
    double disinformation_memory_days = 0.0;
};

struct CovaxSettings {
    double coverage_cap = 0.0;  // share of a participant's population COVAX covers
    // Days between the facility's shipments to its participants (COVAX contracts claim stock on these days only).
    // COVAX shipped consignments scheduled by allocation rounds (round 1, 2 March 2021; round 3, 12 April 2021),
    // reaching about 35 countries in its first two weeks (UNICEF USA, 2021-03-10), not a daily trickle to all:
    // a weekly cycle.
    int shipment_interval_days = 0;
    // COVAX contracts ship a product only once WHO has listed it for emergency use (Product::who_eul_date).
    bool listed_only = false;
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
    SupplierPolicy default_supplier_policy;  // the declared defaults, for suppliers with no entry of their own
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
