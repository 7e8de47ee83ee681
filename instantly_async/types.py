"""Every model and request type of the SDK, under one stable name.

::

    from instantly_async.types import Lead, Campaign  # response models (attrs classes)
    from instantly_async.types import BulkAddLeadsLeadsItemParam  # request TypedDicts

Response models are the attrs classes the client returns. Request bodies are plain dicts;
their ``TypedDict`` types (``<OperationId>Params`` for a whole body, ``...Param`` for the
objects inside it) let mypy and pyright check dict literals. Names load on first use, so
importing this module costs next to nothing.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._generated.models import *  # noqa: F403
    from ._generated.params import *  # noqa: F403
    from ._generated.types import UNSET as UNSET
    from ._generated.types import Unset as Unset


def __getattr__(name: str) -> Any:
    if name in ("UNSET", "Unset"):
        module = import_module("._generated.types", __package__)
    else:
        module = import_module("._generated.params", __package__)
        if name not in module._LAZY_IMPORTS:
            module = import_module("._generated.models", __package__)
            if name not in module._LAZY_IMPORTS:
                raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    params = import_module("._generated.params", __package__)
    models = import_module("._generated.models", __package__)
    return sorted({*globals(), "UNSET", "Unset", *params.__all__, *models.__all__})
