#!/usr/bin/env python3
"""``make regen``: openapi.yaml -> instantly_async/_generated/ (``codegen.regen``; ``--help``)."""

from codegen.regen import main

if __name__ == "__main__":
    raise SystemExit(main())
