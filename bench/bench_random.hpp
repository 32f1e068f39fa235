// A small, fully specified pseudo-random generator for the benchmark's
// generators (corpus, rule packs). The standard <random> distributions are
// implementation-defined, so they would give a different corpus with another
// standard library; these functions give the same bytes everywhere.
#ifndef DLPD_BENCH_RANDOM_HPP
#define DLPD_BENCH_RANDOM_HPP

#include <cstdint>
#include <string>

namespace dlpd::bench {

// xoshiro256** seeded through splitmix64.
class Random {
public:
    explicit Random(uint64_t seed) {
        for (auto &s : s_) {
            seed += 0x9e3779b97f4a7c15ULL;
            uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            s = z ^ (z >> 31);
        }
    }

    uint64_t next() {
        const uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, n), n > 0 (multiply-shift; the bias is below 2^-40).
    uint64_t below(uint64_t n) { return static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64); }
    // Uniform in [lo, hi].
    uint64_t between(uint64_t lo, uint64_t hi) { return lo + below(hi - lo + 1); }
    // Uniform in [0, 1).
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return unit() < p; }

    template <class Container>
    const auto &pick(const Container &c) {
        return c[below(c.size())];
    }

    std::string chars(const std::string &alphabet, size_t n) {
        std::string out;
        out.reserve(n);
        for (size_t i = 0; i < n; ++i) out.push_back(alphabet[below(alphabet.size())]);
        return out;
    }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t s_[4];
};

inline const std::string kLower = "abcdefghijklmnopqrstuvwxyz";
inline const std::string kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
inline const std::string kDigits = "0123456789";
inline const std::string kAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

}  // namespace dlpd::bench

#endif
