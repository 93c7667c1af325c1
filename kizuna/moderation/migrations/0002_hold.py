"""Holds: why content is held, moved from the JSON keys of content's `moderation_note`.

Forwards, every held post, answer and comment gets a Hold from its note's "reasons", "source"
and "resubmitted_at" (a held row without a note is a rule hold without reasons). The note's
"decision" needs no copy: the resolved review item that wrote it keeps the action, the reason,
who and when. Backwards, the notes are written again from the holds and those review items.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models
from django.utils.dateparse import parse_datetime

DECISIONS = ("approve", "hide", "delete")


def notes_to_holds(apps: Any, schema_editor: Any) -> None:
    Hold = apps.get_model("moderation", "Hold")
    for model_name in ("post", "answer"):
        model = apps.get_model("content", model_name)
        for row in model.objects.filter(status="held").only("pk", "moderation_note"):
            note = row.moderation_note if isinstance(row.moderation_note, dict) else {}
            reasons = note.get("reasons", [])
            resubmitted_at = note.get("resubmitted_at")
            Hold.objects.create(
                **{model_name: row},
                source="flags" if note.get("source") == "flags" else "rules",
                reasons=[str(reason) for reason in reasons] if isinstance(reasons, list) else [],
                resubmitted_at=parse_datetime(resubmitted_at)
                if isinstance(resubmitted_at, str)
                else None,
            )
    comment = apps.get_model("content", "Comment")
    for row in comment.objects.filter(status="held").only("pk"):
        Hold.objects.create(comment=row, source="flags", reasons=[])


def holds_to_notes(apps: Any, schema_editor: Any) -> None:
    Hold = apps.get_model("moderation", "Hold")
    ReviewItem = apps.get_model("moderation", "ReviewItem")
    for model_name in ("post", "answer"):
        model = apps.get_model("content", model_name)
        notes: dict[int, dict[str, Any]] = {}
        decided = ReviewItem.objects.filter(
            **{f"{model_name}__isnull": False}, status="resolved", action__in=DECISIONS
        ).order_by("resolved_at", "id")
        for item in decided:
            if item.resolved_at is not None:
                notes.setdefault(getattr(item, f"{model_name}_id"), {})["decision"] = {
                    "action": item.action,
                    "reason": item.resolution_reason,
                    "by": item.resolved_by_id,
                    "at": item.resolved_at.isoformat(),
                }
        for hold in Hold.objects.filter(**{f"{model_name}__isnull": False}):
            note = notes.setdefault(getattr(hold, f"{model_name}_id"), {})
            note.update({"reasons": list(hold.reasons), "source": hold.source})
            if hold.resubmitted_at is not None:
                note["resubmitted_at"] = hold.resubmitted_at.isoformat()
        for pk, note in notes.items():
            model.objects.filter(pk=pk).update(moderation_note=note)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("moderation", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Hold",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[("rules", "Automatic rules"), ("flags", "Member flags")],
                        max_length=8,
                        verbose_name="source",
                    ),
                ),
                ("reasons", models.JSONField(blank=True, default=list)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("resubmitted_at", models.DateTimeField(blank=True, null=True)),
                (
                    "answer",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="content.answer",
                    ),
                ),
                (
                    "comment",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="content.comment",
                    ),
                ),
                (
                    "post",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="content.post",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("answer__isnull", True),
                                ("comment__isnull", True),
                                ("post__isnull", False),
                            ),
                            models.Q(
                                ("answer__isnull", False),
                                ("comment__isnull", True),
                                ("post__isnull", True),
                            ),
                            models.Q(
                                ("answer__isnull", True),
                                ("comment__isnull", False),
                                ("post__isnull", True),
                            ),
                            _connector="OR",
                        ),
                        name="hold_one_target",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("source__in", ["rules", "flags"])),
                        name="hold_source_valid",
                    ),
                ],
            },
        ),
        migrations.RunPython(notes_to_holds, holds_to_notes),
    ]
