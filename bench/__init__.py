"""Benchmarks for Cloudplane's two performance claims: cold start and the warm hot path.

They report figures as ratios against a baseline measured in the same run (the machine is
shared and noisy, so absolute times mean little); they are not tests and never fail on a
slow machine. See ``bench/README.md``.
"""
