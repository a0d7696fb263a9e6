// Hints to the CPU that Swift cannot express: memory about to be read or written (`prefetcht0`,
// `prefetchw`, for the Winograd transforms) and a spin-wait loop (`pause`, `yield`, for the
// kernel threads waiting for work). Inline: Swift calls compile to the instruction. Every x86-64
// and arm64 CPU has them (no run-time check: `prefetchw` is a no-op where missing); elsewhere
// they compile to nothing.
#ifndef CCPUHINTS_H
#define CCPUHINTS_H

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

/// Tells the CPU that this thread is spinning on a memory location: it slows the loop down
/// (about 60 cycles on Zen) and leaves the core's resources to the other hardware thread,
/// if any.
static inline void diffdub_spin_pause(void) {
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
    __builtin_ia32_pause();
#elif (defined(__GNUC__) || defined(__clang__)) && defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
