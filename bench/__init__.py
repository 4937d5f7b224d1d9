"""Benchmarks: `make bench` (bench/run.py) and `make eval` (bench/eval_nlu.py)."""
