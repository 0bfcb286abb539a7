"""What the demo's steps share as they tell the Bình Xuyên story.

The site tells the demo in order (``site/demo.py``); each app writes its own part through its own services, in its
own ``demo.py``, as a step taking this context: it finds there what earlier steps made (the district, its
communes, the resolution…) and leaves what later steps need, under a name its docstring gives. One seeded random
generator draws every fictional person, so the demo is the same on every machine; ``logins`` collects the person
behind each demo login as the story meets them.
"""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

DEMO_SEED = 2017


class DemoContext(SimpleNamespace):
    rng: random.Random
    logins: dict[str, Any]

    def __init__(self, *, seed: int = DEMO_SEED) -> None:
        super().__init__(rng=random.Random(seed), logins={})  # noqa: S311 - reproducible fictional data
