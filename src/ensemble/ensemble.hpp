#pragma once
// Ensembles: many members of one scenario, each with its uncertain values drawn by Latin hypercube from its own
// random stream, run on oneTBB threads (and across MPI ranks), folded in member order into members.csv,
// quantiles.csv and summary.json (docs/uncertainty.md). The bytes written depend on the scenario, the seed and
// the number of members only.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/error.hpp"
#include "doseflow/ensemble.hpp"
#include "doseflow/scenario.hpp"
#include "doseflow/simulation.hpp"
#include "ensemble/uncertainty.hpp"
#include "world/exchange.hpp"
#include "world/world.hpp"

namespace doseflow::ensemble {

// The scenario of an ensemble with its uncertain values, checked once; members are built from it.
class EnsemblePlan {
public:
    // Loads the scenario, applies `overrides` (PATH=VALUE, indices allowed) and reads [[uncertainty]]. Throws
    // ScenarioError with every problem found.
    static EnsemblePlan load(const ScenarioSource& source, const std::vector<std::string>& overrides,
                             std::optional<int> days);

    const std::vector<Uncertainty>& uncertainties() const { return uncertainties_; }
    const std::string& name() const { return name_; }
    std::uint64_t scenario_seed() const { return scenario_seed_; }
    // The scenario with `values` (one per uncertainty) at their paths and the simulation seed `seed`.
    Scenario member_scenario(const std::vector<double>& values, std::uint64_t seed) const;

private:
    toml::table document_;
    std::vector<Uncertainty> uncertainties_;
    std::string name_;
    std::uint64_t scenario_seed_ = 1;
    std::optional<int> days_;
};

// Probabilities in [0, 1) for `members` x `dimensions`: each column is a Latin hypercube column (one value in each
// of the `members` equal strata, in an order shuffled by a stream of (seed, column)), jittered within its stratum
// by member m's own stream (seed, m). Member m's row does not depend on how members are split across workers.
std::vector<std::vector<double>> latin_hypercube(int members, std::size_t dimensions, std::uint64_t seed);

// The simulation seed of member `m` of an ensemble seeded with `seed` (the same in every ensemble of that seed, so
// members of two ensembles pair up by index).
std::uint64_t member_seed(std::uint64_t seed, int member);

// The key figures of one run as (name, value), in a fixed order: deaths, deaths_averted (with a counterfactual),
// doses produced/delivered/administered/wasted, COVAX delivered (in all and by the end of 2021), the shortfall of
// each product (contracted minus delivered) and the share fully vaccinated by income group.
std::vector<std::pair<std::string, double>> flat_key_figures(const Results& results, const Results* counterfactual);

// What one member produced.
struct MemberOutcome {
    int member = 0;
    std::uint64_t seed = 0;
    std::vector<double> drawn;                 // one per uncertainty
    std::vector<std::string> figure_names;
    std::vector<double> figures;
    std::vector<SeriesPoint> points;           // the series kept for quantiles.csv
    std::shared_ptr<const World> world;        // for names of countries and products (nullptr after transfer)
    std::string error;                         // non-empty when the member could not run
};

MemberOutcome run_member(const EnsemblePlan& plan, int member, const std::vector<double>& probabilities,
                         std::uint64_t ensemble_seed, const MemberOptions& options);

// Where members run: this process alone, or one MPI rank of several (members m with m % size == rank).
class MemberTransport {
public:
    virtual ~MemberTransport() = default;
    virtual int rank() const { return 0; }
    virtual int size() const { return 1; }
    // Rank 0 receives member `member` from the rank that ran it; other ranks send theirs to rank 0.
    virtual MemberOutcome receive(int member) { (void)member; return {}; }
    virtual void send(const MemberOutcome& outcome) { (void)outcome; }
    // Every rank learns whether rank 0 finished without error (false stops the others' use of the results).
    virtual bool agree(bool ok) { return ok; }
    bool root() const { return rank() == 0; }
};

// Runs members 0..count-1 on `threads` threads; rank 0 calls `fold` once per member in member order, whichever
// thread or rank ran it. At most 2 x threads members are in memory at once per rank.
void run_members(int count, int threads, MemberTransport& transport, const std::function<MemberOutcome(int)>& compute,
                 const std::function<void(MemberOutcome&&)>& fold);

// This process's transport: MPI when started by mpirun (and built with MPI), else this process alone.
std::unique_ptr<MemberTransport> make_transport(int& argc, char**& argv);

}  // namespace doseflow::ensemble
