"""The configuration: the YAML pairs (pydantic, every problem at once with file and line), settings, schema.

Pure like the core: no connector, no store, no network."""
