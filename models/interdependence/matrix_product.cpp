// Matrix products in one summation order on every CPU (matrix_product.hpp).
//
// Each kernel keeps a tile of C (MR rows, NV vectors of W doubles) in registers and adds one
// row of B times one column of A to it at each k, so every element of C is its own running sum
// over k in ascending order: widening the vectors changes how many elements are summed side by
// side, never the order of any one sum. A product of k > kDepthBlock is taken a block of k at
// a time, the tile stored to C and loaded back between blocks, which rounds nothing. This file
// is compiled with -ffp-contract=off (models/CMakeLists.txt): a fused multiply-add would round
// once where the order promises twice, and differently on CPUs with and without it.
#include "models/interdependence/matrix_product.hpp"

#include <cassert>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace interdep {
namespace {

constexpr std::size_t kDepthBlock = 256;  // k a tile sums before storing (B's strip in L1/L2)
constexpr std::size_t kRowBlock = 96;     // rows of A a block of k runs over (A's block in L2)

#define INTERDEP_INLINE inline __attribute__((always_inline))

// The tile C[0..MR)[0..NV W) += A[0..MR)[0..depth) B[0..depth)[0..NV W); from 0 when `first`.
template <std::size_t W, std::size_t MR, std::size_t NV>
INTERDEP_INLINE void tile(const double* a, std::size_t lda, const double* b, std::size_t ldb,
                          double* c, std::size_t ldc, std::size_t depth, bool first) {
  typedef double Vector __attribute__((vector_size(W * sizeof(double))));
  Vector sum[MR][NV];
#pragma GCC unroll 8
  for (std::size_t r = 0; r < MR; ++r)
#pragma GCC unroll 4
    for (std::size_t v = 0; v < NV; ++v) {
      if (first)
        sum[r][v] = Vector{};
      else
        std::memcpy(&sum[r][v], c + r * ldc + v * W, sizeof(Vector));
    }
  for (std::size_t k = 0; k < depth; ++k) {
    Vector row[NV];
#pragma GCC unroll 4
    for (std::size_t v = 0; v < NV; ++v) std::memcpy(&row[v], b + k * ldb + v * W, sizeof(Vector));
#pragma GCC unroll 8
    for (std::size_t r = 0; r < MR; ++r) {
      const double factor = a[r * lda + k];
#pragma GCC unroll 4
      for (std::size_t v = 0; v < NV; ++v) sum[r][v] = sum[r][v] + factor * row[v];
    }
  }
#pragma GCC unroll 8
  for (std::size_t r = 0; r < MR; ++r)
#pragma GCC unroll 4
    for (std::size_t v = 0; v < NV; ++v)
      std::memcpy(c + r * ldc + v * W, &sum[r][v], sizeof(Vector));
}

struct Block {  // rows [row, row_end) and depth [depth, depth_end) of one pass
  const double* a;
  const double* b;
  double* c;
  std::size_t k, n;  // A's columns (its row stride), B's and C's columns
  std::size_t row, row_end, depth, depth_end;
};

// Columns [column, ...) in strips of NV W as far as they go, the block's rows MR at a time, then
// four and one at a time; returns the first column left.
template <std::size_t W, std::size_t MR, std::size_t NV>
INTERDEP_INLINE std::size_t strips(const Block& s, std::size_t column) {
  constexpr std::size_t width = NV * W;
  const std::size_t depth = s.depth_end - s.depth;
  const bool first = s.depth == 0;
  for (; column + width <= s.n; column += width) {
    const double* const b = s.b + s.depth * s.n + column;
    std::size_t i = s.row;
    for (; i + MR <= s.row_end; i += MR)
      tile<W, MR, NV>(s.a + i * s.k + s.depth, s.k, b, s.n, s.c + i * s.n + column, s.n, depth,
                      first);
    if constexpr (MR > 4)  // the last rows four at a time, then one at a time
      for (; i + 4 <= s.row_end; i += 4)
        tile<W, 4, NV>(s.a + i * s.k + s.depth, s.k, b, s.n, s.c + i * s.n + column, s.n, depth,
                       first);
    for (; i < s.row_end; ++i)
      tile<W, 1, NV>(s.a + i * s.k + s.depth, s.k, b, s.n, s.c + i * s.n + column, s.n, depth,
                     first);
  }
  return column;
}

// The last columns (fewer than the narrowest vector), one element at a time.
INTERDEP_INLINE void single_columns(const Block& s, std::size_t column) {
  for (std::size_t i = s.row; i < s.row_end; ++i)
    for (std::size_t j = column; j < s.n; ++j) {
      double sum = s.depth == 0 ? 0.0 : s.c[i * s.n + j];
      for (std::size_t k = s.depth; k < s.depth_end; ++k)
        sum = sum + s.a[i * s.k + k] * s.b[k * s.n + j];
      s.c[i * s.n + j] = sum;
    }
}

// The blocks of k in order (each element's sum goes on where the last block left it), and
// within one, blocks of rows.
template <void (*columns)(const Block&)>
INTERDEP_INLINE void blocks(const double* a, const double* b, double* c, std::size_t m,
                            std::size_t k, std::size_t n) {
  if (k == 0) {
    std::memset(c, 0, m * n * sizeof(double));
    return;
  }
  for (std::size_t depth = 0; depth < k; depth += kDepthBlock)
    for (std::size_t row = 0; row < m; row += kRowBlock)
      columns(Block{a, b, c, k, n, row, row + kRowBlock < m ? row + kRowBlock : m, depth,
                    depth + kDepthBlock < k ? depth + kDepthBlock : k});
}

// One function per instruction set: the same templates, compiled for each. Tile shapes: the
// tile, B's row and A's factor fill at most the registers (16 of SSE2 and AVX2, 32 of AVX-512).
// After the widest strips, narrower ones take the last columns.
INTERDEP_INLINE void columns_sse2(const Block& s) {
  std::size_t column = strips<2, 4, 2>(s, 0);
  column = strips<2, 4, 1>(s, column);
  single_columns(s, column);
}
void multiply_sse2(const double* a, const double* b, double* c, std::size_t m, std::size_t k,
                   std::size_t n) {
  blocks<columns_sse2>(a, b, c, m, k, n);
}
// Square products of a small world's size (N x N, and the gravity solve's N + 1): the same
// kernel compiled for the size, its strips and loops resolved when compiled. The same sums.
template <std::size_t kN>
void square_sse2(const double* a, const double* b, double* c) {
  blocks<columns_sse2>(a, b, c, kN, kN, kN);
}

#if defined(__x86_64__)
#define INTERDEP_X86_KERNELS 1
INTERDEP_INLINE void columns_avx2(const Block& s) {
  std::size_t column = strips<4, 6, 2>(s, 0);
  column = strips<4, 6, 1>(s, column);
  column = strips<2, 6, 1>(s, column);
  single_columns(s, column);
}
__attribute__((target("avx2"))) void multiply_avx2(const double* a, const double* b, double* c,
                                                   std::size_t m, std::size_t k, std::size_t n) {
  blocks<columns_avx2>(a, b, c, m, k, n);
}
template <std::size_t kN>
__attribute__((target("avx2"))) void square_avx2(const double* a, const double* b, double* c) {
  blocks<columns_avx2>(a, b, c, kN, kN, kN);
}

INTERDEP_INLINE void columns_avx512(const Block& s) {
  std::size_t column = strips<8, 8, 3>(s, 0);
  column = strips<8, 8, 1>(s, column);
  column = strips<4, 8, 1>(s, column);
  column = strips<2, 8, 1>(s, column);
  single_columns(s, column);
}
__attribute__((target("avx512f"))) void multiply_avx512(const double* a, const double* b, double* c,
                                                        std::size_t m, std::size_t k,
                                                        std::size_t n) {
  blocks<columns_avx512>(a, b, c, m, k, n);
}
template <std::size_t kN>
__attribute__((target("avx512f"))) void square_avx512(const double* a, const double* b, double* c) {
  blocks<columns_avx512>(a, b, c, kN, kN, kN);
}
#endif

// The square kernel of size n on `kernel`, among the sizes 2 + kN..., or null for another.
using SquareKernel = void (*)(const double*, const double*, double*);
template <std::size_t... kN>
SquareKernel square_kernel(ProductKernel kernel, std::size_t n, std::index_sequence<kN...>) {
  SquareKernel found = nullptr;
  auto pick = [&](auto size) {
    constexpr std::size_t kSize = decltype(size)::value;
    if (n != kSize) return;
    switch (kernel) {
#if defined(INTERDEP_X86_KERNELS)
      case ProductKernel::avx512: found = square_avx512<kSize>; return;
      case ProductKernel::avx2: found = square_avx2<kSize>; return;
#endif
      default: found = square_sse2<kSize>; return;
    }
  };
  (pick(std::integral_constant<std::size_t, kN + 2>{}), ...);
  return found;
}
constexpr std::size_t kLargestSquare = 9;  // 8 actors and the rest of the world

// The widest kernel this CPU runs, asked of the CPU once.
ProductKernel widest_here() {
  static const ProductKernel widest = [] {
#if defined(INTERDEP_X86_KERNELS)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return ProductKernel::avx512;
    if (__builtin_cpu_supports("avx2")) return ProductKernel::avx2;
#endif
    return ProductKernel::sse2;
  }();
  return widest;
}

constexpr ProductKernel kKernels[] = {ProductKernel::sse2, ProductKernel::avx2,
                                      ProductKernel::avx512};

}  // namespace

ProductKernel kernel_from_environment() {
  const char* const value = std::getenv("INTERDEP_PRODUCT_KERNEL");
  if (value == nullptr || *value == '\0') return widest_here();
  std::string here;
  for (ProductKernel k : kernels_here())
    here += (here.empty() ? "" : ", ") + std::string(kernel_name(k));
  for (ProductKernel k : kKernels)
    if (kernel_name(k) == value) {
      if (k > widest_here())
        throw std::invalid_argument("INTERDEP_PRODUCT_KERNEL=" + std::string(value) +
                                    ": this CPU does not run it (it runs " + here + ")");
      return k;
    }
  throw std::invalid_argument("INTERDEP_PRODUCT_KERNEL=" + std::string(value) +
                              ": expected sse2, avx2 or avx512 (this CPU runs " + here + ")");
}

ProductKernel product_kernel() {
  static const ProductKernel kernel = [] {
    try {
      return kernel_from_environment();
    } catch (const std::invalid_argument&) {
      return widest_here();
    }
  }();
  return kernel;
}

std::vector<ProductKernel> kernels_here() {
  std::vector<ProductKernel> kernels;
  for (ProductKernel k : kKernels)
    if (k <= widest_here()) kernels.push_back(k);
  return kernels;
}

std::string_view kernel_name(ProductKernel kernel) {
  switch (kernel) {
    case ProductKernel::avx2: return "avx2";
    case ProductKernel::avx512: return "avx512";
    default: return "sse2";
  }
}

void multiply_on(ProductKernel kernel, const double* a, const double* b, double* c, std::size_t m,
                 std::size_t k, std::size_t n) {
  assert(kernel <= widest_here());
  assert(c + m * n <= a || a + m * k <= c);  // C apart from A
  assert(c + m * n <= b || b + k * n <= c);  // and from B
  if (m == n && k == n && n >= 2 && n <= kLargestSquare) {
    square_kernel(kernel, n, std::make_index_sequence<kLargestSquare - 1>{})(a, b, c);
    return;
  }
  switch (kernel) {
#if defined(INTERDEP_X86_KERNELS)
    case ProductKernel::avx512: multiply_avx512(a, b, c, m, k, n); return;
    case ProductKernel::avx2: multiply_avx2(a, b, c, m, k, n); return;
#endif
    default: multiply_sse2(a, b, c, m, k, n); return;
  }
}

void multiply(const double* a, const double* b, double* c, std::size_t m, std::size_t k,
              std::size_t n) {
  multiply_on(product_kernel(), a, b, c, m, k, n);
}

}  // namespace interdep
