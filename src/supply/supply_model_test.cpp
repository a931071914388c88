// Scenario tests of the supply stages on small hand-built worlds.
#include <gtest/gtest.h>

#include <map>

#include "supply/supply_model.hpp"
#include "supply/test_world.hpp"

using namespace doseflow;
using namespace doseflow::supply;
using supply::testing::day;
using supply::testing::SupplyRun;
using supply::testing::WorldBuilder;

namespace {

double delivered(const ContractBook& book, ContractId id, int component) {
    return book[id].delivered_by_component[static_cast<std::size_t>(component)];
}

double series_sum(const Recorder& recorder, std::string_view metric, int country, Date from, Date to,
                  std::string_view tag = {}) {
    double total = 0.0;
    for (const SeriesPoint& point : recorder.points())
        if (point.key.metric == metric && point.key.tag == tag && point.key.country == country && from <= point.date &&
            point.date <= to)
            total += point.value;
    return total;
}

// Doses that arrived at `recipient` between two dates (inclusive), from the deliveries rows.
double arrived(const std::vector<DeliveryRow>& rows, CountryId recipient, Date from, Date to) {
    double total = 0.0;
    for (const DeliveryRow& row : rows)
        if (row.recipient == recipient && from <= row.date && row.date <= to) total += row.doses;
    return total;
}

}  // namespace

// Sputnik V's rAd5 (component 2) line made about half as much as rAd26: every buyer should end up with about
// half as many second components as first ones, not some buyers with all and others with none.
TEST(SupplyModel, HalfCapacityComponentTwoLineHalvesComponentTwoDeliveriesPerContract) {
    WorldBuilder builder(200);
    const CountryId rus = builder.country("RUS", 144e6, "Europe", "Eastern Europe");
    const CountryId arg = builder.country("ARG", 45e6, "Americas", "South America");
    const CountryId mex = builder.country("MEX", 128e6, "Americas", "Central America");
    const CountryId gtm = builder.country("GTM", 17e6, "Americas", "Central America");
    const ProductId sputnik = builder.product("sputnik_v", 2, {0, 1});
    builder.site("generium", rus, sputnik, 100000, {0, 1}, {1.0, 0.5}, 10);
    builder.supplier(rus, AllocationPolicy::pro_rata);
    // Orders far beyond what 200 days make, all due at once: every buyer is behind all the time.
    const ContractId to_arg = builder.contract("arg", rus, arg, sputnik, 20e6, day(0));
    const ContractId to_mex = builder.contract("mex", rus, mex, sputnik, 48e6, day(0));
    const ContractId to_gtm = builder.contract("gtm", rus, gtm, sputnik, 16e6, day(0));
    const World world = builder.build();
    SupplyRun run(world, 1);
    run.run_to_end();

    for (ContractId id : {to_arg, to_mex, to_gtm}) {
        const double first = delivered(run.book(), id, 0);
        const double second = delivered(run.book(), id, 1);
        ASSERT_GT(first, 0.0);
        EXPECT_NEAR(second / first, 0.5, 0.05) << run.book()[id].terms.id;
    }
    // Pro rata by what is due: shares follow order sizes.
    EXPECT_NEAR(delivered(run.book(), to_mex, 0) / delivered(run.book(), to_gtm, 0), 48.0 / 16.0, 0.15);
}

// The Serum Institute of India held a stockpile made at risk when 2021 began: a site's stock_at_start_doses go out
// from the first day, before the line's own first lots are released, and count as produced that day.
TEST(SupplyModel, StockAtStartIsReleasedOnTheFirstDayAndCountedAsProduced) {
    auto build = [](double stock) {
        WorldBuilder builder(60);
        const CountryId ind = builder.country("IND", 1380e6, "Asia", "Southern Asia");
        const CountryId gha = builder.country("GHA", 31e6, "Africa", "Western Africa");
        const ProductId sputnik = builder.product("sputnik_v", 2, {0, 1});
        const SiteId site = builder.site("sii", ind, sputnik, 10000, {0, 1}, {1.0, 0.5}, 21);
        builder.site_at(site).stock_at_start_doses = stock;
        builder.supplier(ind, AllocationPolicy::pro_rata);
        builder.contract("gha", ind, gha, sputnik, 100e6, day(0));
        builder.world().shipping.default_lead_days = 5;
        return builder.build();
    };
    const World with_stock = build(2e6);
    const World without = build(0.0);
    SupplyRun stocked(with_stock, 1), plain(without, 1);
    stocked.run_to_end();
    plain.run_to_end();
    const CountryId gha(1);
    // Nothing is released before day 21 without the stock; with it, Ghana's doses arrive from day 5.
    EXPECT_EQ(arrived(plain.deliveries(), gha, day(0), day(25)), 0.0);
    EXPECT_GT(arrived(stocked.deliveries(), gha, day(5), day(10)), 0.0);
    // Each component gets the stock times its yield, on top of the line's output.
    const ProductId sputnik(0);
    EXPECT_NEAR(stocked.model().produced_total(sputnik, 0) - plain.model().produced_total(sputnik, 0), 2e6, 1e-3);
    EXPECT_NEAR(stocked.model().produced_total(sputnik, 1) - plain.model().produced_total(sputnik, 1), 1e6, 1e-3);
    const int india = 0;
    EXPECT_NEAR(series_sum(stocked.recorder(), "produced_doses", india, day(0), day(0)) -
                    series_sum(plain.recorder(), "produced_doses", india, day(0), day(0)),
                3e6, 1e-3);
}

// India halted exports of Covishield from April 2021: during the ban no doses leave, the contracts fall behind,
// stock builds up, and deliveries resume when it ends. The exempt neighbour keeps receiving.
TEST(SupplyModel, ExportBanStopsExportsInItsRangeAndDeliveriesResumeAfter) {
    WorldBuilder builder(150);
    const CountryId ind = builder.country("IND", 1380e6, "Asia", "Southern Asia");
    const CountryId btn = builder.country("BTN", 0.8e6, "Asia", "Southern Asia");
    const CountryId gha = builder.country("GHA", 31e6, "Africa", "Western Africa");
    const ProductId covishield = builder.product("covishield", 1, {0, 0});
    builder.site("sii", ind, covishield, 50000);
    builder.supplier(ind, AllocationPolicy::pro_rata);
    builder.contract("gha", ind, gha, covishield, 1e9, day(0));
    // Small next to Ghana's: before the ban it gets a sliver, during the ban all until it is filled.
    builder.contract("btn", ind, btn, covishield, 500000, day(0));
    builder.world().shipping.default_lead_days = 10;
    builder.world().shipping.same_subregion_lead_days = 3;
    ExportControl& ban = builder.export_control(ind, day(40), day(89));
    ban.exempt = {btn};
    const World world = builder.build();
    SupplyRun run(world, 1);
    run.run_to_end();

    const auto& rows = run.deliveries();
    EXPECT_GT(arrived(rows, gha, day(10), day(49)), 0.0);
    // Dispatches on days 40-89 would arrive on days 50-99.
    EXPECT_EQ(arrived(rows, gha, day(50), day(99)), 0.0);
    EXPECT_GT(arrived(rows, gha, day(100), day(149)), 0.0);
    EXPECT_GT(arrived(rows, btn, day(43), day(92)), 0.0);  // exempt
    // India's own export record agrees: only exempt exports during the ban.
    const int india = static_cast<int>(ind.value());
    EXPECT_NEAR(series_sum(run.recorder(), "exported_doses", india, day(40), day(89)),
                arrived(rows, btn, day(43), day(92)), 1e-6);
    // Stock built up during the ban and was shipped after it.
    double stock_at_ban_end = 0.0, stock_before = 0.0;
    for (const SeriesPoint& point : run.recorder().points())
        if (point.key.metric == "stock_doses") {
            if (point.date == day(89)) stock_at_ban_end += point.value;
            if (point.date == day(39)) stock_before += point.value;
        }
    EXPECT_GT(stock_at_ban_end, stock_before + 30 * 50000 * 0.5);

    std::vector<std::string> kinds;
    for (const LoggedEvent& event : run.log().events())
        if (event.supplier == "IND") kinds.push_back(event.kind + "@" + event.date.iso());
    EXPECT_EQ(kinds, (std::vector<std::string>{"export_ban@" + day(40).iso(), "export_ban_lifted@" + day(90).iso()}));
}

TEST(SupplyModel, ExportCapLimitsDailyExportsAcrossContracts) {
    WorldBuilder builder(60);
    const CountryId ind = builder.country("IND", 1e9, "Asia", "Southern Asia");
    const CountryId a = builder.country("AAA", 1e7, "Africa", "Western Africa");
    const CountryId b = builder.country("BBB", 1e7, "Africa", "Eastern Africa");
    const ProductId product = builder.product("p", 1, {0, 0});
    builder.site("line", ind, product, 100000);
    builder.supplier(ind, AllocationPolicy::pro_rata);
    builder.contract("a", ind, a, product, 1e9, day(0));
    builder.contract("b", ind, b, product, 1e9, day(0));
    builder.export_control(ind, day(0), day(59), 30000);
    const World world = builder.build();
    SupplyRun run(world, 1);
    run.run_to_end();
    for (const SeriesPoint& point : run.recorder().points())
        if (point.key.metric == "exported_doses") {
            EXPECT_LE(point.value, 30000.0 + 1e-6) << point.date.iso();
        }
    EXPECT_NEAR(series_sum(run.recorder(), "exported_doses", 0, day(0), day(59)), 60 * 30000.0, 1.0);
}

// Licensed partners (India, Korea, Kazakhstan, Brazil for Sputnik V) started months late at a fraction of what
// was announced.
TEST(SupplyModel, LicensedPartnerAddsNothingBeforeItsLagAndItsRealisedShareAfter) {
    WorldBuilder builder(300);
    const CountryId rus = builder.country("RUS", 144e6);
    const CountryId ind = builder.country("IND", 1380e6);
    const ProductId sputnik = builder.product("sputnik_v", 2, {0, 1});
    const SiteId partner = builder.site("hetero", ind, sputnik, 0.0, {0, 1}, {1.0, 1.0});
    Licence licence;
    licence.licensor = rus;
    licence.announced_doses_per_day = 300000;
    licence.signed_on = day(10);
    licence.start_lag_days = 182;  // six months
    licence.realised_share_min = licence.realised_share_max = 0.2;
    builder.site_at(partner).licence = licence;
    builder.site_at(partner).capacity_doses_per_day = Ramp();
    const World world = builder.build();
    SupplyRun run(world, 7);
    run.run_to_end();

    const int india = static_cast<int>(ind.value());
    EXPECT_EQ(series_sum(run.recorder(), "produced_doses", india, day(0), day(191)), 0.0);
    const double per_day = series_sum(run.recorder(), "produced_doses", india, day(192), day(299)) / (108 * 2);
    EXPECT_NEAR(per_day, 0.2 * 300000, 1e-6);
    EXPECT_DOUBLE_EQ(run.model().realised_share(partner), 0.2);
}

TEST(SupplyModel, LicenceRealisedShareIsDrawnInItsRangePerSeed) {
    WorldBuilder builder(10);
    const CountryId rus = builder.country("RUS", 1e6);
    const CountryId kor = builder.country("KOR", 1e6);
    const ProductId product = builder.product("p", 1, {0});
    const SiteId partner = builder.site("gl_rapha", kor, product, 0.0);
    Licence licence;
    licence.licensor = rus;
    licence.announced_doses_per_day = 1000;
    licence.realised_share_min = 0.1;
    licence.realised_share_max = 0.4;
    builder.site_at(partner).licence = licence;
    const World world = builder.build();
    std::vector<double> shares;
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
        const double share = SupplyModel(world, seed).realised_share(partner);
        EXPECT_GE(share, 0.1);
        EXPECT_LE(share, 0.4);
        shares.push_back(share);
    }
    EXPECT_EQ(SupplyModel(world, 5).realised_share(partner), SupplyModel(world, 5).realised_share(partner));
    double mean = 0.0;
    for (double share : shares) mean += share / static_cast<double>(shares.size());
    EXPECT_NEAR(mean, 0.25, 0.03);  // uniform on [0.1, 0.4]: sd of the mean of 200 is 0.006
}

// A gateway partner exports only inside its bloc, through the licensor's contracts or its own.
TEST(SupplyModel, LicensedPartnerStockLeavesOnlyForItsExportBloc) {
    WorldBuilder builder(120);
    const CountryId rus = builder.country("RUS", 144e6, "Europe", "Eastern Europe");
    const CountryId kaz = builder.country("KAZ", 19e6, "Asia", "Central Asia");
    const CountryId kgz = builder.country("KGZ", 6.5e6, "Asia", "Central Asia");
    const CountryId arg = builder.country("ARG", 45e6, "Americas", "South America");
    const ProductId sputnik = builder.product("sputnik_v", 1, {0});
    const SiteId karaganda = builder.site("karaganda", kaz, sputnik, 0.0);
    Licence licence;
    licence.licensor = rus;
    licence.announced_doses_per_day = 10000;
    licence.may_export = true;
    licence.export_to = {kgz};
    builder.site_at(karaganda).licence = licence;
    const ContractId to_kgz = builder.contract("kgz", rus, kgz, sputnik, 1e8, day(0));
    const ContractId to_arg = builder.contract("arg", rus, arg, sputnik, 1e8, day(0));
    const World world = builder.build();
    SupplyRun run(world, 1);
    run.run_to_end();
    EXPECT_GT(run.book()[to_kgz].delivered_doses, 100 * 10000 * 0.9);
    EXPECT_EQ(run.book()[to_arg].shipped_doses, 0.0);
}

TEST(SupplyModel, PartnerWithoutExportRightsServesOnlyItsHomeProgramme) {
    WorldBuilder builder(60);
    const CountryId rus = builder.country("RUS", 144e6);
    const CountryId ind = builder.country("IND", 1380e6, "Asia", "Southern Asia", 5000.0);
    const CountryId npl = builder.country("NPL", 29e6, "Asia", "Southern Asia");
    const ProductId sputnik = builder.product("sputnik_v", 1, {0});
    const SiteId partner = builder.site("dr_reddys", ind, sputnik, 0.0);
    Licence licence;
    licence.licensor = rus;
    licence.announced_doses_per_day = 10000;
    builder.site_at(partner).licence = licence;
    const ContractId to_npl = builder.contract("npl", rus, npl, sputnik, 1e8, day(0));
    const World world = builder.build();
    SupplyRun run(world, 1);
    run.run_to_end();
    EXPECT_EQ(run.book()[to_npl].shipped_doses, 0.0);
    EXPECT_GT(arrived(run.deliveries(), ind, day(0), day(59)), 0.0);
}

// Domestic-first: the home programme keeps what it can give in the reserve window before any export.
TEST(SupplyModel, DomesticFirstKeepsTheHomeReserveBeforeExports) {
    WorldBuilder builder(30);
    const CountryId rus = builder.country("RUS", 144e6, "Europe", "Eastern Europe", 20000.0);
    const CountryId arg = builder.country("ARG", 45e6, "Americas", "South America");
    const ProductId product = builder.product("p", 1, {0});
    builder.site("line", rus, product, 100000);
    builder.supplier(rus, AllocationPolicy::domestic_first).domestic_reserve_days = 14;
    const ContractId to_arg = builder.contract("arg", rus, arg, product, 1e9, day(0));
    const World world = builder.build();
    SupplyRun run(world, 1);
    run.step();
    // Day 1: nothing held at home, nothing on its way: the home programme claims 14 days x 20,000.
    EXPECT_NEAR(run.book()[to_arg].shipped_doses, 0.0, 1e-9);
    run.run_to_end();
    // Afterwards it only tops up what is given (20,000 a day); the rest (80,000 a day) is exported.
    // By day 29's allocation 28 x 20,000 were given and the 14-day reserve is whole again: 840,000 went home,
    // of which day 29's 20,000 are still on their way.
    EXPECT_NEAR(arrived(run.deliveries(), rus, day(0), day(29)), 820000.0, 1e-6);
    EXPECT_NEAR(run.book()[to_arg].shipped_doses, 30 * 100000.0 - 840000.0, 1e-6);
}

TEST(SupplyModel, DiplomacyBoostRaisesTheDomesticShare) {
    WorldBuilder builder(20);
    const CountryId rus = builder.country("RUS", 144e6, "Europe", "Eastern Europe", 0.0);
    const CountryId arg = builder.country("ARG", 45e6, "Americas", "South America");
    const ProductId product = builder.product("p", 1, {0});
    builder.site("line", rus, product, 100000);
    builder.supplier(rus, AllocationPolicy::domestic_first).domestic_share = 0.25;
    const ContractId to_arg = builder.contract("arg", rus, arg, product, 1e9, day(0));
    const World world = builder.build();
    SupplyRun run(world, 1);
    run.exchange().diplomacy.domestic_share_boost[rus.value()] = 0.5;
    run.step();
    EXPECT_NEAR(run.book()[to_arg].shipped_doses, 0.25 * 100000.0, 1e-6);
    // A boost beyond the rest keeps everything at home, never more than there is.
    run.exchange().diplomacy.domestic_share_boost[rus.value()] = 2.0;
    run.step();
    EXPECT_NEAR(run.book()[to_arg].shipped_doses, 0.25 * 100000.0, 1e-6);
    EXPECT_NEAR(run.model().owner_stock(rus, product, 0), 0.0, 1e-6);
}

TEST(SupplyModel, FifoServesTheEarliestSignedContractFirst) {
    WorldBuilder builder(40);
    const CountryId chn = builder.country("CHN", 1400e6);
    const CountryId a = builder.country("AAA", 1e7);
    const CountryId b = builder.country("BBB", 1e7);
    const ProductId product = builder.product("p", 1, {0, 0});
    builder.site("line", chn, product, 10000);
    builder.supplier(chn, AllocationPolicy::fifo);
    const ContractId late = builder.contract("late", chn, a, product, 1e6, day(0), ContractKind::sale, day(-10));
    const ContractId early = builder.contract("early", chn, b, product, 200000, day(0), ContractKind::sale, day(-60));
    const World world = builder.build();
    SupplyRun run(world, 1);
    for (int d = 0; d < 20; ++d) run.step();
    EXPECT_NEAR(run.book()[early].shipped_doses, 200000.0, 1e-6);
    EXPECT_NEAR(run.book()[late].shipped_doses, 0.0, 1e-6);
    run.run_to_end();
    EXPECT_NEAR(run.book()[late].shipped_doses, 200000.0, 1e-6);
}

TEST(SupplyModel, PriorityListServesListedRecipientsInOrder) {
    WorldBuilder builder(10);
    const CountryId chn = builder.country("CHN", 1400e6);
    const CountryId a = builder.country("AAA", 1e7);
    const CountryId b = builder.country("BBB", 1e7);
    const CountryId c = builder.country("CCC", 1e7);
    const ProductId product = builder.product("p", 1, {0});
    builder.site("line", chn, product, 10000);
    builder.supplier(chn, AllocationPolicy::priority).priority_order = {b, a};
    const ContractId to_a = builder.contract("a", chn, a, product, 30000, day(0));
    const ContractId to_b = builder.contract("b", chn, b, product, 30000, day(0));
    const ContractId to_c = builder.contract("c", chn, c, product, 30000, day(0));
    const World world = builder.build();
    SupplyRun run(world, 1);
    for (int d = 0; d < 3; ++d) run.step();
    EXPECT_NEAR(run.book()[to_b].shipped_doses, 30000.0, 1e-6);
    EXPECT_NEAR(run.book()[to_a].shipped_doses, 0.0, 1e-6);
    for (int d = 0; d < 4; ++d) run.step();
    EXPECT_NEAR(run.book()[to_a].shipped_doses, 30000.0, 1e-6);
    EXPECT_NEAR(run.book()[to_c].shipped_doses, 10000.0, 1e-6);
}

TEST(SupplyModel, NeedBasedFavoursTheRecipientWithMoreNeedPerPerson) {
    WorldBuilder builder(30);
    const CountryId usa = builder.country("USA", 330e6);
    const CountryId big = builder.country("BIG", 1e8);
    const CountryId small = builder.country("SML", 1e6);
    const ProductId product = builder.product("p", 1, {0});
    builder.site("line", usa, product, 10000);
    builder.supplier(usa, AllocationPolicy::need_based);
    const ContractId to_big = builder.contract("big", usa, big, product, 1e8, day(0));
    const ContractId to_small = builder.contract("small", usa, small, product, 1e8, day(0));
    const World world = builder.build();
    SupplyRun run(world, 1);
    run.step();
    // Both need two doses a person; equal need per person shares equally.
    EXPECT_NEAR(run.book()[to_big].shipped_doses, run.book()[to_small].shipped_doses, 1e-6);
    run.exchange().uptake[small.value()].doses_needed = 0.5e6;  // half a dose per person
    run.exchange().uptake[big.value()].doses_needed = 1e8;      // one dose per person
    run.step();
    EXPECT_NEAR(run.book()[to_big].shipped_doses - 5000.0, 2.0 * (run.book()[to_small].shipped_doses - 5000.0),
                1e-6);
}

TEST(SupplyModel, CovaxSharesByPopulationUpToItsCoverageCap) {
    WorldBuilder builder(60);
    const CountryId ind = builder.country("IND", 1380e6);
    const CountryId a = builder.country("AAA", 1e6, "R", "S", 0.0, true);
    const CountryId b = builder.country("BBB", 3e6, "R", "S", 0.0, true);
    builder.country("CCC", 5e6);  // not a participant
    const ProductId product = builder.product("p", 2, {0, 1});
    builder.site("line", ind, product, 20000, {0, 1}, {1.0, 1.0});
    builder.supplier(ind, AllocationPolicy::pro_rata).covax_share = 0.5;
    builder.world().covax.coverage_cap = 0.2;
    const ContractId covax = builder.contract("covax", ind, CountryId{}, product, 1e8, std::nullopt, ContractKind::covax);
    const World world = builder.build();
    SupplyRun run(world, 1);
    for (int d = 0; d < 20; ++d) run.step();
    const double to_a = arrived(run.deliveries(), a, day(0), day(60));
    const double to_b = arrived(run.deliveries(), b, day(0), day(60));
    ASSERT_GT(to_a, 0.0);
    EXPECT_NEAR(to_b, 3.0 * to_a, 1e-6);
    run.run_to_end();
    // Caps: 0.2 x 1M and 0.2 x 3M courses of two doses; then the facility stops claiming.
    EXPECT_NEAR(arrived(run.deliveries(), a, day(0), day(60)), 2 * 0.2e6, 1.0);
    EXPECT_NEAR(arrived(run.deliveries(), b, day(0), day(60)), 2 * 0.6e6, 1.0);
    EXPECT_NEAR(run.book()[covax].delivered_doses, 2 * 0.8e6, 1.0);
}

// The Facility procured only WHO-listed vaccines: with covax.listed_only a COVAX contract claims nothing before its
// product's listing (the stock goes to the other buyers meanwhile) and ships from that day; a product without a
// listing never goes through COVAX. Without the setting the dates change nothing.
TEST(SupplyModel, CovaxShipsAProductOnlyFromItsWhoListingWhenListedOnly) {
    struct Outcome {
        double covax_by_day_19 = 0.0, covax_at_end = 0.0, sale_by_day_19 = 0.0, unlisted_at_end = 0.0;
    };
    auto simulate = [](bool listed_only) {
        WorldBuilder builder(60);
        const CountryId ind = builder.country("IND", 1380e6);
        const CountryId gha = builder.country("GHA", 31e6, "R", "S", 0.0, true);
        const ProductId listed = builder.product("listed", 1, {0});
        const ProductId unlisted = builder.product("unlisted", 1, {0});
        builder.world().products[listed.value()].approvals = {"who_eul", "national"};
        builder.world().products[listed.value()].who_eul_date = day(20);
        builder.world().products[unlisted.value()].approvals = {"national"};
        builder.site("line", ind, listed, 20000);
        builder.site("other", ind, unlisted, 20000);
        builder.supplier(ind, AllocationPolicy::pro_rata);
        builder.world().covax.coverage_cap = 0.2;
        builder.world().covax.listed_only = listed_only;
        // All due at once, so both buyers of the listed product claim every day and share pro rata.
        const ContractId covax = builder.contract("covax", ind, CountryId{}, listed, 1e8, day(0), ContractKind::covax);
        const ContractId covax_unlisted = builder.contract("covax_unlisted", ind, CountryId{}, unlisted, 1e8, day(0),
                                                           ContractKind::covax);
        const ContractId sale = builder.contract("sale", ind, gha, listed, 1e8, day(0));
        const World world = builder.build();
        SupplyRun run(world, 1);
        for (int d = 0; d < 20; ++d) run.step();
        Outcome outcome;
        outcome.covax_by_day_19 = run.book()[covax].shipped_doses;
        outcome.sale_by_day_19 = run.book()[sale].shipped_doses;
        run.run_to_end();
        outcome.covax_at_end = run.book()[covax].shipped_doses;
        outcome.unlisted_at_end = run.book()[covax_unlisted].shipped_doses;
        return outcome;
    };
    const Outcome gated = simulate(true);
    const Outcome open = simulate(false);
    EXPECT_EQ(gated.covax_by_day_19, 0.0);
    EXPECT_GT(gated.covax_at_end, 0.0);
    EXPECT_EQ(gated.unlisted_at_end, 0.0);
    EXPECT_GT(gated.sale_by_day_19, open.sale_by_day_19);  // the sale takes what COVAX may not yet
    EXPECT_GT(open.covax_by_day_19, 0.0);
    EXPECT_GT(open.unlisted_at_end, 0.0);
}

// Recipients deferred what they could not use: with shipping.recipient_stock_days a contract sends a recipient no
// more than that many days of its administration capacity, less its stock and the doses on their way; the stock it
// leaves goes to the supplier's other buyers.
TEST(SupplyModel, ContractsShipNoMoreThanTheRecipientCanUseInItsStockDays) {
    struct Outcome {
        double to_small = 0.0, to_large = 0.0;
    };
    auto simulate = [](int stock_days) {
        WorldBuilder builder(60);
        const CountryId ind = builder.country("IND", 1380e6);
        const CountryId small = builder.country("GHA", 31e6, "R", "S", 1000.0);
        const CountryId large = builder.country("BRA", 210e6, "R", "S", 1e6);
        const ProductId product = builder.product("p", 1, {0});
        builder.site("line", ind, product, 100000);
        builder.supplier(ind, AllocationPolicy::pro_rata);
        builder.world().shipping.recipient_stock_days = stock_days;
        const ContractId to_small = builder.contract("small", ind, small, product, 1e8, day(0));
        const ContractId to_large = builder.contract("large", ind, large, product, 1e8, day(0));
        const World world = builder.build();
        SupplyRun run(world, 1);
        run.run_to_end();
        return Outcome{run.book()[to_small].shipped_doses, run.book()[to_large].shipped_doses};
    };
    const Outcome limited = simulate(10);
    const Outcome open = simulate(0);
    // 61 days of 1,000 doses given a day, plus the ten days' stock the limit allows it to hold at the end.
    EXPECT_GT(limited.to_small, 0.0);
    EXPECT_LE(limited.to_small, 1000.0 * 61 + 10 * 1000.0 + 1.0);
    EXPECT_GT(open.to_small, 10 * limited.to_small);  // half of 100,000 a day without the limit
    EXPECT_NEAR(limited.to_small + limited.to_large, open.to_small + open.to_large, 1.0);  // nothing is lost
}

// Nor more than its stores keep: a recipient whose stores are nearly full takes only what they have room for (less
// the doses on their way), and the rest waits with the supplier.
TEST(SupplyModel, ContractsShipNoMoreThanTheRecipientsStoresKeep) {
    auto simulate = [](double fridge_doses) {
        WorldBuilder builder(30);
        const CountryId ind = builder.country("IND", 1380e6);
        const CountryId gha = builder.country("GHA", 31e6, "R", "S", 1000.0);
        const ProductId product = builder.product("p", 1, {0});
        builder.site("line", ind, product, 100000);
        builder.supplier(ind, AllocationPolicy::pro_rata);
        builder.world().shipping.recipient_stock_days = 60;
        builder.world().countries[gha.value()].cold_chain_doses = {0.0, 0.0, fridge_doses};
        const ContractId sale = builder.contract("sale", ind, gha, product, 1e8, day(0));
        const World world = builder.build();
        SupplyRun run(world, 1);
        run.run_to_end();
        return run.book()[sale].shipped_doses;
    };
    const double small_stores = simulate(5000.0);
    const double large_stores = simulate(1e9);
    // 31 days of 1,000 doses given a day, plus the 5,000 the stores hold at the end.
    EXPECT_GT(small_stores, 0.0);
    EXPECT_LE(small_stores, 1000.0 * 31 + 5000.0 + 1.0);
    // With room to spare the limit is the 60 days of capacity ahead (60,000 doses held or on their way).
    EXPECT_GE(large_stores, 60000.0);
    EXPECT_GT(large_stores, small_stores + 30000.0);
}

// And no more of a product than the classes that keep it have room for: a recipient without ultra-cold stores takes
// none of an ultra-cold product while its fridges have room for another.
TEST(SupplyModel, ContractsShipNoMoreOfAProductThanTheStoresThatKeepItHold) {
    WorldBuilder builder(30);
    const CountryId usa = builder.country("USA", 330e6);
    const CountryId gha = builder.country("GHA", 31e6, "R", "S", 1000.0);
    const ProductId cold = builder.product("cold", 1, {0}, 180, TemperatureClass::ultra_cold);
    const ProductId warm = builder.product("warm", 1, {0});
    builder.site("cold_line", usa, cold, 100000);
    builder.site("warm_line", usa, warm, 100000);
    builder.supplier(usa, AllocationPolicy::pro_rata);
    builder.world().shipping.recipient_stock_days = 60;
    builder.world().countries[gha.value()].cold_chain_doses = {0.0, 0.0, 1e9};  // fridges only
    const ContractId cold_sale = builder.contract("cold_sale", usa, gha, cold, 1e8, day(0));
    const ContractId warm_sale = builder.contract("warm_sale", usa, gha, warm, 1e8, day(0));
    const World world = builder.build();
    SupplyRun run(world, 1);
    run.run_to_end();
    EXPECT_EQ(run.book()[cold_sale].shipped_doses, 0.0);
    EXPECT_GE(run.book()[warm_sale].shipped_doses, 60000.0);  // the 60 days of capacity ahead
}

// The home programme's share of output is limited the same way: what the producer's own programme cannot use in the
// stock days goes to its foreign buyers instead of its stores.
TEST(SupplyModel, TheHomeShareTakesNoMoreThanTheHomeProgrammeCanUseInItsStockDays) {
    auto simulate = [](int stock_days) {
        WorldBuilder builder(60);
        const CountryId ind = builder.country("IND", 1380e6, "R", "S", 2000.0);
        const CountryId gha = builder.country("GHA", 31e6, "R", "S", 1e6);
        const ProductId product = builder.product("p", 1, {0});
        builder.site("line", ind, product, 100000);
        builder.supplier(ind, AllocationPolicy::domestic_first).domestic_share = 0.5;
        builder.world().shipping.recipient_stock_days = stock_days;
        const ContractId sale = builder.contract("sale", ind, gha, product, 1e8, day(0));
        const World world = builder.build();
        SupplyRun run(world, 1);
        run.run_to_end();
        return std::pair{arrived(run.deliveries(), ind, day(0), day(60)), run.book()[sale].shipped_doses};
    };
    const auto [home_limited, sold_limited] = simulate(10);
    const auto [home_open, sold_open] = simulate(0);
    EXPECT_GT(home_open, 0.5 * 58 * 100000.0);  // half of every day's output without the limit (a day on the way)
    EXPECT_GT(home_limited, 0.0);
    EXPECT_LE(home_limited, 2000.0 * 61 + 10 * 2000.0 + 1.0);  // what it gives, and ten days' stock
    // What the home programme could not take was sold (up to a day's output still on its way at the end).
    EXPECT_NEAR(sold_limited - sold_open, home_open - home_limited, 100000.0);
    EXPECT_GT(sold_limited - sold_open, 0.9 * (home_open - home_limited));
}

TEST(SupplyModel, DonationShareGoesToDonationsFirst) {
    WorldBuilder builder(5);
    const CountryId usa = builder.country("USA", 330e6);
    const CountryId a = builder.country("AAA", 1e7);
    const CountryId b = builder.country("BBB", 1e7);
    const ProductId product = builder.product("p", 1, {0});
    builder.site("line", usa, product, 10000);
    builder.supplier(usa, AllocationPolicy::pro_rata).donation_share = 0.3;
    const ContractId sale = builder.contract("sale", usa, a, product, 1e8, day(0));
    const ContractId gift = builder.contract("gift", usa, b, product, 1e8, day(0), ContractKind::donation);
    const World world = builder.build();
    SupplyRun run(world, 1);
    run.step();
    // 3,000 to the donation first, then the remaining 7,000 pro rata between two equal claims.
    EXPECT_NEAR(run.book()[gift].shipped_doses, 3000.0 + 3500.0, 0.1);
    EXPECT_NEAR(run.book()[sale].shipped_doses, 3500.0, 0.1);
}

TEST(SupplyModel, TranchesLimitShipmentsToWhatIsDueSoFar) {
    WorldBuilder builder(40);
    const CountryId usa = builder.country("USA", 330e6);
    const CountryId a = builder.country("AAA", 1e7);
    const ProductId product = builder.product("p", 1, {0, 0});
    builder.site("line", usa, product, 10000);
    builder.supplier(usa, AllocationPolicy::pro_rata);
    const ContractId id = builder.contract("a", usa, a, product, 50000, day(0));
    builder.contract_at(id).schedule = {Tranche{day(0), 5000}, Tranche{day(20), 50000}};
    const World world = builder.build();
    SupplyRun run(world, 1);
    for (int d = 0; d < 20; ++d) run.step();
    EXPECT_NEAR(run.book()[id].shipped_doses, 5000.0, 1e-6);
    EXPECT_NEAR(run.book()[id].due_doses, 5000.0, 1e-6);
    run.run_to_end();
    EXPECT_NEAR(run.book()[id].shipped_doses, 50000.0, 1e-6);  // never more than ordered
}

TEST(SupplyModel, LotsExpireInStockAndInTransitAndAreCounted) {
    WorldBuilder builder(40);
    const CountryId usa = builder.country("USA", 330e6, "Americas", "Northern America");
    const CountryId far = builder.country("FAR", 1e7, "Africa", "Eastern Africa");
    const ProductId product = builder.product("p", 1, {0}, 8);
    builder.site("line", usa, product, 1000);
    builder.supplier(usa, AllocationPolicy::pro_rata);
    builder.world().shipping.default_lead_days = 10;  // longer than the shelf life
    const ContractId id = builder.contract("far", usa, far, product, 1e8, day(0));
    const World world = builder.build();
    SupplyRun run(world, 1);
    run.run_to_end();
    EXPECT_EQ(run.book()[id].delivered_doses, 0.0);
    EXPECT_NEAR(run.book()[id].wasted_doses, 30 * 1000.0, 1e-6);  // dispatched on days 0-29, arrived by day 39
    EXPECT_NEAR(run.model().wasted_total(product, 0), 30 * 1000.0, 1e-6);
    EXPECT_NEAR(series_sum(run.recorder(), "wasted_doses", 0, day(0), day(39), "expired_in_transit"), 30000.0, 1e-6);

    // Without a buyer, lots expire in the producer's stock after their shelf life.
    WorldBuilder idle(20);
    const CountryId home = idle.country("USA", 330e6);
    const ProductId perishable = idle.product("p", 1, {0}, 5);
    idle.site("line", home, perishable, 1000);
    const World idle_world = idle.build();
    SupplyRun idle_run(idle_world, 1);
    idle_run.run_to_end();
    // Lots released on days 0-14 expired on days 5-19.
    EXPECT_NEAR(idle_run.model().wasted_total(perishable, 0), 15 * 1000.0, 1e-6);
    EXPECT_NEAR(idle_run.model().stock_total(perishable, 0), 5 * 1000.0, 1e-6);
}

TEST(SupplyModel, ReleaseDelayHoldsOutputBeforeItEntersStock) {
    WorldBuilder builder(10);
    const CountryId rus = builder.country("RUS", 144e6);
    const ProductId product = builder.product("p", 1, {0});
    builder.site("line", rus, product, 1000, {0}, {1.0}, 4);
    const World world = builder.build();
    SupplyRun run(world, 1);
    for (int d = 0; d < 4; ++d) run.step();
    EXPECT_EQ(run.model().stock_total(product, 0), 0.0);
    EXPECT_NEAR(run.model().unreleased_total(product, 0), 4000.0, 1e-9);
    run.step();
    EXPECT_NEAR(run.model().stock_total(product, 0), 1000.0, 1e-9);
}

TEST(SupplyModel, ShareScheduledDisruptionAndCapacityShockScaleOutput) {
    WorldBuilder builder(40);
    const CountryId rus = builder.country("RUS", 144e6);
    const ProductId product = builder.product("p", 1, {0});
    const SiteId line = builder.site("line", rus, product, 1000);
    builder.site_at(line).share = StepSchedule({{day(10), 0.5}}, 1.0);  // line shared with another drug
    builder.site_at(line).disruptions = {Disruption{day(20), day(24), 0.4}};
    ScenarioEvent shock;
    shock.date = day(30);
    shock.kind = EventKind::capacity_shock;
    shock.site = line;
    shock.value = 0.1;
    shock.duration_days = 5;
    builder.world().events.push_back(shock);
    const World world = builder.build();
    SupplyRun run(world, 1);
    run.run_to_end();
    std::map<int, double> produced;
    for (const SeriesPoint& point : run.recorder().points())
        if (point.key.metric == "produced_doses") produced[point.date - day(0)] += point.value;
    EXPECT_DOUBLE_EQ(produced[5], 1000.0);
    EXPECT_DOUBLE_EQ(produced[15], 500.0);
    EXPECT_DOUBLE_EQ(produced[22], 300.0);
    EXPECT_DOUBLE_EQ(produced[32], 50.0);
    EXPECT_DOUBLE_EQ(produced[35], 500.0);
}

TEST(SupplyModel, RandomDisruptionsFollowTheirRateAndMeanDuration) {
    WorldBuilder builder(20000);
    const CountryId rus = builder.country("RUS", 144e6);
    const ProductId product = builder.product("p", 1, {0}, 100000);
    const SiteId line = builder.site("line", rus, product, 1000);
    builder.site_at(line).random_disruption = RandomDisruption{0.01, 20.0, 1.0};
    const World world = builder.build();
    ProductionLine production(world.site(line), 3);
    int down = 0, outages = 0;
    bool was_down = false;
    for (int d = 0; d < 20000; ++d) {
        const bool is_down = production.capacity_doses_per_day(day(d), 1.0) == 0.0;
        down += is_down;
        outages += is_down && !was_down;
        was_down = is_down;
    }
    // Alternating renewal: up spells of mean 100 days, down spells of mean 20: down a sixth of the time.
    EXPECT_NEAR(down / 20000.0, 20.0 / 120.0, 0.04);
    EXPECT_NEAR(static_cast<double>(down) / outages, 20.0, 4.0);
}

TEST(SupplyModel, PfizerCourseOfOneComponentOrdersTwoDosesOfIt) {
    WorldBuilder builder(30);
    const CountryId usa = builder.country("USA", 330e6);
    const CountryId kgz = builder.country("KGZ", 6.5e6);
    const ProductId pfizer = builder.product("pfizer", 1, {0, 0}, 180, TemperatureClass::ultra_cold);
    builder.site("kalamazoo", usa, pfizer, 100000);
    builder.supplier(usa, AllocationPolicy::pro_rata);
    const ContractId id = builder.contract("kgz", usa, kgz, pfizer, 500000, day(0));
    const World world = builder.build();
    SupplyRun run(world, 1);
    run.run_to_end();
    EXPECT_NEAR(run.book()[id].shipped_by_component[0], 500000.0, 1e-6);
}

// When both components come from routes of different lead times (licensor and gateway partner), the later
// component must never arrive before the earlier one it completes.
TEST(SupplyModel, ComponentTwoNeverArrivesAheadOfComponentOneOverMixedRoutes) {
    WorldBuilder builder(120);
    const CountryId rus = builder.country("RUS", 144e6, "Europe", "Eastern Europe");
    const CountryId kaz = builder.country("KAZ", 19e6, "Asia", "Central Asia");
    const CountryId kgz = builder.country("KGZ", 6.5e6, "Asia", "Central Asia");
    const ProductId sputnik = builder.product("sputnik_v", 2, {0, 1});
    builder.site("generium", rus, sputnik, 10000, {0}, {1.0});  // only component 1, far away
    const SiteId partner = builder.site("karaganda", kaz, sputnik, 0.0, {1}, {1.0});  // only component 2, nearby
    Licence licence;
    licence.licensor = rus;
    licence.announced_doses_per_day = 20000;
    licence.may_export = true;
    builder.site_at(partner).licence = licence;
    builder.world().shipping.default_lead_days = 15;
    builder.world().shipping.same_subregion_lead_days = 2;
    const ContractId id = builder.contract("kgz", rus, kgz, sputnik, 1e8, day(0));
    const World world = builder.build();
    SupplyRun run(world, 1);
    while (!run.done()) {
        run.step();
        const auto& delivered_by = run.book()[id].delivered_by_component;
        ASSERT_LE(delivered_by[1], delivered_by[0] + 1e-6) << run.today().iso();
    }
    EXPECT_GT(run.book()[id].delivered_by_component[1], 0.5 * run.book()[id].delivered_by_component[0]);
}

TEST(SupplyModel, CancelledContractsStopReceivingAndNewOnesArePickedUp) {
    WorldBuilder builder(30);
    const CountryId rus = builder.country("RUS", 144e6);
    const CountryId gtm = builder.country("GTM", 17e6);
    const ProductId product = builder.product("p", 1, {0});
    builder.site("line", rus, product, 1000);
    builder.supplier(rus, AllocationPolicy::pro_rata);
    const ContractId first = builder.contract("gtm", rus, gtm, product, 1e8, day(0));
    const World world = builder.build();
    SupplyRun run(world, 1);
    for (int d = 0; d < 10; ++d) run.step();
    const double before = run.book()[first].shipped_doses;
    run.book()[first].status = ContractStatus::cancelled;
    Contract replacement = world.contract(first);
    replacement.id = "gtm_again";
    replacement.signed_on = run.today();
    const ContractId second = run.book().add(replacement, 1, run.today());
    for (int d = 0; d < 10; ++d) run.step();
    EXPECT_EQ(run.book()[first].shipped_doses, before);
    EXPECT_NEAR(run.book()[second].shipped_doses, 10 * 1000.0, 1e-6);
}

TEST(SupplyModel, PolicyChangeEventReordersClaims) {
    WorldBuilder builder(10);
    const CountryId chn = builder.country("CHN", 1400e6);
    const CountryId a = builder.country("AAA", 1e7);
    const CountryId b = builder.country("BBB", 1e7);
    const ProductId product = builder.product("p", 1, {0});
    builder.site("line", chn, product, 10000);
    builder.supplier(chn, AllocationPolicy::pro_rata).priority_order = {b};
    const ContractId to_a = builder.contract("a", chn, a, product, 1e6, day(0));
    const ContractId to_b = builder.contract("b", chn, b, product, 1e6, day(0));
    ScenarioEvent change;
    change.date = day(5);
    change.kind = EventKind::policy_change;
    change.country = chn;
    change.policy = AllocationPolicy::priority;
    builder.world().events.push_back(change);
    const World world = builder.build();
    SupplyRun run(world, 1);
    run.run_to_end();
    EXPECT_NEAR(run.book()[to_a].shipped_doses, 5 * 5000.0, 1e-6);
    EXPECT_NEAR(run.book()[to_b].shipped_doses, 5 * 5000.0 + 5 * 10000.0, 1e-6);
    EXPECT_EQ(run.model().policy(chn).policy, AllocationPolicy::priority);
}

TEST(SupplyModel, RejectsAProductWithoutShelfLifeInItsStorageClass) {
    WorldBuilder builder(10);
    const CountryId rus = builder.country("RUS", 144e6);
    const ProductId product = builder.product("p", 1, {0});
    builder.world().products[product.value()].shelf_life_days = {};
    builder.site("line", rus, product, 1000);
    const World world = builder.build();
    EXPECT_THROW(SupplyModel(world, 1), std::invalid_argument);
}

// COVAX ships consignments on a cycle: what accumulates between shipment days leaves together.
TEST(SupplyModel, CovaxShipsOnItsShipmentCycle) {
    WorldBuilder builder(40);
    const CountryId ind = builder.country("IND", 1380e6, "Asia", "Southern Asia");
    const CountryId a = builder.country("AAA", 1e8, "Africa", "Western Africa", 0.0, true);
    const ProductId product = builder.product("p", 1, {0});
    builder.site("line", ind, product, 10000);
    builder.supplier(ind, AllocationPolicy::pro_rata);
    builder.world().covax.shipment_interval_days = 7;
    builder.world().shipping.default_lead_days = 10;
    builder.contract("covax", ind, CountryId{}, product, 1e8, std::nullopt, ContractKind::covax);
    const World world = builder.build();
    SupplyRun run(world, 1);
    run.run_to_end();
    std::map<int, double> by_day;
    for (const DeliveryRow& row : run.deliveries()) {
        EXPECT_EQ(row.recipient, a);
        by_day[row.date - day(0)] += row.doses;
    }
    // Dispatched on days 0, 7, ..., 28, arriving 10 days later with what was made since the last shipment.
    const std::map<int, double> expected{{10, 10000.0}, {17, 70000.0}, {24, 70000.0}, {31, 70000.0}, {38, 70000.0}};
    ASSERT_EQ(by_day.size(), expected.size());
    for (const auto& [arrival_day, doses] : expected) EXPECT_NEAR(by_day[arrival_day], doses, 1e-6) << arrival_day;
}

namespace {

// A producer with two donors' contracts (AAA 40,000 doses, BBB 20,000), another buyer's (CCC 60,000) and a
// donation of 9,000 doses to DDD made out of the donors' contracts.
struct GiftWorld {
    WorldBuilder builder{40};
    CountryId usa, a, b, c, d;
    ContractId to_a, to_b, to_c, gift;
    GiftWorld(Date donors_sign = day(0)) {
        usa = builder.country("USA", 330e6);
        a = builder.country("AAA", 1e7);
        b = builder.country("BBB", 1e7);
        c = builder.country("CCC", 1e7);
        d = builder.country("DDD", 1e7);
        const ProductId product = builder.product("p", 1, {0});
        builder.site("line", usa, product, 10000);
        builder.supplier(usa, AllocationPolicy::pro_rata);
        to_a = builder.contract("a", usa, a, product, 40000, day(0), ContractKind::sale, donors_sign);
        to_b = builder.contract("b", usa, b, product, 20000, day(0), ContractKind::sale, donors_sign);
        to_c = builder.contract("c", usa, c, product, 60000, day(0));
        gift = builder.contract("gift", usa, d, product, 9000, day(0), ContractKind::donation);
        builder.contract_at(gift).donors = {a, b};
    }
};

}  // namespace

// The donors' contracts and the donation form one claim group: the donation is served first from the donors'
// share, each donor gives in proportion to its grant, and what it gives leaves its order. No dose is added.
TEST(SupplyModel, DonationWithDonorsIsServedFromTheDonorsShareAndLeavesTheirOrders) {
    GiftWorld setup;
    const World world = setup.builder.build();
    SupplyRun run(world, 1);
    run.step();
    // 10,000 pro rata over 120,000 of claims (the donation adds none): AAA 3,333, BBB 1,667, CCC 5,000. The
    // donation takes the donors' 5,000 (it claims 9,000), two thirds from AAA, one third from BBB.
    const ContractBook& book = run.book();
    EXPECT_NEAR(book[setup.gift].shipped_doses, 5000.0, 1e-6);
    EXPECT_NEAR(book[setup.to_c].shipped_doses, 5000.0, 1e-6);
    EXPECT_NEAR(book[setup.to_a].shipped_doses, 0.0, 1e-6);
    EXPECT_NEAR(book[setup.to_b].shipped_doses, 0.0, 1e-6);
    EXPECT_NEAR(book[setup.to_a].donated_doses, 10000.0 / 3.0, 1e-6);
    EXPECT_NEAR(book[setup.to_b].donated_doses, 5000.0 / 3.0, 1e-6);
    run.step();
    // Day 1: the donors claim 55,000 less what they gave; the group's 5,000 covers the donation's last 4,000.
    EXPECT_NEAR(book[setup.gift].shipped_doses, 9000.0, 1e-6);
    EXPECT_NEAR(book[setup.to_a].donated_doses, 6000.0, 1e-6);
    EXPECT_NEAR(book[setup.to_b].donated_doses, 3000.0, 1e-6);
    EXPECT_NEAR(book[setup.to_a].shipped_doses, 2000.0 / 3.0, 1e-6);
    run.run_to_end();
    // The donors' orders shrank by what they gave; every other order is filled, and nothing more leaves.
    EXPECT_NEAR(book[setup.to_a].shipped_doses, 34000.0, 1e-6);
    EXPECT_NEAR(book[setup.to_b].shipped_doses, 17000.0, 1e-6);
    EXPECT_NEAR(book[setup.to_c].shipped_doses, 60000.0, 1e-6);
    EXPECT_NEAR(book[setup.gift].shipped_doses, 9000.0, 1e-6);
    EXPECT_NEAR(book[setup.to_a].shortfall_doses(), 0.0, 1e-6);
    EXPECT_NEAR(book[setup.to_a].served_doses(), 40000.0, 1e-6);
    double shipped = 0.0;
    for (const ContractRecord& record : book.records) shipped += record.shipped_doses;
    EXPECT_NEAR(shipped, 120000.0, 1e-6);  // the sale orders: the donation is inside them
    EXPECT_TRUE(run.model().shipped_ledger_differences(book).empty());
}

// Without a donor contract claiming, a donation with donors gets nothing: it has no share of its own.
TEST(SupplyModel, DonationWithDonorsWaitsForItsDonorsContracts) {
    GiftWorld setup(day(5));
    const World world = setup.builder.build();
    SupplyRun run(world, 1);
    for (int t = 0; t < 5; ++t) run.step();
    EXPECT_NEAR(run.book()[setup.gift].shipped_doses, 0.0, 1e-9);
    EXPECT_NEAR(run.book()[setup.to_c].shipped_doses, 50000.0, 1e-6);
    run.step();
    EXPECT_GT(run.book()[setup.gift].shipped_doses, 0.0);
}

TEST(SupplyModel, DonationWithDonorsIsDeterministic) {
    GiftWorld first_setup, second_setup;
    const World first_world = first_setup.builder.build(), second_world = second_setup.builder.build();
    SupplyRun first(first_world, 7), second(second_world, 7);
    first.run_to_end();
    second.run_to_end();
    ASSERT_EQ(first.deliveries().size(), second.deliveries().size());
    for (std::size_t i = 0; i < first.deliveries().size(); ++i) {
        EXPECT_EQ(first.deliveries()[i].contract, second.deliveries()[i].contract);
        EXPECT_EQ(first.deliveries()[i].doses, second.deliveries()[i].doses);
    }
    for (std::size_t i = 0; i < first.book().size(); ++i)
        EXPECT_EQ(first.book().records[i].donated_doses, second.book().records[i].donated_doses);
}

// Between shipment days COVAX's share of a contested stock is set aside, not handed to the other claimants: a
// weekly cycle lumps the doses, it does not cut COVAX's share to one day in seven.
TEST(SupplyModel, CovaxSetsItsShareAsideBetweenShipmentDays) {
    WorldBuilder builder(40);
    const CountryId ind = builder.country("IND", 1380e6, "Asia", "Southern Asia");
    const CountryId a = builder.country("AAA", 1e8, "Africa", "Western Africa", 0.0, true);
    const CountryId b = builder.country("BBB", 1e8, "Africa", "Western Africa");
    const ProductId product = builder.product("p", 1, {0});
    builder.site("line", ind, product, 10000);
    builder.supplier(ind, AllocationPolicy::pro_rata).domestic_share = 0.0;
    builder.world().covax.shipment_interval_days = 7;
    builder.world().shipping.default_lead_days = 10;
    const ContractId covax = builder.contract("covax", ind, CountryId{}, product, 1e8, std::nullopt, ContractKind::covax);
    // The same claim as COVAX's room: 0.2 x 1e8 courses.
    const ContractId sale = builder.contract("sale", ind, b, product, 2e7);
    builder.world().covax.coverage_cap = 0.2;
    const World world = builder.build();
    SupplyRun run(world, 1);
    for (int t = 0; t < 7; ++t) run.step();
    // Days 0-6: two equal claims share 70,000 doses. COVAX shipped its half of day 0 and holds days 1-6.
    EXPECT_NEAR(run.book()[covax].shipped_doses, 5000.0, 1e-6);
    EXPECT_NEAR(run.book()[sale].shipped_doses, 35000.0, 1e-6);
    EXPECT_NEAR(run.model().owner_stock(ind, product, 0), 30000.0, 1e-6);
    run.step();
    // Day 7: what was set aside leaves with the day's half.
    EXPECT_NEAR(run.book()[covax].shipped_doses, 40000.0, 1e-6);
    EXPECT_NEAR(run.book()[sale].shipped_doses, 40000.0, 1e-6);
    EXPECT_NEAR(run.model().owner_stock(ind, product, 0), 0.0, 1e-6);
    double to_a = 0.0;
    run.run_to_end();
    for (const DeliveryRow& row : run.deliveries())
        if (row.recipient == a) to_a += row.doses;
    EXPECT_NEAR(to_a, run.book()[covax].delivered_doses, 1e-6);
    EXPECT_TRUE(run.model().shipped_ledger_differences(run.book()).empty());
}

// A donor giving to two donations gives to each in turn out of its own share.
TEST(SupplyModel, DonorGivesToTwoDonationsOutOfOneShare) {
    WorldBuilder builder(10);
    const CountryId usa = builder.country("USA", 330e6);
    const CountryId a = builder.country("AAA", 1e7);
    const CountryId b = builder.country("BBB", 1e7);
    const CountryId d = builder.country("DDD", 1e7);
    const CountryId e = builder.country("EEE", 1e7);
    const ProductId product = builder.product("p", 1, {0});
    builder.site("line", usa, product, 10000);
    builder.supplier(usa, AllocationPolicy::pro_rata).domestic_share = 0.0;
    const ContractId to_a = builder.contract("a", usa, a, product, 20000, day(0));
    const ContractId to_b = builder.contract("b", usa, b, product, 20000, day(0));
    const ContractId first = builder.contract("first", usa, d, product, 2000, day(0), ContractKind::donation);
    const ContractId second = builder.contract("second", usa, e, product, 2000, day(0), ContractKind::donation);
    builder.contract_at(first).donors = {a};
    builder.contract_at(second).donors = {a};
    const World world = builder.build();
    SupplyRun run(world, 1);
    run.step();
    // AAA's 5,000 pay both donations; BBB keeps its 5,000.
    EXPECT_NEAR(run.book()[first].shipped_doses, 2000.0, 1e-6);
    EXPECT_NEAR(run.book()[second].shipped_doses, 2000.0, 1e-6);
    EXPECT_NEAR(run.book()[to_a].shipped_doses, 1000.0, 1e-6);
    EXPECT_NEAR(run.book()[to_a].donated_doses, 4000.0, 1e-6);
    EXPECT_NEAR(run.book()[to_b].shipped_doses, 5000.0, 1e-6);
}
