"""The default badges (issue 4): automatic ones keyed by criterion, and one staff-awarded example."""

from django.db import migrations

DEFAULT_BADGES = [
    ("first-answer", "はじめての回答", "First answer", "はじめて質問に回答しました。", "Answered a question for the first time.", "chat", "automatic", "first_answer"),
    ("accepted-10", "解決の達人", "Problem solver", "10件の回答がベストアンサーに選ばれました。", "Ten answers accepted as the solution.", "check", "automatic", "accepted_10"),
    ("first-question", "はじめての質問", "First question", "はじめて質問を投稿しました。", "Asked a question for the first time.", "star", "automatic", "first_question"),
    ("case-study-author", "事例の共有者", "Case study author", "活用事例を公開しました。", "Published a case study.", "book", "automatic", "case_study_author"),
    ("profile-complete", "プロフィール完成", "Profile complete", "写真・自己紹介・会社・役職・関心をすべて登録しました。", "Filled in photo, bio, company, job role and interests.", "person", "automatic", "profile_complete"),
    ("one-year-member", "1年メンバー", "One-year member", "コミュニティに参加して1年が経ちました。", "A member of the community for a year.", "calendar", "automatic", "one_year_member"),
    ("events-attended-5", "イベント常連", "Event regular", "イベントに5回参加しました。", "Attended five events.", "calendar", "automatic", "events_attended_5"),
    ("speaker", "登壇者", "Speaker", "イベントで登壇しました。", "Spoke at an event.", "microphone", "automatic", "speaker"),
    ("community-champion", "コミュニティチャンピオン", "Community champion", "コミュニティへの特別な貢献をたたえてコミュニティチームが贈ります。", "Awarded by the community team for an outstanding contribution.", "medal", "staff_awarded", ""),
]


def create_default_badges(apps, schema_editor):
    Badge = apps.get_model("badges", "Badge")
    for slug, name_ja, name_en, description_ja, description_en, icon, kind, criterion in DEFAULT_BADGES:
        Badge.objects.get_or_create(
            slug=slug,
            defaults={
                "name_ja": name_ja,
                "name_en": name_en,
                "description_ja": description_ja,
                "description_en": description_en,
                "icon": icon,
                "kind": kind,
                "criterion": criterion,
            },
        )


def delete_default_badges(apps, schema_editor):
    Badge = apps.get_model("badges", "Badge")
    Badge.objects.filter(slug__in=[row[0] for row in DEFAULT_BADGES]).delete()


class Migration(migrations.Migration):
    dependencies = [("badges", "0001_badges_and_awards")]

    operations = [migrations.RunPython(create_default_badges, delete_default_badges)]
