#!/usr/bin/env python3
"""Upstream OpenAPI document -> our openapi.yaml (``codegen.normalize``; ``--help``)."""

from codegen.normalize import main

if __name__ == "__main__":
    raise SystemExit(main())
