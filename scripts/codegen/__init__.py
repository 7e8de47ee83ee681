"""The code generator: upstream document -> ``openapi.yaml`` -> ``instantly_async/_generated``.

Entry points: ``scripts/regen.py`` (``make regen``) and ``scripts/normalize.py``. Modules:

- ``common``: HTTP methods, operation iteration, snake-casing, JSON types (defined once);
- ``rules``: a named rule, and running an explicit ordered list of them;
- ``normalize``: the normalizer, ordered lists of named rules: ``normalize.RULES`` over the
  document, ``SCHEMA_RULES`` per schema node, ``OPERATION_RULES`` per operation (the live-API
  corrections of ``overrides`` are the last document rule; ``retry_classes`` writes ``x-retry``);
- ``schema_keywords``: the schema keywords by what their value is;
- ``naming``: the names lock (``scripts/names/lock.yaml``); ``changes``: the change report;
- ``regen``: the generator run; ``gen_facade``, ``gen_params`` and ``gen_fake``: the tables,
  request types and fake data it adds to the generated package.
"""
