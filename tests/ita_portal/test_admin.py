"""The Django admin's look: Thai in the vendored Sarabun, like the portal's pages."""

import re

from django.contrib.staticfiles import finders

from tests.accounts.builders import make_superuser


def static_text(path: str) -> str:
    found = finders.find(path)
    assert found, f"{path} is not a static file"
    with open(found, encoding="utf-8") as stream:
        return stream.read()


def test_every_admin_page_loads_the_sarabun_stylesheet(client, db):
    login_page = client.get("/admin/login/").content.decode()
    assert '<link rel="stylesheet" href="/static/css/admin.css">' in login_page
    client.force_login(make_superuser())
    for path in ["/admin/", "/admin/measures/plan/", "/admin/accounts/agency/add/"]:
        assert "/static/css/admin.css" in client.get(path).content.decode(), path


def test_the_admin_stylesheet_sets_sarabun_from_the_vendored_files():
    admin_css = static_text("css/admin.css")
    assert '@import url("sarabun.css")' in admin_css
    assert re.search(r'--font-family-primary:\s*"Sarabun"', admin_css)
    fonts = re.findall(r'url\("\.\./(fonts/sarabun/[^"]+\.ttf)"\)', static_text("css/sarabun.css"))
    assert "fonts/sarabun/Sarabun_400Regular.ttf" in fonts
    assert all(finders.find(font) for font in fonts)


def test_the_portals_pages_load_the_same_fonts(client, db):
    assert "/static/css/sarabun.css" in client.get("/accounts/login/").content.decode()
