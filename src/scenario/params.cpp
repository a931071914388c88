// Every scenario parameter, declared once. Sources of defaults are named beside them; "software setting" marks
// values that choose how doseflow runs rather than describe the world.
#include "scenario/registry.hpp"

#include "scenario/choices.hpp"
#include "world/world.hpp"

namespace doseflow::scenario {
namespace {

using T = ValueType;

const std::vector<std::string> temperature_classes = {"ultra_cold", "frozen", "fridge"};

void declare_top(Registry& r) {
    r.add("format", T::integer).required().range(1, 1).help("Scenario format version").source("software setting");
    r.add("extends", T::text).help("Embedded scenario name (e.g. \"default-2021\") or path, relative to this file, "
                                   "to start from; this file overrides its values").source("software setting");
    r.add("name", T::text).sets(&World::name)
        .def("\"unnamed\"").help("Name shown in outputs").source("software setting");
    r.add("description", T::text).def("\"\"").help("Free text").source("software setting");
}

void declare_simulation(Registry& r) {
    r.add("simulation", T::table).help("Time span, seed and run options");
    r.add("simulation.start", T::date).sets(&SimulationSettings::start)
        .def("2021-01-01").help("First simulated day").source("software setting");
    r.add("simulation.end", T::date).sets(&SimulationSettings::end)
        .def("2022-06-30").help("Last simulated day (inclusive)").source("software setting");
    r.add("simulation.seed", T::integer).sets(&SimulationSettings::seed)
        .def("1").range(0, 9.0e15).help("Seed of every random stream")
        .source("software setting");
    r.add("simulation.epidemic_mode", T::text)
        .sets(&SimulationSettings::stochastic_epidemic, [](const std::string& t) { return t == "stochastic"; })
        .def("\"deterministic\"").choices({"deterministic", "stochastic"})
        .help("Epidemic integration: ODE or binomial chain").source("software setting");
    r.add("simulation.output_resolution", T::text)
        .sets(&SimulationSettings::weekly_output, [](const std::string& t) { return t == "weekly"; })
        .def("\"weekly\"").choices({"daily", "weekly"})
        .help("Resolution of timeseries.csv (weekly sums flows and keeps end-of-week levels)")
        .source("software setting");
}

void declare_world(Registry& r) {
    r.add("world", T::table).help("Which countries and age bands");
    r.add("world.countries", T::text).def("\"listed\"").choices({"all", "listed"})
        .help("\"all\": every country of the embedded table (UN WPP 2019, Prem 2021) plus [[countries]]; "
              "\"listed\": only [[countries]]").source("software setting");
    r.add("world.age_bands", T::number_list).unit("years")
        .def("[0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75]").range(0, 120).at_most_entries(121)
        .help("Lower bounds of the age bands, ascending from 0; the last band is open")
        .source("Prem et al. 2021 contact matrices use these sixteen bands; at most one band per year of age "
                "(memory and run time grow with the square of the count)");
}

// Keys of a country; declared under countries[] and accepted under country_defaults.
void declare_country(Registry& r, const std::string& p) {
    r.add(p + ".code", T::text).required().unit("ISO 3166-1 alpha-3").help("Country code");
    r.add(p + ".name", T::text).help("Country name (default: the embedded table's, else the code)");
    r.add(p + ".region", T::text).def("\"\"").help("UN region").source("UN M49");
    r.add(p + ".subregion", T::text).def("\"\"").help("UN subregion").source("UN M49");
    r.add(p + ".income_group", T::text).def("\"\"")
        .choices({"", "Low income", "Lower middle income", "Upper middle income", "High income"})
        .help("World Bank income group").source("World Bank FY2021 classification");
    r.add(p + ".remove", T::boolean).def("false").help("Drop this country (when extending a scenario)")
        .source("software setting");
    r.add(p + ".population_by_age", T::number_list).unit("persons").at_least(0)
        .help("Persons per age band (required for a country not in the embedded table); more than 1e10 persons in all "
              "is an error (the world had 7.8e9 in 2021)")
        .source("UN WPP 2019 via data/tables/countries.csv");
    r.add(p + ".contacts", T::matrix).unit("contacts per day").at_least(0).choices({"embedded", "uniform"})
        .def("\"embedded\"")
        .help("Contact matrix, bands x bands, row = participant; \"uniform\" = 10 contacts a day spread by "
              "population").source("Prem et al. 2021 via data/tables/contacts.csv");
    r.add(p + ".trade_blocs", T::text_list).sets(&Country::trade_blocs)
        .def("[]").help("Trade blocs (RCEP, SAARC, Mercosur, EAEU, EU, ...)")
        .source("bloc membership lists, see docs/default-2021.md");
    r.add(p + ".covax_participant", T::boolean).sets(&Country::covax_participant)
        .def("false").help("Receives COVAX allocations")
        .source("Gavi, COVAX AMC eligible economies list (2021)");
    r.add(p + ".cold_chain", T::table).help("Storage capacity per temperature class at the start");
    r.add(p + ".cold_chain.ultra_cold_doses", T::number).unit("doses").at_least(0).def("0")
        .help("-70C storage capacity").source("assumption; set per country in scenarios");
    r.add(p + ".cold_chain.frozen_doses", T::number).unit("doses").at_least(0).def("1e12")
        .help("-20C storage capacity (default: unlimited)").source("assumption; set per country in scenarios");
    r.add(p + ".cold_chain.fridge_doses", T::number).unit("doses").at_least(0).def("1e12")
        .help("2-8C storage capacity (default: unlimited)").source("assumption; set per country in scenarios");
    r.add(p + ".cold_chain_growth", T::table_array).help("Dated additions to storage capacity");
    r.add(p + ".cold_chain_growth[].date", T::date).required().help("When the capacity is added");
    r.add(p + ".cold_chain_growth[].class", T::text).required().choices(temperature_classes)
        .help("Temperature class");
    r.add(p + ".cold_chain_growth[].doses", T::number).required().unit("doses").at_least(0)
        .help("Capacity added");
    r.add(p + ".admin_capacity_doses_per_day", T::schedule).unit("doses/day").at_least(0)
        .help("Daily administration capacity (ramp); overrides admin_capacity_share_per_day");
    r.add(p + ".admin_capacity_share_per_day", T::schedule).unit("share of population/day").range(0, 0.1)
        .def("[[2021-01-01, 0.0005], [2021-07-01, 0.004]]")
        .help("Daily administration capacity as a share of the population (ramp)")
        .source("OWID vaccinations 2021: median peak 7-day rates 0.3-0.6% of population per day");
    r.add(p + ".campaign_start", T::date).sets(&Country::campaign_start)
        .def("2021-01-01").help("First day of administration")
        .source("assumption; per country in scenarios");
    r.add(p + ".priority", T::text).sets(&Country::priority, [](const std::string& t) { return priority_from(t); })
        .def("\"oldest_first\"")
        .choices({"oldest_first", "health_workers_then_oldest", "uniform"}).help("Order of first doses")
        .source("WHO SAGE Roadmap for prioritizing uses of COVID-19 vaccines (2020): older adults first");
    r.add(p + ".health_worker_share", T::number).sets(&Country::health_worker_share)
        .unit("share of adults").range(0, 0.5).def("0.02")
        .help("Share of adults vaccinated first as health workers")
        .source("WHO (2016) Global strategy on human resources for health: health workers ~2% of adults, order of magnitude");
    r.add(p + ".min_age_years", T::integer).sets(&Country::min_age_years).unit("years").range(0, 100).def("18")
        .help("Minimum age for vaccination").source("most 2021 emergency authorisations were 16+/18+");
    r.add(p + ".second_dose_policy", T::text)
        .sets(&Country::second_dose_policy, [](const std::string& t) { return second_dose_policy_from(t); })
        .def("\"first_doses_first\"")
        .choices({"first_doses_first", "hold_back_second"})
        .help("first_doses_first gives stock to new people after due second doses; hold_back_second keeps "
              "component-2 stock for everyone due").source("software setting");
    r.add(p + ".willing_share_by_age", T::number_or_list).unit("share").range(0, 1).def("0.7")
        .help("Share willing to be vaccinated with no recent deaths, full trust and no disinformation, one value or "
              "one per age band; a poll converts as logit(W0) = logit(W_poll) - 2.9 D/(D+5) + 0.8 (1-T)")
        .source("Lazarus et al. 2021, Nat Med 27:225 (global survey, 71.5% would take a vaccine), taken as the "
                "no-fear baseline; docs/model/uptake.md");
    r.add(p + ".certificate_fraud_share", T::number).sets(&Country::certificate_fraud_share)
        .unit("share of reported doses").range(0, 0.9).def("0")
        .help("Share of reported doses never given (fake certificates)").source("assumption; 0 unless set");
    r.add(p + ".target_coverage", T::number).sets(&Country::target_coverage)
        .unit("share of population").range(0, 1).def("0.7")
        .help("Procurement target: share of the population fully vaccinated")
        .source("WHO global strategy to vaccinate 70% of each country's population by mid-2022 (Oct 2021)");
    r.add(p + ".alignment_west", T::number).sets(&Country::alignment_west).range(-1, 1).def("0")
        .help("Political alignment with the USA/EU bloc").source("see docs/model/diplomacy.md");
    r.add(p + ".alignment_russia", T::number).sets(&Country::alignment_russia).range(-1, 1).def("0")
        .help("Political alignment with Russia").source("see docs/model/diplomacy.md");
    r.add(p + ".alignment_china", T::number).sets(&Country::alignment_china).range(-1, 1).def("0")
        .help("Political alignment with China").source("see docs/model/diplomacy.md");
    r.add(p + ".r0", T::number).sets(&Country::r0).unit("1").range(0.1, 20).help("Per-country override of epidemic.r0");
    r.add(p + ".initial_infections", T::number).sets(&Country::initial_infections)
        .unit("persons").at_least(0).def("100")
        .help("Infectious people on the first day").source("assumption; per country in scenarios");
    r.add(p + ".initial_immune_share", T::number).sets(&Country::initial_immune_share)
        .unit("share").range(0, 1).def("0")
        .help("Share recovered (immune) on the first day").source("assumption; per country in scenarios");
    r.add(p + ".fatality_multiplier", T::number).sets(&Country::fatality_multiplier).unit("relative")
        .range(0.25, 4).def("1")
        .help("Multiplier of the infection fatality ratio by age (access to care and its strain); each band's ratio "
              "is at most 1")
        .source("1: Brazeau et al. 2022 as given; fitted per country by `doseflow calibrate` where the record needs "
                "it (docs/calibration.md); Levin et al. 2022 BMJ Glob Health 7:e008477 found the age-specific IFR "
                "of developing countries about twice that of high-income ones");
    r.add(p + ".death_reporting_ratio", T::number).sets(&Country::death_reporting_ratio).unit("share")
        .range(0.001, 5).def("1")
        .help("Deaths reported over deaths that occur; fear of the home epidemic and a supplier's domestic surge "
              "answer the reported deaths, and timeseries.csv records them as deaths_reported")
        .source("1: every death reported; fitted per country by `doseflow calibrate` as JHU CSSE reported deaths "
                "over the fitted deaths, February 2020 to December 2021 (docs/calibration.md)");
    r.add(p + ".transmission_path", T::schedule).unit("relative").range(0.01, 20)
        .help("Multiplier of the country's transmission over time (distancing, behaviour): dated knots, linear in "
              "log space between them, held before the first and after the last; unset: 1")
        .source("fitted per country by `doseflow calibrate` (docs/model.md, transmission path)");
    r.add(p + ".travel_weight", T::number).sets(&Country::travel_weight).unit("1").at_least(0).def("1")
        .help("Relative connectivity for importation").source("assumption");
}

void declare_products(Registry& r) {
    r.add("products", T::table_array).help("Vaccine products");
    r.add("products[].id", T::text).sets(&Product::id).required().help("Product id");
    r.add("products[].name", T::text).help("Display name (default: the id)");
    r.add("products[].observed_name", T::text).def("\"\"")
        .help("The product's name in observed records (Our World in Data's vaccinations-by-manufacturer.csv): "
              "`doseflow compare` compares the doses of products that have one")
        .source("software setting: OWID's vaccine names, listed in the README of its covid-19-data vaccinations");
    r.add("products[].remove", T::boolean).def("false").help("Drop this product (when extending)")
        .source("software setting");
    r.add("products[].origin", T::text).sets(&Product::origin)
        .required().refers_to("country").help("Developer's country");
    r.add("products[].components", T::text_list).sets(&Product::components).at_most_entries(255)
        .required().help("Distinct components, in order (at most 255: the supply stage numbers them in a byte)");
    r.add("products[].course", T::number_list).required().range(1, 9)
        .help("1-based component number given at each dose (Sputnik V [1, 2], Pfizer [1, 1], Janssen [1])");
    r.add("products[].group", T::text).sets(&Product::group)
        .required().help("Epidemic product group (efficacy, waning, escape)");
    r.add("products[].storage", T::text)
        .sets(&Product::storage, [](const std::string& t) { return *temperature_from(t); })
        .required().choices(temperature_classes)
        .help("Temperature class needed on arrival");
    r.add("products[].shelf_life_days", T::table).required().help("Shelf life per class it may be kept in");
    for (const auto& cls : temperature_classes)
        r.add("products[].shelf_life_days." + cls, T::integer).unit("days").range(1, 3650)
            .help("Shelf life when kept at " + cls);
    r.add("products[].min_interval_days", T::integer).sets(&Product::min_interval_days)
        .unit("days").range(0, 365).def("21")
        .help("Minimum days between doses")
        .source("Pfizer-BioNTech EUA (FDA, Dec 2020): 21 days; set per product");
    r.add("products[].recommended_interval_days", T::integer).sets(&Product::recommended_interval_days)
        .unit("days").range(0, 365).def("28")
        .help("Recommended days between doses (later = overdue)")
        .source("Moderna EUA (FDA, Dec 2020): 28 days; set per product");
    r.add("products[].price_usd_per_dose", T::number).sets(&Product::price_usd_per_dose)
        .unit("USD/dose").range(0, 1000).def("10")
        .help("List price per dose")
        .source("order of magnitude of 2021 prices (UNICEF COVID-19 Vaccine Market Dashboard: USD 2-20)");
    r.add("products[].open_vial_wastage", T::number).sets(&Product::open_vial_wastage)
        .unit("share").range(0, 0.9).def("0.05")
        .help("Share of doses lost when vials are opened")
        .source("WHO (2019) Revising global indicative wastage rates: 5% for 10-dose liquid vials, order of magnitude");
    r.add("products[].approvals", T::text_list).sets(&Product::approvals)
        .def("[\"national\"]").choices({"who_eul", "ema", "national"})
        .help("Regulatory approvals")
        .source("software setting: national approval only unless listed");
    r.add("products[].who_eul_date", T::date).sets(&Product::who_eul_date)
        .help("Day of the WHO Emergency Use Listing (needs \"who_eul\" in approvals): buyers count the listing "
              "from this day, and with covax.listed_only COVAX ships the product from it; unset: listed before the run")
        .source("WHO EUL list (scenario beside each product)");
    r.add("products[].ema_date", T::date).sets(&Product::ema_date)
        .help("Day of the EMA (conditional) marketing authorisation (needs \"ema\" in approvals): buyers count it "
              "from this day; unset: authorised before the run")
        .source("EMA (scenario beside each product)");
    r.add("products[].source", T::text).def("\"\"").help("Where the figures come from")
        .source("software setting");
}

void declare_sites(Registry& r) {
    r.add("sites", T::table_array).help("Production lines");
    r.add("sites[].id", T::text).sets(&Site::id).required().help("Site id");
    r.add("sites[].remove", T::boolean).def("false").help("Drop this site (when extending)")
        .source("software setting");
    r.add("sites[].country", T::text).required().refers_to("country").help("Owner country");
    r.add("sites[].product", T::text).required().refers_to("product").help("Product made");
    r.add("sites[].components", T::text_list).help("Components made (default: all of the product's)");
    r.add("sites[].component_yield", T::number_list).range(0, 10)
        .help("Output of each component per unit of capacity (default: 1 each)");
    r.add("sites[].capacity_doses_per_day", T::schedule).unit("doses/day").at_least(0)
        .help("Capacity ramp (per component); required unless the site has a licence");
    r.add("sites[].share", T::schedule).unit("share").range(0, 1)
        .help("Step schedule: share of the line for this product (default 1)");
    r.add("sites[].release_delay_days", T::integer).sets(&Site::release_delay_days).unit("days").range(0, 365).def("21")
        .help("Quality control and release delay")
        .source("WHO TRS 978 Annex 2 lot release; ~3 weeks typical for vaccines");
    r.add("sites[].stock_at_start_doses", T::number).sets(&Site::stock_at_start_doses).unit("doses").range(0, 1e10)
        .def("0").help("Doses made before the run and not yet shipped (each component times its yield, as a day's "
                       "output): released on the run's first day and counted as produced that day")
        .source("none: 0 for a line that starts with the run; a stockpile is the scenario's, with its source");
    r.add("sites[].disruptions", T::table_array).help("Scheduled capacity losses");
    r.add("sites[].disruptions[].start", T::date).sets(&Disruption::start).required().help("First day");
    r.add("sites[].disruptions[].end", T::date).sets(&Disruption::end).required().help("Last day");
    r.add("sites[].disruptions[].capacity_loss", T::number).sets(&Disruption::capacity_loss)
        .required().unit("share").range(0, 1)
        .help("Share of capacity lost");
    r.add("sites[].random_disruption", T::table).help("Random disruptions");
    r.add("sites[].random_disruption.daily_probability", T::number).sets(&RandomDisruption::daily_probability)
        .unit("1/day").range(0, 1).def("0")
        .help("Chance a disruption starts on a day").source("assumption; 0 unless set");
    r.add("sites[].random_disruption.mean_duration_days", T::number).sets(&RandomDisruption::mean_duration_days)
        .unit("days").range(1, 365).def("14")
        .help("Mean duration: geometric on whole days, so at least 1 (one day)").source("assumption");
    r.add("sites[].random_disruption.capacity_loss", T::number).sets(&RandomDisruption::capacity_loss)
        .unit("share").range(0, 1).def("0.5")
        .help("Share of capacity lost").source("assumption");
    r.add("sites[].licence", T::table).help("Licensed partner terms");
    r.add("sites[].licence.licensor", T::text).required().refers_to("country").help("Licensing country");
    r.add("sites[].licence.announced_doses_per_day", T::number).sets(&Licence::announced_doses_per_day)
        .required().unit("doses/day").at_least(0)
        .help("Announced capacity");
    r.add("sites[].licence.signed", T::date).sets(&Licence::signed_on).required().help("Date of the agreement");
    r.add("sites[].licence.start_lag_days", T::integer).sets(&Licence::start_lag_days)
        .unit("days").range(0, 3650).def("180")
        .help("Days from signing to first output").source("assumption; per site in scenarios");
    r.add("sites[].licence.realised_share", T::number).unit("share").range(0, 1)
        .help("Share of the announced capacity realised (fixed)");
    r.add("sites[].licence.realised_share_range", T::number_list).unit("share").range(0, 1)
        .help("[min, max]: realised share drawn uniformly per seed");
    r.add("sites[].licence.may_export", T::boolean).sets(&Licence::may_export)
        .def("false").help("May export on its own account")
        .source("software setting");
    r.add("sites[].licence.export_bloc", T::text).help("Trade bloc it may export into");
    r.add("sites[].licence.export_to", T::text_list).help("Countries it may export to");
    r.add("sites[].source", T::text).def("\"\"").help("Where the figures come from")
        .source("software setting");
}

void declare_contracts(Registry& r) {
    // ASSUMPTION: 200,000 contracts is a thousand times the default scenario's and bounds memory and run time.
    r.add("contracts", T::table_array).at_most_entries(200000).help("Sales, donations, COVAX pledges and licences");
    r.add("contracts[].id", T::text).sets(&Contract::id).required().help("Contract id");
    r.add("contracts[].remove", T::boolean).def("false").help("Drop this contract (when extending)")
        .source("software setting");
    r.add("contracts[].kind", T::text).sets(&Contract::kind, [](const std::string& t) { return *kind_from(t); })
        .def("\"sale\"").choices({"sale", "donation", "covax", "licence"})
        .help("Contract kind")
        .source("software setting");
    r.add("contracts[].supplier", T::text).required().refers_to("country").help("Supplying country");
    r.add("contracts[].recipient", T::text).refers_to("country").help("Receiving country (none for covax)");
    r.add("contracts[].product", T::text).required().refers_to("product").help("Product");
    r.add("contracts[].doses", T::number).sets(&Contract::doses).required().unit("doses").at_least(0)
        .help("Doses ordered over all doses of the course; more than 10 per person of the scenario's countries is "
              "warned about, not refused (a few countries may carry a world-scale order)");
    r.add("contracts[].price_usd_per_dose", T::number).unit("USD/dose").range(0, 1000)
        .help("Price (default: the product's)");
    r.add("contracts[].prepaid_usd", T::number).sets(&Contract::prepaid_usd)
        .unit("USD").at_least(0).def("0").help("Prepayment")
        .source("neutral default: no prepayment unless reported");
    r.add("contracts[].signed", T::date).sets(&Contract::signed_on).required().help("Signing date");
    r.add("contracts[].schedule", T::schedule).unit("doses").at_least(0)
        .help("Tranches: cumulative doses due by each date");
    r.add("contracts[].as_available", T::boolean).sets(&Contract::as_available).def("false")
        .help("Delivered as stock allows, without a schedule").source("software setting");
    r.add("contracts[].through_covax", T::boolean).sets(&Contract::through_covax).def("false")
        .help("donation only: shipped through COVAX to the recipient the donor chose; counted among COVAX's deliveries")
        .source("software setting; per contract in scenarios, with the donor's or COVAX's announcement");
    r.add("contracts[].donors", T::text_list).refers_to("country").def("[]")
        .help("covax or donation only: countries whose own contracts (kind sale, same supplier and product) the "
              "doses come out of; the supplier serves the donation first from their share and takes what it ships "
              "off their orders (each donor needs such a contract)")
        .source("software setting; per contract in scenarios, with the donors' announcements");
    r.add("contracts[].source", T::text).sets(&Contract::source).def("\"\"").help("Where the figures come from")
        .source("software setting");
}

void declare_supply(Registry& r) {
    r.add("suppliers", T::table_array).help("Allocation policy of each supplying country");
    r.add("suppliers[].country", T::text).required().refers_to("country").help("Supplier");
    r.add("suppliers[].remove", T::boolean).def("false").help("Drop (when extending)").source("software setting");
    r.add("suppliers[].policy", T::text)
        .sets(&SupplierPolicy::policy, [](const std::string& t) { return *policy_from(t); })
        .def("\"domestic_first\"")
        .choices({"domestic_first", "pro_rata", "fifo", "priority", "need_based"}).help("Allocation rule")
        .source("software setting: most producers served home first in 2021 (e.g. EU, US, India, Russia)");
    r.add("suppliers[].domestic_reserve_days", T::integer).sets(&SupplierPolicy::domestic_reserve_days)
        .unit("days").range(0, 365).def("14")
        .help("domestic_first: reserve what the home programme can use in this many days")
        .source("assumption");
    r.add("suppliers[].domestic_share", T::number).sets(&SupplierPolicy::domestic_share).unit("share").range(0, 1)
        .help("A fixed domestic share instead of the reserve rule");
    r.add("suppliers[].priority_order", T::text_list).refers_to("country").help("priority: favoured buyers, in order");
    r.add("suppliers[].priority_weights", T::number_list).sets(&SupplierPolicy::priority_weights)
        .at_least(0).help("priority: weights, same order");
    r.add("suppliers[].covax_share", T::number).sets(&SupplierPolicy::covax_share).unit("share").range(0, 1).def("0")
        .help("Share of each day's stock for COVAX pledges").source("assumption; per supplier in scenarios");
    r.add("suppliers[].donation_share", T::number).sets(&SupplierPolicy::donation_share)
        .unit("share").range(0, 1).def("0")
        .help("Share of each day's stock for donations").source("assumption; per supplier in scenarios");
    r.add("suppliers[].surge_response", T::number).sets(&SupplierPolicy::surge_response)
        .unit("share").range(0, 1).def("0")
        .help("Largest rise of the domestic share when the home epidemic surges").source("assumption");

    r.add("export_controls", T::table_array).help("Export bans and caps; at most 64 may apply to one exporter and product on one day");
    r.add("export_controls[].id", T::text)
        .help("Control id: names it for --set (export_controls.ID.end=...) and for a scenario that extends this one");
    r.add("export_controls[].remove", T::boolean).def("false").help("Drop this control (when extending)")
        .source("software setting");
    r.add("export_controls[].exporter", T::text).required().refers_to("country").help("Exporting country");
    r.add("export_controls[].product", T::text).refers_to("product").help("Product (all when omitted)");
    r.add("export_controls[].start", T::date).sets(&ExportControl::start).required().help("First day");
    r.add("export_controls[].end", T::date).sets(&ExportControl::end).required().help("Last day");
    r.add("export_controls[].cap_doses_per_day", T::number).sets(&ExportControl::cap_doses_per_day)
        .unit("doses/day").at_least(0).def("0")
        .help("Largest export a day; 0 = ban").source("software setting: a control is a ban unless capped");
    r.add("export_controls[].exempt", T::text_list).refers_to("country").def("[]").help("Exempt destinations")
        .source("software setting");
    r.add("export_controls[].source", T::text).sets(&ExportControl::source)
        .def("\"\"").help("Where the figures come from")
        .source("software setting");

    r.add("shipping", T::table).help("Lead times");
    r.add("shipping.default_lead_days", T::integer).sets(&ShippingSettings::default_lead_days)
        .unit("days").range(0, 365).def("10")
        .help("Between regions").source("assumption: air freight plus customs, about 1-2 weeks");
    r.add("shipping.same_region_lead_days", T::integer).sets(&ShippingSettings::same_region_lead_days)
        .unit("days").range(0, 365).def("5")
        .help("Within a UN region").source("assumption");
    r.add("shipping.same_subregion_lead_days", T::integer).sets(&ShippingSettings::same_subregion_lead_days)
        .unit("days").range(0, 365).def("3")
        .help("Within a UN subregion").source("assumption");
    r.add("shipping.recipient_stock_days", T::integer).sets(&ShippingSettings::recipient_stock_days)
        .unit("days").range(0, 3650).def("0")
        .help("A contract (sale, donation, COVAX for each participant) and a producer's home programme ship to a "
              "recipient only up to what its planned administration capacity gives over this many days from today (no "
              "more than its willing people would take, nor than its stores keep), less its stock and the doses on their way to it: what recipients cannot use "
              "waits with the supplier for its other buyers; 0: no limit")
        .source("software setting: no limit unless a scenario sets one");
    r.add("shipping.domestic_lead_days", T::integer).sets(&ShippingSettings::domestic_lead_days)
        .unit("days").range(0, 365).def("1")
        .help("From a site to its own country's programme").source("assumption");
    r.add("shipping.routes", T::table_array).help("Explicit lead times");
    r.add("shipping.routes[].from", T::text).required().refers_to("country").help("From");
    r.add("shipping.routes[].to", T::text).required().refers_to("country").help("To");
    r.add("shipping.routes[].lead_days", T::integer).sets(&ShippingRoute::lead_days)
        .required().unit("days").range(0, 365).help("Lead time");

    r.add("covax", T::table).help("The COVAX facility");
    r.add("covax.coverage_cap", T::number).sets(&CovaxSettings::coverage_cap)
        .unit("share of population").range(0, 1).def("0.2")
        .help("Share of each participant's population COVAX covers")
        .source("WHO Fair Allocation Framework (2020): 20% of each participant's population");
    r.add("covax.shipment_interval_days", T::integer).sets(&CovaxSettings::shipment_interval_days)
        .unit("days").range(1, 365).def("7")
        .help("Days between the facility's shipments to participants; COVAX contracts claim stock every day, set "
              "their grants aside and dispatch them on these days")
        .source("COVAX allocation rounds (2 March, 12 April 2021) reached ~35 countries in two weeks (UNICEF USA, "
                "2021-03-10); weekly is a modelling choice");
    r.add("covax.listed_only", T::boolean).sets(&CovaxSettings::listed_only).def("false")
        .help("COVAX contracts ship a product only once WHO has listed it for emergency use: never without "
              "\"who_eul\" in its approvals, and from products[].who_eul_date when that is given")
        .source("software setting: off, so a scenario without approval data ships as ordered; the Facility "
                "procured only WHO-listed (EUL or prequalified) vaccines (Gavi, COVAX AMC)");
}

void declare_events(Registry& r) {
    r.add("events", T::table_array).help("Dated changes");
    r.add("events[].date", T::date).sets(&ScenarioEvent::date).required().help("When it takes effect");
    r.add("events[].kind", T::text).sets(&ScenarioEvent::kind, [](const std::string& t) { return *event_kind_from(t); })
        .required()
        .choices({"policy_change", "capacity_shock", "variant_arrival", "price_change", "domestic_share"})
        .help("What changes");
    r.add("events[].supplier", T::text).refers_to("country").help("policy_change, domestic_share: the supplier");
    r.add("events[].country", T::text).refers_to("country").help("variant_arrival: the country");
    r.add("events[].site", T::text).refers_to("site").help("capacity_shock: the site");
    r.add("events[].product", T::text).refers_to("product").help("price_change: the product");
    r.add("events[].variant", T::text).refers_to("variant").help("variant_arrival: the variant");
    r.add("events[].policy", T::text).choices({"domestic_first", "pro_rata", "fifo", "priority", "need_based"})
        .help("policy_change: the new rule");
    r.add("events[].value", T::number).sets(&ScenarioEvent::value).def("0")
        .help("capacity factor, price (USD/dose), domestic share, or seed infections").source("software setting");
    r.add("events[].duration_days", T::integer).sets(&ScenarioEvent::duration_days).unit("days").range(0, 3650).def("0")
        .help("capacity_shock: how long (0 = to the end)").source("software setting");
    r.add("events[].note", T::text).sets(&ScenarioEvent::note).def("\"\"").help("Why (shown in events.csv)")
        .source("software setting");
}

const std::vector<std::string> income_groups = {"Low income", "Lower middle income", "Upper middle income",
                                                "High income"};

// Who a dated uptake entry applies to: the listed countries and every country of the listed income groups; every
// country when both are empty.
void declare_applies_to(Registry& r, const std::string& p) {
    r.add(p + ".countries", T::text_list).refers_to("country").def("[]")
        .help("Countries it applies to (with income_groups; every country when both are empty)")
        .source("software setting");
    r.add(p + ".income_groups", T::text_list).choices(income_groups).def("[]")
        .help("World Bank income groups it applies to").source("software setting");
}

void declare_uptake_programmes(Registry& r) {
    r.add("uptake.eligibility", T::table_array).help("Dated widening of eligibility to younger ages");
    r.add("uptake.eligibility[].date", T::date)
        .sets(&EligibilityExpansion::date).required().help("From when");
    declare_applies_to(r, "uptake.eligibility[]");
    r.add("uptake.eligibility[].min_age_years", T::integer)
        .sets(&EligibilityExpansion::min_age_years).required().unit("years").range(0, 100)
        .help("New minimum age");
    r.add("uptake.eligibility[].products", T::text_list).refers_to("product").def("[]")
        .help("Products authorised from that age (every product when empty)").source("software setting");
    r.add("uptake.eligibility[].source", T::text).required().help("Where the date and age come from");

    r.add("uptake.boosters", T::table_array).help("Dated booster programmes; a country follows the latest started "
                                                  "programme that applies to it");
    r.add("uptake.boosters[].start", T::date)
        .sets(&BoosterProgramme::start).required().help("First day of the programme");
    declare_applies_to(r, "uptake.boosters[]");
    r.add("uptake.boosters[].min_age_years", T::integer)
        .sets(&BoosterProgramme::min_age_years).unit("years").range(0, 100).def("18")
        .help("Youngest age offered a booster").source("software setting");
    r.add("uptake.boosters[].interval_days", T::integer)
        .sets(&BoosterProgramme::interval_days).unit("days").range(1, 3650).def("180")
        .help("Days since the last dose of the primary course").source("software setting");
    r.add("uptake.boosters[].products", T::text_list).refers_to("product").def("[]")
        .help("Products that may be given as a booster (every product when empty); heterologous when it differs "
              "from the course").source("software setting");
    r.add("uptake.boosters[].courses", T::text_list).refers_to("product").def("[]")
        .help("Primary courses whose completers are offered one (every product when empty)")
        .source("software setting");
    r.add("uptake.boosters[].uptake_share", T::number)
        .sets(&BoosterProgramme::uptake_share).unit("share").range(0, 1).def("1")
        .help("Share of the eligible completers who take a booster").source("software setting");
    r.add("uptake.boosters[].repeat_days", T::integer)
        .sets(&BoosterProgramme::repeat_days).unit("days").range(0, 3650).def("0")
        .help("Boosted people are offered another after this many days (0 = never)").source("software setting");
    r.add("uptake.boosters[].ahead_of_first_doses", T::boolean)
        .sets(&BoosterProgramme::ahead_of_first_doses).def("true")
        .help("Boosters are given before the day's first doses (else with what capacity and stock they leave)")
        .source("software setting");
    r.add("uptake.boosters[].source", T::text).required().help("Where the date and rules come from");

    r.add("uptake.mandates", T::table_array).help("Dated vaccination requirements (certificates, workplaces)");
    r.add("uptake.mandates[].start", T::date)
        .sets(&Mandate::start).required().help("First day");
    r.add("uptake.mandates[].end", T::date)
        .sets(&Mandate::end).required().help("Last day");
    declare_applies_to(r, "uptake.mandates[]");
    r.add("uptake.mandates[].min_age_years", T::integer)
        .sets(&Mandate::min_age_years).unit("years").range(0, 100).def("18")
        .help("Youngest age the requirement touches").source("software setting");
    r.add("uptake.mandates[].willingness_log_odds", T::number)
        .sets(&Mandate::willingness_log_odds).unit("log-odds").range(0, 5).def("0")
        .help("Rise of the log-odds of willingness in the touched ages").source("software setting");
    r.add("uptake.mandates[].fake_certificate_share", T::number)
        .sets(&Mandate::fake_certificate_share).unit("share").range(0, 1).def("0")
        .help("Share of the touched people unwilling to be vaccinated who obtain a fake certificate")
        .source("software setting");
    r.add("uptake.mandates[].source", T::text).required().help("Where the date and effect come from");

    r.add("uptake.willingness", T::table_array)
        .help("No-fear willingness set for several countries at once (fitted values); overrides their "
              "willing_share_by_age");
    declare_applies_to(r, "uptake.willingness[]");
    r.add("uptake.willingness[].willing_share", T::number).required().unit("share").range(0, 1)
        .help("Share willing with no recent deaths, full trust and no disinformation, every age band");
    r.add("uptake.willingness[].source", T::text).required().help("Where the value comes from (a fit, a survey)");

    r.add("uptake.sharing", T::table).help("Surplus offered to other countries before it expires");
    r.add("uptake.sharing.enabled", T::boolean)
        .sets(&DoseSharing::enabled).def("false").help("Share surplus doses")
        .source("software setting");
    r.add("uptake.sharing.start", T::date)
        .sets(&DoseSharing::start).def("2021-01-01").help("First day surplus is offered")
        .source("software setting");
    r.add("uptake.sharing.donors", T::text_list).refers_to("country").def("[]")
        .help("Countries that offer their surplus (every country when empty)").source("software setting");
    r.add("uptake.sharing.offer_days_before_expiry", T::integer)
        .sets(&DoseSharing::offer_days_before_expiry).unit("days").range(1, 3650).def("60")
        .help("Stock this close to expiry that the holder cannot give in time is offered").source("software setting");
    r.add("uptake.sharing.min_shelf_life_days", T::integer)
        .sets(&DoseSharing::min_shelf_life_days).unit("days").range(0, 3650).def("30")
        .help("Recipients refuse lots with less shelf life left on arrival").source("software setting");
    r.add("uptake.sharing.lead_days", T::integer)
        .sets(&DoseSharing::lead_days).unit("days").range(0, 365).def("14")
        .help("Days from offer to the recipient's store").source("software setting");
    r.add("uptake.sharing.absorb_days", T::integer)
        .sets(&DoseSharing::absorb_days).unit("days").range(1, 3650).def("60")
        .help("A recipient accepts at most this many days of its administration capacity, less its stock")
        .source("software setting");
}

void declare_uptake(Registry& r) {
    r.add("uptake", T::table).help("Hesitancy and dose substitution");
    r.add("uptake.substitutions", T::table_array).help("Allowed substitutes for a dose");
    r.add("uptake.substitutions[].product", T::text).required().refers_to("product").help("Course being completed");
    r.add("uptake.substitutions[].dose", T::integer).sets(&SubstitutionRule::dose)
        .def("2").range(2, 9).help("Dose number that may be substituted")
        .source("software setting");
    r.add("uptake.substitutions[].substitute", T::text).required().refers_to("product").help("Substitute product");
    r.add("uptake.substitutions[].after_days", T::integer).sets(&SubstitutionRule::after_days)
        .unit("days").range(0, 3650).def("0")
        .help("Allowed once this many days have passed since the previous dose")
        .source("software setting");
    r.add("uptake.substitutions[].start", T::date).sets(&SubstitutionRule::start).def("1900-01-01")
        .help("First day the substitute may be given (the date of the recommendation)").source("software setting");
    declare_applies_to(r, "uptake.substitutions[]");
    r.add("uptake.substitutions[].source", T::text).def("\"\"")
        .help("Where the rule and its date come from").source("software setting");
    r.add("uptake.fear_coefficient", T::number).sets(&UptakeParameters::fear_coefficient)
        .unit("log-odds").at_least(0).def("2.9")
        .help("Rise in the log-odds of willingness at full fear of the home epidemic")
        .source("least-squares fit of Levada Center polls Feb-Oct 2021 to Russia's official deaths (OWID); includes "
                "the June 2021 mandates, so an upper bound (docs/model/uptake.md)");
    r.add("uptake.fear_half_saturation", T::number).sets(&UptakeParameters::fear_half_saturation)
        .unit("deaths per million per day").at_least(1e-6).def("5")
        .help("Home deaths (7-day mean) at which fear has half its effect")
        .source("middle of the range fitted to the Levada polls, 2021 (docs/model/uptake.md)");
    r.add("uptake.trust_coefficient", T::number).sets(&UptakeParameters::trust_coefficient)
        .unit("log-odds").at_least(0).def("0.8")
        .help("Fall in the log-odds of willingness per unit of lost trust in a product's supplier")
        .source("Gallup, Russia 2021: 34% vs 19% willing by confidence in government");
    r.add("uptake.disinformation_coefficient", T::number).sets(&UptakeParameters::disinformation_coefficient)
        .unit("log-odds").at_least(0).def("0.25")
        .help("Fall in the log-odds of willingness per unit of disinformation exposure")
        .source("Loomba et al. 2021, Nat Hum Behav 5:337: -6.2 pp from 54.1% (UK), -6.4 pp from 41.2% (US)");
    r.add("uptake.willingness_relaxation_days", T::number).sets(&UptakeParameters::willingness_relaxation_days)
        .unit("days").range(1, 3650).def("21")
        .help("Time scale on which willingness moves to its target")
        .source("OWID: Russia's daily doses 259k -> 505k -> 682k, June-July 2021");
    declare_uptake_programmes(r);
}

void declare_epidemic(Registry& r) {
    r.add("epidemic", T::table).help("Age-structured SEIR-V");
    r.add("epidemic.r0", T::number).sets(&EpidemicParameters::r0).unit("1").range(0.1, 20).def("2.6")
        .help("Basic reproduction number of the ancestral strain (spectral radius of the NGM)")
        .source("Bubar et al. 2021, Science 371:916 (R0 = 2.6 uncontrolled)");
    r.add("epidemic.history_start", T::date).sets(&EpidemicParameters::history_start)
        .help("First day of each country's epidemic: the epidemic alone (no vaccination) runs from here to "
              "simulation.start, so the state at the start follows from the history; unset: the run starts from "
              "initial_infections and initial_immune_share")
        .source("scenario setting; docs/model.md, history");
    r.add("epidemic.latent_days", T::number).sets(&EpidemicParameters::latent_days).unit("days").range(0.1, 30).def("3")
        .help("Mean latent period").source("Davies et al. 2020, Nat Med 26:1205 (as in Bubar et al. 2021)");
    r.add("epidemic.infectious_days", T::number).sets(&EpidemicParameters::infectious_days)
        .unit("days").range(0.1, 60).def("5")
        .help("Mean infectious period").source("Davies et al. 2020, Nat Med 26:1205 (as in Bubar et al. 2021)");
    r.add("epidemic.susceptibility", T::number_list).sets(&EpidemicParameters::susceptibility)
        .unit("relative").range(0, 10)
        .def("[0.40, 0.40, 0.38, 0.38, 0.79, 0.79, 0.86, 0.86, 0.80, 0.80, 0.82, 0.82, 0.88, 0.88, 0.74, 0.74]")
        .help("Relative susceptibility per age band (length = age bands)")
        .source("Davies et al. 2020, Nat Med 26:1205, 10-year values repeated over 5-year bands");
    r.add("epidemic.infection_fatality_ratio", T::number_list).sets(&EpidemicParameters::infection_fatality_ratio)
        .unit("fraction").range(0, 1)
        .def("[6.936e-06, 1.268e-05, 2.318e-05, 4.237e-05, 7.746e-05, 0.0001416, 0.0002589, 0.0004733, "
             "0.0008652, 0.001582, 0.002891, 0.005286, 0.009663, 0.01766, 0.03229, 0.1214]")
        .help("Infection fatality ratio per age band (length = age bands)")
        .source("Levin et al. 2020, Eur J Epidemiol 35:1123: log10(IFR%) = -3.27 + 0.0524 age, averaged over "
                "single years of each band (75+: 75-89, as Bubar et al. 2021 do for 80+)");
    r.add("epidemic.vaccine_mode", T::text)
        .sets(&EpidemicParameters::leaky, [](const std::string& t) { return t == "leaky"; })
        .def("\"leaky\"").choices({"leaky", "all_or_nothing"})
        .help("How efficacy against infection acts").source("software setting");
    r.add("epidemic.infection_immunity_days", T::number).sets(&EpidemicParameters::infection_immunity_days)
        .unit("days").at_least(0).def("0")
        .help("Mean duration of infection immunity (0 = lasts the horizon)")
        .source("Hall et al. 2021, Lancet 397:1459 (SIREN): ~84% protection for at least 7 months");
    r.add("epidemic.importation_rate", T::number).sets(&EpidemicParameters::importation_rate)
        .unit("infections/day per unit").at_least(0).def("1e-7")
        .help("Imported infections a day into a country = rate x travel weight x travel-weighted world prevalence "
              "(a share; not scaled by the country's population)")
        .source("assumption, scaled so that a variant reaches most countries within 2-4 months (Delta 2021)");
    r.add("epidemic.stochastic_steps_per_day", T::integer).sets(&EpidemicParameters::stochastic_steps_per_day)
        .range(1, 96).def("4")
        .help("Sub-daily steps of the binomial chain").source("software setting");
    r.add("epidemic.vaccine_groups", T::table_array).help("Efficacy and waning per product group");
    r.add("epidemic.vaccine_groups[].group", T::text).sets(&VaccineGroupParameters::group)
        .required().help("Product group");
    r.add("epidemic.vaccine_groups[].efficacy_infection_by_dose", T::number_list)
        .sets(&VaccineGroupParameters::efficacy_infection_by_dose)
        .required().range(0, 1)
        .help("Efficacy against infection after each dose");
    r.add("epidemic.vaccine_groups[].efficacy_death_by_dose", T::number_list)
        .sets(&VaccineGroupParameters::efficacy_death_by_dose)
        .required().range(0, 1)
        .help("Efficacy against death after each dose");
    r.add("epidemic.vaccine_groups[].efficacy_transmission_by_dose", T::number_list).range(0, 1)
        .help("Reduction of onward transmission when infected (default 0)");
    r.add("epidemic.vaccine_groups[].waning_days", T::number).sets(&VaccineGroupParameters::waning_days)
        .unit("days").at_least(0).def("0")
        .help("Mean duration of vaccine protection (0 = no waning)")
        .source("neutral default: no waning unless set");
    r.add("epidemic.variants", T::table_array).help("Variants of concern");
    r.add("epidemic.variants[].id", T::text).sets(&Variant::id).required().help("Variant id");
    r.add("epidemic.variants[].transmissibility", T::number).sets(&Variant::transmissibility)
        .unit("relative").range(0.1, 10).def("1")
        .help("Multiplier of transmission")
        .source("neutral default: as the ancestral strain unless set");
    r.add("epidemic.variants[].severity", T::number).sets(&Variant::severity).unit("relative").range(0.1, 10).def("1")
        .help("Multiplier of the infection fatality ratio")
        .source("neutral default: as the ancestral strain unless set");
    r.add("epidemic.variants[].escape", T::table).help("Share of vaccine protection lost, per product group "
                                                       "(keys are group names)");
    r.add("epidemic.variants[].escape_death", T::table)
        .help("Share of vaccine protection against death given infection lost, per product group (keys are group "
              "names); a group not named loses its share of `escape`");
    r.add("epidemic.variants[].escape_infection", T::number).sets(&Variant::escape_infection).unit("fraction")
        .range(0, 1).def("0")
        .help("Share of infection-acquired protection lost: the recovered are reinfected at this share of the "
              "susceptible's rate")
        .source("neutral default: no reinfection unless set");
    r.add("epidemic.variants[].emergence", T::date).sets(&Variant::emergence).required().help("First seeded");
    r.add("epidemic.variants[].origin", T::text).required().refers_to("country").help("Where it is seeded");
    r.add("epidemic.variants[].seed_infections", T::number).sets(&Variant::seed_infections)
        .unit("persons").at_least(0).def("100")
        .help("Infections seeded at emergence").source("assumption");
}

void declare_diplomacy(Registry& r) {
    r.add("diplomacy", T::table).help("Credibility, escalation, procurement, influence");
    auto num = [&](const char* key, double DiplomacyParameters::*member, const char* unit, double lo, double hi,
                   const char* def, const char* help, const char* source) {
        r.add(std::string("diplomacy.") + key, T::number).unit(unit).range(lo, hi).def(def).help(help).source(source)
            .sets(member);
    };
    const char* disputes = "calibrated on the 2021 Sputnik V disputes: Guatemala (Reuters/AFP 2021-06-29/30), "
                           "Argentina (Rossiyskaya Gazeta 2021-07-23); docs/model/diplomacy.md";
    num("credibility_prior", &DiplomacyParameters::credibility_prior,
        "1", 0, 1, "0.7", "Credibility before any delivery",
        "EU Q1 2021 deliveries vs promises (European Commission, March 2021)");
    num("credibility_alignment_weight", &DiplomacyParameters::credibility_alignment_weight,
        "1", 0, 1, "0.2", "Share of the way alignment moves the prior to 1 or 0",
        "Kreps et al. 2020, JAMA Netw Open; Stöckli et al. 2022, PLoS One; calibration");
    num("credibility_memory_days", &DiplomacyParameters::credibility_memory_days,
        "days", 1, 3650, "60", "e-folding time of the delivery record",
        "Hill, Lo, Vavreck and Zaller 2013, Political Communication 30:521; calibration");
    num("miss_weight", &DiplomacyParameters::miss_weight,
        "1", 1, 20, "2.25", "A missed dose weighs this many doses on time",
        "Tversky and Kahneman 1992, J Risk Uncertain 5:297; Slovic 1993, Risk Analysis 13:675");
    num("escalation_base_hazard", &DiplomacyParameters::escalation_base_hazard,
        "1/day", 0, 1, "0.00005", "Daily hazard of the next escalation step at no "
        "shortfall, neutral buyer", disputes);
    num("escalation_shortfall_weight", &DiplomacyParameters::escalation_shortfall_weight,
        "1", 0, 50, "5", "Hazard growth with the missing share of due doses", disputes);
    num("escalation_lateness_weight", &DiplomacyParameters::escalation_lateness_weight,
        "1", 0, 50, "1", "Exponent of (1 + months late) in the hazard", disputes);
    num("escalation_prepaid_weight", &DiplomacyParameters::escalation_prepaid_weight,
        "1", 0, 50, "1", "Hazard growth with the share prepaid", disputes);
    num("escalation_alignment_weight", &DiplomacyParameters::escalation_alignment_weight,
        "1", 0, 50, "1", "Hazard fall with political alignment", disputes);
    num("escalation_alternatives_weight", &DiplomacyParameters::escalation_alternatives_weight,
        "1", 0, 50, "1", "Hazard fall when there are no alternatives", disputes);
    num("refund_success_probability", &DiplomacyParameters::refund_success_probability,
        "1", 0, 1, "0.5", "Chance a refund demand is paid",
        "Guatemala kept its advance as credit and halved its order (Coda Story, 2021-08-02); midpoint");
    r.add("diplomacy.tender_interval_days", T::integer).sets(&DiplomacyParameters::tender_interval_days)
        .unit("days").range(1, 3650).def("30")
        .help("How often buyers with unmet need open tenders")
        .source("calibration: Guatemala renegotiated a month after its ultimatum (June-July 2021)");
    num("choice_price_weight", &DiplomacyParameters::choice_price_weight,
        "1/USD", 0, 10, "0.1", "Logit weight of price per dose",
        "UNICEF COVID-19 Vaccine Market Dashboard: 2021 prices USD 3-20 per dose");
    num("choice_delivery_weight", &DiplomacyParameters::choice_delivery_weight,
        "1", 0, 50, "4", "Logit weight of expected delivery",
        "calibration: buyers took whatever arrived first in 2021");
    num("choice_approval_weight", &DiplomacyParameters::choice_approval_weight,
        "1", 0, 50, "1.5", "Logit weight of WHO EUL / EMA approval",
        "WHO EUL dates 2021; calibration");
    num("choice_alignment_weight", &DiplomacyParameters::choice_alignment_weight,
        "1", 0, 50, "1.5", "Logit weight of political alignment",
        "Kreps et al. 2020; Stöckli et al. 2022; Zhu 2023; Vadlamannati and Jung 2023");
    num("choice_bloc_weight", &DiplomacyParameters::choice_bloc_weight,
        "1", 0, 50, "0.5", "Logit weight of a shared trade bloc", "calibration (EAEU, SAARC)");
    num("portfolio_cap", &DiplomacyParameters::portfolio_cap,
        "share", 0.05, 1, "0.5", "Largest share of a buyer's portfolio from one supplier",
        "EU portfolio 2021: Pfizer 2.4 bn of ~4.6 bn doses (European Commission)");
    num("surge_deaths_per_million_scale", &DiplomacyParameters::surge_deaths_per_million_scale,
        "deaths per million per day", 1e-6, 1000, "5",
        "Home deaths at which the domestic surge has half its effect",
        "Russia's official Delta peak (~800 deaths/day, July 2021; OWID)");
    num("influence_memory_days", &DiplomacyParameters::influence_memory_days,
        "days", 1, 3650, "180", "Memory of the influence index",
        "Barham et al. 2022; Urdinez 2024; Andrabi and Das 2017");
    r.add("diplomacy.delivery_grace_days", T::integer).sets(&DiplomacyParameters::delivery_grace_days)
        .unit("days").range(0, 120).def("14")
        .help("Delivered doses are compared with doses due this many days earlier")
        .source("default shipping lead time (10 days) plus customs");
    num("late_shortfall_share", &DiplomacyParameters::late_shortfall_share,
        "share", 0, 0.99, "0.05", "Missing share of due doses above which a contract is late",
        "calibration: one shipment of a 10-20 M dose contract");
    r.add("diplomacy.procurement_horizon_days", T::integer).sets(&DiplomacyParameters::procurement_horizon_days)
        .unit("days").range(30, 730).def("180")
        .help("Delivery span of new contracts and horizon of free capacity")
        .source("EU advance purchase agreements by quarter; Guatemala's July 2021 monthly schedule");
    r.add("diplomacy.as_available_expected_days", T::integer).sets(&DiplomacyParameters::as_available_expected_days)
        .unit("days").range(1, 1095).def("270")
        .help("An as_available contract's buyer expects the whole order within this many days of signing")
        .source("Guatemala: 16 M Sputnik V doses signed 2021-04-05 to immunise nearly half the population by year "
                "end (AFP, 2021-06-30)");
    r.add("diplomacy.as_available_first_delivery_days", T::integer)
        .sets(&DiplomacyParameters::as_available_first_delivery_days).unit("days").range(0, 365).def("30")
        .help("An as_available contract's buyer expects the first delivery this many days after signing")
        .source("Guatemala paid 2021-04-05, first doses 2021-05-05 (RBC, 2021-06-29)");
    num("switch_advantage", &DiplomacyParameters::switch_advantage,
        "1", 1, 100, "1.5", "How much more the alternatives must bring for a buyer to leave",
        "ASSUMPTION: switching costs; Mexico kept ordering Sputnik V through 2021 (TASS, 2021-10-24)");
    num("donation_influence_weight", &DiplomacyParameters::donation_influence_weight,
        "1", 0, 20, "2", "A donated dose counts this many sold doses in influence",
        "Barham et al. 2022; Zhu 2023; Vadlamannati and Jung 2023; calibration");
    num("disinformation_memory_days", &DiplomacyParameters::disinformation_memory_days,
        "days", 1, 3650, "21", "e-folding time of disinformation exposure",
        "Hill et al. 2013, Political Communication 30:521");
    r.add("diplomacy.campaigns", T::table_array).help("Disinformation campaigns");
    r.add("diplomacy.campaigns[].source", T::text).required().refers_to("country").help("Source country");
    r.add("diplomacy.campaigns[].targets", T::text_list).refers_to("country").def("[]")
        .help("Target countries (all when empty)")
        .source("software setting");
    r.add("diplomacy.campaigns[].products", T::text_list).refers_to("product").required().help("Products attacked");
    r.add("diplomacy.campaigns[].start", T::date).sets(&DisinformationCampaign::start).required().help("First day");
    r.add("diplomacy.campaigns[].end", T::date).sets(&DisinformationCampaign::end).required().help("Last day");
    r.add("diplomacy.campaigns[].intensity", T::number).sets(&DisinformationCampaign::intensity)
        .unit("exposure/day").range(0, 10).def("0.01")
        .help("Exposure added per day while active").source("assumption");
}

// [[uncertainty]]: values an ensemble draws; checked further (paths, bounds) by the ensemble module
// (docs/uncertainty.md).
void declare_uncertainty(Registry& r) {
    r.add("uncertainty", T::table_array)
        .help("Uncertain values: a parameter path and the distribution an ensemble draws it from");
    r.add("uncertainty[].path", T::text).required()
        .help("Parameter path as for --set; entries of arrays of tables by key (contracts.<id>.doses) or by index "
              "(export_controls[0].cap_doses_per_day), list entries by index (sites.<id>.component_yield[1])");
    r.add("uncertainty[].distribution", T::text).required()
        .choices({"uniform", "normal", "lognormal", "beta", "triangular", "values"})
        .help("Law of the draws, truncated to the parameter's valid range");
    r.add("uncertainty[].min", T::number).help("Lower bound: the support (uniform, triangular, beta) or a truncation");
    r.add("uncertainty[].max", T::number).help("Upper bound: the support (uniform, triangular, beta) or a truncation");
    r.add("uncertainty[].mode", T::number).help("Most likely value (triangular)");
    r.add("uncertainty[].mean", T::number).help("Mean (normal)");
    r.add("uncertainty[].sd", T::number).at_least(0).help("Standard deviation (normal)");
    r.add("uncertainty[].median", T::number).at_least(0).help("Median (lognormal)");
    r.add("uncertainty[].sigma", T::number).at_least(0).help("Standard deviation of the logarithm (lognormal)");
    r.add("uncertainty[].alpha", T::number).at_least(0).help("First shape (beta on [min, max])");
    r.add("uncertainty[].beta", T::number).at_least(0).help("Second shape (beta on [min, max])");
    r.add("uncertainty[].values", T::number_list).help("Equally likely values (values)");
    r.add("uncertainty[].source", T::text).help("Where the range comes from");
}

void declare_report(Registry& r) {
    r.add("report", T::table).help("What `doseflow report` features (docs/report.md)");
    r.add("report.featured_products", T::table_array).at_most_entries(20)
        .help("Products the report gives a section of their own: each component delivered, cumulative and per "
              "recipient")
        .source("ASSUMPTION: each entry adds a section of two charts; 20 keep the page readable");
    r.add("report.featured_products[].product", T::text).required().refers_to("product").help("Product id");
    r.add("report.featured_products[].anchor", T::text).required()
        .help("Id of the section and of its charts in the page");
    r.add("report.featured_products[].title", T::text).required().help("The product's name in the section's titles");
    r.add("report.featured_products[].note", T::text).def("\"\"").help("What the section explains, above its charts")
        .source("software setting");
}

Registry build_registry() {
    Registry r;
    declare_top(r);
    declare_simulation(r);
    declare_world(r);
    r.add("country_defaults", T::table).help("Values applied to every country before its own entry; takes the "
                                             "keys of countries[] (except code)");
    // ASSUMPTION: 1,000 countries is four times the 235 areas of UN WPP 2019 and bounds memory and run time.
    r.add("countries", T::table_array).at_most_entries(1000)
        .help("Countries added to, or overriding, the embedded table");
    declare_country(r, "countries[]");
    declare_products(r);
    declare_sites(r);
    declare_contracts(r);
    declare_supply(r);
    declare_events(r);
    declare_uptake(r);
    declare_epidemic(r);
    declare_diplomacy(r);
    declare_uncertainty(r);
    declare_report(r);
    return r;
}

}  // namespace

const Registry& parameter_registry() {
    static const Registry registry = build_registry();  // immutable after construction
    return registry;
}

}  // namespace doseflow::scenario
