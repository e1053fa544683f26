"""Measures of text that rules use: normalisation and content hashes
(:mod:`~ftlint.text.normalise`), token counting (:mod:`~ftlint.text.tokens`),
MinHash signatures and LSH (:mod:`~ftlint.text.minhash`), the compact
per-file states that duplicate and leakage rules fold
(:mod:`~ftlint.text.hashed`), and the n-gram index of reference texts
(:mod:`~ftlint.text.references`)."""
