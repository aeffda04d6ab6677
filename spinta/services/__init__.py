"""Use cases: keyword-only, typed, each owns its transaction and raises domain errors."""
