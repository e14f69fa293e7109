"""The pure core: model, decoding, mapping, planner and guards, rendering, change logs, schedule rules.

No I/O: nothing here imports a connector, the store or a web library (an import-linter contract).
"""
