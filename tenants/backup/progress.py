"""tqdm progress bars for the backup commands: one bar per stage (``export``/``restore`` call
``progress(stage, total)`` and tick the function it returns)."""

from __future__ import annotations

from collections.abc import Callable

from tqdm import tqdm


class Bars:
    def __init__(self, stream) -> None:
        self.stream = stream
        self.current: tqdm | None = None

    def __call__(self, stage: str, total: int) -> Callable[[], None]:
        self.close()
        self.current = tqdm(total=total, desc=stage, unit="项", file=self.stream)
        return lambda: self.current.update(1) if self.current is not None else None

    def close(self) -> None:
        if self.current is not None:
            self.current.close()
            self.current = None
