"""The vocabulary every layer shares: findings, records and their views, file
names and splits, JSON Pointers. It imports nothing else of ftlint.

Plugins use these through :mod:`ftlint.api`, which re-exports the public part.
"""
