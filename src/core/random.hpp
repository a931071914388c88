#pragma once
// Random streams keyed by (seed, entity, purpose). Every consumer derives its own generator from its key, so a
// draw never depends on the order or thread in which entities are processed. Use Boost.Random distributions on
// these engines: their output is the same with every standard library.
#include <cstdint>
#include <string_view>

#include <pcg_random.hpp>

namespace doseflow {

using RandomEngine = pcg32;

// Purposes are named so that two consumers of the same entity never share a stream.
enum class StreamPurpose : std::uint32_t {
    site_disruption = 1,
    licence_realisation = 2,
    epidemic = 3,
    escalation = 4,
    procurement = 5,
    importation = 6,
    test = 99,
};

std::uint64_t mix64(std::uint64_t value);

// A generator for one (seed, entity, purpose) key. `entity` is a dense id or a hash of a text key.
RandomEngine make_stream(std::uint64_t seed, std::uint64_t entity, StreamPurpose purpose, std::uint64_t sub = 0);

// Stable 64-bit hash of a text key (FNV-1a), for entities keyed by text.
std::uint64_t stable_hash(std::string_view text);

}  // namespace doseflow
