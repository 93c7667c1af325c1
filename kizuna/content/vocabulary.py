"""The words a thread uses for what members write under a post, per post type.

A question collects answers (one of them the best answer), a discussion replies, and a case
study, an article or an announcement comments. Every label, count and button that names
those responses asks here, so a discussion never reads 「質問日」 or 「N件の回答」. The
functions translate when called: call them while the member's language is active.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext, ngettext, npgettext, pgettext

from kizuna.content.models import PostType


class ResponseKind(StrEnum):
    ANSWER = "answer"
    REPLY = "reply"
    COMMENT = "comment"


RESPONSE_KIND: dict[str, ResponseKind] = {
    PostType.QUESTION: ResponseKind.ANSWER,
    PostType.DISCUSSION: ResponseKind.REPLY,
    PostType.CASE_STUDY: ResponseKind.COMMENT,
    PostType.ARTICLE: ResponseKind.COMMENT,
    PostType.ANNOUNCEMENT: ResponseKind.COMMENT,
}


@dataclass(frozen=True)
class ThreadWords:
    kind: ResponseKind
    date_label: str
    total_label: str
    empty: str
    form_heading: str
    submit: str
    locked: str
    sign_in: str
    edit_title: str
    # Under a response: a note on an answer is a comment, a note on a comment is a reply.
    note_toggle: str
    note_submit: str

    @property
    def notes_on_post(self) -> bool:
        """Whether the post offers small comments of its own besides the main box.

        Where the main box already posts comments, a second comment box on the post
        would only ask the member which of two identical things to use.
        """
        return self.kind != ResponseKind.COMMENT

    def count(self, number: int) -> str:
        """The heading over the responses, e.g. "3 replies"."""
        if self.kind == ResponseKind.ANSWER:
            text = ngettext("%(counter)s answer", "%(counter)s answers", number)
        elif self.kind == ResponseKind.REPLY:
            text = ngettext("%(counter)s reply", "%(counter)s replies", number)
        else:
            text = ngettext("%(counter)s comment", "%(counter)s comments", number)
        return text % {"counter": number}

    def stat_label(self, number: int) -> str:
        """The word under the number in a post row of a feed."""
        if self.kind == ResponseKind.ANSWER:
            return npgettext("post row stat", "answer", "answers", number)
        if self.kind == ResponseKind.REPLY:
            return npgettext("post row stat", "reply", "replies", number)
        return npgettext("post row stat", "comment", "comments", number)


def thread_words(post_type: str) -> ThreadWords:
    kind = RESPONSE_KIND[post_type]
    if kind == ResponseKind.ANSWER:
        return ThreadWords(
            kind=kind,
            date_label=pgettext("date column", "Asked"),
            total_label=gettext("Answers"),
            empty=gettext("No answers yet. Do you know how to help?"),
            form_heading=gettext("Your answer"),
            submit=gettext("Post your answer"),
            locked=gettext("This thread is locked. No new answers."),
            sign_in=gettext("Sign in to answer"),
            edit_title=gettext("Edit answer"),
            note_toggle=gettext("Add a comment"),
            note_submit=gettext("Comment"),
        )
    if kind == ResponseKind.REPLY:
        return ThreadWords(
            kind=kind,
            date_label=pgettext("thread date", "Posted"),
            total_label=gettext("Replies"),
            empty=gettext("No replies yet. Share your view."),
            form_heading=gettext("Your reply"),
            submit=gettext("Post your reply"),
            locked=gettext("This thread is locked. No new replies."),
            sign_in=gettext("Sign in to reply"),
            edit_title=gettext("Edit reply"),
            note_toggle=gettext("Add a comment"),
            note_submit=gettext("Comment"),
        )
    return ThreadWords(
        kind=kind,
        date_label=pgettext("thread date", "Posted"),
        total_label=pgettext("thread responses", "Comments"),
        empty=gettext("No comments yet."),
        form_heading=gettext("Your comment"),
        submit=gettext("Post your comment"),
        locked=gettext("This thread is locked. No new comments."),
        sign_in=gettext("Sign in to comment"),
        edit_title=gettext("Edit comment"),
        note_toggle=gettext("Add a reply"),
        note_submit=gettext("Post reply"),
    )


def case_study_template() -> str:
    """The headings a new case study starts from, in the member's language."""
    headings = (
        pgettext("case study section", "Challenge"),
        pgettext("case study section", "What we did"),
        pgettext("case study section", "Results"),
        pgettext("case study section", "Next steps"),
    )
    return "\n\n".join(f"## {heading}\n" for heading in headings)
