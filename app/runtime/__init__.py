"""The shell: one run (fetch -> plan -> apply -> save), leases, coordinators, wiring, metrics, logs."""
