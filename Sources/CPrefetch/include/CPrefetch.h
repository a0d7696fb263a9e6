// Hints that memory is about to be read or written (`prefetcht0`, `prefetchw`), the one
// instruction of the Winograd transforms that Swift cannot express. Inline: Swift calls compile
// to the instruction. Every x86-64 and arm64 CPU has them (no run-time check: `prefetchw` is a
// no-op where missing); elsewhere they compile to nothing.
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

/// Asks the CPU to bring the cache line holding `address` into its caches for writing
/// (`prefetchw` where the CPU has it): the line is then owned before the store that needs it.
/// Never faults, whatever `address` is.
static inline void diffdub_prefetch_for_writing(const void *address) {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(address, 1, 3);
#else
    (void)address;
#endif
}

#endif
