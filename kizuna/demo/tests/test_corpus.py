"""The demo's generated text is written like members write: no promotion, no unfilled slot."""

from kizuna.demo import corpus, data
from kizuna.demo.threads import _fill
from kizuna.moderation.rules import promotion_signals


def _every_text() -> list[str]:
    texts: list[str] = [
        *corpus.INTROS,
        *corpus.INTROS_WITH_INDUSTRY,
        *corpus.ASKS,
        *corpus.ANSWER_OPENERS,
        *corpus.ANSWER_CLOSERS,
        *corpus.STAFF_OPENERS,
        *corpus.COMMENTS,
        *corpus.ASKER_THANKS,
        *corpus.ENGLISH_COMMENTS,
        *corpus.ENGLISH_THANKS,
    ]
    for topic in (*corpus.TOPICS, *corpus.ENGLISH_TOPICS):
        for question in topic.questions:
            texts += [question.title, question.body, *question.answers]
    for question in corpus.PROSPECT_QUESTIONS:
        texts += [question.title, question.body, *question.answers]
    for discussion in corpus.DISCUSSIONS:
        texts += [discussion.title, discussion.body, *discussion.replies]
    for tip in corpus.TIPS:
        texts += [tip.title, tip.body]
    for case in corpus.CASE_STUDIES:
        texts += [case.title, case.challenge, case.approach, case.result, case.next_step]
    for recurring in corpus.RECURRING:
        texts += [recurring.title, recurring.body, *recurring.items, *recurring.replies]
    return texts


SLOTS = {
    "industry": "物流会社",
    "scene": "出張の交通費",
    "role": "経理部 担当",
    "staff": "300",
    "sites": "4",
    "count": "80",
    "months": "6",
    "percent": "85",
    "days": "3",
    "year": "2026",
    "month": "4",
    "items": "- 改善",
}


def test_no_demo_text_reads_as_promotion() -> None:
    flagged = [(text, promotion_signals("", text)) for text in _every_text()]

    assert [item for item in flagged if item[1]] == []


def test_every_slot_in_the_demo_text_is_one_the_generator_fills() -> None:
    filled = [_fill(text, SLOTS) for text in _every_text()]

    # An API path's {id} is meant literally; any other brace is a slot nobody fills.
    leftovers = [text for text in filled if "{" in text.replace("{id}", "")]
    assert leftovers == []


def test_every_space_a_text_names_is_a_demo_space() -> None:
    named = {
        *(s for topic in (*corpus.TOPICS, *corpus.ENGLISH_TOPICS) for s in topic.spaces),
        *(s for d in corpus.DISCUSSIONS for s in d.spaces),
        *(s for t in corpus.TIPS for s in t.spaces),
        *(s for c in corpus.CASE_STUDIES for s in c.spaces),
        *(r.space for r in corpus.RECURRING),
    }

    assert named <= {space.slug for space in data.SPACES}
