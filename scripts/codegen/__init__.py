"""The code generator: upstream document -> ``openapi.yaml`` -> ``instantly_async/_generated``.

Entry points: ``scripts/regen.py`` (``make regen``) and ``scripts/normalize.py``. Modules:

- ``common``: HTTP methods, operation iteration, snake-casing, JSON types (defined once);
- ``rules``: a named rule, and running an explicit ordered list of them;
- ``normalize``: the normalizer, ``normalize.RULES`` in order (the live-API corrections of
  ``overrides`` are its last rule; ``retry_classes`` writes ``x-retry``);
- ``naming``: the names lock (``scripts/names/lock.yaml``); ``changes``: the change report;
- ``regen``: the generator run; ``gen_facade``, ``gen_params`` and ``gen_fake``: the tables,
  request types and fake data it adds to the generated package.
"""
