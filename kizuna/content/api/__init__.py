"""The posts API: posts, answers, comments, accepting answers, reactions, bookmarks, follows.

Thin: find what the viewer may read (404 otherwise, so nothing hidden is confirmed), call
the same services as the thread pages, shape the answer. Every rule lives in
`kizuna.content.permissions`, `services`, `engagement` and `qa`.

One router per sub-domain, mounted here as the one router config/api.py adds. Each path lives
in one of them only: Django sends a path to the first router that declares it, which would
answer 405 to the methods another router declares for the same path.
"""

from ninja import Router

from kizuna.content.api import answers, engagement, posts

router = Router()
router.add_router("", posts.router)
router.add_router("", answers.router)
router.add_router("", engagement.router)
