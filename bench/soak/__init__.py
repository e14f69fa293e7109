"""`make soak`: the service under faults, crashes, replicas, a busy team and stakeholders (issue 13 §3)."""
