"""boardsheet's benchmarks: `make bench` (python -m bench) prints every figure with its target."""
