// Rng: a small seeded generator (splitmix64 seeding xoshiro256**) with uniform, normal
// (Box-Muller) and shuffle written out here, so that a seed gives the same data and splits
// with every compiler and standard library (std::normal_distribution and std::shuffle do not).
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <utility>

namespace neurite {

class Rng {
public:
    explicit Rng(uint64_t seed) {
        for (uint64_t& s : m_state)
            s = splitmix64(seed);
    }

    uint64_t next() {
        const uint64_t result = rotl(m_state[1] * 5, 7) * 9;
        const uint64_t t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }

    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    // Uniform integer in [0, n), n > 0, without modulo bias.
    uint64_t below(uint64_t n) {
        const uint64_t limit = -n % n; // 2^64 mod n: values below it are rejected
        uint64_t x = next();
        while (x < limit)
            x = next();
        return x % n;
    }

    // Standard normal by Box-Muller; the second value of each pair is kept for the next call.
    double normal() {
        if (m_hasSpare) {
            m_hasSpare = false;
            return m_spare;
        }
        const double u1 = 1.0 - uniform(); // (0, 1]: log is finite
        const double u2 = uniform();
        const double r = std::sqrt(-2.0 * std::log(u1));
        m_spare = r * std::sin(2.0 * std::numbers::pi * u2);
        m_hasSpare = true;
        return r * std::cos(2.0 * std::numbers::pi * u2);
    }

    // Fisher-Yates shuffle.
    template <class T> void shuffle(std::span<T> items) {
        for (std::size_t i = items.size(); i > 1; --i) {
            const std::size_t j = static_cast<std::size_t>(below(i));
            std::swap(items[i - 1], items[j]);
        }
    }

    static uint64_t splitmix64(uint64_t& x) {
        uint64_t z = (x += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

    uint64_t m_state[4];
    double m_spare = 0;
    bool m_hasSpare = false;
};

} // namespace neurite
