from typing import Any

from django import forms


class Form(forms.Form):
    """Our base form: labels stand on their own line, so no colon after them.

    Django adds ":" after every label; after a Japanese label (表示名:) it reads as a typo.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
