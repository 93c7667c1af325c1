"""How far a check or an import has got, for the page that polls it and the API.

An import writes in one transaction, so its progress cannot be read from its own rows until it
commits; the worker reports it to the shared cache (Redis in production) instead. A value lost
from the cache only means the bar starts again from the job's own counts.
"""

from dataclasses import dataclass

from django.core.cache import cache

TTL_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Progress:
    phase: str
    done: int
    total: int

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else min(100, self.done * 100 // self.total)


def _key(job_id: int) -> str:
    return f"kizuna:crm-import:{job_id}:progress"


def record(job_id: int, phase: str, done: int, total: int) -> None:
    cache.set(_key(job_id), (phase, done, total), TTL_SECONDS)


def read(job_id: int) -> Progress | None:
    stored = cache.get(_key(job_id))
    if not isinstance(stored, tuple) or len(stored) != 3:
        return None
    phase, done, total = stored
    return Progress(phase=str(phase), done=int(done), total=int(total))


def clear(job_id: int) -> None:
    cache.delete(_key(job_id))
