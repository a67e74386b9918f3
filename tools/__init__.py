"""Benchmark and load-test tooling: run from a checkout, not part of the installed package."""
