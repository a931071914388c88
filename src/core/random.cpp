#include "core/random.hpp"

namespace doseflow {

std::uint64_t mix64(std::uint64_t z) {
    // splitmix64 finaliser (Steele, Lea, Flood 2014).
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

RandomEngine make_stream(std::uint64_t seed, std::uint64_t entity, StreamPurpose purpose, std::uint64_t sub) {
    const std::uint64_t state = mix64(mix64(mix64(seed) ^ entity) ^ (static_cast<std::uint64_t>(purpose) << 32 | sub));
    const std::uint64_t stream = mix64(state ^ 0x5851f42d4c957f2dULL);
    return RandomEngine(state, stream);
}

std::uint64_t stable_hash(std::string_view text) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

}  // namespace doseflow
