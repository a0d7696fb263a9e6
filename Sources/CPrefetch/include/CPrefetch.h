// A hint that memory is about to be read (`prefetcht0`), the one instruction of the Winograd
// input transforms that Swift cannot express. Inline: Swift calls compile to the instruction.
// Every x86-64 and arm64 CPU has it (no run-time check); elsewhere it compiles to nothing.
#ifndef CPREFETCH_H
#define CPREFETCH_H

/// Asks the CPU to bring the cache line holding `address` into its caches, for a read soon.
/// Never faults, whatever `address` is.
static inline void diffdub_prefetch(const void *address) {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(address, 0, 3);
#else
    (void)address;
#endif
}

#endif
