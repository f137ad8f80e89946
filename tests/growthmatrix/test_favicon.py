"""Every page names an icon, and /favicon.ico answers, so no first page load logs a 404."""

from django.urls import reverse


def test_pages_name_the_icon_and_the_icon_is_served(client):
    html = client.get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg"' in html
    assert client.get("/static/img/favicon.svg").status_code == 200


def test_the_default_address_leads_to_the_icon_for_everyone(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.svg"
