"""The code generator's shared pieces: helpers used by every script, and the rule machinery.

``codegen.common``: HTTP methods, operation iteration, snake-casing (defined once here).
``codegen.rules``: a named rule, and running an explicit ordered list of them; the
normalizer's list is ``normalize.RULES``.
"""
