/// Which kernels this build runs: the instruction set the Swift kernels were compiled for
/// (Package.swift's `targetCPU`) and whether the bfloat16 products (``Precision/bf16``) run on
/// this machine. Shown by `diffdub --version` and the header of `diffdub-bench`.
package enum KernelBuild {
    /// Whether the Swift kernels were compiled for a chosen CPU (`-target-cpu`, `haswell` by default
    /// on an x86-64 machine with AVX2 and FMA) rather than the portable baseline.
    package static var targetsChosenCPU: Bool {
        #if DIFFDUB_TARGET_CPU
            return true
        #else
            return false
        #endif
    }

    /// One line, e.g. `kernels: Swift SIMD8 + FMA (-target-cpu), packed products; bf16 products:
    /// vdpbf16ps (AVX512_BF16)`.
    package static var summary: String {
        let swift =
            targetsChosenCPU
            ? "Swift SIMD\(FloatVector.scalarCount) + FMA (-target-cpu)" : "Swift SIMD\(FloatVector.scalarCount) (portable)"
        let products = PackedProducts.isAvailable ? "packed fp32 products" : "OpenBLAS fp32 products"
        let bf16 =
            BF16Products.isAvailable
            ? "bf16 products: vdpbf16ps (AVX512_BF16)" : "bf16 products: emulated (no AVX512_BF16 on this CPU)"
        return "kernels: \(swift), \(products); \(bf16)"
    }
}
