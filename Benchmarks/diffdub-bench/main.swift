import DiffDubCore

// Benchmarks are added with the kernels and models; see Docs/PERFORMANCE.md.
print("diffdub-bench: no benchmarks yet")
