"""Training configs: the parsed document (:mod:`~ftlint.configs.document`),
the base class of a framework (:mod:`~ftlint.configs.framework`), the one
normalised view every framework fills (:mod:`~ftlint.configs.view`) with the
key schemas it declares (:mod:`~ftlint.configs.schema`), the built-in
frameworks (:mod:`~ftlint.configs.frameworks`), the base-model catalogue
(:mod:`~ftlint.configs.model_catalog`) and the YAML 1.1 vs 1.2 comparison
(:mod:`~ftlint.configs.yaml_compat`)."""
