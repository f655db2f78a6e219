"""Forms as a browser sees them: each POST form's action and the values it would send."""

from dataclasses import dataclass
from html.parser import HTMLParser

from django.test import Client


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str]]
    kinds: dict[str, str]

    def data(self, **changes: str) -> dict[str, str | list[str]]:
        data: dict[str, list[str]] = {}
        for name, value in self.fields:
            data.setdefault(name, []).append(value)
        for name, value in changes.items():
            data[name] = [value]
        return {k: v if len(v) > 1 else v[0] for k, v in data.items()}


class FormParser(HTMLParser):
    """Collect each POST form's action and the values a browser would send unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.current = Form(a.get("action") or "", [], {})
        elif self.current is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind == "checkbox" and a.get("value") is None:
                kind = "boolean"  # any value sent means "on": no value is malformed
            if kind in {"checkbox", "radio", "boolean"} and "checked" not in a:
                self.current.kinds.setdefault(a["name"], kind)
                return
            if kind in {"submit", "button", "file"}:
                self.current.kinds[a["name"]] = kind
                return
            self.current.fields.append((a["name"], a.get("value") or ""))
            self.current.kinds[a["name"]] = kind
        elif tag == "select" and a.get("name"):
            self.select, self.select_first, self.select_chosen = a["name"], None, False
            self.current.kinds[a["name"]] = "select"
        elif tag == "option" and self.select:
            value = a.get("value") or ""
            if self.select_first is None:
                self.select_first = value
            if "selected" in a:
                self.current.fields.append((self.select, value))
                self.select_chosen = True
        elif tag == "textarea" and a.get("name"):
            self.textarea, self.text = a["name"], ""
            self.current.kinds[a["name"]] = "textarea"

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if self.current is None:
            return
        if tag == "select" and self.select:
            if not self.select_chosen and self.select_first is not None:
                self.current.fields.append((self.select, self.select_first))
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.current.fields.append((self.textarea, self.text.lstrip("\n")))
            self.textarea = None
        elif tag == "form":
            self.forms.append(self.current)
            self.current = None


def page_form(client: Client, url: str, field: str) -> Form:
    """Return the form of the page at url that has the named field."""
    response = client.get(url)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    parser = FormParser()
    parser.feed(response.content.decode())
    form = next((f for f in parser.forms if field in f.kinds), None)
    assert form is not None, f"no form with {field!r} at {url}"
    form.action = form.action or url
    return form
