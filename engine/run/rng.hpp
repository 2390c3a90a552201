// One seeded generator per run (no globals): xoshiro256** seeded through splitmix64, with our
// own normal variate so results do not depend on a standard library's distribution code.
#pragma once

#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace interdep {

inline std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// A stable 64-bit key for a name (FNV-1a), for draws that follow an actor, a domain or an
// institution by its name.
inline std::uint64_t name_key(std::string_view name) {
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (const char c : name) {
    h ^= static_cast<std::uint64_t>(static_cast<unsigned char>(c));
    h *= 0x100000001B3ull;
  }
  return h;
}

// The ziggurat's strips for the standard normal (Doornik 2005, ZIGNOR): 128 strips of equal area
// V, the base strip reaching R; x[i] the right edges (x[128] = 0), ratio[i] = x[i+1] / x[i].
struct Ziggurat {
  static constexpr std::size_t kStrips = 128;
  static constexpr double kR = 3.442619855899;       // start of the tail
  static constexpr double kV = 9.91256303526217e-3;  // area of each strip
  double x[kStrips + 1];
  double ratio[kStrips];
  Ziggurat() {
    double f = std::exp(-0.5 * kR * kR);
    x[0] = kV / f;  // the base strip's rectangle plus tail, as one of width V / f(R)
    x[1] = kR;
    for (std::size_t i = 2; i < kStrips; ++i) {
      x[i] = std::sqrt(-2.0 * std::log(kV / x[i - 1] + f));
      f = std::exp(-0.5 * x[i] * x[i]);
    }
    x[kStrips] = 0.0;
    for (std::size_t i = 0; i < kStrips; ++i) ratio[i] = x[i + 1] / x[i];
  }
};
inline const Ziggurat& ziggurat() {
  static const Ziggurat tables;  // built once, thread-safe
  return tables;
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : seed_(seed) {
    std::uint64_t x = seed;
    for (auto& w : s_) w = splitmix64(x);
  }

  // A uniform in [0, 1) that depends only on the run's seed and the keys, not on how many
  // numbers were drawn before: decisions drawn this way stay paired across scenarios that
  // differ elsewhere (common random numbers), and follow the actors and domains they are keyed
  // by (name_key) rather than their positions.
  template <class... Keys>
  double uniform_at(Keys... keys) const {
    return unit(key_chain(key_root(), keys...));
  }

  // A standard normal keyed like uniform_at: the ziggurat on the hashes keyed (1, keys...) and
  // (2, keys...) (normal_of).
  template <class... Keys>
  double normal_at(Keys... keys) const {
    return normal_of(key_chain(key_root(), std::uint64_t{1}, keys...),
                     key_chain(key_root(), std::uint64_t{2}, keys...));
  }

  // The keyed hash in parts, for loops that share leading keys: key_chain(key_root(), a, b, c)
  // equals key_mix(key_mix(key_mix(key_root(), a), b), c).
  std::uint64_t key_root() const { return seed_ ^ 0xD1B54A32D192ED03ull; }
  static std::uint64_t key_mix(std::uint64_t x, std::uint64_t key) {
    return key_mix(key_mixer(x), key);
  }
  // key_mix(x, key) for several keys of one x: the half that depends on x alone, made once
  // (a step's noise keys every partner's domains from one pair key).
  struct KeyMixer {
    std::uint64_t advanced = 0;  // x advanced by the splitmix64 increment
    std::uint64_t mixed = 0;     // splitmix64 of x
  };
  static KeyMixer key_mixer(std::uint64_t x) {
    const std::uint64_t z = splitmix64(x);  // advances x by the splitmix64 increment
    return {x, z};
  }
  static std::uint64_t key_mix(const KeyMixer& m, std::uint64_t key) {
    std::uint64_t x = m.advanced ^ (m.mixed + key);
    return splitmix64(x);
  }
  template <class... Keys>
  static std::uint64_t key_chain(std::uint64_t x, Keys... keys) {
    static_assert(sizeof...(Keys) > 0);
    for (std::uint64_t key : {static_cast<std::uint64_t>(keys)...}) x = key_mix(x, key);
    return x;
  }
  // [0, 1) from the top 53 bits of a hash.
  static double unit(std::uint64_t x) { return static_cast<double>(x >> 11) * 0x1.0p-53; }
  // A standard normal from two hashes by the ziggurat method (Marsaglia & Tsang 2000, with
  // Doornik's 2005 layout of 128 strips): the first attempt uses `hash_u` alone (its low 7 bits
  // pick the strip, its top 53 bits the point), which is accepted about 97 % of the time;
  // rejections and the tail draw further hashes keyed from `hash_v`. Exactly normal, and a
  // function of the two hashes only (docs/model.md §4.8).
  static double normal_of(std::uint64_t hash_u, std::uint64_t hash_v) {
    return normal_of_lazy(hash_u, [hash_v] { return hash_v; });
  }
  // normal_of with the second hash made only when it is needed (about one draw in 36):
  // `make_hash_v()` returns it. The same number as normal_of(hash_u, make_hash_v()).
  template <class MakeHashV>
  static double normal_of_lazy(std::uint64_t hash_u, MakeHashV make_hash_v) {
    return normal_of_lazy(ziggurat(), hash_u, make_hash_v);
  }
  // normal_of_lazy on tables `z` (ziggurat()) fetched once by the caller: a loop of draws then
  // checks the tables' one-time construction once, not per draw.
  template <class MakeHashV>
  static double normal_of_lazy(const Ziggurat& z, std::uint64_t hash_u, MakeHashV make_hash_v) {
    std::uint64_t h = hash_u;
    std::uint64_t hash_v = 0;
    bool have_v = false;
    std::uint64_t more = 0;  // the key of the next hash drawn from hash_v
    auto next = [&] {
      if (!have_v) {
        hash_v = make_hash_v();
        have_v = true;
      }
      return key_mix(hash_v, ++more);
    };
    for (;;) {
      const double u = 2.0 * unit(h) - 1.0;  // (-1, 1)
      const std::size_t i = h & (Ziggurat::kStrips - 1);
      if (std::abs(u) < z.ratio[i]) return u * z.x[i];  // inside the strip's rectangle
      if (i == 0) {                                     // the base strip: the tail beyond R
        double x = 0.0, y = 0.0;
        do {
          x = std::log(1.0 - unit(next())) / Ziggurat::kR;  // <= 0
          y = std::log(1.0 - unit(next()));
        } while (-2.0 * y < x * x);
        return u < 0.0 ? x - Ziggurat::kR : Ziggurat::kR - x;
      }
      const double x = u * z.x[i];  // the wedge: accept under the density
      const double f0 = std::exp(-0.5 * (z.x[i] * z.x[i] - x * x));
      const double f1 = std::exp(-0.5 * (z.x[i + 1] * z.x[i + 1] - x * x));
      if (f1 + unit(next()) * (f0 - f1) < 1.0) return x;
      h = next();
    }
  }

  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  // Unbiased integer in [0, n) by rejection of the 2^64 mod n lowest draws (n > 0), so that no
  // index is favoured (a plain r % n would be, slightly).
  std::size_t uniform_index(std::size_t n) {
    assert(n > 0);
    const auto bound = static_cast<std::uint64_t>(n);
    const std::uint64_t threshold = (0 - bound) % bound;  // 2^64 mod n
    for (;;) {
      const std::uint64_t r = next_u64();
      if (r >= threshold) return static_cast<std::size_t>(r % bound);
    }
  }

  // Standard normal by the Marsaglia polar method (the spare value is kept).
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u = 0.0, v = 0.0, s = 0.0;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v * f;
    has_spare_ = true;
    return u * f;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t seed_ = 0;
  std::uint64_t s_[4]{};
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace interdep
