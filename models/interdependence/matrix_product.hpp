// The step's matrix products (docs/model.md §9): C = A B, each element summed in one fixed
// order, so that the bits of a result do not depend on the CPU, its vector width or its caches,
// while the product runs on the widest vectors the CPU has (chosen when the program starts).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace interdep {

// The instruction sets a product can run on, narrowest first. Every one gives the same bits.
enum class ProductKernel { sse2, avx2, avx512 };

// C (m x n) = A (m x k) B (k x n), all row-major and dense, C apart from A and B. Element
// C[i,j] is ((0 + A[i,0] B[0,j]) + A[i,1] B[1,j]) + ... + A[i,k-1] B[k-1,j]: every product and
// every sum rounded once (no fused multiply-add), the terms in ascending order of k. This is the
// order of the naive triple loop, and the one Eigen's portable product uses at most sizes.
void multiply(const double* a, const double* b, double* c, std::size_t m, std::size_t k,
              std::size_t n);
// The same on a named kernel, which this CPU must run (kernels_here()): for tests and benchmarks.
void multiply_on(ProductKernel kernel, const double* a, const double* b, double* c, std::size_t m,
                 std::size_t k, std::size_t n);

// The kernel multiply() runs here: the widest this CPU runs (a build for another processor than
// x86-64 has sse2's, in plain C++), or the one INTERDEP_PRODUCT_KERNEL names.
ProductKernel product_kernel();
// The environment variable INTERDEP_PRODUCT_KERNEL (sse2, avx2 or avx512) makes multiply() run
// that kernel instead of the widest, to show that results do not depend on it. This reads it:
// the kernel it names, or the widest when it is unset or empty. Throws std::invalid_argument for
// any other name, or a kernel this CPU does not run (the command-line program checks it first,
// exit 2; product_kernel() then ignores a bad value).
ProductKernel kernel_from_environment();
// Every kernel this CPU runs, narrowest first.
std::vector<ProductKernel> kernels_here();
std::string_view kernel_name(ProductKernel kernel);

}  // namespace interdep
